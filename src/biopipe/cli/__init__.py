"""The ``biopipe`` command line: a thin shell over the public API.

Each subcommand lives in its own module with a ``register(subparsers)`` function.
Exit codes: 0 success, 1 a check found errors, 2 bad input or usage. Bad input
never prints a traceback.

>>> from biopipe.cli import main
>>> main(["validate", "--example", "js212"])
js212: valid (1 asset)
0
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..model import BiopipeError
from . import _catalysts, _checks, _core, _curate, _export, _import, _query, _watch

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]

#: Modules that contribute subcommands, in the order ``--help`` lists them.
_COMMANDS = (_core, _query, _checks, _catalysts, _watch, _import, _curate, _export)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="biopipe",
        description="Drug-development pipeline intelligence: validate, query and convert biopipe records.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with *argv* (default: ``sys.argv[1:]``) and return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    try:
        _core.check_paths(args)
        code: int = args.handler(args)
    except BiopipeError as e:
        print(f"biopipe: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"biopipe: error: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code
