"""Warnings as data: one small rule per code (DESIGN.md section 4).

Each rule takes what it needs and returns the alerts it finds. ``SCENARIO_RULES``
run once per scenario (their alerts concern the treatment, the stay or the home
baseline); ``DESTINATION_RULES`` run once per destination. Find a warning's rule by
searching for its code.
"""

from __future__ import annotations

from collections.abc import Callable

from calculator.model import diligence
from calculator.model.alert import Alert
from calculator.model.costs import contingency, stated_savings_mismatch
from calculator.model.data import DataBundle, PriceRow
from calculator.model.formatting import money_range, percent, percent_range
from calculator.model.fx import rate_for
from calculator.model.inputs import DestinationInputs
from calculator.model.results import PART_LABELS, DestinationResult, contingency_base
from calculator.model.scenario import Scenario, Stay
from calculator.model.sources import USER_INPUT, SourceKind
from calculator.model.span import Span
from calculator.model.timeline import ASPS_FLYING, FLYING_GUIDANCE_DAYS, VENDOR, short_recovery_days


def _vendor_price(row: PriceRow, subject: str, whose: str) -> list[Alert]:
    """vendor_claim_price and open_ended_high for a cited price row."""
    alerts = []
    if row.source_kind == SourceKind.VENDOR_CLAIM:
        alerts.append(
            Alert(
                "vendor_claim_price",
                "warning",
                f"{whose} procedure price is a broker's marketing estimate "
                f"(USD {row.price_low:,.0f} – {row.price_high:,.0f}{'+' if row.high_open else ''}), "
                "not a verified quote. Per session is our assumption: the broker says prices vary with the "
                "number of sessions and that scar revision usually falls in the lower-to-mid range. "
                "Ask clinics for an itemised written quote.",
                (row.source_id, "assumption_price_per_session"),
                subject,
            )
        )
    if row.high_open:
        alerts.append(
            Alert(
                "open_ended_high",
                "info",
                f"{whose} price range is open at the top (“USD {row.price_high:,.0f}+”): the high case "
                "may be higher still, so the best-case saving may be larger than shown.",
                (row.source_id,),
                subject,
            )
        )
    return alerts


def experimental_treatment(scenario: Scenario, data: DataBundle) -> list[Alert]:
    """``experimental_treatment``: the treatment's evidence is preliminary or unapproved."""
    info = data.procedure_info[scenario.procedure]
    if info.evidence_status != "experimental":
        return []
    return [
        Alert(
            "experimental_treatment",
            "critical",
            f"{info.name} is experimental. {info.evidence_summary}",
            info.sources,
            "treatment",
        )
    ]


def home_vendor_price(scenario: Scenario, data: DataBundle) -> list[Alert]:
    """``vendor_claim_price`` / ``open_ended_high`` for the home baseline's cited price (none with a home quote)."""
    if scenario.home_quote is not None:
        return []
    row = data.prices[(scenario.procedure, scenario.home)]
    return _vendor_price(row, "home.procedure", f"The home ({row.region_name})")


def destination_vendor_price(
    scenario: Scenario, data: DataBundle, inputs: DestinationInputs, result: DestinationResult
) -> list[Alert]:
    """``vendor_claim_price`` / ``open_ended_high`` when the total uses the cited price, not a quote."""
    if inputs.price.from_quote:
        return []
    return _vendor_price(inputs.price.row, "procedure", f"{result.name}:")


def stated_savings_excludes_travel(
    scenario: Scenario, data: DataBundle, inputs: DestinationInputs, result: DestinationResult
) -> list[Alert]:
    """``stated_savings_excludes_travel``: the vendor's savings compare the procedure alone."""
    row = inputs.price.row
    if row.stated_savings_pct is None or row.stated_savings_basis != "procedure_only":
        return []
    currency = scenario.currency
    low, mid, high = result.savings_pct
    missing = [PART_LABELS[name].lower() for name, part in result.parts.items() if part.value is None]
    trip = (
        f"With the parts of the trip entered ({', '.join(missing)} not included yet)"
        if missing
        else "With the whole trip"
    )
    return [
        Alert(
            "stated_savings_excludes_travel",
            "warning",
            f"The broker says {result.name} saves {percent_range(*row.stated_savings_pct)}, on the procedure "
            f"alone. {trip} the saving is {money_range(result.savings, currency)} "
            f"({percent(low)} to {percent(high)}, mid {percent(mid)}).",
            (row.source_id,),
            "savings",
        )
    ]


