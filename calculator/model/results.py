"""The computed comparison: plain, immutable results that pages, CLI and exports read."""

from __future__ import annotations

from dataclasses import dataclass, field

from calculator.model.alert import Alert
from calculator.model.diligence import DiligenceSummary
from calculator.model.fx import Rate
from calculator.model.scenario import Quote, Scenario
from calculator.model.span import Span, span_sum

CONTINGENCY_BASE = ("procedure", "flights", "lodging", "daily", "follow_up")
"""The parts a contingency percentage applies to (DESIGN.md section 4)."""


PART_LABELS = {
    "procedure": "Procedure",
    "flights": "Flights",
    "lodging": "Lodging",
    "daily": "Meals & incidentals",
    "follow_up": "Follow-up trips",
    "contingency": "Contingency",
    "insurance": "Insurance",
    "lost_income": "Lost income",
}


@dataclass(frozen=True)
class Part:
    """One cost component: its range (``None`` when an input is missing) and its sources."""

    value: Span | None
    sources: tuple[str, ...]


def contingency_base(parts: dict[str, Part]) -> Span:
    """procedure + flights + lodging + daily + follow_up, leaving out parts whose input is missing."""
    return span_sum([parts[p].value for p in CONTINGENCY_BASE if p in parts and parts[p].value is not None])


@dataclass(frozen=True)
class HomeResult:
    """The home baseline: no travel, no contingency."""

    id: str
    name: str
    parts: dict[str, Part]
    total: Span
    open_high: bool = False
    """The price's high end is open (the broker's "$25,000+"): the high total may be higher still."""


@dataclass(frozen=True)
class DestinationResult:
    """One destination's whole-trip cost and its savings against home."""

    id: str
    name: str
    city: str | None
    parts: dict[str, Part]
    total: Span
    savings: Span
    savings_pct: tuple[float, float, float]
    stated_savings_pct: tuple[float, float] | None
    procedure_only_savings_pct: tuple[float, float]
    open_high: bool = False
    alerts: tuple[Alert, ...] = ()
    diligence: DiligenceSummary | None = None
    quote: Quote | None = None
    """The clinic quote this column prices (None: the broker's cited range)."""
    unpriced: tuple[str, ...] = ()
    """Package item ids the quote leaves out with no price given: the total leaves them out."""

    @property
    def clinic(self) -> str | None:
        """The clinic's name, if the column is a named clinic's quote."""
        return self.quote.clinic if self.quote else None

    @property
    def label(self) -> str:
        """The column's name: the destination, then the clinic when there is one ("Mexico / Colombia · Clinica Uno")."""
        return f"{self.name} · {self.clinic}" if self.clinic else self.name

    @property
    def incomplete(self) -> bool:
        """True when a part or a package item is left out of the total for lack of an input."""
        return bool(self.unpriced) or any(p.value is None for p in self.parts.values())


@dataclass(frozen=True)
class Comparison:
    """Home against each destination, with scenario-wide and home warnings in ``alerts``."""

    scenario: Scenario
    rate: Rate
    stay_days: Span
    home: HomeResult
    destinations: tuple[DestinationResult, ...]
    alerts: tuple[Alert, ...] = field(default=())
    broker_ranges: tuple[DestinationResult, ...] = ()
    """For each destination priced by clinic quotes: the same trip at the broker's cited range, for reference."""

    def all_alerts(self) -> list[Alert]:
        """Every alert: the scenario's and home's, then each destination's."""
        return [*self.alerts, *(a for d in self.destinations for a in d.alerts)]

    def source_ids(self) -> list[str]:
        """Every source the comparison rests on (figures and warnings), in first-use order."""
        ids: list[str] = [self.rate.source_id]
        for parts in [self.home.parts, *(d.parts for d in self.destinations)]:
            for part in parts.values():
                ids.extend(part.sources)
        for alert in self.all_alerts():
            ids.extend(alert.sources)
        return [i for i in dict.fromkeys(ids) if i]
