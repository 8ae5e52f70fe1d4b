"""Many scenarios at once: read a batch file, validate each row, compute every (scenario, destination) together.

A batch file holds one scenario per row: a JSON list, JSON lines, or a CSV whose columns are the
scenario's keys with nested keys dotted (``travel.mexico_colombia.fare_per_traveller``) and lists
separated by ``;`` (``destinations`` = ``mexico_colombia;turkey_thailand``, ``stay.pre_days`` =
``1;2``). A bad row is reported by its line number and left out; the others are computed.

The computation is vectorised across scenarios: each (scenario, destination) pair is one element
of the columns of :class:`calculator.model.trips.TripColumns`, with every range's low end in a Span's
``low`` and its high end in ``high``, so one pass of the cost formulas computes every row.

Validation has a fast path: a row whose values are plainly valid (exact types, known ids, in
range) is checked and resolved here without building a pydantic model; any other row goes
through :func:`calculator.model.scenario.parse_scenario`, which either rejects it with the usual
message or accepts it (a row in a looser form, such as ``"2"`` for 2), and is then resolved from
the validated scenario. The fast path accepts nothing that parse_scenario would refuse, and
resolves each input as :mod:`calculator.model.inputs` does (tests compare both with ``compare``).
"""

from __future__ import annotations

import csv
import gc
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, get_args

import numpy as np

from calculator.model import costs
from calculator.model.data import DataBundle, PriceRow, TravelRow
from calculator.model.errors import ScenarioError
from calculator.model.fx import rate
from calculator.model.scenario import SCHEMA_VERSION, Days, Money, Quote, Scenario, Stay, parse_scenario
from calculator.model.span import Span
from calculator.model.trips import MISSING_PARTS, TripColumns, destination_total, home_total, missing_parts
from calculator.present.output import safe_cell

OUTPUT_COLUMNS = (
    "scenario",
    "destination",
    "total_low",
    "total_mid",
    "total_high",
    "savings_low",
    "savings_mid",
    "savings_high",
    "savings_pct_low",
    "savings_pct_mid",
    "savings_pct_high",
    "home_total_low",
    "home_total_mid",
    "home_total_high",
    "currency",
    "missing_inputs",
    "line",
)
"""The result CSV: one row per scenario and destination (savings low = worst case, high = best case)."""
ERROR_COLUMNS = ("line", "error")

INT_KEYS = {"schema_version", "travellers", "rooms", "sessions", "follow_up_trips", "follow_up_nights"}
NUMBER_LEAVES = {"fx_rate", "insurance", "contingency_pct", "lost_income_per_day"}
TRAVEL_NUMBERS = {"fare_per_traveller", "lodging_per_night", "daily_per_traveller"}
STAY_FIELDS = ("pre_days", "procedure_days", "recovery_days", "travel_days")
STAY_DEFAULTS = {f: tuple(Stay.model_fields[f].default) for f in STAY_FIELDS}
STAY_DEFAULT_DAYS = tuple(d for f in STAY_FIELDS for d in STAY_DEFAULTS[f])
EMPTY: dict[str, Any] = {}
DEFAULTS = {name: field.default for name, field in Scenario.model_fields.items()}
"""Each scenario key's default, from the model (the fast path fills what a row leaves out with these)."""
TOP_KEYS = set(Scenario.model_fields)
NUMBER_COLUMNS = (
    *("line", "home_low", "home_high", "sessions", "travellers", "rooms"),
    *("price_low", "price_high", "fare", "lodging", "daily"),
    *("follow_up_trips", "follow_up_nights", "contingency_pct", "insurance", "lost_income"),
    *("pre_lo", "pre_hi", "proc_lo", "proc_hi", "rec_lo", "rec_hi", "travel_lo", "travel_hi"),
)


INT_FIELDS = ("travellers", "rooms", "sessions", "follow_up_trips", "follow_up_nights")
MONEY_FIELDS = ("insurance", "lost_income_per_day", "contingency_pct")
ANSWERS = {"verified", "claimed", "no", "unknown", "not_applicable"}
CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class BatchError:
    """A row that could not be computed: its line in the file and the reason (names the key)."""

    line: int
    message: str


@contextmanager
def _paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many acyclic objects (decoded rows) are made.

    A batch allocates millions of small containers; the collector would traverse them over and
    over for nothing (they hold no reference cycles). Reference counting still frees them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- reading ----------------------------------------------------------------------------------------


def _number(text: str) -> Any:
    """A CSV cell as an int or a float if it reads as one, else the text (validation reports it)."""
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def _csv_value(key: str, text: str) -> Any:
    parts = key.split(".")
    if key == "destinations":
        return [p.strip() for p in text.split(";") if p.strip()]
    if parts[0] == "stay":
        values = [_number(p.strip()) for p in text.split(";")]
        return values[0] if len(values) == 1 else values
    if key in INT_KEYS or key in NUMBER_LEAVES:
        return _number(text)
    if (parts[0] == "travel" and parts[-1] in TRAVEL_NUMBERS) or (
        parts[0] == "quotes" and parts[-1] in ("low", "high")
    ):
        return _number(text)
    return text


