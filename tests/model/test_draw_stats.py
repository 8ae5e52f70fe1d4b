"""Brackets of kept draws: narrowing by counting and exact order statistics, against numpy over all draws."""

import numpy as np
import pytest

import calculator.model.draw_stats as stats
import calculator.model.uncertainty as mc
from calculator.model.affine_quantiles import _Sums, affine_quantiles, supported
from calculator.model.data import load_data
from calculator.model.scenario import load_scenario_file
from calculator.model.selection import narrow, order_statistics, rank_groups
from calculator.model.span import Span
from tests.conftest import ROOT


def _bracket(values: np.ndarray, first: int, last: int) -> tuple[np.ndarray, float, float, int]:
    """Kept draws for the bracket [sorted[first], sorted[last]], with some draws outside it; and below."""
    ordered = np.sort(values)
    lo, hi = float(ordered[first]), float(ordered[last])
    outside = values[(values < lo) | (values > hi)][:500]
    kept = np.concatenate([values[(values >= lo) & (values <= hi)], outside])
    return np.random.default_rng(0).permutation(kept), lo, hi, int(np.count_nonzero(values < lo))


@pytest.mark.parametrize(
    "values",
    [
        np.random.default_rng(1).lognormal(8, 0.7, 200_000),
        np.random.default_rng(2).integers(0, 40, 200_000) * 12.5,  # many ties
        np.random.default_rng(3).random(200_000) * 1e4 + np.random.default_rng(4).integers(0, 3, 200_000) * 600.3,
    ],
    ids=["skewed", "ties", "steps"],
)
def test_order_statistics_from_a_bracket_are_numpys(values):
    ordered = np.sort(values)
    for first, last, ranks in ((9_000, 11_000, [9_999, 10_000]), (95_000, 105_000, [99_999]), (0, 20_000, [0, 1])):
        kept, lo, hi, below = _bracket(values, first, last)
        assert order_statistics(kept, lo, hi, below, ranks) == [float(ordered[r]) for r in ranks]
        u, v = narrow(kept, lo, hi, below, ranks[0], ranks[-1])
        assert lo <= u <= ordered[ranks[0]] and ordered[ranks[-1]] <= v <= hi
    kept, lo, hi, below = _bracket(values, 9_000, 11_000)
    inside = np.count_nonzero((values >= lo) & (values <= hi))
    for ranks in ([8_000], [12_000, 12_001], [below - 1], [below + inside - 1, below + inside]):
        held = below <= ranks[0] and ranks[-1] < below + inside  # ties can widen the bracket's ranks
        want = [float(ordered[r]) for r in ranks] if held else None
        assert order_statistics(kept, lo, hi, below, ranks) == want


def test_narrowing_a_smooth_bracket_keeps_the_ranks_and_a_few_percent_of_it():
    values = np.random.default_rng(6).random(100_000)
    kept, lo, hi, below = _bracket(values, 40_000, 60_000)
    u, v = narrow(kept, lo, hi, below, 49_000, 51_000)
    inside = np.count_nonzero((values >= u) & (values <= v))
    ordered = np.sort(values)
    assert u <= ordered[49_000] and ordered[51_000] <= v
    assert 2_001 <= inside <= 2_001 + 2 * (0.02 * 20_001 + 4) + 200  # the slack either side, and sampling noise
    assert narrow(kept, -np.inf, hi, below, 49_000, 51_000) == (-np.inf, hi)  # an open end stays


def test_rank_groups_join_neighbours():
    assert rank_groups([49_999, 4_999, 94_999, 5_000, 50_000, 95_000]) == [
        [4_999, 5_000],
        [49_999, 50_000],
        [94_999, 95_000],
    ]


def test_refined_brackets_narrow_and_the_percentiles_stay_exact():
    rng = np.random.default_rng(7)
    draws = rng.gamma(2.0, 1_000.0, 1_000_000) + rng.integers(0, 3, 1_000_000) * 250.0
    block = stats.RunningStats(["x"], draws.size, [Span(0.0, 1e6)], 0, store=False)
    widths = []
    for start in range(0, draws.size, 32_768):
        block.add(draws[None, start : start + 32_768])
        widths.append(float(np.sum(block.hi - block.lo)))
    assert widths[-1] < widths[0] / 2, "the brackets narrowed as the draws accumulated"
    kept = sum(part.size for part in block.inside[0])
    assert kept < 0.03 * draws.size
    assert block.percentiles("x") == stats.percentiles(draws)
    assert block.below.tolist()[0] == [int(np.count_nonzero(draws < lo)) for lo in block.lo[0]]


def test_the_cdf_of_affine_sums_by_hand():
    # One price: 100 + 50 U, uniform on [100, 150). Two prices: 10 U1 - 10 U2, a triangle on [-10, 10].
    # Whole days: 7 + 3 D, D uniform on {0, 1, 2}: steps of 1/3 at 7, 10, 13.
    sums = _Sums([(100.0, [(50.0, None)]), (0.0, [(10.0, None), (-10.0, None)]), (7.0, [(3.0, 3)])])
    x = np.array([[100.0, 125.0, 150.0], [-5.0, 0.0, 5.0], [6.9, 10.0, 12.9]])
    assert sums.cdf(x) == pytest.approx(np.array([[0.0, 0.5, 1.0], [0.125, 0.5, 0.875], [0.0, 2 / 3, 2 / 3]]))


def test_affine_quantiles_bracket_the_quantiles_of_a_large_sample():
    rng = np.random.default_rng(8)
    form = (4_000.0, [(9_200.0, None), (-600.3, 2), (793.5, 3)])
    draws = 4_000.0 + 9_200.0 * rng.random(2_000_000) - 600.3 * rng.integers(0, 2, 2_000_000)
    draws += 793.5 * rng.integers(0, 3, 2_000_000)
    p = np.array([0.05, 0.5, 0.95])
    lo, hi = affine_quantiles([form], p)
    assert np.all(_Sums([form]).cdf(lo) < p) and np.all(_Sums([form]).cdf(hi) >= p)
    assert np.all(hi - lo < 1e-4 * 9_200)
    assert hi[0] == pytest.approx(np.quantile(draws, p), abs=30)  # sample quantiles: about 5 sd either side
    assert supported(form[1]) and not supported([(1.0, None)] * 4)


def test_a_simulation_of_uniform_prices_takes_its_brackets_from_the_distribution(monkeypatch):
    made = []
    original = stats.RunningStats.preset_brackets

    def spy(self, lo, hi):
        original(self, lo, hi)
        made.append(self)

    monkeypatch.setattr(stats.RunningStats, "preset_brackets", spy)
    data = load_data()
    scenario = load_scenario_file(ROOT / "examples" / "three_destinations.json", data)
    sim = mc.simulate(scenario, data, draws=300_000, seed=4)
    (block,) = made
    kept = sum(part.size for parts in block.inside for part in parts)
    assert kept < 0.02 * 7 * 300_000, "under 2% of the draws kept"
    assert block.refine_at > block.n and block.seen == 300_000
    monkeypatch.setattr(mc._Run, "preset_brackets", lambda self, block, dests: None)  # the pilot's brackets
    assert mc.simulate(scenario, data, draws=300_000, seed=4) == sim
    assert len(made) == 1
