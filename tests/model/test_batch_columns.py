"""The column-by-column CSV validation gives exactly what the row-by-row path gives: pairs, figures and errors."""

import csv
import io

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator.model.batch import run_rows
from calculator.model.batch_files import read_text_rows
from calculator.model.data import load_data
from tests.model.test_batch import varied

DATA = load_data()


def flat(raw, prefix=""):
    """A scenario as dotted CSV cells (lists joined with ';')."""
    out = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            out |= flat(value, f"{prefix}{key}.")
        elif isinstance(value, list):
            out[prefix + key] = ";".join(str(v) for v in value)
        else:
            out[prefix + key] = str(value)
    return out


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


def assert_same(a, b):
    (ra, ea), (rb, eb) = a, b
    assert ea == eb
    assert (ra is None) == (rb is None)
    if ra is None:
        return
    for name in ("scenario", "destination", "currency"):
        assert getattr(ra.inputs, name) == getattr(rb.inputs, name)
    assert ra.inputs.line.tolist() == rb.inputs.line.tolist()
    for span in ("home", "total", "savings"):
        for end in ("low", "high"):
            np.testing.assert_array_equal(getattr(getattr(ra, span), end), getattr(getattr(rb, span), end))
    for part, flags in ra.missing.items():
        np.testing.assert_array_equal(flags, rb.missing[part])


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
    ]
)
COLUMNS = [
    "name", "destinations", "travellers", "rooms", "sessions", "schema_version", "currency", "fx_rate", "home",
    "procedure", "insurance", "contingency_pct", "lost_income_per_day", "follow_up_trips", "follow_up_nights",
    "stay.pre_days", "stay.recovery_days", "stay.travel_days", "travel.mexico_colombia.fare_per_traveller",
    "travel.mexico_colombia.city", "travel.turkey_thailand.lodging_per_night", "travel.india_malaysia.city",
    "travel.atlantis.city", "quotes.mexico_colombia.low", "quotes.mexico_colombia.high",
    "quotes.turkey_thailand.clinic", "quotes.home.low", "quotes.home.high", "checklist.mexico_colombia.gmp_lab",
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
    assert_same(*both_paths(buf.getvalue()))
