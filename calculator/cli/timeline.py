"""``python -m calculator timeline SCENARIO.json --start YYYY-MM-DD``: the trip's dated phases (DESIGN.md 6).

``--format table`` (the default when standard output is a terminal) prints one line per phase; ``json`` (the
default otherwise, for scripts), ``csv`` and ``ics`` are the machine formats.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from calculator.model.data import DataBundle
from calculator.model.scenario import load_scenario_file
from calculator.model.timeline import parse_start, trip_timeline


def run(args: argparse.Namespace, data: DataBundle) -> str:
    from calculator.present.timeline_files import (  # pandas: load only when needed
        timeline_csv,
        timeline_dict,
        timeline_ics,
        timeline_table,
        trip_place,
    )

    start = parse_start(args.start, "--start")
    scenario = load_scenario_file(args.scenario, data)
    timeline = trip_timeline(scenario, start, args.start_is)
    fmt = args.format or ("table" if sys.stdout.isatty() else "json")
    if fmt == "table":
        table = timeline_table(timeline, data.sources)
        head = f"{scenario.name}: {timeline.start_is} on {timeline.start.isoformat()} (⚠ = a vendor's claim)\n\n"
        return head + table.to_string(max_colwidth=48) + "\n"
    if fmt == "json":
        return json.dumps(timeline_dict(timeline, scenario.name, data.sources), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return timeline_csv(timeline)
    treatment = data.procedure_info[scenario.procedure].name if scenario.procedure in data.procedure_info else None
    place = trip_place(scenario, data)
    return timeline_ics(timeline, scenario.name, data.sources, args.plan, None, treatment, place).decode("utf-8")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "timeline", help="the trip's dated phases, shortest and longest plan (table, json, csv or iCalendar)"
    )
    p.add_argument("scenario", type=Path, help="scenario JSON file")
    p.add_argument("--start", required=True, metavar="YYYY-MM-DD", help="the procedure date (or departure date)")
    p.add_argument("--start-is", choices=("procedure", "departure"), default="procedure", help="what --start is")
    p.add_argument(
        "--format",
        choices=("table", "json", "csv", "ics"),
        default=None,
        help="table (the default on a terminal), json (the default otherwise), csv or ics",
    )
    p.add_argument("--plan", choices=("short", "long"), default="long", help="the plan the .ics holds (default long)")
    p.set_defaults(run=run)
