"""Due diligence: checklist answers per destination, a summary with a readiness level, and their warnings.

An unanswered item is ``unknown`` (DESIGN.md section 5). Readiness is set by one rule,
shown to the user as ``READINESS_RULE``:

- ``critical_gaps``: a critical item is not verified (it is unknown, no, or only claimed);
- ``checks_outstanding``: every critical item is verified, but an important one is not;
- ``checks_done``: every critical and important item is verified or not applicable.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from calculator.model.alert import Alert
from calculator.model.data import ChecklistItem, DataBundle
from calculator.model.scenario import Answer, Quote, Scenario

ANSWERS: tuple[Answer, ...] = ("verified", "claimed", "no", "unknown", "not_applicable")
ANSWER_LABELS = {
    "verified": "Verified",
    "claimed": "Claimed (unverified)",
    "no": "No",
    "unknown": "Unknown",
    "not_applicable": "Not applicable",
}
DONE: frozenset[str] = frozenset({"verified", "not_applicable"})
Readiness = Literal["critical_gaps", "checks_outstanding", "checks_done"]
READINESS_LABELS: dict[Readiness, str] = {
    "critical_gaps": "Critical gaps",
    "checks_outstanding": "Checks outstanding",
    "checks_done": "Checks done",
}
READINESS_RULE = (
    "Critical gaps: a critical item is unknown, no, or only claimed. "
    "Checks outstanding: every critical item is verified, but an important one is not. "
    "Checks done: every critical and important item is verified or not applicable."
)
PACKAGE_ITEM = "itemised_quote"
HIDDEN_COST_PCT = 15.0
"""The contingency suggested when a quote's inclusions are unconfirmed: the middle of the 10-30% reserve
seen on consumer pages (a convention, source ``consumer_cost_conventions``), shown as an assumption."""


def answers_for(
    scenario: Scenario, data: DataBundle, destination: str, quote: Quote | None = None
) -> dict[str, Answer]:
    """Every checklist item's answer for a destination, or for one clinic's quote there.

    A clinic's own answers (``quote.checklist``) override the destination's; ``unknown`` where neither answers.
    """
    given = {**scenario.checklist.get(destination, {}), **(quote.checklist if quote else {})}
    return {item.id: given.get(item.id, "unknown") for item in data.checklist}


@dataclass(frozen=True)
class DiligenceSummary:
    """What a destination's clinic has shown: counts per answer, critical gaps, readiness."""

    counts: dict[str, int]
    critical_gaps: tuple[str, ...]
    claimed: tuple[str, ...]
    readiness: Readiness

    @property
    def verified(self) -> int:
        """Items verified."""
        return self.counts["verified"]

    def short_headline(self) -> str:
        """E.g. 'Critical gaps (0/17 verified)': short enough for a table cell."""
        return f"{READINESS_LABELS[self.readiness]} ({self.verified}/{sum(self.counts.values())} verified)"

    def headline(self) -> str:
        """E.g. 'Critical gaps: 2 of 17 verified, 4 critical not verified'."""
        text = f"{READINESS_LABELS[self.readiness]}: {self.verified} of {sum(self.counts.values())} verified"
        if self.critical_gaps:
            text += f", {len(self.critical_gaps)} critical not verified"
        return text


def summarise(items: tuple[ChecklistItem, ...], answers: dict[str, Answer]) -> DiligenceSummary:
    """Counts, critical gaps and the readiness level (rule in this module's docstring)."""
    counts = Counter(answers[i.id] for i in items)
    critical_gaps = tuple(i.id for i in items if i.severity == "critical" and answers[i.id] not in DONE)
    important_open = any(i.severity == "important" and answers[i.id] not in DONE for i in items)
    if critical_gaps:
        readiness: Readiness = "critical_gaps"
    elif important_open:
        readiness = "checks_outstanding"
    else:
        readiness = "checks_done"
    claimed = tuple(i.id for i in items if answers[i.id] == "claimed")
    return DiligenceSummary({a: counts.get(a, 0) for a in ANSWERS}, critical_gaps, claimed, readiness)


def unverified_items(name: str, items: tuple[ChecklistItem, ...], answers: dict[str, Answer]) -> list[Alert]:
    """``unverified_checklist_item``: one alert per item that is only claimed, naming it and how to check it."""
    return [
        Alert(
            "unverified_checklist_item",
            "warning",
            f"{name}: “{item.label}” is only claimed, not verified. How to verify: {item.how_to_verify}",
            item.sources,
            f"checklist.{item.id}",
        )
        for item in items
        if answers[item.id] == "claimed"
    ]


def critical_not_verified(name: str, items: tuple[ChecklistItem, ...], answers: dict[str, Answer]) -> list[Alert]:
    """``critical_item_not_verified``: one alert listing the critical items that are unknown, no or claimed."""
    gaps = [i for i in items if i.severity == "critical" and answers[i.id] not in DONE]
    if not gaps:
        return []
    listed = "; ".join(f"{i.label} ({ANSWER_LABELS[answers[i.id]].lower()})" for i in gaps)
    sources = tuple(dict.fromkeys(s for i in gaps for s in i.sources))
    return [
        Alert(
            "critical_item_not_verified",
            "critical",
            f"{name}: {len(gaps)} critical check{'s' if len(gaps) != 1 else ''} not verified: {listed}.",
            sources,
            "checklist",
        )
    ]


def package_inclusions(
    name: str,
    items: tuple[ChecklistItem, ...],
    answers: dict[str, Answer],
    reserve: tuple[float, float],
    currency: str,
    contingency_pct: float,
) -> list[Alert]:
    """``package_inclusions_unverified``: the quote's inclusions are not confirmed (hidden-cost risk).

    ``reserve`` is what the suggested contingency (HIDDEN_COST_PCT of procedure and travel) adds on top of the
    scenario's own ``contingency_pct``, low and high.
    """
    item = next((i for i in items if i.id == PACKAGE_ITEM), None)
    if item is None or answers[item.id] in DONE:
        return []
    if contingency_pct >= HIDDEN_COST_PCT:
        effect = f"Your contingency of {contingency_pct:g}% covers a reserve of that size."
    elif contingency_pct > 0:
        effect = (
            f"Raising your contingency from {contingency_pct:g}% to {HIDDEN_COST_PCT:g}% (a convention, not evidence) "
            f"would add {currency} {reserve[0]:,.0f} to {reserve[1]:,.0f} to this total."
        )
    else:
        effect = (
            f"A {HIDDEN_COST_PCT:g}% contingency (a convention, not evidence) would add {currency} "
            f"{reserve[0]:,.0f} to {reserve[1]:,.0f} to this total."
        )
    return [
        Alert(
            "package_inclusions_unverified",
            "warning",
            f"{name}: the quote's inclusions are {ANSWER_LABELS[answers[item.id]].lower()}, not confirmed in an "
            "itemised written quote. Hidden costs (anaesthetist, pre-op tests, extra nights, medicines, "
            f"complications) can eat the saving. {effect}",
            (*item.sources, "consumer_cost_conventions"),
            "checklist.itemised_quote",
        )
    ]
