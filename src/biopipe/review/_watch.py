"""Alerts: what changed between two snapshots for the assets, targets and sponsors on a watch list.

A watch list is a small JSON document (`parse_watchlist`, `read_watchlist`);
`watch` compares two snapshots of a portfolio (as `diff` does) and keeps the
changes of the assets the list watches, with the expected events (catalysts)
that are due or overdue when a source of them is passed as ``due=``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import attrs

from ..document._results import Result, display_text, markdown_cell
from ..model import _validate as v
from ..model._asset import Asset, Portfolio, normalize_term
from ..model._errors import BiopipeError, Problem, ValidationError
from ..model._genes import resolve_symbol
from ..query._arguments import as_assets, as_day
from ._catalysts import catalysts
from ._diff import Change, ChangeKind, _brief, diff

if TYPE_CHECKING:
    import os

    from ..model._validate import Validator

__all__ = [
    "DueEvent",
    "Expected",
    "catalysts_due",
    "WatchList",
    "WatchReport",
    "Watched",
    "parse_watchlist",
    "read_watchlist",
    "watch",
]


def _gene_names(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Each target names one HGNC gene (approved symbol, previous symbol or alias)."""
    assert isinstance(value, tuple)  # the tuple-of-text validator runs first
    problems = []
    for i, name in enumerate(value):
        try:
            resolve_symbol(name)
        except BiopipeError as e:
            problems.extend(v.problems_from(e, f"{attribute.name}[{i}]"))
    if problems:
        raise ValidationError(problems, subject=f"field {attribute.name!r}")


def _targets_validator() -> Validator:
    return attrs.validators.and_(v.tuple_of_text(), _gene_names)


@attrs.frozen(kw_only=True)
class WatchList:
    """What to watch: assets by code or alias, targets by gene name, sponsors and partners by name.

    ``assets`` match an asset's code or any alias (case-insensitive).
    ``targets`` are HGNC gene names (approved symbol, previous symbol or alias:
    ``HER3`` is ERBB3) and match an asset with that target (`Target.matches`).
    ``sponsors`` match an asset whose sponsor or any party (licensee, partner,
    ...) has the entry's words as whole words, in order, case and punctuation
    aside (``Junshi`` matches ``Shanghai Junshi Biosciences``). A watch list
    names at least one thing; read one from JSON with `parse_watchlist`.

    >>> from biopipe.review import WatchList
    >>> WatchList(targets=("HER3",), sponsors=("Junshi",)).targets
    ('HER3',)
    >>> WatchList(targets=("EGRF",))
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 1 problem(s) in field 'targets':
      targets[0]: got 'EGRF', expected an HGNC symbol, previous symbol or alias
      (did you mean 'EGFR'...?)
    """

    name: str | None = attrs.field(default=None, validator=v.optional(v.text))
    assets: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of_text())
    targets: tuple[str, ...] = attrs.field(default=(), validator=_targets_validator())
    sponsors: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of_text())

    def __attrs_post_init__(self) -> None:
        if not (self.assets or self.targets or self.sponsors):
            expected = "a watch list naming at least one asset, target or sponsor"
            v.raise_problems(self, [Problem("", self, expected)])

    def reasons(self, asset: Asset) -> tuple[str, ...]:
        """Why *asset* is watched: ``asset JS212``, ``target HER3``, ``sponsor Junshi`` (empty: it is not).

        >>> import biopipe
        >>> from biopipe.review import WatchList
        >>> WatchList(assets=("js212",), targets=("HER3", "EGFR")).reasons(biopipe.example("js212"))
        ('asset js212', 'target HER3', 'target EGFR')
        """
        found = [f"asset {a}" for a in self.assets if _names_asset(a, asset)]
        found += [f"target {t}" for t in self.targets if asset.targets_named(t)]
        found += [f"sponsor {s}" for s in self.sponsors if _names_sponsor(s, asset)]
        return tuple(found)


