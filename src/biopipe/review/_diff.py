"""What changed between two snapshots of a record: added, removed and changed facts, matched by identity."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from ..document._results import Result, display_text, markdown_cell
from ..model._application import Application
from ..model._asset import Asset, Portfolio, RegulatoryEvent
from ..model._dates import FactDate, PartialDate
from ..model._ids import RegistryId
from ..model._parties import Deal, Money, Party, Territory
from ..model._trial import Endpoint, Trial
from ..model._vocab import Vocabulary
from ..query._arguments import as_assets

if TYPE_CHECKING:
    from ..model._source import Source

__all__ = ["Change", "ChangeKind", "Diff", "diff"]


class ChangeKind(Vocabulary):
    """Whether a fact was added, removed or changed between two snapshots.

    >>> from biopipe.review import ChangeKind
    >>> ChangeKind.CHANGED.symbol
    '~'
    """

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"

    @property
    def symbol(self) -> str:
        """``+``, ``-`` or ``~``, as the text rendering prefixes each change."""
        return {"added": "+", "removed": "-", "changed": "~"}[self.value]


@attrs.frozen(kw_only=True)
class Change:
    """One difference: its kind, the identity path of the fact, and the old and new values.

    The path names facts by identity, not position: ``assets[JS212]``,
    ``events[nmpa ind_cleared scope='...']``, ``trials[NCT05288205]``; a
    repeated identity gets ``#2``, ``#3``. ``old`` is None for an addition and
    ``new`` None for a removal.

    >>> from biopipe.review import Change, ChangeKind
    >>> c = Change(kind=ChangeKind.CHANGED, path="assets[JS212].sponsor", old="Junshi", new="Junshi Biosciences")
    >>> str(c)
    "~ assets[JS212].sponsor: 'Junshi' -> 'Junshi Biosciences'"
    """

    kind: ChangeKind
    path: str
    old: object = None
    new: object = None

    def __str__(self) -> str:
        if self.kind is ChangeKind.ADDED:
            return f"+ {self.path}: {_brief(self.new)}"
        if self.kind is ChangeKind.REMOVED:
            return f"- {self.path}: {_brief(self.old)}"
        return f"~ {self.path}: {_brief(self.old)} -> {_brief(self.new)}"


@attrs.frozen
class Diff(Result):
    """The changes between two snapshots, in a stable order; empty when nothing differs.

    >>> import attrs, biopipe
    >>> old = biopipe.example("js212")
    >>> biopipe.review.diff(old, old).changes
    ()
    >>> new = attrs.evolve(old, sponsor="Shanghai Junshi Biosciences")
    >>> print(biopipe.review.diff(old, new).render("text"), end="")
    ~ assets[JS212].sponsor: 'Junshi Biosciences' -> 'Shanghai Junshi Biosciences'
    """

    document_name: ClassVar[str] = "diff"

    changes: tuple[Change, ...]

    def __len__(self) -> int:
        return len(self.changes)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def _text(self) -> str:
        return "\n".join(display_text(str(c)) for c in self.changes) if self.changes else "no changes"

    def _markdown(self) -> str:
        lines = ["| change | path | old | new |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {c.kind.code} | {markdown_cell(c.path)} "
            f"| {markdown_cell(_brief(c.old) if c.kind is not ChangeKind.ADDED else '')} "
            f"| {markdown_cell(_brief(c.new) if c.kind is not ChangeKind.REMOVED else '')} |"
            for c in self.changes
        ]
        return "\n".join(lines)


# -- identity of facts ------------------------------------------------------------------------------

_Key = Callable[[Any], str]


def _event_key(e: RegulatoryEvent) -> str:
    parts = [e.agency.code, e.kind.code]
    if e.designation is not None:
        parts.append(e.designation.code)
    if e.scope is not None:
        parts.append(f"scope={e.scope!r}")
    if e.indication is not None:
        parts.append(f"indication={e.indication!r}")
    return " ".join(parts)


def _party_key(p: Party) -> str:
    return f"{p.name} {p.role.code}"


def _party_name(p: Party) -> str:
    return p.name


def _deal_parties(d: Deal) -> str:
    return " + ".join(sorted(d.parties))


def _deal_key(d: Deal) -> str:
    return f"{d.kind.code} {d.date} {_deal_parties(d)}"


def _deal_kind_parties(d: Deal) -> str:
    return f"{d.kind.code} {_deal_parties(d)}"


def _endpoint_key(e: Endpoint) -> str:
    return f"{e.kind.code} {e.description!r}"


def _source_title(s: Source) -> str:
    return s.title


def _source_url(s: Source) -> str:
    return s.url or ""


#: For each (class, field) holding a tuple of facts: the identity keys, tried in order, to match old to new.
_KEYED: dict[tuple[type, str], tuple[_Key, ...]] = {
    (Portfolio, "assets"): (lambda a: a.code,),
    # Registry trials not linked to an asset: matched as an asset's trials are (a Portfolio keeps their keys distinct).
    (Portfolio, "trials"): (lambda t: t.key, lambda t: t.title),
    (Asset, "aliases"): (lambda a: a.name,),
    (Asset, "targets"): (lambda t: t.symbol,),
    (Asset, "indications"): (lambda i: i.name,),
    (Asset, "events"): (_event_key,),
    # A trial keeps its identity when it gains a registry id (its key changes) or is retitled.
    (Asset, "trials"): (lambda t: t.key, lambda t: t.title),
    (Asset, "applications"): (lambda a: a.id,),
    # A party keeps its identity when its role changes; a deal when it is redated.
    (Asset, "parties"): (_party_key, _party_name),
    (Asset, "deals"): (_deal_key, _deal_kind_parties),
    (Asset, "sources"): (_source_title, _source_url),
    (Application, "sources"): (_source_title, _source_url),
    (Party, "sources"): (_source_title, _source_url),
    (Deal, "sources"): (_source_title, _source_url),
    (RegulatoryEvent, "sources"): (_source_title, _source_url),
    (Trial, "sources"): (_source_title, _source_url),
    (Trial, "ids"): (str,),
    (Trial, "endpoints"): (_endpoint_key,),
    (Trial, "arms"): (lambda a: a.label,),
    (Trial, "interventions"): (lambda i: i.name,),
    (Trial, "collaborators"): (lambda o: o.name,),
    (Trial, "source_terms"): (lambda s: s.field,),
}
# Compared as whole values: a changed date is one change, not a change of its year and month; a territory
# or an amount likewise.
_ATOMS = (FactDate, PartialDate, RegistryId, Territory, Money)


def _labels(keys: Sequence[str]) -> list[str]:
    """Each item's identity label: its key, with ``#2``, ``#3`` for the second and third item of one key."""
    counts: dict[str, int] = {}
    labels = []
    for k in keys:
        n = counts[k] = counts.get(k, 0) + 1
        labels.append(k if n == 1 else f"{k}#{n}")
    return labels


