"""Load and validate the bundled data files into typed, read-only tables.

Each file is checked row by row with pydantic; the first bad cell raises a
:class:`DataError` that names the file, the line and the column. Cross-file checks
(every ``source_id`` is in the bibliography, every city's region has a price row) run
after each file loads.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from calculator.model.errors import DataError
from calculator.model.sources import Source, SourceKind

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
"""The bundled data folder."""


def configured_data_dir() -> Path:
    """The data folder in use: ``CALC_DATA_DIR`` if set (read at each call), else the bundled ``data/``."""
    return Path(os.environ.get("CALC_DATA_DIR") or DATA_DIR).resolve()


Severity = Literal["critical", "important", "advisory"]
MAX_PRICE = 1e9
"""Plausibility bound on a price per session (USD): a typo like 1e308 is refused, not overflowed into the totals."""
MAX_DAILY = 1e6
"""Plausibility bound on a lodging or daily rate (USD)."""


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else value


class PriceRow(_Row):
    """One region's cited price range for one procedure (``data/costs.csv``)."""

    procedure: str
    region_id: str
    region_name: str
    countries: tuple[str, ...]
    role: Literal["home", "destination"]
    price_low: float = Field(ge=0, le=MAX_PRICE, allow_inf_nan=False)
    price_high: float = Field(ge=0, le=MAX_PRICE, allow_inf_nan=False)
    high_open: bool
    currency: Literal["USD"]
    stated_savings_low_pct: float | None = Field(default=None, ge=0, le=100)
    stated_savings_high_pct: float | None = Field(default=None, ge=0, le=100)
    stated_savings_basis: Literal["procedure_only"] | None = None
    source_id: str
    source_kind: SourceKind
    note: str | None = None

    @field_validator("countries", mode="before")
    @classmethod
    def _split_countries(cls, value: Any) -> Any:
        return tuple(c.strip() for c in value.split(";")) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _ordered(self) -> PriceRow:
        if self.price_low > self.price_high:
            raise ValueError("price_low is above price_high")
        stated = (self.stated_savings_low_pct, self.stated_savings_high_pct)
        if (stated[0] is None) != (stated[1] is None):
            raise ValueError("give both stated_savings_low_pct and stated_savings_high_pct, or neither")
        if stated[0] is not None and stated[0] > stated[1]:
            raise ValueError("stated_savings_low_pct is above stated_savings_high_pct")
        return self

    @property
    def stated_savings_pct(self) -> tuple[float, float] | None:
        """The vendor's stated savings range in percent, if it states one."""
        if self.stated_savings_low_pct is None:
            return None
        return (self.stated_savings_low_pct, self.stated_savings_high_pct)


class TravelRow(_Row):
    """Default lodging and daily costs for one city (``data/travel_costs.csv``)."""

    city_id: str
    region_id: str
    country: str
    city: str
    default_for_region: bool
    lodging_per_night: float = Field(ge=0, le=MAX_DAILY, allow_inf_nan=False)
    daily_per_traveller: float = Field(ge=0, le=MAX_DAILY, allow_inf_nan=False)
    currency: Literal["USD"]
    season: str
    rate_effective_date: dt.date
    source_id: str
    basis: str


class FxRow(_Row):
    """A currency's ECB reference rate against the euro (``data/fx_rates.csv``)."""

    currency: str = Field(pattern=r"^[A-Z]{3}$")
    name: str
    per_eur: float = Field(ge=1e-4, le=1e7, allow_inf_nan=False)
    rate_date: dt.date
    source_id: str


class ChecklistItem(_Row):
    """One due-diligence item (``data/safety_checklist.yaml``)."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)

    id: str
    label: str
    category: str
    severity: Severity
    why: str
    how_to_verify: str
    from_seed: bool = False
    sources: tuple[str, ...] = Field(min_length=1)


class PackageItem(_Row):
    """A part of a clinic's package price (``data/package_items.yaml``): consultation, harvest, ..."""

    id: str
    label: str
    why: str
    sources: tuple[str, ...] = Field(min_length=1)


