"""The report: one document with the comparison, its sources and warnings, as HTML or PDF.

:func:`build_report` turns a computed comparison into a list of blocks (headings, paragraphs,
tables, warnings, figures, the bibliography); :func:`report_html` and :func:`report_pdf`
render the same blocks, so both formats say the same thing.

Contents, in order: the scenario's inputs; the comparison table, chart and per-destination
figures with every warning beside what it concerns; the timeline; the checklist summary; the
uncertainty figures (when a simulation is given); the broker's claims and what the evidence
says; the questions to ask a clinic; the bibliography of every source used; the app's version,
the generation date and the not-medical-advice note.

HTML is one self-contained file: CSS and SVG charts inline, no script, a Content-Security-Policy
that forbids any, every piece of text escaped, ``@media print`` rules for paper. PDF is made with
fpdf2, with a TrueType font embedded (DejaVu Sans, found on the system: see :func:`pdf_font`);
without one it falls back to a core font and writes the few non-Latin-1 characters in ASCII.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import altair as alt
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from calculator.model import diligence
from calculator.model.alert import Alert
from calculator.model.data import DataBundle
from calculator.model.formatting import money, money_range, percent, percent_range
from calculator.model.results import Comparison, DestinationResult
from calculator.model.sources import KIND_LABELS, Source, SourceKind
from calculator.model.timeline import StartIs, Timeline, trip_timeline
from calculator.present.export import (
    NOT_MEDICAL_ADVICE,
    app_version,
    chart_bytes,
    compare_figure,
    days_text,
    input_rows,
    subject_label,
    timeline_figure,
    uncertainty_figure,
    vendor_source_ids,
)
from calculator.present.tables import VENDOR_MARK, display_frame
from calculator.present.timeline_files import start_label, timeline_table

if TYPE_CHECKING:
    from calculator.model.uncertainty import Simulation

ReportFormat = Literal["html", "pdf"]
REPORT_FORMATS: tuple[ReportFormat, ...] = ("html", "pdf")
SEVERITY_LABELS = {"critical": "Critical", "warning": "Warning", "info": "Note"}


# --- the blocks ----------------------------------------------------------------------------------


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
    """One warning as the report shows it: what it concerns, severity, code, message, citations."""

    concerns: str
    severity: str
    code: str
    message: str
    sources: str


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


# --- building the blocks -------------------------------------------------------------------------


def _citations(source_ids: Iterable[str], sources: dict[str, Source]) -> str:
    return "; ".join(
        f"{s.publisher}, {s.date or 'undated'} [{KIND_LABELS[s.kind]}]" for s in _cited(source_ids, sources)
    )


def _cited(source_ids: Iterable[str], sources: dict[str, Source]) -> list[Source]:
    return [sources[i] for i in dict.fromkeys(source_ids) if i in sources]


def warning_block(title: str, alerts: Sequence[Alert], data: DataBundle) -> Warnings:
    """The warnings about one thing, each with what it concerns and its sources."""
    return Warnings(
        title,
        tuple(
            WarningItem(
                subject_label(a.subject, data),
                a.severity,
                a.code,
                a.message,
                _citations(a.sources, data.sources),
            )
            for a in alerts
        ),
    )


def destination_summary(d: DestinationResult, currency: str) -> str:
    """One destination's whole-trip cost, savings and the broker's stated savings, in words."""
    low, mid, high = d.savings_pct
    text = (
        f"Whole trip: {money_range(d.total, currency)} (mid {money(d.total.mid, currency)}). "
        f"You save: worst {money(d.savings.low, currency)} ({percent(low)}), "
        f"mid {money(d.savings.mid, currency)} ({percent(mid)}), best {money(d.savings.high, currency)} "
        f"({percent(high)})."
    )
    if d.stated_savings_pct:
        cited = d.procedure_only_savings_pct
        text += (
            f" The broker says {percent_range(*d.stated_savings_pct)} on the procedure alone; its own prices give "
            f"{cited[0]:.0f}–{cited[1]:.0f}% on the procedure alone."
        )
    return text


def _frame_table(frame: Any, first: str = "") -> Table:
    header = (first or str(frame.index.name or ""), *map(str, frame.columns))
    rows = tuple((str(idx), *(str(v) for v in row)) for idx, row in zip(frame.index, frame.to_numpy(), strict=True))
    return Table(header, rows, (1.4, *([1.0] * len(frame.columns))))


def comparison_blocks(comparison: Comparison, data: DataBundle, generated: dt.date, figures: bool) -> list[Block]:
    """The comparison: warnings about the scenario and home, the table, the chart, each destination."""
    c, cur = comparison, comparison.rate.currency
    vendor_ids = vendor_source_ids(data.sources)
    blocks: list[Block] = [Heading("Comparison")]
    if c.alerts:
        blocks.append(warning_block(f"The treatment, the stay and the home baseline ({c.home.name})", c.alerts, data))
    blocks.append(
        Paragraph(
            f"Figures in {c.rate.describe()}. Low / mid / high = every range at its low end / midpoint / high end. "
            f"{VENDOR_MARK.strip()} = rests on a vendor's unverified claim.",
            "small",
        )
    )
    blocks.append(_frame_table(display_frame(c, vendor_ids, "range")))
    if figures:
        blocks.append(
            Figure(compare_figure(c, data, generated), "Stacked mid-case components; whisker = total low-high")
        )
    for d in c.destinations:
        blocks.append(Heading(d.name + (f" ({d.city})" if d.city else ""), 3))
        blocks.append(Paragraph(destination_summary(d, cur)))
        if d.alerts:
            blocks.append(warning_block(f"Warnings: {d.name}", d.alerts, data))
    return blocks


def timeline_blocks(timeline: Timeline, comparison: Comparison, data: DataBundle, generated: dt.date) -> list[Block]:
    """The trip's dated phases, shortest and longest plan, as a table and a chart."""
    table = timeline_table(timeline, data.sources)
    blocks: list[Block] = [
        Heading("Timeline"),
        Paragraph(
            f"Dates for a {start_label(timeline)}. Shortest plan: every stay range at its low end; longest plan: "
            f"at its high end. Days away from home: {days_text(timeline.days_away)}."
        ),
        _frame_table(table, "Phase"),
    ]
    if timeline.phases:
        figure = timeline_figure(timeline, comparison.scenario.name, data, generated, trip_only=True)
        blocks.append(Figure(figure, "The trip, day by day: shortest and longest plan"))
    return blocks


