"""Core subcommands: show, validate, schema; and the shared input/output helpers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..document import example, example_names, json_schema, json_text, load, write_atomic
from ..model import BiopipeError, InvalidValue, Portfolio, ValidationError

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from ..model import Asset, Trial


T = TypeVar("T")


def add_input_arguments(parser: argparse.ArgumentParser, *, nargs: str = "*") -> None:
    """Add ``FILE...`` and ``--example NAME`` to a subcommand."""
    parser.add_argument("files", nargs=nargs, metavar="FILE", type=Path, help="biopipe JSON document(s)")
    parser.add_argument(
        "--example",
        action="append",
        default=[],
        choices=example_names(),
        help="use a bundled example record (repeatable)",
    )


def option(name: str, parse: Callable[[str], T], value: str | None) -> T | None:
    """*value* checked by the library's *parse*; a bad value's error names the option it came from."""
    if value is None:
        return None
    try:
        return parse(value)
    except InvalidValue as e:
        raise BiopipeError(f"{name}: {e}") from None


def read_document(path: Path) -> Portfolio:
    """`load` *path*; a `ValidationError` names the file (with several inputs the document alone does not say)."""
    try:
        return load(path)
    except ValidationError as e:
        raise ValidationError(e.problems, subject=str(path)) from None


def read_inputs(args: argparse.Namespace) -> list[tuple[str, Portfolio]]:
    """Load every FILE and --example named on the command line, labelled for messages."""
    inputs: list[tuple[str, Portfolio]] = [(name, Portfolio(assets=(example(name),))) for name in args.example]
    inputs += [(str(path), read_document(path)) for path in args.files]
    if not inputs:
        raise BiopipeError("no input: give FILE arguments or --example NAME")
    return inputs


def read_portfolio(args: argparse.Namespace) -> Portfolio:
    """All inputs merged into one portfolio (asset codes and root trial keys must stay distinct)."""
    assets: list[Asset] = []
    trials: list[Trial] = []
    for _, portfolio in read_inputs(args):
        assets.extend(portfolio.assets)
        trials.extend(portfolio.trials)
    return Portfolio(assets=tuple(assets), trials=tuple(trials))


def write_output(text: str, output: Path | None) -> None:
    """Print *text*, or write it atomically to *output*."""
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text.encode("utf-8"))


def _show(args: argparse.Namespace) -> int:
    for asset in read_portfolio(args).assets:
        targets = ", ".join(t.symbol + (f" ({'/'.join(t.aliases)})" if t.aliases else "") for t in asset.targets)
        print(f"{asset.code} - {asset.sponsor}")
        print(f"  modality:    {asset.modality.code}")
        if targets:
            print(f"  targets:     {targets}")
        for ind in asset.indications:
            print(f"  indication:  {ind.name} [{ind.role.code}]")
        for event in asset.events:
            scope = f" - {event.scope}" if event.scope else ""
            print(f"  event:       {event.date}  {event.agency.abbreviation} {event.kind.label}{scope}")
        for trial in asset.trials:
            phase = trial.phase.label if trial.phase else "phase not given"
            print(f"  trial:       {trial.title} [{phase}, {trial.status.code}]")
    return 0


def _validate(args: argparse.Namespace) -> int:
    failed = False
    labels = [(n, None) for n in args.example] + [(str(p), p) for p in args.files]
    if not labels:
        raise BiopipeError("no input: give FILE arguments or --example NAME")
    for label, path in labels:
        try:
            portfolio = load(path) if path is not None else Portfolio(assets=(example(label),))
        except ValidationError as e:
            failed = True
            print(f"{label}: invalid ({len(e.problems)} problem(s))", file=sys.stderr)
            for problem in e.problems:
                print(f"  {problem}", file=sys.stderr)
            continue
        except BiopipeError as e:
            failed = True
            print(f"{label}: invalid ({e})", file=sys.stderr)
            continue
        n = len(portfolio)
        registry = f", {len(portfolio.trials)} registry trial{'s' if len(portfolio.trials) != 1 else ''}"
        print(f"{label}: valid ({n} asset{'s' if n != 1 else ''}{registry if portfolio.trials else ''})")
    return 2 if failed else 0


def _schema(args: argparse.Namespace) -> int:
    write_output(json_text(json_schema()), args.output)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register show, validate and schema."""
    show = sub.add_parser("show", help="summarise the assets in records")
    add_input_arguments(show)
    show.set_defaults(handler=_show)

    validate = sub.add_parser("validate", help="check records; exit 2 and list every problem if invalid")
    add_input_arguments(validate)
    validate.set_defaults(handler=_validate)

    schema = sub.add_parser("schema", help="print the JSON Schema of the biopipe format")
    schema.add_argument("-o", "--output", type=Path, help="write to this file (atomically)")
    schema.set_defaults(handler=_schema)
