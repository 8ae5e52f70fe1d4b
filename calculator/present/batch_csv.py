"""The batch result and its bad rows as CSV: the writer, where every text cell is made safe.

One row per (scenario, destination) pair with the columns of
:data:`calculator.model.batch.OUTPUT_COLUMNS` (money to cents), and one row per bad row with its
line and error. Text that a spreadsheet could read as a formula is neutralised by
:func:`calculator.present.output.safe_cell`.
"""

from __future__ import annotations

import csv
import io
from typing import TextIO

import numpy as np

from calculator.model.batch import OUTPUT_COLUMNS, BatchResult, result_columns
from calculator.model.batch_files import BatchError, paused_gc
from calculator.present.output import safe_cell

ERROR_COLUMNS = ("line", "error")


def _cell(text: str) -> str:
    """Text as one CSV cell: quoted when it holds a comma, quote or line break."""
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def _format(column: list | np.ndarray) -> str:
    """A column's %-format: money (float arrays) to cents, whole numbers as they are, text as it is."""
    if isinstance(column, np.ndarray):
        return "%d" if column.dtype.kind in "iu" else "%.2f"
    return "%s"


WRITE_ROWS = 20_000
"""Rows formatted at a time (bounds the memory the formatted text takes)."""


def write_results(result: BatchResult, out: TextIO) -> None:
    """The result as CSV with a header (OUTPUT_COLUMNS); money to cents, text neutralised against formulas.

    Rows are formatted with one %-format string, a block of rows at a time (the csv module is several
    times slower for this; ``%.2f`` rounds exactly as ``{:.2f}`` does).
    """
    columns = result_columns(result)
    for name in ("scenario", "clinic"):  # user text: a name per destination, a clinic per quote
        safe = {text: _cell(str(safe_cell(text))) for text in set(columns[name])}
        columns[name] = list(map(safe.__getitem__, columns[name]))
    formats = [_format(columns[name]) for name in OUTPUT_COLUMNS]
    row = ",".join(formats) + "\n"
    out.write(",".join(OUTPUT_COLUMNS) + "\n")
    with paused_gc():
        for start in range(0, len(result.inputs), WRITE_ROWS):
            part = [columns[name][start : start + WRITE_ROWS] for name in OUTPUT_COLUMNS]
            cells = [c.tolist() if isinstance(c, np.ndarray) else c for c in part]
            out.write("".join([row % values for values in zip(*cells, strict=True)]))


def write_errors(errors: list[BatchError], out: TextIO) -> None:
    """The bad rows as CSV: line, error."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ERROR_COLUMNS)
    writer.writerows((e.line, safe_cell(e.message)) for e in errors)


def results_csv(result: BatchResult) -> str:
    """The result CSV as text (see write_results)."""
    buf = io.StringIO()
    write_results(result, buf)
    return buf.getvalue()


def errors_csv(errors: list[BatchError]) -> str:
    """The bad rows as CSV text (line, error)."""
    buf = io.StringIO()
    write_errors(errors, buf)
    return buf.getvalue()
