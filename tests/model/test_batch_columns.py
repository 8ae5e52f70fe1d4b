"""The column-by-column CSV validation gives exactly what the row-by-row path gives: pairs, figures and errors."""

import csv
import io
import random
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import flat_cells
from calculator.model import batch_columns
from calculator.model.batch import _spread, batch_inputs, compute, run_rows
from calculator.model.batch_columns import Pairs, _factorised_ints, factorised, validate_csv
from calculator.model.batch_files import BatchError, read_text_rows
from calculator.model.batch_validate import Resolver, ValidRows, scenario_rows
from calculator.model.data import load_data
from calculator.model.errors import ScenarioError
from calculator.model.scenario import parse_scenario
from calculator.present.batch_csv import results_csv
from tests.model.test_batch import varied

DATA = load_data()


flat = flat_cells  # a scenario as dotted CSV cells, as the benchmark's files are written


def to_csv(raws, extra_columns=()):
    rows = [flat(r) for r in raws]
    columns = sorted({k for r in rows for k in r} | set(extra_columns))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def both_paths(text):
    """(column path, row path) results and errors for the same CSV text."""
    by_columns = run_rows(read_text_rows(text, "b.csv"), DATA, "b.csv")
    by_rows = run_rows(list(read_text_rows(text, "b.csv")), DATA, "b.csv")
    return by_columns, by_rows


INPUT_LISTS = ("scenario", "destination", "currency", "clinic", "unpriced")
TRIP_FIELDS = ("sessions", "travellers", "rooms", "fare", "lodging_per_night", "daily_per_traveller")
TRIP_FIELDS += ("follow_up_trips", "follow_up_nights", "contingency_pct", "insurance", "lost_income_per_day")
TRIP_FIELDS += ("lodging_nights_included",)
TRIP_SPANS = ("price", "pre_days", "procedure_days", "recovery_days", "travel_days")


def assert_same(a, b):
    """The same errors, every input column (labels, numbers, quoted flags) and the same result CSV, byte for byte."""
    (ra, ea), (rb, eb) = a, b
    assert ea == eb
    assert (ra is None) == (rb is None)
    if ra is None:
        return
    assert results_csv(ra) == results_csv(rb)
    for name in INPUT_LISTS:
        assert getattr(ra.inputs, name) == getattr(rb.inputs, name), name
    for name in ("line", "home_quoted", "quoted", "home_lost_income_per_day"):
        np.testing.assert_array_equal(getattr(ra.inputs, name), getattr(rb.inputs, name), err_msg=name)
    for end in ("low", "high"):
        np.testing.assert_array_equal(getattr(ra.inputs.home_price, end), getattr(rb.inputs.home_price, end))
    ta, tb = ra.inputs.trips, rb.inputs.trips
    for name in TRIP_FIELDS:
        np.testing.assert_array_equal(getattr(ta, name), getattr(tb, name), err_msg=name)
    for name in TRIP_SPANS:
        for end in ("low", "high"):
            np.testing.assert_array_equal(getattr(getattr(ta, name), end), getattr(getattr(tb, name), end))
    for span in ("home", "total", "savings"):
        for end in ("low", "high"):
            np.testing.assert_array_equal(getattr(getattr(ra, span), end), getattr(getattr(rb, span), end))
    for part, flags in ra.missing.items():
        np.testing.assert_array_equal(flags, rb.missing[part])


CLINICS = ["Clínica Norte", "Dr. A, B & Co", 'The "Best" Clinic', "=HYPERLINK(1)", "  padded  ", "x" * 120]


def with_clinics(n, seed):
    """Varied scenarios (own rates, quotes.home, cities, quotes) with clinic names on some quotes, some without a
    price (refused), and some quotes for a destination the row does not list (refused)."""
    rng = random.Random(seed)
    raws = varied(n, seed=seed)
    for raw in raws:
        pick, dest = rng.random(), raw["destinations"][-1]
        quote = raw.setdefault("quotes", {})
        if pick < 0.4:
            low = rng.randrange(2000, 9000, 100)
            quote[dest] = {"low": low, "high": low + 500, "clinic": rng.choice(CLINICS)}
        elif pick < 0.45:
            quote[dest] = {"clinic": rng.choice(CLINICS)}  # a clinic without its price
        elif pick < 0.5:
            quote["turkey_thailand" if dest != "turkey_thailand" else "mexico_colombia"] = {"low": 1, "high": 2}
        if not quote:
            del raw["quotes"]
    return raws


def pydantic_only(text):
    """The reference: every row validated by parse_scenario and resolved by calculator.model.inputs."""
    valid, errors = ValidRows([], []), []
    for line, raw in read_text_rows(text, "b.csv"):
        place = f"b.csv, line {line}"
        try:
            scenario = parse_scenario(raw, DATA, place, default_name=f"line {line}")
        except ScenarioError as err:
            errors.append(BatchError(line, str(err)))
            continue
        scenario_rows(scenario, DATA, line, valid)
    return compute(batch_inputs(valid)), errors


