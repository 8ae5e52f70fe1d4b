"""Warnings as data: one small rule per code (DESIGN.md section 4).

Each rule takes what it needs and returns the alerts it finds. ``SCENARIO_RULES``
run once per scenario (their alerts concern the treatment, the stay or the home
baseline); ``DESTINATION_RULES`` run once per destination. Find a warning's rule by
searching for its code.
"""

from __future__ import annotations

from collections.abc import Callable

from calculator.costs import stated_savings_mismatch
from calculator.data import DataBundle, PriceRow
from calculator.formatting import money_range, percent, percent_range
from calculator.inputs import DestinationInputs
from calculator.results import PART_LABELS, Alert, DestinationResult
from calculator.scenario import Scenario
from calculator.sources import SourceKind


def _vendor_price(row: PriceRow, subject: str, whose: str) -> list[Alert]:
    """vendor_claim_price and open_ended_high for a cited price row."""
    alerts = []
    if row.source_kind == SourceKind.VENDOR_CLAIM:
        alerts.append(
            Alert(
                "vendor_claim_price",
                "warning",
                f"{whose} procedure price is a broker's marketing estimate "
                f"(USD {row.price_low:,.0f} – {row.price_high:,.0f}{'+' if row.high_open else ''} per session), "
                "not a verified quote. Ask clinics for an itemised written quote.",
                (row.source_id,),
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
    """``vendor_claim_price`` / ``open_ended_high`` for the home baseline's cited price."""
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
    return [
        Alert(
            "stated_savings_excludes_travel",
            "warning",
            f"The broker says {result.name} saves {percent_range(*row.stated_savings_pct)}, on the procedure "
            f"alone. With the whole trip the saving is {money_range(result.savings, currency)} "
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


ScenarioRule = Callable[[Scenario, DataBundle], list[Alert]]
DestinationRule = Callable[[Scenario, DataBundle, DestinationInputs, DestinationResult], list[Alert]]

SCENARIO_RULES: tuple[ScenarioRule, ...] = (experimental_treatment, home_vendor_price)
DESTINATION_RULES: tuple[DestinationRule, ...] = (
    destination_vendor_price,
    stated_savings_excludes_travel,
    stated_savings_check,
    missing_input,
)


def scenario_alerts(scenario: Scenario, data: DataBundle) -> list[Alert]:
    """Alerts about the treatment, the stay and the home baseline."""
    return [alert for rule in SCENARIO_RULES for alert in rule(scenario, data)]


def destination_alerts(
    scenario: Scenario, data: DataBundle, inputs: DestinationInputs, result: DestinationResult
) -> list[Alert]:
    """Alerts about one destination."""
    return [alert for rule in DESTINATION_RULES for alert in rule(scenario, data, inputs, result)]
