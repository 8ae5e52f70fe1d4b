"""Validating and resolving batch rows: each good row becomes its (scenario, destination) pairs as numbers.

Validation has a fast path: a row whose values are plainly valid (exact types, known ids, in
range) is checked and resolved here without building a pydantic model; any other row goes
through :func:`calculator.model.scenario.parse_scenario`, which either rejects it with the usual
message or accepts it (a row in a looser form, such as ``"2"`` for 2, or with itemised clinic quotes),
and is then resolved from the validated scenario by :mod:`calculator.model.inputs` itself, one pair
per clinic quote. The fast path accepts nothing that parse_scenario would refuse, and
resolves each input as :mod:`calculator.model.inputs` does (tests compare both with ``compare``).
A bad row is reported by its line number and left out; the others are kept.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, get_args

import numpy as np

from calculator.model.batch_files import TRAVEL_NUMBERS, BatchError, paused_gc
from calculator.model.data import DataBundle, PriceRow, TravelRow
from calculator.model.errors import ScenarioError
from calculator.model.fx import rate, rate_for
from calculator.model.inputs import destination_columns, home_price
from calculator.model.scenario import HOME_QUOTE, SCHEMA_VERSION, Days, Money, Quote, Scenario, Stay, parse_scenario

STAY_FIELDS = ("pre_days", "procedure_days", "recovery_days", "travel_days")
STAY_DEFAULTS = {f: tuple(Stay.model_fields[f].default) for f in STAY_FIELDS}
STAY_DEFAULT_DAYS = tuple(d for f in STAY_FIELDS for d in STAY_DEFAULTS[f])
EMPTY: dict[str, Any] = {}
DEFAULTS = {name: field.default for name, field in Scenario.model_fields.items()}
"""Each scenario key's default, from the model (the fast path fills what a row leaves out with these)."""
TOP_KEYS = set(Scenario.model_fields)
NUMBER_COLUMNS = (
    *("line", "home_low", "home_high", "home_quoted", "sessions", "travellers", "rooms"),
    *("price_low", "price_high", "quoted", "fare", "lodging", "daily"),
    *("follow_up_trips", "follow_up_nights", "contingency_pct", "insurance", "lost_income"),
    *("pre_lo", "pre_hi", "proc_lo", "proc_hi", "rec_lo", "rec_hi", "travel_lo", "travel_hi"),
    "nights_included",
)
STAY_NUMBER_COLUMNS = ("pre_lo", "pre_hi", "proc_lo", "proc_hi", "rec_lo", "rec_hi", "travel_lo", "travel_hi")
TRAVEL_COLUMNS = ("fare", "lodging", "daily")


INT_FIELDS = ("travellers", "rooms", "sessions", "follow_up_trips", "follow_up_nights")
MONEY_FIELDS = ("insurance", "lost_income_per_day", "contingency_pct")
ANSWERS = {"verified", "claimed", "no", "unknown", "not_applicable"}
CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Limits:
    """The bounds pydantic puts on one field (read from the model, so the fast path follows it)."""

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    max_length: int | None = None
    min_length: int = 0

    @classmethod
    def of(cls, metadata: list[Any]) -> Limits:
        """From a field's annotated-types metadata (Ge, Gt, Le, Lt, MinLen, MaxLen)."""
        found: dict[str, Any] = {}
        for m in metadata:
            for attr, key, is_open in (
                ("ge", "low", False),
                ("gt", "low", True),
                ("le", "high", False),
                ("lt", "high", True),
            ):
                if hasattr(m, attr):
                    found[key] = getattr(m, attr)
                    found[f"{key}_open"] = is_open
            if hasattr(m, "max_length"):
                found["max_length"] = m.max_length
            if hasattr(m, "min_length"):
                found["min_length"] = m.min_length
        return cls(**found)

    def number(self, value: Any) -> bool:
        """A finite int or float (not a bool) within the bounds."""
        if type(value) not in (int, float) or not -math.inf < value < math.inf:
            return False
        above = self.low < value if self.low_open else self.low <= value
        return above and (value < self.high if self.high_open else value <= self.high)

    def whole(self, value: Any) -> bool:
        """An int (not a bool) within the bounds."""
        return type(value) is int and self.number(value)

    def text(self, value: Any) -> bool:
        """A str no longer than max_length."""
        return type(value) is str and (self.max_length is None or len(value) <= self.max_length)


def number_check(limits: Limits) -> Callable[[Any], bool]:
    """A fast test for :meth:`Limits.number` (closed, finite bounds compiled into one comparison)."""
    lo, hi = limits.low, limits.high
    if limits.low_open or limits.high_open or not (math.isfinite(lo) and math.isfinite(hi)):
        return limits.number
    return lambda v: (type(v) is float or type(v) is int) and lo <= v <= hi


