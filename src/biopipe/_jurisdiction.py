"""Which trial sites a jurisdiction covers, and checking jurisdiction codes given to queries."""

from __future__ import annotations

from ._countries import JURISDICTIONS
from ._errors import UnknownCode

__all__ = ["EU_MEMBERS", "as_jurisdiction", "covers"]

#: The 27 member states of the European Union, whose trials EU authorisations cover.
EU_MEMBERS = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip


def covers(jurisdiction: str, country: str) -> bool:
    """Whether a trial site in *country* lies in *jurisdiction* (``EU`` covers its member states)."""
    return country == jurisdiction or (jurisdiction == "EU" and country in EU_MEMBERS)


def as_jurisdiction(code: str) -> str:
    """*code* upper-cased, checked to be an ISO 3166-1 alpha-2 code or ``EU``."""
    folded = code.upper()
    if folded not in JURISDICTIONS:
        raise UnknownCode(code, "a jurisdiction: an ISO 3166-1 alpha-2 country code such as 'US' or 'CN', or 'EU'")
    return folded