def test_clinic_names_home_quotes_and_own_rates_give_the_same_pairs_csv_and_errors_on_both_paths():
    raws = with_clinics(300, seed=11)
    text = to_csv(raws)
    pair = both_paths(text)
    assert_same(*pair)
    (result, errors), _ = pair
    assert len(errors) > 5 and len(result.inputs) > 300
    assert set(CLINICS) - {"  padded  "} <= set(result.inputs.clinic)  # names stripped as the row path strips
    assert "padded" in result.inputs.clinic and None in result.inputs.clinic
    assert set(result.inputs.unpriced) == {()}
    assert result.inputs.quoted.any() and result.inputs.home_quoted.any() and not result.inputs.quoted.all()
    assert not result.inputs.trips.lodging_nights_included.any()
    by_pydantic = pydantic_only(text)
    assert by_pydantic[1] == errors
    assert results_csv(by_pydantic[0]) == results_csv(result)  # a v1 quote: no included nights, nothing unpriced


def test_a_quoted_clinic_on_the_column_path_is_labelled_and_flagged():
    text = (
        "name,destinations,quotes.mexico_colombia.low,quotes.mexico_colombia.high,quotes.mexico_colombia.clinic,"
        "quotes.home.low,quotes.home.high\n"
        "A,mexico_colombia;turkey_thailand,4000,5000, Clinic X ,20000,21000\n"
    )
    rows = read_text_rows(text, "b.csv")
    valid, errors = validate_csv(rows, Resolver(DATA), "b.csv")
    assert errors == [] and valid.labels == [] and len(valid.blocks) == 1  # all on the column path
    block = valid.blocks[0]
    assert block.clinics.tolist() == ["Clinic X", None]
    assert block.unpriced.tolist() == [(), ()]
    assert block.columns["quoted"].tolist() == [1.0, 0.0]
    # the row's own figures are held once, for its two pairs
    assert block.repeats.tolist() == [2] and {"names", "home_quoted", "home_high"} <= block.per_row
    assert block.columns["home_quoted"].tolist() == [1.0] and block.names.tolist() == ["A"]
    assert block.columns["price_low"][0] == 4000 and block.columns["home_high"].tolist() == [21000]
    assert_same(both_paths(text)[0], both_paths(text)[1])


def test_itemised_quotes_checklists_and_home_travel_go_to_the_row_path_with_their_messages():
    text = (
        "name,destinations,quotes.mexico_colombia.low,quotes.mexico_colombia.high,quotes.mexico_colombia.includes,"
        "travel.home.city,checklist.mexico_colombia.gmp_lab\n"
        "A,mexico_colombia,4000,5000,,,\n"
        "B,mexico_colombia,4000,5000,,tijuana,\n"
        "C,mexico_colombia,4000,5000,,,claimed\n"
    )
    valid, errors = validate_csv(read_text_rows(text, "b.csv"), Resolver(DATA), "b.csv")
    assert [len(b) for b in valid.blocks] == [1]  # row A only
    assert [e.line for e in errors] == [3] and errors[0].message.startswith("b.csv, line 3: travel")
    assert_same(*both_paths(text))


def test_varied_scenarios_give_the_same_pairs_and_figures_on_both_paths():
    raws = varied(400, seed=5)
    text = to_csv(raws)
    (result, errors), _ = pair = both_paths(text)
    assert errors == [] and len(result.inputs) == sum(len(r["destinations"]) for r in raws)
    assert_same(*pair)


def test_rows_the_columns_refuse_keep_their_messages_and_their_place():
    text = (
        "name,destinations,travellers,stay.pre_days,travel.mexico_colombia.fare_per_traveller,fx_rate\n"
        "Good one,mexico_colombia,1,1;2,650,\n"
        "Loose,mexico_colombia,2.0,1,650,\n"  # a looser form: accepted by pydantic, between two fast rows
        "No travellers,mexico_colombia,0,1,650,\n"
        ",,,,,\n"
        "Short row,mexico_colombia\n"
        "Good two,mexico_colombia;india_malaysia,2,2,700,\n"
    )
    pair = both_paths(text)
    assert_same(*pair)
    (result, errors), _ = pair
    assert [e.line for e in errors] == [4, 6]
    assert errors[0].message == "b.csv, line 4: travellers: Input should be greater than or equal to 1"
    assert errors[1].message == "b.csv, line 6: row: has 2 cells, the header has 6"
    assert result.inputs.scenario == ["Good one", "Loose", "Good two", "Good two"]
    assert result.inputs.line.tolist() == [2, 3, 7, 7]


