"""Monte Carlo over the scenario's ranges: how the total and the savings spread, and how likely a saving is.

Low / mid / high put every range at the same end at once, which rarely happens. Here each
range is drawn independently, many times, and the deterministic model of DESIGN.md section 4
(:mod:`calculator.model.trips`, the formulas of :mod:`calculator.model.costs`) is applied to every draw.

What is drawn, per draw:

- each price range per session (home, and each destination's cited range or the user's quote):
  uniform between low and high by default, or triangular with its mode at the midpoint;
- each stay field given as a range (pre-treatment, procedure, recovery, travel days): a whole
  number of days, uniform over low..high (whatever the money distribution). The days are drawn
  once per draw and shared by home and every destination (the same patient, the same timeline);
- with the optional risk adjustment, for each destination: whether a complication happens
  (probability p) and, if so, its cost of care (drawn like a price).

Inputs that are single numbers (fares, lodging, daily costs, insurance...) stay as they are, and
a missing input (no fare) leaves its part out exactly as :func:`calculator.model.compare.compare` does.
Savings are drawn jointly: each draw's savings = that draw's home total - that draw's destination
total. With every range collapsed to a point, every draw equals the deterministic result.

Reproducible: every drawn input has its own PCG64 stream, seeded from ``seed`` and the input's
name (``numpy.random.SeedSequence``), so the same seed gives the same draws on every machine,
whatever the chunk size, and adding a destination does not change the others' draws.
Memory stays bounded: draws are made ``CHUNK_DRAWS`` at a time and folded into running statistics
(sums, counts, and the few draws near each percentile), so a million draws need a few MB.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from calculator.model.data import DataBundle
from calculator.model.formatting import money, money_range, percent
from calculator.model.fx import rate_for
from calculator.model.inputs import destination_inputs, home_price
from calculator.model.risk import Risk
from calculator.model.scenario import Scenario
from calculator.model.span import Span
from calculator.model.trips import TripColumns, destination_total, home_total

Distribution = Literal["uniform", "triangular"]
DISTRIBUTIONS: tuple[Distribution, ...] = ("uniform", "triangular")
DISTRIBUTION_TEXT = {
    "uniform": "uniform: every value between low and high equally likely",
    "triangular": "triangular: most likely at the midpoint, tapering to zero at low and high",
}
DEFAULT_DRAWS = 100_000
DEFAULT_SEED = 20260413
MAX_DRAWS = 10_000_000
CHUNK_DRAWS = 32_768
"""Draws per chunk: bounds the memory of the temporaries (256 kB per array, so a chunk stays in the CPU cache)."""
QUANTILES = (5.0, 50.0, 95.0)
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


def resolve(scenario: Scenario, data: DataBundle) -> Model:
    """The scenario's inputs resolved against the data (user figure, else cited default; converted)."""
    rate = rate_for(scenario, data)
    stay = {f: scenario.stay.span(f) for f in STAY_FIELDS}
    trips, names = {}, {}
    for dest in scenario.destinations:
        inputs = destination_inputs(scenario, data, rate, dest)
        trips[dest] = TripColumns(
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
            **stay,
        )
        names[dest] = inputs.price.row.region_name
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


def stream(seed: int, key: str) -> np.random.Generator:
    """The PCG64 generator of one drawn input: seeded from ``seed`` and the input's key."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(key.encode("utf-8")),)))


def draw_steps(rng: np.random.Generator, r: RangedInput, n: int, distribution: Distribution) -> np.ndarray:
    """``n`` draws of one input as steps above its low end.

    Money: a fraction of the way from low to high, uniform on [0, 1) or triangular on [0, 1] with
    its mode at 0.5, so the value is ``low + (high - low) x step``. Whole days: a whole number of
    days 0..(high - low), uniform, so the value is ``low + step``.
    """
    if r.whole_days:
        return rng.integers(0, int(r.high) - int(r.low) + 1, n)
    if distribution == "triangular":
        return rng.triangular(0.0, 0.5, 1.0, n)
    return rng.random(n)


def step_size(r: RangedInput) -> float:
    """What one step of :func:`draw_steps` is worth in the input's unit: high - low for money, 1 day."""
    return 1.0 if r.whole_days else r.high - r.low


