"""The Monte Carlo's fast paths give numpy's own numbers: whole days from raw words, totals term by term."""

import numpy as np
import pytest

import calculator.model.uncertainty as mc
from calculator.model.data import load_data
from calculator.model.ranged import affine_form, ranged_inputs, resolve
from calculator.model.scenario import load_scenario_file
from calculator.model.uncertainty import affine_totals, whole_steps
from tests.conftest import ROOT


def _redraws(seed: int, k: int, n: int) -> int:
    """How many of the first n 32-bit words numpy would draw again for the bound k (Lemire's test)."""
    words = np.random.default_rng(seed).bit_generator.random_raw(n // 2).view("<u4").astype(np.uint64)
    return int(np.count_nonzero((words * k) % 2**32 < 2**32 % k))


@pytest.mark.parametrize("k", [2, 3, 4, 5, 7, 31, 1000, 2**20 + 3, 2**21, 2**31 + 5])
def test_whole_steps_are_the_numbers_rng_integers_draws(k):
    ours, theirs = np.random.default_rng(11), np.random.default_rng(11)
    for n in (32_768, 16_960, 2, 51, 7, 32_768, 4):  # odd sizes leave half a word pending: the next call too
        want = theirs.integers(0, k, n)
        got = whole_steps(ours, k, n, np.empty(n))
        assert got.dtype == np.float64
        assert np.array_equal(got, want)
    assert ours.random() == theirs.random(), "both streams end in the same state"


def test_whole_steps_by_hand_and_when_numpy_would_draw_a_word_again():
    # The first raw word of seed 3, low half first; the value is floor(w x 3 / 2^32).
    raw = int(np.random.default_rng(3).bit_generator.random_raw(1)[0])
    low, high = raw & 0xFFFFFFFF, raw >> 32
    got = whole_steps(np.random.default_rng(3), 3, 2, np.empty(2))
    assert got.tolist() == [float(low * 3 >> 32), float(high * 3 >> 32)]
    # k = 2^20 + 3: 2^32 mod k = 1048564, so about 8 of 32,768 words are drawn again; numpy's numbers still.
    k = 2**20 + 3
    assert _redraws(5, k, 32_768) > 0
    assert np.array_equal(
        whole_steps(np.random.default_rng(5), k, 32_768, np.empty(32_768)),
        np.random.default_rng(5).integers(0, k, 32_768),
    )


def test_totals_term_by_term_by_hand_and_as_the_dense_product():
    steps = np.array([[1.0, 0.5], [7.0, 9.0], [3.0, 4.0]])
    terms = [(100.0, [(0, 2.5), (2, 10.0)]), (50.0, []), (0.1, [(1, 0.2)])]
    out = np.empty((3, 2))
    affine_totals(terms, steps, out, np.empty(2))
    assert out.tolist() == [[100 + 2.5 + 30, 100 + 1.25 + 40], [50.0, 50.0], [0.1 + 7 * 0.2, 0.1 + 9 * 0.2]]
    rng = np.random.default_rng(2)
    steps = np.vstack([np.ones(1000), rng.random((5, 1000)) * [[1], [1], [1], [3], [2]]])
    matrix = rng.random((4, 6)) * 1e4
    matrix[rng.random((4, 6)) < 0.4] = 0.0
    terms = [(row[0], [(k - 1, c) for k, c in enumerate(row) if k and c]) for row in matrix]
    dense = np.zeros((4, 1000))
    for k in range(6):  # at_low first, then each input in order
        dense += matrix[:, k, None] * steps[k]
    affine_totals(terms, steps[1:], out := np.empty((4, 1000)), np.empty(1000))
    assert np.array_equal(out, dense)


def test_one_draw_is_the_affine_form_summed_in_drawn_order():
    data = load_data()
    scenario = load_scenario_file(ROOT / "examples" / "three_destinations.json", data)
    model = resolve(scenario, data)
    drawn = [r for r in ranged_inputs(model) if r.is_range]
    form = affine_form(model, drawn)
    steps = {r.key: float(mc.draw_steps(mc.stream(5, r.key), r, 1, "uniform")[0]) for r in drawn}
    sim = mc.simulate(scenario, data, draws=1, seed=5)
    for dest, got in zip(model.trips, sim.destinations, strict=True):
        total = form.at_low[dest]
        for key, per_step in form.per_step[dest].items():
            total += per_step * steps[key]
        assert got.outcome.mean_total == total
