"""The report opens with the bottom line, says warnings and answers in words, and draws any script."""

from __future__ import annotations

import datetime as dt
import io
import os

import pypdf
import pytest

from calculator.model.compare import compare
from calculator.present import pdf_fonts
from calculator.present.html_report import report_html
from calculator.present.pdf_report import report_pdf
from calculator.present.report_blocks import Heading, Paragraph, Table
from calculator.present.report_content import build_report
from calculator.present.summary import bottom_line, top_warnings, warning_title
from tests.conftest import MEXICO_ACCEPTANCE, make_scenario, run_cli, write_json

DAY = dt.date(2026, 4, 20)
THAI_CLINIC = "โรงพยาบาลกรุงเทพ"
CHINESE_CLINIC = "北京协和医院"
LONG_NAME = "Client " + "x" * 193  # 200 characters, one unbreakable word


def pages_text(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def mexico(data):
    return compare(make_scenario(data, **MEXICO_ACCEPTANCE), data)


def test_bottom_line_gives_the_mid_total_and_the_mid_saving_in_the_compare_cards_words(mexico):
    text = bottom_line(mexico)
    # Issue 2, by hand: total (6,194 + 15,352) / 2 = 10,773; saving 20,000 - 10,773 = 9,227 (46.1% of 20,000).
    assert "Home (United States / Western Europe): USD 15,000 to 25,000+, the broker's unverified estimate." in text
    assert "costs USD 10,773 for the whole trip in the mid case (USD 6,194 to 15,352)" in text
    assert "you save USD 9,227 (46.1%) in the mid case" in text
    assert "In the worst case Mexico / Colombia could cost more than home." in text  # worst case -352


def test_top_warnings_are_words_critical_first_each_once(mexico):
    dest = mexico.destinations[0]
    tops = top_warnings(dest.alerts, limit=10)
    assert tops[0] == "A regulator restricts this treatment"  # two regulators (Mexico, Colombia): one heading
    assert tops.count("A regulator restricts this treatment") == 1
    assert "The price is the broker's estimate, not a quote" in tops
    assert all("_" not in t for t in tops)
    assert warning_title("experimental_treatment") == "The treatment is experimental"


def test_report_opens_with_the_bottom_line_before_the_inputs(mexico, data):
    blocks = build_report(mexico, data, DAY, figures=False).blocks
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    assert headings[:2] == ["The bottom line", "Comparison"]
    assert headings.index("Scenario: the inputs") > headings.index("Comparison")
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.header == ("Destination", "Whole trip", "You save", "Readiness", "Top warnings")
    assert table.rows[0][1] == "USD 10,773 mid; USD 6,194 to 15,352"
    assert table.rows[0][2].startswith("USD 9,227 (46.1%) mid; worst USD -352, best 18,806+")
    assert isinstance(blocks[0], Paragraph) and blocks[0].style == "note"


def test_checklist_answers_and_warning_headings_read_as_words(data):
    scenario = make_scenario(data, **MEXICO_ACCEPTANCE, checklist={"mexico_colombia": {"gmp_lab": "claimed"}})
    page = report_html(build_report(compare(scenario, data), data, DAY, figures=False)).decode()
    assert "Cells processed in a GMP laboratory: Claimed (unverified)" in page
    assert "gmp_lab: claimed" not in page
    assert "Critical: The treatment is experimental" in page
    assert "Critical · Treatment · experimental_treatment" not in page


def test_cli_pdf_report_page_one_holds_the_mid_total_and_saving(tmp_path):
    scenario = write_json(tmp_path / "mexico.json", MEXICO_ACCEPTANCE)
    out = tmp_path / "report.pdf"
    result = run_cli("export", str(scenario), "--report", "pdf", "-o", str(out))
    assert result.returncode == 0, result.stderr
    first = pages_text(out.read_bytes())[0]
    assert "10,773" in first and "9,227" in first
    assert "The bottom line" in first


def test_pdf_draws_thai_and_chinese_names_and_wraps_a_long_one(data):
    fonts = pdf_fonts.pdf_font()
    if fonts is None or not any(p.name.startswith("NotoSansCJK") for p in fonts.fallbacks):
        if os.environ.get("CI"):
            pytest.fail("Noto fonts missing (CI installs fonts-noto-core and fonts-noto-cjk)")
        pytest.skip("Noto fonts not installed: apt-get install fonts-noto-core fonts-noto-cjk")
    quote = {"low": 5000, "high": 6000, "clinic": f"{THAI_CLINIC} {CHINESE_CLINIC}"}
    scenario = make_scenario(data, **{**MEXICO_ACCEPTANCE, "name": LONG_NAME, "quotes": {"mexico_colombia": quote}})
    pdf = report_pdf(build_report(compare(scenario, data), data, DAY, figures=False))
    text = "".join(pages_text(pdf)).replace("\x00", "").replace(" ", "")
    assert THAI_CLINIC in text and CHINESE_CLINIC in text
    assert pdf.count(b"/FontFile2") >= 3  # Noto Sans (regular, bold), Thai, and CJK embedded
    assert b"Some characters are shown as ?" not in pdf
    # The 200-character name wraps inside the page: pypdf's text of page 1 breaks it over several lines.
    first = pages_text(pdf)[0]
    assert "x" * 193 not in first.replace("\n", "|").split("|")[1]


def test_fonts_a_report_needs_are_chosen_by_its_text():
    fonts = pdf_fonts.pdf_font()
    if fonts is None or len(fonts.fallbacks) < 2:
        pytest.skip("Noto fonts not installed")
    assert pdf_fonts.fallbacks_for(fonts, "Mexico City, USD 1,000") == []
    thai = pdf_fonts.fallbacks_for(fonts, THAI_CLINIC)
    assert [p.name for p in thai] == ["NotoSansThai-Regular.ttf"]
    assert pdf_fonts.missing_characters(fonts, "ok \U0001fab8") == "\U0001fab8"  # no installed font draws coral
