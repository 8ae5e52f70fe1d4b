"""Each page's table as a file (CSV or XLSX): comparison, timeline, checklist, saved scenarios, uncertainty.

Every function is pure: a computed comparison (:func:`calculator.model.compare.compare`), a
timeline, saved scenarios or a simulation in, bytes out. The comparison's rows are the long rows
of :func:`calculator.present.output.comparison_rows` (the CLI's CSV); its workbook adds the
scenario's inputs, the timeline (when given), the checklist, then a ``Sources`` and a
``Warnings`` sheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from calculator.model.data import DataBundle
from calculator.model.diligence import answers_for
from calculator.model.results import Comparison
from calculator.model.timeline import Timeline
from calculator.model.uncertainty import Simulation
from calculator.present.citations import (
    SOURCE_COLUMNS,
    WARNING_COLUMNS,
    scenarios_source_ids,
    simulation_sources,
    source_rows,
    subject_label,
    warning_rows,
)
from calculator.present.diligence_tables import summary_frame
from calculator.present.export_meta import TABLE_FORMATS, TableFormat
from calculator.present.output import CSV_COLUMNS, comparison_rows
from calculator.present.saved import SIDE_BY_SIDE_COLUMNS, scenarios_frame
from calculator.present.scenario_inputs import input_rows
from calculator.present.spreadsheets import Sheet, frame_csv, frame_rows, money_format, rows_csv, xlsx_bytes
from calculator.present.timeline_files import CSV_COLUMNS as TIMELINE_CSV_COLUMNS

# --- the comparison ------------------------------------------------------------------------------


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
            "destination": d.label,
            "item": item.id,
            "label": item.label,
            "severity": item.severity,
            "answer": answers[item.id],
            "how_to_verify": item.how_to_verify,
            "sources": "; ".join(item.sources),
        }
        for d in comparison.destinations
        for answers in [answers_for(comparison.scenario, data, d.id, d.quote)]
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


def timeline_table_bytes(timeline: Timeline, comparison: Comparison, data: DataBundle, fmt: TableFormat) -> bytes:
    """The timeline table as CSV (ISO dates) or as a workbook with its sources and the stay's warnings."""
    if fmt == "csv":
        return rows_csv(timeline_rows(timeline), TIMELINE_COLUMNS)
    if fmt == "xlsx":
        return timeline_xlsx(timeline, comparison, data)
    raise ValueError(f"table format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}")


# --- the checklist summary ----------------------------------------------------------------------

CHECKLIST_CODES = ("critical_item_not_verified", "unverified_checklist_item", "package_inclusions_unverified")


def checklist_summary_frame(comparison: Comparison) -> pd.DataFrame:
    """The Due diligence page's summary: one row per destination, readiness and counts per answer."""
    summaries = {d.label: d.diligence for d in comparison.destinations if d.diligence is not None}
    return summary_frame(summaries, {d.label: d.label for d in comparison.destinations})


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


# --- saved scenarios side by side -----------------------------------------------------------------


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
            Sheet("Sources", SOURCE_COLUMNS, source_rows(scenarios_source_ids(comparisons), data.sources)),
        ]
    )


# --- uncertainty ---------------------------------------------------------------------------------


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
