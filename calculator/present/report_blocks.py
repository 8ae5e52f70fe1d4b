"""The report's building blocks: headings, paragraphs, tables, lists, warnings, figures, the bibliography.

:func:`calculator.present.report_content.build_report` makes a :class:`Report` of these blocks;
:mod:`calculator.present.html_report` and :mod:`calculator.present.pdf_report` render the same
blocks, so both formats say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import altair as alt

from calculator.model.sources import Source

SEVERITY_LABELS = {"critical": "Critical", "warning": "Warning", "info": "Note"}


@dataclass(frozen=True)
class Heading:
    """A section (level 2) or sub-section (level 3) heading."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """Plain text; ``note`` is set apart (the not-medical-advice note), ``small`` is fine print."""

    text: str
    style: Literal["text", "note", "small"] = "text"


@dataclass(frozen=True)
class Table:
    """A table of text cells; the first row is the header, the first column names each row."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    """Relative column widths for the PDF (equal when empty)."""


@dataclass(frozen=True)
class Bullets:
    """A list; ``ordered`` numbers it."""

    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class WarningItem:
    """One warning as the report shows it: what it concerns, severity, code, message, citations, and a heading
    in words (the code is small print)."""

    concerns: str
    severity: str
    code: str
    message: str
    sources: str
    title: str = ""


@dataclass(frozen=True)
class Warnings:
    """The warnings about one thing (the scenario and home, or one destination), shown beside it."""

    title: str
    items: tuple[WarningItem, ...]


@dataclass(frozen=True)
class Figure:
    """A chart: SVG inline in HTML, PNG in the PDF."""

    chart: alt.TopLevelMixin
    caption: str


@dataclass(frozen=True)
class Bibliography:
    """Every source the report used, numbered, with its URL and kind."""

    sources: tuple[Source, ...]


Block = Heading | Paragraph | Table | Bullets | Warnings | Figure | Bibliography


@dataclass(frozen=True)
class Report:
    """A report: title lines, blocks, and when and by which version it was made."""

    title: str
    scenario_name: str
    generated: dt.date
    version: str
    blocks: tuple[Block, ...]
