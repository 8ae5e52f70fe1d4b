"""Each page's chart as a file: Compare, Timeline, Scenarios and Uncertainty.

Every function is pure: a computed comparison (:func:`calculator.model.compare.compare`), a
timeline, saved scenarios or a simulation in, a framed chart (:mod:`calculator.present.chart_frame`)
or its bytes out; the app's download buttons, the CLI's ``export`` command and the report all
call them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import altair as alt

from calculator.model.data import DataBundle
from calculator.model.results import Comparison
from calculator.model.timeline import TRIP_PHASES, Timeline
from calculator.model.uncertainty import Simulation
from calculator.present.chart_frame import (
    EXPORT_WIDTH,
    ChartText,
    chart_bytes,
    chart_footnote,
    chart_subtitle,
    framed_chart,
    page_chart_bytes,
)
from calculator.present.charts import compare_chart, scenarios_chart, timeline_chart, uncertainty_chart
from calculator.present.citations import (
    figure_source_ids,
    scenarios_source_ids,
    simulation_sources,
    vendor_note,
    vendor_source_ids,
)
from calculator.present.export_meta import ChartFormat
from calculator.present.saved import scenarios_frame
from calculator.present.tables import long_frame, totals_frame
from calculator.present.timeline_files import start_label, timeline_frame
from calculator.present.uncertainty_tables import histogram_frame, marks_frame

HISTOGRAM_BINS = 40
"""Bins of the savings histograms (as on the Uncertainty page)."""


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
        scenarios_source_ids(comparisons),
        data,
        generated,
        subtitle=f"figures in {currencies}",
    )


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
