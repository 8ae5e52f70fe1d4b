"""Exports as bytes: charts (PNG, SVG, PDF), tables (CSV, XLSX) and the names of the files.

Every function here is pure: a computed comparison (:func:`calculator.model.compare.compare`) in,
bytes out; the app's download buttons and the CLI's ``export`` command both call them.
The report (HTML, PDF) is :mod:`calculator.present.report`.

Charts are the page's own Altair charts (:mod:`calculator.present.charts`, explicit colour scales, so
the file shows the page's colours), framed for a file by :func:`framed_chart`: a title with the
scenario's name, the date and the currency above, and a footnote naming the sources, the
figures that rest on a vendor's claim, and the app's version below. They are rendered by
vl-convert (no browser, data inline): PNG at ``PNG_SCALE`` times the chart's size.

Tables are the long comparison rows of :func:`calculator.present.output.comparison_rows` (the CLI's CSV)
and, where given, the timeline and the checklist. CSV is UTF-8 with a header. XLSX holds typed
numbers and dates with currency formats, one sheet per table, then a ``Sources`` and a
``Warnings`` sheet. Text a spreadsheet would run as a formula is neutralised in both by the one
rule of :func:`calculator.present.output.safe_cell`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import altair as alt
import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from calculator.model.alert import Alert
from calculator.model.data import DataBundle
from calculator.model.diligence import answers_for
from calculator.model.formatting import money
from calculator.model.results import PART_LABELS, Comparison
from calculator.model.sources import KIND_LABELS, Source, SourceKind
from calculator.model.timeline import TRIP_PHASES, Timeline
from calculator.model.uncertainty import Simulation
from calculator.present.charts import compare_chart, scenarios_chart, timeline_chart, uncertainty_chart
from calculator.present.diligence_tables import summary_frame
from calculator.present.output import CSV_COLUMNS, comparison_rows, csv_text, safe_cell
from calculator.present.saved import SIDE_BY_SIDE_COLUMNS, scenarios_frame
from calculator.present.tables import long_frame, totals_frame
from calculator.present.timeline_files import CSV_COLUMNS as TIMELINE_CSV_COLUMNS
from calculator.present.timeline_files import start_label, timeline_frame
from calculator.present.uncertainty_tables import histogram_frame, marks_frame

ChartFormat = Literal["png", "svg", "pdf"]
TableFormat = Literal["csv", "xlsx"]
CHART_FORMATS: tuple[ChartFormat, ...] = ("png", "svg", "pdf")
TABLE_FORMATS: tuple[TableFormat, ...] = ("csv", "xlsx")
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "json": "application/json",
}
PNG_SCALE = 2
"""PNG pixels per chart pixel: sharp on high-density screens and in print."""
EXPORT_WIDTH = 720
"""The plot width, in pixels, of a chart that fills its container on the page."""
APP_NAME = "medtravel-calculator"
NOT_MEDICAL_ADVICE = (
    "Not medical advice: this compares costs and lists what to check. Talk to a doctor who is "
    "independent of any clinic before deciding on treatment."
)
_ROOT = Path(__file__).resolve().parents[2]


def app_version() -> str:
    """The app's version: ``project.version`` of pyproject.toml (or the installed package's)."""
    try:
        with (_ROOT / "pyproject.toml").open("rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        try:
            return metadata.version(APP_NAME)
        except metadata.PackageNotFoundError:
            return "unknown"


def stamp(generated: dt.date) -> str:
    """E.g. ``"medtravel-calculator 0.1.0, generated 2026-04-20"``."""
    return f"{APP_NAME} {app_version()}, generated {generated.isoformat()}"


# --- file names ----------------------------------------------------------------------------------


def file_stem(name: str, limit: int = 60) -> str:
    """A scenario name made safe for a file name: ASCII letters, digits and ``-`` only, lower case.

    >>> file_stem("Client A: Mexico vs Turkey / 2027")
    'client-a-mexico-vs-turkey-2027'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:limit].strip("-")
    return stem or "scenario"


