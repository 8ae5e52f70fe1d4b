"""The Compare page in AppTest: the table, the chart, warnings, and totals that follow the inputs."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import APP, APPTEST_TIMEOUT
from tests.ui.answer import answer_html, answer_text, figures, open_destination, set_input, side_by_side


def run_app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    assert not at.exception
    return at


def table(at: AppTest):
    return side_by_side(at)


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
    text = answer_text(at)
    assert "Experimental treatment:" in text
    assert "flights left out of the total" in text  # a warning, folded on its card
    assert text.count("not medical advice") == 1
    # The answer first: one card per destination, flights marked as missing (no fare yet).
    assert text.count("Whole trip, mid (USD)") == text.count("You save, mid (USD)") == 3
    assert figures(at)[0] == f"USD {round((5544 + 14702) / 2):,}"
    # Home mid 20,000 (15,000 to 25,000): saving 20,000 - 10,123 = 9,877, 49.4% of home
    assert figures(at, "saving-mid")[0] == "USD 9,877"
    assert "Flights not included: no fare" in text
    assert '<details><summary>Why: 7 warnings behind these figures</summary><div class="box critical"' in (
        answer_html(at)
    )


def test_entering_a_fare_and_a_traveller_changes_the_total():
    at = run_app()
    open_destination(at, "mexico_colombia")
    set_input(at, "in_fare|mexico_colombia|USD", 650)
    assert table(at).loc["Total", "Mexico / Colombia"] == "USD 6,194 to 15,352 ⚠"
    assert table(at).loc["You save", "Mexico / Colombia"] == "USD -352 to 18,806+"  # home open at the top
    set_input(at, "in_travellers", 2)
    # + a second fare (650) and a second traveller's M&IE (136 x 4-7)
    assert table(at).loc["Total", "Mexico / Colombia"] == "USD 7,388 to 16,954 ⚠"
    assert not at.exception


def test_mid_view_and_an_own_quote():
    at = run_app()
    open_destination(at, "turkey_thailand")
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
    assert "1 USD = 0.8559 EUR (the ECB reference rate of 2026-04-13)" in answer_text(at)
    at.selectbox(key="in_currency").set_value("Other…").run()
    assert any("three-letter currency code" in i.value for i in at.info)
    assert table(at).loc["Lodging", "Mexico / Colombia"].startswith("EUR ")
    at.text_input(key="in_currency_code").set_value("cop").run()
    at.number_input(key="in_fx_rate").set_value(4000).run()
    assert table(at).loc["Lodging", "Mexico / Colombia"] == "COP 4,000,000 to 7,000,000"
    assert table(at).loc["Procedure", "Mexico / Colombia"] == "COP 16,000,000 to 48,000,000 ⚠"
    assert "1 USD = 4,000.0000 COP (your own rate)" in answer_text(at)
    assert not at.exception


def test_zero_lodging_is_kept():
    at = run_app()
    open_destination(at, "mexico_colombia")
    key = next(n.key for n in at.number_input if str(n.key).startswith("in_lodging|mexico_colombia|"))
    set_input(at, key, 0)
    assert table(at).loc["Lodging", "Mexico / Colombia"] == "USD 0"
    set_input(at, "in_travellers", 2)
    assert table(at).loc["Lodging", "Mexico / Colombia"] == "USD 0"


def test_display_currency_converts_the_users_own_figures_and_back_to_the_cent():
    """USD -> EUR -> GBP -> USD with a fare of 650 USD: every total is the hand-converted figure (ECB 2026-04-13)."""
    at = run_app()
    at.multiselect(key="in_destinations").set_value(["mexico_colombia"]).run()
    open_destination(at, "mexico_colombia")
    set_input(at, "in_fare|mexico_colombia|USD", 650)
    set_input(at, "in_travellers", 2)
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
    open_destination(at, "mexico_colombia")
    set_input(at, "in_fare|mexico_colombia|USD", 650)
    at.checkbox(key="in_has_quote|home").check().run()
    set_input(at, "in_quote_low|home", 18000)
    set_input(at, "in_quote_high|home", 18000)
    frame = table(at)
    assert frame.loc["Total", "United States / Western Europe (home)"] == "USD 18,000"
    assert frame.loc["You save", "Mexico / Colombia"] == "USD 2,648 to 11,806"
    assert figures(at, "saving-mid") == ["USD 7,227"]
    assert "The home (United States / Western Europe) procedure price is a broker" not in answer_text(at)
    assert "your written quote" in answer_text(at)


def test_a_figure_input_reruns_only_the_results_and_a_list_input_the_whole_page():
    """Travellers, fares and the like rerun the results fragment alone: the sidebar's ~30 widgets are not sent.

    AppTest holds only what the last run sent: after a figures-only change, no sidebar element (a browser
    keeps showing the sidebar it has); after a change of destinations, the whole page.
    """
    at = run_app()
    assert len(at.sidebar) > 20
    at.number_input(key="in_travellers").set_value(3).run()
    assert len(at.sidebar) == 0 and not at.exception
    # 3 travellers in Mexico City, no fare: 4,000-12,000 + one room 250 x 4-7 nights + 3 x M&IE 136 x 4-7 days
    low, high = 4000 + 1000 + 3 * 544, 12000 + 1750 + 3 * 952
    assert figures(at)[0] == f"USD {round((low + high) / 2):,}" == "USD 11,619"
    assert table(at).loc["Total", "Mexico / Colombia"] == f"USD {low:,} to {high:,} ⚠"
    at.run()  # AppTest's tree back to the whole page
    at.multiselect(key="in_destinations").set_value(["india_malaysia"]).run()
    assert len(at.sidebar) > 10
    assert len(figures(at)) == 1


def test_an_invalid_figure_says_why_beside_the_answer_and_keeps_the_last_figures():
    at = run_app()
    at.multiselect(key="in_destinations").set_value(["mexico_colombia"]).run()
    at.checkbox(key="in_has_quote|home").check().run()
    set_input(at, "in_quote_high|home", 18000)
    set_input(at, "in_quote_low|home", 18000)
    assert figures(at, "saving-mid") == [f"USD {18000 - round((5544 + 14702) / 2):,}"]
    at.number_input(key="in_quote_low|home").set_value(20000).run()  # low above high: refused
    assert len(at.sidebar) == 0
    [error] = at.error
    assert error.value.startswith("Not applied: ")
    assert error.value.endswith("The figures shown are from your last valid inputs.")
    assert figures(at, "saving-mid") == [f"USD {18000 - round((5544 + 14702) / 2):,}"]
    at.run()  # the whole page again: the reason is still shown, once, beside the answer (not in the sidebar)
    assert len(at.error) == 1 and not at.sidebar.error