def values_from_steps(r: RangedInput, steps: np.ndarray) -> np.ndarray:
    """The input's values for its drawn steps: low + step x step_size (clipped to high against rounding)."""
    if r.whole_days:
        return steps + int(r.low)
    return np.minimum(r.low + (r.high - r.low) * steps, r.high)


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


def _at(model: Model, drawn: list[RangedInput], steps: dict[str, float]) -> tuple[float, dict[str, float]]:
    values = {r.key: Span.of(float(r.low + step_size(r) * steps.get(r.key, 0.0))) for r in drawn}
    home, totals = evaluate(model, values)
    return float(home.low), {d: float(t.low) for d, t in totals.items()}


def affine_form(model: Model, drawn: list[RangedInput]) -> AffineForm | None:
    """The model as an affine function of the drawn steps, or None if a check point disagrees.

    Checked at the all-high corner and at the middle of every range (relative tolerance 1e-9):
    a part that is not linear in a drawn input would show there.
    """
    home0, dest0 = _at(model, drawn, {})
    home_step: dict[str, float] = {}
    dest_step: dict[str, dict[str, float]] = {d: {} for d in dest0}
    for r in drawn:
        home1, dest1 = _at(model, drawn, {r.key: 1.0})
        if home1 != home0:
            home_step[r.key] = home1 - home0
        for d, total in dest1.items():
            if total != dest0[d]:
                dest_step[d][r.key] = total - dest0[d]
    form = AffineForm(home0, home_step, dest0, dest_step)
    for fraction in (1.0, 0.5):
        steps = {r.key: fraction * (r.high - r.low) / step_size(r) for r in drawn}
        home, dest = _at(model, drawn, steps)
        predicted = [form.predict(None, steps), *(form.predict(d, steps) for d in dest)]
        for got, want in zip([home, *dest.values()], predicted, strict=True):
            if not math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-6):
                return None
    return form


@dataclass(frozen=True)
class Percentiles:
    """The 5th, 50th and 95th percentiles (linear interpolation, as numpy.percentile)."""

    p5: float
    p50: float
    p95: float

    def as_dict(self, digits: int = 2) -> dict[str, float]:
        """``{"p5", "p50", "p95"}`` rounded to ``digits``."""
        return {"p5": round(self.p5, digits), "p50": round(self.p50, digits), "p95": round(self.p95, digits)}


@dataclass(frozen=True)
class Histogram:
    """Counts of draws per bin: ``counts[i]`` draws in ``[edges[i], edges[i + 1])``."""

    edges: np.ndarray
    counts: np.ndarray


@dataclass(frozen=True)
class Outcome:
    """The spread of one destination's total and savings over the draws."""

    total: Percentiles
    savings: Percentiles
    p_saves_money: float
    mean_total: float
    mean_savings: float
    savings_histogram: Histogram | None = None


@dataclass(frozen=True)
class DestinationSimulation:
    """One destination: its outcome, and with the risk adjustment, the risk-adjusted outcome."""

    id: str
    name: str
    outcome: Outcome
    risk_adjusted: Outcome | None = None


@dataclass(frozen=True)
class Simulation:
    """The simulation of one scenario: what was drawn, how, and the outcome per destination."""

    draws: int
    seed: int
    distribution: Distribution
    currency: str
    home_total: Percentiles
    home_mean: float
    destinations: tuple[DestinationSimulation, ...]
    drawn: tuple[RangedInput, ...]
    risk: Risk | None = None


def _rank_groups(ranks: Iterable[int]) -> list[list[int]]:
    """Sorted ranks grouped so that neighbours (k, k + 1) share one bracket."""
    groups: list[list[int]] = []
    for r in sorted(set(ranks)):
        if groups and r - groups[-1][-1] <= 1:
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


def _positions(n: int) -> list[float]:
    """Where p5, p50 and p95 fall among n sorted values (0-based, fractional): q / 100 x (n - 1)."""
    return [q / 100 * (n - 1) for q in QUANTILES]


def _needed_ranks(n: int) -> list[int]:
    """The sorted ranks whose values the three percentiles interpolate between."""
    return sorted({r for x in _positions(n) for r in (math.floor(x), min(math.floor(x) + 1, n - 1))})


