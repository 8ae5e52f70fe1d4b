"""Exports: real PNG / SVG / PDF files, CSV and XLSX that read back as the table, no formula injection,
an HTML report that escapes user text and names every source and warning, and the export CLI."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os
import re
import struct
import xml.etree.ElementTree as ET

import openpyxl
import pandas as pd
import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator.cli.main import main
from calculator.model.compare import compare
from calculator.model.timeline import trip_timeline
from calculator.model.uncertainty import simulate
from calculator.present import pdf_report
from calculator.present.chart_files import (
    HISTOGRAM_BINS,
    compare_chart_bytes,
    scenarios_chart_bytes,
    timeline_figure,
    uncertainty_figure,
)
from calculator.present.chart_frame import EXPORT_WIDTH, PNG_SCALE, chart_bytes, page_chart_bytes
from calculator.present.charts import COMPONENT_COLOURS, compare_chart
from calculator.present.citations import vendor_source_ids
from calculator.present.export_meta import file_name, file_stem
from calculator.present.html_report import report_html, safe_svg
from calculator.present.output import CSV_COLUMNS, comparison_rows, safe_cell
from calculator.present.pdf_report import report_pdf
from calculator.present.report_content import build_report
from calculator.present.spreadsheets import frame_csv, frame_xlsx, page_table_bytes, xlsx_value
from calculator.present.table_files import (
    SCENARIOS_COLUMNS,
    UNCERTAINTY_COLUMNS,
    checklist_table_bytes,
    comparison_csv,
    comparison_xlsx,
    scenarios_table_bytes,
    timeline_table_bytes,
    uncertainty_table_bytes,
)
from calculator.present.tables import long_frame, totals_frame
from tests.conftest import MEXICO_ACCEPTANCE, make_scenario, run_cli, write_json

DAY = dt.date(2026, 4, 20)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
INJECTION = {
    **MEXICO_ACCEPTANCE,
    "name": '=HYPERLINK("http://x","y")',
    "destinations": ["mexico_colombia", "turkey_thailand"],
    "quotes": {"turkey_thailand": {"low": 5000, "high": 6000, "clinic": "@SUM(1)"}},
    "checklist": {"mexico_colombia": {"gmp_lab": "claimed"}},
}
SCRIPT_NAME = "<script>alert(1)</script>"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (after checking the signature)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def pdf_pages(data: bytes) -> int:
    assert data.startswith(b"%PDF")
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def formula_like(cell: str) -> bool:
    """True when a spreadsheet would read the text as a formula."""
    if not cell.startswith(FORMULA_START):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


@pytest.fixture(scope="module")
def mexico(data):
    return compare(make_scenario(data, **MEXICO_ACCEPTANCE), data)


@pytest.fixture(scope="module")
def injected(data):
    return compare(make_scenario(data, **INJECTION), data)


@pytest.fixture(scope="module")
def scripted(data):
    return compare(make_scenario(data, **{**INJECTION, "name": SCRIPT_NAME}), data)


@pytest.fixture(scope="module")
def compare_files(mexico, data):
    return {fmt: compare_chart_bytes(mexico, data, fmt, DAY) for fmt in ("png", "svg", "pdf")}


# --- charts ---------------------------------------------------------------------------------------


def test_compare_png_is_a_real_png_at_twice_the_size(compare_files):
    width, height = png_size(compare_files["png"])
    assert width >= PNG_SCALE * EXPORT_WIDTH
    assert height > 300


def test_compare_svg_parses_and_keeps_the_page_colours_and_the_frame(compare_files, mexico, data):
    text = compare_files["svg"].decode("utf-8")
    root = ET.fromstring(text)
    assert root.tag.endswith("svg")
    assert text.lstrip().startswith("<svg")
    # The explicit Okabe-Ito scale of the page: each component drawn has its page colour.
    drawn = set(long_frame(mexico, vendor_source_ids(data.sources))["component"])
    fills = {c.upper() for c in re.findall(r'fill="(#[0-9a-fA-F]{6})"', text)}
    for component in drawn:
        assert COMPONENT_COLOURS[component].upper() in fills, component
    # Title: scenario, date, currency; footnote: sources and the vendor claim.
    for words in ("Acceptance: Mexico", "2026-04-20", "USD", "PlacidWay", "Vendor claim (unverified)", "Procedure"):
        assert words in text


def test_compare_pdf_is_a_real_pdf(compare_files):
    assert pdf_pages(compare_files["pdf"]) >= 1


def test_timeline_chart_exports(data):
    scenario = make_scenario(data, **MEXICO_ACCEPTANCE)
    timeline = trip_timeline(scenario, dt.date(2027, 3, 1))
    svg = chart_bytes(timeline_figure(timeline, scenario.name, data, DAY), "svg").decode()
    ET.fromstring(svg)
    assert "Trip timeline" in svg and "Mon 2027-03-01" in svg and "Centers for Disease Control" in svg


def test_chart_text_is_escaped_in_svg(scripted, data):
    svg = compare_chart_bytes(scripted, data, "svg", DAY).decode()
    assert "<script" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert safe_svg(svg) == svg


@pytest.mark.parametrize(
    "svg", ['<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', '<svg onload="x()"></svg>']
)
def test_unsafe_svg_is_refused(svg):
    with pytest.raises(ValueError):
        safe_svg(svg)


# --- file names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Client A: Mexico vs Turkey", "client-a-mexico-vs-turkey"),
        ("../../etc/passwd", "etc-passwd"),
        (SCRIPT_NAME, "script-alert-1-script"),
        ("Zürich ✈ trip", "zurich-trip"),
        ("", "scenario"),
        ("✈✈", "scenario"),
    ],
)
def test_file_stem(name, stem):
    assert file_stem(name) == stem


def test_file_name_carries_the_scenario_and_the_date():
    assert file_name("Client A", "compare chart", "png", DAY) == "client-a_compare-chart_2026-04-20.png"


@given(st.text(max_size=300))
def test_file_stem_is_always_safe(name):
    stem = file_stem(name)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", stem)
    assert len(stem) <= 60


# --- tables ---------------------------------------------------------------------------------------


def test_csv_has_a_header_and_no_formula_like_cell(injected):
    text = comparison_csv(injected).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 1 + len(comparison_rows(injected))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if formula_like(c)]
    assert '\'=HYPERLINK("http://x","y")' in cells  # kept, neutralised
    assert "-352.0" in cells  # Mexico's worst-case saving, by hand: 15,000 - 15,352; a number stays a number


def test_xlsx_reads_back_as_the_table(mexico, data):
    book = comparison_xlsx(mexico, data)
    sheets = pd.read_excel(io.BytesIO(book), sheet_name=None, engine="openpyxl")
    assert list(sheets) == ["Comparison", "Scenario", "Checklist", "Sources", "Warnings"]
    got = sheets["Comparison"]
    want = pd.DataFrame(comparison_rows(mexico), columns=list(CSV_COLUMNS))
    assert list(got.columns) == list(CSV_COLUMNS)
    for column in ("low", "mid", "high"):
        assert got[column].dtype.kind == "f"
        pd.testing.assert_series_equal(got[column], want[column].astype(float), check_names=False)
    for column in ("scenario", "currency", "target", "name", "row", "sources"):
        assert got[column].fillna("").tolist() == want[column].fillna("").tolist()
    # The acceptance figures, by hand: Mexico's total 6,194 / 10,773 / 15,352.
    total = got[(got["target"] == "mexico_colombia") & (got["row"] == "total")].iloc[0]
    assert (total["low"], total["mid"], total["high"]) == (6194, 10773, 15352)


def test_xlsx_has_currency_formats_sources_and_warnings(mexico, data):
    wb = openpyxl.load_workbook(io.BytesIO(comparison_xlsx(mexico, data)))
    ws = wb["Comparison"]
    header = [c.value for c in ws[1]]
    checked = 0
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        if cells["low"].value is not None:
            unit = '"%"' if cells["currency"].value == "%" else '"USD"'
            assert all(unit in cells[c].number_format for c in ("low", "mid", "high"))
            checked += 1
    assert checked == sum(1 for r in comparison_rows(mexico) if r["low"] is not None)
    ids = [r[0].value for r in wb["Sources"].iter_rows(min_row=2)]
    assert set(mexico.source_ids()) <= set(ids)
    codes = {r[2].value for r in wb["Warnings"].iter_rows(min_row=2)}
    assert codes == {a.code for a in mexico.all_alerts()}


def test_xlsx_neutralises_user_text_and_keeps_numbers_typed(injected, data):
    wb = openpyxl.load_workbook(io.BytesIO(comparison_xlsx(injected, data)))
    strings = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [s for s in strings if formula_like(s)]
    assert not any(c.data_type == "f" for ws in wb for row in ws.iter_rows() for c in row)
    assert "'@SUM(1)" in strings and '\'=HYPERLINK("http://x","y")' in strings


def test_xlsx_with_a_timeline_has_dates(mexico, data):
    timeline = trip_timeline(mexico.scenario, dt.date(2027, 3, 1))
    sheets = pd.read_excel(io.BytesIO(comparison_xlsx(mexico, data, timeline)), sheet_name=None)
    assert "Timeline" in sheets
    procedure = sheets["Timeline"].set_index("id").loc["procedure"]
    assert procedure["short_start"] == pd.Timestamp("2027-03-01")
    assert procedure["long_days"] == 1


@given(st.text(max_size=50))
def test_no_text_cell_reads_as_a_formula(text):
    for value in (safe_cell(text), xlsx_value(text)):
        assert not formula_like(value)


def test_numbers_stay_numbers_in_xlsx():
    assert xlsx_value(-352.0) == -352.0
    assert xlsx_value(float("nan")) is None
    assert xlsx_value("-352") == "-352"  # text that is a number is left as it is
    assert xlsx_value(dt.date(2027, 3, 1)) == dt.date(2027, 3, 1)


# --- the report -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def full_report(scripted, data):
    timeline = trip_timeline(scripted.scenario, dt.date(2027, 3, 1))
    simulation = simulate(scripted.scenario, data, draws=2000, seed=1, bins=HISTOGRAM_BINS)
    return build_report(scripted, data, DAY, timeline, simulation)


@pytest.fixture(scope="module")
def report_text(full_report):
    return report_html(full_report).decode("utf-8")


def test_html_report_escapes_user_text(report_text):
    assert "<script" not in report_text.lower()
    assert html.escape(SCRIPT_NAME) in report_text
    assert "Content-Security-Policy" in report_text and "default-src 'none'" in report_text


def test_html_report_is_self_contained_and_printable(report_text):
    assert report_text.count("<svg") == 3  # compare, timeline and uncertainty charts inline
    assert "@media print" in report_text
    assert not re.search(r'(src|href)="(?!https?://)', report_text)  # no local or relative resource
    assert not re.search(r"<(link|img|iframe)\b", report_text)


def test_html_report_names_every_source_and_warning(report_text, scripted, data):
    for source_id in scripted.source_ids():
        assert html.escape(data.sources[source_id].title) in report_text, source_id
    for alert in scripted.all_alerts():
        assert f"<code>{alert.code}</code>" in report_text
    assert "experimental_treatment" in {a.code for a in scripted.all_alerts()}


def test_html_report_contents(report_text, data):
    for heading in (
        "The bottom line",
        "Scenario: the inputs",
        "Comparison",
        "Timeline",
        "Due diligence: checklist summary",
        "Uncertainty",
        "Questions to ask a clinic",
        "Sources",
    ):
        assert f"<h2>{heading}</h2>" in report_text
    assert html.escape(data.questions[0].text) in report_text
    assert "Not medical advice" in report_text
    assert "medtravel-calculator 0.1.0" in report_text and "2026-04-20" in report_text
    assert "USD 6,194 to 15,352" in report_text  # Mexico's whole trip, by hand (issue 2's acceptance)
    assert "P(saves money)" in report_text


def test_warnings_sit_beside_their_destination(report_text):
    mexico = report_text.index("<h3>Mexico / Colombia")
    turkey = report_text.index("<h3>Turkey / Thailand")
    # Turkey's own warning (no fare: missing_input) sits in Turkey's section, after its heading.
    assert report_text.index("<code>missing_input</code>", mexico) > turkey


def test_pdf_report_embeds_its_font_and_writes_unicode(full_report, scripted):
    if pdf_report.pdf_font() is None:
        if os.environ.get("CI"):
            pytest.fail("DejaVu Sans is not installed (CI installs fonts-dejavu-core)")
        pytest.skip("DejaVu Sans not installed: apt-get install fonts-dejavu-core")
    data = report_pdf(full_report)
    assert pdf_pages(data) >= 3
    assert b"/FontFile2" in data  # a TrueType font, embedded
    text = pdf_text(data)
    assert SCRIPT_NAME in text
    for alert in scripted.all_alerts():
        assert alert.code in text
    assert "“" in text and "–" in text  # curly quotes and an en dash, not stand-ins


def test_pdf_report_falls_back_to_a_core_font(mexico, data, monkeypatch):
    monkeypatch.setattr(pdf_report, "pdf_font", lambda: None)
    data_pdf = report_pdf(build_report(mexico, data, DAY, figures=False))
    assert pdf_pages(data_pdf) >= 1
    assert b"/FontFile2" not in data_pdf
    assert "Acceptance: Mexico" in pdf_text(data_pdf)


# --- command line ---------------------------------------------------------------------------------


@pytest.fixture
def scenario_file(tmp_path):
    return write_json(tmp_path / "client.json", INJECTION)


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (("--chart", "compare", "-o", "out.png"), lambda b: png_size(b)[0] >= PNG_SCALE * EXPORT_WIDTH),
        (("--table", "compare", "-o", "out.xlsx"), lambda b: b[:2] == b"PK"),
        (("--report", "html", "-o", "out.html"), lambda b: b"<!doctype html>" in b and b"<svg" in b),
    ],
)
def test_cli_export_in_a_subprocess(tmp_path, scenario_file, args, check):
    result = run_cli("export", str(scenario_file), *args, "--start", "2027-03-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{args[-1]}\n" and result.stderr == ""  # the path it wrote
    assert check((tmp_path / args[-1]).read_bytes())


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (("--chart", "compare", "--format", "svg"), lambda b: ET.fromstring(b).tag.endswith("svg")),
        (("--chart", "timeline", "--format", "pdf"), lambda b: pdf_pages(b) == 1),
        (("--chart", "compare", "--format", "pdf"), lambda b: pdf_pages(b) == 1),
        (("--table", "compare", "--format", "csv"), lambda b: b.startswith(b"scenario,currency,target")),
        (("--table", "timeline", "--format", "xlsx"), lambda b: b[:2] == b"PK"),
        (("--report", "pdf"), lambda b: pdf_pages(b) >= 3),
        (("--chart", "uncertainty", "--format", "png", "--draws", "3000"), lambda b: png_size(b)[1] > 800),
        (("--table", "uncertainty", "--format", "csv", "--draws", "3000"), lambda b: b.startswith(b"destination,")),
        (("--report", "html", "--uncertainty", "--draws", "3000"), lambda b: b.count(b"<svg") == 3),
    ],
)
def test_cli_export_formats(tmp_path, scenario_file, args, check):
    out = tmp_path / "out.bin"
    assert main(["export", str(scenario_file), *args, "-o", str(out)]) == 0
    assert check(out.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--chart", "compare", "-o", "x.txt"), "does not fit a chart: use one of png, svg, pdf"),
        (("--report", "pdf", "--format", "png", "-o", "x.pdf"), "--report pdf writes pdf, not png"),
        (("--table", "compare", "-o", "x.csv", "--start", "2027-02-30"), "--start"),
        (("--chart", "compare", "-o", "missing/x.png"), "cannot be written"),
    ],
)
def test_cli_export_bad_input(tmp_path, scenario_file, capsys, args, message):
    args = tuple(str(tmp_path / a) if a.startswith(("x.", "missing/")) else a for a in args)
    assert main(["export", str(scenario_file), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


# --- other pages' charts and tables ---------------------------------------------------------------


def test_timeline_table_exports(mexico, data):
    timeline = trip_timeline(mexico.scenario, dt.date(2027, 3, 1))
    rows = list(csv.DictReader(io.StringIO(timeline_table_bytes(timeline, mexico, data, "csv").decode())))
    procedure = next(r for r in rows if r["id"] == "procedure")
    assert (procedure["short_start"], procedure["long_end"]) == ("2027-03-01", "2027-03-01")
    assert procedure["long_days"] == "1"
    sheets = pd.read_excel(io.BytesIO(timeline_table_bytes(timeline, mexico, data, "xlsx")), sheet_name=None)
    assert list(sheets) == ["Timeline", "Sources", "Warnings"]
    assert set(sheets["Warnings"]["code"]) == {"short_stay_before_flying"}  # the default stay: 2-4 days < 7
    assert "cdc_medical_tourism_traveler" in set(sheets["Sources"]["id"])


def test_any_page_table_round_trips(data):
    frame = pd.DataFrame({"Total": [6194.0, -352.0], "Note": ["=1+1", "ok"]}, index=pd.Index(["a", "b"], name="Where"))
    rows = list(csv.reader(io.StringIO(frame_csv(frame).decode())))
    assert rows == [["Where", "Total", "Note"], ["a", "6194.0", "'=1+1"], ["b", "-352.0", "ok"]]
    got = pd.read_excel(io.BytesIO(frame_xlsx(frame, "Table", data, ["user_input"], "EUR")), sheet_name=None)
    assert list(got) == ["Table", "Sources"]
    assert got["Table"]["Total"].tolist() == [6194.0, -352.0]
    assert got["Sources"]["id"].tolist() == ["user_input"]


def test_any_page_chart_is_framed(mexico, data):
    chart = compare_chart(long_frame(mexico, vendor_source_ids(data.sources)), totals_frame(mexico), "USD", "")
    svg = page_chart_bytes(chart, "svg", "A title", "Client B", ["placidway_scar_stem_cell"], data, DAY).decode()
    assert "A title" in svg and "Scenario: Client B" in svg and "2026-04-20" in svg and "PlacidWay" in svg


def test_checklist_table_exports(injected, data):
    rows = list(csv.DictReader(io.StringIO(checklist_table_bytes(injected, data, "csv").decode())))
    assert [r["Destination"] for r in rows] == ["Mexico / Colombia", "Turkey / Thailand · @SUM(1)"]  # per clinic
    n = len(data.checklist)
    assert (rows[0]["Claimed"], rows[0]["Unknown"], rows[0]["Items"]) == ("1", str(n - 1), str(n))
    sheets = pd.read_excel(io.BytesIO(checklist_table_bytes(injected, data, "xlsx")), sheet_name=None)
    assert list(sheets) == ["Checklist summary", "Checklist", "Sources", "Warnings"]
    answers = sheets["Checklist"].set_index(["destination", "item"])["answer"]
    assert answers[("Mexico / Colombia", "gmp_lab")] == "claimed"
    assert len(answers) == 2 * len(data.checklist)
    assert {"critical_item_not_verified", "unverified_checklist_item"} <= set(sheets["Warnings"]["code"])


def test_saved_scenarios_exports(mexico, injected, data):
    pairs = [("Mexico", mexico), ("Both", injected)]
    svg = scenarios_chart_bytes(pairs, data, "svg", DAY).decode()
    ET.fromstring(svg)
    assert "Scenario: Mexico; Both" in svg and "figures in USD" in svg
    sheets = pd.read_excel(io.BytesIO(scenarios_table_bytes(pairs, data, "xlsx")), sheet_name=None)
    table = sheets["Scenarios"]
    mex = table[(table["scenario"] == "Mexico") & (table["place"] == "Mexico / Colombia")].iloc[0]
    assert (mex["total_low"], mex["total_mid"], mex["total_high"]) == (6194, 10773, 15352)
    assert set(sheets["Sources"]["id"]) == {"placidway_scar_stem_cell", "state_dept_per_diem_2026_04", "user_input"}
    head = scenarios_table_bytes(pairs, data, "csv").decode().splitlines()[0]
    assert head.split(",") == list(SCENARIOS_COLUMNS)


def test_cli_export_to_stdout(scenario_file, capsysbinary):
    assert main(["export", str(scenario_file), "--table", "compare", "--format", "csv", "-o", "-"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"scenario,currency,target,name,row,low,mid,high,sources\n")
    assert b"'=HYPERLINK" in out


def test_uncertainty_exports(mexico, data):
    sim = simulate(mexico.scenario, data, draws=5000, seed=7, bins=HISTOGRAM_BINS)
    svg = chart_bytes(uncertainty_figure(sim, mexico, data, DAY), "svg").decode()
    ET.fromstring(svg)
    assert "Simulated savings vs home" in svg and "Mexico / Colombia" in svg and "5,000 draws, seed 7" in svg
    rows = list(csv.DictReader(io.StringIO(uncertainty_table_bytes(sim, mexico, data, "csv").decode())))
    assert tuple(rows[0]) == UNCERTAINTY_COLUMNS
    outcome = sim.destinations[0].outcome
    assert float(rows[0]["p_saves_money"]) == outcome.p_saves_money  # unrounded
    assert float(rows[0]["savings_p50"]) == outcome.savings.p50
    assert rows[-1]["destination"] == "Home" and rows[-1]["savings_p50"] == ""
    wb = openpyxl.load_workbook(io.BytesIO(uncertainty_table_bytes(sim, mexico, data, "xlsx")))
    assert wb.sheetnames == ["Uncertainty", "Drawn", "Sources"]
    header = [c.value for c in wb["Uncertainty"][1]]
    first = dict(zip(header, wb["Uncertainty"][2], strict=True))
    assert first["p_saves_money"].number_format == "0.0%"
    assert '"USD"' in first["total_p50"].number_format
    assert [r[0].value for r in wb["Drawn"].iter_rows(min_row=2)] == [r.label for r in sim.drawn]


def test_evidence_tables_export(data):
    from calculator.model import evidence

    bibliography = evidence.bibliography_frame(data)
    rows = list(csv.reader(io.StringIO(page_table_bytes(bibliography, "csv", "Bibliography", data).decode())))
    assert rows[0] == [str(c) for c in bibliography.columns]
    assert len(rows) == 1 + len(data.sources)
    sheets = pd.read_excel(io.BytesIO(page_table_bytes(bibliography, "xlsx", "Bibliography", data, data.sources)), None)
    assert list(sheets) == ["Bibliography", "Sources"] and len(sheets["Sources"]) == len(data.sources)
    claims = evidence.claims_frame(data)
    assert len(pd.read_excel(io.BytesIO(page_table_bytes(claims, "xlsx", "Claims", data)))) == len(data.claims)
