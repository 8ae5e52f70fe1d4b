"""Rows written as CSV and as XLSX workbooks, and any page's table as either.

CSV is UTF-8 with a header. XLSX holds typed numbers and dates with currency formats, one
:class:`Sheet` per table, with a bold, frozen header row. Text a spreadsheet would run as a
formula is neutralised in both by the one rule of :func:`calculator.present.output.safe_cell`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from calculator.model.data import DataBundle
from calculator.present.citations import SOURCE_COLUMNS, source_rows
from calculator.present.export_meta import TABLE_FORMATS, TableFormat
from calculator.present.output import csv_text, safe_cell


@dataclass(frozen=True)
class Sheet:
    """One table for a workbook: its rows (dicts keyed by column) and each cell's number format.

    ``number_format(row, column)`` gives an Excel number format for a numeric cell, or ``None``.
    """

    name: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    number_format: Callable[[dict[str, Any], str], str | None] = field(default=lambda row, column: None)


def money_format(currency: str) -> str:
    """An Excel number format for money in ``currency`` (``%`` for percentages), e.g. ``#,##0.00 "USD"``."""
    if currency == "%":
        return '0.00"%"'
    code = re.sub(r"[^A-Za-z]", "", currency)[:3] or "?"
    return f'#,##0.00 "{code}"'


def xlsx_value(value: Any) -> Any:
    """A cell value as a spreadsheet should hold it: numbers typed (NaN empty), dates as dates, text neutralised.

    Text goes through :func:`calculator.present.output.safe_cell` (the CSV rule: a cell starting with
    ``= + - @``, tab or CR that is not a number gets a leading apostrophe), after dropping the
    control characters XLSX cannot hold.
    """
    if value is None or isinstance(value, bool | dt.date):
        return value
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value) if isinstance(value, float | np.floating) else int(value)
        return None if isinstance(number, float) and not math.isfinite(number) else number
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _sheet_title(name: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Sheet"
    base, n = title, 2
    while title in taken:
        suffix = f" {n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one sheet per table: a bold, frozen header row, typed cells, number formats."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for sheet in sheets:
        ws = wb.create_sheet(_sheet_title(sheet.name, taken))
        ws.append(list(sheet.columns))
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        widths = [len(c) for c in sheet.columns]
        for r, row in enumerate(sheet.rows, start=2):
            for c, column in enumerate(sheet.columns, start=1):
                value = xlsx_value(row.get(column))
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    fmt = sheet.number_format(row, column)
                    if fmt:
                        cell.number_format = fmt
                elif isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                widths[c - 1] = max(widths[c - 1], len(str(value)) if value is not None else 0)
        for c, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 80)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rows_csv(rows: list[dict[str, Any]], columns: Sequence[str]) -> bytes:
    """Rows as UTF-8 CSV with a header; text neutralised by :func:`calculator.present.output.safe_cell`."""
    return csv_text([{c: row.get(c) for c in columns} for row in rows], tuple(columns)).encode("utf-8")


def frame_rows(frame: pd.DataFrame) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """A DataFrame's columns and rows; a meaningful index (named, or not 0..n-1) becomes the first column."""
    if frame.index.name is not None or not frame.index.equals(pd.RangeIndex(len(frame))):
        frame = frame.reset_index(names=frame.index.name or "")
    columns = tuple(str(c) for c in frame.columns)
    rows = [dict(zip(columns, values, strict=True)) for values in frame.itertuples(index=False, name=None)]
    return columns, rows


def frame_csv(frame: pd.DataFrame) -> bytes:
    """A page's table as UTF-8 CSV with a header (text neutralised against formula injection)."""
    columns, rows = frame_rows(frame)
    return rows_csv(rows, columns)


def frame_xlsx(
    frame: pd.DataFrame, name: str, data: DataBundle, source_ids: Iterable[str] = (), currency: str | None = None
) -> bytes:
    """A page's table as a workbook: the table (numbers typed; ``currency`` formats them), then its Sources."""
    columns, rows = frame_rows(frame)
    fmt = money_format(currency) if currency else None
    sheets = [Sheet(name, columns, rows, lambda row, column: fmt)]
    sheets.append(Sheet("Sources", SOURCE_COLUMNS, source_rows(source_ids, data.sources)))
    return xlsx_bytes(sheets)


def page_table_bytes(
    frame: pd.DataFrame, fmt: TableFormat, name: str, data: DataBundle, source_ids: Iterable[str] = ()
) -> bytes:
    """Any page's table as shown: CSV, or a workbook with the table and a Sources sheet."""
    if fmt == "csv":
        return frame_csv(frame)
    if fmt == "xlsx":
        return frame_xlsx(frame, name, data, source_ids)
    raise ValueError(f"table format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}")
