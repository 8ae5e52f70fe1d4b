"""Reading a batch file: one scenario per row, from a JSON list, JSON lines or a CSV.

A batch file holds one scenario per row: a JSON list, JSON lines, or a CSV whose columns are the
scenario's keys with nested keys dotted (``travel.mexico_colombia.fare_per_traveller``) and lists
separated by ``;`` (``destinations`` = ``mexico_colombia;turkey_thailand``, ``stay.pre_days`` =
``1;2``). Each row comes out with its line number, decoded, or as the ScenarioError that says why it
could not be; :class:`BatchError` is how a bad row is reported, and :func:`paused_gc` keeps the
garbage collector out of the way while millions of decoded rows are made.
"""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import gc
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calculator.model.errors import ScenarioError
from calculator.model.files import MAX_BATCH_BYTES, read_user_text

INT_KEYS = {"schema_version", "travellers", "rooms", "sessions", "follow_up_trips", "follow_up_nights"}
NUMBER_LEAVES = {"fx_rate", "insurance", "contingency_pct", "lost_income_per_day"}
TRAVEL_NUMBERS = {"fare_per_traveller", "lodging_per_night", "daily_per_traveller"}


MAX_KEYS = 2_000
"""Most keys (and list items) one row may hold, counted before validation: a scenario with ten destinations and
every checklist answer and note filled has about 450. A row with 400,000 columns or keys is refused at once."""


@dataclass(frozen=True)
class BatchError:
    """A row that could not be computed: its line in the file and the reason (names the key)."""

    line: int
    message: str


@contextmanager
def paused_gc() -> Iterator[None]:
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


def give_back_memory() -> None:
    """Collect what a batch left behind and hand freed memory back to the system (glibc's ``malloc_trim``).

    A batch makes millions of small objects; once they are freed, glibc keeps the pages for reuse, so a
    server's resident memory stays at its peak. Where glibc is absent this only collects.
    """
    gc.collect()
    release_freed()


def release_freed() -> None:
    """Hand the pages malloc holds free back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    Freed blocks scattered among live ones keep their pages resident; a batch that has just let go of
    its validated blocks returns them here before the computation asks for more (~10 MB less at its peak).
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl, Windows)
        pass


def too_many_keys(value: Any, limit: int = MAX_KEYS) -> bool:
    """Whether a decoded row holds more than ``limit`` keys and list items in all (stops counting there)."""
    left = limit
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            left -= len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            left -= len(item)
            stack.extend(item)
        if left < 0:
            return True
    return False


TOO_MANY_KEYS = ScenarioError("row", f"has more than {MAX_KEYS:,} keys and list items (a scenario has far fewer)")


LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> Iterator[str]:
    """The lines of a text as ``io.StringIO(text, newline="")`` gives them, without its copy (4 bytes a character)."""
    return (m.group() for m in LINE.finditer(text))


class CsvRows:
    """A CSV batch's rows: as (line, decoded row or ScenarioError) like the other formats, or in blocks of cells.

    The blocks are what :mod:`calculator.model.batch_columns` validates column by column. A cell too long,
    a NUL byte or a header wider than :data:`MAX_KEYS` is a ScenarioError for the whole file (raised while
    reading, as no line after it can be trusted).
    """

    def __init__(self, text: str, where: str) -> None:
        self.text, self.where = text, where

    def header(self) -> list[str] | None:
        """The header's cells (None for an empty file); ScenarioError if it is too wide or not valid CSV."""
        reader = csv.reader(_lines(self.text))
        with self._valid(reader):
            return self._checked(next(reader, None))

    def _checked(self, header: list[str] | None) -> list[str] | None:
        if header is not None and len(header) > MAX_KEYS:
            raise ScenarioError(
                self.where, f"has {len(header):,} columns, more than the {MAX_KEYS:,} a batch file may have"
            )
        return header

    @contextmanager
    def _valid(self, reader: Any) -> Iterator[None]:
        try:
            yield
        except csv.Error as err:  # a cell over csv.field_size_limit() (131,072 characters), or a NUL byte
            raise ScenarioError(self.where, f"not a valid CSV file (line {reader.line_num}: {err})") from None

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        header = self.header() or []
        for lines, cells, refused in self.blocks(1):
            yield from refused
            for line, row in zip(lines, cells, strict=True):
                if not any(c.strip() for c in row):
                    continue
                try:
                    yield line, csv_row_to_scenario(dict(zip(header, row, strict=True)))
                except ScenarioError as err:
                    yield line, err

    def blocks(self, size: int) -> Iterator[tuple[list[int], list[list[str]], list[tuple[int, ScenarioError]]]]:
        """Up to ``size`` rows at a time: their lines, their cells (as many as the header's), and the rows refused.

        A row of empty cells is left out; a row with another number of cells is refused (unless it is blank).
        """
        reader = csv.reader(_lines(self.text))
        with self._valid(reader):
            header = self._checked(next(reader, None))
            if header is None:
                return
            yield from self._blocks(reader, len(header), size)

    def _blocks(
        self, reader: Any, width: int, size: int
    ) -> Iterator[tuple[list[int], list[list[str]], list[tuple[int, ScenarioError]]]]:
        multiline = '"' in self.text  # only a quoted cell can hold a line break
        lines: list[int] = []
        cells: list[list[str]] = []
        refused: list[tuple[int, ScenarioError]] = []
        for row in reader:
            if not any(row):
                continue
            line = reader.line_num - (sum(c.count("\n") for c in row) if multiline else 0)
            if len(row) == width:
                lines.append(line)
                cells.append(row)
            elif any(c.strip() for c in row):
                refused.append((line, ScenarioError("row", f"has {len(row)} cells, the header has {width}")))
            if len(cells) + len(refused) >= size:
                yield lines, cells, refused
                lines, cells, refused = [], [], []
        if cells or refused:
            yield lines, cells, refused