def _interpolate(n: int, stats: dict[int, float]) -> Percentiles:
    """Linear interpolation between neighbouring order statistics (numpy.percentile's default method)."""
    values = []
    for x in _positions(n):
        k = math.floor(x)
        below, above = stats[k], stats[min(k + 1, n - 1)]
        values.append(below if below == above else below + (above - below) * (x - k))
    return Percentiles(*values)


def percentiles(a: np.ndarray) -> Percentiles:
    """p5, p50 and p95 of ``a`` (linear interpolation, as numpy.percentile), by selection over all of ``a``."""
    ranks = _needed_ranks(a.size)
    part = np.partition(a, ranks)
    return _interpolate(a.size, {r: float(part[r]) for r in ranks})


def _clip(p: Percentiles, bounds: Span) -> Percentiles:
    """Percentiles held within the deterministic range (the affine sums can overshoot by rounding only)."""
    lo, hi = float(bounds.low), float(bounds.high)
    return Percentiles(*(min(max(v, lo), hi) for v in (p.p5, p.p50, p.p95)))


def _row_counts(mask: np.ndarray) -> np.ndarray:
    """The number of True values in each row (row by row: numpy's per-axis count is several times slower)."""
    return np.array([np.count_nonzero(row) for row in mask])


class _Block:
    """Running statistics of several quantities over the draws (one row each), fed chunk by chunk.

    Per row: the sum, the count above zero, a histogram over the row's deterministic range and,
    for the percentiles, either every draw (``store``) or only the draws inside a bracket around
    each needed rank. The brackets come from the first chunk (the draws are independent, so it is
    a random sample): its order statistics 5 standard deviations of the sample rank either side.
    The draws below a bracket are counted, so the percentiles are exact; if a bracket turns out to
    miss its rank (about once in millions), :meth:`percentiles` returns None and the caller runs
    again storing every draw. Every row is handled by the same numpy call (a chunk is 2-D), so the
    cost per chunk does not grow with the number of rows in Python calls.
    """

    def __init__(self, names: list[str], n: int, bounds: list[Span], bins: int, store: bool) -> None:
        self.names, self.n, self.bounds, self.bins, self.store = names, n, bounds, bins, store
        self.index = {name: i for i, name in enumerate(names)}
        self.signed = [i for i, name in enumerate(names) if name.endswith("savings")]
        rows = len(names)
        self.sum = np.zeros(rows)
        self.positive = np.zeros(rows, dtype=np.int64)
        self.counts = [np.zeros(bins, dtype=np.int64) for _ in names]
        self.edges = [
            np.linspace(float(b.low), float(b.high), bins + 1) if bins and float(b.high) > float(b.low) else None
            for b in bounds
        ]
        self.groups = _rank_groups(_needed_ranks(n))
        self.kept: list[np.ndarray] = []
        self.lo = self.hi = np.empty((0, 0))
        self.below = np.zeros((rows, len(self.groups)), dtype=np.int64)
        self.inside: list[list[list[np.ndarray]]] = [[[] for _ in self.groups] for _ in names]

    def add(self, chunk: np.ndarray) -> None:
        """Fold in one chunk: ``chunk[i]`` holds the draws of row i."""
        size = chunk.shape[1]
        self.sum += chunk.sum(axis=1)
        for i in self.signed:
            self.positive[i] += np.count_nonzero(chunk[i] > 0)
        for i, edges in enumerate(self.edges):
            if edges is not None:
                self.counts[i] += np.histogram(chunk[i], bins=edges)[0]
        if self.store:
            self.kept.append(chunk.copy())
            return
        if not self.lo.size:
            self._set_brackets(chunk)
        for g in range(len(self.groups)):
            mask = chunk >= self.lo[:, g, None]
            self.below[:, g] += size - _row_counts(mask)
            np.logical_and(mask, chunk <= self.hi[:, g, None], out=mask)
            found = _row_counts(mask)
            values = chunk[mask]
            for i, part in enumerate(np.split(values, np.cumsum(found)[:-1])):
                self.inside[i][g].append(part)

    def _set_brackets(self, pilot: np.ndarray) -> None:
        m, n = pilot.shape[1], self.n
        spans = []
        for group in self.groups:
            p = group[0] / (n - 1)
            margin = 5 * math.sqrt(m * p * (1 - p)) + 2
            spans.append((math.floor(p * (m - 1) - margin), math.ceil(group[-1] / (n - 1) * (m - 1) + margin)))
        kth = sorted({k for pair in spans for k in pair if 0 <= k < m})
        part = np.partition(pilot, kth, axis=1) if kth else pilot
        rows = pilot.shape[0]
        self.lo = np.array([[part[i, lo] if lo >= 0 else -math.inf for lo, _ in spans] for i in range(rows)])
        self.hi = np.array([[part[i, hi] if hi < m else math.inf for _, hi in spans] for i in range(rows)])

    def percentiles(self, name: str) -> Percentiles | None:
        """p5, p50, p95 of one row over every draw added (None if a bracket missed its rank)."""
        i = self.index[name]
        if self.store:
            return _clip(percentiles(np.concatenate([k[i] for k in self.kept])), self.bounds[i])
        stats: dict[int, float] = {}
        for g, group in enumerate(self.groups):
            candidates = np.concatenate(self.inside[i][g])
            below = int(self.below[i, g])
            local = [r - below for r in group]
            if local[0] < 0 or local[-1] >= candidates.size:
                return None
            part = np.partition(candidates, local)
            stats.update({r: float(part[r - below]) for r in group})
        return _clip(_interpolate(self.n, stats), self.bounds[i])

    def mean(self, name: str) -> float:
        return float(self.sum[self.index[name]]) / self.n

    def p_positive(self, name: str) -> float:
        """The share of draws above zero (counted for the savings rows only)."""
        return int(self.positive[self.index[name]]) / self.n

    def histogram(self, name: str) -> Histogram | None:
        i = self.index[name]
        return None if self.edges[i] is None else Histogram(self.edges[i], self.counts[i])