class Question(_Row):
    """A question to ask a clinic (``questions:`` in ``data/safety_checklist.yaml``)."""

    id: str
    text: str
    sources: tuple[str, ...] = Field(min_length=1)


ClaimStatus = Literal["supported", "partly_supported", "unsupported", "contradicted"]


class Claim(_Row):
    """One of the vendor's claims and what the evidence says of it (``data/claims.yaml``)."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)

    id: str
    quote: str
    where: str
    topic: str
    status: ClaimStatus
    evidence: str
    sources: tuple[str, ...] = Field(min_length=1)


class CountryRule(_Row):
    """A country's regulation of this use of stem cells (``data/regulation.yaml``).

    ``restricts_this_use`` is ``None`` where the sources name the rule but not what it allows.
    """

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)

    country: str = Field(pattern=r"^[A-Z]{2}$")
    name: str
    region_id: str
    regulator: str
    rule: str
    restricts_this_use: bool | None
    summary: str
    as_of: str
    sources: tuple[str, ...] = Field(min_length=1)


class Procedure(_Row):
    """A treatment the calculator prices (``data/procedures.yaml``)."""

    id: str
    name: str
    description: str
    evidence_status: Literal["experimental", "established"]
    evidence_summary: str
    sources: tuple[str, ...] = Field(min_length=1)


@dataclass(frozen=True)
class DataBundle:
    """Every bundled table, validated and cross-checked."""

    sources: dict[str, Source]
    procedure_info: dict[str, Procedure]
    prices: dict[tuple[str, str], PriceRow]
    travel: dict[str, TravelRow]
    fx: dict[str, FxRow]
    checklist: tuple[ChecklistItem, ...]
    questions: tuple[Question, ...]
    claims: tuple[Claim, ...]
    regulation: dict[str, CountryRule]
    package_items: tuple[PackageItem, ...] = ()

    @property
    def procedures(self) -> list[str]:
        """The procedures that have a price table, in file order."""
        return list(dict.fromkeys(proc for proc, _ in self.prices))

    def regions(self, procedure: str, role: str | None = None) -> list[PriceRow]:
        """The price rows for a procedure, optionally only homes or destinations."""
        return [r for (p, _), r in self.prices.items() if p == procedure and role in (None, r.role)]

    def cities(self, region_id: str) -> list[TravelRow]:
        """The cities with travel-cost defaults in a region (the default first)."""
        rows = [r for r in self.travel.values() if r.region_id == region_id]
        return sorted(rows, key=lambda r: not r.default_for_region)

    def default_city(self, region_id: str) -> TravelRow | None:
        """The region's default city for lodging and daily costs, if any."""
        rows = self.cities(region_id)
        return rows[0] if rows and rows[0].default_for_region else None


T = TypeVar("T", bound=BaseModel)


def _validated(model: type[T], rows: Iterable[tuple[str, dict[str, Any]]], file: str) -> list[T]:
    """Validate each (place, row) pair; the first bad cell raises a DataError naming it."""
    out = []
    for place, row in rows:
        try:
            out.append(model.model_validate(row))
        except ValidationError as err:
            first = err.errors()[0]
            column = ".".join(str(p) for p in first["loc"]) or "row"
            raise DataError(f"{file}, {place}, column {column!r}", first["msg"]) from None
    return out


