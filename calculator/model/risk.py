"""The optional risk adjustment: the chance of a complication abroad and the cost of its care.

Off by default. Both figures are the user's; ``data/risk_examples.yaml`` holds cited examples
(a complication rate, a range of evacuation costs) that the user can apply in one click, each
labelled with its source and caveat.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from calculator.model.data import _check_sources, _read_yaml_list, _Row, _unique, _validated, configured_data_dir
from calculator.model.errors import ScenarioError
from calculator.model.scenario import MAX_MONEY
from calculator.model.sources import USER_INPUT, Source
from calculator.model.span import Span

RISK_EXAMPLES_FILE = "risk_examples.yaml"


@dataclass(frozen=True)
class Risk:
    """A complication abroad happens with ``probability`` (0-1); its care costs ``care_cost`` (a range).

    Applied to each destination (the trip abroad), drawn once per draw: with probability
    ``probability`` the trip's total gains a care cost drawn from ``care_cost``.
    ``sources`` are the ids behind the two figures (``user_input`` when typed in).
    """

    probability: float
    care_cost: Span
    sources: tuple[str, ...] = (USER_INPUT,)

    def __post_init__(self) -> None:
        if not 0 <= self.probability <= 1:  # NaN fails this too
            raise ScenarioError("risk: probability", f"must be between 0 and 1, not {self.probability:g}")
        if not 0 <= self.care_cost.low <= self.care_cost.high <= MAX_MONEY:
            raise ScenarioError(
                "risk: care_cost",
                f"needs 0 <= low <= high <= {MAX_MONEY:,.0f} (got {self.care_cost.low:g} to {self.care_cost.high:g})",
            )

    @property
    def expected_cost(self) -> float:
        """Expected cost of complications per trip: probability x mid care cost.

        Exact for a uniform or a symmetric triangular care cost, whose mean is the midpoint.
        """
        return float(self.probability * self.care_cost.mid)


class RiskExample(_Row):
    """A cited figure for the risk adjustment (``data/risk_examples.yaml``)."""

    id: str
    label: str
    sets: Literal["probability", "care_cost"]
    probability_pct: float | None = Field(default=None, ge=0, le=100)
    care_cost_low_usd: float | None = Field(default=None, ge=0)
    care_cost_high_usd: float | None = Field(default=None, ge=0)
    high_open: bool = False
    source_id: str
    caveat: str

    @model_validator(mode="after")
    def _complete(self) -> RiskExample:
        if self.sets == "probability" and self.probability_pct is None:
            raise ValueError("an example that sets the probability needs probability_pct")
        if self.sets == "care_cost":
            if self.care_cost_low_usd is None or self.care_cost_high_usd is None:
                raise ValueError("an example that sets the care cost needs care_cost_low_usd and care_cost_high_usd")
            if self.care_cost_low_usd > self.care_cost_high_usd:
                raise ValueError("care_cost_low_usd is above care_cost_high_usd")
        return self

    def care_cost(self, per_usd: float) -> Span:
        """The care-cost range in the scenario's currency (``per_usd`` units per 1 USD)."""
        return Span(self.care_cost_low_usd, self.care_cost_high_usd) * per_usd


def load_risk_examples(sources: dict[str, Source], data_dir: Path | None = None) -> dict[str, RiskExample]:
    """The cited examples keyed by id; a bad entry or an unknown source raises DataError naming it.

    ``data_dir`` defaults to the configured data folder (``CALC_DATA_DIR``, else the bundled ``data/``), as
    every other data file does.
    """
    path = (data_dir or configured_data_dir()) / RISK_EXAMPLES_FILE
    items = _validated(RiskExample, _read_yaml_list(path, "examples"), path.name)
    _unique(items, "id", path.name)
    _check_sources(((f"example {e.id!r}", e.source_id) for e in items), sources, path.name)
    return {e.id: e for e in items}