def file_name(scenario_name: str, what: str, ext: str, day: dt.date) -> str:
    """E.g. ``"client-a_compare-chart_2026-04-20.png"``: the sanitised scenario name, what, the date."""
    return f"{file_stem(scenario_name)}_{file_stem(what)}_{day.isoformat()}.{ext}"


# --- sources and warnings ------------------------------------------------------------------------


def vendor_source_ids(sources: dict[str, Source]) -> set[str]:
    """The ids of every source that is a vendor's (unverified) claim."""
    return {s.id for s in sources.values() if s.kind == SourceKind.VENDOR_CLAIM}


def cited(source_ids: Iterable[str], sources: dict[str, Source]) -> list[Source]:
    """The bibliography entries for ``source_ids``, in order, each once (unknown ids are skipped)."""
    return [sources[i] for i in dict.fromkeys(source_ids) if i in sources]


def short_citation(source: Source) -> str:
    """One short line for a chart's footnote, e.g. ``PlacidWay, undated: vendor claim (unverified)``."""
    return f"{source.publisher}, {source.date or 'undated'}: {KIND_LABELS[source.kind]}"


def subject_label(subject: str, data: DataBundle) -> str:
    """What a warning concerns, in words: a cost component, a checklist item, the stay, the total...

    ``home.`` subjects concern the home baseline, e.g. ``home.procedure`` reads ``Home: Procedure``.
    """
    prefix = "Home: " if subject.startswith("home.") else ""
    subject = subject.removeprefix("home.")
    if subject in PART_LABELS:
        return prefix + PART_LABELS[subject]
    if subject.startswith("checklist."):
        item_id = subject.removeprefix("checklist.")
        label = next((i.label for i in data.checklist if i.id == item_id), item_id)
        return f"{prefix}Checklist: {label}"
    return prefix + subject.replace("_", " ").capitalize()


def warning_rows(comparison: Comparison, data: DataBundle) -> list[dict[str, Any]]:
    """Every warning with where it applies (home / scenario or a destination) and what it concerns."""
    home_where = f"Scenario and home ({comparison.home.name})"
    placed: list[tuple[str, Alert]] = [(home_where, a) for a in comparison.alerts]
    placed += [(d.name, a) for d in comparison.destinations for a in d.alerts]
    return [
        {
            "where": where,
            "concerns": subject_label(a.subject, data),
            "code": a.code,
            "severity": a.severity,
            "message": a.message,
            "sources": "; ".join(a.sources),
        }
        for where, a in placed
    ]


WARNING_COLUMNS = ("where", "concerns", "code", "severity", "message", "sources")
SOURCE_COLUMNS = ("id", "publisher", "title", "date", "url", "kind", "note")


def source_rows(source_ids: Iterable[str], sources: dict[str, Source]) -> list[dict[str, Any]]:
    """The bibliography rows of the sources used."""
    return [
        {
            "id": s.id,
            "publisher": s.publisher,
            "title": s.title,
            "date": s.date,
            "url": s.url,
            "kind": KIND_LABELS[s.kind],
            "note": s.note,
        }
        for s in cited(source_ids, sources)
    ]


def days_text(pair: tuple[int, int]) -> str:
    """A (low, high) pair of days as text, e.g. ``"2-4"``, or ``"1"`` when equal."""
    return f"{pair[0]}" if pair[0] == pair[1] else f"{pair[0]}-{pair[1]}"


def _region_name(comparison: Comparison, data: DataBundle, region_id: str) -> str:
    row = data.prices.get((comparison.scenario.procedure, region_id))
    return row.region_name if row else region_id