def checklist_blocks(comparison: Comparison, data: DataBundle) -> list[Block]:
    """Per destination: what the clinic has shown (verified, only claimed, ...), critical gaps, readiness."""
    labels = {i.id: i.label for i in data.checklist}
    rows = []
    for d in comparison.destinations:
        summary = getattr(d, "diligence", None) or diligence.summarise(
            data.checklist, diligence.answers_for(comparison.scenario, data, d.id)
        )
        gaps = "; ".join(labels.get(i, i) for i in summary.critical_gaps) or "none"
        rows.append(
            (
                d.name,
                diligence.READINESS_LABELS[summary.readiness],
                *(str(summary.counts[a]) for a in diligence.ANSWERS),
                gaps,
            )
        )
    short = {"claimed": "Claimed only", "not_applicable": "N/A"}
    answers = (short.get(a, diligence.ANSWER_LABELS[a]) for a in diligence.ANSWERS)
    header = ("Destination", "Readiness", *answers, "Critical gaps")
    return [
        Heading("Due diligence: checklist summary"),
        Paragraph(
            f"{len(data.checklist)} checks per destination, from the scenario's answers (unanswered = unknown). "
            + diligence.READINESS_RULE
        ),
        Table(header, tuple(rows), (1.2, 1.0, 0.8, 0.9, 0.5, 0.8, 0.5, 2.8)),
    ]


