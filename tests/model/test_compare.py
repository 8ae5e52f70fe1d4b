"""Whole comparisons against totals computed by hand from the seed figures."""

import math

import pytest

from calculator.model.compare import compare
from calculator.model.span import Span
from tests.conftest import MEXICO_ACCEPTANCE, make_scenario


def codes(alerts):
    return sorted(a.code for a in alerts)


def approx_span(span, low, high):
    assert span.low == pytest.approx(low, abs=0.01)
    assert span.high == pytest.approx(high, abs=0.01)


def test_acceptance_mexico_one_traveller(data):
    c = compare(make_scenario(data, **MEXICO_ACCEPTANCE), data)
    d = c.destinations[0]
    # procedure 4,000-12,000 + flights 650 + lodging 250 x 4-7 + daily 136 x 4-7
    assert d.total == Span(6194, 15352)
    assert d.total.mid == 10773
    assert d.savings == Span(-352, 18806)
    assert d.savings.mid == 9227
    assert d.savings_pct[0] == pytest.approx(-352 / 15000 * 100)
    assert d.savings_pct[1] == pytest.approx(9227 / 20000 * 100)
    assert d.savings_pct[2] == pytest.approx(18806 / 25000 * 100)
    assert d.parts["lodging"].value == Span(1000, 1750)
    assert d.parts["daily"].value == Span(544, 952)
    assert c.home.total == Span(15000, 25000)
    # Issue 2's four warnings, plus the stay (issue 3), regulators and the unanswered checklist (issue 4).
    assert codes(d.alerts) == [
        "critical_item_not_verified",
        "package_inclusions_unverified",
        "regulatory_restriction",
        "regulatory_restriction",
        "stated_savings_excludes_travel",
        "vendor_claim_price",
    ]
    assert codes(c.alerts) == [
        "experimental_treatment",
        "open_ended_high",
        "regulatory_restriction",
        "short_stay_before_flying",
        "vendor_claim_price",
    ]


def test_acceptance_warnings_name_their_sources(data):
    c = compare(make_scenario(data, **MEXICO_ACCEPTANCE), data)
    by_code = {a.code: a for a in c.alerts}
    assert by_code["experimental_treatment"].sources == ("hansen_2025_msc_scarring", "fda_regenerative_2021")
    assert by_code["open_ended_high"].subject == "home.procedure"
    assert "25,000+" in by_code["open_ended_high"].message
    excl = next(a for a in c.destinations[0].alerts if a.code == "stated_savings_excludes_travel")
    assert excl.message == (
        "The broker says Mexico / Colombia saves 50–70%, on the procedure alone. With the whole trip the "
        "saving is USD -352 to 18,806 (-2.3% to 75.2%, mid 46.1%)."
    )
    assert excl.sources == ("placidway_scar_stem_cell",)


def test_two_travellers_with_contingency_and_insurance(data):
    """Turkey (Istanbul per diem 344 / 173) and India (New Delhi 196 / 116), 2 travellers, 1 room, 15%, 180."""
    s = make_scenario(
        data,
        destinations=["turkey_thailand", "india_malaysia"],
        travellers=2,
        travel={"turkey_thailand": {"fare_per_traveller": 1100}, "india_malaysia": {"fare_per_traveller": 1300}},
        insurance=180,
        contingency_pct=15,
    )
    turkey, india = compare(s, data).destinations
    # Turkey low: 3000 + 2200 + 344x4 + 173x2x4 = 7960; x1.15 + 180 = 9334
    # Turkey high: 10000 + 2200 + 344x7 + 173x2x7 = 17030; x1.15 + 180 = 19764.5
    approx_span(turkey.total, 9334, 19764.5)
    approx_span(turkey.parts["contingency"].value, 1194, 2554.5)
    approx_span(turkey.savings, 15000 - 19764.5, 25000 - 9334)
    assert turkey.savings.mid == pytest.approx(20000 - 14549.25)
    assert turkey.parts["lodging"].sources == ("state_dept_per_diem_2026_04",)
    assert turkey.city == "Istanbul"
    # India low: 2500 + 2600 + 196x4 + 116x2x4 = 6812; x1.15 + 180 = 8013.8
    # India high: 8000 + 2600 + 196x7 + 116x2x7 = 13596; x1.15 + 180 = 15815.4
    approx_span(india.total, 8013.8, 15815.4)
    approx_span(india.savings, -815.4, 16986.2)
    assert "missing_input" not in codes(india.alerts)
    assert "vendor_claim_price" in codes(india.alerts)


