"""``python -m calculator simulate`` and ``batch``: the Monte Carlo, and many scenarios from a file (DESIGN.md 6).

``batch FILE -o OUT.csv`` writes one row per scenario and destination; each bad row is reported on
stderr as one line naming the file, its line and the key (and in ``--errors ERRORS.csv`` if given).
Exit status 0 when at least one row was computed, 2 when none was or the file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from calculator.model.batch import run_batch
from calculator.model.data import DataBundle
from calculator.model.errors import ScenarioError
from calculator.model.risk import Risk
from calculator.model.scenario import load_scenario_file
from calculator.model.span import Span
from calculator.model.uncertainty import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    DISTRIBUTIONS,
    MAX_DRAWS,
    simulate,
)
from calculator.present.batch_csv import write_errors, write_results
from calculator.present.simulation_output import simulation_dict, simulation_table


def _draws(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= n <= MAX_DRAWS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_DRAWS:,}, not {n}")
    return n


def _simulate(args: argparse.Namespace, data: DataBundle) -> str:
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


def add_simulate(sub: argparse._SubParsersAction) -> None:
    """The ``simulate`` subcommand."""
    p = sub.add_parser("simulate", help="Monte Carlo over the ranges: percentiles and the chance of saving money")
    p.add_argument("scenario", type=Path, help="scenario JSON file")
    p.add_argument("--draws", type=_draws, default=DEFAULT_DRAWS, help=f"number of draws (default {DEFAULT_DRAWS:,})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--distribution", choices=DISTRIBUTIONS, default="uniform", help="of each money range")
    p.add_argument("--complication-pct", type=float, help="risk adjustment: chance of a complication abroad, in %%")
    p.add_argument("--care-cost", type=float, nargs=2, metavar=("LOW", "HIGH"), help="risk adjustment: cost of care")
    p.add_argument("--format", choices=("json", "table"), default="table")
    p.set_defaults(run=_simulate)


def _write(path: Path, write: object) -> None:
    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            write(out)  # type: ignore[operator]
    except OSError as err:
        raise ScenarioError(str(path), f"cannot be written ({err.__class__.__name__}: {err})") from None


def _batch(args: argparse.Namespace, data: DataBundle) -> str:
    result, errors = run_batch(args.file, data)
    for error in errors:
        print(f"error: {error.message}", file=sys.stderr)
    if args.errors is not None:
        _write(args.errors, lambda out: write_errors(errors, out))
    if result is None:
        raise ScenarioError(str(args.file), f"no row could be computed ({len(errors)} bad rows)")
    if args.output is None:
        write_results(result, sys.stdout)
    else:
        _write(args.output, lambda out: write_results(result, out))
    scenarios = len(set(result.inputs.line.tolist()))
    print(f"{scenarios} scenarios, {len(result.inputs)} rows computed; {len(errors)} bad rows", file=sys.stderr)
    return ""


def add_batch(sub: argparse._SubParsersAction) -> None:
    """The ``batch`` subcommand."""
    p = sub.add_parser(
        "batch", help="many scenarios from a JSON list, JSON lines or CSV file: one row each per destination"
    )
    p.add_argument("file", type=Path, help="batch file: a JSON list, JSON lines, or CSV with dotted column names")
    p.add_argument("-o", "--output", type=Path, help="result CSV (default: standard output)")
    p.add_argument("--errors", type=Path, help="also write the bad rows to this CSV (line, error)")
    p.set_defaults(run=_batch)
