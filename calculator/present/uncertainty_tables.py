"""The simulation, break-even and tornado as pandas tables: numeric frames for charts, display frames for pages."""

from __future__ import annotations

import math

import pandas as pd

from calculator.model.formatting import amount, money, money_range, percent
from calculator.model.risk import Risk
from calculator.model.sensitivity import BreakEven, TornadoBar
from calculator.model.sources import Source
from calculator.model.uncertainty import DISTRIBUTION_TEXT, Outcome, Simulation
from calculator.present.simulation_output import chance_text


def _outcomes(sim: Simulation, risk_adjusted: bool) -> list[tuple[str, Outcome]]:
    out = []
    for d in sim.destinations:
        outcome = d.risk_adjusted if risk_adjusted else d.outcome
        if outcome is not None:
            out.append((d.name, outcome))
    return out


def histogram_frame(sim: Simulation, risk_adjusted: bool = False) -> pd.DataFrame:
    """One row per destination and bin of savings: bin_start, bin_end, draws and share of draws (0-1)."""
    rows = []
    for name, o in _outcomes(sim, risk_adjusted):
        h = o.savings_histogram
        if h is None:
            continue
        total = int(h.counts.sum()) or 1
        for start, end, count in zip(h.edges[:-1].tolist(), h.edges[1:].tolist(), h.counts.tolist(), strict=True):
            rows.append(
                {"destination": name, "bin_start": start, "bin_end": end, "draws": count, "share": count / total}
            )
    return pd.DataFrame(rows, columns=["destination", "bin_start", "bin_end", "draws", "share"])


def marks_frame(sim: Simulation, risk_adjusted: bool = False) -> pd.DataFrame:
    """One row per destination and savings percentile (p5, p50, p95): the lines drawn over the histogram."""
    rows = [
        {"destination": name, "mark": mark, "value": getattr(o.savings, mark)}
        for name, o in _outcomes(sim, risk_adjusted)
        for mark in ("p5", "p50", "p95")
    ]
    return pd.DataFrame(rows, columns=["destination", "mark", "value"])


def percentile_table(sim: Simulation) -> pd.DataFrame:
    """Rows = destinations (and their risk-adjusted rows); columns = percentiles, mean and P(saves money)."""
    cur = sim.currency
    rows = {}
    for d in sim.destinations:
        for label, o in ((d.name, d.outcome), (f"{d.name}, with complications", d.risk_adjusted)):
            if o is None:
                continue
            rows[label] = {
                "Total p5": money(o.total.p5, cur),
                "Total p50": money(o.total.p50, cur),
                "Total p95": money(o.total.p95, cur),
                "Total, mean": money(o.mean_total, cur),
                "You save p5": money(o.savings.p5, cur),
                "You save p50": money(o.savings.p50, cur),
                "You save p95": money(o.savings.p95, cur),
                "Chance of saving money": chance_text(o.p_saves_money),
            }
    home = sim.home_total
    rows["Home (for reference)"] = {
        "Total p5": money(home.p5, cur),
        "Total p50": money(home.p50, cur),
        "Total p95": money(home.p95, cur),
        "Total, mean": money(sim.home_mean, cur),
        "You save p5": "",
        "You save p50": "",
        "You save p95": "",
        "Chance of saving money": "",
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def drawn_table(sim: Simulation) -> pd.DataFrame:
    """What was drawn: each ranged input, its range and its distribution."""
    rows = [
        {
            "Input": r.label,
            "Range": f"{amount(r.low)} to {amount(r.high)}" + (" days" if r.whole_days else f" {sim.currency}"),
            "Drawn as": "whole days, uniform" if r.whole_days else DISTRIBUTION_TEXT[sim.distribution],
        }
        for r in sim.drawn
    ]
    return pd.DataFrame(rows, columns=["Input", "Range", "Drawn as"])


def break_even_text(value: float, currency: str) -> str:
    """A break-even fare in words: the amount, or why there is none."""
    if math.isnan(value):
        return "—"
    if value < 0:
        return "none: costs more than home even with free flights"
    return money(value, currency)


def break_even_table(rows: list[BreakEven], currency: str) -> pd.DataFrame:
    """Rows = destinations; the fare per traveller at which the saving reaches zero, and the home price."""
    table = {
        b.name: {
            "Your fare per traveller": "not entered" if b.fare is None else money(b.fare, currency),
            "Break-even fare (mid)": break_even_text(b.fare_at_mid, currency),
            "Break-even fare (worst case)": break_even_text(b.fare_at_worst, currency),
            "Home price per session at break-even (mid)": f"{money(b.home_price_mid, currency)} "
            f"({percent(100 * b.home_multiplier_mid, 0)} of the cited)",
        }
        for b in rows
    }
    return pd.DataFrame.from_dict(table, orient="index")


def tornado_frame(bars: dict[str, list[TornadoBar]], currency: str) -> pd.DataFrame:
    """One row per destination, input and end (low / high): the metric there and the mid-case base.

    ``row`` is the chart's label (destination and input); ``destination_order`` and ``rank`` order the rows.
    """
    rows = []
    for order, (destination, items) in enumerate(bars.items()):
        for rank, b in enumerate(items):
            label = b.label if b.label.startswith(destination) else f"{destination}: {b.label.lower()}"
            for end, value, at in (("Low end", b.low, b.at_low), ("High end", b.high, b.at_high)):
                unit = (" day" if value == 1 else " days") if b.key.startswith("stay.") else f" {currency}"
                rows.append(
                    {
                        "destination": destination,
                        "destination_order": order,
                        "input": b.label,
                        "row": label,
                        "rank": rank,
                        "end": end,
                        "input_value": f"{amount(value)}{unit}",
                        "value": at,
                        "base": b.base,
                        "swing": b.swing,
                    }
                )
    columns = ["destination", "destination_order", "input", "row", "rank", "end", "input_value", "value", "base"]
    return pd.DataFrame(rows, columns=[*columns, "swing"])


def risk_label(risk: Risk, currency: str, sources: dict[str, Source]) -> str:
    """The risk adjustment in words, with the source of each figure."""
    cited = [sources[s].citation() for s in risk.sources if s in sources]
    return (
        f"{percent(100 * risk.probability)} chance of a complication; "
        f"care costs {money_range(risk.care_cost, currency)}; "
        f"expected cost per trip {money(risk.expected_cost, currency)}. Sources: {'; '.join(cited)}"
    )
