"""Order statistics from a bracket of kept draws: narrowing by counting, then selection on the few values left.

The draws of one quantity are kept only inside a bracket [lo, hi] around each wanted rank, with
``below`` = the number of draws under lo (see :mod:`calculator.model.draw_stats`). So the draw of
rank r (0-based, among all) is the kept draw of rank r - below inside the bracket, when
0 <= r - below < (draws in the bracket).

numpy.partition compares every value against pivots in an order the CPU cannot predict (about
20 ns a value), while counting the values under a threshold is one vectorised comparison. So
:func:`narrow` guesses a smaller bracket by linear interpolation of the rank over [lo, hi] and
keeps it only when counting confirms it still holds the wanted ranks; :func:`order_statistics`
then partitions only the values inside it. Whatever the guesses, the values found are exact.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

SLACK = 0.02
"""Each guessed end aims this share of the bracket's draws (plus 4) beyond the wanted rank."""
TRIES = 3
"""Guesses per end that counting rejects before the old end stays; each moves halfway back to it."""


def rank_groups(ranks: Iterable[int]) -> list[list[int]]:
    """Sorted ranks grouped so that neighbours (k, k + 1) share one bracket."""
    groups: list[list[int]] = []
    for r in sorted(set(ranks)):
        if groups and r - groups[-1][-1] <= 1:
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


def narrow(kept: np.ndarray, lo: float, hi: float, below: int, first: int, last: int) -> tuple[float, float]:
    """A bracket [u, v] inside [lo, hi] that still holds every draw of ranks first..last (among all draws).

    ``kept`` holds every draw in [lo, hi] (and maybe others outside it); ``below`` draws lie under lo.
    With c(t) = kept draws in [lo, t) and C(t) = those in [lo, t], and n draws in the bracket:
    u = lo + (hi - lo) x (first - below - s) / n is kept if c(u) <= first - below, and
    v = lo + (hi - lo) x (last - below + 1 + s) / n if C(v) >= last - below + 1 (s = 2% of n + 4).
    A rejected guess moves halfway back to the old end (3 tries). An end whose rank is not
    inside the bracket, or an open end, stays.
    """
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return lo, hi
    under = int(np.count_nonzero(kept < lo))
    size = int(np.count_nonzero(kept <= hi)) - under
    f, top, slack = first - below, last - below, SLACK * size + 4
    u, v = lo, hi
    if 0 <= f < size and f > slack:
        guess = lo + (hi - lo) * (f - slack) / size
        for _ in range(TRIES):
            if np.count_nonzero(kept < guess) - under <= f:
                u = guess
                break
            guess = (lo + guess) / 2
    if 0 <= top < size and top + 1 + slack < size:
        guess = lo + (hi - lo) * (top + 1 + slack) / size
        for _ in range(TRIES):
            if np.count_nonzero(kept <= guess) - under >= top + 1:
                v = guess
                break
            guess = (guess + hi) / 2
    return u, v


def order_statistics(kept: np.ndarray, lo: float, hi: float, below: int, ranks: list[int]) -> list[float] | None:
    """The draws of neighbouring ``ranks`` (among all draws) from the kept draws of one bracket; None if outside it.

    Narrowed first (:func:`narrow`); then with u the narrowed lower end and c the draws under it
    (``below`` + kept draws in [lo, u)), rank r is the kept draw in [u, v] of rank r - c:
    exactly the value numpy.partition puts at rank r of all draws.
    """
    under = int(np.count_nonzero(kept < lo))
    size = int(np.count_nonzero(kept <= hi)) - under
    if ranks[0] - below < 0 or ranks[-1] - below >= size:
        return None
    u, v = narrow(kept, lo, hi, below, ranks[0], ranks[-1])
    under_u = below + int(np.count_nonzero(kept < u)) - under
    between = kept[(kept >= u) & (kept <= v)]
    part = np.partition(between, [r - under_u for r in ranks])
    return [float(part[r - under_u]) for r in ranks]
