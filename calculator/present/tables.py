"""The comparison as pandas tables: a numeric long frame (charts, exports) and a display frame (pages)."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd

from calculator.model.formatting import money, money_range, percent, percent_range
from calculator.model.results import PART_LABELS, Comparison, DestinationResult, HomeResult, Part
from calculator.model.span import Span

View = Literal["range", "low", "mid", "high"]
VENDOR_MARK = " ⚠"
"""Appended to a figure that rests on a vendor's claim."""


def home_label(comparison: Comparison) -> str:
    """The home column's heading, e.g. ``"United States / Western Europe (home)"``."""
    return f"{comparison.home.name} (home)"


LONG_COLUMNS = ["target", "label", "part", "component", "low", "mid", "high", "vendor_claim", "sources"]


def long_rows(comparison: Comparison, vendor_ids: set[str]) -> list[dict[str, Any]]:
    """One record per (home or destination, computed component): low, mid, high, sources, vendor flag."""
    rows = []
    home = comparison.home
    targets = [(home.id, home_label(comparison), home.parts)]
    targets += [(d.id, d.label, d.parts) for d in comparison.destinations]
    for target_id, label, parts in targets:
        for part, p in parts.items():
            if p.value is None:
                continue
            rows.append(
                {
                    "target": target_id,
                    "label": label,
                    "part": part,
                    "component": PART_LABELS[part],
                    "low": float(p.value.low),
                    "mid": float(p.value.mid),
                    "high": float(p.value.high),
                    "vendor_claim": bool(vendor_ids & set(p.sources)),
                    "sources": "; ".join(p.sources),
                }
            )
    return rows


def long_frame(comparison: Comparison, vendor_ids: set[str]) -> pd.DataFrame:
    """:func:`long_rows` as a frame (columns LONG_COLUMNS)."""
    return pd.DataFrame(long_rows(comparison, vendor_ids), columns=LONG_COLUMNS)


def totals_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """One record per home/destination: label, low, mid, high of the total."""
    c = comparison
    rows = [(home_label(c), c.home.total)] + [(d.label, d.total) for d in c.destinations]
    return [{"label": label, "low": float(t.low), "mid": float(t.mid), "high": float(t.high)} for label, t in rows]


def totals_frame(comparison: Comparison) -> pd.DataFrame:
    """:func:`totals_rows` as a frame."""
    return pd.DataFrame(totals_rows(comparison))


def _cell(span: Span | None, view: View, currency: str, open_high: bool = False) -> str:
    """A figure as the view shows it; an open high end ("25,000+") keeps its "+" where the high end shows."""
    if span is None:
        return "— missing input"
    if view == "range":
        return money_range(span, currency) + ("+" if open_high else "")
    return money(float(getattr(span, view)), currency) + ("+" if open_high and view == "high" else "")


def _part_cell(part: Part | None, view: View, currency: str, vendor_ids: set[str], open_high: bool = False) -> str:
    if part is None:
        return ""
    mark = VENDOR_MARK if vendor_ids & set(part.sources) else ""
    return _cell(part.value, view, currency, open_high) + mark


def breakdown_rows(dest: DestinationResult, currency: str, vendor_ids: set[str]) -> list[tuple[str, str]]:
    """One destination's parts as (part, low to high) rows, the total last; parts that cost nothing left out."""
    rows = []
    for name, label in PART_LABELS.items():
        part = dest.parts.get(name)
        if part is not None and (part.value is None or part.value.high > 0):
            open_high = dest.open_high and name == "procedure"
            rows.append((label, _part_cell(part, "range", currency, vendor_ids, open_high)))
    rows.append(("Total", _cell(dest.total, "range", currency, dest.open_high)))
    return rows


def breakdown_markdown(dest: DestinationResult, currency: str, vendor_ids: set[str]) -> str:
    """One destination's parts as a two-column Markdown table (fits a phone): part, low to high."""
    *parts, (total, value) = breakdown_rows(dest, currency, vendor_ids)
    lines = [f"| Part | {currency}, low to high |", "| --- | ---: |", *(f"| {p} | {v} |" for p, v in parts)]
    return "\n".join([*lines, f"| **{total}** | **{value}** |"])


