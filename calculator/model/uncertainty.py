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
Cost per draw (kept within 3x of merely drawing the variates): the totals are the affine
form summed term by term (:func:`affine_totals`), whole days come from the generator's raw words
(:func:`whole_steps`, numpy's own numbers), and with uniform prices the brackets around the
percentiles come from the totals' distribution (:mod:`calculator.model.affine_quantiles`).
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from calculator.model.affine_quantiles import affine_quantiles, supported
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


WORD = 2.0**32
"""The span of the 32-bit words numpy's bounded integers are drawn from."""


def whole_steps(rng: np.random.Generator, k: int, n: int, out: np.ndarray) -> np.ndarray:
    """``rng.integers(0, k, n)`` into ``out`` (floats): the same numbers, from the generator's raw words.

    numpy draws each bounded integer from one 32-bit word w (PCG64 splits a raw 64-bit word, low half
    first) by Lemire's method: the value is floor(w x k / 2^32), and w is drawn again when
    (w x k) mod 2^32 < 2^32 mod k. With k < 2^21 the product s = w x (k / 2^32) is exact in float64,
    so the value is floor(s) and the redraw test is s - floor(s) < (2^32 mod k) / 2^32. When n is
    odd, half a word is pending, or some word would be drawn again, ``rng.integers`` itself draws
    (from the same state), so the numbers are always numpy's.
    """
    bits = rng.bit_generator
    state = bits.state
    if n % 2 or state.get("has_uint32", 1) or not 2 <= k < 2**21 or not isinstance(bits, np.random.PCG64):
        out[:] = rng.integers(0, k, n)
        return out
    scaled = bits.random_raw(n // 2).astype("<u8", copy=False).view("<u4").astype(np.float64)
    scaled *= k / WORD
    np.floor(scaled, out=out)
    redraw = (WORD % k) / WORD
    if redraw and np.any(np.subtract(scaled, out, out=scaled) < redraw):
        bits.state = state
        out[:] = rng.integers(0, k, n)
    return out


def draw_steps(
    rng: np.random.Generator, r: RangedInput, n: int, distribution: Distribution, out: np.ndarray | None = None
) -> np.ndarray:
    """``n`` draws of one input as steps above its low end (into ``out``, a float array, if given).

    Money: a fraction of the way from low to high, uniform on [0, 1) or triangular on [0, 1] with
    its mode at 0.5, so the value is ``low + (high - low) x step``. Whole days: a whole number of
    days 0..(high - low), uniform, so the value is ``low + step``.
    """
    if r.whole_days and out is not None:
        return whole_steps(rng, int(r.high) - int(r.low) + 1, n, out)
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


def affine_totals(
    terms: list[tuple[float, list[tuple[int, float]]]], steps: np.ndarray, out: np.ndarray, scratch: np.ndarray
) -> None:
    """Each total of the affine form on the drawn steps, into ``out[i]``: at_low + sum over k of per_step_k x steps[k].

    Added term by term in drawn order, at_low first: ((at_low + p1 x s1) + p2 x s2) + ..., each product
    rounded, then each sum. The dense product over every input (with 0 where a total does not
    depend on one, and x + 0 = x) gives the same numbers; this skips the zeros.
    """
    for row, (at_low, per_step) in zip(out, terms, strict=True):
        if not per_step:
            row.fill(at_low)
            continue
        (k, coefficient), *rest = per_step
        np.multiply(steps[k], coefficient, out=row)
        row += at_low
        for k, coefficient in rest:
            row += np.multiply(steps[k], coefficient, out=scratch)


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

    def terms(self, dests: list[str]) -> list[tuple[float, list[tuple[int, float]]]]:
        """The affine form per total (home, then each destination): its value at every input's low end,
        and ``(k, change per step of drawn input k)`` for the drawn inputs it depends on, in drawn order."""
        assert self.form is not None
        form = self.form
        rows = [(form.home_at_low, form.home_per_step), *((form.at_low[d], form.per_step[d]) for d in dests)]
        return [
            (at_low, [(k, per_step[r.key]) for k, r in enumerate(self.drawn) if r.key in per_step])
            for at_low, per_step in rows
        ]

    def preset_brackets(self, block: RunningStats, dests: list[str]) -> None:
        """Brackets from the totals' own distribution (:mod:`calculator.model.affine_quantiles`), when it is known.

        Uniform money and whole days, no risk rows, the affine form: every row (home, totals,
        savings = home - total) is at_low + sum_k a_k S_k. Otherwise the pilot sample sets them.
        """
        if self.form is None or self.distribution != "uniform" or self.risk is not None or self.store:
            return
        sizes = [int(r.high) - int(r.low) + 1 if r.whole_days else None for r in self.drawn]
        coefficients = [(at_low, dict(per_step)) for at_low, per_step in self.terms(dests)]
        home_low, home = coefficients[0]
        rows = coefficients + [
            (home_low - at_low, {k: home.get(k, 0.0) - per_step.get(k, 0.0) for k in range(len(sizes))})
            for at_low, per_step in coefficients[1:]
        ]
        forms = [(at_low, [(per_step.get(k, 0.0), m) for k, m in enumerate(sizes)]) for at_low, per_step in rows]
        if not all(supported(terms) for _, terms in forms):
            return
        spans = block.bracket_probabilities()
        below, above = affine_quantiles(forms, np.clip([p for span in spans for p in span], 0.0, 1.0))
        lo, hi = below[:, 0::2], above[:, 1::2]
        lo = lo - 1e-9 * np.maximum(1.0, np.abs(lo))  # the draws' own sums round differently
        hi = hi + 1e-9 * np.maximum(1.0, np.abs(hi))
        lo[:, [p <= 0 for p, _ in spans]] = -math.inf
        hi[:, [q >= 1 for _, q in spans]] = math.inf
        block.preset_brackets(lo, hi)

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
        out, steps_out, scratch = np.empty((len(names), size)), np.empty((len(self.drawn), size)), np.empty(size)
        if self.form is not None:
            terms = self.terms(dests)
            self.preset_brackets(block, dests)
        totals = slice(1, 1 + len(dests))
        for start in range(0, self.draws, CHUNK_DRAWS):
            size = min(CHUNK_DRAWS, self.draws - start)
            chunk = out[:, :size]
            h = chunk[row["home"]]
            if self.form is not None:
                drawn_steps = steps_out[:, :size]
                for k, r in enumerate(self.drawn):
                    draw_steps(streams[r.key], r, size, self.distribution, out=drawn_steps[k])
                affine_totals(terms, drawn_steps, chunk[: totals.stop], scratch[:size])
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
