"""Many scenarios at once: compute every (scenario, destination) pair of a batch together.

The computation is vectorised across scenarios: each (scenario, destination) pair is one element
of the columns of :class:`calculator.model.trips.TripColumns`, with every range's low end in a Span's
``low`` and its high end in ``high``, so one pass of the cost formulas computes every row. The rows
come from :mod:`calculator.model.batch_files` (reading) and :mod:`calculator.model.batch_validate`
(validation); the result is written as CSV by :mod:`calculator.present.batch_csv`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from calculator.model import costs
from calculator.model.batch_columns import validate_csv
from calculator.model.batch_files import BatchError, CsvRows, paused_gc, read_rows, release_freed
from calculator.model.batch_validate import NUMBER_COLUMNS, Block, Resolver, ValidRows, objects, validate_rows
from calculator.model.data import DataBundle
from calculator.model.span import Span
from calculator.model.trips import MISSING_PARTS, TripColumns, destination_total, home_total, missing_parts

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
    "clinic",
    "missing_inputs",
    "unpriced_items",
    "line",
)
"""The result CSV: one row per scenario, destination and clinic quote (savings low = worst case, high = best case)."""


@dataclass(frozen=True)
class BatchInputs:
    """The inputs of every (scenario, destination) pair as columns: strings as lists, numbers as arrays."""

    scenario: list[str]
    destination: list[str]
    currency: list[str]
    clinic: list[str | None]
    unpriced: list[tuple[str, ...]]
    line: np.ndarray
    home_price: Span
    home_lost_income_per_day: np.ndarray
    trips: TripColumns
    home_quoted: np.ndarray | None = None
    """True where the home price is the user's quote (else the broker's cited range: a vendor claim)."""
    quoted: np.ndarray | None = None
    """True where the destination's price is the user's quote (else the broker's cited range)."""

    def __len__(self) -> int:
        return len(self.scenario)


LABELS = ("names", "destinations", "currencies", "clinics", "unpriced")
"""A Block's label arrays, in the order of a ValidRows label."""


def _columns(valid: ValidRows, consume: bool) -> tuple[dict[str, np.ndarray], list[list[Any]]]:
    """The pairs of both validation paths as columns and label lists, in file order.

    With ``consume``, each block's column is let go once copied (peak memory: one column more, not twice all).
    A column every block holds per row is joined per row and repeated once (see :class:`Block`).
    """
    blocks = list(valid.blocks)
    if valid.labels:
        n = len(valid.labels)
        table = np.array(valid.numbers, dtype=float).reshape(n, len(NUMBER_COLUMNS))
        labels = [objects(col, n) for col in zip(*valid.labels, strict=True)]
        blocks.append(Block(*labels, dict(zip(NUMBER_COLUMNS, table.T, strict=True))))
    repeats = _joined_repeats(blocks)

    def part(block: Block, name: str) -> np.ndarray:
        if name in LABELS:
            return getattr(block, name)
        return block.columns.pop(name) if consume else block.columns[name]

    def column(name: str) -> np.ndarray:
        if repeats is not None and all(name in b.per_row for b in blocks):
            return np.repeat(np.concatenate([part(b, name) for b in blocks]), repeats)
        return np.concatenate([_per_pair(part(b, name), b, name) for b in blocks])

    def label(name: str) -> list[Any]:
        if type(repeats) is int and all(name in b.per_row for b in blocks):  # a list spread directly: far faster
            return _spread(np.concatenate([part(b, name) for b in blocks]).tolist(), repeats)  # than np.repeat
        return column(name).tolist()

    columns = {name: column(name) for name in NUMBER_COLUMNS}
    if len(blocks) > 1 and np.any(np.diff(columns["line"]) < 0):  # the two paths' pairs interleaved: file order
        order = np.argsort(columns["line"], kind="stable")
        columns = {name: values[order] for name, values in columns.items()}
        return columns, [column(name)[order].tolist() for name in LABELS]
    return columns, [label(name) for name in LABELS]


def _spread(values: list[Any], times: int) -> list[Any]:
    """Each value ``times`` times in a row: _spread([a, b], 2) == [a, a, b, b] (np.repeat of objects is ~5x slower)."""
    out: list[Any] = [None] * (len(values) * times)
    for k in range(times):
        out[k::times] = values
    return out


def _joined_repeats(blocks: list[Block]) -> int | np.ndarray | None:
    """Every block's row repeats, joined (one int when they are all alike); None if a block has none."""
    if not blocks or any(b.repeats is None for b in blocks):
        return None
    repeats = np.concatenate([b.repeats for b in blocks if b.repeats is not None])
    return int(repeats[0]) if len(repeats) and (repeats == repeats[0]).all() else repeats


def _per_pair(values: np.ndarray, block: Block, name: str) -> np.ndarray:
    """A block's column with one value per pair (a column held per row repeated by the rows' repeats)."""
    return np.repeat(values, block.repeats) if name in block.per_row and block.repeats is not None else values


def batch_inputs(valid: ValidRows, consume: bool = False) -> BatchInputs:
    """Columns from the pairs of :func:`validate_rows` (or :func:`calculator.model.batch_columns.validate_csv`).

    ``consume``: let go of ``valid``'s column blocks while copying them (it cannot be used again).
    """
    if not len(valid):
        raise ValueError("no rows to compute")
    with paused_gc():
        c, (names, dests, currencies, clinics, unpriced) = _columns(valid, consume)
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
        lodging_nights_included=c["nights_included"],
    )
    return BatchInputs(
        names,
        dests,
        currencies,
        clinics,
        unpriced,
        c["line"].astype(np.int64),
        Span(c["home_low"], c["home_high"]),
        c["lost_income"],
        trips,
        c["home_quoted"] > 0,
        c["quoted"] > 0,
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


def _cents(values: np.ndarray) -> list[str] | np.ndarray:
    """Money for the CSV: the array itself (formatted to cents when written), or text if any value is missing."""
    if np.isnan(values).any():
        return ["" if math.isnan(v) else f"{v:.2f}" for v in values.tolist()]
    return values


def result_columns(result: BatchResult) -> dict[str, list | np.ndarray]:
    """The output columns (OUTPUT_COLUMNS): text as lists, money as float arrays (written to cents), line as ints."""
    r = result
    missing = np.full(len(r.inputs), "", dtype=object)
    for part in MISSING_PARTS:
        flag = r.missing[part]
        missing[flag] = np.where(missing[flag] == "", part, missing[flag] + ";" + part)
    return {
        "scenario": r.inputs.scenario,
        "destination": r.inputs.destination,
        "clinic": ["" if c is None else c for c in r.inputs.clinic],
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
        "unpriced_items": [";".join(items) for items in r.inputs.unpriced],
        "line": r.inputs.line,
    }


def run_rows(
    rows: Iterable[tuple[int, Any]], data: DataBundle, where: str, progress: Callable[[int], None] | None = None
) -> tuple[BatchResult | None, list[BatchError]]:
    """Validate and compute every row; the result is None when no row could be computed."""
    with paused_gc():
        if isinstance(rows, CsvRows):
            valid, errors = validate_csv(rows, Resolver(data), where, progress)
        else:
            valid, errors = validate_rows(rows, data, where, progress)
        del rows  # the file's text is no longer needed (when the caller holds no other reference to it)
        if not len(valid):
            return None, errors
        inputs = batch_inputs(valid, consume=True)
        del valid
        release_freed()  # the validated blocks' memory, before the computation asks for more
        return compute(inputs), errors


def run_batch(path: Path, data: DataBundle) -> tuple[BatchResult | None, list[BatchError]]:
    """Read, validate and compute a batch file (ScenarioError if the file itself cannot be read)."""
    return run_rows(read_rows(path), data, str(path))
