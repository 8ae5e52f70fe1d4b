"""Quantiles of affine sums of uniform draws, computed from their distribution (no sample needed).

A total of the affine form (:mod:`calculator.model.ranged`) is ``at_low + sum_k a_k S_k`` with
independent steps: S_k uniform on [0, 1) for a price drawn uniformly, uniform on {0, ..., m_k - 1}
for whole days. Its CDF is the mean, over every combination d of the day steps, of the CDF of the
continuous part at x - at_low - sum_j a_j d_j. With w_k = |a_k| (a negative coefficient a U is
a + |a| (1 - U), a shift), the continuous part sum_k w_k V_k has the CDF (inclusion-exclusion)

    G(t) = 1 / (n! prod_k w_k) x sum over subsets S of (-1)^|S| max(0, t - sum_{k in S} w_k)^n

(a step at 0 when n = 0). Quantiles are found by bisection on this CDF, for every sum at once.
The Monte Carlo uses them only to place its brackets: the percentiles it publishes are still the
draws' own order statistics, counted exactly (:mod:`calculator.model.draw_stats`).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

Terms = list[tuple[float, int | None]]
"""(a_k, m_k) per drawn step: m_k None for a uniform [0, 1) step, else the number of whole days."""
MAX_CONTINUOUS = 3
"""Continuous terms handled (a total has at most 2: the home price and one destination's price)."""
MAX_COMBINATIONS = 1024
"""Day combinations handled (beyond that the caller uses a pilot sample instead)."""
BISECTIONS = 20
"""Halvings of each sum's range: the quantile to a millionth of the range (a bracket spans about a thousandth)."""


def supported(terms: Terms) -> bool:
    """True when the CDF here handles these terms (few continuous terms and day combinations)."""
    money = sum(1 for a, m in terms if m is None and a != 0)
    combinations = math.prod(m for a, m in terms if m is not None and a != 0)
    return money <= MAX_CONTINUOUS and combinations <= MAX_COMBINATIONS


def _ends(at_low: float, terms: Terms) -> tuple[float, float]:
    """The smallest and largest value of the sum."""
    reach = [a * (1 if m is None else m - 1) for a, m in terms]
    return at_low + sum(min(r, 0.0) for r in reach), at_low + sum(max(r, 0.0) for r in reach)


class _Sums:
    """Every sum's CDF pieces, padded to common shapes: shifts, day offsets, subset sums, signs and powers."""

    def __init__(self, forms: list[tuple[float, Terms]]) -> None:
        rows = []
        for at_low, terms in forms:
            money = [a for a, m in terms if m is None and a != 0]
            days = [(a, m) for a, m in terms if m is not None and a != 0]
            widths = [abs(a) for a in money]
            combos = itertools.product(*(range(m) for _, m in days))
            offsets = [sum(a * d for (a, _), d in zip(days, combo, strict=True)) for combo in combos]
            subsets = [
                (sum(s), (-1) ** len(s))
                for size in range(len(widths) + 1)
                for s in itertools.combinations(widths, size)
            ]
            scale = math.factorial(len(widths)) * math.prod(widths)
            rows.append((at_low + sum(min(a, 0.0) for a in money), offsets, subsets, len(widths), scale))
        width_c = max(len(r[1]) for r in rows)
        width_s = max(len(r[2]) for r in rows)
        self.shift = np.array([r[0] for r in rows])[:, None, None]
        self.offsets = np.array([r[1] + [math.inf] * (width_c - len(r[1])) for r in rows])[:, None, :]
        self.weight = np.array([[1 / len(r[1])] * len(r[1]) + [0.0] * (width_c - len(r[1])) for r in rows])[:, None, :]
        self.subset = np.array([[s for s, _ in r[2]] + [0.0] * (width_s - len(r[2])) for r in rows])[:, None, None, :]
        self.sign = np.array([[g for _, g in r[2]] + [0] * (width_s - len(r[2])) for r in rows])[:, None, None, :]
        self.power = np.array([r[3] for r in rows])[:, None, None]
        self.scale = np.array([r[4] for r in rows])[:, None, None]

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """P(sum_r <= x[r, j]) for every sum r and point j."""
        t = x[:, :, None] - self.shift - self.offsets  # (sums, points, combinations)
        reach = np.maximum(t[..., None] - self.subset, 0.0) ** self.power[..., None]
        smooth = np.clip((self.sign * reach).sum(axis=-1) / self.scale, 0.0, 1.0)
        g = np.where(self.power == 0, t >= 0, smooth)
        return (g * self.weight).sum(axis=-1)


def affine_quantiles(forms: list[tuple[float, Terms]], p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each sum (row) and probability p[j]: (x_lo, x_hi) with CDF(x_lo) < p <= CDF(x_hi), x_hi - x_lo small.

    x_lo is below the p-quantile and x_hi at or above it, whatever the number of bisections.
    """
    ends = np.array([_ends(at_low, terms) for at_low, terms in forms])
    shape = (len(forms), len(p))
    lo, hi = np.broadcast_to(ends[:, :1], shape).copy(), np.broadcast_to(ends[:, 1:], shape).copy()
    lo -= 1e-9 * np.maximum(1.0, np.abs(lo))  # below the smallest sum: CDF 0
    sums, target = _Sums(forms), np.broadcast_to(np.asarray(p, dtype=float), shape)
    for _ in range(BISECTIONS):
        mid = (lo + hi) / 2
        below = sums.cdf(mid) < target
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return lo, hi