def test_euro_quote_missing_fare_follow_up_and_lost_income(data):
    """EUR at the ECB rate (1 EUR = 1.1684 USD); a fixed quote of 5,200 EUR per session, 2 sessions;
    stay 1 + 1 + 3 = 5 days, 2 travel days, lost income 100 EUR/day; no fare, one follow-up trip."""
    s = make_scenario(
        data,
        currency="EUR",
        destinations=["turkey_thailand"],
        sessions=2,
        stay={"pre_days": 1, "procedure_days": 1, "recovery_days": 3, "travel_days": 2},
        quotes={"turkey_thailand": {"low": 5200, "high": 5200, "clinic": "Example Clinic"}},
        lost_income_per_day=100,
        follow_up_trips=1,
    )
    c = compare(s, data)
    d = c.destinations[0]
    usd = 1.1684
    lodging = 344 / usd * 5
    daily = 173 / usd * 5
    expected = 5200 * 2 + lodging + daily + 100 * (5 + 2)
    assert d.parts["flights"].value is None
    assert d.parts["follow_up"].value is None
    assert d.total.low == pytest.approx(expected)
    assert d.total.high == pytest.approx(expected)
    assert d.parts["procedure"].sources == ("user_input",)
    home_low, home_high = 15000 / usd * 2 + 400, 25000 / usd * 2 + 400
    approx_span(c.home.total, home_low, home_high)
    approx_span(d.savings, home_low - expected, home_high - expected)
    assert c.rate.date == "2026-04-13"
    assert math.isclose(c.rate.per_usd, 1 / usd)
    assert "vendor_claim_price" not in codes(d.alerts)
    assert codes(d.alerts).count("missing_input") == 2
    missing = [a for a in d.alerts if a.code == "missing_input"]
    assert [a.subject for a in missing] == ["flights", "follow_up"]
    assert missing[0].message == (
        "Turkey / Thailand: flights left out of the total (enter a return fare per traveller)."
    )


def test_user_rate_for_an_unpublished_currency(data):
    s = make_scenario(data, **{**MEXICO_ACCEPTANCE, "currency": "COP", "fx_rate": 4000})
    c = compare(s, data)
    # The fare, lodging and daily are the user's (in COP); the procedure converts at 4,000 COP per USD.
    assert c.destinations[0].parts["procedure"].value == Span(16_000_000, 48_000_000)
    assert c.rate.source_id == "user_input"
    assert "your rate" in c.rate.describe()


def test_source_ids_cover_every_figure_and_warning(data):
    c = compare(make_scenario(data, **MEXICO_ACCEPTANCE), data)
    ids = c.source_ids()
    assert "placidway_scar_stem_cell" in ids
    assert "user_input" in ids
    assert "hansen_2025_msc_scarring" in ids
    assert all(i in data.sources for i in ids)


def test_acceptance_in_euro_after_converting_the_users_figures(data):
    """Issue 12: the solo Mexico case shown in EUR (ECB 2026-04-13): mid total 9,220, mid saving 7,897."""
    from calculator.model.fx import convert_scenario, rate

    scenario = make_scenario(data, **MEXICO_ACCEPTANCE)
    euro = convert_scenario(scenario, rate("EUR", None, data), data)
    assert euro.travel["mexico_colombia"].fare_per_traveller == pytest.approx(650 / 1.1684, abs=1e-6)
    mexico = compare(euro, data).destinations[0]
    assert round(mexico.total.mid) == 9220  # 10,773 / 1.1684
    assert round(mexico.savings.mid) == 7897  # 9,227 / 1.1684


def test_converting_there_and_back_returns_every_figure_to_the_cent(data):
    from calculator.model.fx import convert_scenario, rate

    raw = {
        **MEXICO_ACCEPTANCE,
        "quotes": {"home": {"low": 18000.0, "high": 19000.0}, "mexico_colombia": {"low": 6500.0, "high": 6500.0}},
        "insurance": 180.0,
        "lost_income_per_day": 123.45,
    }
    start = make_scenario(data, **raw)
    there = start
    for code in ("EUR", "GBP", "THB", "USD"):
        there = convert_scenario(there, rate(code, None, data), data)
    assert there.currency == "USD"
    back = there.model_dump()
    for key in ("insurance", "lost_income_per_day"):
        assert round(back[key], 2) == raw[key]
    assert {k: round(back["quotes"]["home"][k], 2) for k in ("low", "high")} == {"low": 18000, "high": 19000}
    assert round(back["travel"]["mexico_colombia"]["fare_per_traveller"], 2) == 650
    assert compare(there, data).destinations[0].total.as_dict() == compare(start, data).destinations[0].total.as_dict()


def test_stated_savings_message_does_not_call_a_total_with_missing_parts_the_whole_trip(data):
    """No fare: the saving is over the parts entered, and the message says which part is not included yet."""
    raw = {k: v for k, v in MEXICO_ACCEPTANCE.items() if k != "travel"}
    mexico = compare(make_scenario(data, **raw), data).destinations[0]
    (alert,) = [a for a in mexico.alerts if a.code == "stated_savings_excludes_travel"]
    assert "With the parts of the trip entered (flights not included yet) the saving is" in alert.message
    assert "whole trip" not in alert.message
    full = compare(make_scenario(data, **MEXICO_ACCEPTANCE), data).destinations[0]
    (alert,) = [a for a in full.alerts if a.code == "stated_savings_excludes_travel"]
    assert "With the whole trip the saving is USD -352 to 18,806" in alert.message
