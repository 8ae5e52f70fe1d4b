"""The command line for advisors and scripts (DESIGN.md section 6).

Exit status 0 on success, 2 on bad input with one line on stderr naming the file and
the field or row (no traceback, nothing on stdout).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from calculator.cli import batch, compare, scenarios, simulate, timeline
from calculator.cli.export import add_export as _add_export
from calculator.model.data import load_data
from calculator.model.errors import InputError
from calculator.model.formatting import one_line

COMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    compare.add_parser,
    timeline.add_parser,
    scenarios.add_parser,
    simulate.add_parser,
    _add_export,
    batch.add_parser,
)


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad option is one line on stderr (no usage block), control characters escaped; exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {one_line(message)} (see --help)\n")


def parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand (each subparser is a OneLineParser too)."""
    p = OneLineParser(prog="python -m calculator", description=__doc__.splitlines()[0])
    p.add_argument(
        "--data", type=Path, default=None, help="folder of data files (default: $CALC_DATA_DIR, else the bundled data/)"
    )
    sub = p.add_subparsers(dest="command", required=True)
    for add in COMMANDS:
        add(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; print its output to stdout, or one error line to stderr (exit 2)."""
    args = parser().parse_args(argv)
    try:
        data = load_data(args.data)
        output = args.run(args, data)
    except InputError as err:
        print(f"error: {one_line(str(err))}", file=sys.stderr)
        return 2
    if isinstance(output, str):
        sys.stdout.write(output)
    return 0
