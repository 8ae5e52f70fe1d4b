"""Monte Carlo, risk adjustment, break-even and tornado: against the deterministic model and hand figures."""

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calculator.model.draw_stats as stats
import calculator.model.ranged as ranged
import calculator.model.uncertainty as mc
from calculator.model.compare import compare
from calculator.model.data import DATA_DIR, load_data
from calculator.model.draw_stats import percentiles
from calculator.model.errors import DataError, ScenarioError
from calculator.model.risk import Risk, load_risk_examples
from calculator.model.sensitivity import break_even, tornado
from calculator.model.span import Span
from calculator.model.trips import TripColumns, destination_total, home_total
from calculator.model.uncertainty import simulate
from calculator.present.simulation_output import simulation_dict
from tests.conftest import MEXICO_ACCEPTANCE, make_scenario, run_cli, write_json

FULL = {
    "name": "Everything on",
    "destinations": ["mexico_colombia", "turkey_thailand", "india_malaysia"],
    "travellers": 2,
    "rooms": 2,
    "sessions": 2,
    "stay": {"pre_days": [1, 3], "procedure_days": [1, 2], "recovery_days": [2, 5], "travel_days": [2, 3]},
    "travel": {
        "mexico_colombia": {"fare_per_traveller": 650, "lodging_per_night": 250, "daily_per_traveller": 136},
        "turkey_thailand": {"fare_per_traveller": 1100},
        # india_malaysia: no fare, so flights and follow-up are left out
    },
    "quotes": {"turkey_thailand": {"low": 5200, "high": 6100}},
    "insurance": 180,
    "follow_up_trips": 1,
    "follow_up_nights": 3,
    "contingency_pct": 15,
    "lost_income_per_day": 120,
}


@pytest.fixture(scope="module")
def point_data(tmp_path_factory):
    """The bundled data with every cited price range collapsed to its low end."""
    folder = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(DATA_DIR, folder)
    costs = folder / "costs.csv"
    lines = costs.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    low, high = header.index("price_low"), header.index("price_high")
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[high] = cells[low]
        out.append(",".join(cells))
    costs.write_text("\n".join(out) + "\n", encoding="utf-8")
    return load_data(folder)


def collapsed(raw):
    """The scenario with every stay range and quote at a single value."""
    stay = {k: (v[1] if isinstance(v, list) else v) for k, v in raw["stay"].items()}
    quotes = {d: {**q, "low": q["high"]} for d, q in raw.get("quotes", {}).items()}
    return {**raw, "stay": stay, "quotes": quotes}


# --- the column model equals compare ---------------------------------------------------------------


@pytest.mark.parametrize("raw", [MEXICO_ACCEPTANCE, FULL, {**FULL, "currency": "EUR", "follow_up_trips": 0}])
def test_column_model_equals_compare_exactly(data, raw):
    scenario = make_scenario(data, **raw)
    comparison = compare(scenario, data)
    home, totals = ranged.evaluate(ranged.resolve(scenario, data), {})
    assert (home.low, home.high) == (comparison.home.total.low, comparison.home.total.high)
    for d in comparison.destinations:
        assert (float(totals[d.id].low), float(totals[d.id].high)) == (d.total.low, d.total.high)


def test_trip_columns_by_hand():
    # Mexico acceptance at the low end: 4,000 + 650 + 250 x 4 + 136 x 4 = 6,194
    cols = TripColumns(
        sessions=1,
        travellers=1,
        rooms=1,
        price=Span(4000.0, 12000.0),
        fare=650.0,
        lodging_per_night=250.0,
        daily_per_traveller=136.0,
        follow_up_trips=0,
        follow_up_nights=2,
        contingency_pct=0.0,
        insurance=0.0,
        lost_income_per_day=0.0,
        pre_days=Span(1, 2),
        procedure_days=Span(1, 1),
        recovery_days=Span(2, 4),
        travel_days=Span(2, 2),
    )
    assert destination_total(cols) == Span(6194, 15352)
    no_fare = destination_total(TripColumns(**{**cols.__dict__, "fare": math.nan}))
    assert no_fare == Span(6194 - 650, 15352 - 650)
    assert home_total(Span(15000, 25000), 1, 100, Span(1, 1), Span(2, 4)) == Span(15300, 25500)