def uncertainty_blocks(
    simulation: Simulation, comparison: Comparison, data: DataBundle, generated: dt.date, figures: bool = True
) -> list[Block]:
    """The Monte Carlo percentiles of each total and saving, and the probability of saving money."""
    cur = simulation.currency
    home = simulation.home_total
    rows = [("Home", *(money(v, cur) for v in (home.p5, home.p50, home.p95)), "", "", "", "")]
    for d in simulation.destinations:
        for label, o in ((d.name, d.outcome), (f"{d.name}, risk-adjusted", d.risk_adjusted)):
            if o is None:
                continue
            rows.append(
                (
                    label,
                    *(money(v, cur) for v in (o.total.p5, o.total.p50, o.total.p95)),
                    *(money(v, cur) for v in (o.savings.p5, o.savings.p50, o.savings.p95)),
                    percent(100 * o.p_saves_money),
                )
            )
    header = ("", "Total p5", "Total p50", "Total p95", "Savings p5", "Savings p50", "Savings p95", "P(saves money)")
    text = (
        f"Monte Carlo: {simulation.draws:,} draws (seed {simulation.seed}, {simulation.distribution} "
        "distribution). Each range is drawn independently; p5 / p50 / p95 are the 5th, 50th and 95th "
        "percentiles; P(saves money) is the share of draws in which the trip costs less than home."
    )
    if simulation.risk is not None:
        risk = simulation.risk
        text += (
            f" Risk-adjusted rows add a complication with probability {percent(100 * risk.probability)} and a cost "
            f"of care of {money_range(risk.care_cost, cur)}."
        )
    blocks: list[Block] = [Heading("Uncertainty"), Paragraph(text), Table(header, tuple(rows), (1.4, *([1.0] * 7)))]
    figure = uncertainty_figure(simulation, comparison, data, generated) if figures else None
    if figure is not None:
        blocks.append(Figure(figure, "Simulated savings per destination; dashed: p5 / p50 / p95; red: no saving"))
    return blocks


def claims_blocks(data: DataBundle) -> list[Block]:
    """The broker's claims, what the evidence says of each, and its status."""
    claims = getattr(data, "claims", ())
    if not claims:
        return []
    rows = tuple((f"“{c.quote}”", c.status.replace("_", " "), c.evidence) for c in claims)
    return [
        Heading("The broker's claims and the evidence"),
        Table(("Claim (vendor's words)", "Status", "What the evidence says"), rows, (2.0, 0.8, 2.6)),
    ]


def questions(data: DataBundle) -> list[tuple[str, tuple[str, ...]]]:
    """The questions to ask a clinic (text, sources), from ``questions:`` of the checklist file."""
    return [(q.text, q.sources) for q in getattr(data, "questions", ())]


def report_source_ids(
    comparison: Comparison, data: DataBundle, timeline: Timeline | None = None, simulation: Simulation | None = None
) -> list[str]:
    """Every source the report rests on: the comparison's, the timeline's, the checklist's, claims', questions'."""
    ids = comparison.source_ids()
    if timeline is not None:
        ids += [s for p in timeline.phases for s in p.sources]
    if simulation is not None and simulation.risk is not None:
        ids += list(simulation.risk.sources)
    ids += [s for item in data.checklist for s in item.sources]
    ids += [s for c in getattr(data, "claims", ()) for s in c.sources]
    ids += [s for _, sources in questions(data) for s in sources]
    return list(dict.fromkeys(ids))


def build_report(
    comparison: Comparison,
    data: DataBundle,
    generated: dt.date,
    timeline: Timeline | None = None,
    simulation: Simulation | None = None,
    figures: bool = True,
) -> Report:
    """The report's blocks for a computed comparison (and its timeline and simulation, where given)."""
    c = comparison
    procedure = data.procedure_info.get(c.scenario.procedure)
    title = f"{procedure.name if procedure else c.scenario.procedure}: home vs {len(c.destinations)} destination(s)"
    blocks: list[Block] = [
        Paragraph(NOT_MEDICAL_ADVICE, "note"),
        Heading("Scenario"),
        Table(("Input", "Value"), tuple(input_rows(c, data)), (1.0, 3.0)),
        *comparison_blocks(c, data, generated, figures),
    ]
    if timeline is not None:
        blocks += timeline_blocks(timeline, c, data, generated)
    blocks += checklist_blocks(c, data)
    if simulation is not None:
        blocks += uncertainty_blocks(simulation, c, data, generated, figures)
    blocks += claims_blocks(data)
    asked = questions(data)
    if asked:
        blocks += [Heading("Questions to ask a clinic"), Bullets(tuple(text for text, _ in asked), ordered=True)]
    blocks += [
        Heading("Sources"),
        Bibliography(tuple(_cited(report_source_ids(c, data, timeline, simulation), data.sources))),
        Paragraph(
            f"Made with medtravel-calculator {app_version()} on {generated.isoformat()}. {NOT_MEDICAL_ADVICE}", "small"
        ),
    ]
    return Report(title, c.scenario.name, generated, app_version(), tuple(blocks))


