"""The Uncertainty and Batch pages in AppTest: percentiles, one-click risk examples, break-even, tornado, upload."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from calculator.model.uncertainty import simulate
from calculator.present.simulation_output import chance_text
from tests.conftest import APP, APPTEST_TIMEOUT, MEXICO_ACCEPTANCE, ROOT, make_scenario, shown
from tests.ui.answer import open_destination

UNCERTAINTY = "ui/pages/uncertainty.py"
BATCH = "ui/pages/batch.py"


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def mexico_only(at: AppTest) -> AppTest:
    at.multiselect(key="in_destinations").set_value(["mexico_colombia"]).run()
    open_destination(at, "mexico_colombia")
    at.number_input(key="in_fare|mexico_colombia|USD").set_value(650).run()
    assert not at.exception
    return at


def test_page_shows_percentiles_chart_break_even_and_tornado(data):
    at = mexico_only(open_page(UNCERTAINTY))
    at.number_input(key="mc_draws").set_value(20_000).run()
    at.number_input(key="mc_seed").set_value(5).run()
    percentiles, drawn, breakeven = frames(at)
    want = simulate(make_scenario(data, **MEXICO_ACCEPTANCE), data, 20_000, 5).destinations[0].outcome
    row = percentiles.loc["Mexico / Colombia"]
    assert row["Total p5"] == f"USD {round(want.total.p5):,}"
    assert row["You save p95"] == f"USD {round(want.savings.p95):,}"
    assert row["Chance of saving money"] == chance_text(want.p_saves_money)
    assert list(drawn["Input"]) == [
        "Home price per session",
        "Mexico / Colombia: price per session",
        "Pre-treatment days",
        "Local recovery days",
    ]
    # break-even by hand: mid saving 9,227 at a fare of 650 for one traveller
    assert breakeven.loc["Mexico / Colombia", "Break-even fare (mid)"] == "USD 9,877"
    assert breakeven.loc["Mexico / Colombia", "Break-even fare (worst case)"] == "USD 298"
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2  # one histogram per destination, then the tornado
    specs = [json.loads(c.proto.spec) for c in charts]
    assert specs[0]["title"] == "Mexico / Colombia"
    assert "what moves the mid total" in json.dumps(specs[1]["title"])
    assert any("Simulated savings vs home (USD, 20,000 draws)" in h.value for h in at.subheader)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Chance of saving money"] == chance_text(want.p_saves_money)


def test_one_click_cited_examples_turn_on_the_risk_adjustment():
    at = mexico_only(open_page(UNCERTAINTY))
    at.number_input(key="mc_draws").set_value(10_000).run()
    assert not at.toggle(key="risk_on").value
    assert at.dataframe[0].value.index[0] == "Mexico / Colombia"
    at.button(key="risk_example_survey_2016_complication_rate").click().run()
    at.button(key="risk_example_cdc_2008_evacuation_cost").click().run()
    assert not at.exception
    assert at.toggle(key="risk_on").value
    assert at.number_input(key="risk_pct").value == 5
    assert (at.number_input(key="risk_care_low").value, at.number_input(key="risk_care_high").value) == (3000, 100000)
    captions = " ".join(c.value for c in at.caption)
    assert "survey of 2016 data" in captions and "Self-reported" in captions
    assert "CDC Yellow Book 2008" in captions and "not adjusted for inflation" in captions
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Expected cost of complications (USD)"] == "USD 2,575"
    assert "Chance of saving money, with complications" in metrics
    info = " ".join(i.value for i in at.info)
    assert "Stoney" in info and "CDC Health Information for International Travel 2008" in info
    table = at.dataframe[0].value
    assert "Mexico / Colombia, with complications" in table.index
    # a figure typed over the example is the user's own
    at.number_input(key="risk_pct").set_value(7.5).run()
    captions = " ".join(c.value for c in at.caption)
    assert "Chance: your figure." in captions


def test_triangular_and_tornado_on_savings():
    at = mexico_only(open_page(UNCERTAINTY))
    at.number_input(key="mc_draws").set_value(5_000).run()
    at.segmented_control(key="mc_distribution").set_value("triangular").run()
    at.segmented_control(key="tornado_metric").set_value("savings").run()
    assert not at.exception
    spec = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    assert "what moves the mid saving" in json.dumps(spec["title"])
    assert "triangular" in at.dataframe[1].value["Drawn as"].iloc[0]


def test_settings_survive_a_visit_to_another_page():
    at = open_page(UNCERTAINTY)
    at.number_input(key="mc_draws").set_value(7_000).run()
    at.switch_page("ui/pages/compare.py").run()
    at.switch_page(UNCERTAINTY).run()
    assert at.number_input(key="mc_draws").value == 7_000


def test_batch_page_computes_an_uploaded_file_and_lists_bad_rows():
    at = open_page(BATCH)
    assert not at.dataframe  # nothing until a file is uploaded
    text = (ROOT / "examples" / "batch.csv").read_text(encoding="utf-8")
    text += "Broken,atlantis,1,,,,,,,,,,\n"
    at.file_uploader(key="batch_upload").set_value(("clients.csv", text.encode("utf-8"), "text/csv")).run()
    assert not at.exception
    assert "1 row(s) could not be computed" in at.warning[0].value
    errors, results = frames(at)
    assert list(errors["line"]) == [5]
    assert "clients.csv, line 5: destinations[0]: unknown destination 'atlantis'" in errors["error"].iloc[0]
    assert list(results["Destination"]) == ["Mexico / Colombia"] * 2 + ["Turkey / Thailand"] * 2
    assert list(results.columns[:3]) == ["Scenario", "Destination", "Whole trip, mid"]
    assert results["Whole trip, mid"].iloc[0] == "USD 10,773"  # issue 2: (6,194 + 15,352) / 2
    assert results["You save, worst to best"].iloc[0] == "USD -352 to 18,806"
    assert results["Warnings"].iloc[0].startswith("3 warnings: price is the broker's estimate (vendor claim)")
    assert "3 scenario(s), 4 row(s) computed" in at.success[0].value
    assert at.get("progress")[0].proto.value == 100
    labels = [b.label for b in at.get("download_button")]
    assert labels == [
        "Download the errors (CSV)",
        "Download the results (XLSX, for people)",
        "Download the results (CSV, for scripts)",
    ]


def test_batch_page_reports_an_unreadable_upload():
    at = open_page(BATCH)
    at.file_uploader(key="batch_upload").set_value(("list.json", b"[{oops", "application/json")).run()
    assert not at.exception
    assert shown(at.error[0].value).startswith("list.json: not valid JSON")


def test_batch_page_refuses_a_file_over_the_upload_limit():
    at = open_page(BATCH)
    big = b"{}\n" * (2_700_000)  # 5.4 MB
    at.file_uploader(key="batch_upload").set_value(("huge.jsonl", big, "application/json")).run()
    assert not at.exception
    assert "more than the 5 MB the app accepts" in at.error[0].value
    assert not at.dataframe
