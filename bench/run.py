"""Benchmarks: each figure against its own baseline, measured in one run on this machine.

    .venv/bin/python bench/run.py          # the figures and their targets, as a table
    .venv/bin/python bench/run.py --json   # ... and one JSON object as the last line
    .venv/bin/python bench/run.py --quick  # small sizes (a smoke run, not the figures of record)

- mc_ratio_to_rng_floor: the 1,000,000-draw simulation of home + 3 destinations
  (examples/three_destinations.json), against numpy drawing the same number of variates
  (rng.random, in the simulation's chunk size) and nothing else.
- mc_peak_mb: peak memory traced (tracemalloc) during that simulation.
- batch_rows_per_s: 100,000 scenarios x 3 destinations computed in process by the vectorised
  engine (calculator.model.batch.compute) from validated columns; batch_validate_rows_per_s: the rows per
  second of the validation and column building that precede it (for information).
- batch_speedup_vs_loop: calculator.model.compare.compare called in a loop on a subset of the same
  validated scenarios (scaled to 100,000), against batch_inputs + compute for all 100,000.
- batch_cli_scenarios_per_s: `python -m calculator batch FILE -o OUT.csv` end to end (interpreter
  start, imports, reading, validation, computation, writing) on a 20,000-scenario JSON-lines file;
  for information, cli_startup_seconds (`python -m calculator --help`) and
  batch_file_in_process_scenarios_per_s (the same file read, validated, computed and written in
  this process, without the interpreter start).
- batch_csv_validate_rows_per_s, batch_csv_cli_seconds, batch_csv_cli_peak_mb: a 100,000-scenario
  CSV (300,000 rows): validation column by column (from decoded cells to computed columns; the same
  rows through the row-by-row path for comparison), and `python -m calculator batch` end to end, its
  wall time and peak memory (the same scenarios as JSON lines for comparison).
- rerun_ratio_to_bare: AppTest warm rerun of the Compare page after changing one input (the
  number of travellers), against a bare Streamlit script with the same imports and one input.
- server_rerun_ratio_to_bare: server CPU per Compare rerun on a real `streamlit run` (a websocket
  session changing the travellers, CPU of the server process from /proc), against the floor: a bare
  app with a number input, a dataframe and an Altair chart, served with the same config and harness,
  both without Streamlit's post-run garbage collection, measured in alternate batches. For
  information, server_rerun_cpu_with_post_run_gc_seconds: Compare with that collection (Streamlit's
  default, the figure before).
- browser_ratio_to_bare: in chromium, from typing a new number of travellers to the page showing
  the new figure, finished and drawn: Compare against the same bare app (alternately, medians).

Times are the best of several repeats (the least disturbed by other work on the machine); a figure
and its baseline are run alternately, so that both see the same load. Rerun times are medians.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import numpy as np  # noqa: E402
from generate import scenarios, write_csv, write_jsonl  # noqa: E402

from calculator.model import uncertainty  # noqa: E402
from calculator.model.batch import batch_inputs, compute, run_batch  # noqa: E402
from calculator.model.batch_columns import BLOCK_ROWS, validate_csv  # noqa: E402
from calculator.model.batch_files import CsvRows, read_rows  # noqa: E402
from calculator.model.batch_validate import Resolver, validate_rows  # noqa: E402
from calculator.model.compare import compare  # noqa: E402
from calculator.model.data import load_data  # noqa: E402
from calculator.model.scenario import load_scenario_file, parse_scenario  # noqa: E402
from calculator.present.batch_csv import write_results  # noqa: E402

TARGETS = {
    "mc_ratio_to_rng_floor": ("<=", 3.0),
    "mc_peak_mb": ("<=", 200.0),
    "batch_rows_per_s": (">=", 1_000_000.0),
    "batch_speedup_vs_loop": (">=", 50.0),
    "batch_cli_scenarios_per_s": (">=", 10_000.0),
    "batch_csv_validate_rows_per_s": (">=", 1_000_000.0),
    "batch_csv_cli_seconds": ("<=", 3.0),
    "batch_csv_cli_peak_mb": ("<=", 250.0),
    "rerun_ratio_to_bare": ("<=", 2.0),
    "server_rerun_ratio_to_bare": ("<=", 3.0),
    "browser_ratio_to_bare": ("<=", 1.5),
}
COMPARE_PAGE = ROOT / "ui" / "pages" / "compare.py"
APP = ROOT / "app.py"


CLOCK = time.perf_counter
"""The clock of in-process timings: wall time, or with --cpu this process's CPU time (a shared machine)."""