CELLS = st.sampled_from(
    [
        "",
        " ",
        "0",
        "1",
        " 2 ",
        "2.0",
        "3",
        "01",
        "-1",
        "1e3",
        "nan",
        "inf",
        "51",
        "366",
        "abc",
        "1;2",
        "2;1",
        "1;2;3",
        ";",
        "650",
        "99.5",
        "1e12",
        "2e12",
        "EUR",
        "XYZ",
        "usd",
        "tijuana",
        "penang",
        "atlantis",
        "mexico_colombia",
        "mexico_colombia;turkey_thailand",
        "turkey_thailand;turkey_thailand",
        "claimed",
        "x" * 201,
        "1_000",
        "Dr. A, B & Co",
        ' "Best" ',
    ]
)
COLUMNS = [
    "name", "destinations", "travellers", "rooms", "sessions", "schema_version", "currency", "fx_rate", "home",
    "procedure", "insurance", "contingency_pct", "lost_income_per_day", "follow_up_trips", "follow_up_nights",
    "stay.pre_days", "stay.recovery_days", "stay.travel_days", "travel.mexico_colombia.fare_per_traveller",
    "travel.mexico_colombia.city", "travel.turkey_thailand.lodging_per_night", "travel.india_malaysia.city",
    "travel.atlantis.city", "quotes.mexico_colombia.low", "quotes.mexico_colombia.high",
    "quotes.turkey_thailand.clinic", "quotes.mexico_colombia.clinic", "quotes.home.low", "quotes.home.high",
    "checklist.mexico_colombia.gmp_lab",
    "extra_key",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(changes=st.lists(st.tuples(st.integers(0, 11), st.sampled_from(COLUMNS), CELLS), max_size=12))
def test_property_both_paths_agree_on_any_cells(changes):
    raws = varied(12, seed=9)
    rows = [flat(r) for r in raws]
    for row, column, cell in changes:
        rows[row][column] = cell
    columns = sorted({k for r in rows for k in r})
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    by_columns, by_rows = both_paths(buf.getvalue())
    assert_same(by_columns, by_rows)
    # 3 blocks: cells remembered from one block to the next (and forgotten beyond 2 per column)
    with mock.patch.object(batch_columns, "BLOCK_ROWS", 5), mock.patch.object(batch_columns, "MEMO_CELLS", 2):
        in_blocks, _ = both_paths(buf.getvalue())
    assert_same(in_blocks, by_rows)


def test_a_clinic_name_is_one_csv_cell_and_never_a_formula():
    text = (
        "name,destinations,quotes.mexico_colombia.low,quotes.mexico_colombia.high,quotes.mexico_colombia.clinic\n"
        'A,mexico_colombia,4000,5000,"Dr. A, B & Co"\n'
        "B,mexico_colombia,4000,5000,=HYPERLINK(1)\n"
    )
    result, errors = run_rows(read_text_rows(text, "b.csv"), DATA, "b.csv")
    rows = list(csv.DictReader(io.StringIO(results_csv(result))))
    assert errors == [] and [r["clinic"] for r in rows] == ["Dr. A, B & Co", "'=HYPERLINK(1)"]
    assert [r["line"] for r in rows] == ["2", "3"]


def test_a_block_is_factorised_into_its_distinct_cells_and_their_positions():
    distinct, codes = factorised([["a", "", "a"], ["b", "", "a"]])
    assert distinct.tolist() == ["a", "", "b"]
    assert codes.tolist() == [[0, 2], [1, 1], [0, 0]]  # column by column


def test_group_keys_are_factorised_densely_or_by_sorting_when_sparse():
    keys, where = _factorised_ints(np.array([4, 1, 4, 0]))
    assert keys.tolist() == [0, 1, 4] and where.tolist() == [2, 1, 2, 0]
    keys, where = _factorised_ints(np.array([10**15, 3, 10**15]))  # a range far wider than the rows: sorted
    assert keys.tolist() == [3, 10**15] and where.tolist() == [1, 0, 1]


def test_pairs_follow_each_row_destination_by_destination():
    # rows 0 and 3 have two destinations, row 2 one, row 1 none (left to the row path)
    pairs = Pairs(4, [(np.array([0, 3]), "USD", ("a", "b")), (np.array([2]), "USD", ("c",))])
    assert pairs.total == 5
    assert pairs.rows.tolist() == [0, 2, 3] and pairs.counts.tolist() == [2, 1, 2]
    assert pairs.at(np.array([0, 3]), 1).tolist() == [1, 4]
    alike = Pairs(2, [(np.array([0, 1]), "USD", ("a", "b"))])  # every row: taken whole
    assert alike.rows == slice(None) and alike.counts.tolist() == [2, 2]
    assert alike.at(np.array([0, 1]), 1).tolist() == [1, 3]


def test_a_list_is_spread_value_by_value():
    assert _spread(["a", "b"], 3) == ["a", "a", "a", "b", "b", "b"]
    assert _spread([], 2) == [] and _spread(["a"], 1) == ["a"]


def test_rows_alike_across_blocks_are_spread_once_and_agree_with_the_row_path():
    raws = [
        {"name": f"C{i}", "destinations": ["mexico_colombia", "turkey_thailand"], "travellers": 1 + i % 3}
        for i in range(7)
    ]
    text = to_csv(raws)
    with mock.patch.object(batch_columns, "BLOCK_ROWS", 3):  # blocks of 3, 3 and 1 rows, 2 pairs each
        by_columns, by_rows = both_paths(text)
    assert_same(by_columns, by_rows)
    assert by_columns[0].inputs.scenario == [f"C{i}" for i in range(7) for _ in range(2)]
    assert by_columns[0].inputs.trips.travellers.tolist() == [1 + i % 3 for i in range(7) for _ in range(2)]