def csv_row_to_scenario(row: dict[str, str]) -> dict[str, Any]:
    """One CSV row as a nested scenario object: dotted keys nest, ``;`` separates lists, blanks are left out."""
    raw: dict[str, Any] = {}
    for key, text in row.items():
        if key is None or text is None or not text.strip():
            continue
        *path, leaf = key.strip().split(".")
        node = raw
        for part in path:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ScenarioError(key, f"{part!r} is both a value and a group of columns")
            node = child
        if isinstance(node.get(leaf), dict):
            raise ScenarioError(key, f"{leaf!r} is both a value and a group of columns")
        node[leaf] = _csv_value(key.strip(), text.strip())
    return raw


def _csv_rows(text: str) -> Iterator[tuple[int, Any]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    for cells in reader:
        line = reader.line_num - sum(c.count("\n") for c in cells)
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            yield line, ScenarioError("row", f"has {len(cells)} cells, the header has {len(header)}")
            continue
        try:
            yield line, csv_row_to_scenario(dict(zip(header, cells, strict=True)))
        except ScenarioError as err:
            yield line, err


TOO_DEEP_OR_LONG = "not valid JSON (nested too deeply, or a number with too many digits)"


def _json_lines_rows(text: str) -> Iterator[tuple[int, Any]]:
    """Each non-blank line's JSON value; all lines are decoded in one call unless one of them is bad."""
    numbered = [(line, body) for line, body in enumerate(text.splitlines(), start=1) if body.strip()]
    try:
        values = json.loads("[" + ",".join(body for _, body in numbered) + "]")
    except (ValueError, RecursionError):  # JSONDecodeError, too many digits, nested too deeply: line by line
        values = None
    if values is not None and len(values) == len(numbered):
        yield from zip((line for line, _ in numbered), values, strict=True)
        return
    for line, body in numbered:
        try:
            yield line, json.loads(body)
        except json.JSONDecodeError as err:
            yield line, ScenarioError("row", f"not valid JSON (column {err.colno}: {err.msg})")
        except (ValueError, RecursionError):
            yield line, ScenarioError("row", TOO_DEEP_OR_LONG)


def _json_list_rows(text: str, where: str) -> Iterator[tuple[int, Any]]:
    """Each element of a top-level JSON list with the line it starts on."""
    decoder = json.JSONDecoder()
    start = len(text) - len(text.lstrip())
    pos, line, counted = start + 1, 1, 0

    def skip(at: int) -> int:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        return at

    pos = skip(pos)
    if pos < len(text) and text[pos] == "]":
        return
    while True:
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            raise ScenarioError(where, f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
        except (ValueError, RecursionError):
            raise ScenarioError(where, TOO_DEEP_OR_LONG) from None
        yield line, value
        pos = skip(end)
        if pos < len(text) and text[pos] == ",":
            pos = skip(pos + 1)
            continue
        if pos < len(text) and text[pos] == "]" and not text[pos + 1 :].strip():
            return
        raise ScenarioError(where, f"not valid JSON: expected ',' or ']' at line {text.count(chr(10), 0, pos) + 1}")


def read_rows(path: Path) -> Iterator[tuple[int, Any]]:
    """(line, decoded row or ScenarioError) for each row of a batch file; ScenarioError if the file is unreadable.

    The format follows the content: a JSON list starts with ``[``, JSON lines with ``{``, else CSV.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(str(path), f"cannot be read ({err.__class__.__name__}: {err})") from None
    return read_text_rows(text, str(path))


def read_text_rows(text: str, where: str) -> Iterator[tuple[int, Any]]:
    """As :func:`read_rows`, for text already read (an upload)."""
    head = text.lstrip()[:1]
    if not head:
        raise ScenarioError(where, "is empty")
    if head == "[":
        return _json_list_rows(text, where)
    if head == "{":
        return _json_lines_rows(text)
    return _csv_rows(text)


# --- validation and resolution -------------------------------------------------------------------


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
        if fx_rate is not None and not FX_OK(fx_rate):
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
        for group in (travel, quotes, checklist):
            if type(group) is not dict or not group.keys() <= dest_set:
                return False
        for answers in checklist.values():
            if type(answers) is not dict or not answers.keys() <= self.checklist:
                return False
            for answer in answers.values():
                if type(answer) is not str or answer not in ANSWERS:
                    return False
        head = (line, home_row.price_low * per_usd, home_row.price_high * per_usd, ints[2], ints[0], ints[1])
        tail = (ints[3], ints[4], money[2], money[0], money[1], *days)
        resolved = []
        for d, row in zip(dests, rows, strict=True):
            values = self._destination(d, row, travel.get(d, EMPTY), quotes.get(d), per_usd)
            if values is None:
                return False
            resolved.append(values)
        labels, numbers = valid.labels, valid.numbers
        for d, values in zip(dests, resolved, strict=True):
            labels.append((name, d, currency))
            numbers.extend(head)
            numbers.extend(values)
            numbers.extend(tail)
        return True

    def _destination(self, dest: str, row: PriceRow, travel: Any, quote: Any, per_usd: float) -> tuple | None:
        """(price low, price high, fare, lodging, daily) as calculator.model.inputs resolves them (NaN = missing)."""
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
            low, high = row.price_low * per_usd, row.price_high * per_usd
        else:
            if type(quote) is not dict or not quote.keys() <= QUOTE_KEYS:
                return None
            low, high, clinic = quote.get("low"), quote.get("high"), quote.get("clinic")
            if not (MONEY_OK(low) and MONEY_OK(high) and low <= high):
                return None
            if clinic is not None and not CLINIC.text(clinic):
                return None
            low, high = float(low), float(high)
        if city is not None:
            if lodging is None:
                lodging = city.lodging_per_night * per_usd
            if daily is None:
                daily = city.daily_per_traveller * per_usd
        nan = math.nan
        return (
            low,
            high,
            nan if fare is None else fare,
            nan if lodging is None else lodging,
            nan if daily is None else daily,
        )


def _plain(scenario: Scenario) -> dict[str, Any]:
    """A validated scenario as plain JSON values, which the fast path accepts."""
    return json.loads(scenario.model_dump_json(exclude_none=True))


@dataclass
class ValidRows:
    """The valid (scenario, destination) pairs: their labels, and their numbers flat (NUMBER_COLUMNS per pair)."""

    labels: list[tuple[str, str, str]]
    numbers: list[float]


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
    with _paused_gc():
        return _validate(rows, data, where, progress, every)


def _validate(
    rows: Iterable[tuple[int, Any]], data: DataBundle, where: str, progress: Callable[[int], None] | None, every: int
) -> tuple[ValidRows, list[BatchError]]:
    resolver = Resolver(data)
    valid = ValidRows([], [])
    errors: list[BatchError] = []
    for done, (line, raw) in enumerate(rows, start=1):
        if progress is not None and done % every == 0:
            progress(done)
        if isinstance(raw, ScenarioError):
            errors.append(BatchError(line, f"{where}, line {line}: {raw.where}: {raw.problem}"))
        elif not resolver.rows(raw, line, valid):
            place = f"{where}, line {line}"
            try:
                scenario = parse_scenario(raw, data, place, default_name=f"line {line}")
            except ScenarioError as err:
                errors.append(BatchError(line, str(err)))
                continue
            if not resolver.rows(_plain(scenario), line, valid):  # pragma: no cover - a bug if it happens
                raise AssertionError(f"{place}: a validated scenario was refused by the batch fast path")
    return valid, errors


# --- computation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchInputs:
    """The inputs of every (scenario, destination) pair as columns: strings as lists, numbers as arrays."""

    scenario: list[str]
    destination: list[str]
    currency: list[str]
    line: np.ndarray
    home_price: Span
    home_lost_income_per_day: np.ndarray
    trips: TripColumns

    def __len__(self) -> int:
        return len(self.scenario)


def batch_inputs(valid: ValidRows) -> BatchInputs:
    """Columns from the pairs of :func:`validate_rows`."""
    if not valid.labels:
        raise ValueError("no rows to compute")
    with _paused_gc():
        table = np.array(valid.numbers, dtype=float).reshape(len(valid.labels), len(NUMBER_COLUMNS))
        columns = np.ascontiguousarray(table.T)  # one contiguous row per column: the formulas stream through memory
        names, dests, currencies = (list(col) for col in zip(*valid.labels, strict=True))
    c = dict(zip(NUMBER_COLUMNS, columns, strict=True))
    trips = TripColumns(
        sessions=c["sessions"],
        travellers=c["travellers"],
        rooms=c["rooms"],
        price=Span(c["price_low"], c["price_high"]),
        fare=c["fare"],
        lodging_per_night=c["lodging"],
        daily_per_traveller=c["daily"],
        follow_up_trips=c["follow_up_trips"],
        follow_up_nights=c["follow_up_nights"],
        contingency_pct=c["contingency_pct"],
        insurance=c["insurance"],
        lost_income_per_day=c["lost_income"],
        pre_days=Span(c["pre_lo"], c["pre_hi"]),
        procedure_days=Span(c["proc_lo"], c["proc_hi"]),
        recovery_days=Span(c["rec_lo"], c["rec_hi"]),
        travel_days=Span(c["travel_lo"], c["travel_hi"]),
    )
    return BatchInputs(
        names,
        dests,
        currencies,
        c["line"].astype(np.int64),
        Span(c["home_low"], c["home_high"]),
        c["lost_income"],
        trips,
    )


@dataclass(frozen=True)
class BatchResult:
    """Home total, the destination's total, savings (low = worst, high = best) and savings % per pair."""

    inputs: BatchInputs
    home: Span
    total: Span
    savings: Span
    savings_pct: tuple[np.ndarray, np.ndarray, np.ndarray]
    missing: dict[str, np.ndarray]


def compute(inputs: BatchInputs) -> BatchResult:
    """Every pair at once: the formulas of calculator.model.costs over the columns (no loop over scenarios)."""
    t = inputs.trips
    home = home_total(inputs.home_price, t.sessions, inputs.home_lost_income_per_day, t.procedure_days, t.recovery_days)
    total = destination_total(t)
    saved = costs.savings(home, total)
    return BatchResult(inputs, home, total, saved, costs.savings_pct(saved, home), missing_parts(t))


def _cell(text: str) -> str:
    """Text as one CSV cell: quoted when it holds a comma, quote or line break."""
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def _cents(values: np.ndarray) -> list[str] | np.ndarray:
    """Money for the CSV: the array itself (formatted to cents when written), or text if any value is missing."""
    if np.isnan(values).any():
        return ["" if math.isnan(v) else f"{v:.2f}" for v in values.tolist()]
    return values


def result_columns(result: BatchResult) -> dict[str, list | np.ndarray]:
    """The output columns (OUTPUT_COLUMNS): text as lists, money as float arrays (written to cents)."""
    r = result
    missing = np.full(len(r.inputs), "", dtype=object)
    for part in MISSING_PARTS:
        flag = r.missing[part]
        missing[flag] = np.where(missing[flag] == "", part, missing[flag] + ";" + part)
    return {
        "scenario": r.inputs.scenario,
        "destination": r.inputs.destination,
        "total_low": r.total.low,
        "total_mid": r.total.mid,
        "total_high": r.total.high,
        "savings_low": r.savings.low,
        "savings_mid": r.savings.mid,
        "savings_high": r.savings.high,
        "savings_pct_low": _cents(r.savings_pct[0]),
        "savings_pct_mid": _cents(r.savings_pct[1]),
        "savings_pct_high": _cents(r.savings_pct[2]),
        "home_total_low": r.home.low,
        "home_total_mid": r.home.mid,
        "home_total_high": r.home.high,
        "currency": r.inputs.currency,
        "missing_inputs": missing.tolist(),
        "line": r.inputs.line.tolist(),
    }


def write_results(result: BatchResult, out: TextIO) -> None:
    """The result as CSV with a header (OUTPUT_COLUMNS); money to cents, text neutralised against formulas.

    Rows are formatted with one format string (the csv module is several times slower for this).
    """
    columns = result_columns(result)
    columns["scenario"] = [_cell(str(safe_cell(n))) for n in columns["scenario"]]
    formats, values = [], []
    for name in OUTPUT_COLUMNS:
        column = columns[name]
        if isinstance(column, np.ndarray):
            formats.append("{:.2f}")
            values.append(column.tolist())
        else:
            formats.append("{}")
            values.append(column)
    row = ",".join(formats) + "\n"
    out.write(",".join(OUTPUT_COLUMNS) + "\n")
    with _paused_gc():
        out.write("".join(row.format(*cells) for cells in zip(*values, strict=True)))


def write_errors(errors: list[BatchError], out: TextIO) -> None:
    """The bad rows as CSV: line, error."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ERROR_COLUMNS)
    writer.writerows((e.line, safe_cell(e.message)) for e in errors)


def run_rows(
    rows: Iterable[tuple[int, Any]], data: DataBundle, where: str, progress: Callable[[int], None] | None = None
) -> tuple[BatchResult | None, list[BatchError]]:
    """Validate and compute every row; the result is None when no row could be computed."""
    with _paused_gc():
        valid, errors = validate_rows(rows, data, where, progress)
        return (compute(batch_inputs(valid)) if valid.labels else None), errors


def results_csv(result: BatchResult) -> str:
    """The result CSV as text (see write_results)."""
    buf = io.StringIO()
    write_results(result, buf)
    return buf.getvalue()


def errors_csv(errors: list[BatchError]) -> str:
    """The bad rows as CSV text (line, error)."""
    buf = io.StringIO()
    write_errors(errors, buf)
    return buf.getvalue()


def run_batch(path: Path, data: DataBundle) -> tuple[BatchResult | None, list[BatchError]]:
    """Read, validate and compute a batch file (ScenarioError if the file itself cannot be read)."""
    return run_rows(read_rows(path), data, str(path))
