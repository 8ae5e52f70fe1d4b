"""The scenario: everything a user chooses, as a versioned, validated model.

The JSON keys are the contract of DESIGN.md section 5; every key but
``destinations`` is optional and defaults as documented in the README.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)

from calculator.model.data import DataBundle
from calculator.model.errors import ScenarioError
from calculator.model.files import MAX_SCENARIO_BYTES, read_user_text
from calculator.model.span import Span

SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)
"""Versions a scenario file may declare; version 1 is upgraded on read (:func:`upgrade_v1`)."""
MAX_CLINICS = 10
HOME_QUOTE = "home"
"""The key of ``quotes`` that holds the user's written quote at home."""
Answer = Literal["verified", "claimed", "no", "unknown", "not_applicable"]
MAX_MONEY = 1e12
"""Largest money input accepted (any currency): far above any real trip, far below float overflow in the totals."""


def _not_bool(value: Any) -> Any:
    """JSON's true / false are not numbers (Python would read them as 1 and 0)."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


Number = Annotated[float, BeforeValidator(_not_bool)]
Count = Annotated[int, BeforeValidator(_not_bool)]
Money = Annotated[float, Field(ge=0, le=MAX_MONEY, allow_inf_nan=False), BeforeValidator(_not_bool)]
Days = Annotated[int, Field(ge=0, le=365), BeforeValidator(_not_bool)]


def _as_pair(value: Any) -> Any:
    """A number n becomes [n, n]; a [low, high] pair passes through."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return [value, value]
    return value


def _pair_out(pair: tuple[int, int]) -> int | list[int]:
    return pair[0] if pair[0] == pair[1] else [pair[0], pair[1]]


DayRange = Annotated[
    tuple[Days, Days],
    BeforeValidator(_as_pair),
    PlainSerializer(_pair_out),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Stay(_Model):
    """Days of the trip. Each field is a number or a ``[low, high]`` range.

    Defaults are the broker's timeline (seed 004, a vendor claim): pre-treatment
    1-2 days, procedure 1 day, local recovery 2-4 days; travel days are an assumption.
    """

    pre_days: DayRange = (1, 2)
    procedure_days: DayRange = (1, 1)
    recovery_days: DayRange = (2, 4)
    travel_days: DayRange = (2, 2)

    @field_validator("pre_days", "procedure_days", "recovery_days", "travel_days")
    @classmethod
    def _ordered(cls, pair: tuple[int, int]) -> tuple[int, int]:
        if pair[0] > pair[1]:
            raise ValueError(f"low ({pair[0]}) is above high ({pair[1]})")
        return pair

    def span(self, field: str) -> Span:
        """One field as a Span of days."""
        return Span.of(getattr(self, field))

    @property
    def stay_days(self) -> Span:
        """Days at the destination: pre_days + procedure_days + recovery_days (DESIGN.md 4)."""
        return self.span("pre_days") + self.span("procedure_days") + self.span("recovery_days")


class Travel(_Model):
    """One destination's travel costs, in the scenario's currency. ``None`` = use the default."""

    fare_per_traveller: Money | None = None
    lodging_per_night: Money | None = None
    daily_per_traveller: Money | None = None
    city: str | None = None


class Quote(_Model):
    """A clinic's quote for the procedure (per session), in the scenario's currency.

    ``includes`` lists the package items (``data/package_items.yaml``) the price covers; ``None``
    means the quote does not say (a version 1 quote). ``extras`` prices items it leaves out, per
    session like the quote. ``lodging_nights_included`` hotel nights are not paid again. The
    ``deposit`` is money at risk if the trip is cancelled, reported beside the clinic, never added
    to the total. ``checklist`` holds this clinic's answers; the destination's apply where it gives none.
    """

    low: Money
    high: Money
    clinic: str | None = Field(default=None, max_length=200)
    includes: list[str] | None = Field(default=None, max_length=50)
    extras: dict[str, Money] = {}
    lodging_nights_included: Days = 0
    deposit: Money | None = None
    deposit_refundable: bool | None = None
    checklist: dict[str, Answer] = {}

    @model_validator(mode="after")
    def _ordered(self) -> Quote:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) is above high ({self.high:g})")
        both = sorted(set(self.extras) & set(self.includes or ()))
        if both:
            raise ValueError(f"{', '.join(both)} is both included and priced as an extra")
        return self

    @property
    def deposit_terms(self) -> str:
        """'refundable', 'non-refundable', or 'refund terms not given'."""
        return {True: "refundable", False: "non-refundable", None: "refund terms not given"}[self.deposit_refundable]

    @property
    def extras_total(self) -> float:
        """The sum of the extras' prices (per session)."""
        return float(sum(self.extras.values()))

    def unpriced(self, items: list[str]) -> list[str]:
        """The package items (ids, in ``items``' order) the quote leaves out with no price given.

        Empty when the quote does not say what it includes (``includes`` is None).
        """
        if self.includes is None:
            return []
        return [i for i in items if i not in self.includes and i not in self.extras]


