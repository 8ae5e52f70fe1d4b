"""The report as a PDF (A4), made with fpdf2; charts as PNG images.

TrueType fonts are embedded (Noto Sans and the Noto fonts of other scripts a name needs, found on the
system: see :mod:`calculator.present.pdf_fonts`); without them it falls back to a core font, writes the few
non-Latin-1 characters in ASCII, and says so on page 1.
"""

from __future__ import annotations

import datetime as dt
import io
import struct

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from calculator.model.sources import SourceKind
from calculator.present.chart_frame import chart_bytes
from calculator.present.pdf_fonts import INSTALL_HINT, FontSet, fallbacks_for, missing_characters, pdf_font
from calculator.present.report_blocks import (
    SEVERITY_LABELS,
    Block,
    Bullets,
    Figure,
    Heading,
    Paragraph,
    Report,
    Table,
    Warnings,
)

_LATIN1 = str.maketrans(
    {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "⚠": "(!)", "…": "...", "≥": ">=", "≤": "<="}
)


def report_text(report: Report) -> str:
    """Every piece of text the report writes (to choose the fonts it needs)."""
    parts = [report.title, report.scenario_name]
    for block in report.blocks:
        if isinstance(block, Heading | Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts += [*block.header, *(cell for row in block.rows for cell in row)]
        elif isinstance(block, Bullets):
            parts += block.items
        elif isinstance(block, Warnings):
            parts += [block.title, *(f"{w.title} {w.concerns} {w.message} {w.sources}" for w in block.items)]
        elif isinstance(block, Figure):
            parts.append(block.caption)
        else:
            parts += [s.citation() for s in block.sources]
    return "\n".join(parts)


class _Pdf(FPDF):
    def __init__(self, report: Report, fonts: FontSet | None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report = report
        self.unicode = fonts is not None
        self.missing = ""
        """Characters no installed font can draw: written as "?", and said on page 1."""
        if fonts is not None:
            self.add_font("Body", "", str(fonts.regular))
            self.add_font("Body", "B", str(fonts.bold))
            self.body_font = "Body"
            text = report_text(report)
            names = []
            for n, path in enumerate(fallbacks_for(fonts, text)):
                names.append(f"Fallback{n}")
                self.add_font(names[-1], "", str(path))
            if names:
                self.set_fallback_fonts(names, exact_match=False)
            self.missing = missing_characters(fonts, text)
        else:
            self.body_font = "Helvetica"
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(14, 14, 14)
        self.set_title(self.t(f"{report.scenario_name}: {report.title}"))
        self.set_creator(f"medtravel-calculator {report.version}")
        self.set_creation_date(dt.datetime.combine(report.generated, dt.time(), tzinfo=dt.UTC))

    def t(self, text: str) -> str:
        """Text the current font can write (core fonts: Latin-1 with ASCII stand-ins)."""
        if self.unicode:
            return text.translate({ord(ch): "?" for ch in self.missing}) if self.missing else text
        return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(self.body_font, "", 7)
        self.set_text_color(90, 90, 90)
        self.cell(
            0,
            4,
            self.t(
                f"Not medical advice · {self.report.scenario_name[:60]} · medtravel-calculator {self.report.version}, "
                f"{self.report.generated.isoformat()} · page {self.page_no()}/{{nb}}"
            ),
            align="C",
        )
        self.set_text_color(0, 0, 0)

    def text_block(self, text: str, size: float = 9.5, style: str = "", height: float = 4.6) -> None:
        self.set_font(self.body_font, style, size)
        self.multi_cell(0, height, self.t(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _pdf_table(pdf: _Pdf, table: Table) -> None:
    widths = table.widths or tuple([1.0] * len(table.header))
    pdf.set_font(pdf.body_font, "", 7.5 if len(table.header) > 4 else 8.5)
    with pdf.table(
        col_widths=widths,
        line_height=3.8,
        text_align="LEFT",
        first_row_as_headings=True,
        padding=0.8,
    ) as out:
        row = out.row()
        for h in table.header:
            row.cell(pdf.t(h))
        for cells in table.rows:
            row = out.row()
            for cell in cells:
                row.cell(pdf.t(cell))
    pdf.ln(2)


_SEVERITY_RGB = {"critical": (213, 94, 0), "warning": (230, 159, 0), "info": (0, 114, 178)}


def _pdf_warnings(pdf: _Pdf, block: Warnings) -> None:
    pdf.text_block(block.title, 9.5, "B")
    for w in block.items:
        r, g, b = _SEVERITY_RGB.get(w.severity, (120, 120, 120))
        pdf.set_text_color(r, g, b)
        pdf.text_block(
            f"{SEVERITY_LABELS.get(w.severity, w.severity)}: {w.title or w.concerns} · {w.concerns}", 8.5, "B", 4.2
        )
        pdf.set_text_color(0, 0, 0)
        pdf.text_block(w.message, 8.5, "", 4.2)
        pdf.set_text_color(80, 80, 80)
        pdf.text_block((f"Sources: {w.sources} · " if w.sources else "") + f"code {w.code}", 7.5, "", 3.8)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(1)
    pdf.ln(1)


def _pdf_block(pdf: _Pdf, block: Block) -> None:
    if isinstance(block, Heading):
        if block.level == 2 and pdf.get_y() > pdf.h - 60:
            pdf.add_page()
        pdf.ln(3 if block.level == 2 else 1.5)
        pdf.text_block(block.text, 13 if block.level == 2 else 11, "B", 6)
        pdf.ln(1)
    elif isinstance(block, Paragraph):
        if block.style == "note":
            pdf.set_fill_color(238, 245, 251)
            pdf.set_font(pdf.body_font, "", 9.5)
            pdf.multi_cell(
                0, 5, pdf.t(block.text), align="L", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT, padding=2
            )
        else:
            pdf.text_block(block.text, 8 if block.style == "small" else 9.5)
        pdf.ln(1.5)
    elif isinstance(block, Table):
        _pdf_table(pdf, block)
    elif isinstance(block, Bullets):
        for n, item in enumerate(block.items, start=1):
            pdf.text_block(f"{n}. {item}" if block.ordered else f"• {item}", 9)
    elif isinstance(block, Warnings):
        _pdf_warnings(pdf, block)
    elif isinstance(block, Figure):
        png = chart_bytes(block.chart, "png")
        width, height = struct.unpack(">II", png[16:24])  # the PNG's IHDR: fit the page's width and height
        w = min(pdf.epw, (pdf.eph - 14) * width / height)
        if pdf.get_y() + w * height / width + 10 > pdf.h - pdf.b_margin:  # the figure and its caption together
            pdf.add_page()
        pdf.image(io.BytesIO(png), w=w, alt_text=pdf.t(block.caption))
        pdf.set_text_color(68, 68, 68)
        pdf.text_block(block.caption, 8, "", 3.9)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(2)
    else:
        for n, s in enumerate(block.sources, start=1):
            mark = " ⚠" if s.kind == SourceKind.VENDOR_CLAIM else ""
            pdf.text_block(f"[{n}] {s.citation()}{mark} ({s.id})", 8, "", 3.9)
            pdf.ln(0.6)


def report_pdf(report: Report, font: FontSet | None = None) -> bytes:
    """The report as a PDF (A4) with its fonts embedded (:mod:`calculator.present.pdf_fonts`); charts as PNG."""
    pdf = _Pdf(report, font if font is not None else pdf_font())
    pdf.add_page()
    pdf.text_block(report.title, 16, "B", 7)
    pdf.text_block(f"Scenario: {report.scenario_name}", 10.5, "B", 5.5)
    pdf.text_block(f"Generated {report.generated.isoformat()} by medtravel-calculator {report.version}", 8.5)
    if not pdf.unicode:
        pdf.text_block(f"Written in a basic font: only Latin letters show; {INSTALL_HINT}.", 8)
    elif pdf.missing:
        pdf.text_block(f"Some characters are shown as ? (no installed font has them): {INSTALL_HINT}.", 8)
    pdf.ln(2)
    for block in report.blocks:
        _pdf_block(pdf, block)
    return bytes(pdf.output())
