"""Resolve a scenario's inputs against the data: the user's figure if given, else the cited default.

Every resolved figure keeps the ids of its sources, so each part of a total can say
where it came from. Data figures (USD) are converted to the scenario's currency here.
"""

from __future__ import annotations

from dataclasses import dataclass

from calculator.model.data import DataBundle, PriceRow, TravelRow
from calculator.model.fx import Rate
from calculator.model.scenario import Scenario
from calculator.model.sources import USER_INPUT
from calculator.model.span import Span


@dataclass(frozen=True)
class Sourced:
    """A figure (``None`` when neither the user nor the data gives one) and its sources."""

    value: float | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PriceInput:
    """The procedure's price per session: the user's quote, or the cited range."""

    per_session: Span
    sources: tuple[str, ...]
    from_quote: bool
    row: PriceRow

    @property
    def open_high(self) -> bool:
        """The price's high end is open ("$25,000+"): a cited range marked so, never the user's own quote."""
        return self.row.high_open and not self.from_quote


@dataclass(frozen=True)
class DestinationInputs:
    """Everything the cost model needs for one destination."""

    id: str
    price: PriceInput
    city: TravelRow | None
    fare: Sourced
    lodging: Sourced
    daily: Sourced


def home_price(scenario: Scenario, data: DataBundle, rate: Rate) -> PriceInput:
    """The home baseline's price per session: the user's written quote (``quotes.home``), else the cited range."""
    row = data.prices[(scenario.procedure, scenario.home)]
    quote = scenario.home_quote
    if quote is not None:
        return PriceInput(Span(quote.low, quote.high), (USER_INPUT,), True, row)
    return PriceInput(Span(row.price_low, row.price_high) * rate.per_usd, (row.source_id,), False, row)


def destination_price(scenario: Scenario, data: DataBundle, rate: Rate, dest: str) -> PriceInput:
    """The user's quote for ``dest`` if there is one, else the cited price range (converted)."""
    row = data.prices[(scenario.procedure, dest)]
    quote = scenario.quotes.get(dest)
    if quote is not None:
        return PriceInput(Span(quote.low, quote.high), (USER_INPUT,), True, row)
    return PriceInput(Span(row.price_low, row.price_high) * rate.per_usd, (row.source_id,), False, row)


def _user_or_default(user: float | None, default: float | None, city: TravelRow | None, rate: Rate) -> Sourced:
    if user is not None:
        return Sourced(user, (USER_INPUT,))
    if default is not None and city is not None:
        return Sourced(default * rate.per_usd, (city.source_id,))
    return Sourced(None, ())


def destination_inputs(scenario: Scenario, data: DataBundle, rate: Rate, dest: str) -> DestinationInputs:
    """Resolve one destination's price, fare, lodging and daily costs."""
    travel = scenario.travel_for(dest)
    city = data.travel[travel.city] if travel.city else data.default_city(dest)
    return DestinationInputs(
        id=dest,
        price=destination_price(scenario, data, rate, dest),
        city=city,
        fare=Sourced(travel.fare_per_traveller, (USER_INPUT,) if travel.fare_per_traveller is not None else ()),
        lodging=_user_or_default(travel.lodging_per_night, city and city.lodging_per_night, city, rate),
        daily=_user_or_default(travel.daily_per_traveller, city and city.daily_per_traveller, city, rate),
    )