def _affine_into(out: np.ndarray, at_low: float, per_step: dict[str, float], steps: dict, tmp: np.ndarray) -> None:
    """out = at_low + sum(per_step[key] x steps[key]), in place."""
    out.fill(at_low)
    for key, value in per_step.items():
        np.multiply(steps[key], value, out=tmp)
        np.add(out, tmp, out=out)


def _split(x: np.ndarray) -> Span:
    """A chunk's draws as a Span: the first half in ``low``, the second in ``high`` (see calculator.model.trips)."""
    half = x.size // 2
    return Span(x[:half], x[half:])


def _store(out: np.ndarray, value: Span) -> None:
    half = out.size // 2
    out[:half] = value.low
    out[half:] = value.high


@dataclass
class _Run:
    """One pass over the draws: the model, what is drawn, and a _Block of statistics for every quantity."""

    model: Model
    drawn: list[RangedInput]
    form: AffineForm | None
    draws: int
    seed: int
    distribution: Distribution
    risk: Risk | None
    bins: int
    store: bool

    def rows(self) -> tuple[list[str], list[Span], list[int]]:
        """The quantities followed (names), their deterministic ranges, and which rows get a histogram."""
        home, dests = evaluate(self.model, {})
        names, bounds = ["home"], [home]
        for dest, total in dests.items():
            names += [f"{dest}.total", f"{dest}.savings"]
            bounds += [total, home - total]
            if self.risk is not None:
                risky = total + Span(0.0, float(self.risk.care_cost.high))
                names += [f"{dest}.risk_total", f"{dest}.risk_savings"]
                bounds += [risky, home - risky]
        return names, bounds, [i for i, name in enumerate(names) if name.endswith("savings")]

    def run(self) -> _Block:
        """Draw chunk by chunk and fold every quantity into one block of statistics."""
        names, bounds, with_histogram = self.rows()
        block = _Block(names, self.draws, bounds, self.bins, self.store)
        for i in range(len(names)):
            if i not in with_histogram:
                block.edges[i] = None
        row = block.index
        keys = [r.key for r in self.drawn]
        dests = list(self.model.trips)
        if self.risk is not None:
            keys += [f"risk.{d}.{part}" for d in dests for part in ("event", "care_cost")]
            care = RangedInput(
                "risk.care_cost", "Cost of care", *map(float, (self.risk.care_cost.low, self.risk.care_cost.high))
            )
        streams = {key: stream(self.seed, key) for key in keys}
        size = min(CHUNK_DRAWS, self.draws)
        out, tmp = np.empty((len(names), size)), np.empty(size)
        for start in range(0, self.draws, CHUNK_DRAWS):
            size = min(CHUNK_DRAWS, self.draws - start)
            chunk = out[:, :size]
            steps = {r.key: draw_steps(streams[r.key], r, size, self.distribution) for r in self.drawn}
            h = chunk[row["home"]]
            if self.form is not None:
                steps = {key: x.astype(float, copy=False) for key, x in steps.items()}
                _affine_into(h, self.form.home_at_low, self.form.home_per_step, steps, tmp[:size])
                for d in dests:
                    _affine_into(
                        chunk[row[f"{d}.total"]], self.form.at_low[d], self.form.per_step[d], steps, tmp[:size]
                    )
            else:
                values = {r.key: _split(values_from_steps(r, steps[r.key])) for r in self.drawn}
                home_span, dest_spans = evaluate(self.model, values)
                _store(h, home_span)
                for d, span in dest_spans.items():
                    _store(chunk[row[f"{d}.total"]], span)
            for d in dests:
                total = chunk[row[f"{d}.total"]]
                np.subtract(h, total, out=chunk[row[f"{d}.savings"]])
                if self.risk is not None:
                    event = streams[f"risk.{d}.event"].random(size) < self.risk.probability
                    cost = care.low
                    if care.is_range:
                        cost = values_from_steps(
                            care, draw_steps(streams[f"risk.{d}.care_cost"], care, size, self.distribution)
                        )
                    risky = chunk[row[f"{d}.risk_total"]]
                    np.add(total, np.where(event, cost, 0.0), out=risky)
                    np.subtract(h, risky, out=chunk[row[f"{d}.risk_savings"]])
            block.add(chunk)
        return block