def input_rows(comparison: Comparison, data: DataBundle) -> list[tuple[str, str]]:
    """The scenario's inputs as (what, value) pairs, money in the scenario's currency."""
    s, cur = comparison.scenario, comparison.rate.currency
    procedure = data.procedure_info.get(s.procedure)
    rows = [
        ("Scenario", s.name),
        ("Treatment", procedure.name if procedure else s.procedure),
        ("Home", _region_name(comparison, data, s.home)),
        ("Destinations", ", ".join(_region_name(comparison, data, d) for d in s.destinations)),
        ("Currency", comparison.rate.describe()),
        ("Travellers / rooms / sessions", f"{s.travellers} / {s.rooms} / {s.sessions}"),
        (
            "Stay (days)",
            f"pre-treatment {days_text(s.stay.pre_days)}, procedure {days_text(s.stay.procedure_days)}, "
            f"recovery {days_text(s.stay.recovery_days)}, travel {days_text(s.stay.travel_days)}; "
            f"at the destination {days_text((int(comparison.stay_days.low), int(comparison.stay_days.high)))}",
        ),
    ]
    for dest in s.destinations:
        travel = s.travel_for(dest)
        given = [
            f"fare {money(travel.fare_per_traveller, cur)} per traveller"
            if travel.fare_per_traveller is not None
            else "",
            f"lodging {money(travel.lodging_per_night, cur)} per room-night"
            if travel.lodging_per_night is not None
            else "",
            f"daily {money(travel.daily_per_traveller, cur)} per traveller"
            if travel.daily_per_traveller is not None
            else "",
            f"city {travel.city}" if travel.city else "",
        ]
        text = "; ".join(g for g in given if g) or "defaults (no fare)"
        rows.append((f"Travel: {_region_name(comparison, data, dest)}", text))
    for dest, quote in s.quotes.items():
        name = _region_name(comparison, data, dest)
        rows.append((f"Quote: {name}", f"{money_range_of(quote.low, quote.high, cur)} per session"))
        if quote.clinic:
            rows.append((f"Clinic: {name}", quote.clinic))
    rows += [
        ("Insurance", money(s.insurance, cur)),
        ("Follow-up trips", f"{s.follow_up_trips} ({s.follow_up_nights} nights each)"),
        ("Contingency", f"{s.contingency_pct:g}%"),
        ("Lost income per day", money(s.lost_income_per_day, cur)),
    ]
    for dest, answers in s.checklist.items():
        answered = ", ".join(f"{item}: {answer}" for item, answer in answers.items())
        rows.append((f"Checklist: {_region_name(comparison, data, dest)}", answered or "all unknown"))
    return rows


def money_range_of(low: float, high: float, currency: str) -> str:
    """E.g. ``"USD 5,000 to 6,000"`` (one figure when equal)."""
    return money(low, currency) if round(low) == round(high) else f"{money(low, currency)} to {high:,.0f}"


# --- charts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartText:
    """What frames a chart in a file: a title, lines under it, and footnote lines below the plot."""

    title: str
    subtitle: tuple[str, ...] = ()
    footnote: tuple[str, ...] = ()


def chart_footnote(
    source_ids: Iterable[str], sources: dict[str, Source], vendor_note: str, generated: dt.date
) -> tuple[str, ...]:
    """Footnote lines: each source in short, what rests on a vendor's claim, not medical advice, version."""
    lines = [f"Source: {short_citation(s)}" for s in cited(source_ids, sources) if s.kind != SourceKind.USER_INPUT]
    if any(s.kind == SourceKind.USER_INPUT for s in cited(source_ids, sources)):
        lines.append("Source: figures you entered")
    if vendor_note:
        lines.append(f"Vendor claim (unverified): {vendor_note}")
    lines.append(f"Not medical advice. {stamp(generated)}.")
    return tuple(lines)


def footnote_chart(lines: Sequence[str], width: int) -> alt.Chart:
    """Footnote lines as a borderless text block, one line per row, for under a chart."""
    frame = pd.DataFrame({"line": list(lines), "row": range(len(lines))})
    return (
        alt.Chart(frame)
        .mark_text(align="left", baseline="middle", fontSize=10, color="#333333")
        .encode(x=alt.value(0), y=alt.Y("row:O", axis=None), text=alt.Text("line:N"))
        .properties(width=width, height=alt.Step(14), view=alt.ViewBackground(stroke=None))
    )


