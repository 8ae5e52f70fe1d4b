"""Bad input everywhere (issue 8): scenario text, data files, the CLI and the sidebar's text inputs.

Every way data gets in either works or raises the one error type the user can fix
(ScenarioError / DataError) as one line naming the file and the field or row; never another
exception. Share-link payloads are fuzzed in tests/storage/test_share.py, decoded JSON objects in
tests/model/test_scenario.py; this file adds raw text, hostile numbers and text, data files and the CLI.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from calculator.cli import main as cli
from calculator.model.batch import run_rows
from calculator.model.batch_files import read_text_rows
from calculator.model.compare import compare
from calculator.model.data import DATA_DIR, clear_data_cache, load_data
from calculator.model.errors import DataError, ScenarioError
from calculator.model.risk import load_risk_examples
from calculator.model.scenario import load_scenario_text, parse_scenario
from calculator.present.output import comparison_dict, comparison_table
from tests.conftest import APP, APPTEST_TIMEOUT, run_cli
from tests.ui.answer import open_destination, set_input, side_by_side

# --- hostile values ------------------------------------------------------------------------------

HOSTILE_TEXT = [
    "",
    " ",
    "x" * 10_000,
    "\x00\x01\x07\x1b[31m\x7f",
    "line one\nline two\r\n",
    "\u202eevil.exe\u202c",  # right-to-left override
    "مرحبا بالعالم",  # Arabic, right to left
    "שלום",  # Hebrew
    "🧭💉🏥 👩🏽‍⚕️",  # emoji incl. a ZWJ sequence
    "\ufeff\u200b\u2028\u2029",  # BOM, zero-width space, line/paragraph separators
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "'; DROP TABLE scenarios;--",
]
HOSTILE_NUMBERS = [
    "-1",
    "-0.0",
    "0",
    "1e308",
    "-1e308",
    "1e400",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 5000,  # more digits than Python converts by default
    "1.7976931348623157e308",
    "5e-324",
    "true",
    "null",
    '"12"',
    '"twelve"',
    "[]",
    "{}",
    "[1, 2, 3]",
]
text_values = st.sampled_from(HOSTILE_TEXT) | st.text(max_size=300)
json_text_values = text_values.map(lambda s: json.dumps(s, ensure_ascii=False))
number_values = st.sampled_from(HOSTILE_NUMBERS) | st.floats().map(repr) | st.integers().map(str)
any_value = number_values | json_text_values

NUMBER_FIELDS = [
    "travellers",
    "rooms",
    "sessions",
    "insurance",
    "contingency_pct",
    "lost_income_per_day",
    "follow_up_trips",
    "follow_up_nights",
    "fx_rate",
    "stay.pre_days",
    "stay.recovery_days",
    "stay.travel_days",
    "travel.mexico_colombia.fare_per_traveller",
    "travel.mexico_colombia.lodging_per_night",
    "travel.mexico_colombia.daily_per_traveller",
    "quotes.mexico_colombia.low",
    "quotes.mexico_colombia.high",
]
TEXT_FIELDS = ["name", "currency", "home", "procedure", "quotes.mexico_colombia.clinic", "travel.mexico_colombia.city"]

PLACEHOLDER = "__VALUE__"


def scenario_text(field: str, value_json: str) -> str:
    """A valid scenario's JSON with ``field`` (dotted) set to the raw JSON text ``value_json``."""
    doc: dict = {
        "destinations": ["mexico_colombia"],
        "currency": "EUR" if field == "fx_rate" else "USD",
        "quotes": {"mexico_colombia": {"low": 5000, "high": 6000}},
    }
    *parents, last = field.split(".")
    node = doc
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = PLACEHOLDER
    return json.dumps(doc).replace(json.dumps(PLACEHOLDER), value_json)


def assert_one_clear_line(err: ScenarioError | DataError, where: str) -> None:
    assert str(err).startswith(where), str(err)
    assert "\n" not in str(err) and "\r" not in str(err), repr(str(err))
    assert err.problem.strip()


DATA = load_data()
"""The bundled data, module-level so Hypothesis does not print the whole bundle with a failing example."""