# --- HTML ----------------------------------------------------------------------------------------

CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #111;
       max-width: 1000px; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #0072B2; padding-bottom: .15rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
.meta { color: #444; margin-top: 0; }
.note { background: #eef5fb; border-left: 4px solid #0072B2; padding: .5rem .8rem; }
.small { color: #444; font-size: .85rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .85rem; }
th, td { border: 1px solid #bbb; padding: .25rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
tbody th { font-weight: 600; background: #fafafa; }
.warnings h4 { margin: .6rem 0 .3rem; font-size: .95rem; }
.warning { border-left: 5px solid #999; padding: .35rem .7rem; margin: .35rem 0; background: #f7f7f7; }
.warning.sev-critical { border-color: #D55E00; background: #fcefe6; }
.warning.sev-warning { border-color: #E69F00; background: #fff7e6; }
.warning.sev-info { border-color: #0072B2; background: #eef5fb; }
.warning .what { font-weight: 600; }
.warning code { font-size: .8rem; }
.warning .src { color: #444; font-size: .8rem; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: .85rem; }
ol.bib li { margin-bottom: .3rem; }
a { color: #0072B2; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  table, figure, .warning { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .note, .warning, thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  @page { size: A4; margin: 14mm; }
}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
"""No script, no network: the report is inert and readable offline."""

_UNSAFE_SVG = re.compile(r"<\s*(script|foreignObject|iframe|object|embed)\b|\son[a-z]+\s*=|javascript:", re.I)


def safe_svg(svg: str) -> str:
    """vl-convert's SVG for inline use: well-formed XML with no script, event handler or foreign content.

    Raises ValueError otherwise (our own renderer's output; user text in it is XML-escaped).
    """
    svg = re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)
    ET.fromstring(svg)  # noqa: S314 - our own renderer's output, checked to be well-formed
    if _UNSAFE_SVG.search(svg) or not svg.lstrip().startswith("<svg"):
        raise ValueError("the chart's SVG holds content that is not allowed inline")
    return svg


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_table(table: Table) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in table.header)
    body = "".join(
        "<tr>" + f'<th scope="row">{_e(row[0])}</th>' + "".join(f"<td>{_e(cell)}</td>" for cell in row[1:]) + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_warnings(block: Warnings) -> str:
    items = "".join(
        f'<div class="warning sev-{_e(w.severity)}" role="note"><span class="what">{_e(w.concerns)}</span> · '
        f"{_e(SEVERITY_LABELS.get(w.severity, w.severity))} · <code>{_e(w.code)}</code><br>{_e(w.message)}"
        + (f'<br><span class="src">Sources: {_e(w.sources)}</span>' if w.sources else "")
        + "</div>"
        for w in block.items
    )
    return f'<section class="warnings"><h4>{_e(block.title)}</h4>{items}</section>'


def _link(url: str) -> str:
    if re.match(r"^https?://", url):
        return f'<a href="{_e(url)}">{_e(url)}</a>'
    return _e(url)


def _html_bibliography(block: Bibliography) -> str:
    items = []
    for s in block.sources:
        parts = [_e(s.publisher), f"“{_e(s.title)}”", _e(s.date or "undated")]
        if s.url:
            parts.append(_link(s.url))
        mark = " ⚠" if s.kind == SourceKind.VENDOR_CLAIM else ""
        items.append(
            f'<li id="src-{_e(s.id)}">{", ".join(parts)} [{_e(KIND_LABELS[s.kind])}{mark}] '
            f'<span class="small">({_e(s.id)})</span></li>'
        )
    return f'<ol class="bib">{"".join(items)}</ol>'


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{_e(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return f'<p class="{block.style}">{_e(block.text)}</p>'
    if isinstance(block, Table):
        return _html_table(block)
    if isinstance(block, Bullets):
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>" + "".join(f"<li>{_e(i)}</li>" for i in block.items) + f"</{tag}>"
    if isinstance(block, Warnings):
        return _html_warnings(block)
    if isinstance(block, Figure):
        svg = safe_svg(chart_bytes(block.chart, "svg").decode("utf-8"))
        caption = _e(block.caption)
        return f'<figure role="img" aria-label="{caption}">{svg}<figcaption>{caption}</figcaption></figure>'
    return _html_bibliography(block)


def report_html(report: Report) -> bytes:
    """The report as one self-contained, printable HTML file (UTF-8)."""
    body = "\n".join(_html_block(b) for b in report.blocks)
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="generator" content="medtravel-calculator {_e(report.version)}">
<title>{_e(report.scenario_name)}: {_e(report.title)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{_e(report.title)}</h1>
<p class="meta">Scenario: <strong>{_e(report.scenario_name)}</strong> · generated {report.generated.isoformat()} ·
medtravel-calculator {_e(report.version)}</p>
</header>
<main>
{body}
</main>
</body>
</html>
"""
    return page.encode("utf-8")


# --- PDF -----------------------------------------------------------------------------------------

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    str(Path.home() / "Library" / "Fonts"),
    "C:/Windows/Fonts",
)
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
_LATIN1 = str.maketrans(
    {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "⚠": "(!)", "…": "...", "≥": ">=", "≤": "<="}
)


def pdf_font() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold (``CALC_PDF_FONT_DIR`` first, then the usual font folders), or None."""
    dirs = [os.environ.get("CALC_PDF_FONT_DIR", ""), *FONT_DIRS]
    for folder in filter(None, dirs):
        regular, bold = (Path(folder) / name for name in FONT_FILES)
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _Pdf(FPDF):
    def __init__(self, report: Report, font: tuple[Path, Path] | None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report = report
        self.unicode = font is not None
        if font is not None:
            self.add_font("Body", "", str(font[0]))
            self.add_font("Body", "B", str(font[1]))
            self.body_font = "Body"
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
            return text
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
        pdf.text_block(f"{SEVERITY_LABELS.get(w.severity, w.severity)} · {w.concerns} · {w.code}", 8.5, "B", 4.2)
        pdf.set_text_color(0, 0, 0)
        pdf.text_block(w.message, 8.5, "", 4.2)
        if w.sources:
            pdf.set_text_color(80, 80, 80)
            pdf.text_block(f"Sources: {w.sources}", 7.5, "", 3.8)
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
        w = min(pdf.epw, (pdf.eph - 4) * width / height)
        pdf.image(io.BytesIO(png), w=w, alt_text=pdf.t(block.caption))
        pdf.ln(2)
    else:
        for n, s in enumerate(block.sources, start=1):
            mark = " ⚠" if s.kind == SourceKind.VENDOR_CLAIM else ""
            pdf.text_block(f"[{n}] {s.citation()}{mark} ({s.id})", 8, "", 3.9)
            pdf.ln(0.6)


def report_pdf(report: Report, font: tuple[Path, Path] | None = None) -> bytes:
    """The report as a PDF (A4) with the font embedded; charts as PNG images."""
    pdf = _Pdf(report, font if font is not None else pdf_font())
    pdf.add_page()
    pdf.text_block(report.title, 16, "B", 7)
    pdf.text_block(f"Scenario: {report.scenario_name}", 10.5, "B", 5.5)
    pdf.text_block(f"Generated {report.generated.isoformat()} by medtravel-calculator {report.version}", 8.5)
    pdf.ln(2)
    for block in report.blocks:
        _pdf_block(pdf, block)
    return bytes(pdf.output())


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
