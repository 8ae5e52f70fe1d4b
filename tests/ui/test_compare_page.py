"""The Compare page in AppTest: the table, the chart, warnings, and totals that follow the inputs."""

import pytest
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
    assert "Experimental treatment:" in " ".join(m.value for m in at.markdown)
    assert "flights left out of the total" in messages.replace("\\", "")
    assert any("not medical advice" in c.value for c in at.caption)
    # The answer first: one card per destination, flights marked as missing (no fare yet).
    assert [m.label for m in at.metric][:2] == ["Whole trip, mid (USD)", "You save, mid (USD)"]
    assert at.metric[0].value == f"USD {round((5544 + 14702) / 2):,}"
    assert "Flights not included: no fare" in " ".join(m.value for m in at.markdown)


def test_entering_a_fare_and_a_traveller_changes_the_total():
    at = run_app()
    at.number_input(key="in_fare|mexico_colombia|USD").set_value(650).run()
    assert table(at).loc["Total", "Mexico / Colombia"] == "USD 6,194 to 15,352 ⚠"
    assert table(at).loc["You save", "Mexico / Colombia"] == "USD -352 to 18,806+"  # home open at the top
    at.number_input(key="in_travellers").set_value(2).run()
    # + a second fare (650) and a second traveller's M&IE (136 x 4-7)
    assert table(at).loc["Total", "Mexico / Colombia"] == "USD 7,388 to 16,954 ⚠"
    assert not at.exception


def test_mid_view_and_an_own_quote():
    at = run_app()
    at.checkbox(key="in_has_quote|turkey_thailand").check().run()
    quote = {"edited_rows": {}, "added_rows": [{"low": 5200}], "deleted_rows": []}
    at.session_state["in_clinics|turkey_thailand"] = quote
    at.run()
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
    assert "1 USD = 0.8559 EUR (the ECB reference rate of 2026-04-13)" in at.caption[0].value
    at.selectbox(key="in_currency").set_value("Other…").run()
    assert any("three-letter currency code" in i.value for i in at.info)
    assert table(at).loc["Lodging", "Mexico / Colombia"].startswith("EUR ")
    at.text_input(key="in_currency_code").set_value("cop").run()
    at.number_input(key="in_fx_rate").set_value(4000).run()
    assert table(at).loc["Lodging", "Mexico / Colombia"] == "COP 4,000,000 to 7,000,000"
    assert table(at).loc["Procedure", "Mexico / Colombia"] == "COP 16,000,000 to 48,000,000 ⚠"
    assert "1 USD = 4,000.0000 COP (your own rate)" in at.caption[0].value
    assert not at.exception


def test_zero_lodging_is_kept():
    at = run_app()
    key = next(n.key for n in at.number_input if str(n.key).startswith("in_lodging|mexico_colombia|"))
    at.number_input(key=key).set_value(0).run()
    assert table(at).loc["Lodging", "Mexico / Colombia"] == "USD 0"
    at.number_input(key="in_travellers").set_value(2).run()
    assert table(at).loc["Lodging", "Mexico / Colombia"] == "USD 0"


def test_display_currency_converts_the_users_own_figures_and_back_to_the_cent():
    """USD -> EUR -> GBP -> USD with a fare of 650 USD: every total is the hand-converted figure (ECB 2026-04-13)."""
    at = run_app()
    at.multiselect(key="in_destinations").set_value(["mexico_colombia"]).run()
    at.number_input(key="in_fare|mexico_colombia|USD").set_value(650).run()
    at.number_input(key="in_travellers").set_value(2).run()
    # 2 travellers, Mexico City: 4,000-12,000 + 2 x 650 + 250 x 4-7 + 2 x 136 x 4-7
    usd_low, usd_high = 4000 + 1300 + 1000 + 1088, 12000 + 1300 + 1750 + 1904
    assert table(at).loc["Total", "Mexico / Colombia"] == f"USD {usd_low:,} to {usd_high:,} ⚠"
    per_usd = {"EUR": 1 / 1.1684, "GBP": 0.87058 / 1.1684}  # ECB: 1 EUR = 1.1684 USD = 0.87058 GBP
    for code in ("EUR", "GBP"):
        at.selectbox(key="in_currency").set_value(code).run()
        assert not at.exception
        low, high = round(usd_low * per_usd[code]), round(usd_high * per_usd[code])
        assert table(at).loc["Total", "Mexico / Colombia"] == f"{code} {low:,} to {high:,} ⚠"
        assert table(at).loc["Flights", "Mexico / Colombia"] == f"{code} {round(1300 * per_usd[code]):,}"
        assert at.number_input(key=f"in_fare|mexico_colombia|{code}").value == pytest.approx(650 * per_usd[code])
        assert any("converted from" in c.value and code in c.value for c in at.caption)
    at.selectbox(key="in_currency").set_value("USD").run()
    assert table(at).loc["Total", "Mexico / Colombia"] == f"USD {usd_low:,} to {usd_high:,} ⚠"
    assert round(at.number_input(key="in_fare|mexico_colombia|USD").value, 2) == 650.00


def test_a_written_home_quote_replaces_the_brokers_home_range():
    at = run_app()
    at.multiselect(key="in_destinations").set_value(["mexico_colombia"]).run()
    at.number_input(key="in_fare|mexico_colombia|USD").set_value(650).run()
    at.checkbox(key="in_has_quote|home").check().run()
    at.number_input(key="in_quote_low|home").set_value(18000).run()
    at.number_input(key="in_quote_high|home").set_value(18000).run()
    frame = table(at)
    assert frame.loc["Total", "United States / Western Europe (home)"] == "USD 18,000"
    assert frame.loc["You save", "Mexico / Colombia"] == "USD 2,648 to 11,806"
    assert at.metric[1].value == "USD 7,227"
    codes = " ".join(w.value for w in at.warning) + " ".join(i.value for i in at.info)
    assert "The home (United States / Western Europe) procedure price is a broker" not in codes.replace("\\", "")
    assert "your written quote" in " ".join(m.value for m in at.markdown)
