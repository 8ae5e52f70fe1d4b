"""A chart framed for a file, and rendered to PNG, SVG or PDF.

A page's own Altair chart (:mod:`calculator.present.charts`, explicit colour scales, so the file
shows the page's colours) is framed by :func:`framed_chart`: a title with the scenario's name,
the date and the currency above, and a footnote naming the sources, the figures that rest on a
vendor's claim, and the app's version below. :func:`chart_bytes` renders it with vl-convert (no
browser, data inline): PNG at ``PNG_SCALE`` times the chart's size. :func:`page_chart_bytes` does
both for any page's chart.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from calculator.model.data import DataBundle
from calculator.model.results import Comparison
from calculator.model.sources import Source, SourceKind
from calculator.present.citations import cited, short_citation
from calculator.present.export_meta import CHART_FORMATS, ChartFormat, stamp

PNG_SCALE = 2
"""PNG pixels per chart pixel: sharp on high-density screens and in print."""
EXPORT_WIDTH = 720
"""The plot width, in pixels, of a chart that fills its container on the page."""


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
    if isinstance(inner, alt.TopLevelMixin) and inner.autosize is not alt.Undefined:
        inner = inner.copy()
        inner.autosize = alt.Undefined  # autosize belongs to the top level only: here, the frame
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
