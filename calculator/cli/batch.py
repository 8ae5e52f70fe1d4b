"""``python -m calculator batch FILE -o OUT.csv``: many scenarios from a file (DESIGN.md 6).

Writes one row per scenario and destination: CSV with the machine columns (the documented contract), or
with ``-o OUT.xlsx`` a workbook for people (readable headers, destination names, money in each row's
currency, a warnings column, the sources on their own sheet); each bad row is reported on stderr as one line naming
the file, its line and the key (and in ``--errors ERRORS.csv`` if given). Exit status 0 when at least
one row was computed, 2 when none was or the file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from calculator.model.batch import run_batch
from calculator.model.data import DataBundle
from calculator.model.errors import ScenarioError
from calculator.model.formatting import one_line
from calculator.present.batch_csv import write_errors, write_results


def _write(path: Path, write: object) -> None:
    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            write(out)  # type: ignore[operator]
    except OSError as err:
        raise ScenarioError(str(path), f"cannot be written ({err.__class__.__name__}: {err})") from None


def run(args: argparse.Namespace, data: DataBundle) -> str:
    result, errors = run_batch(args.file, data)
    for error in errors:
        print(f"error: {one_line(error.message)}", file=sys.stderr)
    if args.errors is not None:
        _write(args.errors, lambda out: write_errors(errors, out))
    if result is None:
        raise ScenarioError(str(args.file), f"no row could be computed ({len(errors)} bad rows)")
    if args.output is None:
        write_results(result, sys.stdout)
    elif args.output.suffix.lower() == ".xlsx":
        from calculator.present.batch_workbook import batch_xlsx  # openpyxl only when a workbook is asked for

        try:
            args.output.write_bytes(batch_xlsx(result, data))
        except OSError as err:
            raise ScenarioError(str(args.output), f"cannot be written ({err.__class__.__name__}: {err})") from None
    else:
        _write(args.output, lambda out: write_results(result, out))
    scenarios = len(set(result.inputs.line.tolist()))
    print(f"{scenarios} scenarios, {len(result.inputs)} rows computed; {len(errors)} bad rows", file=sys.stderr)
    return ""


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The ``batch`` subcommand."""
    p = sub.add_parser(
        "batch", help="many scenarios from a JSON list, JSON lines or CSV file: one row each per destination"
    )
    p.add_argument("file", type=Path, help="batch file: a JSON list, JSON lines, or CSV with dotted column names")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        help="result file: .csv (machine columns; default: standard output) or .xlsx (a workbook for people)",
    )
    p.add_argument("--errors", type=Path, help="also write the bad rows to this CSV (line, error)")
    p.set_defaults(run=run)
