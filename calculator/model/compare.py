"""Assemble the comparison: home against each destination, part by part, then the warnings."""

from __future__ import annotations

from dataclasses import replace

from calculator.model import costs, diligence
from calculator.model.alerts import destination_alerts, scenario_alerts
from calculator.model.data import DataBundle
from calculator.model.fx import rate_for
from calculator.model.inputs import (
    DestinationInputs,
    PriceInput,
    destination_columns,
    destination_inputs,
    home_price,
)
from calculator.model.results import Comparison, DestinationResult, HomeResult, Part, contingency_base
from calculator.model.scenario import Scenario
from calculator.model.sources import USER_INPUT
from calculator.model.span import Span


def _user(value: float) -> tuple[str, ...]:
    return (USER_INPUT,) if value else ()


def home_result(scenario: Scenario, data: DataBundle, price: PriceInput) -> HomeResult:
    """Home: procedure + lost income over procedure_days + recovery_days (no travel, no contingency)."""
    row = price.row
    days = scenario.stay.span("procedure_days") + scenario.stay.span("recovery_days")
    parts = {
        "procedure": Part(costs.procedure(price.per_session, scenario.sessions), price.sources),
        "lost_income": Part(costs.lost_income(scenario.lost_income_per_day, days), _user(scenario.lost_income_per_day)),
    }
    total = costs.total([p.value for p in parts.values()])
    return HomeResult(row.region_id, row.region_name, parts, total, price.open_high)


def destination_parts(scenario: Scenario, inputs: DestinationInputs, stay_days: Span) -> dict[str, Part]:
    """Each component of one destination's trip; a part whose input is missing has value None."""
    s = scenario
    fare, lodging, daily = inputs.fare, inputs.lodging, inputs.daily
    travel_sources = tuple(dict.fromkeys(fare.sources + lodging.sources + daily.sources))
    parts = {
        "procedure": Part(costs.procedure(inputs.price.per_session, s.sessions), inputs.price.sources),
        "flights": Part(None if fare.value is None else costs.flights(fare.value, s.travellers), fare.sources),
        "lodging": Part(
            None
            if lodging.value is None
            else costs.lodging(lodging.value, s.rooms, costs.paid_nights(stay_days, inputs.lodging_nights_included)),
            lodging.sources,
        ),
        "daily": Part(
            None if daily.value is None else costs.daily(daily.value, s.travellers, stay_days), daily.sources
        ),
    }
    if s.follow_up_trips == 0:
        parts["follow_up"] = Part(Span(0.0, 0.0), ())
    elif None in (fare.value, lodging.value, daily.value):
        parts["follow_up"] = Part(None, travel_sources)
    else:
        value = costs.follow_up(
            s.follow_up_trips, fare.value, lodging.value, daily.value, s.travellers, s.rooms, s.follow_up_nights
        )
        parts["follow_up"] = Part(value, (USER_INPUT, *travel_sources))
    parts["contingency"] = Part(costs.contingency(s.contingency_pct, contingency_base(parts)), _user(s.contingency_pct))
    parts["insurance"] = Part(Span.of(float(s.insurance)), _user(s.insurance))
    away = stay_days + s.stay.span("travel_days")
    parts["lost_income"] = Part(costs.lost_income(s.lost_income_per_day, away), _user(s.lost_income_per_day))
    return parts


def destination_result(
    scenario: Scenario, data: DataBundle, inputs: DestinationInputs, home: HomeResult, stay_days: Span
) -> DestinationResult:
    """One destination's parts, total, savings and the procedure-only check of stated savings."""
    parts = destination_parts(scenario, inputs, stay_days)
    total = costs.total([p.value for p in parts.values() if p.value is not None])
    saved = costs.savings(home.total, total)
    row = inputs.price.row
    home_row = data.prices[(scenario.procedure, scenario.home)]
    cited = costs.procedure_only_savings_pct(
        Span(row.price_low, row.price_high), Span(home_row.price_low, home_row.price_high)
    )
    return DestinationResult(
        id=row.region_id,
        name=row.region_name,
        city=inputs.city.city if inputs.city else None,
        parts=parts,
        total=total,
        savings=saved,
        savings_pct=costs.savings_pct(saved, home.total),
        stated_savings_pct=row.stated_savings_pct,
        procedure_only_savings_pct=cited,
        open_high=inputs.price.open_high,
        quote=inputs.quote,
        unpriced=inputs.unpriced,
    )


def compare(scenario: Scenario, data: DataBundle) -> Comparison:
    """The whole comparison for a validated scenario, warnings included: one column per clinic quote."""
    rate = rate_for(scenario, data)
    stay_days = scenario.stay.stay_days
    price = home_price(scenario, data, rate)
    home = home_result(scenario, data, price)
    results, references = [], []
    for dest in scenario.destinations:
        for inputs in destination_columns(scenario, data, rate, dest):
            result = destination_result(scenario, data, inputs, home, stay_days)
            alerts = tuple(destination_alerts(scenario, data, inputs, result))
            answers = diligence.answers_for(scenario, data, dest, inputs.quote)
            results.append(replace(result, alerts=alerts, diligence=diligence.summarise(data.checklist, answers)))
        if scenario.clinic_quotes(dest):
            cited = destination_inputs(scenario, data, rate, dest)
            references.append(destination_result(scenario, data, cited, home, stay_days))
    scenario_wide = tuple(scenario_alerts(scenario, data))
    return Comparison(scenario, rate, stay_days, home, tuple(results), scenario_wide, tuple(references))
