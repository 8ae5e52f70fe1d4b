"""A scenario as the column model sees it: each input a number or a range, and the model evaluated on them.

:func:`resolve` turns a scenario into a :class:`Model` (every input resolved against the data and
converted, as a number or a Span); :func:`ranged_inputs` lists the inputs read as ranges (the
prices and the stay days) and :func:`evaluate` gives the home and destination totals with some of
them replaced. Both the Monte Carlo (:mod:`calculator.model.uncertainty`) and the break-even and
tornado (:mod:`calculator.model.sensitivity`) work on this form. :func:`affine_form` measures the
model as an affine function of the ranged inputs' steps above their low ends, which the Monte
Carlo evaluates on its draws instead of the cost formulas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from calculator.model.data import DataBundle
from calculator.model.fx import rate_for
from calculator.model.inputs import destination_columns, home_price
from calculator.model.scenario import Scenario
from calculator.model.span import Span
from calculator.model.trips import TripColumns, destination_total, home_total

STAY_FIELDS = ("pre_days", "procedure_days", "recovery_days", "travel_days")
STAY_LABELS = {
    "pre_days": "Pre-treatment days",
    "procedure_days": "Procedure days",
    "recovery_days": "Local recovery days",
    "travel_days": "Travel days",
}


@dataclass(frozen=True)
class RangedInput:
    """One input the model reads as a range: its key, label, ends, and whether it is whole days."""

    key: str
    label: str
    low: float
    high: float
    whole_days: bool = False

    @property
    def is_range(self) -> bool:
        """True when low < high (a point is not drawn)."""
        return self.low < self.high


@dataclass(frozen=True)
class Model:
    """A scenario resolved for the column model: every input a number or a Span of numbers."""

    currency: str
    sessions: int
    lost_income_per_day: float
    home_price: Span
    stay: dict[str, Span]
    trips: dict[str, TripColumns]
    names: dict[str, str]
    """Each column's display name (the destination, with the clinic when a quote names one)."""


def column_key(dest: str, n: int, count: int) -> str:
    """A column's key: the destination id, or ``dest:n`` (n from 1) when the destination has several clinic quotes."""
    return dest if count == 1 else f"{dest}:{n + 1}"


def resolve(scenario: Scenario, data: DataBundle) -> Model:
    """The scenario's inputs resolved against the data (user figure, else cited default; converted)."""
    rate = rate_for(scenario, data)
    stay = {f: scenario.stay.span(f) for f in STAY_FIELDS}
    trips, names = {}, {}
    for dest in scenario.destinations:
        columns = destination_columns(scenario, data, rate, dest)
        for n, inputs in enumerate(columns):
            key = column_key(dest, n, len(columns))
            trips[key] = TripColumns(
                sessions=scenario.sessions,
                travellers=scenario.travellers,
                rooms=scenario.rooms,
                price=inputs.price.per_session,
                fare=math.nan if inputs.fare.value is None else inputs.fare.value,
                lodging_per_night=math.nan if inputs.lodging.value is None else inputs.lodging.value,
                daily_per_traveller=math.nan if inputs.daily.value is None else inputs.daily.value,
                follow_up_trips=scenario.follow_up_trips,
                follow_up_nights=scenario.follow_up_nights,
                contingency_pct=scenario.contingency_pct,
                insurance=float(scenario.insurance),
                lost_income_per_day=scenario.lost_income_per_day,
                lodging_nights_included=inputs.lodging_nights_included,
                **stay,
            )
            clinic = inputs.quote.clinic if inputs.quote else None
            name = inputs.price.row.region_name
            names[key] = f"{name} · {clinic}" if clinic else name
    return Model(
        currency=rate.currency,
        sessions=scenario.sessions,
        lost_income_per_day=scenario.lost_income_per_day,
        home_price=home_price(scenario, data, rate).per_session,
        stay=stay,
        trips=trips,
        names=names,
    )


