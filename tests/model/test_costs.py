"""The cost formulas of DESIGN.md section 4, each checked by hand-computed arithmetic."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from calculator.model import costs
from calculator.model.span import Span


def test_lodging_spans_the_stay():
    assert costs.lodging(250, rooms=1, nights=Span(4, 7)) == Span(1000, 1750)


def test_daily_scales_with_travellers_and_days():
    assert costs.daily(136, travellers=2, days=Span(4, 7)) == Span(1088, 1904)


def test_flights_and_procedure():
    assert costs.flights(650, 3) == Span(1950, 1950)
    assert costs.procedure(Span(4000, 12000), 2) == Span(8000, 24000)


def test_follow_up_trip_adds_fare_lodging_and_daily():
    # 2 trips x (650 x 2 + 250 x 1 x 3 + 136 x 2 x 3) = 2 x (1300 + 750 + 816) = 5732
    assert costs.follow_up(2, 650, 250, 136, travellers=2, rooms=1, nights=3) == Span(5732, 5732)


def test_contingency_is_a_percent_of_the_subtotal():
    assert costs.contingency(15, Span(1000, 2000)) == Span(150, 300)


def test_savings_pair_worst_with_best():
    saved = costs.savings(Span(15000, 25000), Span(6194, 15352))
    assert saved == Span(-352, 18806)
    assert saved.mid == 9227


def test_savings_pct_divides_by_the_matching_home_total():
    low, mid, high = costs.savings_pct(Span(-352, 18806), Span(15000, 25000))
    assert math.isclose(low, -352 / 15000 * 100)
    assert math.isclose(mid, 9227 / 20000 * 100)
    assert math.isclose(high, 18806 / 25000 * 100)


def test_savings_pct_is_nan_when_home_costs_nothing():
    low, _, _ = costs.savings_pct(Span(0, 10), Span(0, 10))
    assert math.isnan(low)


def test_procedure_only_savings_for_the_seed_regions():
    # Mexico / Colombia 4,000-12,000 vs home 15,000-25,000: [100(1 - 12/25), 100(1 - 4/15)] = [52, 73.33]
    lo, hi = costs.procedure_only_savings_pct(Span(4000, 12000), Span(15000, 25000))
    assert math.isclose(lo, 52.0)
    assert math.isclose(hi, 100 * (1 - 4000 / 15000))
    assert not costs.stated_savings_mismatch((50, 70), (lo, hi))
    assert costs.stated_savings_mismatch((50, 85), (lo, hi))


def test_formulas_take_numpy_arrays_for_a_batch():
    nights = Span(np.array([4, 5]), np.array([7, 6]))
    got = costs.lodging(np.array([250.0, 100.0]), 1, nights)
    assert got.low.tolist() == [1000, 500]
    assert got.high.tolist() == [1750, 600]


money = st.floats(min_value=0, max_value=1e7, allow_nan=False)
days = st.integers(min_value=0, max_value=60)


@given(money, st.integers(1, 10), days, days)
def test_lodging_low_never_exceeds_high(rate, rooms, a, b):
    got = costs.lodging(rate, rooms, Span(min(a, b), max(a, b)))
    assert got.low <= got.high
    assert math.isclose(got.mid, (got.low + got.high) / 2)


@given(money, money, money, money)
def test_savings_mid_is_home_mid_minus_destination_mid(h1, h2, d1, d2):
    home, dest = Span(min(h1, h2), max(h1, h2)), Span(min(d1, d2), max(d1, d2))
    saved = costs.savings(home, dest)
    assert saved.low <= saved.mid <= saved.high
    assert math.isclose(saved.mid, home.mid - dest.mid, rel_tol=1e-9, abs_tol=1e-6)