def stated_savings_check(
    scenario: Scenario, data: DataBundle, inputs: DestinationInputs, result: DestinationResult
) -> list[Alert]:
    """``stated_savings_mismatch``: stated savings more than 5 points off the cited prices' own."""
    stated, cited = result.stated_savings_pct, result.procedure_only_savings_pct
    if stated is None or not stated_savings_mismatch(stated, cited):
        return []
    return [
        Alert(
            "stated_savings_mismatch",
            "warning",
            f"The broker's stated saving for {result.name} ({percent_range(*stated)}) does not match its own "
            f"prices, which give {percent(cited[0])} to {percent(cited[1])} on the procedure alone.",
            (inputs.price.row.source_id,),
            "savings",
        )
    ]


_MISSING_HINTS = {
    "flights": "enter a return fare per traveller",
    "lodging": "enter a lodging cost per night",
    "daily": "enter a daily cost per traveller",
    "follow_up": "enter the fare, lodging and daily costs it needs",
}


def missing_input(
    scenario: Scenario, data: DataBundle, inputs: DestinationInputs, result: DestinationResult
) -> list[Alert]:
    """``missing_input``: one alert per part left out of the total for lack of an input."""
    return [
        Alert(
            "missing_input",
            "warning",
            f"{result.name}: {PART_LABELS[name].lower()} left out of the total ({_MISSING_HINTS[name]}).",
            part.sources,
            name,
        )
        for name, part in result.parts.items()
        if part.value is None
    ]


def short_stay_before_flying(scenario: Scenario, data: DataBundle) -> list[Alert]:
    """``short_stay_before_flying``: the shortest plan flies home fewer than 7 days after the procedure.

    7 days is the low end of the 7-10 days the CDC Yellow Book quotes from the American Society
    of Plastic Surgeons for flying after cosmetic procedures of the face or laser treatment.
    """
    days = short_recovery_days(scenario.stay)
    low, high = FLYING_GUIDANCE_DAYS
    if days >= low:
        return []
    broker = Stay().recovery_days
    return [
        Alert(
            "short_stay_before_flying",
            "warning",
            f"The shortest plan leaves {days} day{'s' if days != 1 else ''} of recovery between the procedure and "
            "the flight home. Guidance on "
            f"flying after cosmetic procedures of the face or laser treatment is to wait {low}-{high} days "
            "(American Society of Plastic Surgeons, quoted by the CDC Yellow Book; not specific to this treatment). "
            f"The broker's {broker[0]}-{broker[1]} days of local recovery come from a vendor, not from medical "
            "guidance: ask your doctor, and budget the longer stay.",
            (ASPS_FLYING, VENDOR),
            "stay",
        )
    ]


def checklist_unverified(
    scenario: Scenario, data: DataBundle, inputs: DestinationInputs, result: DestinationResult
) -> list[Alert]:
    """``unverified_checklist_item``: items the clinic only claims."""
    answers = diligence.answers_for(scenario, data, result.id, inputs.quote)
    return diligence.unverified_items(result.label, data.checklist, answers)


def checklist_critical(
    scenario: Scenario, data: DataBundle, inputs: DestinationInputs, result: DestinationResult
) -> list[Alert]:
    """``critical_item_not_verified``: critical items unknown, no or only claimed."""
    return diligence.critical_not_verified(
        result.label, data.checklist, diligence.answers_for(scenario, data, result.id, inputs.quote)
    )


def checklist_package(
    scenario: Scenario, data: DataBundle, inputs: DestinationInputs, result: DestinationResult
) -> list[Alert]:
    """``package_inclusions_unverified``: no confirmed itemised quote, with the effect of a reserve.

    The figure is what the reserve adds on top of the scenario's own contingency: (15% - contingency_pct) of the
    contingency base, e.g. 5 points of it at a 10% contingency (nothing once the contingency is 15% or more).
    """
    extra_pct = max(diligence.HIDDEN_COST_PCT - scenario.contingency_pct, 0.0)
    reserve = contingency(extra_pct, contingency_base(result.parts))
    return diligence.package_inclusions(
        result.label,
        data.checklist,
        diligence.answers_for(scenario, data, result.id, inputs.quote),
        (float(reserve.low), float(reserve.high)),
        scenario.currency,
        scenario.contingency_pct,
    )


