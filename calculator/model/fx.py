"""Display currency: the dated rate that turns the data's USD into the scenario's currency."""

from __future__ import annotations

from dataclasses import dataclass

from calculator.model.data import DataBundle
from calculator.model.scenario import Scenario, parse_scenario
from calculator.model.sources import USER_INPUT


@dataclass(frozen=True)
class Rate:
    """Units of ``currency`` per 1 USD, with its date and source."""

    currency: str
    per_usd: float
    date: str
    source_id: str

    def describe(self) -> str:
        """E.g. '1 USD = 0.8559 EUR (ECB reference rate, 2026-04-13)'."""
        if self.currency == "USD":
            return "USD (the data's own currency, no conversion)"
        origin = "your rate" if self.source_id == USER_INPUT else f"ECB reference rate, {self.date}"
        return f"1 USD = {self.per_usd:,.4f} {self.currency} ({origin})"

    def sentence(self) -> str:
        """The rate as a plain sentence, e.g. 'Figures are in EUR, converted from the data's US dollars at
        1 USD = 0.8559 EUR (ECB reference rate of 2026-04-13).'"""
        if self.currency == "USD":
            return "Figures are in US dollars (USD), the currency of the cited data."
        origin = "your own rate" if self.source_id == USER_INPUT else f"the ECB reference rate of {self.date}"
        return (
            f"Figures are in {self.currency}, converted from the data's US dollars at "
            f"1 USD = {self.per_usd:,.4f} {self.currency} ({origin})."
        )


def cross_rate(per_eur_target: float, per_eur_usd: float) -> float:
    """Units of the target per 1 USD from two ECB rates per 1 EUR: target / USD."""
    return per_eur_target / per_eur_usd


def rate(currency: str, fx_rate: float | None, data: DataBundle) -> Rate:
    """The user's rate if given, else the bundled ECB cross rate (KeyError for an unknown currency)."""
    if fx_rate is not None:
        return Rate(currency, fx_rate, "", USER_INPUT)
    if currency == "USD":
        return Rate("USD", 1.0, "", "")
    row, usd = data.fx[currency], data.fx["USD"]
    return Rate(currency, cross_rate(row.per_eur, usd.per_eur), row.rate_date.isoformat(), row.source_id)


def rate_for(scenario: Scenario, data: DataBundle) -> Rate:
    """The scenario's rate: its own ``fx_rate`` if given, else the bundled ECB cross rate."""
    return rate(scenario.currency, scenario.fx_rate, data)


def convert_money(value: float, old: Rate, new: Rate) -> float:
    """An amount in ``old.currency`` in ``new.currency``: value x new.per_usd / old.per_usd (both via USD).

    Unrounded, so that converting there and back returns the same amount to the cent.
    """
    return value * (new.per_usd / old.per_usd)


def convert_scenario(scenario: Scenario, new: Rate, data: DataBundle) -> Scenario:
    """The scenario with every money input the user gave converted to ``new``'s currency.

    The user's fares, lodging and daily costs, clinic quotes (home included; each clinic's low, high,
    extras and deposit), insurance and lost income per day are converted at the two dated rates (each
    via USD); inputs left to their cited defaults stay defaults, which the model converts itself.
    ScenarioError when a converted amount leaves the accepted range (see calculator.model.scenario.MAX_MONEY).
    """
    old = rate_for(scenario, data)

    def conv(value: float | None) -> float | None:
        return None if value is None else round(convert_money(value, old, new), 6)

    raw = scenario.model_dump()
    for travel in raw["travel"].values():
        for key in ("fare_per_traveller", "lodging_per_night", "daily_per_traveller"):
            travel[key] = conv(travel[key])
    for quotes in raw["quotes"].values():
        for quote in quotes if isinstance(quotes, list) else [quotes]:
            quote["low"], quote["high"], quote["deposit"] = (conv(quote[k]) for k in ("low", "high", "deposit"))
            quote["extras"] = {item: conv(price) for item, price in quote["extras"].items()}
    raw["insurance"] = conv(raw["insurance"])
    raw["lost_income_per_day"] = conv(raw["lost_income_per_day"])
    raw["currency"] = new.currency
    raw["fx_rate"] = new.per_usd if new.source_id == USER_INPUT else None
    return parse_scenario(raw, data, "converted inputs")
