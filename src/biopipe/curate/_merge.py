"""Merging two documents: facts about the same asset, trial or event combine; conflicts are kept and reported."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import attrs

from ..document._results import Result, markdown_cell
from ..model._asset import Asset, Portfolio
from ..model._dates import FactDate, PartialDate
from ..model._errors import ValidationError
from ..model._ids import RegistryId
from ..model._parties import Money, Territory
from ..model._source import Source
from ..review._check import Finding, Findings, Severity
from ..review._diff import _KEYED, _brief

if TYPE_CHECKING:
    from ..model._trial import Trial

__all__ = ["Conflict", "MergeReport", "merge"]

# Compared as whole values, as the diff compares them: a date is one value, not a year and a month.
_ATOMS = (FactDate, PartialDate, RegistryId, Territory, Money)

_Sources = tuple[tuple[Source, ...], tuple[Source, ...]]
T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Conflict:
    """A fact that two documents give differently: its identity path, both values and both sides' sources.

    The path names facts by identity, as `biopipe.review.diff` does
    (``assets[JS212].events[fda ind_cleared].date``). The merged document
    holds ``a``, the first document's value; ``b`` is only here. The sources
    are those of the nearest fact that has sources (the event, trial or asset),
    as each document gives them. ``reason`` is set when the two versions of a
    fact could not be combined into a valid one at all (the merged document
    then holds the first document's version whole).

    >>> from biopipe import FactDate
    >>> from biopipe.curate import Conflict
    >>> print(Conflict(path="assets[JS212].events[nmpa ind_accepted].date",
    ...                a=FactDate.parse("2025-01"), b=FactDate.parse("2025-01-20")))
    assets[JS212].events[nmpa ind_accepted].date: 2025-01 (kept) vs 2025-01-20
    """

    path: str
    a: object
    b: object
    a_sources: tuple[Source, ...] = ()
    b_sources: tuple[Source, ...] = ()
    reason: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}: {_brief(self.a)} (kept) vs {_brief(self.b)}"
        return text if self.reason is None else f"{text}: {self.reason}"


def _cited(sources: tuple[Source, ...]) -> str:
    return "; ".join(s.title for s in sources) if sources else "(no sources)"


@attrs.frozen(kw_only=True)
class MergeReport(Result):
    """What `merge` did: the merged portfolio, and every conflict it kept (empty when the two agree).

    ``portfolio`` is not part of the report's JSON document (write it with `biopipe.dump`).

    >>> import attrs, biopipe
    >>> from biopipe.curate import merge
    >>> js212 = biopipe.example("js212")
    >>> report = merge(js212, attrs.evolve(js212, sponsor="Shanghai Junshi Biosciences"))
    >>> print(report.render(), end="")
    conflict assets[JS212].sponsor: 'Junshi Biosciences' (kept) vs 'Shanghai Junshi Biosciences'
      a: Junshi Biosciences' bispecific ADC JS212 gains U.S. FDA clearance for clinical trials
      b: Junshi Biosciences' bispecific ADC JS212 gains U.S. FDA clearance for clinical trials
    1 conflict
    >>> report.portfolio["JS212"].sponsor
    'Junshi Biosciences'
    """

    document_name: ClassVar[str] = "merge"

    portfolio: Portfolio = attrs.field(metadata={"document": False})
    conflicts: tuple[Conflict, ...]

    def __iter__(self) -> Iterator[Conflict]:
        return iter(self.conflicts)

    def __len__(self) -> int:
        return len(self.conflicts)

    @property
    def findings(self) -> Findings:
        """The conflicts as `biopipe.review.Findings`: one ``merge-conflict`` error each."""
        return Findings(
            tuple(
                Finding(code="merge-conflict", severity=Severity.ERROR, message=_message(c), path=c.path)
                for c in self.conflicts
            )
        )

    def _text(self) -> str:
        lines = []
        for c in self.conflicts:
            lines += [f"conflict {c}", f"  a: {_cited(c.a_sources)}", f"  b: {_cited(c.b_sources)}"]
        n = len(self.conflicts)
        lines.append("no conflicts" if n == 0 else f"{n} conflict{'s' if n != 1 else ''}")
        return "\n".join(lines)

    def _markdown(self) -> str:
        lines = ["| path | kept (a) | other (b) | a's sources | b's sources |", "| --- | --- | --- | --- | --- |"]
        lines += [
            f"| {markdown_cell(c.path)} | {markdown_cell(_brief(c.a))} | {markdown_cell(_brief(c.b))} "
            f"| {markdown_cell(_cited(c.a_sources))} | {markdown_cell(_cited(c.b_sources))} |"
            for c in self.conflicts
        ]
        return "\n".join(lines)


def _message(conflict: Conflict) -> str:
    text = f"the documents disagree: {_brief(conflict.a)} (kept) vs {_brief(conflict.b)}"
    return text if conflict.reason is None else f"{text}: {conflict.reason}"


# -- identity of facts ------------------------------------------------------------------------------

# One way of pairing facts: the identity tokens of a fact, and (optionally) whether two facts sharing a
# token may be paired. Facts pair when they share a token; the passes are tried in order.
_Tokens = Callable[[Any], Iterable[str]]
_Compatible = Callable[[Any, Any], bool]
_Pass = tuple[_Tokens, "_Compatible | None"]


def _trial_ids(trial: Trial) -> Iterable[str]:
    return [str(i) for i in trial.ids]


def _trial_title(trial: Trial) -> Iterable[str]:
    return (trial.title,)


def _one_without_ids(a: Trial, b: Trial) -> bool:
    return not a.ids or not b.ids


def _same_trial(a: Trial, b: Trial) -> bool:
    return bool(set(a.ids) & set(b.ids)) or (a.title == b.title and _one_without_ids(a, b))


class _Trials(Generic[T]):
    """Trials with a payload each, found by identity (a shared registry id, or a title where one has no id)."""

    def __init__(self, entries: Iterable[tuple[Trial, T]]) -> None:
        self.by_token: dict[str, list[tuple[Trial, T]]] = {}
        for trial, payload in entries:
            for token in (*(f"id {i}" for i in trial.ids), f"title {trial.title}"):
                self.by_token.setdefault(token, []).append((trial, payload))

    def find(self, trial: Trial) -> list[T]:
        found: list[T] = []
        for token in (*(f"id {i}" for i in trial.ids), f"title {trial.title}"):
            for other, payload in self.by_token.get(token, ()):
                if payload not in found and _same_trial(trial, other):
                    found.append(payload)
        return found


#: Trials are one trial when they share a registry id, or have one title and at least one has no id:
#: two trials registered under different ids are two trials, whatever their titles.
_TRIALS: tuple[_Pass, ...] = ((_trial_ids, None), (_trial_title, _one_without_ids))


def _passes(cls: type, field: str) -> tuple[tuple[_Pass, ...], Callable[[Any], str]] | None:
    """How the facts of ``cls.field`` pair, and the label of one in a path; None when they do not pair."""
    if field == "trials":
        return _TRIALS, lambda t: t.key
    if field == "sources":  # sources are united, not paired: equal ones are one source
        return None
    keys = _KEYED.get((cls, field))
    if keys is None:
        return None
    return tuple(((lambda x, k=k: (k(x),)), None) for k in keys), keys[0]


def _agrees(a: Any, b: Any) -> bool:
    """Whether two versions of a fact combine without a conflict in their own fields (lists always combine)."""
    if a is b or a == b or a is None or b is None or (isinstance(a, tuple) and isinstance(b, tuple)):
        return True
    if type(a) is type(b) and attrs.has(type(a)) and not isinstance(a, _ATOMS):
        return all(_agrees(getattr(a, f.name), getattr(b, f.name)) for f in attrs.fields(type(a)))
    return False


def _equal(a: Any, b: Any) -> bool:
    return a is b or a == b


def _any(a: Any, b: Any) -> bool:
    return True


def _pair(xs: Sequence[Any], ys: Sequence[Any], passes: tuple[_Pass, ...]) -> dict[int, int]:
    """Pair indexes of *xs* with those of *ys* by identity, in record order.

    Among facts of one identity, equal facts pair first, then facts that
    combine without a conflict, then the rest; each pass is tried in turn.
    """
    pairs: dict[int, int] = {}
    taken = [False] * len(ys)
    for preference in (_equal, _agrees, _any):
        for tokens, compatible in passes:
            index: dict[str, list[int]] = {}
            for j, y in enumerate(ys):
                if not taken[j]:
                    for token in tokens(y):
                        index.setdefault(token, []).append(j)
            for i, x in enumerate(xs):
                if i in pairs:
                    continue
                pick = next(
                    (
                        j
                        for token in tokens(x)
                        for j in index.get(token, ())
                        if not taken[j] and preference(x, ys[j]) and (compatible is None or compatible(x, ys[j]))
                    ),
                    None,
                )
                if pick is not None:
                    pairs[i] = pick
                    taken[pick] = True
    return pairs


def _labels(items: Sequence[Any], label: Callable[[Any], str]) -> list[str]:
    """Each fact's label in a path: its identity, with ``#2``, ``#3`` for repeats (as the diff writes them)."""
    counts: dict[str, int] = {}
    labels = []
    for item in items:
        key = label(item)
        n = counts[key] = counts.get(key, 0) + 1
        labels.append(key if n == 1 else f"{key}#{n}")
    return labels


# -- merging ----------------------------------------------------------------------------------------


class _Merger:
    def __init__(self) -> None:
        self.conflicts: list[Conflict] = []

    def value(self, a: Any, b: Any, path: str, sources: _Sources) -> Any:
        """One fact or field from both sides: equal, filled from the side that has it, combined, or a conflict."""
        if a is b or a == b or b is None:
            return a
        if a is None:
            return b
        if type(a) is type(b) and attrs.has(type(a)) and not isinstance(a, _ATOMS):
            return self.record(a, b, path, sources)
        if isinstance(a, tuple) and isinstance(b, tuple):
            return (*a, *(y for y in b if y not in a))
        self.conflicts.append(Conflict(path=path, a=a, b=b, a_sources=sources[0], b_sources=sources[1]))
        return a

    def record(self, a: Any, b: Any, path: str, sources: _Sources) -> Any:
        """Two versions of one record (an asset, trial, event ...), field by field, then validated as a whole."""
        cls = type(a)
        if "sources" in attrs.fields_dict(cls):
            sources = (a.sources, b.sources)
        fields: dict[str, Any] = {}
        for field in attrs.fields(cls):
            x, y = getattr(a, field.name), getattr(b, field.name)
            where = f"{path}.{field.name}" if path else field.name
            pairing = _passes(cls, field.name)
            if x is y or x == y:
                fields[field.name] = x
            elif pairing is not None:
                fields[field.name] = self.facts(x, y, *pairing, where, sources)
            else:
                fields[field.name] = self.value(x, y, where, sources)
        try:
            return cls(**fields)
        except ValidationError as e:
            reason = "they cannot be combined: " + "; ".join(str(p) for p in e.problems)
            self.conflicts.append(
                Conflict(path=path, a=a, b=b, a_sources=sources[0], b_sources=sources[1], reason=reason)
            )
            return a

    def facts(
        self,
        xs: tuple[Any, ...],
        ys: tuple[Any, ...],
        passes: tuple[_Pass, ...],
        label: Callable[[Any], str],
        path: str,
        sources: _Sources,
    ) -> tuple[Any, ...]:
        """Two lists of facts: paired facts combined in the first list's order, then the second's unpaired ones."""
        pairs = _pair(xs, ys, passes)
        labels = _labels(xs, label)
        merged = [x if i not in pairs else self.value(x, ys[pairs[i]], f"{path}[{labels[i]}]", sources)
                  for i, x in enumerate(xs)]  # fmt: skip
        paired = set(pairs.values())
        merged += [y for j, y in enumerate(ys) if j not in paired]
        return tuple(merged)

    def registry(self, merged: Portfolio, a: Portfolio, b: Portfolio) -> Portfolio:
        """*merged* with each registry trial that one document links to an asset combined into the linked trial.

        Only a trial that one document holds unlinked only and the other
        linked only is combined (a document holding one trial both ways is
        left as it is); the version of *a* comes first, as everywhere.
        """
        if not merged.trials:
            return merged
        held = {side: _Trials((t, True) for t in p.trials) for side, p in (("a", a), ("b", b))}
        linked = {side: _Trials((t, True) for asset in p for t in asset.trials) for side, p in (("a", a), ("b", b))}
        spots = _Trials((t, (i, j)) for i, asset in enumerate(merged.assets) for j, t in enumerate(asset.trials))
        assets = list(merged.assets)
        registry: list[Trial] = []
        for r in merged.trials:
            ways = {side: (bool(held[side].find(r)), bool(linked[side].find(r))) for side in ("a", "b")}
            a_only = ways["a"] == (True, False) and ways["b"] == (False, True)
            b_only = ways["b"] == (True, False) and ways["a"] == (False, True)
            found = spots.find(r)
            if not (a_only or b_only) or len(found) != 1:
                registry.append(r)
                continue
            [(i, j)] = found
            asset, t = assets[i], assets[i].trials[j]
            path = f"assets[{asset.code}].trials[{t.key}]"
            combined = self.value(r, t, path, ((), ())) if a_only else self.value(t, r, path, ((), ()))
            try:
                assets[i] = attrs.evolve(asset, trials=(*asset.trials[:j], combined, *asset.trials[j + 1 :]))
            except ValidationError as e:
                reason = "they cannot be combined: " + "; ".join(str(p) for p in e.problems)
                first, second = (r, t) if a_only else (t, r)
                self.conflicts.append(Conflict(path=path, a=first, b=second, reason=reason))
                registry.append(r)
        return attrs.evolve(merged, assets=tuple(assets), trials=tuple(registry))


def merge(a: Asset | Portfolio, b: Asset | Portfolio) -> MergeReport:
    """Merge two documents: their facts combined with their sources, and every conflict kept and reported.

    Facts are one fact when they have the same identity, as `biopipe.review.diff`
    matches them: assets by code; events by (agency, kind, designation, scope,
    indication); targets by symbol; endpoints by (kind, description);
    applications by id; parties by (name, role), else name; deals by (kind,
    date, parties), else (kind, parties); and so on. Trials are one trial
    when they share a registry id, or, when at least one of them has none, the
    same title. Two versions of one fact combine
    field by field:

    * a field that one side lacks (None, or an empty list) is filled from the
      other; lists of plain values and of sources are united, *a*'s first,
      equal items once;
    * facts are paired by identity and combined; facts of one side only are
      kept, *a*'s in their order, then *b*'s. Where one document repeats an
      identity, equal facts pair first, then facts that combine without a
      conflict, then the rest in record order;
    * a field that both sides set differently (an event's date, a trial's
      phase, an asset's sponsor) is a `Conflict`: the merged document keeps
      *a*'s value, and the report gives both values and both sides' sources.
      Nothing is settled silently: one application id with two agencies,
      kinds or numbers, one party with two territories or periods, one deal
      with two amounts are conflicts. Dates, territories and amounts are
      single values, never united (``US`` and ``US, CA`` is a conflict).

    Registry trials (``Portfolio.trials``) combine with registry trials.
    A trial that one document holds as a registry trial and the other links to
    an asset (see `link`) is one fact: it is combined into the linked trial and
    leaves the registry trials.

    ``merge(a, a)`` is *a* with no conflicts; without conflicts ``merge(a, b)``
    and ``merge(b, a)`` hold the same facts; merging a part of a document into
    it changes nothing.

    >>> import attrs, biopipe
    >>> from biopipe import FactDate, Source
    >>> from biopipe.curate import merge
    >>> js212 = biopipe.example("js212")
    >>> fda = js212.events[3]
    >>> later = attrs.evolve(fda, date=FactDate.parse("2025-12-12"),
    ...                      sources=(*fda.sources, Source(title="Junshi announcement")))
    >>> report = merge(js212, attrs.evolve(js212, events=(*js212.events[:3], later)))
    >>> [(c.path, str(c.a), str(c.b)) for c in report.conflicts]
    [("assets[JS212].events[fda ind_cleared indication='advanced solid tumors'].date",
      'on or before 2025-12-14', '2025-12-12')]
    >>> merged = report.portfolio["JS212"].events[3]
    >>> str(merged.date), [s.title for s in merged.sources][-1]
    ('on or before 2025-12-14', 'Junshi announcement')
    """
    first, second = (p if isinstance(p, Portfolio) else Portfolio(assets=(p,)) for p in (a, b))
    merger = _Merger()
    merged: Portfolio = merger.registry(merger.record(first, second, "", ((), ())), first, second)
    return MergeReport(portfolio=merged, conflicts=tuple(merger.conflicts))
