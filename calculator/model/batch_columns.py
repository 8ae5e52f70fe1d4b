"""Validating a CSV batch column by column: whole columns checked at once, rows looked at only when they fail.

A CSV batch is already columns. The cells of each block of rows (:data:`BLOCK_ROWS`) are hashed
once (:func:`factorised`) and every column is checked and converted in one pass: a cell's value is
worked out once per distinct cell text, and once per file for the conversions that depend on the
cell alone (a file repeats the same few fares, stays and destination lists), with the very rules
of :mod:`calculator.model.batch_files` (reading) and :class:`calculator.model.batch_validate.Resolver`
(the fast path), and looked up for the others. Rows with the same procedure, home, currency and
destinations share their price rows and rate, so they are resolved together with array
arithmetic; a row's own figures are held once for all its pairs (:class:`Pairs`). Each pair
carries what the row path gives a CSV row's single quote: the clinic's name
(``quotes.<destination>.clinic``), whether the price (and the home price, ``quotes.home``) is the
user's quote, no included hotel nights and no unpriced package items. A row any check refuses, or
with a value in a column this path does not know (a checklist answer, an own exchange rate, an
itemised quote), goes through the row-by-row path, which reports it with
its usual message or accepts it in a looser form; the accepted rows of both paths come out in
file order. Memory is bounded by the block size, not the file.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain, count
from typing import Any

import numpy as np

from calculator.model.batch_files import TRAVEL_NUMBERS, BatchError, CsvRows, _csv_value, _number, csv_row_to_scenario
from calculator.model.batch_validate import (
    CLINIC,
    CURRENCY,
    DAYS_OK,
    DEFAULTS,
    INT_CHECKS,
    INT_FIELDS,
    LIMITS,
    MONEY_CHECKS,
    MONEY_FIELDS,
    MONEY_OK,
    NUMBER_COLUMNS,
    STAY_DEFAULTS,
    STAY_FIELDS,
    Block,
    Resolver,
    ValidRows,
    check_row,
    objects,
)
from calculator.model.errors import ScenarioError
from calculator.model.scenario import HOME_QUOTE, SCHEMA_VERSION

BLOCK_ROWS = 5_000
"""Rows validated together (bounds the memory the cells of a block take)."""
BAD = math.inf
"""A number cell that is present but not plainly valid (every valid value is finite)."""
NAN = math.nan
"""A number cell left blank."""
GROUP_KEYS = ("procedure", "home", "currency", "destinations")


def _kind(key: str) -> tuple[str, ...]:
    """What a (stripped) header key is to this path: ('int', field), ('travel', dest, leaf), ... or ('other',)."""
    parts = key.split(".")
    if len(parts) == 1 and key in (*GROUP_KEYS, "name", "schema_version"):
        return (key,)
    if len(parts) == 1 and key in INT_FIELDS:
        return ("int", key)
    if len(parts) == 1 and key in MONEY_FIELDS:
        return ("money", key)
    if len(parts) == 2 and parts[0] == "stay" and parts[1] in STAY_FIELDS:
        return ("stay", parts[1])
    if len(parts) == 3 and parts[0] == "travel" and parts[1] != HOME_QUOTE and parts[2] in (*TRAVEL_NUMBERS, "city"):
        return ("travel", parts[1], parts[2])
    if len(parts) == 3 and parts[0] == "quotes" and parts[2] in ("low", "high", "clinic"):
        return ("quotes", parts[1], parts[2])
    return ("other",)


@dataclass(frozen=True)
class Plan:
    """Where each kind of column is in a CSV's header."""

    header: list[str]
    kinds: dict[tuple[str, ...], int]
    others: tuple[int, ...]

    @classmethod
    def of(cls, header: list[str]) -> Plan | None:
        """The plan for a header; None when only the row-by-row path will do (a key twice, or nested under another)."""
        keys = [k.strip() for k in header]
        if len(set(keys)) != len(keys):
            return None
        prefixes = {".".join(k.split(".")[:i]) for k in keys for i in range(1, k.count(".") + 1)}
        if prefixes & set(keys):
            return None
        kinds: dict[tuple[str, ...], int] = {}
        others = []
        for i, key in enumerate(keys):
            kind = _kind(key)
            if kind == ("other",):
                others.append(i)
            else:
                kinds[kind] = i
        return cls(header, kinds, tuple(others))


def _number_cell(check: Callable[[Any], bool], default: Any) -> Callable[[str], float]:
    def convert(text: str) -> float:
        if not text:
            return NAN if default is None else float(default)
        value = _number(text)
        return float(value) if check(value) else BAD

    return convert