def check_usable(text: str, data=DATA) -> None:
    """Either a ScenarioError naming the file, or a scenario whose comparison renders with finite figures."""
    try:
        scenario = load_scenario_text(text, data, "fuzz.json")
    except ScenarioError as err:
        assert_one_clear_line(err, "fuzz.json")
        return
    comparison = compare(scenario, data)
    figures = comparison_dict(comparison)
    comparison_table(comparison)
    totals = [figures["home"]["total"]] + [d["total"] for d in figures["destinations"]]
    assert all(math.isfinite(v) for t in totals for v in t.values() if isinstance(v, float)), totals


# --- scenario text -------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(NUMBER_FIELDS + TEXT_FIELDS), value=any_value)
def test_any_value_in_any_field_is_a_scenario_or_one_clear_error(field, value):
    check_usable(scenario_text(field, value))


@pytest.mark.parametrize("field", NUMBER_FIELDS)
@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
def test_every_hostile_number_in_every_number_field(data, field, value):
    check_usable(scenario_text(field, value), data)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "not valid JSON"),
        ("[" * 100_000, "nested too deeply"),
        ('{"destinations": ["mexico_colombia"], "travellers": ' + "9" * 5000 + "}", "too many digits"),
        ("\ufeff{}", "not valid JSON"),
        ("null", "must be a JSON object"),
    ],
)
def test_malformed_text_is_one_clear_error(data, text, problem):
    with pytest.raises(ScenarioError) as err:
        load_scenario_text(text, data, "fuzz.json")
    assert_one_clear_line(err.value, "fuzz.json")
    assert problem in err.value.problem


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400) | st.sampled_from(HOSTILE_TEXT))
def test_any_text_is_a_scenario_or_one_clear_error(text):
    check_usable(text)


@pytest.mark.parametrize("name", [t for t in HOSTILE_TEXT if t.strip() and len(t) <= 200])
def test_hostile_names_and_clinics_are_kept_verbatim(data, name):
    doc = {
        "name": name,
        "destinations": ["mexico_colombia"],
        "quotes": {"mexico_colombia": {"low": 5000, "high": 5000, "clinic": name}},
    }
    scenario = load_scenario_text(json.dumps(doc), data, "f.json")
    assert scenario.name == name
    assert scenario.quotes["mexico_colombia"][0].clinic == name
    assert load_scenario_text(scenario.model_dump_json(), data, "f.json") == scenario


def test_a_name_over_200_characters_is_refused_naming_the_key(data):
    with pytest.raises(ScenarioError, match=r"^f.json: name: String should have at most 200 characters"):
        load_scenario_text(json.dumps({"name": "x" * 201, "destinations": ["mexico_colombia"]}), data, "f.json")


# --- data files ----------------------------------------------------------------------------------

CSV_FILES = sorted(p.name for p in DATA_DIR.glob("*.csv"))
DATA_FILES = sorted(p.name for p in DATA_DIR.iterdir() if p.is_file())


def _rows(name: str) -> list[list[str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


@pytest.fixture(scope="module")
def data_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzzdata") / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def _load_fresh(folder: Path):
    """Every data file in ``folder``: the bundle, and the risk examples (read by the Uncertainty page)."""
    clear_data_cache()  # load_data caches per folder; the folder's files changed
    try:
        bundle = load_data(folder)
        load_risk_examples(bundle.sources, folder)
        return bundle
    finally:
        clear_data_cache()


cell_values = st.sampled_from(
    HOSTILE_TEXT + HOSTILE_NUMBERS + ["1e12", "-5", "2026-13-45", "yes", "USD;EUR"]
) | st.text(max_size=80)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    file=st.sampled_from(CSV_FILES), pick=st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), value=cell_values
)
def test_any_cell_of_any_csv_loads_or_names_file_line_and_column(data_folder, file, pick, value):
    rows = _rows(file)
    header, body = rows[0], rows[1:]
    r, c = pick[0] % len(body), pick[1] % len(header)
    body[r][c] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *body])  # quotes any cell with a line break
    target = data_folder / file
    try:
        target.write_text(out.getvalue(), encoding="utf-8")
        try:
            bundle = _load_fresh(data_folder)
        except DataError as err:
            assert "\n" not in str(err), repr(str(err))
            assert err.where.split(",")[0].split(":")[0] in DATA_FILES, str(err)
            if err.where.startswith(f"{file}, line "):
                line = int(re.match(rf"{re.escape(file)}, line (\d+)", err.where).group(1))
                first = 2 + r  # the bundled files have no line breaks inside a cell
                assert first <= line <= first + len(re.findall(r"\r\n|\r|\n", value)), (str(err), first)
                assert (
                    f"column {header[c]!r}" in err.where
                    or "column 'row'" in err.where
                    or err.problem == "has a different number of cells than the header"
                ), str(err)
        else:
            comparison = compare(
                load_scenario_text('{"destinations": ["mexico_colombia", "turkey_thailand"]}', bundle, "f"), bundle
            )
            comparison_table(comparison)
    finally:
        shutil.copy(DATA_DIR / file, target)