def ranged_inputs(model: Model) -> list[RangedInput]:
    """Every input read as a range (points included): home price, each destination's price, stay days."""
    out = [RangedInput("home.price", "Home price per session", model.home_price.low, model.home_price.high)]
    for dest, trip in model.trips.items():
        label = f"{model.names[dest]}: price per session"
        out.append(RangedInput(f"{dest}.price", label, trip.price.low, trip.price.high))
    for field, span in model.stay.items():
        out.append(RangedInput(f"stay.{field}", STAY_LABELS[field], span.low, span.high, whole_days=True))
    return out


def evaluate(model: Model, values: dict[str, Span]) -> tuple[Span, dict[str, Span]]:
    """Home total and each destination's total, with ``values`` (by RangedInput key) replacing inputs."""
    stay = {f: values.get(f"stay.{f}", span) for f, span in model.stay.items()}
    home = home_total(
        values.get("home.price", model.home_price),
        model.sessions,
        model.lost_income_per_day,
        stay["procedure_days"],
        stay["recovery_days"],
    )
    totals = {
        dest: destination_total(replace(trip, price=values.get(f"{dest}.price", trip.price), **stay))
        for dest, trip in model.trips.items()
    }
    return home, totals


def step_size(r: RangedInput) -> float:
    """What one step of ``uncertainty.draw_steps`` is worth in the input's unit: high - low for money, 1 day."""
    return 1.0 if r.whole_days else r.high - r.low


@dataclass(frozen=True)
class AffineForm:
    """Totals as ``at_low + sum(per_step[key] x steps[key])``: every part of the model is linear.

    ``per_step`` is measured on the model itself: the total with one input one step above its low
    end (the others at low), minus the total with every input at low.
    """

    home_at_low: float
    home_per_step: dict[str, float]
    at_low: dict[str, float]
    per_step: dict[str, dict[str, float]]

    def predict(self, dest: str | None, steps: dict[str, float]) -> float:
        """The total of ``dest`` (home for None) at the given steps, by the affine form."""
        if dest is None:
            return self.home_at_low + sum(v * steps[k] for k, v in self.home_per_step.items())
        return self.at_low[dest] + sum(v * steps[k] for k, v in self.per_step[dest].items())


def _at(
    model: Model, drawn: list[RangedInput], points: list[dict[str, float]]
) -> tuple[list[float], list[dict[str, float]]]:
    """Home and destination totals at each point (steps above the low ends; missing = 0), in one evaluation.

    Every point is one element of the columns, so each total is the same number as evaluating the point alone.
    """
    values = {
        r.key: Span.of(np.array([float(r.low + step_size(r) * steps.get(r.key, 0.0)) for steps in points]))
        for r in drawn
    }
    home, totals = evaluate(model, values)
    homes = np.broadcast_to(np.asarray(home.low, dtype=float), (len(points),))
    dests = {d: np.broadcast_to(np.asarray(t.low, dtype=float), (len(points),)) for d, t in totals.items()}
    return [float(h) for h in homes], [{d: float(t[j]) for d, t in dests.items()} for j in range(len(points))]


def affine_form(model: Model, drawn: list[RangedInput]) -> AffineForm | None:
    """The model as an affine function of the drawn steps, or None if a check point disagrees.

    Checked at the all-high corner and at the middle of every range (relative tolerance 1e-9):
    a part that is not linear in a drawn input would show there.
    """
    checks = [{r.key: fraction * (r.high - r.low) / step_size(r) for r in drawn} for fraction in (1.0, 0.5)]
    homes, dests = _at(model, drawn, [{}, *({r.key: 1.0} for r in drawn), *checks])
    home0, dest0 = homes[0], dests[0]
    home_step: dict[str, float] = {}
    dest_step: dict[str, dict[str, float]] = {d: {} for d in dest0}
    for k, r in enumerate(drawn, start=1):
        home1, dest1 = homes[k], dests[k]
        if home1 != home0:
            home_step[r.key] = home1 - home0
        for d, total in dest1.items():
            if total != dest0[d]:
                dest_step[d][r.key] = total - dest0[d]
    form = AffineForm(home0, home_step, dest0, dest_step)
    for steps, home, dest in zip(checks, homes[-2:], dests[-2:], strict=True):
        predicted = [form.predict(None, steps), *(form.predict(d, steps) for d in dest)]
        for got, want in zip([home, *dest.values()], predicted, strict=True):
            if not math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-6):
                return None
    return form
