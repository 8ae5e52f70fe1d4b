"""Batch runs: file formats, bad rows by line, and every row equal to the single-scenario comparison."""

import csv
import io
import json
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator.model.batch import OUTPUT_COLUMNS, batch_inputs, compute, run_batch, run_rows
from calculator.model.batch_files import csv_row_to_scenario, read_text_rows
from calculator.model.batch_validate import Resolver, ValidRows
from calculator.model.compare import compare
from calculator.model.data import load_data
from calculator.model.errors import ScenarioError
from calculator.model.scenario import parse_scenario
from calculator.present.batch_csv import write_errors, write_results
from tests.conftest import MEXICO_ACCEPTANCE, ROOT, run_cli

DESTS = ["mexico_colombia", "turkey_thailand", "india_malaysia"]
CITIES = {"mexico_colombia": ["tijuana", "bogota"], "turkey_thailand": ["bangkok"], "india_malaysia": ["penang"]}


def varied(n, seed=1):
    """Scenarios exercising every input: currencies, own rates, cities, quotes, missing fares, follow-up."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        dests = rng.sample(DESTS, rng.randint(1, 3))
        travel = {}
        for d in dests:
            entry = {}
            if rng.random() < 0.7:
                entry["fare_per_traveller"] = rng.choice([0, 455.5, 650, 1100])
            if rng.random() < 0.3:
                entry["city"] = rng.choice(CITIES[d])
            if rng.random() < 0.3:
                entry["lodging_per_night"] = rng.choice([0, 99.9, 250])
            if rng.random() < 0.2:
                entry["daily_per_traveller"] = rng.choice([40, 136])
            travel[d] = entry
        raw = {
            "name": f"S{i}",
            "destinations": dests,
            "travellers": rng.randint(1, 4),
            "rooms": rng.randint(1, 3),
            "sessions": rng.randint(1, 3),
            "stay": {
                "pre_days": sorted([rng.randint(0, 3), rng.randint(0, 3)]),
                "procedure_days": rng.choice([1, [1, 2]]),
                "recovery_days": sorted([rng.randint(0, 12), rng.randint(0, 12)]),
                "travel_days": rng.choice([2, [1, 3]]),
            },
            "travel": travel,
            "insurance": rng.choice([0, 180, 99.99]),
            "follow_up_trips": rng.choice([0, 1, 2]),
            "follow_up_nights": rng.randint(0, 4),
            "contingency_pct": rng.choice([0, 12.5, 15, 30]),
            "lost_income_per_day": rng.choice([0, 150]),
        }
        if rng.random() < 0.3:
            low = rng.randrange(2000, 9000, 100)
            raw["quotes"] = {dests[0]: {"low": low, "high": low + rng.choice([0, 800])}}
        if rng.random() < 0.2:  # a written quote at home (quotes.home) replaces the broker's home range
            raw.setdefault("quotes", {})["home"] = {"low": 17000, "high": rng.choice([17000, 21000])}
        pick = rng.random()
        if pick < 0.2:
            raw["currency"] = rng.choice(["EUR", "GBP", "MXN"])
        elif pick < 0.3:
            raw.update(currency="COP", fx_rate=4100.5)
        out.append(raw)
    return out


def jsonl(rows):
    return "".join(json.dumps(r) + "\n" for r in rows)


def run_text(text, data, where="batch"):
    return run_rows(read_text_rows(text, where), data, where)


def test_every_batch_row_equals_the_single_scenario_comparison(data):
    raws = varied(300)
    result, errors = run_text(jsonl(raws), data)
    assert errors == []
    expected = [(i, d) for i, raw in enumerate(raws) for d in raw["destinations"]]
    assert len(result.inputs) == len(expected)
    for k, (i, dest) in enumerate(expected):
        c = compare(parse_scenario(raws[i], data, "test"), data)
        d = next(x for x in c.destinations if x.id == dest)
        assert result.inputs.destination[k] == dest and result.inputs.line[k] == i + 1
        assert (result.total.low[k], result.total.high[k]) == (d.total.low, d.total.high)
        assert (result.home.low[k], result.home.high[k]) == (c.home.total.low, c.home.total.high)
        assert (result.savings.low[k], result.savings.high[k]) == (d.savings.low, d.savings.high)
        assert result.total.mid[k] == d.total.mid
        assert np.allclose([p[k] for p in result.savings_pct], d.savings_pct, rtol=0, atol=1e-9, equal_nan=True)
        missing = {part for part, flags in result.missing.items() if flags[k]}
        assert missing == {part for part, p in d.parts.items() if p.value is None}
        assert result.inputs.currency[k] == c.rate.currency


def test_output_csv_rows_match_compare_to_the_cent(data):
    raws = varied(40, seed=2)
    result, _ = run_text(jsonl(raws), data)
    buf = io.StringIO()
    write_results(result, buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert tuple(rows[0]) == OUTPUT_COLUMNS
    k = 0
    for raw in raws:
        c = compare(parse_scenario(raw, data, "test"), data)
        for d in c.destinations:
            row = rows[k]
            k += 1
            assert (row["scenario"], row["destination"], row["currency"]) == (raw["name"], d.id, c.rate.currency)
            for end in ("low", "mid", "high"):
                assert float(row[f"total_{end}"]) == pytest.approx(d.total.as_dict()[end], abs=0.005)
                assert float(row[f"savings_{end}"]) == pytest.approx(d.savings.as_dict()[end], abs=0.005)
    assert k == len(rows)


def test_mexico_acceptance_row_by_hand(data):
    result, _ = run_text(json.dumps([MEXICO_ACCEPTANCE]), data)
    buf = io.StringIO()
    write_results(result, buf)
    row = next(csv.DictReader(io.StringIO(buf.getvalue())))
    assert row["scenario"] == "Acceptance: Mexico"
    assert [row[f"total_{e}"] for e in ("low", "mid", "high")] == ["6194.00", "10773.00", "15352.00"]
    assert [row[f"savings_{e}"] for e in ("low", "mid", "high")] == ["-352.00", "9227.00", "18806.00"]
    assert row["savings_pct_mid"] == "46.13" or row["savings_pct_mid"] == "46.14"
    assert row["missing_inputs"] == "" and row["line"] == "1"


BAD_CSV = """name,destinations,travellers,stay.pre_days,travel.mexico_colombia.fare_per_traveller
Good one,mexico_colombia,1,1;2,650
No travellers,mexico_colombia,0,1,650
Unknown place,atlantis,1,1,
Good two,mexico_colombia;india_malaysia,2,2,700
"""


def test_csv_with_bad_rows_reports_them_by_line_and_computes_the_rest(data, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    result, errors = run_batch(path, data)
    assert [e.line for e in errors] == [3, 4]
    assert errors[0].message == f"{path}, line 3: travellers: Input should be greater than or equal to 1"
    assert "line 4: destinations[0]: unknown destination 'atlantis'" in errors[1].message
    assert result.inputs.scenario == ["Good one", "Good two", "Good two"]
    assert result.inputs.destination == ["mexico_colombia", "mexico_colombia", "india_malaysia"]
    assert result.inputs.line.tolist() == [2, 5, 5]


def test_jsonl_with_bad_rows_reports_them_by_line_and_computes_the_rest(data, tmp_path):
    lines = [
        json.dumps(MEXICO_ACCEPTANCE),
        "",
        "{not json",
        json.dumps({**MEXICO_ACCEPTANCE, "insurance": -5}),
        json.dumps([1, 2]),
        json.dumps({**MEXICO_ACCEPTANCE, "name": "second"}),
    ]
    path = tmp_path / "clients.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, errors = run_batch(path, data)
    assert [e.line for e in errors] == [3, 4, 5]
    assert "line 3" in errors[0].message and "not valid JSON" in errors[0].message
    assert errors[1].message.endswith("line 4: insurance: Input should be greater than or equal to 0")
    assert "a scenario must be a JSON object" in errors[2].message
    assert result.inputs.scenario == ["Acceptance: Mexico", "second"]
    assert result.inputs.line.tolist() == [1, 6]


def test_json_list_rows_carry_the_line_they_start_on(data):
    text = "[\n  " + json.dumps(MEXICO_ACCEPTANCE) + ',\n\n  {\n    "destinations": ["nowhere"]\n  },\n'
    text += "  " + json.dumps({"destinations": ["india_malaysia"]}) + "\n]\n"
    result, errors = run_text(text, data, "list.json")
    assert [e.line for e in errors] == [4]
    assert errors[0].message.startswith("list.json, line 4: destinations[0]: unknown destination")
    assert result.inputs.line.tolist() == [2, 7]
    assert result.inputs.scenario == ["Acceptance: Mexico", "line 7"]


def test_a_broken_json_list_is_a_file_error(data):
    with pytest.raises(ScenarioError, match=r"list\.json: not valid JSON"):
        run_text('[{"destinations": ["mexico_colombia"]}, {oops}]', data, "list.json")
    with pytest.raises(ScenarioError, match="is empty"):
        run_text("  \n", data, "empty.csv")


def test_unreadable_file_is_a_scenario_error(data, tmp_path):
    with pytest.raises(ScenarioError, match="cannot be read"):
        run_batch(tmp_path / "missing.csv", data)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ScenarioError, match="cannot be read"):
        run_batch(binary, data)


def test_csv_columns_nest_and_lists_split():
    raw = csv_row_to_scenario(
        {
            "name": "A, with comma",
            "destinations": "mexico_colombia; turkey_thailand",
            "stay.pre_days": "1;2",
            "stay.travel_days": "3",
            "travel.mexico_colombia.fare_per_traveller": "650",
            "travel.mexico_colombia.city": "tijuana",
            "quotes.turkey_thailand.low": "5200.5",
            "travellers": "2",
            "insurance": "",
            "checklist.mexico_colombia.gmp_lab": "claimed",
        }
    )
    assert raw == {
        "name": "A, with comma",
        "destinations": ["mexico_colombia", "turkey_thailand"],
        "stay": {"pre_days": [1, 2], "travel_days": 3},
        "travel": {"mexico_colombia": {"fare_per_traveller": 650, "city": "tijuana"}},
        "quotes": {"turkey_thailand": {"low": 5200.5}},
        "travellers": 2,
        "checklist": {"mexico_colombia": {"gmp_lab": "claimed"}},
    }
    with pytest.raises(ScenarioError, match="both a value and a group"):
        csv_row_to_scenario({"travel": "x", "travel.mexico_colombia.city": "tijuana"})


def test_the_example_batch_files_compute_without_errors(data):
    for name in ("batch.csv", "batch.jsonl"):
        result, errors = run_batch(ROOT / "examples" / name, data)
        assert errors == [], name
        assert len(result.inputs) == 4 if name == "batch.csv" else 6


def test_loose_values_go_through_pydantic_and_give_the_same_figures(data):
    strict = {**MEXICO_ACCEPTANCE, "travellers": 2}
    loose = {**strict, "travellers": "2", "travel": {"mexico_colombia": {"fare_per_traveller": "650", "city": None}}}
    loose["travel"]["mexico_colombia"].update(lodging_per_night=250.0, daily_per_traveller="136")
    assert not Resolver(data).rows(loose, 1, ValidRows([], []))
    a, _ = run_text(jsonl([strict]), data)
    b, _ = run_text(jsonl([loose]), data)
    assert (a.total.low.tolist(), a.total.high.tolist()) == (b.total.low.tolist(), b.total.high.tolist())


def test_names_are_quoted_and_neutralised_in_the_output(data):
    rows = [{**MEXICO_ACCEPTANCE, "name": '=HYPERLINK("x"), "quoted"'}]
    result, _ = run_text(jsonl(rows), data)
    buf = io.StringIO()
    write_results(result, buf)
    row = next(csv.DictReader(io.StringIO(buf.getvalue())))
    assert row["scenario"] == '\'=HYPERLINK("x"), "quoted"'
    errors = io.StringIO()
    write_errors([], errors)
    assert errors.getvalue() == "line,error\n"


# --- the fast path accepts nothing that parse_scenario refuses --------------------------------------

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=3),
    st.sampled_from(["mexico_colombia", "atlantis", "tijuana", "EUR", "XYZ", "claimed", "gmp_lab"]),
    st.lists(st.integers(-1, 5), max_size=3),
)
mutations = st.lists(
    st.tuples(
        st.sampled_from(
            [
                ("travellers",),
                ("rooms",),
                ("sessions",),
                ("schema_version",),
                ("name",),
                ("currency",),
                ("fx_rate",),
                ("home",),
                ("procedure",),
                ("destinations",),
                ("stay", "pre_days"),
                ("stay", "procedure_days"),
                ("stay", "oops"),
                ("travel", "mexico_colombia", "fare_per_traveller"),
                ("travel", "mexico_colombia", "city"),
                ("travel", "turkey_thailand", "lodging_per_night"),
                ("travel", "atlantis", "city"),
                ("quotes", "mexico_colombia", "low"),
                ("quotes", "mexico_colombia", "high"),
                ("quotes", "india_malaysia", "clinic"),
                ("checklist", "mexico_colombia", "gmp_lab"),
                ("checklist", "mexico_colombia", "no_such_item"),
                ("insurance",),
                ("contingency_pct",),
                ("lost_income_per_day",),
                ("follow_up_trips",),
                ("follow_up_nights",),
                ("extra_key",),
            ]
        ),
        values,
    ),
    max_size=3,
)


def mutate(raw, path, value):
    node = raw
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[path[-1]] = value


@settings(max_examples=300, deadline=None)
@given(changes=mutations)
def test_property_fast_path_agrees_with_parse_scenario(changes):
    data = load_data()
    raw = {
        "destinations": ["mexico_colombia", "turkey_thailand"],
        "quotes": {"mexico_colombia": {"low": 5000, "high": 6000}},
        "travel": {"mexico_colombia": {"fare_per_traveller": 650}},
    }
    for path, value in changes:
        mutate(raw, path, value)
    valid = ValidRows([], [])
    accepted = Resolver(data).rows(json.loads(json.dumps(raw)), 1, valid) if _json_safe(raw) else False
    try:
        scenario = parse_scenario(raw, data, "test", default_name="line 1")
    except ScenarioError:
        assert not accepted, raw
        return
    if not accepted:
        return  # a looser form: the batch validates it with pydantic and resolves the validated scenario
    result = compute(batch_inputs(valid))
    comparison = compare(scenario, data)
    assert [d.id for d in comparison.destinations] == result.inputs.destination
    for k, d in enumerate(comparison.destinations):
        assert (result.total.low[k], result.total.high[k]) == (d.total.low, d.total.high)
    assert result.inputs.scenario[0] == scenario.name


def _json_safe(raw):
    try:
        json.dumps(raw, allow_nan=False)
    except ValueError:
        return False
    return True


# --- CLI ------------------------------------------------------------------------------------------------


def test_cli_batch_writes_rows_and_reports_bad_lines(tmp_path):
    source = tmp_path / "clients.csv"
    source.write_text(BAD_CSV, encoding="utf-8")
    out, errs = tmp_path / "out.csv", tmp_path / "errors.csv"
    result = run_cli("batch", str(source), "-o", str(out), "--errors", str(errs))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {source}, line 3: travellers: Input should be greater than or equal to 1"
    assert lines[1].startswith(f"error: {source}, line 4: destinations[0]")
    assert lines[2] == "2 scenarios, 3 rows computed; 2 bad rows"
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["scenario"], r["destination"]) for r in rows] == [
        ("Good one", "mexico_colombia"),
        ("Good two", "mexico_colombia"),
        ("Good two", "india_malaysia"),
    ]
    assert [r["line"] for r in csv.DictReader(errs.open(encoding="utf-8"))] == ["3", "4"]


def test_cli_batch_to_stdout_and_failures(tmp_path):
    ok = run_cli("batch", str(ROOT / "examples" / "batch.jsonl"))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[0] == ",".join(OUTPUT_COLUMNS)
    assert len(ok.stdout.splitlines()) == 7
    missing = run_cli("batch", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv"))
    assert missing.returncode == 2 and "nope.csv: cannot be read" in missing.stderr
    assert not (tmp_path / "o.csv").exists()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"destinations": []}\n', encoding="utf-8")
    none = run_cli("batch", str(bad))
    assert none.returncode == 2
    assert none.stderr.splitlines()[-1] == f"error: {bad}: no row could be computed (1 bad rows)"