def whole_check(limits: Limits) -> Callable[[Any], bool]:
    """A fast test for :meth:`Limits.whole`."""
    lo, hi = limits.low, limits.high
    if limits.low_open or limits.high_open:
        return limits.whole
    return lambda v: type(v) is int and lo <= v <= hi


def _limits(model: type, name: str) -> Limits:
    return Limits.of(model.model_fields[name].metadata)


MONEY = Limits.of(get_args(Money)[1].metadata)
DAYS = Limits.of(get_args(Days)[1].metadata)
LIMITS = {
    name: _limits(Scenario, name)
    for name in (
        "name",
        "destinations",
        "fx_rate",
        "travellers",
        "rooms",
        "sessions",
        "follow_up_trips",
        "follow_up_nights",
        "contingency_pct",
        "insurance",
        "lost_income_per_day",
    )
}
CLINIC = _limits(Quote, "clinic")
MONEY_OK = number_check(MONEY)
DAYS_OK = whole_check(DAYS)
INT_CHECKS = tuple(whole_check(LIMITS[k]) for k in INT_FIELDS)
MONEY_CHECKS = tuple(number_check(LIMITS[k]) for k in MONEY_FIELDS)
FX_OK = number_check(LIMITS["fx_rate"])
TRAVEL_KEYS = {*TRAVEL_NUMBERS, "city"}
QUOTE_KEYS = {"low", "high", "clinic"}
STAY_KEYS = set(STAY_FIELDS)


def _is_days(value: Any) -> bool:
    if DAYS_OK(value):
        return True
    return (
        (type(value) is list or type(value) is tuple)
        and len(value) == 2
        and DAYS_OK(value[0])
        and DAYS_OK(value[1])
        and value[0] <= value[1]
    )


def _days(value: Any) -> tuple[int, int]:
    return (value, value) if type(value) is int else (value[0], value[1])


