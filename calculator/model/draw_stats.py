"""Statistics of Monte Carlo draws folded in chunk by chunk: exact percentiles, means, counts and histograms.

:class:`RunningStats` follows several quantities over the draws (one row each) and keeps memory
bounded: per row the sum, the count above zero, a histogram and, for the 5th, 50th and 95th
percentiles, only the draws near each needed rank, so a million draws need a few MB.
:func:`percentiles` computes the same percentiles over an array held whole.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from calculator.model.selection import narrow, order_statistics, rank_groups
from calculator.model.span import Span

QUANTILES = (5.0, 50.0, 95.0)
PILOT_DRAWS = 8192
"""Draws of the first chunk that set the first brackets."""
REFINE_FIRST, REFINE_FACTOR = 2, 4
"""The brackets are narrowed after 2 chunks, then each time the draws seen have grown 4-fold."""


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


class RunningStats:
    """Running statistics of several quantities over the draws (one row each), fed chunk by chunk.

    Per row: the sum, the count above zero, a histogram over the row's deterministic range and,
    for the percentiles, either every draw (``store``) or only the draws inside a bracket around
    each needed rank. The first brackets come from the first ``PILOT_DRAWS`` draws (independent
    draws, so a random sample): their order statistics 5 standard deviations of the sample rank
    either side. After 2 chunks, and again each time the draws seen have grown 4-fold (while as
    many are still to come), each bracket is narrowed towards the same 5 standard deviations of
    the draws seen so far (:func:`calculator.model.selection.narrow`, checked by counting). The
    draws below each bracket are counted, so the percentiles are exact; if a bracket turns out to
    miss its rank (about once in millions), :meth:`percentiles` returns None and the caller runs
    again storing every draw. Every row is handled by the same numpy call (a chunk is 2-D), and the
    draws inside any bracket are found in one pass (one mask, the union of the brackets).
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
        self.groups = rank_groups(_needed_ranks(n))
        self.kept: list[np.ndarray] = []
        self.lo = self.hi = np.empty((0, 0))
        self.below = np.zeros((rows, len(self.groups)), dtype=np.int64)
        self.inside: list[list[np.ndarray]] = [[] for _ in names]
        """Per row, the draws inside any of its brackets, chunk by chunk."""
        self.seen = self.refine_at = 0
        self.masks = np.empty((3, 0, 0), dtype=bool)

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
            self._set_brackets(chunk[:, :PILOT_DRAWS])
            self.refine_at = REFINE_FIRST * size
        chunk = np.ascontiguousarray(chunk)  # a view of whole rows except in the last, shorter chunk
        flat, rows = chunk.ravel(), chunk.shape[0]
        if self.masks.shape[1:] != chunk.shape:
            self.masks = np.empty((3, *chunk.shape), dtype=bool)
        below, mask, inside = self.masks
        for g in range(len(self.groups)):
            np.less(chunk, self.lo[:, g, None], out=below)
            self.below[:, g] += _row_counts(below)
            np.less_equal(chunk, self.hi[:, g, None], out=mask)
            if g == 0:
                np.not_equal(below, mask, out=inside)  # lo <= x <= hi: at most hi and not below lo
            else:
                np.not_equal(below, mask, out=mask)
                np.logical_or(inside, mask, out=inside)
        where = np.flatnonzero(inside)  # positions in the flat chunk, row after row
        values = flat[where]
        cuts = np.searchsorted(where, np.arange(rows + 1) * size).tolist()
        for i in range(rows):
            self.inside[i].append(values[cuts[i] : cuts[i + 1]])
        self.seen += size
        if self.refine_at <= self.seen <= self.n - self.seen:  # as many draws still to come
            self._refine()
            self.refine_at *= REFINE_FACTOR

    def bracket_probabilities(self) -> list[tuple[float, float]]:
        """Per group of ranks k..l, the probabilities whose quantiles bracket it when the distribution is known.

        The share of n draws below the p-quantile has standard deviation sqrt(p (1 - p) / n), so
        from p - 5 sd - 2 / n (p = k / (n - 1)) to q + 5 sd + 2 / n (q = l / (n - 1)).
        """
        n, spans = self.n, []
        for group in self.groups:
            p, q = group[0] / (n - 1), group[-1] / (n - 1)
            spans.append((p - 5 * math.sqrt(p * (1 - p) / n) - 2 / n, q + 5 * math.sqrt(q * (1 - q) / n) + 2 / n))
        return spans

    def preset_brackets(self, lo: np.ndarray, hi: np.ndarray) -> None:
        """Brackets known before the draws (rows x groups): no pilot, no refinement."""
        self.lo, self.hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
        self.refine_at = self.n + 1

    def _spans(self, m: int) -> list[tuple[int, int]]:
        """Per group, the ranks among m draws 5 standard deviations of the sample rank below and above its ranks.

        For ranks k..l of n, with p = k / (n - 1): from floor(p (m - 1) - margin) to
        ceil(l / (n - 1) x (m - 1) + margin), margin = 5 sqrt(m p (1 - p)) + 2.
        """
        n, spans = self.n, []
        for group in self.groups:
            p = group[0] / (n - 1)
            margin = 5 * math.sqrt(m * p * (1 - p)) + 2
            spans.append((math.floor(p * (m - 1) - margin), math.ceil(group[-1] / (n - 1) * (m - 1) + margin)))
        return spans

    def _set_brackets(self, pilot: np.ndarray) -> None:
        """The first brackets: the pilot's order statistics at :meth:`_spans` (open-ended past its ends)."""
        m = pilot.shape[1]
        spans = self._spans(m)
        kth = sorted({k for pair in spans for k in pair if 0 <= k < m})
        part = np.partition(pilot, kth, axis=1) if kth else pilot
        rows = pilot.shape[0]
        self.lo = np.array([[part[i, lo] if lo >= 0 else -math.inf for lo, _ in spans] for i in range(rows)])
        self.hi = np.array([[part[i, hi] if hi < m else math.inf for _, hi in spans] for i in range(rows)])

    def _refine(self) -> None:
        """Narrow every bracket towards :meth:`_spans` of the draws seen so far (``selection.narrow``).

        The kept draws that fall out of every bracket are dropped, those now under a bracket
        counted in its ``below``.
        """
        spans = self._spans(self.seen)
        for i, parts in enumerate(self.inside):
            kept = np.concatenate(parts)
            keep = np.zeros(kept.size, dtype=bool)
            for g, (first, last) in enumerate(spans):
                lo, hi = float(self.lo[i, g]), float(self.hi[i, g])
                u, v = narrow(kept, lo, hi, int(self.below[i, g]), first, last)
                self.below[i, g] += np.count_nonzero(kept < u) - np.count_nonzero(kept < lo)
                self.lo[i, g], self.hi[i, g] = u, v
                keep |= (kept >= u) & (kept <= v)
            self.inside[i] = [kept[keep]]

    def percentiles(self, name: str) -> Percentiles | None:
        """p5, p50, p95 of one row over every draw added (None if a bracket missed its rank)."""
        i = self.index[name]
        if self.store:
            return _clip(percentiles(np.concatenate([k[i] for k in self.kept])), self.bounds[i])
        kept = np.concatenate(self.inside[i])
        stats: dict[int, float] = {}
        for g, group in enumerate(self.groups):
            values = order_statistics(kept, float(self.lo[i, g]), float(self.hi[i, g]), int(self.below[i, g]), group)
            if values is None:
                return None
            stats.update(zip(group, values, strict=True))
        return _clip(_interpolate(self.n, stats), self.bounds[i])

    def mean(self, name: str) -> float:
        return float(self.sum[self.index[name]]) / self.n

    def p_positive(self, name: str) -> float:
        """The share of draws above zero (counted for the savings rows only)."""
        return int(self.positive[self.index[name]]) / self.n

    def histogram(self, name: str) -> Histogram | None:
        i = self.index[name]
        return None if self.edges[i] is None else Histogram(self.edges[i], self.counts[i])
