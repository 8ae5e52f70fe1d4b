"""Option types for the command line: each refuses a bad value with one line (argparse exits 2).

argparse calls these on the typed text; an ``ArgumentTypeError`` becomes
``python -m calculator CMD: error: argument --x: <message>`` on one line (see :mod:`calculator.cli.main`).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from calculator.model.formatting import one_line
from calculator.model.scenario import MAX_MONEY

MAX_SEED = 2**32 - 1
"""numpy's SeedSequence takes any non-negative int; the app's seed box stops here too."""
MAX_REVISION = 2**31 - 1
"""A revision number both SQLite and PostgreSQL store as an integer."""


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """A type for an int between ``low`` and ``high`` inclusive."""

    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {one_line(repr(text))}") from None
        if not low <= n <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:,} and {high:,}, not {_short(text)}")
        return n

    return parse


def number(low: float, high: float) -> Callable[[str], float]:
    """A type for a finite number between ``low`` and ``high`` inclusive (no NaN, no infinity)."""

    def parse(text: str) -> float:
        try:
            x = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {one_line(repr(text))}") from None
        if not math.isfinite(x) or not low <= x <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g}, not {_short(text)}")
        return x

    return parse


def _short(text: str) -> str:
    """The typed value for a message: escaped, and cut if it is long."""
    text = one_line(text.strip())
    return text if len(text) <= 40 else text[:37] + "..."


seed = whole_number(0, MAX_SEED)
revision = whole_number(1, MAX_REVISION)
money = number(0, MAX_MONEY)
percent = number(0, 100)
