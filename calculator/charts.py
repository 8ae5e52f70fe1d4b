"""Altair chart builders: data in, chart out (no streamlit). Colours are explicit so exports match the screen."""

from __future__ import annotations

import altair as alt
import pandas as pd

from calculator.results import PART_LABELS

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
"""Okabe & Ito's colour-blind-safe categorical palette."""

COMPONENT_COLOURS = dict(zip(PART_LABELS.values(), OKABE_ITO, strict=True))


def compare_chart(long: pd.DataFrame, totals: pd.DataFrame, currency: str, title: str) -> alt.LayerChart:
    """Stacked mid-case components per home/destination, with a whisker over the total's low-high range.

    ``long`` is :func:`calculator.tables.long_frame`; ``totals`` is :func:`calculator.tables.totals_frame`.
    """
    order = list(dict.fromkeys(long["label"]))
    components = [c for c in PART_LABELS.values() if c in set(long["component"])]
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    money_fmt = ",.0f"
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("sum(mid):Q", title=f"Mid-case cost ({currency}); whisker = low to high total"),
            color=alt.Color(
                "component:N",
                title="Component",
                sort=components,
                scale=alt.Scale(domain=components, range=[COMPONENT_COLOURS[c] for c in components]),
            ),
            order=alt.Order("component_order:Q"),
            tooltip=[
                alt.Tooltip("label:N", title="Where"),
                alt.Tooltip("component:N", title="Component"),
                alt.Tooltip("low:Q", title=f"Low ({currency})", format=money_fmt),
                alt.Tooltip("mid:Q", title=f"Mid ({currency})", format=money_fmt),
                alt.Tooltip("high:Q", title=f"High ({currency})", format=money_fmt),
                alt.Tooltip("vendor_claim:N", title="Vendor claim"),
            ],
        )
        .transform_calculate(component_order=f"indexof({components!r}, datum.component)")
    )
    whisker = alt.Chart(totals).mark_rule(strokeWidth=2, color="#000000").encode(y=y, x="low:Q", x2="high:Q")
    ends = alt.Chart(totals).mark_tick(color="#000000", thickness=2, size=18).encode(y=y, x="low:Q")
    ends_high = alt.Chart(totals).mark_tick(color="#000000", thickness=2, size=18).encode(y=y, x="high:Q")
    labels = (
        alt.Chart(totals)
        .mark_text(align="left", dx=6, fontSize=11, color="#000000")
        .encode(y=y, x="high:Q", text=alt.Text("mid_text:N"))
        .transform_calculate(mid_text=f"'mid ' + format(datum.mid, '{money_fmt}') + ' {currency}'")
    )
    return alt.layer(bars, whisker, ends, ends_high, labels).properties(
        title=title, width="container", height=alt.Step(48)
    )
