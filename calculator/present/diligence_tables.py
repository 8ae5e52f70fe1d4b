"""Due diligence as tables for the page and the exports (pandas is imported only where tables are needed)."""

from __future__ import annotations

import pandas as pd

from calculator.model.data import ChecklistItem
from calculator.model.diligence import READINESS_LABELS, DiligenceSummary
from calculator.model.scenario import Answer

CHECKLIST_COLUMNS = ("id", "item", "severity", "category", "answer", "note", "how_to_verify")


def checklist_frame(
    items: tuple[ChecklistItem, ...], answers: dict[str, Answer], notes: dict[str, str]
) -> pd.DataFrame:
    """One row per item: id, label, severity, category, answer, the user's evidence note, how to verify."""
    rows = [(i.id, i.label, i.severity, i.category, answers[i.id], notes.get(i.id, ""), i.how_to_verify) for i in items]
    return pd.DataFrame(rows, columns=list(CHECKLIST_COLUMNS))


def summary_frame(summaries: dict[str, DiligenceSummary], labels: dict[str, str]) -> pd.DataFrame:
    """One row per destination: readiness, counts per answer, critical gaps (by label)."""
    rows = []
    for dest, s in summaries.items():
        rows.append(
            {
                "Destination": labels[dest],
                "Readiness": READINESS_LABELS[s.readiness],
                "Verified": s.counts["verified"],
                "Claimed": s.counts["claimed"],
                "No": s.counts["no"],
                "Unknown": s.counts["unknown"],
                "Not applicable": s.counts["not_applicable"],
                "Critical not verified": len(s.critical_gaps),
                "Items": sum(s.counts.values()),
            }
        )
    return pd.DataFrame(rows)