# --- the simulation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("distribution", ["uniform", "triangular"])
def test_collapsed_ranges_equal_compare_exactly(point_data, distribution):
    scenario = make_scenario(point_data, **collapsed(FULL))
    comparison = compare(scenario, point_data)
    sim = simulate(scenario, point_data, draws=1000, seed=7, distribution=distribution)
    assert sim.drawn == ()
    assert (sim.home_total.p5, sim.home_total.p50, sim.home_total.p95) == (comparison.home.total.low,) * 3
    for s, d in zip(sim.destinations, comparison.destinations, strict=True):
        assert (s.outcome.total.p5, s.outcome.total.p50, s.outcome.total.p95) == (d.total.low,) * 3
        assert (s.outcome.savings.p5, s.outcome.savings.p50, s.outcome.savings.p95) == (d.savings.low,) * 3
        assert s.outcome.p_saves_money == (1.0 if d.savings.low > 0 else 0.0)
        assert s.outcome.mean_total == pytest.approx(d.total.low, rel=1e-12)


def test_collapsed_ranges_equal_compare_over_several_chunks(point_data):
    scenario = make_scenario(point_data, **collapsed(FULL))
    comparison = compare(scenario, point_data)
    sim = simulate(scenario, point_data, draws=mc.CHUNK_DRAWS * 2 + 5, seed=1)
    for s, d in zip(sim.destinations, comparison.destinations, strict=True):
        assert s.outcome.total == stats.Percentiles(d.total.low, d.total.low, d.total.low)
        assert s.outcome.savings == stats.Percentiles(d.savings.low, d.savings.low, d.savings.low)


def within(p, span):
    return span.low <= p.p5 <= p.p50 <= p.p95 <= span.high


@pytest.mark.parametrize("distribution", ["uniform", "triangular"])
def test_percentiles_lie_within_the_deterministic_range(data, distribution):
    scenario = make_scenario(data, **FULL)
    comparison = compare(scenario, data)
    sim = simulate(scenario, data, draws=100_000, seed=3, distribution=distribution)
    assert within(sim.home_total, comparison.home.total)
    for s, d in zip(sim.destinations, comparison.destinations, strict=True):
        assert within(s.outcome.total, d.total)
        assert within(s.outcome.savings, d.savings)
        assert 0 <= s.outcome.p_saves_money <= 1
        # the spread is narrower than low-high: prices rarely all sit at one end together
        assert s.outcome.total.p5 > d.total.low and s.outcome.total.p95 < d.total.high
        # the mean of a symmetric model is the deterministic mid
        assert s.outcome.mean_total == pytest.approx(d.total.mid, rel=0.005)


