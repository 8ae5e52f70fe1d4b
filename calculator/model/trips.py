"""The cost model over columns: many trips at once (a batch of scenarios, or Monte Carlo draws).

The formulas are those of :mod:`calculator.model.costs` (DESIGN.md section 4), applied to numpy
columns with one element per trip; scalars broadcast. :func:`calculator.model.compare.compare`
composes the same formulas for one scenario with Python branches for missing inputs; here a
missing input is ``NaN`` in its column and its part counts as 0 (adding 0.0 leaves a sum
unchanged, so the totals equal compare's exactly). Tests check the two agree.

A :class:`~calculator.model.span.Span`'s two ends are two independent evaluations of the same
end-by-end formulas: a batch puts every range's low end in ``low`` and its high end in
``high``; a simulation puts one half of a chunk's draws in each end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calculator.model import costs
from calculator.model.span import Number, Span

MISSING_PARTS = ("flights", "lodging", "daily", "follow_up")
"""The parts that can be left out for lack of an input (no fare, no lodging or daily figure)."""


@dataclass(frozen=True)
class TripColumns:
    """The inputs of one destination's trip, one element per trip (scalars broadcast).

    Money is in the trip's currency. ``fare``, ``lodging_per_night`` and
    ``daily_per_traveller`` are ``NaN`` where the input is missing.
    """

    sessions: Number
    travellers: Number
    rooms: Number
    price: Span
    fare: Number
    lodging_per_night: Number
    daily_per_traveller: Number
    follow_up_trips: Number
    follow_up_nights: Number
    contingency_pct: Number
    insurance: Number
    lost_income_per_day: Number
    pre_days: Span
    procedure_days: Span
    recovery_days: Span
    travel_days: Span
    lodging_nights_included: Number = 0
    """Hotel nights a clinic's package includes: lodging is paid for max(0, stay_days - these)."""


def stay_days(pre_days: Span, procedure_days: Span, recovery_days: Span) -> Span:
    """Days at the destination: pre_days + procedure_days + recovery_days (DESIGN.md section 4)."""
    return pre_days + procedure_days + recovery_days


def home_total(
    price: Span, sessions: Number, lost_income_per_day: Number, procedure_days: Span, recovery_days: Span
) -> Span:
    """Home: procedure + lost_income_per_day x (procedure_days + recovery_days); no travel, no contingency."""
    days = procedure_days + recovery_days
    return costs.total([costs.procedure(price, sessions), costs.lost_income(lost_income_per_day, days)])


def _known(value: Number) -> tuple[Number, Number]:
    """(value with NaN as 0, True where the value is known)."""
    known = ~np.isnan(value)
    return np.where(known, value, 0.0), known


def missing_parts(cols: TripColumns) -> dict[str, np.ndarray]:
    """For each part that can be left out, True where its input is missing (follow-up only when trips > 0)."""
    no_fare, no_lodging, no_daily = (np.isnan(v) for v in (cols.fare, cols.lodging_per_night, cols.daily_per_traveller))
    incomplete = (no_fare | no_lodging | no_daily) & (np.asarray(cols.follow_up_trips) > 0)
    return {"flights": no_fare, "lodging": no_lodging, "daily": no_daily, "follow_up": incomplete}


def destination_total(cols: TripColumns) -> Span:
    """A destination's whole-trip total; a part whose input is missing counts as 0 (left out).

    total = procedure + flights + lodging + daily + follow_up + contingency + insurance + lost_income,
    lodging = lodging_per_night x rooms x max(0, stay_days - lodging_nights_included),
    contingency = contingency_pct / 100 x (procedure + flights + lodging + daily + follow_up).
    """
    fare, has_fare = _known(cols.fare)
    lodging, has_lodging = _known(cols.lodging_per_night)
    daily, has_daily = _known(cols.daily_per_traveller)
    days = stay_days(cols.pre_days, cols.procedure_days, cols.recovery_days)
    trips = np.where(has_fare & has_lodging & has_daily, cols.follow_up_trips, 0)
    parts = [
        costs.procedure(cols.price, cols.sessions),
        costs.flights(fare, cols.travellers),
        costs.lodging(lodging, cols.rooms, costs.paid_nights(days, cols.lodging_nights_included)),
        costs.daily(daily, cols.travellers, days),
        costs.follow_up(trips, fare, lodging, daily, cols.travellers, cols.rooms, cols.follow_up_nights),
    ]
    parts.append(costs.contingency(cols.contingency_pct, costs.total(parts)))
    parts.append(Span.of(np.asarray(cols.insurance, dtype=float)))
    parts.append(costs.lost_income(cols.lost_income_per_day, days + cols.travel_days))
    return costs.total(parts)