def framed_chart(chart: alt.TopLevelMixin, text: ChartText, width: int = EXPORT_WIDTH) -> alt.VConcatChart:
    """The chart with a title above and a footnote below, on white, at a fixed width for a file.

    The chart itself (marks, encodings, explicit colour scales, legend) is unchanged, so the file
    shows what the page shows; a chart that fills its container on the page gets ``width`` pixels.
    """
    inner = chart
    if isinstance(inner, alt.Chart | alt.LayerChart) and inner.width in ("container", alt.Undefined):
        inner = inner.properties(width=width)
    parts: list[Any] = [inner]
    if text.footnote:
        parts.append(footnote_chart(text.footnote, width))
    return alt.vconcat(
        *parts,
        title=alt.TitleParams(
            text=text.title,
            subtitle=list(text.subtitle),
            anchor="start",
            fontSize=16,
            subtitleFontSize=11,
            subtitleColor="#333333",
            offset=12,
        ),
        spacing=18,
        background="#ffffff",
        padding=16,
    ).resolve_legend(color="independent")


def chart_bytes(chart: alt.TopLevelMixin, fmt: ChartFormat, scale: float = PNG_SCALE) -> bytes:
    """Render a chart with vl-convert: PNG (``scale`` x), SVG (UTF-8 text) or PDF (vector)."""
    if fmt not in CHART_FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(CHART_FORMATS)}, not {fmt!r}")
    if fmt == "svg":
        text = io.StringIO()
        chart.save(text, format="svg")
        return text.getvalue().encode("utf-8")
    buf = io.BytesIO()
    chart.save(buf, format=fmt, **({"scale_factor": scale} if fmt == "png" else {}))
    return buf.getvalue()


def chart_subtitle(comparison: Comparison, generated: dt.date) -> tuple[str, ...]:
    """The lines under a chart's title: the scenario, the date, the currency and its rate."""
    return (
        f"Scenario: {comparison.scenario.name}",
        f"{generated.isoformat()} · figures in {comparison.rate.describe()}",
    )


def compare_figure(comparison: Comparison, data: DataBundle, generated: dt.date) -> alt.VConcatChart:
    """The Compare page's chart, framed for a file (title, scenario, date, currency, sources)."""
    cur = comparison.rate.currency
    vendor_ids = vendor_source_ids(data.sources)
    long = long_frame(comparison, vendor_ids)
    chart = compare_chart(long, totals_frame(comparison), cur, "")
    text = ChartText(
        title=f"Whole-trip cost: {comparison.home.name} (home) vs {len(comparison.destinations)} destination(s)",
        subtitle=chart_subtitle(comparison, generated),
        footnote=chart_footnote(figure_source_ids(comparison), data.sources, vendor_note(comparison, data), generated),
    )
    return framed_chart(chart, text)


def compare_chart_bytes(comparison: Comparison, data: DataBundle, fmt: ChartFormat, generated: dt.date) -> bytes:
    """The Compare chart as a PNG, SVG or PDF file."""
    return chart_bytes(compare_figure(comparison, data, generated), fmt)


# --- tables --------------------------------------------------------------------------------------


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


def comparison_sheet(comparison: Comparison) -> Sheet:
    """The comparison's long rows (the CLI's CSV), money in the scenario's currency, percentages in %."""
    return Sheet(
        "Comparison",
        CSV_COLUMNS,
        comparison_rows(comparison),
        lambda row, column: money_format(row["currency"]) if column in ("low", "mid", "high") else None,
    )


def comparison_csv(comparison: Comparison) -> bytes:
    """The comparison table as CSV: one row per (home or destination, component / total / savings)."""
    return rows_csv(comparison_rows(comparison), CSV_COLUMNS)