@pytest.mark.parametrize("file", CSV_FILES)
@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "1e400", "1e308"])
def test_non_finite_or_absurd_numbers_in_a_csv_are_refused(data_folder, file, value):
    """Every number column refuses infinity, NaN and absurd sizes with the file, line and column."""
    rows = _rows(file)
    header = rows[0]
    numeric = [i for i, cell in enumerate(rows[1]) if re.fullmatch(r"-?\d+(\.\d+)?", cell)]
    assert numeric, f"{file} has no number column"
    target = data_folder / file
    for c in numeric:
        body = [list(r) for r in rows[1:]]
        body[0][c] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, *body])
        try:
            target.write_text(out.getvalue(), encoding="utf-8")
            with pytest.raises(DataError) as err:
                _load_fresh(data_folder)
            assert err.value.where == f"{file}, line 2, column {header[c]!r}", str(err.value)
        finally:
            shutil.copy(DATA_DIR / file, target)


@pytest.mark.parametrize("file", DATA_FILES)
@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00garbage", b"\x00" * 64, "🧭\u202e,\n".encode()])
def test_any_data_file_replaced_by_junk_is_named(data_folder, file, content):
    target = data_folder / file
    try:
        target.write_bytes(content)
        with pytest.raises(DataError) as err:
            _load_fresh(data_folder)
        assert err.value.where.startswith(file), str(err.value)
        assert "\n" not in str(err.value)
    finally:
        shutil.copy(DATA_DIR / file, target)


# --- the CLI -------------------------------------------------------------------------------------

NASTY_FILES = [
    b"",
    b"\xef\xbb\xbf{}",
    b"\xff\xfe\x00\x00",
    b"[" * 50_000,
    b'{"destinations": ["mexico_colombia"], "travellers": ' + b"9" * 5000 + b"}",
    b'{"destinations": ["mexico_colombia"], "insurance": 1e308, "contingency_pct": 100}',
    b'{"destinations": ["mexico_colombia"], "name": "\\u202e\\u0000 \xf0\x9f\xa7\xad"}',
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000) | st.sampled_from(NASTY_FILES))
def test_cli_main_with_random_bytes_exits_2_with_one_line(tmp_path, capsys, content):
    """In-process (fast, many examples): ``calculator.cli.main.main`` is what ``python -m calculator`` runs."""
    path = tmp_path / "random.json"
    path.write_bytes(content)
    capsys.readouterr()
    code = cli.main(["compare", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    if code == 0:  # the bytes happened to be a valid scenario
        json.loads(out)
        return
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}"), err


@pytest.mark.parametrize("content", [NASTY_FILES[3], bytes(range(256)) * 4])
def test_cli_process_with_random_bytes_exits_2_without_a_traceback(tmp_path, content):
    """A few in a real subprocess (slow): exit status 2, one stderr line, nothing on stdout."""
    path = tmp_path / "random.json"
    path.write_bytes(content)
    result = run_cli("compare", str(path), "--format", "json")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}"), result.stderr


# --- batch files (the Batch page's upload and `python -m calculator batch`) ----------------------------

BATCH_NASTY = [
    "[" * 50_000,
    "{" * 50_000,
    '{"destinations": ["mexico_colombia"], "travellers": ' + "9" * 5000 + "}",
    '[{"destinations": ["mexico_colombia"], "insurance": ' + "9" * 5000 + "}]",
    "destinations,insurance\nmexico_colombia,1e308\nmexico_colombia,nan\nmexico_colombia,-inf\n",
    "\x00\x01\u202e🧭",
    "a,b\n1,2,3\n",
]


