"""The comparison as the CLI prints it: a JSON-ready dict (DESIGN.md section 6), CSV rows, a text table."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from calculator.model.alert import Alert
from calculator.model.formatting import money_range, percent
from calculator.model.results import PART_LABELS, Comparison, DestinationResult, Part
from calculator.model.span import Span


def _num(value: float, digits: int = 2) -> float | None:
    value = float(value)
    return None if math.isnan(value) else round(value, digits)


def _span(span: Span | None) -> dict[str, float] | None:
    return None if span is None else span.as_dict()


def _parts(parts: dict[str, Part]) -> dict[str, dict[str, Any] | None]:
    return {
        name: None if p.value is None else {**p.value.as_dict(), "sources": list(p.sources)}
        for name, p in parts.items()
    }


def alert_dict(alert: Alert) -> dict[str, Any]:
    """One warning as JSON: code, severity, message, sources, subject."""
    return {
        "code": alert.code,
        "severity": alert.severity,
        "message": alert.message,
        "sources": list(alert.sources),
        "subject": alert.subject,
    }


def quote_dict(dest: DestinationResult) -> dict[str, Any] | None:
    """A clinic column's quote: price, what it includes, the extras priced, what it leaves unpriced, hotel nights,
    and the deposit (money at risk, not in the total); None for the broker's cited range."""
    q = dest.quote
    if q is None:
        return None
    return {
        "clinic": q.clinic,
        "low": _num(q.low),
        "high": _num(q.high),
        "includes": q.includes,
        "extras": {item: _num(price) for item, price in q.extras.items()},
        "unpriced": list(dest.unpriced),
        "lodging_nights_included": q.lodging_nights_included,
        "deposit": None if q.deposit is None else _num(q.deposit),
        "deposit_refundable": q.deposit_refundable,
    }


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """The JSON output of ``compare`` (DESIGN.md section 6). Money is rounded to cents."""
    c = comparison
    return {
        "scenario": c.scenario.name,
        "procedure": c.scenario.procedure,
        "currency": c.rate.currency,
        "rate": {"per_usd": c.rate.per_usd, "date": c.rate.date or None, "source": c.rate.source_id},
        "stay_days": {"low": float(c.stay_days.low), "high": float(c.stay_days.high)},
        "home": {
            "id": c.home.id,
            "name": c.home.name,
            "components": _parts(c.home.parts),
            "total": _span(c.home.total),
            "open_high": c.home.open_high,
        },
        "destinations": [
            {
                "id": d.id,
                "name": d.name,
                "clinic": d.clinic,
                "quote": quote_dict(d),
                "incomplete": d.incomplete,
                "city": d.city,
                "components": _parts(d.parts),
                "total": _span(d.total),
                "open_high": d.open_high,
                "savings": _span(d.savings),
                "savings_pct": dict(zip(("low", "mid", "high"), map(_num, d.savings_pct), strict=True)),
                "stated_savings_pct": list(d.stated_savings_pct) if d.stated_savings_pct else None,
                "procedure_only_savings_pct": [_num(v) for v in d.procedure_only_savings_pct],
                "readiness": None
                if d.diligence is None
                else {
                    "level": d.diligence.readiness,
                    "counts": d.diligence.counts,
                    "critical_gaps": list(d.diligence.critical_gaps),
                },
                "warnings": [alert_dict(a) for a in d.alerts],
            }
            for d in c.destinations
        ],
        "broker_ranges": [
            {"id": r.id, "name": r.name, "total": _span(r.total), "savings": _span(r.savings), "open_high": r.open_high}
            for r in c.broker_ranges
        ],
        "warnings": [alert_dict(a) for a in c.alerts],
        "sources": c.source_ids(),
    }


CSV_COLUMNS = ("scenario", "currency", "target", "name", "row", "low", "mid", "high", "sources")


def comparison_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """Long-format rows: one per (home or destination, component / total / savings)."""
    c = comparison
    rows = []

    def add(target: str, name: str, row: str, span: Span | None, sources: tuple[str, ...] = ()) -> None:
        values = span.as_dict() if span is not None else {"low": None, "mid": None, "high": None}
        rows.append(
            {
                "scenario": c.scenario.name,
                "currency": c.rate.currency,
                "target": target,
                "name": name,
                "row": row,
                **values,
                "sources": ";".join(sources),
            }
        )

    for part, p in c.home.parts.items():
        add("home", c.home.name, part, p.value, p.sources)
    add("home", c.home.name, "total", c.home.total)
    for d in c.destinations:
        for part, p in d.parts.items():
            add(d.id, d.label, part, p.value, p.sources)
        add(d.id, d.label, "total", d.total)
        add(d.id, d.label, "savings", d.savings)
        pct = d.savings_pct
        rows.append(
            {
                "scenario": c.scenario.name,
                "currency": "%",
                "target": d.id,
                "name": d.label,
                "row": "savings_pct",
                "low": _num(pct[0]),
                "mid": _num(pct[1]),
                "high": _num(pct[2]),
                "sources": "",
            }
        )
    return rows


def csv_text(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """Rows as CSV text with a header (user text neutralised against formula injection)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return buf.getvalue()


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; numbers pass."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def comparison_table(comparison: Comparison) -> str:
    """A plain-text side-by-side table for a terminal, with the warnings below it."""
    c = comparison
    cur = c.rate.currency
    headers = [
        "",
        f"{c.home.name} (home)",
        *(f"{d.label}" + (f" ({d.city})" if d.city else "") for d in c.destinations),
    ]
    lines: list[list[str]] = []
    for part, label in PART_LABELS.items():
        home = c.home.parts.get(part)
        cells = [label, money_range(home.value, cur) if home else ""]
        cells += [money_range(d.parts[part].value, cur) for d in c.destinations]
        lines.append(cells)
    lines.append(["Total", money_range(c.home.total, cur), *(money_range(d.total, cur) for d in c.destinations)])
    lines.append(["You save", "", *(money_range(d.savings, cur) for d in c.destinations)])
    lines.append(
        [
            "You save (mid)",
            "",
            *(f"{money_range(Span.of(d.savings.mid), cur)} ({percent(d.savings_pct[1])})" for d in c.destinations),
        ]
    )
    lines.append(
        [
            "Broker says",
            "",
            *(
                f"{d.stated_savings_pct[0]:g}-{d.stated_savings_pct[1]:g}% (procedure only)"
                if d.stated_savings_pct
                else "—"
                for d in c.destinations
            ),
        ]
    )
    widths = [max(len(row[i]) for row in [headers, *lines]) for i in range(len(headers))]
    out = [f"{c.scenario.name}  ({c.rate.describe()})", ""]
    for row in [headers, *lines]:
        out.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    out.append("")
    out.append("Warnings (low / mid / high = every range at its low end / midpoint / high end):")
    for alert in c.alerts:
        out.append(f"  [{alert.severity}] {alert.code}: {alert.message}")
    for d in c.destinations:
        for alert in d.alerts:
            out.append(f"  [{alert.severity}] {d.id} {alert.code}: {alert.message}")
    return "\n".join(out) + "\n"