def _read_csv(path: Path) -> list[tuple[str, dict[str, Any]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:  # a byte-order mark (Excel's "CSV UTF-8") is dropped
            reader = csv.DictReader(fh)
            rows = [(f"line {reader.line_num}", row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise DataError(path.name, f"cannot be read ({' '.join(str(err).split())})") from None
    if not rows:
        raise DataError(path.name, "has no data rows")
    for place, row in rows:
        if None in row or None in row.values():
            raise DataError(f"{path.name}, {place}", "has a different number of cells than the header")
    return rows


MAX_YAML_DEPTH = 20
"""Deepest nesting a data file may have (the bundled files nest 4 deep): deeper is refused before it is built."""


def _check_yaml_shape(text: str) -> None:
    """Refuse YAML nested deeper than MAX_YAML_DEPTH, or using aliases (``*a``), before any object is built.

    PyYAML builds nested values recursively (a RecursionError past about 1,000 levels), and aliases can make a
    few lines stand for billions of items (a "billion laughs"); the bundled files use neither. Reading the
    event stream costs no recursion and builds nothing.
    """
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.YAMLError(f"an alias (*{event.anchor}) at line {event.start_mark.line + 1}: not allowed here")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise yaml.YAMLError(f"nested more than {MAX_YAML_DEPTH} deep at line {event.start_mark.line + 1}")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _read_yaml_list(path: Path, key: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
        _check_yaml_shape(text)
        doc = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise DataError(path.name, f"cannot be read ({' '.join(str(err).split())})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise DataError(path.name, f"must be a mapping with a {key!r} list")
    items = doc[key]
    if not items:  # an empty checklist would read "checks done" everywhere: a false all-clear
        raise DataError(path.name, f"the {key!r} list is empty")
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise DataError(f"{path.name}, {key}[{i}]", "must be a mapping")
    return [(f"{key}[{i}] (id {item.get('id', '?')!r})", item) for i, item in enumerate(items, start=1)]


def _unique(items: Iterable[Any], key: str, file: str) -> None:
    seen: set[Any] = set()
    for item in items:
        value = getattr(item, key)
        if value in seen:
            raise DataError(file, f"duplicate {key} {value!r}")
        seen.add(value)


def _check_sources(cited: Iterable[tuple[str, str]], sources: dict[str, Source], file: str) -> None:
    for place, source_id in cited:
        if source_id not in sources:
            raise DataError(f"{file}, {place}", f"source {source_id!r} is not in sources.yaml")


def load_sources(path: Path) -> dict[str, Source]:
    """The bibliography, keyed by id."""
    sources = _validated(Source, _read_yaml_list(path, "sources"), path.name)
    _unique(sources, "id", path.name)
    return {s.id: s for s in sources}


def load_prices(path: Path, sources: dict[str, Source]) -> dict[tuple[str, str], PriceRow]:
    """The price table keyed by (procedure, region_id); each procedure has one home row."""
    rows = _validated(PriceRow, _read_csv(path), path.name)
    keys = [(r.procedure, r.region_id) for r in rows]
    if len(set(keys)) != len(keys):
        raise DataError(path.name, "a (procedure, region_id) pair appears twice")
    for procedure in dict.fromkeys(r.procedure for r in rows):
        homes = [r.region_id for r in rows if r.procedure == procedure and r.role == "home"]
        if len(homes) != 1:
            raise DataError(
                path.name,
                f"procedure {procedure!r} has {len(homes)} home rows ({', '.join(homes)}): it needs exactly one",
            )
    _check_sources(((f"region {r.region_id!r}", r.source_id) for r in rows), sources, path.name)
    for r in rows:
        if sources[r.source_id].kind != r.source_kind:
            raise DataError(f"{path.name}, region {r.region_id!r}", "source_kind differs from the source's kind")
    return dict(zip(keys, rows, strict=True))


def load_travel(path: Path, sources: dict[str, Source], regions: set[str]) -> dict[str, TravelRow]:
    """Per-city lodging and daily defaults keyed by city_id (at most one default per region)."""
    rows = _validated(TravelRow, _read_csv(path), path.name)
    _unique(rows, "city_id", path.name)
    _check_sources(((f"city {r.city_id!r}", r.source_id) for r in rows), sources, path.name)
    defaults: set[str] = set()
    for r in rows:
        if r.region_id not in regions:
            raise DataError(f"{path.name}, city {r.city_id!r}", f"region_id {r.region_id!r} is not in costs.csv")
        if r.default_for_region:
            if r.region_id in defaults:
                raise DataError(path.name, f"region {r.region_id!r} has two default cities")
            defaults.add(r.region_id)
    return {r.city_id: r for r in rows}


def load_fx(path: Path, sources: dict[str, Source]) -> dict[str, FxRow]:
    """Exchange rates keyed by currency code; USD must be present (the data's currency)."""
    rows = _validated(FxRow, _read_csv(path), path.name)
    _unique(rows, "currency", path.name)
    _check_sources(((f"currency {r.currency!r}", r.source_id) for r in rows), sources, path.name)
    fx = {r.currency: r for r in rows}
    if "USD" not in fx:
        raise DataError(path.name, "has no USD row (the price data are in USD)")
    return fx


def load_procedures(path: Path, sources: dict[str, Source]) -> dict[str, Procedure]:
    """The treatments, keyed by id."""
    items = _validated(Procedure, _read_yaml_list(path, "procedures"), path.name)
    _unique(items, "id", path.name)
    _check_sources(((f"procedure {p.id!r}", s) for p in items for s in p.sources), sources, path.name)
    return {p.id: p for p in items}


def _sourced_items(model: type[T], path: Path, key: str, kind: str, sources: dict[str, Source]) -> tuple[T, ...]:
    """The ``key:`` list of a YAML file validated as ``model``: unique ids, every source known (file order)."""
    items = _validated(model, _read_yaml_list(path, key), path.name)
    _unique(items, "id", path.name)
    _check_sources(((f"{kind} {i.id!r}", s) for i in items for s in i.sources), sources, path.name)
    return tuple(items)


def load_checklist(path: Path, sources: dict[str, Source]) -> tuple[ChecklistItem, ...]:
    """The due-diligence checklist items, in file order."""
    return _sourced_items(ChecklistItem, path, "items", "item", sources)


def load_package_items(path: Path, sources: dict[str, Source]) -> tuple[PackageItem, ...]:
    """The package items a clinic's quote may include, in file order."""
    return _sourced_items(PackageItem, path, "items", "item", sources)


def load_questions(path: Path, sources: dict[str, Source]) -> tuple[Question, ...]:
    """The questions to ask a clinic (``questions:`` in the checklist file)."""
    return _sourced_items(Question, path, "questions", "question", sources)


def load_claims(path: Path, sources: dict[str, Source]) -> tuple[Claim, ...]:
    """The register of the vendor's claims, in file order."""
    return _sourced_items(Claim, path, "claims", "claim", sources)


def load_regulation(path: Path, sources: dict[str, Source], regions: set[str]) -> dict[str, CountryRule]:
    """Each country's regulation of this use, keyed by ISO country code."""
    rows = _validated(CountryRule, _read_yaml_list(path, "countries"), path.name)
    _unique(rows, "country", path.name)
    _check_sources(((f"country {r.country!r}", s) for r in rows for s in r.sources), sources, path.name)
    for r in rows:
        if r.region_id not in regions:
            raise DataError(f"{path.name}, country {r.country!r}", f"region_id {r.region_id!r} is not in costs.csv")
    return {r.country: r for r in rows}


def load_data(data_dir: Path | None = None) -> DataBundle:
    """Load and cross-check every data file in ``data_dir`` (default: the configured folder); cached per folder."""
    return _load_folder((data_dir or configured_data_dir()).resolve())


def clear_data_cache() -> None:
    """Forget every loaded folder (for a folder whose files were changed in place)."""
    _load_folder.cache_clear()


@cache
def _load_folder(data_dir: Path) -> DataBundle:
    sources = load_sources(data_dir / "sources.yaml")
    procedure_info = load_procedures(data_dir / "procedures.yaml", sources)
    prices = load_prices(data_dir / "costs.csv", sources)
    for procedure, region in prices:
        if procedure not in procedure_info:
            raise DataError(f"costs.csv, region {region!r}", f"procedure {procedure!r} is not in procedures.yaml")
    regions = {region for _, region in prices}
    return DataBundle(
        sources=sources,
        procedure_info=procedure_info,
        prices=prices,
        travel=load_travel(data_dir / "travel_costs.csv", sources, regions),
        fx=load_fx(data_dir / "fx_rates.csv", sources),
        checklist=load_checklist(data_dir / "safety_checklist.yaml", sources),
        questions=load_questions(data_dir / "safety_checklist.yaml", sources),
        claims=load_claims(data_dir / "claims.yaml", sources),
        regulation=load_regulation(data_dir / "regulation.yaml", sources, regions),
        package_items=load_package_items(data_dir / "package_items.yaml", sources),
    )
