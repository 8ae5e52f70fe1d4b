"""The Compare page's chart spec, built from the comparison without pandas, equals the exports' spec from frames."""

import json

from calculator.model.compare import compare
from calculator.present.charts import compare_chart_spec, comparison_chart_spec
from calculator.present.citations import vendor_source_ids
from calculator.present.tables import long_frame, totals_frame
from tests.conftest import MEXICO_ACCEPTANCE, make_scenario


def test_the_page_spec_is_the_export_spec_value_for_value(data):
    scenario = make_scenario(
        data,
        **{**MEXICO_ACCEPTANCE, "destinations": ["mexico_colombia", "turkey_thailand", "india_malaysia"]},
        currency="EUR",
    )
    comparison = compare(scenario, data)
    vendors = vendor_source_ids(data.sources)
    title = "Three places: whole-trip cost (EUR)"
    by_rows = comparison_chart_spec(comparison, vendors, title)
    by_frames = compare_chart_spec(long_frame(comparison, vendors), totals_frame(comparison), "EUR", title)
    assert json.dumps(by_rows, sort_keys=True) == json.dumps(by_frames, sort_keys=True)
    components = next(layer for layer in by_rows["layer"] if layer["mark"]["type"] == "bar")["data"]["values"]
    home = [row for row in components if row["target"] == comparison.home.id]
    assert [row["order"] for row in home] == [0] * len(home)
    assert {row["order"] for row in components} == {0, 1, 2, 3}  # home, then the three places in order
    assert by_rows["description"].startswith(f"{title}. Bar chart: each place's mid-case cost stacked by component")
