"""Hardening, round 2 (issue 13): every reproduction of the issue ends in the contract.

A valid input works; a bad one is exit 2 with one clean line on the CLI (no control character, no
traceback) or one ScenarioError / DataError naming where. Hand-computed figures for the two message fixes
are in tests/model/test_alert_messages.py; the pages are walked in tests/test_hostile_pages.py.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator.cli import main as cli
from calculator.model.batch import run_rows
from calculator.model.batch_files import MAX_KEYS, read_rows, read_text_rows, too_many_keys
from calculator.model.data import DATA_DIR, clear_data_cache, load_data
from calculator.model.errors import DataError, ScenarioError
from calculator.model.files import MAX_SCENARIO_BYTES, read_user_text
from calculator.model.formatting import one_line
from calculator.model.risk import load_risk_examples
from calculator.model.scenario import parse_scenario
from calculator.present.html_report import safe_svg
from tests.conftest import MEXICO_ACCEPTANCE

MEXICO = json.dumps(MEXICO_ACCEPTANCE)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``python -m calculator ARGV`` in process: (exit status, stdout, stderr); argparse's exit is caught."""
    capsys.readouterr()
    try:
        code = cli.main(list(argv))
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_clean_line(code: int, out: str, err: str) -> str:
    assert code == 2, err
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert not [c for c in err[:-1] if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")], repr(err)
    return err


@pytest.fixture
def mexico(tmp_path: Path) -> Path:
    path = tmp_path / "mexico.json"
    path.write_text(MEXICO, encoding="utf-8")
    return path


# --- CLI options --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["simulate", "{f}", "--seed", "-1"], "argument --seed: must be between 0 and 4,294,967,295, not -1"),
        (["simulate", "{f}", "--seed", "2**40"], "argument --seed: not a whole number: '2**40'"),
        (["simulate", "{f}", "--complication-pct", "5", "--care-cost", "0", "inf"], "--care-cost: must be between"),
        (["simulate", "{f}", "--complication-pct", "5", "--care-cost", "1e308", "1e308"], "not 1e308"),
        (["simulate", "{f}", "--complication-pct", "nan", "--care-cost", "1", "2"], "--complication-pct"),
        (["simulate", "{f}", "--draws", "0"], "argument --draws: must be between 1 and 10,000,000, not 0"),
        (["export", "{f}", "--report", "html", "-o", "-", "--draws", "-5"], "argument --draws"),
        (["export", "{f}", "--report", "html", "-o", "-", "--seed", "-1"], "argument --seed"),
        (["scenarios", "show", "X", "--revision", "99999999999999999999"], "must be between 1 and 2,147,483,647"),
        (["scenarios", "restore", "X", "--revision", "0"], "--revision: must be between 1"),
        (["compare", "{f}", "--format", "x\x1b[2Jy"], "invalid choice: 'x\\x1b[2Jy'"),
        (["compare", "{f}", "--surprise\nsecond line"], "unrecognized arguments: --surprise\\nsecond line"),
    ],
)
def test_every_bad_option_is_one_clean_line_and_exit_2(capsys, mexico, args, says):
    err = assert_one_clean_line(*run(capsys, *[a.replace("{f}", str(mexico)) for a in args]))
    assert says in err, err


