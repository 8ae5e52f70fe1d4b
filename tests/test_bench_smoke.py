"""bench/run.py works at tiny sizes (no timing is asserted: the figures of record come from running it)."""

import importlib.util
import json

from tests.conftest import ROOT


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_measures_at_tiny_sizes():
    bench = load_bench()
    mc = bench.measure_mc(draws=2_000, repeats=1)
    assert mc["mc_variates"] == 2_000 * 6  # home + 3 destination prices, pre-treatment and recovery days
    assert mc["mc_ratio_to_rng_floor"] > 0 and mc["mc_peak_mb"] > 0
    batch = bench.measure_batch(n=60, loop_subset=5, repeats=1)
    assert batch["batch_rows"] == 180
    assert batch["batch_rows_per_s"] > 0 and batch["batch_speedup_vs_loop"] > 0


def test_bare_script_has_the_compare_page_imports_and_one_input():
    bench = load_bench()
    script = bench.bare_script()
    assert "from calculator.model.compare import compare" in script
    assert "from ui import " in script and "sidebar" in script
    assert script.count("st.number_input") == 1
    compile(script, "bare.py", "exec")


def test_report_and_targets():
    bench = load_bench()
    figures = {name: (target if op == "<=" else target * 2) for name, (op, target) in bench.TARGETS.items()}
    figures |= {name: 0.0 for name in bench.DETAILS}
    figures["targets_met"] = {name: bench.meets(name, figures[name]) for name in bench.TARGETS}
    assert all(figures["targets_met"].values())
    assert not bench.meets("mc_ratio_to_rng_floor", 3.5)
    text = bench.report(figures)
    assert "MISSED" not in text and "mc_ratio_to_rng_floor" in text
    json.dumps(figures)
