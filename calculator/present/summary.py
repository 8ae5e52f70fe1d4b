"""The answer first: per destination, the whole trip and the saving in a few plain lines.

The Compare page's summary cards and the report's first page read these texts, so that both say
the same thing in the same words: the whole-trip range and mid, the saving range and mid (a worst
case below zero said plainly), readiness, how many critical and vendor-claim warnings stand behind
the figures, and which parts are missing from the total.
"""

from __future__ import annotations

from dataclasses import dataclass

from calculator.model.alert import Alert
from calculator.model.formatting import amount, money, money_range, percent
from calculator.model.results import PART_LABELS, Comparison, DestinationResult, HomeResult
from calculator.model.span import Span

VENDOR_CLAIM_CODES = frozenset(
    {
        "vendor_claim_price",
        "open_ended_high",
        "stated_savings_excludes_travel",
        "stated_savings_mismatch",
        "package_inclusions_unverified",
    }
)
"""Warnings that say a figure rests on a vendor's unverified claim."""

MISSING_REASONS = {
    "flights": "no fare",
    "lodging": "no lodging rate",
    "daily": "no daily rate",
    "follow_up": "a fare, lodging or daily rate is missing",
}


@dataclass(frozen=True)
class DestinationSummary:
    """One destination's answer as short texts (money already formatted in the comparison's currency)."""

    id: str
    title: str
    total_mid: str
    total_range: str
    saving_mid: str
    saving_pct_mid: str
    saving_range: str
    costs_more: str | None
    readiness: str
    warnings: str
    missing: str | None
    critical: int
    vendor_claims: int
    deposit: str | None = None
    """The clinic's deposit, money at risk if the trip is cancelled (not in the total), e.g. 'Deposit USD 500,
    non-refundable: at risk if the trip is cancelled (not in the total)'."""


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    """E.g. ``plural(1, "destination") == "1 destination"``, ``plural(3, "destination") == "3 destinations"``."""
    return f"{count} {word if count == 1 else (plural_form or word + 's')}"


def range_text(span: Span, currency: str, open_high: bool = False) -> str:
    """A money range with the broker's open "+" on its high end when it has one."""
    return money_range(span, currency) + ("+" if open_high else "")


def warning_counts(alerts: tuple[Alert, ...] | list[Alert]) -> tuple[int, int]:
    """(critical warnings, vendor-claim warnings) among ``alerts``."""
    critical = sum(a.severity == "critical" for a in alerts)
    return critical, sum(a.code in VENDOR_CLAIM_CODES for a in alerts)


def missing_text(dest: DestinationResult, item_labels: dict[str, str] | None = None) -> str | None:
    """E.g. 'Flights not included: no fare', or None when every part is in the total.

    A clinic's package items left out with no price are named too ('Not priced: consultation, follow-up visits').
    """
    missing = [name for name, part in dest.parts.items() if part.value is None]
    texts = [
        f"{PART_LABELS[name]} not included: {MISSING_REASONS.get(name, 'an input is missing')}" for name in missing
    ]
    if dest.unpriced:
        labels = item_labels or {}
        texts.append("Not priced (total incomplete): " + ", ".join(labels.get(i, i).lower() for i in dest.unpriced))
    return "; ".join(texts) or None


def deposit_line(dest: DestinationResult, currency: str) -> str | None:
    """The clinic's deposit as money at risk (never added to the total); None without one."""
    quote = dest.quote
    if quote is None or quote.deposit is None:
        return None
    return (
        f"Deposit {money(quote.deposit, currency)}, {quote.deposit_terms}: at risk if the trip is cancelled "
        "(not in the total)"
    )


def _costs_more(dest: DestinationResult, currency: str) -> str | None:
    if dest.savings.high < 0:
        return f"Costs more than home in every case: at least {money(-dest.savings.high, currency)} more."
    if dest.savings.low < 0:
        return f"Could cost you more: in the worst case {money(-dest.savings.low, currency)} more than home."
    return None