def check_batch(text: str) -> None:
    """A whole-file ScenarioError naming the upload, or per-row errors naming their line, never another exception."""
    try:
        result, errors = run_rows(read_text_rows(text, "upload.csv"), DATA, "upload.csv")
    except ScenarioError as err:
        assert_one_clear_line(err, "upload.csv")
        return
    for e in errors:
        assert e.message.startswith(f"upload.csv, line {e.line}"), e
        assert "\n" not in e.message
    if result is not None:
        assert result.inputs.line.min() >= 1


@pytest.mark.parametrize("text", BATCH_NASTY, ids=range(len(BATCH_NASTY)))
def test_nasty_batch_files_are_refused_by_file_or_by_line(text):
    check_batch(text)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.builds(
            lambda field, value: scenario_text(field, value),
            st.sampled_from(NUMBER_FIELDS + TEXT_FIELDS),
            any_value,
        ),
        min_size=1,
        max_size=5,
    ).map("\n".join)
    | st.text(max_size=300)
)
def test_any_batch_text_is_rows_or_one_clear_error(text):
    check_batch(text)


# --- the sidebar's free-text inputs ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["\u202eevil\u202c مرحبا 🧭👩🏽‍⚕️ \x00\x07\x1b[31m tab\t $1 and $2 *not* `code`", "x" * 200],
)
def test_sidebar_takes_any_text_without_an_exception(text):
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    set_input(at, "in_name", text, "text_input")
    open_destination(at, "mexico_colombia")
    at.checkbox(key="in_has_quote|mexico_colombia").check().run()
    clinic = {"clinic": text, "low": 0}
    at.session_state["in_clinics|mexico_colombia"] = {"edited_rows": {}, "added_rows": [clinic], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert not [e.value for e in at.error if e.value.startswith("Not applied")], [e.value for e in at.error]
    assert at.session_state["scenario"].name == (text.strip() or "Untitled scenario")
    assert side_by_side(at).loc["Procedure", f"Mexico / Colombia · {text.strip()}"] == "USD 0"


def _numbers(obj: object) -> list[float]:
    if isinstance(obj, dict):
        return [n for v in obj.values() for n in _numbers(v)]
    if isinstance(obj, (list, tuple)):
        return [n for v in obj for n in _numbers(v)]
    return [obj] if isinstance(obj, (int, float)) and not isinstance(obj, bool) else []


def test_every_sidebar_number_refuses_hostile_values_and_keeps_a_valid_scenario():
    """Negative and huge values in every number input of the sidebar: never an exception, never a negative or
    absurd figure in the scenario. Streamlit's server refuses a value outside a widget's own range (the widget
    falls back to its default, as the browser would never send it); a value the widget allows but the model
    does not (1e308 where the widget has no maximum) is "Not applied" with the field named, and the figures
    stay those of the last valid inputs.

    (NaN sent as the value of an int input, which no browser sends, breaks that session inside Streamlit's
    number_input deserializer, streamlit 1.67; other sessions are not affected.)"""
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    open_destination(at, "mexico_colombia")
    keys = [w.key for w in at.number_input if str(w.key).startswith("in_")]
    # 10 for the whole trip, 3 for the open destination (each destination's are built while it is open)
    assert len(keys) >= 13 and "in_travellers" in keys and "in_fare|mexico_colombia|USD" in keys
    # every input once: the per-destination ones of the first destination stand for the others (same code)
    for key in [k for k in keys if "|" not in k or "|mexico_colombia|" in k]:
        widget = at.number_input(key=key)
        original = widget.value
        # what a browser could be made to send: a whole number for an int input, any finite number for a float
        hostile = (-1, 10**12) if widget.proto.data_type == widget.proto.INT else (-1e-9, 1e308)
        for value in hostile:
            before = at.session_state["scenario"]
            set_input(at, key, value)
            assert not at.exception, (key, value)
            after = at.session_state["scenario"]
            assert parse_scenario(after.model_dump(), DATA, "state") == after
            assert all(0 <= n < 1e12 for n in _numbers(after.model_dump())), (key, value, after)
            refused = [e.value for e in at.error if e.value.startswith("Not applied")]
            assert len(refused) <= 1, refused
            if refused:
                assert after == before and "last valid inputs" in refused[0], (key, refused)
        set_input(at, key, original)
        assert not [e.value for e in at.error if e.value.startswith("Not applied")]