def _as_quote_list(value: Any) -> Any:
    """A single quote object becomes a list of one (version 1 form); a list passes through."""
    return [value] if isinstance(value, dict) else value


QuoteList = Annotated[
    list[Quote],
    BeforeValidator(_as_quote_list, json_schema_input_type=Quote | list[Quote]),
    Field(min_length=1, max_length=MAX_CLINICS),
]


def upgrade_v1(raw: dict[str, Any]) -> dict[str, Any]:
    """A version 1 scenario object as version 2: only ``schema_version`` changes.

    Every version 1 key means the same in version 2; a single quote object per destination stays
    valid (it is read as a list of one clinic).
    """
    return {**raw, "schema_version": 2}


class Scenario(_Model):
    """One comparison: a home baseline against one or more destinations."""

    schema_version: Literal[2] = SCHEMA_VERSION
    name: str = Field(default="Untitled scenario", max_length=200)
    procedure: str = "stem_cell_scar"
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    fx_rate: Number | None = Field(default=None, ge=1e-4, le=1e7, allow_inf_nan=False)
    home: str = "us_western_europe"
    destinations: list[str] = Field(min_length=1, max_length=10)
    travellers: Count = Field(default=1, ge=1, le=50)
    rooms: Count = Field(default=1, ge=1, le=50)
    sessions: Count = Field(default=1, ge=1, le=50)
    stay: Stay = Stay()
    travel: dict[str, Travel] = {}
    quotes: dict[str, QuoteList] = Field(
        default={},
        description="Clinic quotes per session by destination id: one quote object or a list of clinic quotes "
        "(each its own column); the key 'home' holds your written quote at home (one object), which replaces the "
        "broker's home range.",
    )
    insurance: Money = 0
    follow_up_trips: Count = Field(default=0, ge=0, le=20)
    follow_up_nights: Count = Field(default=2, ge=0, le=60)
    contingency_pct: Number = Field(default=0, ge=0, le=100, allow_inf_nan=False)
    lost_income_per_day: Money = 0
    checklist: dict[str, dict[str, Answer]] = {}
    checklist_notes: dict[str, dict[str, Annotated[str, Field(max_length=500)]]] = {}

    @field_validator("destinations")
    @classmethod
    def _distinct(cls, ids: list[str]) -> list[str]:
        if len(set(ids)) != len(ids):
            raise ValueError("a destination is listed twice")
        return ids

    @field_validator("quotes")
    @classmethod
    def _clinics(cls, quotes: dict[str, list[Quote]]) -> dict[str, list[Quote]]:
        if len(quotes.get(HOME_QUOTE, ())) > 1:
            raise ValueError("quotes.home is one quote (your written quote at home), not a list")
        for dest, clinics in quotes.items():
            names = [q.clinic for q in clinics if q.clinic]
            if len(set(names)) != len(names):
                raise ValueError(f"quotes.{dest}: a clinic is listed twice")
        return quotes

    @field_serializer("quotes")
    def _quotes_out(self, quotes: dict[str, list[Quote]]) -> dict[str, Any]:
        """Home as one object; a destination's quotes as a list (version 2 form)."""
        return {dest: clinics[0] if dest == HOME_QUOTE else clinics for dest, clinics in quotes.items()}

    @model_validator(mode="after")
    def _usd_is_the_base(self) -> Scenario:
        if self.currency == "USD" and self.fx_rate is not None and self.fx_rate != 1:
            raise ValueError(
                f"fx_rate is {self.fx_rate:g} but currency is USD: the data are in USD, so leave fx_rate out (or 1)"
            )
        return self

    @property
    def home_quote(self) -> Quote | None:
        """The user's written quote at home (``quotes.home``), if any."""
        return self.quotes[HOME_QUOTE][0] if HOME_QUOTE in self.quotes else None

    def clinic_quotes(self, destination: str) -> list[Quote]:
        """The clinic quotes for a destination, in the order given (empty: the cited range applies)."""
        return [] if destination == HOME_QUOTE else list(self.quotes.get(destination, ()))

    def travel_for(self, destination: str) -> Travel:
        """The travel inputs for a destination (empty when none were given)."""
        return self.travel.get(destination, Travel())


