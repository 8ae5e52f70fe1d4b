"""What the report says: a computed comparison turned into the report's blocks, section by section.

Contents, in order: the bottom line (page 1); the comparison table, chart and per-destination
figures with every warning beside what it concerns; the scenario's inputs; the timeline; the checklist summary; the
uncertainty figures (when a simulation is given); the broker's claims and what the evidence
says; the questions to ask a clinic; the bibliography of every source used; the app's version,
the generation date and the not-medical-advice note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from calculator.model import diligence
from calculator.model.alert import Alert
from calculator.model.data import DataBundle
from calculator.model.formatting import money, money_range, percent, percent_range
from calculator.model.results import Comparison, DestinationResult
from calculator.model.sources import KIND_LABELS, Source
from calculator.model.timeline import Timeline
from calculator.present.chart_files import compare_figure, timeline_figure, uncertainty_figure
from calculator.present.citations import cited, subject_label, vendor_source_ids
from calculator.present.export_meta import NOT_MEDICAL_ADVICE, app_version
from calculator.present.report_blocks import (
    Bibliography,
    Block,
    Bullets,
    Figure,
    Heading,
    Paragraph,
    Report,
    Table,
    WarningItem,
    Warnings,
)
from calculator.present.scenario_inputs import days_text, input_rows
from calculator.present.summary import bottom_line, destination_summaries, plural, top_warnings, warning_title
from calculator.present.tables import VENDOR_MARK, display_frame
from calculator.present.timeline_files import start_label, timeline_table

if TYPE_CHECKING:
    from calculator.model.uncertainty import Simulation


def _citations(source_ids: Iterable[str], sources: dict[str, Source]) -> str:
    return "; ".join(
        f"{s.publisher}, {s.date or 'undated'} [{KIND_LABELS[s.kind]}]" for s in cited(source_ids, sources)
    )


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
                warning_title(a.code),
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


def bottom_line_blocks(comparison: Comparison) -> list[Block]:
    """Page 1: the answer in one paragraph, then per destination the whole trip, the saving, readiness and
    the top warnings, in the Compare page's own words (:mod:`calculator.present.summary`)."""
    rows = []
    for d, s in zip(comparison.destinations, destination_summaries(comparison), strict=True):
        saving = f"{s.saving_mid} ({s.saving_pct_mid}) mid; {s.saving_range}"
        if s.costs_more:
            saving += f". {s.costs_more}"
        warnings = "; ".join(top_warnings(d.alerts)) or "none"
        rows.append((s.title, f"{s.total_mid} mid; {s.total_range}", saving, s.readiness, f"{s.warnings}: {warnings}"))
    blocks: list[Block] = [
        Heading("The bottom line"),
        Paragraph(bottom_line(comparison)),
        Table(
            ("Destination", "Whole trip", "You save", "Readiness", "Top warnings"),
            tuple(rows),
            (1.1, 1.2, 1.4, 1.1, 1.8),
        ),
    ]
    if comparison.alerts:
        blocks.append(
            Paragraph("For every destination: " + "; ".join(top_warnings(comparison.alerts, 4)) + ".", "small")
        )
    return blocks


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
    item_labels = {i.id: i.label for i in data.package_items}
    blocks.append(_frame_table(display_frame(c, vendor_ids, "range", item_labels)))
    if figures:
        blocks.append(
            Figure(compare_figure(c, data, generated), "Stacked mid-case components; whisker = total low-high")
        )
    for d in c.destinations:
        blocks.append(Heading(d.label + (f" ({d.city})" if d.city else ""), 3))
        blocks.append(Paragraph(destination_summary(d, cur)))
        if d.alerts:
            blocks.append(warning_block(f"Warnings: {d.label}", d.alerts, data))
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
            data.checklist, diligence.answers_for(comparison.scenario, data, d.id, d.quote)
        )
        gaps = "; ".join(labels.get(i, i) for i in summary.critical_gaps) or "none"
        rows.append(
            (
                d.label,
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
    title = (
        f"{procedure.name if procedure else c.scenario.procedure}: home vs {plural(len(c.destinations), 'destination')}"
    )
    blocks: list[Block] = [
        Paragraph(NOT_MEDICAL_ADVICE, "note"),
        *bottom_line_blocks(c),
        *comparison_blocks(c, data, generated, figures),
        Heading("Scenario: the inputs"),
        Table(("Input", "Value"), tuple(input_rows(c, data)), (1.0, 3.0)),
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
        Bibliography(tuple(cited(report_source_ids(c, data, timeline, simulation), data.sources))),
        Paragraph(
            f"Made with medtravel-calculator {app_version()} on {generated.isoformat()}. {NOT_MEDICAL_ADVICE}", "small"
        ),
    ]
    return Report(title, c.scenario.name, generated, app_version(), tuple(blocks))
