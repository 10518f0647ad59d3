"""Core subcommands: show, validate, schema; and the shared input/output helpers."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..document import display_text, dumps, example, example_names, json_schema, json_text, load, write_atomic
from ..model import BiopipeError, InvalidValue, Portfolio, ValidationError

if TYPE_CHECKING:
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
    add_max_bytes(parser)


def add_max_bytes(parser: argparse.ArgumentParser) -> None:
    """Add ``--max-bytes N``: the size bound for reading documents (see `biopipe.document.read_bounded`)."""
    parser.add_argument(
        "--max-bytes",
        type=_byte_count,
        metavar="N",
        help="refuse input files larger than N bytes (default: $BIOPIPE_MAX_BYTES, else 1 GiB)",
    )


def _byte_count(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"not a positive number of bytes: {text!r}")
    return int(text)


def option(name: str, parse: Callable[[str], T], value: str | None) -> T | None:
    """*value* checked by the library's *parse*; a bad value's error names the option it came from."""
    if value is None:
        return None
    try:
        return parse(value)
    except InvalidValue as e:
        raise BiopipeError(f"{name}: {e}") from None


def read_document(path: Path, max_bytes: int | None = None) -> Portfolio:
    """`load` *path*; a `ValidationError` names the file (with several inputs the document alone does not say)."""
    try:
        return load(path, max_bytes=max_bytes)
    except ValidationError as e:
        raise ValidationError(e.problems, subject=str(path)) from None


def read_inputs(args: argparse.Namespace) -> list[tuple[str, Portfolio]]:
    """Load every FILE and --example named on the command line, labelled for messages."""
    inputs: list[tuple[str, Portfolio]] = [(name, Portfolio(assets=(example(name),))) for name in args.example]
    inputs += [(str(path), read_document(path, getattr(args, "max_bytes", None))) for path in args.files]
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
    r"""Print *text* (no *output*, or ``-``), or write it atomically to *output*.

    A lone surrogate (from a record that holds one) cannot be written as UTF-8:
    it is written as its escape ``\udXXX``, which JSON reads back as the same
    character and text shows as it is.
    """
    if output is None or str(output) == "-":
        sys.stdout.write(text if text.isascii() else _encodable(text))
    else:
        write_atomic(output, text.encode("utf-8", "backslashreplace"))


def _encodable(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


#: Where each command reads and writes: the attributes of its parsed arguments.
_INPUTS = ("files", "old", "new", "into", "watchlist")
_OUTPUTS = ("output", "unmapped", "plot", "ndjson")
#: (output, input) pairs that may name the same file: ``import --into F -o F`` updates F in place.
_IN_PLACE = {("output", "into")}


def check_paths(args: argparse.Namespace) -> None:
    """Refuse, before anything is read or written, an output that is one of the inputs or another output.

    Files are compared as the system sees them (``os.path.samefile``: links
    and different spellings of one path are the same file); ``-`` (standard
    output) is never a clash. ``import --into F -o F`` is allowed: it updates F.
    """
    inputs: list[tuple[str, Path]] = []
    for name in _INPUTS:
        value = getattr(args, name, None)
        for path in value if isinstance(value, list) else [value]:
            if isinstance(path, Path):
                inputs.append((name, path))
    outputs = [(name, getattr(args, name)) for name in _OUTPUTS if isinstance(getattr(args, name, None), Path)]
    outputs = [(name, path) for name, path in outputs if str(path) != "-"]
    for i, (name, out) in enumerate(outputs):
        for source, path in inputs:
            if (name, source) not in _IN_PLACE and _same_file(out, path):
                raise BiopipeError(f"{_option(name)} {out} is the input {path}: it would be overwritten")
        for other, path in outputs[i + 1 :]:
            if _same_file(out, path):
                raise BiopipeError(f"{_option(name)} and {_option(other)} name the same file {out}")


def _option(name: str) -> str:
    return "-o" if name == "output" else f"--{name}"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist (yet): the same path once links are followed
        return os.path.realpath(a) == os.path.realpath(b)


def _show(args: argparse.Namespace) -> int:
    lines: list[str] = []
    portfolio = read_portfolio(args)
    for asset in portfolio.assets:
        targets = ", ".join(t.symbol + (f" ({'/'.join(t.aliases)})" if t.aliases else "") for t in asset.targets)
        lines.append(f"{asset.code} - {asset.sponsor}")
        lines.append(f"  modality:    {asset.modality.code}")
        if targets:
            lines.append(f"  targets:     {targets}")
        lines += [f"  indication:  {ind.name} [{ind.role.code}]" for ind in asset.indications]
        for application in asset.applications:
            number = f", number {application.number}" if application.number is not None else ""
            kind, agency = application.kind.code, application.agency.abbreviation
            lines.append(f"  application: {application.id} [{kind}, {agency}{number}]")
        for party in asset.parties:
            # Semicolons between the fields: a territory lists its countries with commas.
            start = f"; from {party.start}" if party.start is not None else ""
            lines.append(f"  party:       {party.name} [{party.role.code}; {party.territory}{start}]")
        for deal in asset.deals:
            amounts = [
                f"{label} {money}"
                for label, money in (("upfront", deal.upfront), ("total", deal.total))
                if money is not None
            ]
            terms = f" ({', '.join(amounts)})" if amounts else ""
            lines.append(f"  deal:        {deal.date}  {deal.kind.code}  {' + '.join(deal.parties)}{terms}")
        for event in asset.events:
            scope = f" - {event.scope}" if event.scope else ""
            lines.append(f"  event:       {event.date}  {event.agency.abbreviation} {event.kind.label}{scope}")
        lines += [f"  trial:       {_trial_line(trial)}" for trial in asset.trials]
    if portfolio.trials:
        lines.append(f"registry trials (linked to no asset): {len(portfolio.trials)}")
        for trial in portfolio.trials:
            sponsor = trial.sponsor.name if trial.sponsor is not None else "sponsor not given"
            lines.append(f"  trial:       {_trial_line(trial)} - {sponsor}")
    # Each line is one line: text from the record (a scope, a title) cannot break it or move the cursor.
    write_output("".join(display_text(line) + "\n" for line in lines), None)
    return 0


def _trial_line(trial: Trial) -> str:
    phase = trial.phase.label if trial.phase else "phase not given"
    return f"{trial.title} [{phase}, {trial.status.code}]"


def _validate(args: argparse.Namespace) -> int:
    failed = False
    labels = [(n, None) for n in args.example] + [(str(p), p) for p in args.files]
    if not labels:
        raise BiopipeError("no input: give FILE arguments or --example NAME")
    for label, path in labels:
        try:
            portfolio = (
                load(path, max_bytes=args.max_bytes) if path is not None else Portfolio(assets=(example(label),))
            )
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


def _migrate(args: argparse.Namespace) -> int:
    # Reading accepts every version (biopipe.document.migrate says what changes); writing is the current one.
    write_output(dumps(read_portfolio(args)), args.output)
    return 0


def _schema(args: argparse.Namespace) -> int:
    write_output(json_text(json_schema()), args.output)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register show, validate, migrate and schema."""
    show = sub.add_parser("show", help="summarise the assets and registry trials in records")
    add_input_arguments(show)
    show.set_defaults(handler=_show)

    validate = sub.add_parser("validate", help="check records; exit 2 and list every problem if invalid")
    add_input_arguments(validate)
    validate.set_defaults(handler=_validate)

    migrate = sub.add_parser("migrate", help="rewrite records (format version 1 or 2) as the current version")
    add_input_arguments(migrate)
    migrate.add_argument("-o", "--output", type=Path, help="write to this file (atomically); default: standard output")
    migrate.set_defaults(handler=_migrate)

    schema = sub.add_parser("schema", help="print the JSON Schema of the biopipe format")
    schema.add_argument("-o", "--output", type=Path, help="write to this file (atomically)")
    schema.set_defaults(handler=_schema)
