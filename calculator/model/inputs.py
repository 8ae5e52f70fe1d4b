"""Resolve a scenario's inputs against the data: the user's figure if given, else the cited default.

Every resolved figure keeps the ids of its sources, so each part of a total can say
where it came from. Data figures (USD) are converted to the scenario's currency here.
"""

from __future__ import annotations

from dataclasses import dataclass

from calculator.model.data import DataBundle, PriceRow, TravelRow
from calculator.model.fx import Rate
from calculator.model.scenario import Quote, Scenario
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
    quote: Quote | None = None
    """The clinic's quote this column prices (None: the broker's cited range)."""
    unpriced: tuple[str, ...] = ()
    """Package item ids the clinic's quote leaves out with no price given (the total is incomplete)."""

    @property
    def lodging_nights_included(self) -> int:
        """Hotel nights the clinic's package includes (not paid again)."""
        return self.quote.lodging_nights_included if self.quote else 0


def home_price(scenario: Scenario, data: DataBundle, rate: Rate) -> PriceInput:
    """The home baseline's price per session: the user's written quote (``quotes.home``), else the cited range."""
    row = data.prices[(scenario.procedure, scenario.home)]
    quote = scenario.home_quote
    if quote is not None:
        return PriceInput(Span(quote.low, quote.high), (USER_INPUT,), True, row)
    return PriceInput(Span(row.price_low, row.price_high) * rate.per_usd, (row.source_id,), False, row)


def quote_price(quote: Quote, row: PriceRow) -> PriceInput:
    """A clinic's price per session: its quote plus the extras the user priced (user input)."""
    extras = quote.extras_total
    return PriceInput(Span(quote.low + extras, quote.high + extras), (USER_INPUT,), True, row)


def destination_price(
    scenario: Scenario, data: DataBundle, rate: Rate, dest: str, quote: Quote | None = None
) -> PriceInput:
    """A clinic's quote (with its extras) if given, else the cited price range for ``dest`` (converted)."""
    row = data.prices[(scenario.procedure, dest)]
    if quote is not None:
        return quote_price(quote, row)
    return PriceInput(Span(row.price_low, row.price_high) * rate.per_usd, (row.source_id,), False, row)


def _user_or_default(user: float | None, default: float | None, city: TravelRow | None, rate: Rate) -> Sourced:
    if user is not None:
        return Sourced(user, (USER_INPUT,))
    if default is not None and city is not None:
        return Sourced(default * rate.per_usd, (city.source_id,))
    return Sourced(None, ())


def destination_inputs(
    scenario: Scenario, data: DataBundle, rate: Rate, dest: str, quote: Quote | None = None
) -> DestinationInputs:
    """Resolve one column's price (``quote``, else the cited range), fare, lodging and daily costs."""
    travel = scenario.travel_for(dest)
    city = data.travel[travel.city] if travel.city else data.default_city(dest)
    items = [i.id for i in data.package_items]
    return DestinationInputs(
        id=dest,
        price=destination_price(scenario, data, rate, dest, quote),
        city=city,
        fare=Sourced(travel.fare_per_traveller, (USER_INPUT,) if travel.fare_per_traveller is not None else ()),
        lodging=_user_or_default(travel.lodging_per_night, city and city.lodging_per_night, city, rate),
        daily=_user_or_default(travel.daily_per_traveller, city and city.daily_per_traveller, city, rate),
        quote=quote,
        unpriced=tuple(quote.unpriced(items)) if quote else (),
    )


def destination_columns(scenario: Scenario, data: DataBundle, rate: Rate, dest: str) -> list[DestinationInputs]:
    """One column per clinic quote for ``dest`` (in the order given), or the cited range when there is none."""
    quotes = scenario.clinic_quotes(dest)
    return [destination_inputs(scenario, data, rate, dest, q) for q in quotes] or [
        destination_inputs(scenario, data, rate, dest)
    ]