def _clinic(text: str) -> float:
    """1 for a clinic's name the fast path accepts, 0 for none, BAD for one too long."""
    return (1.0 if CLINIC.text(text) else BAD) if text else 0.0


def _present(text: str) -> float:
    """1 for a cell holding something, 0 for a blank one."""
    return 1.0 if text else 0.0


def _other_version(text: str) -> float:
    """1 for a schema_version other than this one (blank: this one), else 0."""
    return 0.0 if not text or text == str(SCHEMA_VERSION) else 1.0


def _clinic_name(text: str) -> str | None:
    """A clinic's name as given (None for a blank cell)."""
    return text or None


def _stay_end(field: str, end: int) -> Callable[[str], float]:
    def convert(text: str) -> float:
        value = _csv_value(f"stay.{field}", text) if text else STAY_DEFAULTS[field]
        if DAYS_OK(value):
            return float(value)
        ok = type(value) in (list, tuple) and len(value) == 2 and DAYS_OK(value[0]) and DAYS_OK(value[1])
        return float(value[end]) if ok and value[0] <= value[1] else BAD

    return convert


Memo = dict[tuple[int, str], dict[str, Any]]
"""Cells already converted, by (column, conversion): a file's blocks repeat the same few cells."""
MEMO_CELLS = 2_000
"""A column's memo is cleared beyond this many distinct cells: a few hundred kB a column at most, on a file
whose cells are all different (a file repeats a few hundred fares, stays and city ids)."""