def reference_sheets(comparison: Comparison, data: DataBundle, extra_sources: Iterable[str] = ()) -> list[Sheet]:
    """The ``Sources`` sheet (every source used) and the ``Warnings`` sheet (every warning raised)."""
    used = [*comparison.source_ids(), *extra_sources]
    return [
        Sheet("Sources", SOURCE_COLUMNS, source_rows(used, data.sources)),
        Sheet("Warnings", WARNING_COLUMNS, warning_rows(comparison, data)),
    ]


def scenario_sheet(comparison: Comparison, data: DataBundle) -> Sheet:
    """The scenario's inputs, one (input, value) row each."""
    rows = [{"input": what, "value": value} for what, value in input_rows(comparison, data)]
    return Sheet("Scenario", ("input", "value"), rows)


def comparison_xlsx(comparison: Comparison, data: DataBundle, timeline: Timeline | None = None) -> bytes:
    """The workbook: Comparison, Scenario, Timeline (when given), Checklist, then the Sources and Warnings sheets."""
    sheets = [comparison_sheet(comparison), scenario_sheet(comparison, data)]
    extra_sources: list[str] = []
    if timeline is not None:
        sheets.append(timeline_sheet(timeline))
        extra_sources += [s for p in timeline.phases for s in p.sources]
    sheets.append(checklist_sheet(comparison, data))
    extra_sources += [s for item in data.checklist for s in item.sources]
    return xlsx_bytes([*sheets, *reference_sheets(comparison, data, extra_sources)])


def table_bytes(comparison: Comparison, data: DataBundle, fmt: TableFormat, timeline: Timeline | None = None) -> bytes:
    """The comparison table as CSV, or as a workbook with the timeline (when given) and the checklist."""
    if fmt == "csv":
        return comparison_csv(comparison)
    if fmt == "xlsx":
        return comparison_xlsx(comparison, data, timeline)
    raise ValueError(f"table format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}")


# --- timeline and checklist ----------------------------------------------------------------------

TIMELINE_COLUMNS = TIMELINE_CSV_COLUMNS
CHECKLIST_COLUMNS = ("destination", "item", "label", "severity", "answer", "how_to_verify", "sources")


def timeline_figure(
    timeline: Timeline, scenario_name: str, data: DataBundle, generated: dt.date, trip_only: bool = False
) -> alt.VConcatChart:
    """The Timeline page's chart (the whole plan, or with ``trip_only`` the trip itself), framed for a file."""
    frame = timeline_frame(timeline)
    phases = [p for p in timeline.phases if not trip_only or p.id in TRIP_PHASES]
    if trip_only:
        frame = frame[frame["phase"].isin(TRIP_PHASES)]
    vendor_ids = vendor_source_ids(data.sources)
    vendor = "; ".join(p.label for p in phases if vendor_ids & set(p.sources))
    text = ChartText(
        title="Trip timeline: the trip, day by day" if trip_only else "Trip timeline: the whole plan",
        subtitle=(
            f"Scenario: {scenario_name}",
            f"{generated.isoformat()} · {start_label(timeline)} · shortest plan (blue) and longest plan (orange)",
        ),
        footnote=chart_footnote([s for p in phases for s in p.sources], data.sources, vendor, generated),
    )
    return framed_chart(timeline_chart(frame, ""), text)


def timeline_rows(timeline: Timeline) -> list[dict[str, Any]]:
    """One row per phase: both plans' first and last day (dates; empty for a phase with no days), sources."""
    rows = []
    for p in timeline.phases:
        row: dict[str, Any] = {"id": p.id, "label": p.label, "duration": p.duration, "note": p.note}
        for plan in ("short", "long"):
            dates = p.plan(plan)
            row[f"{plan}_start"] = dates.start if dates else None
            row[f"{plan}_end"] = dates.end if dates else None
            row[f"{plan}_days"] = dates.days if dates else None
        row["sources"] = "; ".join(p.sources)
        rows.append(row)
    return rows