def test_a_valid_seed_and_care_cost_still_work(capsys, mexico):
    code, out, err = run(
        capsys, "simulate", str(mexico), "--draws", "1000", "--seed", "0", "--complication-pct", "5",
        "--care-cost", "0", "1e12", "--format", "json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert json.loads(out)["draws"] == 1000


OPTIONS = ["--seed", "--draws", "--complication-pct", "--care-cost"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    option=st.sampled_from(OPTIONS),
    value=st.sampled_from(["-1", "0", "1e308", "inf", "-inf", "nan", "9" * 400, "0x10", "", " ", "\x1b[31m", "1e12"])
    | st.text(max_size=30),
)
def test_any_value_of_any_numeric_option_runs_or_is_one_clean_line(capsys, tmp_path, option, value):
    path = tmp_path / "m.json"
    path.write_text(MEXICO, encoding="utf-8")
    extra = {
        "--seed": ["--seed", value],
        "--draws": ["--draws", value],
        "--complication-pct": ["--complication-pct", value, "--care-cost", "1", "2"],
        "--care-cost": ["--complication-pct", "5", "--care-cost", value, value],
    }[option]
    code, out, err = run(capsys, "simulate", str(path), "--draws", "200", *extra, "--format", "json")
    if code == 0:
        assert json.loads(out)["draws"] >= 1
    else:
        assert_one_clean_line(code, out, err)


def test_one_line_escapes_control_and_bidi_characters():
    assert one_line("a\nb\r\x1b[2J\u202e\x00\u2028") == "a\\nb\\r\\x1b[2J\\u202e\\x00\\u2028"
    assert one_line("Mexico · مرحبا · 墨西哥 👩🏽‍⚕️") == "Mexico · مرحبا · 墨西哥 👩🏽‍⚕️"


def test_a_file_name_with_escape_sequences_and_a_newline_is_one_escaped_line(capsys, tmp_path):
    path = tmp_path / "bad\x1b[2J\nname.json"
    path.write_text('{"destinations": ["nowhere"]}', encoding="utf-8")
    err = assert_one_clean_line(*run(capsys, "compare", str(path)))
    assert "bad\\x1b[2J\\nname.json: destinations[0]: unknown destination 'nowhere'" in err


# --- files: regular only, capped -----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["compare", "batch", "simulate", "timeline"])
@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "folder"])
def test_devices_fifos_and_folders_are_refused_at_once(capsys, tmp_path, command, special):
    path = {"/dev/zero": Path("/dev/zero"), "fifo": tmp_path / "fifo", "folder": tmp_path}[special]
    if special == "fifo":
        os.mkfifo(path)  # nobody writes to it: reading it would wait forever
    extra = ["--start", "2027-03-01"] if command == "timeline" else []
    err = assert_one_clean_line(*run(capsys, command, str(path), *extra))
    assert err == f"error: {path}: cannot be read (not a regular file)\n"


def test_a_scenario_file_over_1_mb_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (MAX_SCENARIO_BYTES + 1))
    with pytest.raises(ScenarioError, match=r"big.json: is 1.0 MB, more than the 1.0 MB accepted"):
        read_user_text(path, MAX_SCENARIO_BYTES)


