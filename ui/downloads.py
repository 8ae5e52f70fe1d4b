"""Download buttons for the exports: PNG / SVG / PDF under a chart, CSV / XLSX under a table, the report.

Each button's ``data`` is a callable, so the file is built only when the button is clicked
(in Streamlit's own thread, not on every rerun), and ``on_click="ignore"`` keeps the click
from rerunning the app. File names carry the sanitised scenario name and today's date
(:func:`calculator.present.export_meta.file_name`). The builders are pure functions of ``calculator``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import streamlit as st

from calculator.present.export_meta import CHART_FORMATS, MIME, TABLE_FORMATS, file_name
from calculator.present.report_files import REPORT_FORMATS

Build = Callable[[str], bytes]
"""Makes the file's bytes for a format (``"png"``, ``"csv"``, ``"html"``...)."""

_HELP = {
    "png": "A picture (PNG, 2x resolution) with the title, date, currency and sources.",
    "svg": "A vector picture (SVG) for documents and slides.",
    "pdf": "A vector PDF of the chart.",
    "csv": "The table as CSV (UTF-8, with a header).",
    "xlsx": "An Excel workbook: numbers with currency formats, plus sheets of sources and warnings.",
    "html": "One self-contained web page to read offline or print: figures, warnings, sources.",
}


def _buttons(key: str, build: Build, formats: tuple[str, ...], scenario_name: str, what: str, label: str) -> None:
    today = dt.date.today()
    with st.container(horizontal=True, key=f"{key}_row", gap="small", vertical_alignment="center"):
        st.caption(label, width="content")
        for fmt in formats:
            st.download_button(
                fmt.upper(),
                data=partial(build, fmt),
                file_name=file_name(scenario_name, what, fmt, today),
                mime=MIME[fmt],
                key=f"{key}_{fmt}",
                on_click="ignore",
                icon=":material/download:",
                help=_HELP.get(fmt),
            )


def chart_downloads(key: str, build: Build, scenario_name: str, what: str) -> None:
    """PNG, SVG and PDF buttons for a chart; ``build(fmt)`` renders it (e.g. chart_files.compare_chart_bytes)."""
    _buttons(key, build, CHART_FORMATS, scenario_name, what, "Download chart:")


def table_downloads(key: str, build: Build, scenario_name: str, what: str) -> None:
    """CSV and XLSX buttons for a table; ``build(fmt)`` writes it (e.g. table_files.table_bytes)."""
    _buttons(key, build, TABLE_FORMATS, scenario_name, what, "Download table:")


def report_downloads(key: str, build: Build, scenario_name: str) -> None:
    """HTML and PDF buttons for the whole report; ``build(fmt)`` makes it (report_files.report_bytes)."""
    _buttons(key, build, REPORT_FORMATS, scenario_name, "report", "Download report:")
