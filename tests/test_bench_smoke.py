"""bench/run.py works at tiny sizes (no timing is asserted: the figures of record come from running it)."""

import importlib.util
import json
import sys

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


def test_csv_batch_figures_at_tiny_sizes():
    figures = load_bench().measure_csv(n=40, repeats=1)
    assert figures["batch_csv_validate_rows_per_s"] > 0 and figures["batch_csv_validate_by_rows_rows_per_s"] > 0
    assert 20 < figures["batch_csv_cli_peak_mb"] < 250 and figures["batch_csv_cli_seconds"] > 0


def test_the_bare_floor_app_has_one_input_a_dataframe_and_a_chart():
    load_bench()  # puts bench/ on sys.path and imports bench/real_server.py
    script = sys.modules["real_server"].BARE_APP
    assert script.count("st.number_input") == 1 and "st.dataframe" in script and "st.altair_chart" in script
    compile(script, "bare_app.py", "exec")


def test_memory_trend_of_a_soak():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    load = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = load  # its dataclasses look their module up
    spec.loader.exec_module(load)
    # 100 MB for the first minute, then 1 MB more every 60 s: 10 MB per 10 minutes
    samples = [(t, 100.0) for t in (0, 30, 60)] + [(60 + 60 * k, 100.0 + k) for k in range(1, 10)]
    trend = load.rss_trend(samples)
    assert trend == {"rss_first_min_mb": 100.0, "rss_last_min_mb": 108.5, "rss_slope_mb_per_10min": 10.0}
    assert load.rss_trend([(0, 50.0)])["rss_slope_mb_per_10min"] is None


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


def test_the_load_client_reads_the_first_cards_total_from_the_answer_block(data):
    """bench/load.py checks every rerun's total: it reads it from the HTML Compare sends (the default scenario)."""
    from calculator.model.compare import compare
    from calculator.present.answer_html import Header, answer_html
    from ui.state import DEFAULT_SCENARIO

    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    load = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = load
    spec.loader.exec_module(load)
    body = answer_html(compare(DEFAULT_SCENARIO, data), Header("t", "c", None), {}, set(), data.sources)
    assert load.first_total(body) == load.expected_total(1, None) == "USD 10,123"
    assert load.first_total("<p>no card</p>") is None