def test_a_scenario_file_with_a_byte_order_mark_reads(capsys, tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + MEXICO.encode())
    code, out, err = run(capsys, "compare", str(path), "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["scenario"] == "Acceptance: Mexico"


# --- batch files: bounded before validation ---------------------------------------------------------------


def test_a_csv_cell_over_the_csv_limit_is_one_error_for_the_file(capsys, tmp_path):
    path = tmp_path / "cell.csv"
    path.write_text("name,destinations\n" + "x" * 140_000 + ",mexico_colombia\n", encoding="utf-8")
    err = assert_one_clean_line(*run(capsys, "batch", str(path)))
    assert err == f"error: {path}: not a valid CSV file (line 2: field larger than field limit (131072))\n"
    with pytest.raises(ScenarioError, match="field larger than field limit"):
        list(read_text_rows(path.read_text(), "upload.csv"))  # the Batch page's path


def test_a_csv_with_more_columns_than_the_cap_is_refused_at_its_header():
    header = ",".join(f"k{i}" for i in range(MAX_KEYS + 1))
    with pytest.raises(ScenarioError, match=r"^wide.csv: has 2,001 columns, more than the 2,000"):
        list(read_text_rows(header + "\n" + "1," * MAX_KEYS + "1\n", "wide.csv"))


@pytest.mark.parametrize("layout", ["lines", "list"])
def test_a_json_row_with_too_many_keys_is_one_error_naming_its_line(data, layout):
    wide = {"destinations": ["mexico_colombia"], **{f"k{i}": 1 for i in range(MAX_KEYS)}}
    rows = [MEXICO_ACCEPTANCE, wide]
    text = (
        "\n".join(json.dumps(r) for r in rows)
        if layout == "lines"
        else "[\n" + ",\n".join(map(json.dumps, rows)) + "\n]"
    )
    result, errors = run_rows(read_text_rows(text, "b.json"), data, "b.json")
    assert result is not None and len(result.inputs) == 1
    line = 2 if layout == "lines" else 3  # the list's "[" is line 1
    assert [(e.line, e.message) for e in errors] == [
        (line, f"b.json, line {line}: row: has more than 2,000 keys and list items (a scenario has far fewer)")
    ]


def test_too_many_keys_counts_nested_keys_and_list_items():
    assert not too_many_keys({"a": {"b": [1, 2]}}, limit=4)  # a, b and two items: 4
    assert too_many_keys({"a": {"b": [1, 2, 3]}}, limit=4)
    assert too_many_keys({"checklist": {"d": {f"i{n}": "no" for n in range(10)}}}, limit=10)


def test_a_batch_file_is_read_as_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    with pytest.raises(ScenarioError, match="not a regular file"):
        read_rows(tmp_path / "pipe.csv")


# --- scenario: true / false are not numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ({"travellers": True}, "travellers"),
        ({"rooms": False}, "rooms"),
        ({"insurance": True}, "insurance"),
        ({"contingency_pct": True}, "contingency_pct"),
        ({"stay": {"pre_days": [True, 2]}}, "stay.pre_days.0"),
        ({"quotes": {"mexico_colombia": {"low": True, "high": 2}}}, "quotes.mexico_colombia.low"),
        ({"travel": {"mexico_colombia": {"fare_per_traveller": False}}}, "travel.mexico_colombia.fare_per_traveller"),
    ],
)
def test_true_and_false_are_refused_where_a_number_is_expected(data, extra, where):
    with pytest.raises(ScenarioError) as caught:
        parse_scenario({"destinations": ["mexico_colombia"], **extra}, data, "s.json")
    assert (caught.value.where, caught.value.problem) == (f"s.json: {where}", "must be a number, not true or false")


def test_true_travellers_in_a_batch_row_is_refused_too(data):
    result, errors = run_rows([(1, {"destinations": ["mexico_colombia"], "travellers": True})], data, "b")
    assert result is None and errors[0].message == "b, line 1: travellers: must be a number, not true or false"


# --- data folders ---------------------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    clear_data_cache()
    yield copy
    clear_data_cache()


def _load(folder: Path):
    clear_data_cache()
    bundle = load_data(folder)
    load_risk_examples(bundle.sources, folder)
    return bundle


@pytest.mark.parametrize(
    ("file", "text", "problem"),
    [
        ("claims.yaml", "claims: " + "[" * 3000 + "]" * 3000, "nested more than 20 deep at line 1"),
        ("claims.yaml", "a: &a [x, x, x]\nb: [*a, *a, *a]\nclaims: []\n", "an alias (*a) at line 2: not allowed here"),
        ("safety_checklist.yaml", "items: []\nquestions: []\n", "the 'items' list is empty"),
        ("risk_examples.yaml", "examples: []\n", "the 'examples' list is empty"),
    ],
)
def test_bad_yaml_shapes_are_one_data_error(folder, file, text, problem):
    (folder / file).write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        _load(folder)
    assert problem in str(caught.value) and str(caught.value).startswith(file)