def _outcome(block: _Block, total: str, saved: str) -> Outcome | None:
    total_p, saved_p = block.percentiles(total), block.percentiles(saved)
    if total_p is None or saved_p is None:
        return None
    return Outcome(
        total_p, saved_p, block.p_positive(saved), block.mean(total), block.mean(saved), block.histogram(saved)
    )


Method = Literal["auto", "direct"]


def simulate(
    scenario: Scenario,
    data: DataBundle,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    distribution: Distribution = "uniform",
    risk: Risk | None = None,
    bins: int = 0,
    method: Method = "auto",
) -> Simulation:
    """Draw every range ``draws`` times; percentiles of total and savings, and P(savings > 0), per destination.

    ``bins`` > 0 adds a histogram of each destination's savings over its deterministic range
    (for charts). ``method`` "auto" evaluates the model's affine form (measured on the model, see
    :func:`affine_form`) on the draws; "direct" (and "auto" if the form's check fails) applies the
    cost formulas to the draws. Both give the same draws; the totals agree to rounding.
    """
    if not 1 <= draws <= MAX_DRAWS:
        raise ValueError(f"draws must be between 1 and {MAX_DRAWS:,}")
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {', '.join(DISTRIBUTIONS)}")
    model = resolve(scenario, data)
    drawn = [r for r in ranged_inputs(model) if r.is_range]
    form = affine_form(model, drawn) if method == "auto" else None
    active_risk = risk if risk is not None and risk.probability > 0 else None
    run = _Run(model, drawn, form, draws, seed, distribution, active_risk, bins, store=draws <= CHUNK_DRAWS)
    block = run.run()
    results = [_results(model, block, dest, active_risk is not None) for dest in model.trips]
    home = block.percentiles("home")
    if home is None or None in results:
        block = replace(run, store=True).run()
        results = [_results(model, block, dest, active_risk is not None) for dest in model.trips]
        home = block.percentiles("home")
    return Simulation(
        draws=draws,
        seed=seed,
        distribution=distribution,
        currency=model.currency,
        home_total=home,
        home_mean=block.mean("home"),
        destinations=tuple(results),
        drawn=tuple(drawn),
        risk=risk,
    )


