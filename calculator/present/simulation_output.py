"""The simulation's output: the JSON object of ``simulate`` and the plain-text table for a terminal.

:func:`simulation_dict` is the JSON output of DESIGN.md section 6 (money rounded to cents);
:func:`simulation_table` is the table ``python -m calculator simulate`` prints; :func:`chance_text`
writes a probability so that a possibility is never rounded away (also used by the pages and
:mod:`calculator.present.uncertainty_tables`).
"""

from __future__ import annotations

from calculator.model.formatting import money, money_range, percent
from calculator.model.ranged import RangedInput
from calculator.model.uncertainty import DISTRIBUTION_TEXT, Outcome, Simulation


def simulation_dict(sim: Simulation) -> dict:
    """The JSON output of ``simulate`` (DESIGN.md section 6); money rounded to cents, probabilities unrounded."""

    def outcome(o: Outcome) -> dict:
        return {
            "total": o.total.as_dict(),
            "savings": o.savings.as_dict(),
            "p_saves_money": o.p_saves_money,
            "mean_total": round(o.mean_total, 2),
            "mean_savings": round(o.mean_savings, 2),
        }

    return {
        "draws": sim.draws,
        "seed": sim.seed,
        "distribution": sim.distribution,
        "currency": sim.currency,
        "home": {"total": sim.home_total.as_dict(), "mean_total": round(sim.home_mean, 2)},
        "destinations": [
            {
                "id": d.id,
                "name": d.name,
                **outcome(d.outcome),
                **({"risk_adjusted": outcome(d.risk_adjusted)} if d.risk_adjusted else {}),
            }
            for d in sim.destinations
        ],
        "drawn": [
            {
                "input": r.key,
                "low": r.low,
                "high": r.high,
                "distribution": "uniform whole days" if r.whole_days else sim.distribution,
            }
            for r in sim.drawn
        ],
        "risk": None
        if sim.risk is None
        else {
            "probability": sim.risk.probability,
            "care_cost": {"low": float(sim.risk.care_cost.low), "high": float(sim.risk.care_cost.high)},
            "expected_cost": round(sim.risk.expected_cost, 2),
            "sources": list(sim.risk.sources),
        },
    }


def chance_text(p: float) -> str:
    """A probability as a percent that never rounds a possibility away: "over 99.9%" rather than "100.0%"."""
    if 0.999 < p < 1:
        return "over 99.9%"
    if 0 < p < 0.001:
        return "under 0.1%"
    return percent(100 * p)


def _range_text(r: RangedInput) -> str:
    if r.whole_days:
        return f"{int(r.low)} to {int(r.high)} days"
    return f"{r.low:,.2f} to {r.high:,.2f}"


def simulation_table(sim: Simulation) -> str:
    """A plain-text table of the percentiles for a terminal, with what was drawn and how."""
    cur = sim.currency
    header = ["", "Total p5", "p50", "p95", "Savings p5", "p50", "p95", "P(saves money)"]
    rows = [["Home", *(money(v, cur) for v in (sim.home_total.p5, sim.home_total.p50, sim.home_total.p95))]]
    rows[0] += ["", "", "", ""]
    for d in sim.destinations:
        for label, o in ((d.name, d.outcome), (f"{d.name}, risk-adjusted", d.risk_adjusted)):
            if o is None:
                continue
            rows.append(
                [
                    label,
                    *(money(v, cur) for v in (o.total.p5, o.total.p50, o.total.p95)),
                    *(money(v, cur) for v in (o.savings.p5, o.savings.p50, o.savings.p95)),
                    chance_text(o.p_saves_money),
                ]
            )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"Monte Carlo: {sim.draws:,} draws, seed {sim.seed}, {DISTRIBUTION_TEXT[sim.distribution]}", ""]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]]
    lines += ["", "Drawn (whole days always uniform):"]
    lines += [f"  {r.label}: {_range_text(r)}" for r in sim.drawn] or ["  nothing: every input is a point"]
    if sim.risk is not None:
        lines.append(
            f"Risk adjustment: {percent(100 * sim.risk.probability)} chance of a complication costing "
            f"{money_range(sim.risk.care_cost, cur)}; expected cost {money(sim.risk.expected_cost, cur)} per trip"
        )
    return "\n".join(lines) + "\n"