def _names_asset(name: str, asset: Asset) -> bool:
    folded = name.casefold()
    return any(n.casefold() == folded for n in asset.names)


def _names_sponsor(name: str, asset: Asset) -> bool:
    words = f" {normalize_term(name)} "
    return any(words in f" {normalize_term(n)} " for n in (asset.sponsor, *(p.name for p in asset.parties)))


def parse_watchlist(text: str | bytes, *, subject: str = "watch list") -> WatchList:
    """A `WatchList` from JSON text, read strictly: unknown fields and wrong types are errors with their paths.

    >>> from biopipe.review import parse_watchlist
    >>> parse_watchlist('{"assets": ["JS212"], "targets": ["HER3"]}').assets
    ('JS212',)
    >>> parse_watchlist('{"assets": ["JS212", 7], "sponsor": ["Junshi"]}')
    Traceback (most recent call last):
    ...
    biopipe.ValidationError: 2 problem(s) in watch list:
      assets[1]: got 7, expected a string
      sponsor: got ['Junshi'], expected no such field (allowed: name, assets, targets, sponsors)
    """
    from ..document._convert import converter, problems_of
    from ..document._jsonio import parse_json

    data = parse_json(text, subject=subject)
    if not isinstance(data, dict):
        raise ValidationError([Problem("", data, "a JSON object (a watch list)")], subject=subject)
    try:
        built: WatchList = converter.structure(data, WatchList)
    except (BiopipeError, ValueError, TypeError, KeyError, BaseExceptionGroup) as e:
        raise ValidationError(problems_of(e), subject=subject) from None
    return built


def read_watchlist(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> WatchList:
    """Read a watch list file with `parse_watchlist`; errors name the file.

    >>> import tempfile, pathlib
    >>> from biopipe.review import read_watchlist
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = pathlib.Path(tmp, "watch.json").write_text('{"sponsors": ["Junshi"]}')
    ...     read_watchlist(pathlib.Path(tmp, "watch.json")).sponsors
    ('Junshi',)
    """
    from ..document._jsonio import read_bounded

    return parse_watchlist(read_bounded(path, max_bytes), subject=str(path))


class Expected(Protocol):
    """An expected event as a catalyst source gives it: its asset's code, its date range and whether it is overdue.

    Any object with these attributes will do (``str(item)`` names it); `watch`
    takes a function returning them as ``due=``.

    >>> import datetime as dt
    >>> from biopipe.review import DueEvent, Expected
    >>> item: Expected = DueEvent(asset="X1", what="readout", earliest=dt.date(2026, 1, 1),
    ...                           latest=dt.date(2026, 6, 30))
    >>> item.overdue
    False
    """

    @property
    def asset(self) -> str: ...
    @property
    def earliest(self) -> dt.date: ...
    @property
    def latest(self) -> dt.date: ...
    @property
    def overdue(self) -> bool: ...


#: How far back `catalysts_due` looks for expected events whose whole range has passed (overdue ones).
DUE_LOOKBACK = dt.timedelta(days=2 * 366)


def catalysts_due(portfolio: Portfolio, day: dt.date) -> tuple[DueEvent, ...]:
    """The catalysts of *portfolio*'s assets whose range has opened by *day*: the watch's source of due events.

    `biopipe.review.catalysts` over the two years up to *day*, with *day* as
    the reference for ``overdue``; registry trials not linked to an asset are
    left out (a watch list names assets). ``biopipe watch`` uses it.

    >>> import datetime as dt, biopipe
    >>> iza = biopipe.Portfolio(assets=(biopipe.example("izalontamab_brengitecan"),))
    >>> [str(d) for d in catalysts_due(iza, dt.date(2026, 6, 1))]
    ['* due BL-B01D1 NMPA decision on CN NDA nasopharyngeal carcinoma 2026-05-13..2026-07-09']
    """
    found = catalysts(portfolio, day - DUE_LOOKBACK, day, as_of=day)
    return tuple(
        DueEvent(asset=c.asset, what=c.what, earliest=c.earliest, latest=c.latest, overdue=c.overdue)
        for c in found.catalysts
        if c.asset is not None
    )


#: A source of expected events: the (watched part of the) new snapshot and the day to answer for.
DueSource = Callable[[Portfolio, dt.date], Iterable[Expected]]


@attrs.frozen(kw_only=True)
class DueEvent:
    """An expected event of a watched asset that is due (its range has opened) or overdue (it has passed).

    ``new`` is True when the old snapshot did not have it due or overdue on the
    same day (the event, or its range, is new).

    >>> import datetime as dt
    >>> from biopipe.review import DueEvent
    >>> print(DueEvent(asset="X1", what="FDA BLA goal date", earliest=dt.date(2026, 3, 1),
    ...                latest=dt.date(2026, 3, 1), overdue=True, new=True))
    ! overdue X1 FDA BLA goal date 2026-03-01 (new)
    """

    asset: str
    what: str
    earliest: dt.date
    latest: dt.date
    overdue: bool = False
    new: bool = False

    @property
    def range(self) -> str:
        """``2026-03-01`` for one day, else ``earliest..latest``."""
        return str(self.earliest) if self.earliest == self.latest else f"{self.earliest}..{self.latest}"

    def __str__(self) -> str:
        state = "! overdue" if self.overdue else "* due"
        return f"{state} {self.asset} {self.what} {self.range}" + (" (new)" if self.new else "")


@attrs.frozen(kw_only=True)
class Watched:
    """A watched asset found in either snapshot, and the watch-list entries that matched it.

    >>> from biopipe.review import Watched
    >>> str(Watched(asset="JS212", because=("target HER3",)))
    'JS212 (target HER3)'
    """

    asset: str
    because: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.asset} ({'; '.join(self.because)})"


