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


def test_currency_conversion_and_an_own_rate():
    at = run_app()
    at.selectbox(key="in_currency").set_value("EUR").run()
    # ECB 2026-04-13: 1 EUR = 1.1684 USD; Mexico City lodging 250 USD x 4-7 nights
    assert table(at).loc["Lodging", "Mexico / Colombia"] == f"EUR {round(1000 / 1.1684):,} to {round(1750 / 1.1684):,}"
    assert "1 USD = 0.8559 EUR (ECB reference rate, 2026-04-13)" in at.caption[0].value
    at.selectbox(key="in_currency").set_value("Other…").run()
    assert any("three-letter currency code" in i.value for i in at.info)
    assert table(at).loc["Lodging", "Mexico / Colombia"].startswith("EUR ")
    at.text_input(key="in_currency_code").set_value("cop").run()
    at.number_input(key="in_fx_rate").set_value(4000).run()
    assert table(at).loc["Lodging", "Mexico / Colombia"] == "COP 4,000,000 to 7,000,000"
    assert table(at).loc["Procedure", "Mexico / Colombia"] == "COP 16,000,000 to 48,000,000 ⚠"
    assert "1 USD = 4,000.0000 COP (your rate)" in at.caption[0].value
    assert not at.exception


def test_zero_lodging_is_kept():
    at = run_app()
    key = next(n.key for n in at.number_input if str(n.key).startswith("in_lodging|mexico_colombia|"))
    at.number_input(key=key).set_value(0).run()
    assert table(at).loc["Lodging", "Mexico / Colombia"] == "USD 0"
    at.number_input(key="in_travellers").set_value(2).run()
    assert table(at).loc["Lodging", "Mexico / Colombia"] == "USD 0"
