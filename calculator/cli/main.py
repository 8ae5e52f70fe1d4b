"""The command line for advisors and scripts (DESIGN.md section 6).

Exit status 0 on success, 2 on bad input with one line on stderr naming the file and
the field or row (no traceback, nothing on stdout).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from calculator.cli.export import add_export as _add_export
from calculator.cli.scenarios import add_parser as _add_scenarios
from calculator.cli.uncertainty import add_batch as _add_batch
from calculator.cli.uncertainty import add_simulate as _add_simulate
from calculator.model.compare import compare
from calculator.model.data import DataBundle, load_data
from calculator.model.errors import InputError
from calculator.model.scenario import load_scenario_file
from calculator.model.timeline import parse_start, trip_timeline
from calculator.present.output import CSV_COLUMNS, comparison_dict, comparison_rows, comparison_table, csv_text


def _compare(args: argparse.Namespace, data: DataBundle) -> str:
    comparison = compare(load_scenario_file(args.scenario, data), data)
    if args.format == "json":
        return json.dumps(comparison_dict(comparison), indent=2, ensure_ascii=False) + "\n"
    if args.format == "csv":
        return csv_text(comparison_rows(comparison), CSV_COLUMNS)
    return comparison_table(comparison)


def _add_compare(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="home vs destinations: components, totals, savings, warnings")
    p.add_argument("scenario", type=Path, help="scenario JSON file")
    p.add_argument("--format", choices=("json", "csv", "table"), default="table")
    p.set_defaults(run=_compare)


def _timeline(args: argparse.Namespace, data: DataBundle) -> str:
    from calculator.present.timeline_files import (  # pandas: load only when needed
        timeline_csv,
        timeline_dict,
        timeline_ics,
    )

    start = parse_start(args.start, "--start")
    scenario = load_scenario_file(args.scenario, data)
    timeline = trip_timeline(scenario, start, args.start_is)
    if args.format == "json":
        return json.dumps(timeline_dict(timeline, scenario.name, data.sources), indent=2, ensure_ascii=False) + "\n"
    if args.format == "csv":
        return timeline_csv(timeline)
    return timeline_ics(timeline, scenario.name, data.sources, args.plan).decode("utf-8")


def _add_timeline(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("timeline", help="the trip's dated phases, shortest and longest plan (json, csv or iCalendar)")
    p.add_argument("scenario", type=Path, help="scenario JSON file")
    p.add_argument("--start", required=True, metavar="YYYY-MM-DD", help="the procedure date (or departure date)")
    p.add_argument("--start-is", choices=("procedure", "departure"), default="procedure", help="what --start is")
    p.add_argument("--format", choices=("json", "csv", "ics"), default="json")
    p.add_argument("--plan", choices=("short", "long"), default="long", help="the plan the .ics holds (default long)")
    p.set_defaults(run=_timeline)


COMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    _add_compare,
    _add_timeline,
    _add_scenarios,
    _add_simulate,
    _add_export,
    _add_batch,
)


def parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    p = argparse.ArgumentParser(prog="python -m calculator", description=__doc__.splitlines()[0])
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
        print(f"error: {err}", file=sys.stderr)
        return 2
    if isinstance(output, str):
        sys.stdout.write(output)
    return 0