def timeline_sheet(timeline: Timeline) -> Sheet:
    """The timeline table for a workbook (dates typed as dates)."""
    return Sheet("Timeline", TIMELINE_COLUMNS, timeline_rows(timeline))


def checklist_rows(comparison: Comparison, data: DataBundle) -> list[dict[str, Any]]:
    """One row per (destination, checklist item): its severity, the scenario's answer, how to verify it."""
    return [
        {
            "destination": d.name,
            "item": item.id,
            "label": item.label,
            "severity": item.severity,
            "answer": answers[item.id],
            "how_to_verify": item.how_to_verify,
            "sources": "; ".join(item.sources),
        }
        for d in comparison.destinations
        for answers in [answers_for(comparison.scenario, data, d.id)]
        for item in data.checklist
    ]


def checklist_sheet(comparison: Comparison, data: DataBundle) -> Sheet:
    """The checklist answers per destination for a workbook."""
    return Sheet("Checklist", CHECKLIST_COLUMNS, checklist_rows(comparison, data))


def timeline_xlsx(timeline: Timeline, comparison: Comparison, data: DataBundle) -> bytes:
    """The timeline as a workbook: Timeline, Sources (the phases' sources) and Warnings about the stay."""
    used = [s for p in timeline.phases for s in p.sources]
    stay = [row for row in warning_rows(comparison, data) if row["concerns"] == subject_label("stay", data)]
    return xlsx_bytes(
        [
            timeline_sheet(timeline),
            Sheet("Sources", SOURCE_COLUMNS, source_rows(used, data.sources)),
            Sheet("Warnings", WARNING_COLUMNS, stay),
        ]
    )


# --- any page's chart or table -------------------------------------------------------------------


def page_chart_bytes(
    chart: alt.TopLevelMixin,
    fmt: ChartFormat,
    title: str,
    scenario_name: str,
    source_ids: Iterable[str],
    data: DataBundle,
    generated: dt.date,
    subtitle: str = "",
    vendor_note: str = "",
) -> bytes:
    """Any page's chart as a file: framed with ``title``, the scenario, the date (and ``subtitle``), and the sources."""
    lines = (f"Scenario: {scenario_name}", f"{generated.isoformat()}" + (f" · {subtitle}" if subtitle else ""))
    text = ChartText(title, lines, chart_footnote(source_ids, data.sources, vendor_note, generated))
    return chart_bytes(framed_chart(chart, text), fmt)


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


def timeline_table_bytes(timeline: Timeline, comparison: Comparison, data: DataBundle, fmt: TableFormat) -> bytes:
    """The timeline table as CSV (ISO dates) or as a workbook with its sources and the stay's warnings."""
    if fmt == "csv":
        return rows_csv(timeline_rows(timeline), TIMELINE_COLUMNS)
    if fmt == "xlsx":
        return timeline_xlsx(timeline, comparison, data)
    raise ValueError(f"table format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}")


# --- the checklist summary and saved scenarios side by side --------------------------------------

CHECKLIST_CODES = ("critical_item_not_verified", "unverified_checklist_item", "package_inclusions_unverified")


def checklist_summary_frame(comparison: Comparison) -> pd.DataFrame:
    """The Due diligence page's summary: one row per destination, readiness and counts per answer."""
    summaries = {d.id: d.diligence for d in comparison.destinations if d.diligence is not None}
    return summary_frame(summaries, {d.id: d.name for d in comparison.destinations})