class Resolver:
    """Checks plainly valid rows and resolves their inputs against the data, with lookups cached."""

    def __init__(self, data: DataBundle) -> None:
        self.data = data
        self.procedures = set(data.procedures)
        self.checklist = {i.id for i in data.checklist}
        self._rates: dict[tuple[str, float | None], float | None] = {}
        self._cities: dict[str, dict[str, TravelRow]] = {}
        self._defaults: dict[str, TravelRow | None] = {}
        self._dest_rows: dict[tuple[str, Any], PriceRow | None] = {}

    def per_usd(self, currency: str, fx_rate: float | None) -> float | None:
        key = (currency, fx_rate)
        if key not in self._rates:
            known = currency in self.data.fx or fx_rate is not None
            self._rates[key] = rate(currency, fx_rate, self.data).per_usd if known else None
        return self._rates[key]

    def cities(self, region: str) -> dict[str, TravelRow]:
        if region not in self._cities:
            self._cities[region] = {c.city_id: c for c in self.data.cities(region)}
            self._defaults[region] = self.data.default_city(region)
        return self._cities[region]

    def destination_row(self, procedure: str, dest: Any) -> PriceRow | None:
        """The price row of a known destination (None for anything else)."""
        key = (procedure, dest)
        if key not in self._dest_rows:
            row = self.data.prices.get(key) if type(dest) is str else None
            self._dest_rows[key] = row if row is not None and row.role == "destination" else None
            if row is not None:
                self.cities(dest)
        return self._dest_rows[key]

    def rows(self, raw: Any, line: int, valid: ValidRows) -> bool:
        """Add one row's (scenario, destination) pairs to ``valid`` if it is plainly valid; else add nothing."""
        if type(raw) is not dict or not raw.keys() <= TOP_KEYS:
            return False
        g = raw.get
        version = g("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION or type(version) is not int:
            return False
        name = g("name", f"line {line}")
        procedure, home, currency, fx_rate = (g(k, DEFAULTS[k]) for k in ("procedure", "home", "currency", "fx_rate"))
        if not LIMITS["name"].text(name) or type(procedure) is not str or procedure not in self.procedures:
            return False
        if type(currency) is not str or not CURRENCY.fullmatch(currency):
            return False
        if fx_rate is not None and (not FX_OK(fx_rate) or (currency == "USD" and fx_rate != 1)):
            return False
        per_usd = self.per_usd(currency, fx_rate)
        home_row = self.data.prices.get((procedure, home)) if type(home) is str else None
        if per_usd is None or home_row is None or home_row.role != "home":
            return False
        dests = g("destinations")
        sizes = LIMITS["destinations"]
        if type(dests) is not list or not sizes.min_length <= len(dests) <= (sizes.max_length or len(dests)):
            return False
        dest_set = set(dests) if all(type(d) is str for d in dests) else set()
        if len(dest_set) != len(dests):
            return False
        rows = [self.destination_row(procedure, d) for d in dests]
        if None in rows:
            return False
        ints = tuple(g(k, DEFAULTS[k]) for k in INT_FIELDS)
        money = tuple(g(k, DEFAULTS[k]) for k in MONEY_FIELDS)
        for check, value in zip(INT_CHECKS, ints, strict=True):
            if not check(value):
                return False
        for check, value in zip(MONEY_CHECKS, money, strict=True):
            if not check(value):
                return False
        stay = g("stay")
        if stay is None:
            days = STAY_DEFAULT_DAYS
        else:
            if type(stay) is not dict or not stay.keys() <= STAY_KEYS:
                return False
            days = []
            for field in STAY_FIELDS:
                value = stay.get(field, STAY_DEFAULTS[field])
                if not _is_days(value):
                    return False
                days.extend(_days(value))
        travel, quotes, checklist = g("travel", {}), g("quotes", {}), g("checklist", {})
        for group in (travel, checklist):
            if type(group) is not dict or not group.keys() <= dest_set:
                return False
        if type(quotes) is not dict or not quotes.keys() <= dest_set | {HOME_QUOTE}:
            return False
        if HOME_QUOTE in quotes:
            quoted_home = _quote_span(quotes[HOME_QUOTE])
            if quoted_home is None:
                return False
            home_price = (*quoted_home, 1.0)
        else:
            home_price = (home_row.price_low * per_usd, home_row.price_high * per_usd, 0.0)
        for answers in checklist.values():
            if type(answers) is not dict or not answers.keys() <= self.checklist:
                return False
            for answer in answers.values():
                if type(answer) is not str or answer not in ANSWERS:
                    return False
        head = (line, *home_price, ints[2], ints[0], ints[1])
        tail = (ints[3], ints[4], money[2], money[0], money[1], *days)
        resolved = []
        for d, row in zip(dests, rows, strict=True):
            values = self._destination(d, row, travel.get(d, EMPTY), quotes.get(d), per_usd)
            if values is None:
                return False
            resolved.append(values)
        labels, numbers = valid.labels, valid.numbers
        for d, values in zip(dests, resolved, strict=True):
            quote = quotes.get(d)
            labels.append((name, d, currency, quote.get("clinic") if quote else None, ()))
            numbers.extend(head)
            numbers.extend(values)
            numbers.extend(tail)
            numbers.append(0)
        return True

    def _destination(self, dest: str, row: PriceRow, travel: Any, quote: Any, per_usd: float) -> tuple | None:
        """(price low, price high, quoted (1) or the cited range (0), fare, lodging, daily) as
        calculator.model.inputs resolves them (NaN = missing)."""
        if type(travel) is not dict or not travel.keys() <= TRAVEL_KEYS:
            return None
        fare, lodging, daily = (
            travel.get(k) for k in ("fare_per_traveller", "lodging_per_night", "daily_per_traveller")
        )
        for value in (fare, lodging, daily):
            if value is not None and not MONEY_OK(value):
                return None
        city_id = travel.get("city")
        if city_id is None:
            city = self._defaults[dest]
        else:
            city = self._cities[dest].get(city_id) if type(city_id) is str else None
            if city is None:
                return None
        if quote is None:
            low, high, quoted = row.price_low * per_usd, row.price_high * per_usd, 0.0
        else:
            price = _quote_span(quote)
            if price is None:
                return None
            (low, high), quoted = price, 1.0
        if city is not None:
            if lodging is None:
                lodging = city.lodging_per_night * per_usd
            if daily is None:
                daily = city.daily_per_traveller * per_usd
        nan = math.nan
        return (
            low,
            high,
            quoted,
            nan if fare is None else fare,
            nan if lodging is None else lodging,
            nan if daily is None else daily,
        )


def _quote_span(quote: Any) -> tuple[float, float] | None:
    """A plainly valid quote's (low, high) per session, else None (see calculator.model.scenario.Quote)."""
    if type(quote) is not dict or not quote.keys() <= QUOTE_KEYS:
        return None  # a list of clinics, or an itemised quote: resolved from the validated scenario
    low, high, clinic = quote.get("low"), quote.get("high"), quote.get("clinic")
    if not (MONEY_OK(low) and MONEY_OK(high) and low <= high):
        return None
    if clinic is not None and not CLINIC.text(clinic):
        return None
    return float(low), float(high)


def objects(values: Iterable[Any], n: int) -> np.ndarray:
    """A 1-D object array of ``n`` values (np.array would make tuples of one length into a 2-D array)."""
    return np.fromiter(values, dtype=object, count=n)


@dataclass(frozen=True)
class Block:
    """Pairs validated column by column (calculator.model.batch_columns): labels as object arrays (as in
    :class:`ValidRows`), NUMBER_COLUMNS as float arrays.

    The labels and columns named in ``per_row`` hold one value per row rather than per pair: a row's
    value stands for each of its ``repeats`` pairs (a row's pairs are consecutive).
    """

    names: np.ndarray
    destinations: np.ndarray
    currencies: np.ndarray
    clinics: np.ndarray
    unpriced: np.ndarray
    columns: dict[str, np.ndarray]
    repeats: np.ndarray | None = None
    per_row: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return len(self.destinations)


@dataclass
class ValidRows:
    """The valid (scenario, destination, clinic) pairs.

    Pairs validated row by row: their labels, and their numbers flat (NUMBER_COLUMNS each); pairs
    validated column by column: in ``blocks``. Each part is in file order.
    A label is (scenario name, destination id, currency, clinic name or None, unpriced package item ids).
    """

    labels: list[tuple[str, str, str, str | None, tuple[str, ...]]]
    numbers: list[float]
    blocks: list[Block] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.labels) + sum(len(b) for b in self.blocks)


