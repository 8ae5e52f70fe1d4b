"""Break-even and sensitivity: where a destination stops saving money, and which inputs move its total most.

Every part of the model is linear (DESIGN.md section 4), so the break-even points have a closed
form: evaluate the model at two values of one input and solve the straight line for a saving of
zero. The model is always the one of :mod:`calculator.model.trips` (the formulas of
:mod:`calculator.model.costs`); nothing here repeats its arithmetic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

from calculator.model.data import DataBundle
from calculator.model.ranged import evaluate, ranged_inputs, resolve
from calculator.model.scenario import Scenario
from calculator.model.span import Span
from calculator.model.trips import destination_total

Metric = Literal["total", "savings"]


@dataclass(frozen=True)
class BreakEven:
    """Where one destination's saving reaches zero.

    ``fare_at_mid`` / ``fare_at_worst``: the return fare per traveller at which the mid / worst-case
    saving is zero (a higher fare loses money; a negative value means the trip loses money even
    with free flights). ``per_fare``: how much the total rises per unit of fare per traveller
    (travellers x (1 + follow_up_trips) x (1 + contingency_pct / 100)). ``home_multiplier_mid``:
    the factor on the home price at which the mid saving is zero (below it, home is cheaper);
    ``home_price_mid``: that home price per session (the multiplier x the home mid price).
    """

    id: str
    name: str
    fare: float | None
    fare_at_mid: float
    fare_at_worst: float
    per_fare: float
    home_multiplier_mid: float
    home_price_mid: float


def _root(at_zero: float, at_one: float, target: float) -> float:
    """The x at which the line through (0, at_zero) and (1, at_one) reaches ``target``."""
    slope = at_one - at_zero
    return math.nan if slope == 0 else (target - at_zero) / slope


def break_even(scenario: Scenario, data: DataBundle) -> list[BreakEven]:
    """Each destination's break-even fare (mid and worst case) and home price multiplier (mid).

    Mid saving = home.mid - d.mid and worst = home.low - d.high are linear in the fare and in
    the home price, so each break-even point is the root of the line through two evaluations
    of the model (fare 0 and 1; home price x 0 and x 1).
    """
    model = resolve(scenario, data)
    home, totals = evaluate(model, {})
    home_free, _ = evaluate(model, {"home.price": model.home_price * 0.0})
    out = []
    for dest, trip in model.trips.items():
        free = destination_total(replace(trip, fare=0.0))
        unit = destination_total(replace(trip, fare=1.0))
        mid = float(totals[dest].mid)
        out.append(
            BreakEven(
                id=dest,
                name=model.names[dest],
                fare=None if math.isnan(trip.fare) else float(trip.fare),
                fare_at_mid=_root(float(free.mid), float(unit.mid), float(home.mid)),
                fare_at_worst=_root(float(free.high), float(unit.high), float(home.low)),
                per_fare=float(unit.mid - free.mid),
                home_multiplier_mid=_root(float(home_free.mid), float(home.mid), mid),
                home_price_mid=_root(float(home_free.mid), float(home.mid), mid) * float(model.home_price.mid),
            )
        )
    return out


@dataclass(frozen=True)
class TornadoBar:
    """One input at its low end and at its high end (every other range at its midpoint)."""

    key: str
    label: str
    low: float
    high: float
    at_low: float
    at_high: float
    base: float

    @property
    def swing(self) -> float:
        """How far the metric moves between the input's two ends."""
        return abs(self.at_high - self.at_low)


def _metric(home: Span, total: Span, metric: Metric) -> float:
    return float(total.low if metric == "total" else home.low - total.low)


def tornado(scenario: Scenario, data: DataBundle, destination: str, metric: Metric = "total") -> list[TornadoBar]:
    """Which ranged inputs move one destination's mid total (or mid saving) most, largest first.

    Each bar evaluates the model with every range at its midpoint except one input, at its low
    end and at its high end. Inputs that do not move the metric are left out.
    """
    model = resolve(scenario, data)
    inputs = [r for r in ranged_inputs(model) if r.is_range]
    mid = {r.key: Span.of((r.low + r.high) / 2) for r in inputs}

    def at(values: dict[str, Span]) -> float:
        home, totals = evaluate(model, values)
        return _metric(home, totals[destination], metric)

    base = at(mid)
    bars = [
        TornadoBar(
            r.key, r.label, r.low, r.high, at({**mid, r.key: Span.of(r.low)}), at({**mid, r.key: Span.of(r.high)}), base
        )
        for r in inputs
    ]
    return sorted((b for b in bars if b.swing > 0), key=lambda b: b.swing, reverse=True)