def factorised(cells: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct cells of a block (in order of first appearance) and each cell's position among them,
    column by column (codes[i][r]: column i of row r).

    One dict over the block's cells, row by row: no transposition of the cells, each cell hashed once.
    """
    first: dict[str, int] = {}
    n, width = len(cells), len(cells[0]) if cells else 0
    at = np.fromiter(map(first.setdefault, chain.from_iterable(cells), count()), np.intp, n * width)
    dense = np.empty(n * width, dtype=np.intp)
    dense[np.fromiter(first.values(), np.intp, len(first))] = np.arange(len(first))
    return objects(first, len(first)), np.ascontiguousarray(dense[at].reshape(n, width).T)


def _factorised_ints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of an array of non-negative ints (sorted) and each value's position among them."""
    top = int(values.max()) + 1 if len(values) else 0
    if top > 4 * len(values):  # a sparse range: sort
        keys, inverse = np.unique(values, return_inverse=True)
        return keys, inverse.reshape(-1)
    keys = np.flatnonzero(np.bincount(values, minlength=top))
    position = np.zeros(top, dtype=np.intp)
    position[keys] = np.arange(len(keys))
    return keys, position[values]


class ColumnChecker:
    """Checks and resolves one block of CSV rows by columns (see the module docstring)."""

    def __init__(self, plan: Plan, resolver: Resolver, lines: list[int], cells: list[list[str]], memo: Memo) -> None:
        self.plan, self.resolver, self.memo = plan, resolver, memo
        self.lines, self.n = np.array(lines), len(lines)
        self.slow = np.zeros(self.n, dtype=bool)
        self.group_values: dict[str, dict[Any, int]] = {k: {} for k in GROUP_KEYS}
        self.distinct, self.codes = factorised(cells)
        size = len(self.distinct)
        flat = (self.codes + (np.arange(len(self.codes)) * size)[:, None]).reshape(-1)
        self.held = np.bincount(flat, minlength=size * len(self.codes)).reshape(-1, size) > 0
        """held[i, c]: whether column i holds distinct cell c somewhere."""

    def _col(self, *kind: str) -> int | None:
        return self.plan.kinds.get(kind)

    def _mapped(self, i: int, convert: Callable[[str], Any], dtype: type = float, memo: str = "") -> np.ndarray:
        """``convert`` of each stripped cell of column i, worked out once per distinct cell (and, with a ``memo``
        name, once per file: the conversion must then depend on the cell alone)."""
        present = np.flatnonzero(self.held[i])
        cells = self.distinct[present].tolist()
        if memo:
            known = self.memo.setdefault((i, memo), {})
            if len(known) > MEMO_CELLS:
                known.clear()
            values = [known[c] if c in known else known.setdefault(c, convert(c.strip())) for c in cells]
        else:
            values = [convert(c.strip()) for c in cells]
        table = np.zeros(len(self.distinct), dtype=dtype)
        table[present] = objects(values, len(values)) if dtype is object else values
        return table[self.codes[i]]

    def _numbers(self, kind: tuple[str, ...], convert: Callable[[str], float], default: float, memo: str) -> np.ndarray:
        """A number column converted (``default`` where the header lacks it); cells refused mark their rows slow."""
        col = self._col(*kind)
        if col is None:
            return np.full(self.n, default)
        value = self._mapped(col, convert, float, memo)
        self.slow |= value == BAD
        return value

    def block(self) -> tuple[Block | None, np.ndarray]:
        """The pairs of the rows this path accepts, and a mask of the rows it leaves to the row-by-row path."""
        for i in self.plan.others:
            self.slow |= self._mapped(i, _present, float, "present") > 0
        if (col := self._col("schema_version")) is not None:
            self.slow |= self._mapped(col, _other_version, float, "version") > 0
        names = self._names()
        numbers = self._row_numbers()
        home_quote = self._quote(HOME_QUOTE)
        codes = [self._group_codes(key) for key in GROUP_KEYS]
        dests_seen = {d for kind in self.plan.kinds if kind[0] in ("travel", "quotes") for d in kind[1:2]}
        dests_seen |= {d for dests in self.group_values["destinations"] if dests for d in dests if type(d) is str}
        dests_seen.discard(HOME_QUOTE)
        by_dest = {d: self._destination(d) for d in sorted(dests_seen)}
        groups = []
        for group, rows in self._groups(codes):
            resolved = self._group(*group)
            if resolved is None:
                self.slow[rows] = True
                continue
            for other in dests_seen - set(group[3]):
                self.slow[rows] |= by_dest[other]["given"][rows]
            rows = rows[~self.slow[rows]]
            if len(rows):
                groups.append((rows, group[2], group[3], *resolved))
        pairs = Pairs(self.n, groups)
        if not pairs.total:
            return None, self.slow
        home = np.full((3, self.n), NAN)
        for rows, _, _, per_usd, home_row, _ in groups:
            home[0, rows] = _or(home_quote[0][rows], home_row.price_low * per_usd)
            home[1, rows] = _or(home_quote[1][rows], home_row.price_high * per_usd)
            home[2, rows] = home_quote[2][rows]
        numbers |= {"home_low": home[0], "home_high": home[1], "home_quoted": home[2]}
        columns = {name: numbers[PAIR_COLUMNS.get(name, name)][pairs.rows] for name in ROW_COLUMNS}
        columns |= {name: np.empty(pairs.total) for name in DEST_COLUMNS}
        columns["nights_included"] = np.zeros(pairs.total)
        dest_labels, currencies, clinics = (np.empty(pairs.total, dtype=object) for _ in range(3))
        for rows, currency, dests, per_usd, _, price_rows in groups:
            for k, (dest, row) in enumerate(zip(dests, price_rows, strict=True)):
                at, d = pairs.at(rows, k), by_dest[dest]
                columns["price_low"][at] = _or(d["quote_low"][rows], row.price_low * per_usd)
                columns["price_high"][at] = _or(d["quote_high"][rows], row.price_high * per_usd)
                columns["quoted"][at] = d["quoted"][rows]
                columns["fare"][at] = d["fare"][rows]
                columns["lodging"][at] = _or(d["lodging"][rows], d["city_lodging"][rows] * per_usd)
                columns["daily"][at] = _or(d["daily"][rows], d["city_daily"][rows] * per_usd)
                dest_labels[at], currencies[at], clinics[at] = dest, currency, d["clinic"][rows]
        unpriced = _repeated((), pairs.total)
        block = Block(names[pairs.rows], dest_labels, currencies, clinics, unpriced, columns, pairs.counts, PER_ROW)
        return block, self.slow

    def _row_numbers(self) -> dict[str, np.ndarray]:
        """Each row's line, whole-number and money fields and stay ends (float columns; defaults where blank)."""
        numbers: dict[str, np.ndarray] = {"line": self.lines.astype(float)}
        for field, check in (*zip(INT_FIELDS, INT_CHECKS, strict=True), *zip(MONEY_FIELDS, MONEY_CHECKS, strict=True)):
            kind = ("int" if field in INT_FIELDS else "money", field)
            numbers[field] = self._numbers(kind, _number_cell(check, DEFAULTS[field]), float(DEFAULTS[field]), "n")
        for field, ends in zip(STAY_FIELDS, STAY_COLUMNS, strict=True):
            for name, end in zip(ends, (0, 1), strict=True):
                default = float(STAY_DEFAULTS[field][end])
                numbers[name] = self._numbers(("stay", field), _stay_end(field, end), default, name)
        return numbers

    def _groups(self, codes: list[np.ndarray]) -> Iterator[tuple[list[Any], np.ndarray]]:
        """Each distinct (procedure, home, currency, destinations) of the block, with its rows (in file order)."""
        sizes = [max(len(self.group_values[k]), 1) for k in GROUP_KEYS]
        combined = codes[0]
        for code, size in zip(codes[1:], sizes[1:], strict=True):
            combined = combined * size + code
        keys, inverse = _factorised_ints(combined)
        if len(keys) == 1:
            groups = [np.arange(self.n)]
        else:
            order = np.argsort(inverse, kind="stable")
            groups = np.split(order, np.cumsum(np.bincount(inverse, minlength=len(keys)))[:-1])
        by_code = {k: {c: v for v, c in self.group_values[k].items()} for k in GROUP_KEYS}
        for key, rows in zip(keys.tolist(), groups, strict=True):
            parts = []
            for size in reversed(sizes):
                parts.append(key % size)
                key //= size
            yield [by_code[k][c] for k, c in zip(GROUP_KEYS, reversed(parts), strict=True)], rows

    def _names(self) -> np.ndarray:
        col = self._col("name")
        cells = self.distinct[self.codes[col]].tolist() if col is not None else [""] * self.n
        names = objects(map(str.strip, cells), self.n)
        lengths = np.fromiter(map(len, names), np.int64, self.n)
        limit = LIMITS["name"].max_length
        if limit is not None:
            self.slow |= lengths > limit
        for i in np.flatnonzero(lengths == 0).tolist():
            names[i] = f"line {self.lines[i]}"
        return names

    def _group_codes(self, key: str) -> np.ndarray:
        values = self.group_values[key]
        default = DEFAULTS[key] if key != "destinations" else None

        def convert(text: str) -> Any:
            if not text:
                return default
            value = _csv_value(key, text)
            return tuple(value) if key == "destinations" else value

        col = self._col(key)
        if col is None:
            return np.full(self.n, values.setdefault(default, len(values)), dtype=np.int64)
        return self._mapped(col, lambda text: values.setdefault(convert(text), len(values)), np.int64)

    def _group(self, procedure: Any, home: Any, currency: Any, dests: Any) -> tuple[float, Any, list[Any]] | None:
        """The rate, home price row and destination price rows shared by a group of rows, or None if refused."""
        r = self.resolver
        if type(procedure) is not str or procedure not in r.procedures:
            return None
        if type(currency) is not str or not CURRENCY.fullmatch(currency) or dests is None:
            return None
        per_usd = r.per_usd(currency, None)
        home_row = r.data.prices.get((procedure, home)) if type(home) is str else None
        if per_usd is None or home_row is None or home_row.role != "home":
            return None
        sizes = LIMITS["destinations"]
        if not sizes.min_length <= len(dests) <= (sizes.max_length or len(dests)) or len(set(dests)) != len(dests):
            return None
        rows = [r.destination_row(procedure, d) for d in dests]
        return None if None in rows else (per_usd, home_row, rows)

    def _quote(self, dest: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(low, high, given) of a destination's quote (NaN where none); a refused quote marks its rows slow."""
        number = _number_cell(MONEY_OK, None)
        low = self._numbers(("quotes", dest, "low"), number, NAN, "n")
        high = self._numbers(("quotes", dest, "high"), number, NAN, "n")
        given = ~np.isnan(low) | ~np.isnan(high)
        clinic = self._numbers(("quotes", dest, "clinic"), _clinic, 0.0, "clinic")
        given |= clinic > 0
        self.slow |= given & ~(np.isfinite(low) & np.isfinite(high) & (low <= high))
        return low, high, given

    def _destination(self, dest: str) -> dict[str, np.ndarray]:
        """A destination's own columns in USD-free form (quote, fare, lodging, daily, its city's costs in USD)."""
        low, high, given = self._quote(dest)
        values = {"quote_low": low, "quote_high": high, "quoted": given}
        col = self._col("quotes", dest, "clinic")
        values["clinic"] = (
            _repeated(None, self.n) if col is None else self._mapped(col, _clinic_name, object, "clinic_name")
        )
        for leaf, name in zip(TRAVEL_NUMBERS_ORDER, ("fare", "lodging", "daily"), strict=True):
            values[name] = self._numbers(("travel", dest, leaf), _number_cell(MONEY_OK, None), NAN, "n")
            given = given | ~np.isnan(values[name])
        self.resolver.cities(dest)
        cities, default = self.resolver._cities.get(dest, {}), self.resolver._defaults.get(dest)

        def city_cost(attribute: str) -> Callable[[str], float]:
            def convert(text: str) -> float:
                city = default if not text else cities.get(text)
                if city is None:
                    return BAD if text else NAN
                return float(getattr(city, attribute))

            return convert

        for name, attribute in (("city_lodging", "lodging_per_night"), ("city_daily", "daily_per_traveller")):
            fallback = NAN if default is None else float(getattr(default, attribute))
            values[name] = self._numbers(("travel", dest, "city"), city_cost(attribute), fallback, name)
        if (col := self._col("travel", dest, "city")) is not None:
            given = given | (self._mapped(col, _present, float, "present") > 0)
        values["given"] = given
        return values


def _or(given: np.ndarray, default: float | np.ndarray) -> np.ndarray:
    """``given`` where it is a number, else ``default``."""
    return np.where(np.isnan(given), default, given)


STAY_COLUMNS = (("pre_lo", "pre_hi"), ("proc_lo", "proc_hi"), ("rec_lo", "rec_hi"), ("travel_lo", "travel_hi"))
TRAVEL_NUMBERS_ORDER = ("fare_per_traveller", "lodging_per_night", "daily_per_traveller")
PAIR_COLUMNS = {
    "sessions": "sessions",
    "travellers": "travellers",
    "rooms": "rooms",
    "follow_up_trips": "follow_up_trips",
    "follow_up_nights": "follow_up_nights",
    "contingency_pct": "contingency_pct",
    "insurance": "insurance",
    "lost_income": "lost_income_per_day",
}
"""NUMBER_COLUMNS named differently from the scenario field they hold."""


DEST_COLUMNS = ("price_low", "price_high", "quoted", "fare", "lodging", "daily")
"""The pair columns that depend on the destination (the others are the row's, repeated for each destination)."""
ROW_COLUMNS = tuple(name for name in NUMBER_COLUMNS if name not in (*DEST_COLUMNS, "nights_included"))
PER_ROW = frozenset({"names", *ROW_COLUMNS})
"""What a block holds per row (see :class:`calculator.model.batch_validate.Block`)."""


class Pairs:
    """Where each accepted row's pairs go in a block: a row's destinations one after another, rows in file order."""

    def __init__(self, n: int, groups: list[tuple[Any, ...]]) -> None:
        """``groups``: (rows, currency, destinations, ...) of the accepted rows; the other rows have no pairs."""
        counts = np.zeros(n, dtype=np.int64)
        for rows, _, dests, *_ in groups:
            counts[rows] = len(dests)
        rows = np.flatnonzero(counts)
        self.rows: np.ndarray | slice = slice(None) if len(rows) == n else rows
        """The rows with pairs (a slice of all when every row has some: their columns are taken whole)."""
        self.counts = counts[rows]
        """How many pairs each of those rows has."""
        self.first = np.cumsum(counts) - counts
        self.total = int(self.counts.sum())

    def at(self, rows: np.ndarray, k: int) -> np.ndarray:
        """The positions of the pairs of ``rows`` with their k-th destination."""
        return self.first[rows] + k


def _repeated(value: Any, n: int) -> np.ndarray:
    """An object array holding the same value n times (np.full would make n copies of a str, or 2-D of a tuple)."""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def validate_csv(
    rows: CsvRows, resolver: Resolver, where: str, progress: Callable[[int], None] | None = None
) -> tuple[ValidRows, list[BatchError]]:
    """Every valid row's pairs and an error for each bad row, column by column (see the module docstring)."""
    valid = ValidRows([], [])
    errors: list[BatchError] = []
    header = rows.header()
    plan = Plan.of(header) if header is not None else None
    done = 0
    memo: Memo = {}
    for lines, cells, refused in rows.blocks(BLOCK_ROWS):
        for line, err in refused:
            errors.append(BatchError(line, f"{where}, line {line}: {err.where}: {err.problem}"))
        slow_rows: Iterator[int] = iter(range(len(cells)))
        if plan is not None and cells:
            checker = ColumnChecker(plan, resolver, lines, cells, memo)
            block, slow = checker.block()
            if block is not None:
                valid.blocks.append(block)
            slow_rows = iter(np.flatnonzero(slow).tolist())
        for i in slow_rows:
            line, row = lines[i], cells[i]
            if not any(c.strip() for c in row):
                continue
            try:
                raw: Any = csv_row_to_scenario(dict(zip(header or [], row, strict=True)))
            except ScenarioError as err:
                raw = err
            check_row(resolver, line, raw, valid, errors, where)
        done += len(cells) + len(refused)
        if progress is not None:
            progress(done)
    errors.sort(key=lambda e: e.line)
    return valid, errors