def test_two_home_rows_are_refused(folder):
    rows = list(csv.reader((folder / "costs.csv").open(encoding="utf-8")))
    header, home = rows[0], next(r for r in rows if "home" in r)
    second = [("uk_home" if c == home[header.index("region_id")] else c) for c in home]
    with (folder / "costs.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(second)
    with pytest.raises(DataError, match=r"^costs.csv: procedure 'stem_cell_scar' has 2 home rows \(.*uk_home\)"):
        _load(folder)


@pytest.mark.parametrize("file", ["costs.csv", "travel_costs.csv", "fx_rates.csv", "claims.yaml", "sources.yaml"])
def test_a_byte_order_mark_is_read_not_taken_for_part_of_the_first_column(folder, file):
    (folder / file).write_bytes(b"\xef\xbb\xbf" + (folder / file).read_bytes())
    assert _load(folder).prices  # no "column 'procedure': Field required"


def test_risk_examples_come_from_the_configured_data_folder(folder, monkeypatch, data):
    path = folder / "risk_examples.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('label: "', 'label: "Folder copy: ', 1), encoding="utf-8")
    monkeypatch.setenv("CALC_DATA_DIR", str(folder))
    assert any(e.label.startswith("Folder copy: ") for e in load_risk_examples(data.sources).values())
    monkeypatch.delenv("CALC_DATA_DIR")
    assert not any(e.label.startswith("Folder copy: ") for e in load_risk_examples(data.sources).values())


# --- every output accepts every valid name -----------------------------------------------------------------

NAMES = [
    "Line one\nLine two",
    "bare\rCR",
    "Mexico, online = cheaper",
    "onload=alert(1) onmouseover = x",
    "javascript:alert(1)",
    "\u202eevil.exe\u202c مرحبا بالعالم",
    "墨西哥・安い治療 (CJK)",
    'a;b,c\\d "quoted" <script>',
]


class _Markup(HTMLParser):
    """The tags and attributes of an HTML page that would run script (event handlers, script, javascript:)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(tag)
        self.found += [
            f"{tag} {k}" for k, v in attrs if k.startswith("on") or (v or "").strip().startswith("javascript")
        ]


def live_markup(page: str) -> list[str]:
    parser = _Markup()
    parser.feed(page)
    return parser.found


def text_value(raw: str) -> str:
    """An iCalendar TEXT value read back by RFC 5545 3.3.11 (icalendar leaves an X- property's escapes in)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


@pytest.mark.parametrize("name", NAMES)
def test_every_valid_name_exports_as_ics_and_html(capsys, tmp_path, name):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({**MEXICO_ACCEPTANCE, "name": name}), encoding="utf-8")
    code, ics, err = run(capsys, "timeline", str(path), "--start", "2027-03-01", "--format", "ics")
    assert (code, err) == (0, "")
    calendar = icalendar.Calendar.from_ical(ics)
    expected = name.replace("\r\n", "\n").replace("\r", "\n")
    calendar_name = text_value(str(calendar["X-WR-CALNAME"]))  # the name with the trip's words around it
    assert expected in calendar_name and calendar_name.endswith("(longest plan)"), calendar_name
    assert "\r" not in ics.replace("\r\n", "") and "\n" not in ics.replace("\r\n", "")  # one property per line
    out = tmp_path / "r.html"
    code, _, err = run(capsys, "export", str(path), "--report", "html", "-o", str(out))
    assert (code, err) == (0, "")
    page = out.read_text(encoding="utf-8")
    assert html.escape(name.splitlines()[0]) in page
    assert live_markup(page) == []


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><a href=" javascript:x()"><text>t</text></a></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><g ONCLICK="x()"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        '<use x:href="javascript:x"/></svg>',
    ],
)
def test_unsafe_svg_markup_is_still_refused(svg):
    with pytest.raises(ValueError):
        safe_svg(svg)


def test_user_text_that_looks_like_markup_is_allowed_in_svg_text():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><text>Mexico, online = cheaper; javascript: a guide; '
        "&lt;script&gt; onload=x</text></svg>"
    )
    assert safe_svg(svg) == svg