def _bounded(value: Any) -> Any:
    """The row, or the error that it has too many keys (so validation never sees 400,000 of them)."""
    return TOO_MANY_KEYS if too_many_keys(value) else value


TOO_DEEP_OR_LONG = "not valid JSON (nested too deeply, or a number with too many digits)"


def _json_lines_rows(text: str) -> Iterator[tuple[int, Any]]:
    """Each non-blank line's JSON value; all lines are decoded in one call unless one of them is bad."""
    numbered = [(line, body) for line, body in enumerate(text.splitlines(), start=1) if body.strip()]
    try:
        values = json.loads("[" + ",".join(body for _, body in numbered) + "]")
    except (ValueError, RecursionError):  # JSONDecodeError, too many digits, nested too deeply: line by line
        values = None
    if values is not None and len(values) == len(numbered):
        yield from ((line, _bounded(v)) for line, v in zip((line for line, _ in numbered), values, strict=True))
        return
    for line, body in numbered:
        try:
            yield line, _bounded(json.loads(body))
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
        yield line, _bounded(value)
        pos = skip(end)
        if pos < len(text) and text[pos] == ",":
            pos = skip(pos + 1)
            continue
        if pos < len(text) and text[pos] == "]" and not text[pos + 1 :].strip():
            return
        raise ScenarioError(where, f"not valid JSON: expected ',' or ']' at line {text.count(chr(10), 0, pos) + 1}")


def read_rows(path: Path) -> Iterable[tuple[int, Any]]:
    """(line, decoded row or ScenarioError) for each row of a batch file; ScenarioError if the file is unreadable.

    The format follows the content: a JSON list starts with ``[``, JSON lines with ``{``, else CSV.
    """
    return read_text_rows(read_user_text(path, MAX_BATCH_BYTES), str(path))


def read_text_rows(text: str, where: str) -> Iterable[tuple[int, Any]]:
    """As :func:`read_rows`, for text already read (an upload)."""
    head = text.lstrip()[:1]
    if not head:
        raise ScenarioError(where, "is empty")
    if head == "[":
        return _json_list_rows(text, where)
    if head == "{":
        return _json_lines_rows(text)
    return CsvRows(text, where)
