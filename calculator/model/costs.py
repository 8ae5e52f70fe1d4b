"""The deterministic cost model of DESIGN.md section 4, one formula per function.

Every function is linear in its range inputs, so applying it to a :class:`Span`
gives the low case from the low ends and the high case from the high ends, and
``mid = (low + high) / 2``. Inputs may be scalars or numpy arrays (a batch of
scenarios): the same code serves both. Money is in the scenario's currency.
"""

from __future__ import annotations

import numpy as np

from calculator.model.span import Number, Span, span_sum


def procedure(price_per_session: Span, sessions: Number) -> Span:
    """Procedure cost: price_per_session x sessions (price from data/costs.csv or a quote)."""
    return price_per_session * sessions


def flights(fare_per_traveller: Number, travellers: Number) -> Span:
    """Return fares: fare_per_traveller x travellers (a user input; no cited default)."""
    return Span.of(fare_per_traveller * travellers)


def lodging(per_night: Number, rooms: Number, nights: Span) -> Span:
    """Lodging for the stay abroad: per_night x rooms x nights.

    per_night is a per-room rate; its default is the destination city's U.S. State
    Department per diem lodging ceiling (data/travel_costs.csv).
    """
    return nights * (per_night * rooms)


def paid_nights(nights: Span, included: Number) -> Span:
    """Nights the traveller pays for: max(0, nights - included); ``included`` = the package's hotel nights."""
    if np.ndim(included) == 0 and included == 0:
        return nights
    return Span(np.maximum(nights.low - included, 0)[()], np.maximum(nights.high - included, 0)[()])


def daily(per_traveller: Number, travellers: Number, days: Span) -> Span:
    """Meals and incidentals: daily_per_traveller x travellers x stay_days."""
    return days * (per_traveller * travellers)


def follow_up(
    trips: Number,
    fare_per_traveller: Number,
    lodging_per_night: Number,
    daily_per_traveller: Number,
    travellers: Number,
    rooms: Number,
    nights: Number,
) -> Span:
    """Return trips for follow-up care.

    follow_up_trips x (fare x travellers + lodging_per_night x rooms x nights
    + daily_per_traveller x travellers x nights).
    """
    per_trip = fare_per_traveller * travellers + lodging_per_night * rooms * nights
    return Span.of(trips * (per_trip + daily_per_traveller * travellers * nights))


def contingency(pct: Number, subtotal: Span) -> Span:
    """Reserve for the unexpected: contingency_pct / 100 x (procedure + travel parts)."""
    return subtotal * (pct / 100)


def lost_income(per_day: Number, days: Span) -> Span:
    """Income lost while away or recovering: lost_income_per_day x days."""
    return days * per_day


def total(parts: list[Span]) -> Span:
    """The sum of the parts that could be computed."""
    return span_sum(parts)


def savings(home_total: Span, destination_total: Span) -> Span:
    """Savings vs home: worst = home.low - d.high, best = home.high - d.low, mid = home.mid - d.mid."""
    return home_total - destination_total


def _pct(part: Number, whole: Number) -> Number:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.asarray(whole) != 0, 100 * np.asarray(part, dtype=float) / whole, np.nan)[()]


def savings_pct(saved: Span, home_total: Span) -> tuple[Number, Number, Number]:
    """Savings in percent of home: worst / home.low, mid / home.mid, best / home.high (NaN if home is 0)."""
    return (_pct(saved.low, home_total.low), _pct(saved.mid, home_total.mid), _pct(saved.high, home_total.high))


def procedure_only_savings_pct(destination_price: Span, home_price: Span) -> tuple[Number, Number]:
    """Like-for-like savings on the procedure alone, the basis of a broker's stated savings.

    [100 x (1 - d.price_high / home.price_high), 100 x (1 - d.price_low / home.price_low)].
    """
    return (
        100 - _pct(destination_price.high, home_price.high),
        100 - _pct(destination_price.low, home_price.low),
    )


def stated_savings_mismatch(stated: tuple[float, float], cited: tuple[Number, Number], tolerance: float = 5.0) -> bool:
    """True when either end of the stated range is more than ``tolerance`` points from the cited one."""
    return bool(abs(stated[0] - cited[0]) > tolerance or abs(stated[1] - cited[1]) > tolerance)