scenarios = st.fixed_dictionaries(
    {
        "destinations": st.just(["mexico_colombia", "india_malaysia"]),
        "travellers": st.integers(1, 4),
        "rooms": st.integers(1, 3),
        "sessions": st.integers(1, 3),
        "stay": st.fixed_dictionaries(
            {
                "pre_days": st.tuples(st.integers(0, 3), st.integers(0, 3)).map(sorted),
                "recovery_days": st.tuples(st.integers(0, 9), st.integers(0, 9)).map(sorted),
                "travel_days": st.integers(0, 3),
            }
        ),
        "travel": st.fixed_dictionaries(
            {"mexico_colombia": st.fixed_dictionaries({"fare_per_traveller": st.integers(0, 3000)})}
        ),
        "contingency_pct": st.sampled_from([0, 10, 30]),
        "lost_income_per_day": st.sampled_from([0, 80, 400]),
        "follow_up_trips": st.integers(0, 2),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=scenarios, seed=st.integers(0, 2**32), distribution=st.sampled_from(mc.DISTRIBUTIONS))
def test_property_percentiles_within_range_and_paths_agree(data, raw, seed, distribution):
    scenario = make_scenario(data, **raw)
    comparison = compare(scenario, data)
    sim = simulate(scenario, data, draws=3000, seed=seed, distribution=distribution)
    direct = simulate(scenario, data, draws=3000, seed=seed, distribution=distribution, method="direct")
    for s, t, d in zip(sim.destinations, direct.destinations, comparison.destinations, strict=True):
        assert within(s.outcome.total, d.total)
        assert within(s.outcome.savings, d.savings)
        for a, b in ((s.outcome.total, t.outcome.total), (s.outcome.savings, t.outcome.savings)):
            assert (a.p5, a.p50, a.p95) == pytest.approx((b.p5, b.p50, b.p95), rel=1e-9, abs=1e-6)
        assert s.outcome.p_saves_money == pytest.approx(t.outcome.p_saves_money, abs=2 / 3000)


def test_same_seed_same_output_and_another_seed_differs(data):
    scenario = make_scenario(data, **FULL)
    one = simulation_dict(simulate(scenario, data, draws=20_000, seed=42))
    two = simulation_dict(simulate(scenario, data, draws=20_000, seed=42))
    other = simulation_dict(simulate(scenario, data, draws=20_000, seed=43))
    assert one == two
    assert one["destinations"] != other["destinations"]


def test_same_seed_known_figures(data):
    """PCG64 with SeedSequence is the same on every machine: these figures must not drift."""
    sim = simulate(make_scenario(data, **MEXICO_ACCEPTANCE), data, draws=10_000, seed=1)
    d = sim.destinations[0].outcome
    assert d.total.as_dict() == pytest.approx({"p5": 7132.89, "p50": 10801.55, "p95": 14449.15}, abs=0.01)
    assert d.p_saves_money == 0.9998


def test_chunk_size_does_not_change_the_draws(data, monkeypatch):
    scenario = make_scenario(data, **FULL)
    big = simulation_dict(simulate(scenario, data, draws=50_000, seed=9))
    monkeypatch.setattr(mc, "CHUNK_DRAWS", 4096)
    small = simulation_dict(simulate(scenario, data, draws=50_000, seed=9))
    assert small["destinations"] == big["destinations"]


def test_streamed_percentiles_equal_numpy_over_all_draws():
    rng = np.random.default_rng(5)
    draws = np.concatenate([rng.normal(0, 1, 150_000), rng.integers(0, 4, 150_000) * 1.0])
    rng.shuffle(draws)
    rows = np.vstack([draws, -2 * draws])
    block = stats.RunningStats(
        ["a.savings", "b.savings"], draws.size, [Span(-10.0, 10.0), Span(-20.0, 20.0)], 10, store=False
    )
    for start in range(0, draws.size, 65_536):
        block.add(rows[:, start : start + 65_536])
    for name, values in (("a.savings", rows[0]), ("b.savings", rows[1])):
        got = block.percentiles(name)
        want = np.percentile(values, [5, 50, 95])
        assert (got.p5, got.p50, got.p95) == pytest.approx(tuple(want), rel=1e-12, abs=1e-12)
        assert block.p_positive(name) == np.count_nonzero(values > 0) / draws.size
        assert block.mean(name) == pytest.approx(values.mean())
        assert percentiles(values) == pytest.approx(got)
    assert block.counts[0].sum() == np.count_nonzero((draws >= -10) & (draws <= 10))


@pytest.mark.parametrize("distribution", ["uniform", "triangular"])  # brackets from the distribution / a pilot
def test_a_bracket_that_misses_reruns_storing_every_draw(data, monkeypatch, distribution):
    scenario = make_scenario(data, **FULL)
    want = simulation_dict(simulate(scenario, data, draws=150_000, seed=2, distribution=distribution))
    runs = []

    def far_away(original):
        def set_far(self, *args):
            original(self, *args)
            runs.append(self)
            self.lo, self.hi = self.lo * 0 - 2e18, self.hi * 0 - 1e18

        return set_far

    for method in ("_set_brackets", "preset_brackets"):
        monkeypatch.setattr(stats.RunningStats, method, far_away(getattr(stats.RunningStats, method)))
    assert simulation_dict(simulate(scenario, data, draws=150_000, seed=2, distribution=distribution)) == want
    assert runs, "the streamed run was tried first"


def test_a_model_that_is_not_linear_falls_back_to_the_formulas(data, monkeypatch):
    scenario = make_scenario(data, **MEXICO_ACCEPTANCE)
    model = ranged.resolve(scenario, data)
    drawn = [r for r in ranged.ranged_inputs(model) if r.is_range]
    assert ranged.affine_form(model, drawn) is not None
    monkeypatch.setattr(ranged, "destination_total", lambda cols: destination_total(cols) * cols.price)
    assert ranged.affine_form(model, drawn) is None


def test_triangular_is_narrower_than_uniform(data):
    scenario = make_scenario(data, **MEXICO_ACCEPTANCE)
    uni = simulate(scenario, data, draws=50_000, seed=4).destinations[0].outcome.total
    tri = simulate(scenario, data, draws=50_000, seed=4, distribution="triangular").destinations[0].outcome.total
    assert tri.p95 - tri.p5 < uni.p95 - uni.p5


def test_simulation_json_has_the_design_keys(data):
    out = simulation_dict(simulate(make_scenario(data, **MEXICO_ACCEPTANCE), data, draws=500, seed=1))
    assert {"draws", "seed", "destinations"} <= set(out)
    dest = out["destinations"][0]
    assert {"id", "total", "savings", "p_saves_money"} <= set(dest)
    assert set(dest["total"]) == set(dest["savings"]) == {"p5", "p50", "p95"}
    assert [d["input"] for d in out["drawn"]] == [
        "home.price",
        "mexico_colombia.price",
        "stay.pre_days",
        "stay.recovery_days",
    ]


def test_draws_out_of_range_are_refused(data):
    scenario = make_scenario(data, **MEXICO_ACCEPTANCE)
    with pytest.raises(ValueError, match="draws"):
        simulate(scenario, data, draws=0)


# --- risk adjustment ---------------------------------------------------------------------------------


def test_certain_complication_of_fixed_cost_shifts_every_percentile(data):
    scenario = make_scenario(data, **MEXICO_ACCEPTANCE)
    base = simulate(scenario, data, draws=20_000, seed=8).destinations[0].outcome
    risky = simulate(scenario, data, draws=20_000, seed=8, risk=Risk(1.0, Span(5000.0, 5000.0)))
    adjusted = risky.destinations[0].risk_adjusted
    assert risky.destinations[0].outcome == base
    assert adjusted.total.p50 == pytest.approx(base.total.p50 + 5000, abs=1e-6)
    assert adjusted.savings.p95 == pytest.approx(base.savings.p95 - 5000, abs=1e-6)


def test_expected_cost_is_probability_times_mid_cost(data):
    risk = Risk(0.05, Span(3000.0, 100_000.0))
    assert risk.expected_cost == pytest.approx(0.05 * 51_500)
    scenario = make_scenario(data, **MEXICO_ACCEPTANCE)
    sim = simulate(scenario, data, draws=100_000, seed=11, risk=risk)
    d = sim.destinations[0]
    # per draw the added cost has a standard deviation of about 12,800, so the mean's is about 40
    assert d.risk_adjusted.mean_total - d.outcome.mean_total == pytest.approx(2575, abs=250)
    assert d.risk_adjusted.p_saves_money < d.outcome.p_saves_money
    assert d.risk_adjusted.total.p95 >= d.outcome.total.p95


def test_no_risk_by_default_and_zero_probability_changes_nothing(data):
    scenario = make_scenario(data, **MEXICO_ACCEPTANCE)
    assert simulate(scenario, data, draws=100).destinations[0].risk_adjusted is None
    zero = simulate(scenario, data, draws=100, risk=Risk(0.0, Span(1.0, 2.0)))
    assert zero.destinations[0].risk_adjusted is None


@pytest.mark.parametrize(("p", "cost"), [(1.5, Span(1.0, 2.0)), (-0.1, Span(1.0, 2.0)), (0.1, Span(3.0, 2.0))])
def test_bad_risk_inputs_are_refused(p, cost):
    with pytest.raises(ScenarioError, match="risk"):
        Risk(p, cost)


def test_cited_risk_examples_load_with_their_sources(data):
    examples = load_risk_examples(data.sources)
    survey = examples["survey_2016_complication_rate"]
    assert survey.probability_pct == 5
    assert survey.source_id == "survey_2016_medical_travel_pmc8922991"
    assert "self-reported" in survey.caveat.lower()
    evac = examples["cdc_2008_evacuation_cost"]
    assert evac.source_id == "cdc_yellow_book_2008_evacuation"
    assert evac.care_cost(1.0) == Span(3000, 100_000)
    assert evac.high_open
    assert data.sources[evac.source_id].kind == "government"


def test_a_risk_example_with_an_unknown_source_is_a_data_error(data, tmp_path):
    (tmp_path / "risk_examples.yaml").write_text(
        "examples:\n  - {id: x, label: X, sets: probability, probability_pct: 3, source_id: nowhere, caveat: c}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="nowhere"):
        load_risk_examples(data.sources, tmp_path)


# --- break-even and tornado ----------------------------------------------------------------------------


def test_break_even_for_the_mexico_acceptance_scenario(data):
    (mexico,) = break_even(make_scenario(data, **MEXICO_ACCEPTANCE), data)
    # mid saving 9,227 at fare 650, one traveller: the total rises 1 per unit of fare
    assert mexico.per_fare == 1
    assert mexico.fare_at_mid == pytest.approx(650 + 9227, abs=1e-9)
    # worst case: home low 15,000 - destination high 15,352 = -352 at fare 650
    assert mexico.fare_at_worst == pytest.approx(650 - 352, abs=1e-9)
    # home mid 20,000 x m = destination mid 10,773
    assert mexico.home_multiplier_mid == pytest.approx(10773 / 20000)
    assert mexico.home_price_mid == pytest.approx(10773)


def test_break_even_scales_with_travellers_follow_up_and_contingency(data):
    raw = {**MEXICO_ACCEPTANCE, "travellers": 2, "follow_up_trips": 1, "contingency_pct": 10}
    scenario = make_scenario(data, **raw)
    (mexico,) = break_even(scenario, data)
    assert mexico.per_fare == pytest.approx(2 * 2 * 1.1)
    at_break_even = {**raw, "travel": {"mexico_colombia": {**raw["travel"]["mexico_colombia"]}}}
    at_break_even["travel"]["mexico_colombia"]["fare_per_traveller"] = mexico.fare_at_mid
    assert compare(make_scenario(data, **at_break_even), data).destinations[0].savings.mid == pytest.approx(0, abs=1e-6)


def test_break_even_without_a_fare_says_which_fare_still_saves(data):
    scenario = make_scenario(data, destinations=["india_malaysia"])
    (india,) = break_even(scenario, data)
    assert india.fare is None
    saved_without_flights = compare(scenario, data).destinations[0].savings.mid
    assert india.fare_at_mid == pytest.approx(saved_without_flights)


def test_tornado_orders_inputs_by_swing(data):
    bars = tornado(make_scenario(data, **MEXICO_ACCEPTANCE), data, "mexico_colombia")
    assert [b.key for b in bars] == ["mexico_colombia.price", "stay.recovery_days", "stay.pre_days"]
    price = bars[0]
    assert (price.at_low, price.base, price.at_high) == (6773, 10773, 14773)
    # recovery 2 vs 4 days at 250 + 136 a day, others at mid: 10,773 -/+ 386
    assert (bars[1].at_low, bars[1].at_high) == (10773 - 386, 10773 + 386)


def test_tornado_of_savings_includes_the_home_price(data):
    bars = tornado(make_scenario(data, **MEXICO_ACCEPTANCE), data, "mexico_colombia", metric="savings")
    assert bars[0].key == "home.price"
    assert (bars[0].at_low, bars[0].at_high) == (15000 - 10773, 25000 - 10773)


# --- CLI -----------------------------------------------------------------------------------------------


def test_cli_simulate_json(tmp_path):
    path = write_json(tmp_path / "mexico.json", MEXICO_ACCEPTANCE)
    args = ("simulate", str(path), "--draws", "5000", "--seed", "3", "--format", "json")
    first, second = run_cli(*args), run_cli(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    out = json.loads(first.stdout)
    assert (out["draws"], out["seed"], out["distribution"]) == (5000, 3, "uniform")
    dest = out["destinations"][0]
    assert dest["id"] == "mexico_colombia"
    assert 6194 <= dest["total"]["p5"] <= dest["total"]["p50"] <= dest["total"]["p95"] <= 15352
    assert 0.9 < dest["p_saves_money"] <= 1


def test_cli_simulate_with_risk_and_triangular(tmp_path):
    path = write_json(tmp_path / "mexico.json", MEXICO_ACCEPTANCE)
    result = run_cli(
        "simulate", str(path), "--draws", "2000", "--distribution", "triangular",
        "--complication-pct", "5", "--care-cost", "3000", "100000", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["distribution"] == "triangular"
    assert out["risk"]["expected_cost"] == pytest.approx(2575)
    assert "risk_adjusted" in out["destinations"][0]


def test_cli_simulate_table_and_bad_input(tmp_path):
    path = write_json(tmp_path / "mexico.json", MEXICO_ACCEPTANCE)
    table = run_cli("simulate", str(path), "--draws", "1000")
    assert table.returncode == 0, table.stderr
    assert "P(saves money)" in table.stdout and "Mexico / Colombia" in table.stdout
    bad = run_cli("simulate", str(path), "--draws", "0")
    assert bad.returncode == 2 and bad.stdout == ""
    assert "--draws" in bad.stderr
    risk = run_cli("simulate", str(path), "--complication-pct", "150", "--care-cost", "1", "2")
    assert risk.returncode == 2 and "--complication-pct" in risk.stderr
    missing = run_cli("simulate", str(Path(tmp_path / "nope.json")))
    assert missing.returncode == 2 and "nope.json" in missing.stderr


# --- tables and charts ---------------------------------------------------------------------------------


def test_histogram_and_charts_cover_every_destination(data):
    from calculator.present.charts import tornado_chart, uncertainty_chart
    from calculator.present.uncertainty_tables import histogram_frame, marks_frame, percentile_table, tornado_frame

    scenario = make_scenario(data, **FULL)
    sim = simulate(scenario, data, draws=5000, seed=1, bins=20)
    hist = histogram_frame(sim)
    assert hist.groupby("destination")["draws"].sum().tolist() == [5000, 5000, 5000]
    assert hist.groupby("destination")["share"].sum().round(9).tolist() == [1.0, 1.0, 1.0]
    comparison = compare(scenario, data)
    first = hist[hist["destination"] == "Mexico / Colombia"]
    assert first["bin_start"].iloc[0] == comparison.destinations[0].savings.low
    assert first["bin_end"].iloc[-1] == comparison.destinations[0].savings.high
    spec = uncertainty_chart(hist, marks_frame(sim), "USD", "Savings").to_dict()
    assert [p["title"] for p in spec["vconcat"]] == ["Mexico / Colombia", "Turkey / Thailand", "India / Malaysia"]
    assert list(percentile_table(sim).index)[-1] == "Home (for reference)"
    bars = {d.name: tornado(scenario, data, d.id) for d in comparison.destinations}
    frame = tornado_frame(bars, "USD")
    assert frame["row"].iloc[0] == "Mexico / Colombia: price per session"
    assert set(frame["end"]) == {"Low end", "High end"}
    assert {"1 day", "3 days", "4,000 USD"} <= set(frame["input_value"])
    assert tornado_chart(frame, "USD", "What moves").to_dict()["title"] == "What moves"


def test_chance_text_never_rounds_a_possibility_away():
    from calculator.present.simulation_output import chance_text

    assert chance_text(0.9998) == "over 99.9%"
    assert chance_text(0.0004) == "under 0.1%"
    assert (chance_text(1.0), chance_text(0.0), chance_text(0.5)) == ("100.0%", "0.0%", "50.0%")