def checklist_table_bytes(comparison: Comparison, data: DataBundle, fmt: TableFormat) -> bytes:
    """The checklist summary as CSV, or a workbook: summary, every answer, sources, checklist warnings."""
    summary = checklist_summary_frame(comparison)
    if fmt == "csv":
        return frame_csv(summary)
    if fmt != "xlsx":
        raise ValueError(f"table format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}")
    columns, rows = frame_rows(summary)
    warnings = [row for row in warning_rows(comparison, data) if row["code"] in CHECKLIST_CODES]
    used = [s for item in data.checklist for s in item.sources]
    return xlsx_bytes(
        [
            Sheet("Checklist summary", columns, rows),
            checklist_sheet(comparison, data),
            Sheet("Sources", SOURCE_COLUMNS, source_rows(used, data.sources)),
            Sheet("Warnings", WARNING_COLUMNS, warnings),
        ]
    )


def _scenarios_sources(comparisons: Sequence[tuple[str, Comparison]]) -> list[str]:
    return [s for _, c in comparisons for s in figure_source_ids(c)]


def scenarios_chart_bytes(
    comparisons: Sequence[tuple[str, Comparison]], data: DataBundle, fmt: ChartFormat, generated: dt.date
) -> bytes:
    """The Scenarios page's side-by-side chart of saved scenarios as a file, with every scenario's sources."""
    frame = scenarios_frame(comparisons)
    currencies = ", ".join(dict.fromkeys(frame["currency"]))
    return page_chart_bytes(
        scenarios_chart(frame, ""),
        fmt,
        "Saved scenarios: whole-trip cost per destination",
        "; ".join(label for label, _ in comparisons),
        _scenarios_sources(comparisons),
        data,
        generated,
        subtitle=f"figures in {currencies}",
    )


SCENARIOS_COLUMNS = tuple(c for c in SIDE_BY_SIDE_COLUMNS if c != "is_home")


def scenarios_table_bytes(comparisons: Sequence[tuple[str, Comparison]], data: DataBundle, fmt: TableFormat) -> bytes:
    """Saved scenarios side by side, in numbers: CSV, or a workbook with currency formats and every source."""
    _, rows = frame_rows(scenarios_frame(comparisons))
    if fmt == "csv":
        return rows_csv(rows, SCENARIOS_COLUMNS)
    if fmt != "xlsx":
        raise ValueError(f"table format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}")

    def number_format(row: dict[str, Any], column: str) -> str | None:
        return money_format("%" if column == "savings_pct_mid" else row["currency"])

    return xlsx_bytes(
        [
            Sheet("Scenarios", SCENARIOS_COLUMNS, rows, number_format),
            Sheet("Sources", SOURCE_COLUMNS, source_rows(_scenarios_sources(comparisons), data.sources)),
        ]
    )


# --- uncertainty ---------------------------------------------------------------------------------

HISTOGRAM_BINS = 40
"""Bins of the savings histograms (as on the Uncertainty page)."""
UNCERTAINTY_COLUMNS = (
    "destination",
    "risk_adjusted",
    "total_p5",
    "total_p50",
    "total_p95",
    "total_mean",
    "savings_p5",
    "savings_p50",
    "savings_p95",
    "savings_mean",
    "p_saves_money",
)
DRAWN_COLUMNS = ("input", "low", "high", "unit", "drawn_as")


def vendor_note(comparison: Comparison, data: DataBundle) -> str:
    """Which components rest on a vendor's claim, and where, e.g. ``Procedure (home, Mexico / Colombia)``."""
    long = long_frame(comparison, vendor_source_ids(data.sources))
    flagged = long[long["vendor_claim"]]
    return "; ".join(
        f"{component} ({', '.join(dict.fromkeys(flagged.loc[flagged['component'] == component, 'label']))})"
        for component in dict.fromkeys(flagged["component"])
    )


def figure_source_ids(comparison: Comparison) -> list[str]:
    """The sources of the comparison's figures (the exchange rate and every part), not of its warnings."""
    parts = [comparison.home.parts, *(d.parts for d in comparison.destinations)]
    ids = [comparison.rate.source_id, *(s for p in parts for part in p.values() for s in part.sources)]
    return [i for i in dict.fromkeys(ids) if i]