def _match(
    old: Sequence[Any], new: Sequence[Any], keys: tuple[_Key, ...], first_old: list[str], first_new: list[str]
) -> tuple[list[int], list[bool]]:
    """Pair new indexes with old ones: by each key in turn, equal facts first, then in record order.

    Returns, per new index, its old partner (-1 for none) and whether the two are equal.
    *first_old* and *first_new* are the items' keys under ``keys[0]``.

    Each pass indexes the free old items by key (a dict of positions, so n facts
    cost O(n) look-ups, not O(n^2) list removals). Among facts sharing one key,
    the equal-first pass scans the free candidates in record order.
    """
    partner = [-1] * len(new)
    equal = [False] * len(new)
    taken = [False] * len(old)
    for n, key in enumerate(keys):
        free_old = [i for i in range(len(old)) if not taken[i]]
        free_new = [j for j in range(len(new)) if partner[j] < 0]
        if not free_old or not free_new:
            break
        if n == 0:
            key_old, key_new = first_old, first_new
        else:
            key_old, key_new = [""] * len(old), [""] * len(new)
            for i in free_old:
                key_old[i] = key(old[i])
            for j in free_new:
                key_new[j] = key(new[j])
        for exact in (True, False):
            # Candidates per key, in reverse record order: the first free one is at the end.
            by_key: dict[str, list[int]] = {}
            for i in reversed(free_old):
                if not taken[i]:
                    by_key.setdefault(key_old[i], []).append(i)
            for j in free_new:
                if partner[j] >= 0:
                    continue
                candidates = by_key.get(key_new[j])
                if not candidates:
                    continue
                if exact:
                    item = new[j]
                    for pos in range(len(candidates) - 1, -1, -1):
                        other = old[candidates[pos]]
                        if other is item or other == item:
                            break
                    else:
                        continue
                    i = candidates.pop(pos)
                    equal[j] = True
                else:
                    # Equal facts were all paired by the exact pass: whatever pairs now differs.
                    i = candidates.pop()
                partner[j] = i
                taken[i] = True
    return partner, equal


def _diff_tuple(old: Sequence[Any], new: Sequence[Any], keys: tuple[_Key, ...], path: str, out: list[Change]) -> None:
    key = keys[0]
    first_old, first_new = [key(item) for item in old], [key(item) for item in new]
    partner, equal = _match(old, new, keys, first_old, first_new)
    paired = set(partner)
    old_labels = _labels(first_old)
    for i, item in enumerate(old):
        if i not in paired:
            out.append(Change(kind=ChangeKind.REMOVED, path=f"{path}[{old_labels[i]}]", old=item))
    new_labels = _labels(first_new)
    for j, item in enumerate(new):
        i = partner[j]
        if i < 0:
            out.append(Change(kind=ChangeKind.ADDED, path=f"{path}[{new_labels[j]}]", new=item))
        elif not equal[j]:
            _diff_value(old[i], item, f"{path}[{new_labels[j]}]", out)