def scenario_rows(scenario: Scenario, data: DataBundle, line: int, valid: ValidRows) -> None:
    """Add a validated scenario's pairs to ``valid``, one per destination and clinic quote, resolved by
    :mod:`calculator.model.inputs` (as ``compare`` resolves them); NaN marks a missing input."""
    r = rate_for(scenario, data)
    home = home_price(scenario, data, r)
    s = scenario
    stay = dict(zip(STAY_NUMBER_COLUMNS, (d for f in STAY_FIELDS for d in getattr(s.stay, f)), strict=True))
    for dest in s.destinations:
        for inputs in destination_columns(s, data, r, dest):
            clinic = inputs.quote.clinic if inputs.quote else None
            valid.labels.append((s.name, dest, r.currency, clinic, inputs.unpriced))
            price = inputs.price.per_session
            travel = (inputs.fare, inputs.lodging, inputs.daily)
            row = {
                "line": line,
                "home_low": home.per_session.low,
                "home_high": home.per_session.high,
                "home_quoted": float(home.from_quote),
                "sessions": s.sessions,
                "travellers": s.travellers,
                "rooms": s.rooms,
                "price_low": price.low,
                "price_high": price.high,
                "quoted": float(inputs.price.from_quote),
                **{k: math.nan if v.value is None else v.value for k, v in zip(TRAVEL_COLUMNS, travel, strict=True)},
                "follow_up_trips": s.follow_up_trips,
                "follow_up_nights": s.follow_up_nights,
                "contingency_pct": s.contingency_pct,
                "insurance": float(s.insurance),
                "lost_income": s.lost_income_per_day,
                **stay,
                "nights_included": inputs.lodging_nights_included,
            }
            valid.numbers.extend(row[name] for name in NUMBER_COLUMNS)


def validate_rows(
    rows: Iterable[tuple[int, Any]],
    data: DataBundle,
    where: str,
    progress: Callable[[int], None] | None = None,
    every: int = 2000,
) -> tuple[ValidRows, list[BatchError]]:
    """Every valid row's (scenario, destination) pairs, and an error for each bad row.

    ``progress`` (if given) is called with the number of rows done, every ``every`` rows.
    """
    with paused_gc():
        resolver = Resolver(data)
        valid = ValidRows([], [])
        errors: list[BatchError] = []
        for done, (line, raw) in enumerate(rows, start=1):
            if progress is not None and done % every == 0:
                progress(done)
            check_row(resolver, line, raw, valid, errors, where)
        return valid, errors


def check_row(resolver: Resolver, line: int, raw: Any, valid: ValidRows, errors: list[BatchError], where: str) -> None:
    """One decoded row (or the ScenarioError that says why it could not be decoded): its pairs or its error."""
    if isinstance(raw, ScenarioError):
        errors.append(BatchError(line, f"{where}, line {line}: {raw.where}: {raw.problem}"))
    elif not resolver.rows(raw, line, valid):
        place = f"{where}, line {line}"
        try:
            scenario = parse_scenario(raw, resolver.data, place, default_name=f"line {line}")
        except ScenarioError as err:
            errors.append(BatchError(line, str(err)))
            return
        scenario_rows(scenario, resolver.data, line, valid)
