"""``python -m calculator simulate SCENARIO.json``: the Monte Carlo over the ranges (DESIGN.md 6)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from calculator.cli import options
from calculator.model.data import DataBundle
from calculator.model.errors import ScenarioError
from calculator.model.risk import Risk
from calculator.model.scenario import load_scenario_file
from calculator.model.span import Span
from calculator.model.uncertainty import DEFAULT_DRAWS, DEFAULT_SEED, DISTRIBUTIONS, MAX_DRAWS, simulate
from calculator.present.simulation_output import simulation_dict, simulation_table


def run(args: argparse.Namespace, data: DataBundle) -> str:
    scenario = load_scenario_file(args.scenario, data)
    risk = None
    if args.complication_pct is not None or args.care_cost is not None:
        if args.complication_pct is None or args.care_cost is None:
            raise ScenarioError("--complication-pct/--care-cost", "give both, or neither")
        risk = Risk(args.complication_pct / 100, Span(*args.care_cost))
    sim = simulate(scenario, data, args.draws, args.seed, args.distribution, risk)
    if args.format == "json":
        return json.dumps(simulation_dict(sim), indent=2, ensure_ascii=False) + "\n"
    return simulation_table(sim)


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The ``simulate`` subcommand."""
    p = sub.add_parser("simulate", help="Monte Carlo over the ranges: percentiles and the chance of saving money")
    p.add_argument("scenario", type=Path, help="scenario JSON file")
    p.add_argument(
        "--draws",
        type=options.whole_number(1, MAX_DRAWS),
        default=DEFAULT_DRAWS,
        help=f"number of draws (default {DEFAULT_DRAWS:,})",
    )
    p.add_argument("--seed", type=options.seed, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--distribution", choices=DISTRIBUTIONS, default="uniform", help="of each money range")
    p.add_argument(
        "--complication-pct", type=options.percent, help="risk adjustment: chance of a complication abroad, in %%"
    )
    p.add_argument(
        "--care-cost", type=options.money, nargs=2, metavar=("LOW", "HIGH"), help="risk adjustment: cost of care"
    )
    p.add_argument("--format", choices=("json", "table"), default="table")
    p.set_defaults(run=run)