BROKER_RANGE = "broker's range"
"""The heading suffix of a destination's reference column at the broker's cited range, beside its clinics."""
DEPOSIT_ROW = "Deposit at risk (not in the total)"
UNPRICED_ROW = "Left out, no price given"


def deposit_text(dest: DestinationResult, currency: str) -> str:
    """A clinic's deposit as money at risk if the trip is cancelled, e.g. 'USD 500, non-refundable'; '' if none."""
    quote = dest.quote
    if quote is None or quote.deposit is None:
        return ""
    return f"{money(quote.deposit, currency)}, {quote.deposit_terms}"


def unpriced_text(dest: DestinationResult, labels: dict[str, str]) -> str:
    """The package items a clinic's quote leaves out with no price, by label (e.g. 'Consultation; Follow-up visits')."""
    return "; ".join(labels.get(i, i) for i in dest.unpriced)


def columns_of(comparison: Comparison) -> dict[str, DestinationResult]:
    """The destination columns by heading: each clinic, then its destination's broker's range for reference."""
    out: dict[str, DestinationResult] = {}
    references = {r.id: r for r in comparison.broker_ranges}
    dests = comparison.destinations
    for n, d in enumerate(dests):
        out[d.label] = d
        last_of_dest = n + 1 == len(dests) or dests[n + 1].id != d.id
        if last_of_dest and d.id in references:
            out[f"{d.name} · {BROKER_RANGE}"] = references[d.id]
    return out


def display_frame(
    comparison: Comparison, vendor_ids: set[str], view: View = "range", item_labels: dict[str, str] | None = None
) -> pd.DataFrame:
    """Rows = components, total, savings; columns = home, then each clinic (or destination) and, beside a
    destination's clinics, the broker's range for reference; cells formatted text.

    A figure resting on a vendor's claim ends with ``VENDOR_MARK``; a missing part says so. With clinic
    quotes, two more rows: the deposit at risk, and the package items left out with no price.
    """
    c = comparison
    cur = c.rate.currency
    columns: dict[str, HomeResult | DestinationResult] = {home_label(c): c.home, **columns_of(c)}
    index = [*PART_LABELS.values(), "Total", "You save", "You save (%)", "Broker says you save", "Readiness"]
    quoted = [d for d in c.destinations if d.quote is not None]
    extra_rows = [DEPOSIT_ROW] * any(d.quote.deposit is not None for d in quoted)
    extra_rows += [UNPRICED_ROW] * any(d.quote.includes is not None for d in quoted)
    index += extra_rows
    table: dict[str, list[str]] = {}
    for label, result in columns.items():
        is_home = result is c.home
        cells = [
            _part_cell(result.parts.get(part), view, cur, vendor_ids, result.open_high and part == "procedure")
            for part in PART_LABELS
        ]
        total_vendor = any(vendor_ids & set(p.sources) for p in result.parts.values())
        cells.append(_cell(result.total, view, cur, result.open_high) + (VENDOR_MARK if total_vendor else ""))
        if is_home:
            cells += ["", "", "", ""] + [""] * len(extra_rows)
        else:
            pct = dict(zip(("low", "mid", "high"), result.savings_pct, strict=True))
            pct_text = f"{percent(pct['low'])} to {percent(pct['high'])}" if view == "range" else percent(pct[view])
            stated = result.stated_savings_pct
            cells += [
                _cell(result.savings, view, cur, c.home.open_high),
                pct_text,
                f"{percent_range(*stated)} (procedure only){VENDOR_MARK}" if stated else "—",
                result.diligence.short_headline() if result.diligence else "",
            ]
            if DEPOSIT_ROW in extra_rows:
                cells.append(deposit_text(result, cur))
            if UNPRICED_ROW in extra_rows:
                unpriced = unpriced_text(result, item_labels or {})
                cells.append(unpriced or ("nothing" if result.quote and result.quote.includes is not None else ""))
        table[label] = cells
    return pd.DataFrame(table, index=index)
