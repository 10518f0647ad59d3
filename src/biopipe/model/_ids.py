"""Trial registry identifiers and the formats of target identifiers."""

from __future__ import annotations

import re

import attrs

from ._errors import InvalidIdentifier
from ._vocab import Vocabulary

__all__ = ["ENSEMBL_GENE", "HGNC_ID", "Registry", "RegistryId", "UNIPROT"]

#: HGNC gene id, e.g. ``HGNC:3236``.
HGNC_ID = r"HGNC:[1-9][0-9]*"
#: UniProtKB accession (the format UniProt publishes), e.g. ``P00533``.
UNIPROT = r"[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9](?:[A-Z][A-Z0-9]{2}[0-9]){1,2}"
#: Ensembl human gene id, optionally versioned, e.g. ``ENSG00000146648``.
ENSEMBL_GENE = r"ENSG[0-9]{11}(?:\.[0-9]+)?"


class Registry(Vocabulary):
    """A clinical-trial registry whose ids biopipe recognises.

    >>> from biopipe import Registry
    >>> Registry.NCT.example
    'NCT05288205'
    """

    NCT = "nct"
    CTR = "ctr"
    CHICTR = "chictr"
    EU_CT = "eu_ct"
    EUDRACT = "eudract"
    JRCT = "jrct"
    ISRCTN = "isrctn"

    @property
    def pattern(self) -> str:
        """The regular expression an id of this registry matches in full."""
        return _REGISTRY_FORMATS[self][0]

    @property
    def example(self) -> str:
        """A well-formed example id."""
        return _REGISTRY_FORMATS[self][1]

    @property
    def full_name(self) -> str:
        """The registry's name."""
        return _REGISTRY_FORMATS[self][2]


_REGISTRY_FORMATS = {
    Registry.NCT: (r"NCT[0-9]{8}", "NCT05288205", "ClinicalTrials.gov"),
    Registry.CTR: (r"CTR[0-9]{8}", "CTR20250123", "China Drug Trials registry (CDE)"),
    Registry.CHICTR: (
        r"ChiCTR[0-9]{10}|ChiCTR-[A-Z]{2,5}-[0-9]{8}",
        "ChiCTR2000029308",
        "Chinese Clinical Trial Registry",
    ),
    Registry.EU_CT: (r"[0-9]{4}-5[0-9]{5}-[0-9]{2}-[0-9]{2}", "2023-503456-12-00", "EU CT (CTIS)"),
    Registry.EUDRACT: (r"[0-9]{4}-[0-9]{6}-[0-9]{2}", "2015-001234-12", "EudraCT"),
    Registry.JRCT: (r"jRCT[0-9a-z][0-9]{9}", "jRCT2031210123", "Japan Registry of Clinical Trials"),
    Registry.ISRCTN: (r"ISRCTN[0-9]{8}", "ISRCTN12345678", "ISRCTN registry"),
}
_COMPILED = [(registry, re.compile(fmt[0])) for registry, fmt in _REGISTRY_FORMATS.items()]
#: What `_detect` accepts, as one pattern to match in full (for loaders that check text in C).
ANY_REGISTRY_ID = "|".join(f"(?:{fmt[0]})" for fmt in _REGISTRY_FORMATS.values())
_EXPECTED = "a trial registry id: " + ", ".join(f"{r.full_name} like {r.example}" for r in Registry)


@attrs.frozen(repr=False, order=True)
class RegistryId:
    """A trial registry id; the registry is recognised from the format.

    >>> from biopipe import RegistryId
    >>> nct = RegistryId("NCT05288205")
    >>> nct.registry, str(nct)
    (Registry.NCT, 'NCT05288205')
    >>> RegistryId("CTR20250123").registry
    Registry.CTR
    >>> RegistryId("NCT123")
    Traceback (most recent call last):
    ...
    biopipe.InvalidIdentifier: invalid value 'NCT123': expected a trial registry id: ...
    """

    value: str

    def __attrs_post_init__(self) -> None:
        _detect(self.value)

    @property
    def registry(self) -> Registry:
        """The registry this id belongs to."""
        return _detect(self.value)

    @classmethod
    def parse(cls, text: str) -> RegistryId:
        """Validate *text* as a registry id (same as the constructor)."""
        return cls(text)

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"RegistryId({self.value!r})"


def _detect(value: object) -> Registry:
    if isinstance(value, str):
        for registry, regex in _COMPILED:
            if regex.fullmatch(value):
                return registry
    raise InvalidIdentifier(value, _EXPECTED)