@attrs.frozen
class WatchReport(Result):
    """What `watch` found: the watched assets, their changes, the due or overdue events, the entries matching nothing.

    True when there is something to report (a change or a due event).
    ``as_of`` is the day expected events were checked for, None when no
    source of them was given.

    >>> import attrs, biopipe
    >>> from biopipe.review import WatchList, watch
    >>> old = biopipe.example("js212")
    >>> report = watch(WatchList(targets=("HER3",)), old, attrs.evolve(old, sponsor="Shanghai Junshi"))
    >>> print(report.render("text"), end="")
    watching: JS212 (target HER3)
    ~ assets[JS212].sponsor: 'Junshi Biosciences' -> 'Shanghai Junshi'
    expected events: not checked
    """

    document_name: ClassVar[str] = "watch"

    watched: tuple[Watched, ...]
    changes: tuple[Change, ...]
    due: tuple[DueEvent, ...] = ()
    as_of: dt.date | None = None
    unmatched: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.changes or self.due)

    def _text(self) -> str:
        lines = ["watching: " + (", ".join(display_text(str(w)) for w in self.watched) or "nothing found")]
        lines += [display_text(str(c)) for c in self.changes] or ["no changes"]
        if self.as_of is None:
            lines.append("expected events: not checked")
        else:
            lines += [display_text(str(d)) for d in self.due] or [f"nothing due or overdue on {self.as_of}"]
        if self.unmatched:
            lines.append("matched no asset: " + ", ".join(display_text(u) for u in self.unmatched))
        return "\n".join(lines)

    def _markdown(self) -> str:
        lines = ["| watched | kind | path or event | old or range | new |", "| --- | --- | --- | --- | --- |"]
        for c in self.changes:
            old = _brief(c.old) if c.kind is not ChangeKind.ADDED else ""
            new = _brief(c.new) if c.kind is not ChangeKind.REMOVED else ""
            asset = c.path.split("]", 1)[0].removeprefix("assets[")
            lines.append(
                f"| {markdown_cell(asset)} | {c.kind.code} | {markdown_cell(c.path)} "
                f"| {markdown_cell(old)} | {markdown_cell(new)} |"
            )
        for d in self.due:
            kind = "overdue" if d.overdue else "due"
            lines.append(
                f"| {markdown_cell(d.asset)} | {kind}{' (new)' if d.new else ''} | {markdown_cell(d.what)} "
                f"| {d.range} | |"
            )
        return "\n".join(lines)