def quote_outside_range(
    scenario: Scenario, data: DataBundle, inputs: DestinationInputs, result: DestinationResult
) -> list[Alert]:
    """``quote_outside_range``: the user's quote lies below or above the cited range (converted)."""
    if not inputs.price.from_quote:
        return []
    row = inputs.price.row
    cited = Span(row.price_low, row.price_high) * rate_for(scenario, data).per_usd
    quote = inputs.price.per_session
    cur = scenario.currency
    clinic = result.clinic
    whose = f"The quote from {clinic}" if clinic else "Your quote"
    if quote.low < cited.low and quote.high > cited.high:
        detail = (
            "below the cited range at the low end and above it at the high end: ask for an itemised written "
            "quote that says what each end includes."
        )
    elif quote.low < cited.low:
        detail = "below the cited range: ask in writing what it leaves out (harvest, lab processing, tests, follow-up)."
    elif quote.high > cited.high:
        detail = "above the cited range: ask for an itemised quote and compare it with other clinics."
    else:
        return []
    return [
        Alert(
            "quote_outside_range",
            "warning",
            f"{result.name}: {whose} ({money_range(quote, cur)} per session) is {detail} "
            f"The broker's range is {money_range(cited, cur)}.",
            (USER_INPUT, row.source_id),
            "procedure",
        )
    ]


def package_item_unpriced(
    scenario: Scenario, data: DataBundle, inputs: DestinationInputs, result: DestinationResult
) -> list[Alert]:
    """``package_item_unpriced``: the clinic's quote leaves out package items and no price is given for them."""
    if not inputs.unpriced:
        return []
    items = {i.id: i for i in data.package_items}
    labels = [items[i].label.lower() for i in inputs.unpriced]
    named = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
    clinic = result.clinic or "the clinic"
    sources = tuple(dict.fromkeys(s for i in inputs.unpriced for s in items[i].sources))
    return [
        Alert(
            "package_item_unpriced",
            "warning",
            f"{result.label}: the quote leaves out {named}, with no price given, so the total is incomplete: "
            f"ask {clinic} the price of {named}.",
            (USER_INPUT, *sources),
            "procedure",
        )
    ]


def _restrictions(region_id: str, data: DataBundle, subject: str) -> list[Alert]:
    row = next(r for (_, reg), r in data.prices.items() if reg == region_id)
    return [
        Alert(
            "regulatory_restriction",
            "critical",
            f"{rule.name} ({rule.regulator}, {rule.rule}, as of {rule.as_of}): {rule.summary}",
            rule.sources,
            subject,
        )
        for country in row.countries
        if (rule := data.regulation.get(country)) is not None and rule.restricts_this_use
    ]


def regulatory_restriction(
    scenario: Scenario, data: DataBundle, inputs: DestinationInputs, result: DestinationResult
) -> list[Alert]:
    """``regulatory_restriction``: a country of the destination restricts this use of stem cells."""
    return _restrictions(result.id, data, "regulation")


def home_regulatory_restriction(scenario: Scenario, data: DataBundle) -> list[Alert]:
    """``regulatory_restriction`` for the home baseline's countries (e.g. the U.S. FDA)."""
    return _restrictions(scenario.home, data, "home.regulation")


ScenarioRule = Callable[[Scenario, DataBundle], list[Alert]]
DestinationRule = Callable[[Scenario, DataBundle, DestinationInputs, DestinationResult], list[Alert]]

SCENARIO_RULES: tuple[ScenarioRule, ...] = (
    experimental_treatment,
    home_vendor_price,
    short_stay_before_flying,
    home_regulatory_restriction,
)
DESTINATION_RULES: tuple[DestinationRule, ...] = (
    destination_vendor_price,
    stated_savings_excludes_travel,
    stated_savings_check,
    missing_input,
    package_item_unpriced,
    quote_outside_range,
    regulatory_restriction,
    checklist_critical,
    checklist_unverified,
    checklist_package,
)


def scenario_alerts(scenario: Scenario, data: DataBundle) -> list[Alert]:
    """Alerts about the treatment, the stay and the home baseline."""
    return [alert for rule in SCENARIO_RULES for alert in rule(scenario, data)]


def destination_alerts(
    scenario: Scenario, data: DataBundle, inputs: DestinationInputs, result: DestinationResult
) -> list[Alert]:
    """Alerts about one destination."""
    return [alert for rule in DESTINATION_RULES for alert in rule(scenario, data, inputs, result)]


DILIGENCE_CODES = frozenset(
    {
        "unverified_checklist_item",
        "critical_item_not_verified",
        "package_inclusions_unverified",
        "regulatory_restriction",
    }
)
"""Warnings about the clinic and the regulator rather than a figure: pages may group them apart."""


def split_by_topic(alerts: list[Alert] | tuple[Alert, ...]) -> tuple[list[Alert], list[Alert]]:
    """(warnings about figures and the treatment, warnings about checks and regulation), order kept."""
    figures = [a for a in alerts if a.code not in DILIGENCE_CODES]
    return figures, [a for a in alerts if a.code in DILIGENCE_CODES]
