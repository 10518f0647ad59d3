"""Human gene symbols from HGNC: approved symbols, previous symbols and aliases, shipped with the package.

The index (``data/hgnc.tsv.gz``) lists every gene whose HGNC status is Approved: its HGNC id,
approved symbol, locus type, previous symbols and aliases. It is built from an HGNC download by
``scripts/build_hgnc_index.py`` and read once, on first use (``import biopipe`` does not read it).

A name resolves case-insensitively, in HGNC's order of precedence: an approved symbol first, then a
previous symbol, then an alias. A name that is a previous symbol (or, failing that, an alias) of several
genes is ambiguous: `resolve_symbol` refuses it and names them all.

>>> from biopipe.model import resolve_symbol
>>> resolve_symbol("HER2"), resolve_symbol("trop2"), resolve_symbol("ERBB3")
('ERBB2', 'TACSTD2', 'ERBB3')
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

from . import _validate as v
from ._errors import UnknownCode

__all__ = ["GENES_RELEASE", "Gene", "approved_symbols", "gene", "resolve_symbol"]

#: The release date (YYYY-MM-DD) of the HGNC data in the shipped index, as its header states.
GENES_RELEASE = "2024-07-23"

#: The model's pattern for a symbol; every approved symbol in the index matches it.
SYMBOL_PATTERN = r"[A-Z0-9][A-Za-z0-9-]*"

_INDEX = "data/hgnc.tsv.gz"

_T = TypeVar("_T")

#: How a name relates to a gene, in order of precedence.
_APPROVED, _PREVIOUS, _ALIAS = 0, 1, 2
_RELATION = ("the approved symbol", "a previous symbol", "an alias")


@attrs.frozen(kw_only=True)
class Gene:
    """A human gene as HGNC names it: approved symbol, HGNC id, locus type, previous symbols and aliases.

    >>> from biopipe.model import gene
    >>> erbb2 = gene("HER2")
    >>> erbb2.symbol, erbb2.hgnc_id, "HER2" in erbb2.aliases
    ('ERBB2', 'HGNC:3430', True)
    """

    symbol: str
    hgnc_id: str
    locus_type: str
    previous: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The approved symbol, then the previous symbols, then the aliases."""
        return (self.symbol, *self.previous, *self.aliases)


@attrs.frozen
class _Index:
    """The index as read: its header fields, and each approved symbol's line."""

    header: Mapping[str, str]
    #: approved symbol -> its line (HGNC number, symbol, locus type, previous symbols, aliases; tab-separated)
    rows: Mapping[str, str]
    #: the approved symbols in the index's order (HGNC id)
    symbols: tuple[str, ...]


def _parse(text: str) -> _Index:
    lines = text.split("\n")
    header: dict[str, str] = {}
    i = 0
    while lines[i].startswith("#"):
        key, _, value = lines[i][1:].partition(":")
        header[key.strip()] = value.strip()
        i += 1
    body = lines[i + 1 :]  # after the column line
    if body and not body[-1]:
        body.pop()
    symbols = tuple(line.split("\t", 2)[1] for line in body)
    return _Index(header, dict(zip(symbols, body, strict=True)), symbols)


def _name_map(index: _Index) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Every name, case-folded -> (its strongest relation, the approved symbols it names with that relation)."""
    genes = [((symbol,), line.split("\t")) for symbol, line in index.rows.items()]
    names: dict[str, tuple[int, tuple[str, ...]]] = {one[0].casefold(): (_APPROVED, one) for one, _ in genes}
    # Approved symbols first (above), then previous symbols, then aliases: a name keeps its strongest relation.
    for relation, column in ((_PREVIOUS, 3), (_ALIAS, 4)):
        for one, row in genes:
            cell = row[column]
            if not cell:
                continue
            value = (relation, one)  # one tuple per gene and relation, shared by its names
            for name in cell.split("|"):
                key = name.casefold()
                known = names.get(key)
                if known is None:
                    names[key] = value
                elif known[0] == relation and one[0] not in known[1]:
                    names[key] = (relation, (*known[1], one[0]))
    return names


def _without_gc(build: Callable[[], _T]) -> _T:
    """*build*() with the cyclic garbage collector paused.

    The index is tens of thousands of acyclic tuples; the collections their allocation would trigger
    find nothing to free and double the time to build it.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return build()
    finally:
        if enabled:
            gc.enable()


@functools.cache
def _index() -> _Index:
    import gzip
    import importlib.resources

    data = importlib.resources.files("biopipe.model").joinpath(_INDEX).read_bytes()
    return _without_gc(lambda: _parse(gzip.decompress(data).decode("utf-8")))


@functools.cache
def _approved() -> Mapping[str, str]:
    return _index().rows


@functools.cache
def _names() -> Mapping[str, tuple[int, tuple[str, ...]]]:
    """The name map, built on the first lookup by name (validating a symbol needs only `_approved`)."""
    index = _index()
    return _without_gc(lambda: _name_map(index))


def _is_approved(value: object) -> bool:
    return value in _approved() if type(value) is str else False


def approved_symbols() -> tuple[str, ...]:
    """Every approved symbol in the index, in order of HGNC id.

    >>> from biopipe.model import approved_symbols
    >>> symbols = approved_symbols()
    >>> "ERBB2" in symbols, "HER2" in symbols, len(symbols) > 40_000
    (True, False, True)
    """
    return _index().symbols


def _gene(symbol: str) -> Gene:
    number, _, locus_type, previous, aliases = _approved()[symbol].split("\t")
    return Gene(
        symbol=symbol,
        hgnc_id=f"HGNC:{number}",
        locus_type=locus_type,
        previous=tuple(previous.split("|")) if previous else (),
        aliases=tuple(aliases.split("|")) if aliases else (),
    )