def _results(model: Model, block: _Block, dest: str, with_risk: bool) -> DestinationSimulation | None:
    outcome = _outcome(block, f"{dest}.total", f"{dest}.savings")
    risky = _outcome(block, f"{dest}.risk_total", f"{dest}.risk_savings") if with_risk else None
    if outcome is None or (with_risk and risky is None):
        return None
    return DestinationSimulation(dest, model.names[dest], outcome, risky)


def simulation_dict(sim: Simulation) -> dict:
    """The JSON output of ``simulate`` (DESIGN.md section 6); money rounded to cents, probabilities unrounded."""

    def outcome(o: Outcome) -> dict:
        return {
            "total": o.total.as_dict(),
            "savings": o.savings.as_dict(),
            "p_saves_money": o.p_saves_money,
            "mean_total": round(o.mean_total, 2),
            "mean_savings": round(o.mean_savings, 2),
        }

    return {
        "draws": sim.draws,
        "seed": sim.seed,
        "distribution": sim.distribution,
        "currency": sim.currency,
        "home": {"total": sim.home_total.as_dict(), "mean_total": round(sim.home_mean, 2)},
        "destinations": [
            {
                "id": d.id,
                "name": d.name,
                **outcome(d.outcome),
                **({"risk_adjusted": outcome(d.risk_adjusted)} if d.risk_adjusted else {}),
            }
            for d in sim.destinations
        ],
        "drawn": [
            {
                "input": r.key,
                "low": r.low,
                "high": r.high,
                "distribution": "uniform whole days" if r.whole_days else sim.distribution,
            }
            for r in sim.drawn
        ],
        "risk": None
        if sim.risk is None
        else {
            "probability": sim.risk.probability,
            "care_cost": {"low": float(sim.risk.care_cost.low), "high": float(sim.risk.care_cost.high)},
            "expected_cost": round(sim.risk.expected_cost, 2),
            "sources": list(sim.risk.sources),
        },
    }


def chance_text(p: float) -> str:
    """A probability as a percent that never rounds a possibility away: "over 99.9%" rather than "100.0%"."""
    if 0.999 < p < 1:
        return "over 99.9%"
    if 0 < p < 0.001:
        return "under 0.1%"
    return percent(100 * p)


def _range_text(r: RangedInput) -> str:
    if r.whole_days:
        return f"{int(r.low)} to {int(r.high)} days"
    return f"{r.low:,.2f} to {r.high:,.2f}"


def simulation_table(sim: Simulation) -> str:
    """A plain-text table of the percentiles for a terminal, with what was drawn and how."""
    cur = sim.currency
    header = ["", "Total p5", "p50", "p95", "Savings p5", "p50", "p95", "P(saves money)"]
    rows = [["Home", *(money(v, cur) for v in (sim.home_total.p5, sim.home_total.p50, sim.home_total.p95))]]
    rows[0] += ["", "", "", ""]
    for d in sim.destinations:
        for label, o in ((d.name, d.outcome), (f"{d.name}, risk-adjusted", d.risk_adjusted)):
            if o is None:
                continue
            rows.append(
                [
                    label,
                    *(money(v, cur) for v in (o.total.p5, o.total.p50, o.total.p95)),
                    *(money(v, cur) for v in (o.savings.p5, o.savings.p50, o.savings.p95)),
                    chance_text(o.p_saves_money),
                ]
            )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"Monte Carlo: {sim.draws:,} draws, seed {sim.seed}, {DISTRIBUTION_TEXT[sim.distribution]}", ""]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]]
    lines += ["", "Drawn (whole days always uniform):"]
    lines += [f"  {r.label}: {_range_text(r)}" for r in sim.drawn] or ["  nothing: every input is a point"]
    if sim.risk is not None:
        lines.append(
            f"Risk adjustment: {percent(100 * sim.risk.probability)} chance of a complication costing "
            f"{money_range(sim.risk.care_cost, cur)}; expected cost {money(sim.risk.expected_cost, cur)} per trip"
        )
    return "\n".join(lines) + "\n"
