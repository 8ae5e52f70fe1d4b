"""The batch workbook for people: readable headers, names, money in each row's currency, warnings, sources."""

from __future__ import annotations

import io

import openpyxl
import pytest

from calculator.model.batch import run_rows
from calculator.present.batch_workbook import HEADERS, PAGE_HEADERS, batch_xlsx, readable_frame
from tests.conftest import MEXICO_ACCEPTANCE, ROOT, run_cli

NO_FARE_EUR = {"name": "No fare, euros", "destinations": ["turkey_thailand"], "currency": "EUR"}
QUOTED = {
    "name": "Quoted",
    "destinations": ["mexico_colombia"],
    "quotes": {"home": {"low": 18000, "high": 18000}, "mexico_colombia": {"low": 5000, "high": 5000}},
    "travel": {"mexico_colombia": {"fare_per_traveller": 650}},
}


@pytest.fixture(scope="module")
def result(data):
    rows = [(1, MEXICO_ACCEPTANCE), (2, NO_FARE_EUR), (3, QUOTED)]
    out, errors = run_rows(rows, data, "test")
    assert not errors
    return out


def test_page_table_reads_as_words_and_money_in_each_rows_currency(result, data):
    frame = readable_frame(result, data)
    assert tuple(frame.columns) == PAGE_HEADERS
    first = frame.iloc[0]
    assert (first["Scenario"], first["Destination"], first["Currency"]) == (
        "Acceptance: Mexico",
        "Mexico / Colombia",
        "USD",
    )
    # Issue 2 by hand: 6,194 / 10,773 / 15,352; savings -352 / 9,227 / 18,806; 9,227 / 20,000 = 46.1%.
    assert (first["Whole trip, mid"], first["Whole trip, low to high"]) == ("USD 10,773", "USD 6,194 to 15,352")
    assert (first["You save, mid"], first["You save, worst to best"]) == ("USD 9,227 (46.1%)", "USD -352 to 18,806")
    assert frame.iloc[1]["Currency"] == "EUR" and frame.iloc[1]["Whole trip, mid"].startswith("EUR ")


def test_warnings_count_and_name_vendor_claims_and_missing_inputs(result, data):
    warnings = list(readable_frame(result, data)["Warnings"])
    assert warnings[0] == (
        "3 warnings: price is the broker's estimate (vendor claim); home price is the broker's estimate "
        "(vendor claim); home price open at the top (vendor claim)"
    )
    assert warnings[1].startswith("4 warnings: ") and "flights not included: no fare (missing input)" in warnings[1]
    assert warnings[2] == "none"  # both prices are the user's quotes, and the fare is given


def test_workbook_has_typed_money_in_the_rows_currency_and_a_sources_sheet(result, data):
    wb = openpyxl.load_workbook(io.BytesIO(batch_xlsx(result, data)))
    assert wb.sheetnames == ["Results", "Sources"]
    ws = wb["Results"]
    assert tuple(c.value for c in ws[1]) == HEADERS
    mid = ws.cell(row=2, column=HEADERS.index("Whole trip, mid") + 1)
    assert mid.value == pytest.approx(10773) and mid.number_format == '#,##0.00 "USD"'
    euro = ws.cell(row=3, column=HEADERS.index("Whole trip, mid") + 1)
    assert euro.number_format == '#,##0.00 "EUR"'
    source_ids = [row[0] for row in wb["Sources"].iter_rows(min_row=2, values_only=True)]
    assert "placidway_scar_stem_cell" in source_ids and "state_dept_per_diem_2026_04" in source_ids


def test_cli_writes_the_workbook_and_keeps_the_csv_contract(tmp_path):
    out = tmp_path / "out.xlsx"
    result = run_cli("batch", str(ROOT / "examples" / "batch.csv"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    ws = openpyxl.load_workbook(out)["Results"]
    assert [c.value for c in ws[1]][:4] == ["Scenario", "Destination", "Currency", "Whole trip, low"]
    assert ws.cell(row=2, column=2).value == "Mexico / Colombia"
    csv_out = tmp_path / "out.csv"
    assert run_cli("batch", str(ROOT / "examples" / "batch.csv"), "-o", str(csv_out)).returncode == 0
    assert csv_out.read_text().splitlines()[0].startswith("scenario,destination,total_low,total_mid,total_high")
