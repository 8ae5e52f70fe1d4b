"""The Compare page in AppTest: the table, the chart, warnings, and totals that follow the inputs."""

from streamlit.testing.v1 import AppTest

from tests.conftest import APP, APPTEST_TIMEOUT


def run_app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    assert not at.exception
    return at


def table(at: AppTest):
    return at.dataframe[0].value


def test_default_page_shows_three_destinations_with_sources(data):
    at = run_app()
    frame = table(at)
    assert list(frame.columns) == [
        "United States / Western Europe (home)",
        "Mexico / Colombia",
        "Turkey / Thailand",
        "India / Malaysia",
    ]
    assert frame.loc["Procedure", "Mexico / Colombia"] == "USD 4,000 to 12,000 ⚠"
    assert frame.loc["Flights", "Mexico / Colombia"] == "— missing input"
    # Mexico City per diem: lodging 250 x 4-7, M&IE 136 x 4-7; no fare yet.
    assert frame.loc["Total", "Mexico / Colombia"] == "USD 5,544 to 14,702 ⚠"
    assert frame.loc["Broker says you save", "Mexico / Colombia"] == "50–70% (procedure only) ⚠"
    assert len(at.get("vega_lite_chart")) == 1
    messages = " ".join(e.value for e in at.error) + " ".join(w.value for w in at.warning)
    assert "experimental" in messages
    assert "flights left out of the total" in messages
    assert any("not medical advice" in c.value for c in at.caption)


def test_entering_a_fare_and_a_traveller_changes_the_total():
    at = run_app()
    at.number_input(key="in_fare|mexico_colombia|USD").set_value(650).run()
    assert table(at).loc["Total", "Mexico / Colombia"] == "USD 6,194 to 15,352 ⚠"
    assert table(at).loc["You save", "Mexico / Colombia"] == "USD -352 to 18,806"
    at.number_input(key="in_travellers").set_value(2).run()
    # + a second fare (650) and a second traveller's M&IE (136 x 4-7)
    assert table(at).loc["Total", "Mexico / Colombia"] == "USD 7,388 to 16,954 ⚠"
    assert not at.exception


def test_mid_view_and_an_own_quote():
    at = run_app()
    at.checkbox(key="in_has_quote|turkey_thailand").check().run()
    at.number_input(key="in_quote_low|turkey_thailand").set_value(5200).run()
    at.number_input(key="in_quote_high|turkey_thailand").set_value(5200).run()
    frame = table(at)
    assert frame.loc["Procedure", "Turkey / Thailand"] == "USD 5,200"
    at.segmented_control(key="compare_view").set_value("mid").run()
    # Istanbul per diem, mid stay 5.5 days: 5200 + 344 x 5.5 + 173 x 5.5
    assert table(at).loc["Total", "Turkey / Thailand"] == f"USD {round(5200 + 344 * 5.5 + 173 * 5.5):,}"


def test_invalid_inputs_keep_the_last_figures():
    at = run_app()
    at.multiselect(key="in_destinations").set_value([]).run()
    assert not at.exception
    assert any("Pick at least one destination" in i.value for i in at.info)
    assert "Mexico / Colombia" in table(at).columns