def watch(
    watchlist: WatchList,
    old: Asset | Portfolio,
    new: Asset | Portfolio,
    *,
    as_of: dt.date | str | None = None,
    due: DueSource | None = None,
) -> WatchReport:
    """The changes from *old* to *new* for the watched assets, and their due or overdue expected events.

    An asset is watched when the list matches it in either snapshot (a target
    added in *new* makes it watched; so does one removed). Its changes are
    `diff`'s, with the same paths. Entries that match no asset in either
    snapshot are listed in ``unmatched``, not dropped.

    *due* is where expected events come from: a function of a portfolio (the
    watched assets of a snapshot) and a day, returning items with ``asset``,
    ``earliest``, ``latest`` and ``overdue`` (see `Expected`; ``str(item)``
    names it). Reported are the items of *new* that are overdue or whose range
    has opened by *as_of* (default: today), each marked ``new`` unless *old*
    had it due or overdue too. Without *due*, no expected events are checked.

    >>> import datetime as dt, biopipe
    >>> from biopipe.review import DueEvent, WatchList, watch
    >>> js212 = biopipe.example("js212")
    >>> def readouts(portfolio, day):
    ...     return [DueEvent(asset=a.code, what="readout", earliest=dt.date(2026, 1, 1),
    ...                      latest=dt.date(2026, 6, 30), overdue=day > dt.date(2026, 6, 30)) for a in portfolio]
    >>> report = watch(WatchList(assets=("JS212",)), js212, js212, as_of="2026-07-01", due=readouts)
    >>> bool(report), [str(d) for d in report.due]
    (True, ['! overdue JS212 readout 2026-01-01..2026-06-30'])
    """
    old_assets, new_assets = as_assets(old), as_assets(new)
    because: dict[str, list[str]] = {}
    for asset in (*old_assets, *new_assets):
        found_here = watchlist.reasons(asset)
        if found_here:
            reasons = because.setdefault(asset.code, [])
            reasons.extend(r for r in found_here if r not in reasons)
    matched = {r for rs in because.values() for r in rs}
    entries = [
        *(f"asset {a}" for a in watchlist.assets),
        *(f"target {t}" for t in watchlist.targets),
        *(f"sponsor {s}" for s in watchlist.sponsors),
    ]
    old_watched = Portfolio(assets=tuple(a for a in old_assets if a.code in because))
    new_watched = Portfolio(assets=tuple(a for a in new_assets if a.code in because))
    changes = diff(old_watched, new_watched).changes
    day = None if due is None else (dt.date.today() if as_of is None else as_day(as_of))
    found: tuple[DueEvent, ...] = ()
    if due is not None and day is not None:
        before = {_due_key(d) for d in _due(due, old_watched, day)}
        found = tuple(attrs.evolve(d, new=_due_key(d) not in before) for d in _due(due, new_watched, day))
    return WatchReport(
        tuple(Watched(asset=code, because=tuple(rs)) for code, rs in because.items()),
        changes,
        found,
        day,
        tuple(e for e in entries if e not in matched),
    )


def _due(source: DueSource, portfolio: Portfolio, day: dt.date) -> list[DueEvent]:
    """The items of *source* that are overdue or whose range has opened by *day*."""
    out = []
    for item in source(portfolio, day):
        if item.overdue or item.earliest <= day:
            what = item.what if isinstance(item, DueEvent) else str(item)
            out.append(
                DueEvent(asset=item.asset, what=what, earliest=item.earliest, latest=item.latest, overdue=item.overdue)
            )
    return out


def _due_key(item: DueEvent) -> tuple[str, str, dt.date, dt.date, bool]:
    return (item.asset, item.what, item.earliest, item.latest, item.overdue)
