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

:mod:`calculator.model.ranged` resolves the scenario and measures its affine form, and
:mod:`calculator.model.draw_stats` holds the running statistics; this module draws and runs.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from calculator.model.data import DataBundle
from calculator.model.draw_stats import Histogram, Percentiles, RunningStats
from calculator.model.ranged import AffineForm, Model, RangedInput, affine_form, evaluate, ranged_inputs, resolve
from calculator.model.risk import Risk
from calculator.model.scenario import Scenario
from calculator.model.span import Span

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


def stream(seed: int, key: str) -> np.random.Generator:
    """The PCG64 generator of one drawn input: seeded from ``seed`` and the input's key."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(key.encode("utf-8")),)))


def draw_steps(
    rng: np.random.Generator, r: RangedInput, n: int, distribution: Distribution, out: np.ndarray | None = None
) -> np.ndarray:
    """``n`` draws of one input as steps above its low end (into ``out``, a float array, if given).

    Money: a fraction of the way from low to high, uniform on [0, 1) or triangular on [0, 1] with
    its mode at 0.5, so the value is ``low + (high - low) x step``. Whole days: a whole number of
    days 0..(high - low), uniform, so the value is ``low + step``.
    """
    if r.whole_days or distribution == "triangular":
        drawn = rng.integers(0, int(r.high) - int(r.low) + 1, n) if r.whole_days else rng.triangular(0.0, 0.5, 1.0, n)
        if out is None:
            return drawn
        out[:] = drawn
        return out
    return rng.random(n, out=out)


def values_from_steps(r: RangedInput, steps: np.ndarray) -> np.ndarray:
    """The input's values for its drawn steps: low + step x step_size (clipped to high against rounding)."""
    if r.whole_days:
        return steps + int(r.low)
    return np.minimum(r.low + (r.high - r.low) * steps, r.high)


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
    """One pass over the draws: the model, what is drawn, and a RunningStats of statistics for every quantity."""

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
        """The quantities followed (names), their deterministic ranges, and which rows get a histogram.

        Home first, then every destination's total, then every saving (so the totals are one block
        of rows that one matrix product fills), then the risk-adjusted rows.
        """
        home, dests = evaluate(self.model, {})
        names = ["home", *(f"{d}.total" for d in dests), *(f"{d}.savings" for d in dests)]
        bounds = [home, *dests.values(), *(home - total for total in dests.values())]
        if self.risk is not None:
            for dest, total in dests.items():
                risky = total + Span(0.0, float(self.risk.care_cost.high))
                names += [f"{dest}.risk_total", f"{dest}.risk_savings"]
                bounds += [risky, home - risky]
        return names, bounds, [i for i, name in enumerate(names) if name.endswith("savings")]

    def coefficients(self, dests: list[str]) -> np.ndarray:
        """The affine form as a matrix: home and each destination's total = matrix @ (1, steps...).

        Column 0 holds each total at every input's low end; column k + 1 the total's change per step of
        drawn input k. Summed in that order, as the form itself adds them.
        """
        assert self.form is not None
        form, keys = self.form, [r.key for r in self.drawn]
        rows = [(form.home_at_low, form.home_per_step), *((form.at_low[d], form.per_step[d]) for d in dests)]
        return np.array([[at_low, *(per_step.get(k, 0.0) for k in keys)] for at_low, per_step in rows])

    def run(self) -> RunningStats:
        """Draw chunk by chunk and fold every quantity into one block of statistics."""
        names, bounds, with_histogram = self.rows()
        block = RunningStats(names, self.draws, bounds, self.bins, self.store)
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
        out, steps_out = np.empty((len(names), size)), np.ones((1 + len(self.drawn), size))  # row 0: ones
        if self.form is not None:
            matrix = self.coefficients(dests)
        totals = slice(1, 1 + len(dests))
        for start in range(0, self.draws, CHUNK_DRAWS):
            size = min(CHUNK_DRAWS, self.draws - start)
            chunk = out[:, :size]
            h = chunk[row["home"]]
            if self.form is not None:
                drawn_steps = steps_out[:, :size]
                for k, r in enumerate(self.drawn, start=1):
                    draw_steps(streams[r.key], r, size, self.distribution, out=drawn_steps[k])
                np.einsum("ik,kn->in", matrix, drawn_steps, out=chunk[: totals.stop])  # one pass, no BLAS threads
            else:
                steps = {r.key: draw_steps(streams[r.key], r, size, self.distribution) for r in self.drawn}
                values = {r.key: _split(values_from_steps(r, steps[r.key])) for r in self.drawn}
                home_span, dest_spans = evaluate(self.model, values)
                _store(h, home_span)
                for d, span in dest_spans.items():
                    _store(chunk[row[f"{d}.total"]], span)
            np.subtract(h, chunk[totals], out=chunk[totals.stop : totals.stop + len(dests)])
            for d in dests:
                total = chunk[row[f"{d}.total"]]
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


def _outcome(block: RunningStats, total: str, saved: str) -> Outcome | None:
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


def _results(model: Model, block: RunningStats, dest: str, with_risk: bool) -> DestinationSimulation | None:
    outcome = _outcome(block, f"{dest}.total", f"{dest}.savings")
    risky = _outcome(block, f"{dest}.risk_total", f"{dest}.risk_savings") if with_risk else None
    if outcome is None or (with_risk and risky is None):
        return None
    return DestinationSimulation(dest, model.names[dest], outcome, risky)
