"""Saved scenarios as tables: the store's list, and 2-4 scenarios' totals and savings side by side."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from calculator.model.formatting import money, money_range, percent
from calculator.model.results import Comparison
from calculator.model.span import Span
from calculator.present.tables import home_label
from calculator.storage.records import Revision, SavedScenario

SIDE_BY_SIDE_COLUMNS = [
    "scenario",
    "place",
    "is_home",
    "currency",
    "total_low",
    "total_mid",
    "total_high",
    "savings_low",
    "savings_mid",
    "savings_high",
    "savings_pct_mid",
]


def records_frame(records: Sequence[SavedScenario]) -> pd.DataFrame:
    """One row per saved scenario: name, client, revisions, updated and created (UTC), summary, deleted."""
    return pd.DataFrame(
        [
            {
                "Name": r.name,
                "Client": r.client,
                "Revisions": r.revision,
                "Updated (UTC)": r.updated,
                "Created (UTC)": r.created,
                "Summary": r.summary,
                "Deleted (UTC)": r.deleted,
            }
            for r in records
        ],
        columns=["Name", "Client", "Revisions", "Updated (UTC)", "Created (UTC)", "Summary", "Deleted (UTC)"],
    )


def history_frame(revisions: Sequence[Revision]) -> pd.DataFrame:
    """One row per revision, newest first: number, time saved (UTC), note, summary."""
    return pd.DataFrame(
        [
            {"Revision": r.number, "Saved (UTC)": r.saved, "Note": r.note, "Summary": r.summary}
            for r in reversed(revisions)
        ],
        columns=["Revision", "Saved (UTC)", "Note", "Summary"],
    )


def scenarios_frame(comparisons: Sequence[tuple[str, Comparison]]) -> pd.DataFrame:
    """One row per (saved scenario, home or destination): total and savings low / mid / high, in its currency.

    ``comparisons`` pairs a label for each scenario with ``calculator.model.compare.compare`` of it. Home rows
    have no savings (NaN). ``savings_pct_mid`` is the mid savings in percent of home's mid total.
    """
    rows = []
    for label, c in comparisons:
        cur = c.rate.currency
        t = c.home.total
        rows.append(
            {
                "scenario": label,
                "place": home_label(c),
                "is_home": True,
                "currency": cur,
                "total_low": float(t.low),
                "total_mid": float(t.mid),
                "total_high": float(t.high),
            }
        )
        for d in c.destinations:
            rows.append(
                {
                    "scenario": label,
                    "place": d.label,
                    "is_home": False,
                    "currency": cur,
                    "total_low": float(d.total.low),
                    "total_mid": float(d.total.mid),
                    "total_high": float(d.total.high),
                    "savings_low": float(d.savings.low),
                    "savings_mid": float(d.savings.mid),
                    "savings_high": float(d.savings.high),
                    "savings_pct_mid": float(d.savings_pct[1]),
                }
            )
    return pd.DataFrame(rows, columns=SIDE_BY_SIDE_COLUMNS)


def scenarios_display(frame: pd.DataFrame) -> pd.DataFrame:
    """``scenarios_frame`` as text for a page: each figure with its currency; savings worst to best."""
    out = []
    for row in frame.itertuples(index=False):
        cur = row.currency
        home = bool(row.is_home)
        out.append(
            {
                "Scenario": row.scenario,
                "Where": row.place,
                "Total, mid": money(row.total_mid, cur),
                "Total, low to high": money_range(Span(row.total_low, row.total_high), cur),
                "You save, mid": "" if home else money(row.savings_mid, cur),
                "You save, worst to best": "" if home else money_range(Span(row.savings_low, row.savings_high), cur),
                "You save, mid (%)": "" if home else percent(row.savings_pct_mid),
            }
        )
    columns = [
        "Scenario",
        "Where",
        "Total, mid",
        "Total, low to high",
        "You save, mid",
        "You save, worst to best",
        "You save, mid (%)",
    ]
    return pd.DataFrame(out, columns=columns)


def export_file_name(scenario_name: str, limit: int = 60) -> str:
    """A safe file name for a scenario's JSON export, e.g. ``"Client A: Mexico" -> "Client-A-Mexico.json"``.

    Letters, digits, ``-`` and ``_`` are kept; every other run of characters becomes one ``-``.
    """
    stem = re.sub(r"[^A-Za-z0-9_]+", "-", scenario_name).strip("-")[:limit].strip("-")
    return f"{stem or 'scenario'}.json"