def destination_summary(
    dest: DestinationResult, comparison: Comparison, item_labels: dict[str, str] | None = None
) -> DestinationSummary:
    """The card texts for one destination or clinic (see the module docstring)."""
    cur = comparison.rate.currency
    critical, vendor = warning_counts(dest.alerts)
    home_open = comparison.home.open_high
    return DestinationSummary(
        id=dest.id,
        title=dest.label + (f" ({dest.city})" if dest.city else ""),
        total_mid=money(dest.total.mid, cur),
        total_range=range_text(dest.total, cur, dest.open_high),
        saving_mid=money(dest.savings.mid, cur),
        saving_pct_mid=percent(dest.savings_pct[1]),
        saving_range=f"worst {money(dest.savings.low, cur)}, best {amount(dest.savings.high)}"
        + ("+" if home_open else ""),
        costs_more=_costs_more(dest, cur),
        readiness=dest.diligence.headline() if dest.diligence else "",
        warnings=f"{plural(critical, 'critical warning')} · {plural(vendor, 'vendor-claim warning')}",
        missing=missing_text(dest, item_labels),
        critical=critical,
        vendor_claims=vendor,
        deposit=deposit_line(dest, cur),
    )


def destination_summaries(
    comparison: Comparison, item_labels: dict[str, str] | None = None
) -> list[DestinationSummary]:
    """One summary per destination column (each clinic its own), in the scenario's order."""
    return [destination_summary(d, comparison, item_labels) for d in comparison.destinations]


def home_line(home: HomeResult, currency: str, from_quote: bool) -> str:
    """E.g. 'Home (United States / Western Europe): USD 15,000 to 25,000+, the broker's estimate'."""
    basis = "your written quote" if from_quote else "the broker's unverified estimate"
    return f"Home ({home.name}): {range_text(home.total, currency, home.open_high)}, {basis}"


def title(comparison: Comparison) -> str:
    """The page's short title, e.g. 'Home vs 3 destinations'."""
    dests = len({d.id for d in comparison.destinations})
    clinics = sum(d.quote is not None for d in comparison.destinations)
    text = f"Home vs {plural(dests, 'destination')}"
    return text + (f" ({plural(clinics, 'clinic quote')})" if clinics > 1 else "")


WARNING_TITLES = {
    "experimental_treatment": "The treatment is experimental",
    "vendor_claim_price": "The price is the broker's estimate, not a quote",
    "open_ended_high": "The price range is open at the top",
    "stated_savings_excludes_travel": "The broker's saving leaves out the trip",
    "stated_savings_mismatch": "The broker's saving disagrees with its own prices",
    "missing_input": "A part of the total is missing",
    "short_stay_before_flying": "The stay is shorter than guidance on flying",
    "unverified_checklist_item": "A check is only claimed, not verified",
    "critical_item_not_verified": "Critical checks are not verified",
    "package_inclusions_unverified": "What the quote includes is not confirmed",
    "regulatory_restriction": "A regulator restricts this treatment",
    "quote_outside_range": "Your quote lies outside the cited range",
    "package_item_unpriced": "The package leaves out an item with no price",
}
"""Each warning code as a short heading in words (the code itself is for small print)."""

_SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def warning_title(code: str) -> str:
    """A warning's heading in words, e.g. 'The treatment is experimental' (an unknown code in words too)."""
    return WARNING_TITLES.get(code, code.replace("_", " ").capitalize())


def top_warnings(alerts: tuple[Alert, ...] | list[Alert], limit: int = 3) -> list[str]:
    """The most severe warnings' headings, critical first, each heading once (e.g. two regulators: once)."""
    ranked = sorted(alerts, key=lambda a: _SEVERITY_ORDER.get(a.severity, 3))
    return list(dict.fromkeys(warning_title(a.code) for a in ranked))[:limit]


def bottom_line(comparison: Comparison) -> str:
    """The whole comparison in one paragraph: home, then each destination's mid total and mid saving."""
    cur = comparison.rate.currency
    parts = []
    for s in destination_summaries(comparison):
        saving = f"you save {s.saving_mid} ({s.saving_pct_mid}) in the mid case"
        parts.append(f"{s.title} costs {s.total_mid} for the whole trip in the mid case ({s.total_range}); {saving}")
    worst = [d.name for d in comparison.destinations if d.savings.low < 0]
    text = "; ".join(parts) + "."
    if worst:
        text += f" In the worst case {' and '.join(worst)} could cost more than home."
    home = home_line(comparison.home, cur, comparison.scenario.home_quote is not None)
    return f"{home}. {text[:1].upper()}{text[1:]} Every figure below says which parts rest on a vendor's claim."