def _diff_value(old: Any, new: Any, path: str, out: list[Change]) -> None:
    """The changes from *old* to *new*; callers skip values they know to be equal (each pair is compared once)."""
    cls = type(old)
    if type(new) is cls and attrs.has(cls) and not isinstance(old, _ATOMS):
        for field in attrs.fields(cls):
            a, b = getattr(old, field.name), getattr(new, field.name)
            if a is b or a == b:
                continue
            where = f"{path}.{field.name}"
            keys = _KEYED.get((cls, field.name))
            if keys is not None:
                _diff_tuple(a, b, keys, where, out)
            else:
                _diff_value(a, b, where, out)
    elif old is not new and old != new:
        out.append(Change(kind=ChangeKind.CHANGED, path=path, old=old, new=new))


def diff(old: Asset | Portfolio, new: Asset | Portfolio) -> Diff:
    """The changes from *old* to *new* (two snapshots of an asset or portfolio).

    Facts are matched by identity, so an edit shows as one ``changed`` entry
    on the field, not as a removal and an addition: assets by code; events by
    (agency, kind, designation, scope, indication); trials by `Trial.key`, else
    title; targets by symbol; endpoints by (kind, description); applications
    by id; parties by (name, role), else name; deals by (kind, date, parties),
    else (kind, parties), labelled ``license 2023-12-01 A + B`` with the
    parties sorted; sources by title, else url; and so on. Changing an
    identity field (an event's scope, an asset's code, an application's id) is
    a removal plus an addition. Changes come in record order (removals of a
    collection before its additions and edits); a reordering alone is no
    change. Dates, territories and amounts are compared whole: a moved date or
    a territory that gains a country is one change.

    A portfolio's root trials (registry trials linked to no asset) come after
    its assets, matched like an asset's trials, under ``trials[KEY]`` (an
    asset compared with a portfolio has none):

    >>> import attrs, biopipe
    >>> from biopipe import TrialStatus
    >>> registry = biopipe.example("js212").trials
    >>> old = biopipe.Portfolio(trials=registry[:1])
    >>> new = biopipe.Portfolio(trials=(attrs.evolve(registry[0], status=TrialStatus.COMPLETED), registry[1]))
    >>> for change in biopipe.review.diff(old, new):
    ...     print(change.kind.code, change.path)
    changed trials[Phase 1/2 study of JS212 in patients with advanced solid tumors].status
    added trials[Multi-cohort combination therapy studies of JS212]

    One press-release fact is one change: an event's ``application``,
    ``review``, ``pathway``, ``goal_date``, ``by`` and ``disclosed`` are
    fields of that one event, so a BLA accepted with priority review is one
    added event, and learning that an acceptance was a priority review is one
    change, of that event's ``review``:

    >>> import attrs, biopipe
    >>> from biopipe import Agency, EventKind, FactDate, ReviewType
    >>> accepted = biopipe.RegulatoryEvent(agency=Agency.FDA, kind=EventKind.MARKETING_ACCEPTED,
    ...                                    date=FactDate.parse("2023-12-21"))
    >>> old = biopipe.Asset(code="X1", sponsor="Acme", modality=biopipe.Modality.PEPTIDE, events=(accepted,))
    >>> priority = attrs.evolve(old, events=(attrs.evolve(accepted, review=ReviewType.PRIORITY),))
    >>> print(biopipe.review.diff(old, priority).render(), end="")
    ~ assets[X1].events[fda marketing_accepted].review: (none) -> priority

    >>> import attrs, biopipe
    >>> from biopipe import FactDate, PartialDate
    >>> old = biopipe.example("js212")
    >>> events = list(old.events)
    >>> events[2] = attrs.evolve(events[2], date=FactDate(PartialDate(2025, 11, 18)))
    >>> new = attrs.evolve(old, events=tuple(events), trials=old.trials[:1])
    >>> for change in biopipe.review.diff(old, new):
    ...     print(change.kind.code, change.path)
    changed assets[JS212].events[nmpa ind_cleared scope='multi-cohort combination therapy studies'].date
    removed assets[JS212].trials[Multi-cohort combination therapy studies of JS212]
    """
    # Snapshots are matched by asset code: a Portfolio guarantees the codes are distinct.
    portfolios = [s if isinstance(s, Portfolio) else Portfolio(assets=as_assets(s)) for s in (old, new)]
    out: list[Change] = []
    _diff_tuple(portfolios[0].assets, portfolios[1].assets, _KEYED[(Portfolio, "assets")], "assets", out)
    # Then the root trials (registry trials linked to no asset); an asset has none.
    _diff_tuple(portfolios[0].trials, portfolios[1].trials, _KEYED[(Portfolio, "trials")], "trials", out)
    return Diff(tuple(out))


def _plain(value: object) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    from ..document._convert import converter  # imported on first use: cattrs is not needed by `import biopipe`

    return converter.unstructure(value)


def _brief(value: object, limit: int = 100) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, FactDate | PartialDate | RegistryId | Territory | Money | Vocabulary):
        return str(value) if not isinstance(value, Vocabulary) else value.code
    plain = _plain(value)
    text = json.dumps(plain, ensure_ascii=False) if not isinstance(plain, str) else repr(plain)
    return text if len(text) <= limit else text[: limit - 3] + "..."