def best_of(repeats: int, run: Callable[[], Any]) -> float:
    """The shortest time of ``repeats`` calls, in seconds (CLOCK)."""
    times = []
    for _ in range(repeats):
        start = CLOCK()
        run()
        times.append(CLOCK() - start)
    return min(times)


def paired_best(repeats: int, measured: Callable[[], Any], baseline: Callable[[], Any]) -> tuple[float, float]:
    """Best times of a measurement and its baseline, run alternately so that both see the same machine load."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for run, out in ((measured, times[0]), (baseline, times[1])):
            start = CLOCK()
            run()
            out.append(CLOCK() - start)
    return min(times[0]), min(times[1])


def measure_mc(draws: int = 1_000_000, repeats: int = 5) -> dict[str, Any]:
    """The simulation against the bare cost of drawing its variates; and its peak traced memory."""
    data = load_data()
    scenario = load_scenario_file(ROOT / "examples" / "three_destinations.json", data)
    sim = uncertainty.simulate(scenario, data, draws, seed=1)
    variates = draws * len(sim.drawn)
    chunk = uncertainty.CHUNK_DRAWS

    def floor() -> None:
        rng = np.random.default_rng(1)
        for _ in range(len(sim.drawn)):
            for start in range(0, draws, chunk):
                rng.random(min(chunk, draws - start))

    t_sim, t_floor = paired_best(repeats, lambda: uncertainty.simulate(scenario, data, draws, seed=1), floor)
    tracemalloc.start()
    uncertainty.simulate(scenario, data, draws, seed=1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "mc_draws": draws,
        "mc_variates": variates,
        "mc_seconds": t_sim,
        "mc_rng_floor_seconds": t_floor,
        "mc_ratio_to_rng_floor": t_sim / t_floor,
        "mc_peak_mb": peak / 1e6,
    }


def measure_batch(n: int = 100_000, loop_subset: int = 1_000, repeats: int = 5) -> dict[str, Any]:
    """The vectorised engine on n scenarios x 3 destinations, and compare() in a loop on a subset."""
    data = load_data()
    raws = scenarios(n)
    numbered = list(enumerate(raws, start=1))
    start = time.perf_counter()
    valid, errors = validate_rows(numbered, data, "bench")
    inputs = batch_inputs(valid)
    t_validate = time.perf_counter() - start
    assert not errors, errors[:3]
    rows = len(inputs)
    t_compute = best_of(repeats, lambda: compute(inputs))
    subset = [parse_scenario(raw, data, "bench") for raw in raws[:loop_subset]]
    t_batch, t_subset = paired_best(
        max(1, repeats // 2), lambda: compute(batch_inputs(valid)), lambda: [compare(s, data) for s in subset]
    )
    t_loop = t_subset * n / loop_subset
    return {
        "batch_scenarios": n,
        "batch_rows": rows,
        "batch_compute_seconds": t_compute,
        "batch_rows_per_s": rows / t_compute,
        "batch_validate_rows_per_s": rows / t_validate,
        "batch_loop_subset": loop_subset,
        "batch_loop_seconds_scaled": t_loop,
        "batch_seconds": t_batch,
        "batch_speedup_vs_loop": t_loop / t_batch,
    }


def measure_cli(n: int = 20_000, repeats: int = 3) -> dict[str, Any]:
    """The batch command end to end on an n-scenario JSON-lines file; and the interpreter's start alone."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        source = write_jsonl(Path(tmp) / "scenarios.jsonl", n)
        out = Path(tmp) / "out.csv"
        command = [sys.executable, "-m", "calculator", "batch", str(source), "-o", str(out)]

        def run() -> None:
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)

        data = load_data()

        def in_process() -> None:
            result, _ = run_batch(source, data)
            with (Path(tmp) / "in_process.csv").open("w", encoding="utf-8") as fh:
                write_results(result, fh)

        t_cli, t_engine = paired_best(repeats, run, in_process)
        lines = sum(1 for _ in out.open(encoding="utf-8")) - 1
        help_command = [sys.executable, "-m", "calculator", "--help"]
        t_start = best_of(repeats, lambda: subprocess.run(help_command, check=True, capture_output=True, env=env))
    return {
        "batch_cli_scenarios": n,
        "batch_cli_rows": lines,
        "batch_cli_seconds": t_cli,
        "batch_cli_scenarios_per_s": n / t_cli,
        "cli_startup_seconds": t_start,
        "batch_file_in_process_scenarios_per_s": n / t_engine,
    }


