"""Display currency: the dated rate that turns the data's USD into the scenario's currency."""

from __future__ import annotations

from dataclasses import dataclass

from calculator.model.data import DataBundle
from calculator.model.scenario import Scenario
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
