"""A low-high range that does arithmetic: the value type of the cost model.

Every input of the cost model is either a number or a range ``[low, high]``; every
part of the model is linear with non-negative coefficients, so the low end of a result
is the formula applied to the low ends and the high end to the high ends
(DESIGN.md section 4). ``Span`` carries both ends through ``+`` and ``*`` so that each
cost function reads like its formula. The ends may be floats or numpy arrays (one
element per scenario in a batch): the same function serves both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Number = float | int | np.ndarray


@dataclass(frozen=True, slots=True)
class Span:
    """A range from ``low`` to ``high`` (scalars or same-shaped numpy arrays)."""

    low: Number
    high: Number

    @classmethod
    def of(cls, value: Span | Number | tuple[Number, Number] | list[Number]) -> Span:
        """A Span from a number (a point), a ``[low, high]`` pair or a Span."""
        if isinstance(value, Span):
            return value
        if isinstance(value, (tuple, list)):
            low, high = value
            return cls(low, high)
        return cls(value, value)

    @property
    def mid(self) -> Number:
        """The midpoint, (low + high) / 2: the model's central estimate."""
        return (self.low + self.high) / 2

    def __add__(self, other: Span | Number) -> Span:
        other = Span.of(other)
        return Span(self.low + other.low, self.high + other.high)

    __radd__ = __add__

    def __sub__(self, other: Span | Number) -> Span:
        """Interval difference: the low end takes the other's high end (worst case)."""
        other = Span.of(other)
        return Span(self.low - other.high, self.high - other.low)

    def __mul__(self, other: Span | Number) -> Span:
        """Product with a number or a non-negative Span (end by end)."""
        other = Span.of(other)
        return Span(self.low * other.low, self.high * other.high)

    __rmul__ = __mul__

    def as_dict(self, digits: int = 2) -> dict[str, float]:
        """``{"low", "mid", "high"}`` rounded to ``digits`` (scalar Spans only)."""
        return {
            "low": round(float(self.low), digits),
            "mid": round(float(self.mid), digits),
            "high": round(float(self.high), digits),
        }


def span_sum(spans: list[Span]) -> Span:
    """The sum of several Spans (0 for none)."""
    return sum(spans, Span(0.0, 0.0))
