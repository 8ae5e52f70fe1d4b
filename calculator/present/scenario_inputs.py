"""A scenario's inputs in words, for the workbook's ``Scenario`` sheet and the report's first table.

:func:`input_rows` lists what the scenario was computed from (treatment, home, destinations,
currency, stay, travel, quotes, insurance, follow-ups, contingency, lost income, checklist
answers) as (what, value) pairs, money in the scenario's currency.
"""

from __future__ import annotations

from calculator.model.data import DataBundle
from calculator.model.diligence import ANSWER_LABELS
from calculator.model.formatting import money
from calculator.model.results import Comparison
from calculator.model.scenario import HOME_QUOTE


def days_text(pair: tuple[int, int]) -> str:
    """A (low, high) pair of days as text, e.g. ``"2-4"``, or ``"1"`` when equal."""
    return f"{pair[0]}" if pair[0] == pair[1] else f"{pair[0]}-{pair[1]}"


def _region_name(comparison: Comparison, data: DataBundle, region_id: str) -> str:
    row = data.prices.get((comparison.scenario.procedure, region_id))
    return row.region_name if row else region_id


def input_rows(comparison: Comparison, data: DataBundle) -> list[tuple[str, str]]:
    """The scenario's inputs as (what, value) pairs, money in the scenario's currency."""
    s, cur = comparison.scenario, comparison.rate.currency
    procedure = data.procedure_info.get(s.procedure)
    rows = [
        ("Scenario", s.name),
        ("Treatment", procedure.name if procedure else s.procedure),
        ("Home", _region_name(comparison, data, s.home)),
        ("Destinations", ", ".join(_region_name(comparison, data, d) for d in s.destinations)),
        ("Currency", comparison.rate.describe()),
        ("Travellers / rooms / sessions", f"{s.travellers} / {s.rooms} / {s.sessions}"),
        (
            "Stay (days)",
            f"pre-treatment {days_text(s.stay.pre_days)}, procedure {days_text(s.stay.procedure_days)}, "
            f"recovery {days_text(s.stay.recovery_days)}, travel {days_text(s.stay.travel_days)}; "
            f"at the destination {days_text((int(comparison.stay_days.low), int(comparison.stay_days.high)))}",
        ),
    ]
    for dest in s.destinations:
        travel = s.travel_for(dest)
        given = [
            f"fare {money(travel.fare_per_traveller, cur)} per traveller"
            if travel.fare_per_traveller is not None
            else "",
            f"lodging {money(travel.lodging_per_night, cur)} per room-night"
            if travel.lodging_per_night is not None
            else "",
            f"daily {money(travel.daily_per_traveller, cur)} per traveller"
            if travel.daily_per_traveller is not None
            else "",
            f"city {travel.city}" if travel.city else "",
        ]
        text = "; ".join(g for g in given if g) or "defaults (no fare)"
        rows.append((f"Travel: {_region_name(comparison, data, dest)}", text))
    items = {i.id: i.label.lower() for i in data.package_items}
    for dest, quotes in s.quotes.items():
        name = f"home ({comparison.home.name})" if dest == HOME_QUOTE else _region_name(comparison, data, dest)
        for quote in quotes:
            rows.append((f"Quote: {name}", f"{money_range_of(quote.low, quote.high, cur)} per session"))
            if quote.clinic:
                rows.append((f"Clinic: {name}", quote.clinic))
            if quote.includes is not None:
                included = ", ".join(items.get(i, i) for i in quote.includes) or "nothing listed"
                rows.append((f"Includes: {name}", included))
            if quote.extras:
                extras = "; ".join(f"{items.get(i, i)} {money(p, cur)}" for i, p in quote.extras.items())
                rows.append((f"Extras: {name}", extras))
            if quote.lodging_nights_included:
                rows.append((f"Hotel nights included: {name}", str(quote.lodging_nights_included)))
            if quote.deposit is not None:
                rows.append((f"Deposit: {name}", f"{money(quote.deposit, cur)}, {quote.deposit_terms}"))
    rows += [
        ("Insurance", money(s.insurance, cur)),
        ("Follow-up trips", f"{s.follow_up_trips} ({s.follow_up_nights} nights each)"),
        ("Contingency", f"{s.contingency_pct:g}%"),
        ("Lost income per day", money(s.lost_income_per_day, cur)),
    ]
    for dest, answers in s.checklist.items():
        labels = {i.id: i.label for i in data.checklist}
        answered = "; ".join(
            f"{labels.get(item, item)}: {ANSWER_LABELS.get(answer, answer)}" for item, answer in answers.items()
        )
        rows.append((f"Checklist: {_region_name(comparison, data, dest)}", answered or "all unknown"))
    return rows


def money_range_of(low: float, high: float, currency: str) -> str:
    """E.g. ``"USD 5,000 to 6,000"`` (one figure when equal)."""
    return money(low, currency) if round(low) == round(high) else f"{money(low, currency)} to {high:,.0f}"
