"""``python -m calculator timeline SCENARIO.json --start YYYY-MM-DD``: the trip's dated phases (DESIGN.md 6)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from calculator.model.data import DataBundle
from calculator.model.scenario import load_scenario_file
from calculator.model.timeline import parse_start, trip_timeline


def run(args: argparse.Namespace, data: DataBundle) -> str:
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


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("timeline", help="the trip's dated phases, shortest and longest plan (json, csv or iCalendar)")
    p.add_argument("scenario", type=Path, help="scenario JSON file")
    p.add_argument("--start", required=True, metavar="YYYY-MM-DD", help="the procedure date (or departure date)")
    p.add_argument("--start-is", choices=("procedure", "departure"), default="procedure", help="what --start is")
    p.add_argument("--format", choices=("json", "csv", "ics"), default="json")
    p.add_argument("--plan", choices=("short", "long"), default="long", help="the plan the .ics holds (default long)")
    p.set_defaults(run=run)