def _error_place(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def _model_error_place(message: str) -> str:
    """The key a whole-scenario rule concerns (its message names it first), else the top level."""
    return "fx_rate" if "fx_rate" in message else "(top level)"


def check_against_data(scenario: Scenario, data: DataBundle, where: str) -> Scenario:
    """Check the ids a scenario names exist in the data; raise ScenarioError naming the key."""
    regions = {r.region_id: r for r in data.regions(scenario.procedure)}
    if scenario.procedure not in data.procedures:
        raise ScenarioError(f"{where}: procedure", f"unknown procedure {scenario.procedure!r}")
    if scenario.home not in regions or regions[scenario.home].role != "home":
        homes = ", ".join(r.region_id for r in data.regions(scenario.procedure, "home"))
        raise ScenarioError(f"{where}: home", f"unknown home {scenario.home!r} (one of: {homes})")
    known = [r.region_id for r in data.regions(scenario.procedure, "destination")]
    for i, dest in enumerate(scenario.destinations):
        if dest not in known:
            raise ScenarioError(
                f"{where}: destinations[{i}]", f"unknown destination {dest!r} (one of: {', '.join(known)})"
            )
    for key in ("travel", "quotes", "checklist", "checklist_notes"):
        for dest in getattr(scenario, key):
            if dest not in scenario.destinations and not (key == "quotes" and dest == HOME_QUOTE):
                raise ScenarioError(f"{where}: {key}.{dest}", "is not one of the scenario's destinations")
    for dest, travel in scenario.travel.items():
        if travel.city is not None and travel.city not in {c.city_id for c in data.cities(dest)}:
            raise ScenarioError(f"{where}: travel.{dest}.city", f"unknown city {travel.city!r} for {dest}")
    items = {i.id for i in data.checklist}
    _check_clinic_quotes(scenario, data, where, items)
    for key in ("checklist", "checklist_notes"):
        for dest, answers in getattr(scenario, key).items():
            for item in answers:
                if item not in items:
                    raise ScenarioError(f"{where}: {key}.{dest}.{item}", "unknown checklist item")
    if scenario.currency not in data.fx and scenario.fx_rate is None:
        raise ScenarioError(
            f"{where}: currency",
            f"no bundled rate for {scenario.currency!r} (give fx_rate, units per 1 USD, or use one of: "
            f"{', '.join(sorted(data.fx))})",
        )
    return scenario


def _check_clinic_quotes(scenario: Scenario, data: DataBundle, where: str, checklist_ids: set[str]) -> None:
    """Each clinic quote names known package items and checklist items (ScenarioError naming the key)."""
    package = {i.id for i in data.package_items}
    for dest, clinics in scenario.quotes.items():
        for n, quote in enumerate(clinics):
            place = f"{where}: quotes.{dest}[{n}]"
            for key, ids in (("includes", quote.includes or ()), ("extras", quote.extras)):
                for item in ids:
                    if item not in package:
                        raise ScenarioError(
                            f"{place}.{key}", f"unknown package item {item!r} (one of: {', '.join(sorted(package))})"
                        )
            for item in quote.checklist:
                if item not in checklist_ids:
                    raise ScenarioError(f"{place}.checklist.{item}", "unknown checklist item")


def _single_quote_place(loc: tuple[Any, ...], raw: dict[str, Any]) -> tuple[Any, ...]:
    """Drop the list index from an error in a quote given as one object (``quotes.x.low``, not ``quotes.x.0.low``)."""
    quotes = raw.get("quotes")
    if len(loc) > 2 and loc[0] == "quotes" and isinstance(quotes, dict) and isinstance(quotes.get(loc[1]), dict):
        return (*loc[:2], *loc[3:]) if loc[2] == 0 else loc
    return loc


def parse_scenario(raw: Any, data: DataBundle, where: str, default_name: str | None = None) -> Scenario:
    """Validate a decoded JSON object as a Scenario; ScenarioError names ``where`` and the key."""
    if not isinstance(raw, dict):
        raise ScenarioError(where, "a scenario must be a JSON object")
    version = raw.get("schema_version", SCHEMA_VERSION)
    if type(version) is not int or version not in READABLE_VERSIONS:
        raise ScenarioError(
            f"{where}: schema_version",
            f"unsupported version {version!r} (this app reads {' and '.join(map(str, READABLE_VERSIONS))})",
        )
    unknown = next((key for key in raw if key not in Scenario.model_fields), None)
    if unknown is not None:  # named here, so 100,000 unknown keys do not become 100,000 validation errors
        raise ScenarioError(f"{where}: {unknown}", "Extra inputs are not permitted")
    if version == 1:
        raw = upgrade_v1(raw)
    if default_name and "name" not in raw:
        raw = {**raw, "name": default_name}
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        loc = _single_quote_place(tuple(first["loc"]), raw)
        place = _error_place(loc) if loc else _model_error_place(first["msg"])
        raise ScenarioError(f"{where}: {place}", first["msg"].removeprefix("Value error, ")) from None
    return check_against_data(scenario, data, where)


def load_scenario_text(text: str, data: DataBundle, where: str, default_name: str | None = None) -> Scenario:
    """Parse a scenario from JSON text."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        raise ScenarioError(where, f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    except RecursionError:
        raise ScenarioError(where, "not valid JSON (nested too deeply)") from None
    except ValueError:  # an integer with more digits than Python converts (sys.get_int_max_str_digits)
        raise ScenarioError(where, "not valid JSON (a number has too many digits)") from None
    return parse_scenario(raw, data, where, default_name)


def load_scenario_file(path: Path, data: DataBundle) -> Scenario:
    """Read a scenario file; its name defaults to the file's stem."""
    text = read_user_text(path, MAX_SCENARIO_BYTES)
    return load_scenario_text(text, data, str(path), default_name=path.stem)


def scenario_json(scenario: Scenario) -> str:
    """The scenario as pretty JSON (ranges written as numbers where low == high)."""
    return scenario.model_dump_json(indent=2, exclude_none=True)


def json_schema() -> dict[str, Any]:
    """The scenario file's JSON schema (``schema_version`` 1 or 2: version 1 files are upgraded on read)."""
    schema = Scenario.model_json_schema()
    schema["properties"]["schema_version"] = {
        "enum": list(READABLE_VERSIONS),
        "default": SCHEMA_VERSION,
        "title": "Schema Version",
        "description": "2 (current); 1 is read and upgraded (every version 1 key means the same in version 2).",
    }
    return schema