class DecodedCsv:
    """A CSV batch's blocks decoded once (so that validation is timed without the CSV parsing)."""

    def __init__(self, rows: CsvRows) -> None:
        self._header = rows.header()
        self._blocks = list(rows.blocks(BLOCK_ROWS))

    def header(self) -> list[str] | None:
        return self._header

    def blocks(self, size: int) -> Any:
        return iter(self._blocks)


PEAK = """\
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - start, used.ru_utime + used.ru_stime, used.ru_maxrss / 1024)
"""
"""Runs a command and prints its wall seconds, CPU seconds and peak RSS (MB): from a small parent, so that
the peak is the command's own (a child forked from this large process would start with its pages)."""


def _peak_run(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory (MB) of one command."""
    out = subprocess.run([sys.executable, "-c", PEAK, *command], check=True, capture_output=True, cwd=ROOT, env=env)
    wall, cpu, peak = (float(x) for x in out.stdout.split())
    return wall, cpu, peak


def measure_csv(n: int = 100_000, repeats: int = 3) -> dict[str, Any]:
    """A CSV batch of n scenarios: validation column by column vs row by row; the CLI end to end, time and memory.

    Validation is timed from decoded cells (the CSV parsing is reading) to the computed columns
    (batch_inputs), as batch_validate_rows_per_s is timed from decoded JSON rows. The row-by-row
    figure is the same rows through the row path (calculator.model.batch_validate.validate_rows).
    The CLI runs on the CSV and, as its baseline, on the same scenarios as JSON lines.
    """
    data = load_data()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = write_csv(Path(tmp) / "scenarios.csv", n)
        jsonl_path = write_jsonl(Path(tmp) / "scenarios.jsonl", n)
        rows = read_rows(csv_path)
        decoded, listed = DecodedCsv(rows), list(rows)
        resolver = Resolver(data)

        def by_columns() -> None:
            valid, errors = validate_csv(decoded, resolver, "bench")  # type: ignore[arg-type]
            assert not errors
            batch_inputs(valid)

        def by_rows() -> None:
            batch_inputs(validate_rows(listed, data, "bench")[0])

        t_columns, t_rows = paired_best(repeats, by_columns, by_rows)
        pairs = len(batch_inputs(validate_csv(decoded, resolver, "bench")[0]))  # type: ignore[arg-type]
        out = str(Path(tmp) / "out.csv")
        cli = [sys.executable, "-m", "calculator", "batch"]
        runs = [(_peak_run([*cli, str(csv_path), "-o", out], env), _peak_run([*cli, str(jsonl_path), "-o", out], env))]
        runs += [(_peak_run([*cli, str(csv_path), "-o", out], env), _peak_run([*cli, str(jsonl_path), "-o", out], env))
                 for _ in range(repeats - 1)]  # fmt: skip
    return {
        "batch_csv_scenarios": n,
        "batch_csv_validate_rows_per_s": pairs / t_columns,
        "batch_csv_validate_by_rows_rows_per_s": pairs / t_rows,
        "batch_csv_cli_seconds": min(r[0][0] for r in runs),
        "batch_csv_cli_cpu_seconds": min(r[0][1] for r in runs),
        "batch_csv_cli_peak_mb": max(r[0][2] for r in runs),
        "batch_jsonl_cli_seconds": min(r[1][0] for r in runs),
        "batch_jsonl_cli_cpu_seconds": min(r[1][1] for r in runs),
        "batch_jsonl_cli_peak_mb": max(r[1][2] for r in runs),
    }


def bare_script(page: Path = COMPARE_PAGE) -> str:
    """A Streamlit script with the page's imports and one number input, doing nothing else."""
    tree = ast.parse(page.read_text(encoding="utf-8"))
    imports = [ast.get_source_segment(page.read_text(encoding="utf-8"), node) for node in tree.body]
    kept = [src for node, src in zip(tree.body, imports, strict=True) if isinstance(node, (ast.Import, ast.ImportFrom))]
    return "\n".join([*kept, "import streamlit as st", 'st.number_input("Travellers", 1, 20, key="in_travellers")', ""])


def _rerun(at: Any, value: int) -> float:
    """Time one rerun after setting the travellers input to ``value`` (on Compare: its results fragment alone)."""
    if not any(w.key == "in_travellers" for w in at.number_input):
        at.run()  # AppTest holds only what a fragment rerun sent: the whole page once more, untimed
    widget = at.number_input(key="in_travellers").set_value(value)
    start = time.perf_counter()
    widget.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, at.exception
    return elapsed


def measure_rerun(reruns: int = 15, timeout: float = 120) -> dict[str, Any]:
    """AppTest: a warm rerun of the Compare page after one input changes, vs the bare script (alternately)."""
    from streamlit.testing.v1 import AppTest

    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bare.py"
        script.write_text(bare_script(), encoding="utf-8")
        apps = [
            AppTest.from_file(str(APP), default_timeout=timeout),
            AppTest.from_file(str(script), default_timeout=timeout),
        ]
        for at in apps:
            at.run()
            assert not at.exception, at.exception
            for i in range(3):
                _rerun(at, 2 + i % 2)
        page, bare = [], []
        for i in range(reruns):
            page.append(_rerun(apps[0], 2 + i % 2))
            bare.append(_rerun(apps[1], 2 + i % 2))
    t_page, t_bare = statistics.median(page), statistics.median(bare)
    return {"rerun_page_seconds": t_page, "rerun_bare_seconds": t_bare, "rerun_ratio_to_bare": t_page / t_bare}


from real_server import measure_browser, measure_server  # noqa: E402 (bench/ is on sys.path)


def meets(name: str, value: float) -> bool:
    """Whether a figure meets its target."""
    op, target = TARGETS[name]
    return value <= target if op == "<=" else value >= target


MEASUREMENTS: dict[str, tuple[Callable[[], dict[str, Any]], Callable[[], dict[str, Any]]]] = {
    "mc": (measure_mc, lambda: measure_mc(draws=20_000, repeats=1)),
    "batch": (measure_batch, lambda: measure_batch(n=500, loop_subset=20, repeats=1)),
    "cli": (measure_cli, lambda: measure_cli(n=200, repeats=1)),
    "csv": (measure_csv, lambda: measure_csv(n=300, repeats=1)),
    "rerun": (measure_rerun, lambda: measure_rerun(reruns=2)),
    "server": (measure_server, lambda: measure_server(batches=1, per_batch=2)),
    "browser": (measure_browser, lambda: measure_browser(changes=1)),
}
"""Each measurement: at full size, and at small sizes (``--quick``)."""


def run_all(quick: bool = False, only: list[str] | None = None) -> dict[str, Any]:
    """Every measurement, or ``only`` those named (small sizes with ``quick``)."""
    figures: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "load_average_1m": os.getloadavg()[0]},
        "clock": "cpu" if CLOCK is time.process_time else "wall",
    }
    for name, (full, small) in MEASUREMENTS.items():
        if only is None or name in only:
            figures |= (small if quick else full)()
    figures["quick"] = quick
    figures["targets_met"] = {name: meets(name, figures[name]) for name in TARGETS if name in figures}
    return figures