def simulation_sources(simulation: Simulation, comparison: Comparison) -> list[str]:
    """The sources behind a simulation: the comparison's figures, and the risk adjustment's."""
    return [*figure_source_ids(comparison), *(simulation.risk.sources if simulation.risk else ())]


def uncertainty_figure(
    simulation: Simulation, comparison: Comparison, data: DataBundle, generated: dt.date
) -> alt.VConcatChart | None:
    """The Uncertainty page's savings histograms, one per destination, framed for a file (None: no histograms)."""
    risky = simulation.risk is not None
    hist, marks = histogram_frame(simulation, risky), marks_frame(simulation, risky)
    if hist.empty:
        return None
    chart = uncertainty_chart(hist, marks, simulation.currency, "", width=EXPORT_WIDTH - 80)
    text = ChartText(
        title="Simulated savings vs home" + (", with complications" if risky else ""),
        subtitle=(
            *chart_subtitle(comparison, generated),
            f"{simulation.draws:,} draws, seed {simulation.seed}, {simulation.distribution}; "
            "dashed lines: p5 / p50 / p95; red line: no saving",
        ),
        footnote=chart_footnote(
            simulation_sources(simulation, comparison), data.sources, vendor_note(comparison, data), generated
        ),
    )
    return framed_chart(chart, text)


def uncertainty_rows(simulation: Simulation) -> list[dict[str, Any]]:
    """One row per destination (and its risk-adjusted outcome), then home: percentiles, means, P(saves money)."""
    rows = []
    for d in simulation.destinations:
        for risky, o in ((False, d.outcome), (True, d.risk_adjusted)):
            if o is None:
                continue
            rows.append(
                {
                    "destination": d.name,
                    "risk_adjusted": risky,
                    **{f"total_{k}": v for k, v in vars(o.total).items()},
                    "total_mean": o.mean_total,
                    **{f"savings_{k}": v for k, v in vars(o.savings).items()},
                    "savings_mean": o.mean_savings,
                    "p_saves_money": o.p_saves_money,
                }
            )
    home = simulation.home_total
    rows.append(
        {
            "destination": "Home",
            "risk_adjusted": False,
            **{f"total_{k}": v for k, v in vars(home).items()},
            "total_mean": simulation.home_mean,
        }
    )
    return rows


def uncertainty_table_bytes(
    simulation: Simulation, comparison: Comparison, data: DataBundle, fmt: TableFormat
) -> bytes:
    """The simulation's percentiles as CSV, or a workbook: percentiles, what was drawn, sources."""
    rows = uncertainty_rows(simulation)
    if fmt == "csv":
        return rows_csv(rows, UNCERTAINTY_COLUMNS)
    if fmt != "xlsx":
        raise ValueError(f"table format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}")
    cur = simulation.currency

    def number_format(row: dict[str, Any], column: str) -> str | None:
        return "0.0%" if column == "p_saves_money" else money_format(cur)

    drawn = [
        {
            "input": r.label,
            "low": r.low,
            "high": r.high,
            "unit": "days" if r.whole_days else cur,
            "drawn_as": "whole days, uniform" if r.whole_days else simulation.distribution,
        }
        for r in simulation.drawn
    ]
    return xlsx_bytes(
        [
            Sheet("Uncertainty", UNCERTAINTY_COLUMNS, rows, number_format),
            Sheet("Drawn", DRAWN_COLUMNS, drawn),
            Sheet("Sources", SOURCE_COLUMNS, source_rows(simulation_sources(simulation, comparison), data.sources)),
        ]
    )


def page_table_bytes(
    frame: pd.DataFrame, fmt: TableFormat, name: str, data: DataBundle, source_ids: Iterable[str] = ()
) -> bytes:
    """Any page's table as shown: CSV, or a workbook with the table and a Sources sheet."""
    if fmt == "csv":
        return frame_csv(frame)
    if fmt == "xlsx":
        return frame_xlsx(frame, name, data, source_ids)
    raise ValueError(f"table format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}")
