"""The batch result for people: readable headers, destination names, money in each row's currency, warnings.

The CSV of :mod:`calculator.present.batch_csv` stays the machine contract (``total_low``, region ids, plain
numbers). This module gives the same rows as a client reads them: a frame for the Batch page (money as text
in the row's currency) and an XLSX workbook (typed numbers with the row's currency format, a warnings column,
the sources on their own sheet).

The warnings column counts and names, per row, the warnings the batch can tell: a price that is the broker's
estimate (a vendor claim, at home or at the destination; the home range open at the top) and every part left
out of the total for lack of an input (a missing input).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from calculator.model.batch import BatchResult
from calculator.model.data import DataBundle
from calculator.model.formatting import amount, money
from calculator.model.results import PART_LABELS
from calculator.model.trips import MISSING_PARTS
from calculator.present.citations import SOURCE_COLUMNS, source_rows
from calculator.present.spreadsheets import Sheet, money_format, xlsx_bytes
from calculator.present.summary import MISSING_REASONS

MONEY_COLUMNS = {
    "Whole trip, low": "total_low",
    "Whole trip, mid": "total_mid",
    "Whole trip, high": "total_high",
    "You save, worst": "savings_low",
    "You save, mid": "savings_mid",
    "You save, best": "savings_high",
    "Home, low": "home_low",
    "Home, mid": "home_mid",
    "Home, high": "home_high",
}
"""Readable header -> the value's name in :func:`_values` (savings: worst = low, best = high)."""
HEADERS = (
    "Scenario",
    "Destination",
    "Currency",
    *MONEY_COLUMNS,
    "You save, mid (%)",
    "Warnings",
    "File line",
)
DESTINATION_PRICE = "price is the broker's estimate (vendor claim)"
HOME_PRICE = "home price is the broker's estimate (vendor claim)"
HOME_OPEN = "home price open at the top (vendor claim)"


def destination_names(data: DataBundle) -> dict[str, str]:
    """Region id -> its name, e.g. ``mexico_colombia`` -> ``Mexico / Colombia``."""
    return {row.region_id: row.region_name for row in data.prices.values()}


def row_warnings(result: BatchResult, data: DataBundle) -> list[list[str]]:
    """Per row, the vendor-claim and missing-input warnings in words (see the module docstring)."""
    inputs = result.inputs
    n = len(inputs)
    quoted = inputs.quoted if inputs.quoted is not None else np.zeros(n, dtype=bool)
    home_quoted = inputs.home_quoted if inputs.home_quoted is not None else np.zeros(n, dtype=bool)
    home_open = any(r.high_open for r in data.prices.values() if r.role == "home")
    rows: list[list[str]] = []
    for i in range(n):
        found = [] if quoted[i] else [DESTINATION_PRICE]
        if not home_quoted[i]:
            found += [HOME_PRICE, HOME_OPEN] if home_open else [HOME_PRICE]
        found += [
            f"{PART_LABELS[part].lower()} not included: {MISSING_REASONS.get(part, 'an input is missing')} "
            "(missing input)"
            for part in MISSING_PARTS
            if result.missing[part][i]
        ]
        rows.append(found)
    return rows


def warnings_text(found: list[str]) -> str:
    """E.g. ``2 warnings: price is the broker's estimate (vendor claim); flights not included: no fare (...)``."""
    if not found:
        return "none"
    return f"{len(found)} warning{'s' if len(found) != 1 else ''}: " + "; ".join(found)


def _values(result: BatchResult) -> dict[str, np.ndarray]:
    r = result
    return {
        "total_low": r.total.low,
        "total_mid": r.total.mid,
        "total_high": r.total.high,
        "savings_low": r.savings.low,
        "savings_mid": r.savings.mid,
        "savings_high": r.savings.high,
        "home_low": r.home.low,
        "home_mid": r.home.mid,
        "home_high": r.home.high,
    }


def readable_rows(result: BatchResult, data: DataBundle, limit: int | None = None) -> list[dict[str, Any]]:
    """The rows as a client reads them (money as numbers here; formats come with the page or the workbook)."""
    names = destination_names(data)
    values = _values(result)
    warnings = row_warnings(result, data)
    inputs = result.inputs
    count = len(inputs) if limit is None else min(limit, len(inputs))
    rows = []
    for i in range(count):
        row: dict[str, Any] = {
            "Scenario": inputs.scenario[i],
            "Destination": names.get(inputs.destination[i], inputs.destination[i]),
            "Currency": inputs.currency[i],
        }
        for header, key in MONEY_COLUMNS.items():
            value = float(values[key][i])
            row[header] = None if np.isnan(value) else value
        pct = float(result.savings_pct[1][i])
        row["You save, mid (%)"] = None if np.isnan(pct) else round(pct, 1)
        row["Warnings"] = warnings_text(warnings[i])
        row["File line"] = int(inputs.line[i])
        rows.append(row)
    return rows


PAGE_HEADERS = (
    "Scenario",
    "Destination",
    "Whole trip, mid",
    "Whole trip, low to high",
    "You save, mid",
    "You save, worst to best",
    "Warnings",
    "Currency",
    "File line",
)


def _money(value: float | None, currency: str) -> str:
    return "" if value is None else money(value, currency)


def readable_frame(result: BatchResult, data: DataBundle, limit: int | None = 1000) -> pd.DataFrame:
    """The Batch page's table, narrow enough for a screen: mid and range side by side, money as text in each
    row's currency ("USD 10,773"), the warnings before the bookkeeping columns."""
    out = []
    for row in readable_rows(result, data, limit):
        cur, pct = row["Currency"], row["You save, mid (%)"]
        saving_mid = _money(row["You save, mid"], cur) + ("" if pct is None else f" ({pct:.1f}%)")
        trip_range = f"{_money(row['Whole trip, low'], cur)} to {_amount(row['Whole trip, high'])}"
        saving_range = f"{_money(row['You save, worst'], cur)} to {_amount(row['You save, best'])}"
        out.append(
            {
                "Scenario": row["Scenario"],
                "Destination": row["Destination"],
                "Whole trip, mid": _money(row["Whole trip, mid"], cur),
                "Whole trip, low to high": trip_range,
                "You save, mid": saving_mid,
                "You save, worst to best": saving_range,
                "Warnings": row["Warnings"],
                "Currency": cur,
                "File line": row["File line"],
            }
        )
    return pd.DataFrame(out, columns=list(PAGE_HEADERS))


def _amount(value: float | None) -> str:
    return "" if value is None else amount(value)


def batch_source_ids(result: BatchResult, data: DataBundle) -> list[str]:
    """The sources behind a batch's defaults: the broker's prices, the per diem rates, the exchange rates used."""
    dests = set(result.inputs.destination)
    ids = [r.source_id for r in data.prices.values() if r.region_id in dests or r.role == "home"]
    ids += [t.source_id for t in data.travel.values() if t.region_id in dests]
    ids += [f.source_id for f in data.fx.values() if f.currency in set(result.inputs.currency)]
    return [s for s in dict.fromkeys(ids) if s in data.sources]


def batch_xlsx(result: BatchResult, data: DataBundle) -> bytes:
    """The workbook: a Results sheet (readable headers, money in each row's currency) and a Sources sheet."""

    def number_format(row: dict[str, Any], column: str) -> str | None:
        if column == "File line":
            return "0"
        return money_format("%" if column == "You save, mid (%)" else row["Currency"])

    return xlsx_bytes(
        [
            Sheet("Results", HEADERS, readable_rows(result, data), number_format),
            Sheet("Sources", SOURCE_COLUMNS, source_rows(batch_source_ids(result, data), data.sources)),
        ]
    )