DETAILS = (
    "mc_seconds",
    "mc_rng_floor_seconds",
    "mc_variates",
    "batch_compute_seconds",
    "batch_validate_rows_per_s",
    "batch_loop_seconds_scaled",
    "batch_cli_seconds",
    "cli_startup_seconds",
    "batch_file_in_process_scenarios_per_s",
    "batch_csv_validate_by_rows_rows_per_s",
    "batch_csv_cli_cpu_seconds",
    "batch_jsonl_cli_seconds",
    "batch_jsonl_cli_cpu_seconds",
    "batch_jsonl_cli_peak_mb",
    "rerun_page_seconds",
    "rerun_bare_seconds",
    "server_rerun_cpu_seconds",
    "server_bare_rerun_cpu_seconds",
    "server_rerun_cpu_with_post_run_gc_seconds",
    "browser_update_seconds",
    "browser_bare_update_seconds",
)
"""Figures printed below the targets: the raw timings behind each ratio."""


def report(figures: dict[str, Any]) -> str:
    """The figures against their targets, as a text table."""
    lines = [f"{'figure':<28} {'measured':>14}  target", "-" * 60]
    for name, (op, target) in TARGETS.items():
        if name not in figures:
            continue
        mark = "ok" if figures["targets_met"][name] else "MISSED"
        lines.append(f"{name:<28} {figures[name]:>14,.2f}  {op} {target:,g}  {mark}")
    lines.append("")
    for name in (d for d in DETAILS if d in figures):
        lines.append(f"{name:<28} {figures[name]:>14,.4f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run, not figures of record")
    parser.add_argument("--cpu", action="store_true", help="in-process timings in CPU time (a shared machine)")
    parser.add_argument("--only", nargs="*", help="only these measurements, e.g. mc csv server browser")
    args = parser.parse_args(argv)
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
    figures = run_all(args.quick, args.only)
    print(report(figures))
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
