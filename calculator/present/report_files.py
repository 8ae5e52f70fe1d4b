"""The report as a file: one document with the comparison, its sources and warnings, as HTML or PDF.

:func:`comparison_report` builds the report's blocks (:func:`calculator.present.report_content.build_report`)
and renders them with :func:`calculator.present.html_report.report_html` or
:func:`calculator.present.pdf_report.report_pdf`, so both formats say the same thing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from calculator.model.data import DataBundle
from calculator.model.results import Comparison
from calculator.model.timeline import StartIs, trip_timeline
from calculator.present.html_report import report_html
from calculator.present.pdf_report import report_pdf
from calculator.present.report_blocks import Report
from calculator.present.report_content import build_report

if TYPE_CHECKING:
    from calculator.model.uncertainty import Simulation

ReportFormat = Literal["html", "pdf"]
REPORT_FORMATS: tuple[ReportFormat, ...] = ("html", "pdf")


def report_bytes(report: Report, fmt: ReportFormat) -> bytes:
    """The report as HTML or PDF."""
    if fmt == "html":
        return report_html(report)
    if fmt == "pdf":
        return report_pdf(report)
    raise ValueError(f"report format must be one of {', '.join(REPORT_FORMATS)}, not {fmt!r}")


def comparison_report(
    comparison: Comparison,
    data: DataBundle,
    fmt: ReportFormat,
    generated: dt.date,
    start: dt.date | None = None,
    simulation: Simulation | None = None,
    start_is: StartIs = "procedure",
) -> bytes:
    """The report of a comparison as HTML or PDF, with the timeline from ``start`` if given.

    ``start`` is the procedure day, or with ``start_is="departure"`` the day of travel out.
    """
    timeline = trip_timeline(comparison.scenario, start, start_is) if start is not None else None
    return report_bytes(build_report(comparison, data, generated, timeline, simulation), fmt)