def _lookup(name: str) -> tuple[int, tuple[str, ...]] | None:
    return _names().get(name.casefold())


def gene(name: str) -> Gene | None:
    """The gene *name* resolves to (approved symbol, previous symbol or alias; any case), or None.

    None also when *name* is ambiguous (see `resolve_symbol`, which says why).

    >>> from biopipe.model import gene
    >>> gene("her3").symbol, gene("TROP2").hgnc_id, gene("NOTAGENE")
    ('ERBB3', 'HGNC:11530', None)
    """
    found = _lookup(name)
    if found is None or len(found[1]) != 1:
        return None
    return _gene(found[1][0])


def symbols_named(name: str) -> tuple[str, ...]:
    """The approved symbols of every gene *name* may stand for, by precedence (empty if none).

    One symbol for an approved symbol, or a previous symbol or alias of one gene; several for an
    ambiguous previous symbol or alias.
    """
    found = _lookup(name)
    return () if found is None else found[1]


def resolve_symbol(name: str) -> str:
    """The approved HGNC symbol of *name*: an approved symbol, previous symbol or alias, in any case.

    Raises `UnknownCode` when *name* names no gene (with the closest approved symbols) or several.

    >>> from biopipe.model import resolve_symbol
    >>> resolve_symbol("her2")
    'ERBB2'
    >>> resolve_symbol("EGRF")
    Traceback (most recent call last):
    ...
    biopipe.UnknownCode: invalid value 'EGRF': expected an HGNC symbol, previous symbol or alias
    (did you mean 'EGFR'...?)
    """
    found = _lookup(name)
    if found is not None and len(found[1]) == 1:
        return found[1][0]
    raise UnknownCode(name, "an HGNC symbol, previous symbol or alias", detail=_explain(name))


def _quoted(symbols: tuple[str, ...] | list[str]) -> str:
    quoted = [repr(s) for s in symbols]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


#: Names longer than this get no suggestions (no gene name comes close; difflib's cost grows with length).
_LONGEST = 64


def _explain(name: str) -> str:
    """Why *name* is not an approved symbol, and what to write instead (one phrase)."""
    if len(name) > _LONGEST:
        return "no HGNC gene has a name like it"
    found = _lookup(name)
    if found is None:
        close = suggestions(name)
        return f"did you mean {_quoted(close)}?" if close else "no HGNC gene has a name like it"
    relation, symbols = found
    if relation == _APPROVED:
        return f"did you mean {symbols[0]!r}? (symbols are case-sensitive)"
    if len(symbols) == 1:
        return f"{name!r} is {_RELATION[relation]} of {symbols[0]}: use the approved symbol {symbols[0]!r}"
    return (
        f"{name!r} is {_RELATION[relation]} of {len(symbols)} genes: "
        f"use the approved symbol of one of {_quoted(symbols)}"
    )


def symbol_expected(name: object) -> str:
    """The expectation a `Target` symbol check reports for *name*: an approved symbol, and which one.

    >>> from biopipe.model._genes import symbol_expected
    >>> symbol_expected("TROP2")
    "an approved HGNC gene symbol ('TROP2' is an alias of TACSTD2: use the approved symbol 'TACSTD2')"
    """
    if not isinstance(name, str) or not v.text.ok(name):
        return _EXPECTED
    return f"an approved HGNC gene symbol ({_explain(name)})"


@functools.lru_cache(maxsize=1024)
def suggestions(name: str, n: int = 3) -> tuple[str, ...]:
    """Up to *n* approved symbols whose symbol, previous symbol or alias is closest to *name* (best first).

    Candidates come from `difflib.get_close_matches` over the names that start with the same letter;
    among those, one edit (a transposition counting as one) beats two, a name with the same letters
    beats one with a letter changed (``EGRF`` suggests ``EGFR`` before ``EGR1``), and an approved
    symbol beats a previous symbol, which beats an alias.

    >>> from biopipe.model._genes import suggestions
    >>> suggestions("EGRF")[0], suggestions("ERRB2")[0]
    ('EGFR', 'ERBB2')
    """
    import difflib  # only for errors: not part of ``import biopipe``

    key = name.casefold()
    bucket = _buckets().get(key[:1], [])
    close = difflib.get_close_matches(key, bucket, n=20, cutoff=0.6)
    names = _names()
    ranked = sorted(
        close,
        key=lambda c: (
            _edits(key, c),
            sorted(c) != sorted(key),
            names[c][0],
            -difflib.SequenceMatcher(None, key, c).ratio(),
            c,
        ),
    )
    out: list[str] = []
    for candidate in ranked:
        for symbol in names[candidate][1]:
            if symbol not in out:
                out.append(symbol)
    return tuple(out[:n])


@functools.cache
def _buckets() -> dict[str, list[str]]:
    buckets: dict[str, list[str]] = {}
    for key in _names():
        buckets.setdefault(key[:1], []).append(key)
    return buckets


def _edits(a: str, b: str) -> int:
    """The optimal-string-alignment distance between *a* and *b* (an adjacent transposition is one edit)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


@attrs.frozen
class SymbolCheck(v.Check):
    """The `Target` symbol check: an approved HGNC symbol (a dict hit); on failure it says which one is meant.

    Its JSON Schema is the symbol pattern only: the schema does not list the 40,000 approved symbols,
    so the loader is stricter than the schema on this one field.
    """

    def __call__(self, _: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not _is_approved(value):
            raise v.fail(attribute.name, value, symbol_expected(value))


_EXPECTED = "an approved HGNC gene symbol such as 'ERBB3'"

#: The check `Target.symbol` runs.
approved_symbol = SymbolCheck(
    _is_approved,
    _EXPECTED,
    v.pattern(SYMBOL_PATTERN, "").schema,
)
