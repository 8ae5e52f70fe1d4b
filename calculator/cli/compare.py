"""``python -m calculator compare SCENARIO.json --format json|csv|table``: home vs destinations (DESIGN.md 6)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from calculator.model.compare import compare
from calculator.model.data import DataBundle
from calculator.model.scenario import load_scenario_file
from calculator.present.output import CSV_COLUMNS, comparison_dict, comparison_rows, comparison_table, csv_text


def run(args: argparse.Namespace, data: DataBundle) -> str:
    comparison = compare(load_scenario_file(args.scenario, data), data)
    if args.format == "json":
        return json.dumps(comparison_dict(comparison), indent=2, ensure_ascii=False) + "\n"
    if args.format == "csv":
        return csv_text(comparison_rows(comparison), CSV_COLUMNS)
    return comparison_table(comparison)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="home vs destinations: components, totals, savings, warnings")
    p.add_argument("scenario", type=Path, help="scenario JSON file")
    p.add_argument("--format", choices=("json", "csv", "table"), default="table")
    p.set_defaults(run=run)
