"""Clinic quotes as an editable table: one row per clinic, one checkbox and one extra price per package item.

``quotes_frame`` builds the table from a destination's quotes; ``quotes_from_frame`` reads an edited
table back into quote objects (plain JSON values for ``parse_scenario``). A row without a price is
skipped; a row that ticks no item and prices no extra is a quote that does not say what it includes.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from calculator.model.data import PackageItem
from calculator.model.scenario import Quote

BASE_COLUMNS = ("clinic", "low", "high", "nights", "deposit", "refundable")


def included_column(item_id: str) -> str:
    """The checkbox column of a package item ("included in the price")."""
    return f"inc_{item_id}"


def extra_column(item_id: str) -> str:
    """The price column of a package item the quote leaves out."""
    return f"extra_{item_id}"


def quote_columns(items: tuple[PackageItem, ...]) -> list[str]:
    """Every column of the table, in order: the base columns, then each item's checkbox, then each item's extra."""
    return [*BASE_COLUMNS, *(included_column(i.id) for i in items), *(extra_column(i.id) for i in items)]


def _row(quote: Quote, items: tuple[PackageItem, ...]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "clinic": quote.clinic or "",
        "low": quote.low,
        "high": quote.high,
        "nights": quote.lodging_nights_included,
        "deposit": quote.deposit,
        "refundable": bool(quote.deposit_refundable),
    }
    for item in items:
        row[included_column(item.id)] = item.id in (quote.includes or ())
        row[extra_column(item.id)] = quote.extras.get(item.id)
    return row


def quotes_frame(quotes: list[Quote], items: tuple[PackageItem, ...]) -> pd.DataFrame:
    """One row per clinic quote (typed columns, so an empty table still edits as numbers and checkboxes)."""
    frame = pd.DataFrame([_row(q, items) for q in quotes], columns=quote_columns(items))
    types: dict[str, str] = {"clinic": "object", "low": "float64", "high": "float64", "nights": "Int64"}
    types |= {"deposit": "float64", "refundable": "bool"}
    types |= {included_column(i.id): "bool" for i in items} | {extra_column(i.id): "float64" for i in items}
    return frame.astype(types)


def _number(value: Any) -> float | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def quotes_from_frame(
    frame: pd.DataFrame, items: tuple[PackageItem, ...], previous: list[Quote] | None = None
) -> list[dict[str, Any]]:
    """The edited table as quote objects; a clinic's checklist answers are kept from ``previous`` by its name."""
    answers = {q.clinic: q.checklist for q in previous or () if q.clinic and q.checklist}
    out = []
    for row in frame.to_dict("records"):
        low = _number(row.get("low"))
        if low is None:
            continue
        high = _number(row.get("high"))
        clinic = str(row.get("clinic") or "").strip()
        included = [i.id for i in items if row.get(included_column(i.id)) is True]
        extras = {
            i.id: price
            for i in items
            if i.id not in included and (price := _number(row.get(extra_column(i.id)))) is not None
        }
        quote: dict[str, Any] = {"low": low, "high": low if high is None else high}
        if clinic:
            quote["clinic"] = clinic
        if included or extras:
            quote["includes"], quote["extras"] = included, extras
        nights = _number(row.get("nights"))
        if nights:
            quote["lodging_nights_included"] = int(nights)
        deposit = _number(row.get("deposit"))
        if deposit is not None:
            quote["deposit"], quote["deposit_refundable"] = deposit, bool(row.get("refundable"))
        if clinic in answers:
            quote["checklist"] = dict(answers[clinic])
        out.append(quote)
    return out
