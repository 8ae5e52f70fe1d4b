"""Altair chart builders: data in, chart out (no streamlit). Colours are explicit so exports match the screen."""

from __future__ import annotations

import json
from functools import cache
from typing import Any, TypeVar

import altair as alt
import pandas as pd

from calculator.model.formatting import amount
from calculator.model.results import PART_LABELS, Comparison
from calculator.present.tables import long_rows, totals_rows

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
"""Okabe & Ito's colour-blind-safe categorical palette."""

COMPONENT_COLOURS = dict(zip(PART_LABELS.values(), OKABE_ITO, strict=True))
C = TypeVar("C", bound=alt.TopLevelMixin)


def described(chart: C, text: str) -> C:
    """The chart with its text alternative: Vega's ``description``, which the browser reads out as the chart's
    ``aria-label`` (WCAG 1.1.1). One plain sentence per chart: what it shows, then its figures."""
    return chart.properties(description=" ".join(text.split()))


def fit_width(chart: C, rows: int, step: float) -> C:
    """The chart as wide as its container and ``rows x step`` pixels tall (the plot area, without axes or legend).

    Vega-Lite drops any "fit" autosize for a step (discrete) height, with a console warning, and Streamlit's
    theme asks for "fit" when a spec has none, which squeezes a fixed height to take in the legend and axis
    too. So: a number for the height and "fit-x" for the width, which Vega-Lite keeps without a warning.
    """
    return chart.properties(
        width="container",
        height=max(1, rows) * step,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


def _money_span(low: float, mid: float, high: float, currency: str) -> str:
    return f"mid {amount(mid)} {currency}, {amount(low)} to {amount(high)}"


PART_ORDER = {label: i for i, label in enumerate(PART_LABELS.values())}
"""Stacking order of the Compare chart's components (the table's order)."""


def _compare_layers(currency: str) -> alt.LayerChart:
    """The Compare chart's structure, reading named data ``components`` and ``totals`` (filled in per scenario).

    The colour scale lists every component, so a component keeps its colour in every chart and export.
    """
    components = list(PART_LABELS.values())
    # Labels break at " / " (one region per line) so that the bars keep most of a phone's width.
    y = alt.Y(
        "label:N",
        title=None,
        sort=alt.EncodingSortField(field="order", op="min"),
        axis=alt.Axis(labelLimit=200, labelExpr="split(datum.label, ' / ')"),
    )
    money_fmt = ",.0f"
    bars = (
        alt.Chart(alt.NamedData("components"))
        .mark_bar(size=20)
        .encode(
            y=y,
            x=alt.X("sum(mid):Q", title=f"Mid-case cost ({currency})", axis=alt.Axis(tickCount=4)),
            color=alt.Color(
                "component:N",
                title="Component",
                sort=components,
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=160),
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
    )
    totals = alt.Chart(alt.NamedData("totals"))
    whisker = totals.mark_rule(strokeWidth=2, color="#000000").encode(y=y, x="low:Q", x2="high:Q")
    ends = totals.mark_tick(color="#000000", thickness=2, size=18).encode(y=y, x="low:Q")
    ends_high = totals.mark_tick(color="#000000", thickness=2, size=18).encode(y=y, x="high:Q")
    # The total's label sits above its bar, from the left edge, so it is never cut at the chart's right edge.
    labels = (
        totals.mark_text(align="left", baseline="bottom", dy=-12, fontSize=11, color="#000000")
        .encode(y=y, x=alt.datum(0), text=alt.Text("mid_text:N"))
        .transform_calculate(
            mid_text=f"'mid ' + format(datum.mid, '{money_fmt}') + ' {currency} (range '"
            f" + format(datum.low, '{money_fmt}') + ' to ' + format(datum.high, '{money_fmt}') + ')'"
        )
    )
    return alt.layer(bars, whisker, ends, ends_high, labels).properties(
        width="container", height=alt.Step(56), autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    )


@cache
def _compare_template(currency: str) -> str:
    """The validated spec of :func:`_compare_layers` as JSON, built once per currency (Altair is slow to build)."""
    return json.dumps(_compare_layers(currency).to_dict())


def compare_chart_spec(long: pd.DataFrame, totals: pd.DataFrame, currency: str, title: str) -> dict[str, Any]:
    """The Compare chart as a Vega-Lite spec: stacked mid-case components per place, a whisker over the total's
    low-high range, a text label per total, and a text alternative (``description``) with every total.

    ``long`` is :func:`present.tables.long_frame`; ``totals`` is :func:`present.tables.totals_frame`.
    See :func:`compare_spec_from_rows`, which this is with the frames as records.
    """
    return compare_spec_from_rows(long.to_dict("records"), totals.to_dict("records"), currency, title)


def comparison_chart_spec(
    comparison: Comparison, vendor_ids: set[str], title: str, live: bool = False
) -> dict[str, Any]:
    """:func:`compare_chart_spec` built from the comparison directly, without pandas (the page's rerun path).

    ``live``: the page's form of :func:`compare_spec_from_rows` (named datasets, figures not in the text).
    """
    currency = comparison.rate.currency
    return compare_spec_from_rows(long_rows(comparison, vendor_ids), totals_rows(comparison), currency, title, live)


LIVE_FIGURES = "The totals are in the cards above and in the side-by-side table"
"""What a live chart's text alternative says instead of its figures (they sit beside it on the page)."""


def compare_spec_from_rows(
    long: list[dict[str, Any]], totals: list[dict[str, Any]], currency: str, title: str, live: bool = False
) -> dict[str, Any]:
    """The Compare chart's spec from records (:func:`present.tables.long_rows`, :func:`present.tables.totals_rows`).

    The structure comes from a cached template; only the data, the title and the description are new.
    ``live`` (the Compare page): the data go in the spec's named ``datasets``, and the description names
    where the figures are instead of repeating them, so that a change of figures leaves the rest of the
    spec as it was and the browser updates the drawn chart's data in place instead of building it anew
    (Streamlit sends named datasets apart from the spec). Exports inline the data and list every total.
    """
    order = {row["label"]: i for i, row in enumerate(totals)}
    data = {
        "components": [
            {**row, "order": order.get(row["label"]), "component_order": PART_ORDER.get(row["component"])}
            for row in long
        ],
        "totals": [{**row, "order": order[row["label"]]} for row in totals],
    }
    spec = json.loads(_compare_template(currency))
    if live:
        spec["datasets"] = data
    else:
        for layer in spec["layer"]:
            layer["data"] = {"values": data[layer["data"]["name"]]}
    spec["title"] = title
    spec["height"] = 56 * len(totals)  # a number, not a step: Vega-Lite warns of a step height with "fit-x"
    shown = {row["component"] for row in long}
    present = [c for c in PART_LABELS.values() if c in shown]
    figures = "; ".join(f"{r['label']}: {_money_span(r['low'], r['mid'], r['high'], currency)}" for r in totals)
    figures = LIVE_FIGURES if live else f"Totals: {figures}"
    spec["description"] = (
        f"{title}. Bar chart: each place's mid-case cost stacked by component ({', '.join(present)}), "
        f"with a line from the low to the high total. {figures}."
    )
    return spec


def compare_chart(long: pd.DataFrame, totals: pd.DataFrame, currency: str, title: str) -> alt.LayerChart:
    """:func:`compare_chart_spec` as an Altair chart (for exports, which frame it with titles and notes)."""
    spec = compare_chart_spec(long, totals, currency, title)
    for key in ("$schema", "config", "autosize"):  # top-level only: exports nest the chart in a frame
        spec.pop(key, None)
    return alt.LayerChart.from_dict(spec)


PLAN_COLOURS = {"Shortest plan": OKABE_ITO[4], "Longest plan": OKABE_ITO[0]}
"""The timeline's two plans: Okabe-Ito blue and orange."""
WEEKEND_GREY = "#D9D9D9"


def weekend_frame(first: str, last: str) -> pd.DataFrame:
    """One row per weekend touching ``first``..``last`` (ISO dates): ``start`` Saturday, ``stop`` the Monday after."""
    days = pd.date_range(pd.Timestamp(first) - pd.Timedelta(days=1), pd.Timestamp(last), freq="D")
    saturdays = days[days.day_of_week == 5]
    return pd.DataFrame(
        {
            "start": saturdays.strftime("%Y-%m-%d"),
            "stop": (saturdays + pd.Timedelta(days=2)).strftime("%Y-%m-%d"),
            "what": "Weekend",
        }
    )


def _cut(bands: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """Weekend bands cut to the days from ``first`` to ``last`` (ISO dates compare as text)."""
    return bands.assign(start=bands["start"].clip(lower=first), stop=bands["stop"].clip(upper=last))


def timeline_chart(frame: pd.DataFrame, title: str, daily_axis: bool | None = None) -> alt.LayerChart:
    """A Gantt chart of the phases, both plans side by side in each row, over grey weekend bands.

    ``frame`` is :func:`calculator.present.timeline_files.timeline_frame` (ISO ``start``, exclusive ``stop``);
    dates are drawn in UTC so a day is a day wherever the viewer is. ``daily_axis`` (default: when the
    frame spans at most 16 days) labels every day with its weekday; otherwise ticks are weekly or monthly.
    """
    first, last = str(frame["start"].min()), str(frame["stop"].max())
    span_days = (pd.Timestamp(last) - pd.Timestamp(first)).days
    daily = span_days <= 16 if daily_axis is None else daily_axis
    axis = (
        alt.Axis(
            format="%a %m-%d",
            tickCount={"interval": "day", "step": 1},
            labelAlign="left",
            labelAngle=0,
            labelOffset=4,
        )
        if daily
        else alt.Axis(format="%Y-%m-%d", labelAngle=-45)
    )
    # No explicit domain: the weekend bands are cut to the plan's days, so the data span exactly first..last.
    # (An explicit domain on a layered temporal scale makes Vega-Lite warn of a conflicting domain.)
    scale = alt.Scale(type="utc")
    x = alt.X("start:T", title=None, axis=axis, scale=scale)
    x_shared = alt.X("start:T", title=None, axis=axis)  # the other layers share the first layer's scale
    order = list(dict.fromkeys(frame.sort_values("order")["label"]))
    plans = [p for p in PLAN_COLOURS if p in set(frame["plan"])]
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    weekends = (
        alt.Chart(weekend_frame(first, last).pipe(_cut, first, last))
        .mark_rect(color=WEEKEND_GREY, opacity=0.6, clip=True)
        .encode(x=x, x2="stop:T", tooltip=[alt.Tooltip("what:N", title="")])
    )
    bars = (
        alt.Chart(frame)
        .mark_bar(cornerRadius=2, stroke="#000000", strokeWidth=0.5)
        .encode(
            x=x_shared,
            x2="stop:T",
            y=y,
            yOffset=alt.YOffset("plan:N", sort=plans, scale=alt.Scale(domain=plans)),
            color=alt.Color(
                "plan:N",
                title="Plan",
                sort=plans,
                scale=alt.Scale(domain=plans, range=[PLAN_COLOURS[p] for p in plans]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Phase"),
                alt.Tooltip("plan:N", title="Plan"),
                alt.Tooltip("dates:N", title="Dates"),
                alt.Tooltip("days:Q", title="Days"),
                alt.Tooltip("duration:N", title="Duration"),
            ],
        )
    )
    days = (
        alt.Chart(frame)
        .mark_text(align="left", dx=4, fontSize=10, color="#000000")
        .encode(
            x=alt.X("stop:T", title=None, axis=axis),
            y=y,
            yOffset=alt.YOffset("plan:N", sort=plans, scale=alt.Scale(domain=plans)),
            text=alt.Text("days_text:N"),
        )
        .transform_calculate(days_text="datum.days + (datum.days == 1 ? ' day' : ' days')")
    )
    chart = alt.layer(weekends, bars, days).properties(
        title=alt.Title(title, subtitle="Grey bands: weekends. Bars: shortest plan (blue), longest plan (orange)."),
    )
    chart = fit_width(chart, len(order), 16 * len(plans) + 8)
    plan_text = [
        f"{plan}: "
        + "; ".join(f"{r.label} {r.dates}" for r in frame[frame["plan"] == plan].sort_values("order").itertuples())
        for plan in plans
    ]
    return described(chart, f"{title}. Timeline of the trip's phases with their dates. {'. '.join(plan_text)}.")


def scenarios_chart(frame: pd.DataFrame, title: str) -> alt.LayerChart:
    """Saved scenarios side by side: each scenario's mid-case total per place, whisker = its low-high range.

    ``frame`` is :func:`calculator.present.saved.scenarios_frame`. Places (home, then destinations) are rows;
    within a row one bar per scenario, coloured by scenario (Okabe-Ito) and labelled in the legend.
    Scenarios in different currencies share the axis only if the caller accepts it: the axis title says so.
    """
    scenarios = list(dict.fromkeys(frame["scenario"]))
    places = list(dict.fromkeys(frame["place"]))
    currencies = list(dict.fromkeys(frame["currency"]))
    unit = currencies[0] if len(currencies) == 1 else "each scenario's own currency"
    y = alt.Y("place:N", title=None, sort=places, axis=alt.Axis(labelLimit=260))
    offset = alt.YOffset("scenario:N", sort=scenarios)
    colour = alt.Color(
        "scenario:N",
        title="Scenario",
        sort=scenarios,
        scale=alt.Scale(domain=scenarios, range=OKABE_ITO[: len(scenarios)]),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=300),
    )
    money_fmt = ",.0f"
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=y,
            yOffset=offset,
            x=alt.X("total_mid:Q", title=f"Whole-trip total, mid ({unit}); whisker = low to high"),
            color=colour,
            tooltip=[
                alt.Tooltip("scenario:N", title="Scenario"),
                alt.Tooltip("place:N", title="Where"),
                alt.Tooltip("currency:N", title="Currency"),
                alt.Tooltip("total_low:Q", title="Total, low", format=money_fmt),
                alt.Tooltip("total_mid:Q", title="Total, mid", format=money_fmt),
                alt.Tooltip("total_high:Q", title="Total, high", format=money_fmt),
                alt.Tooltip("savings_mid:Q", title="You save, mid", format=money_fmt),
            ],
        )
    )
    whisker = (
        alt.Chart(frame)
        .mark_rule(color="#000000", strokeWidth=1.5)
        .encode(y=y, yOffset=offset, x="total_low:Q", x2="total_high:Q")
    )
    # One band per place, split into one bar per scenario (yOffset), each bar 20 px with room for the label.
    chart = fit_width(alt.layer(bars, whisker).properties(title=title), len(places), 20 * len(scenarios) + 16)
    figures = "; ".join(
        f"{r.scenario}, {r.place}: {_money_span(r.total_low, r.total_mid, r.total_high, r.currency)}"
        for r in frame.itertuples(index=False)
    )
    return described(chart, f"{title}. Bar chart of each saved scenario's whole-trip total per place: {figures}.")


DESTINATION_COLOURS = [OKABE_ITO[i] for i in (4, 2, 6, 0, 1, 3)]
"""Colours of the destinations in the uncertainty charts, in order (Okabe-Ito, without the red of the zero line)."""


def savings_histogram(
    hist: pd.DataFrame, marks: pd.DataFrame, currency: str, title: str, colour: str = DESTINATION_COLOURS[0]
) -> alt.LayerChart:
    """One destination's histogram of simulated savings with its p5 / p50 / p95 lines and the zero line (red).

    ``hist`` and ``marks`` are one destination's rows of :func:`calculator.present.uncertainty_tables.histogram_frame`
    and :func:`calculator.present.uncertainty_tables.marks_frame`. Left of the red line the trip costs more than home.
    """
    money_fmt = ",.0f"
    x = alt.X("bin_start:Q", title=f"You save ({currency}); left of the red line the trip costs more than home")
    bars = (
        alt.Chart(hist)
        .mark_bar(color=colour, opacity=0.85, binSpacing=0)
        .encode(
            x=x,
            x2="bin_end:Q",
            y=alt.Y("share:Q", title="Share of draws", axis=alt.Axis(format="%")),
            y2=alt.datum(0),
            tooltip=[
                alt.Tooltip("bin_start:Q", title=f"From ({currency})", format=money_fmt),
                alt.Tooltip("bin_end:Q", title=f"To ({currency})", format=money_fmt),
                alt.Tooltip("share:Q", title="Share of draws", format=".1%"),
            ],
        )
    )
    lines = (
        alt.Chart(marks)
        .mark_rule(color="#000000", strokeDash=[4, 3], strokeWidth=1.5)
        .encode(
            x="value:Q", tooltip=[alt.Tooltip("mark:N", title="Percentile"), alt.Tooltip("value:Q", format=money_fmt)]
        )
    )
    labels = (
        alt.Chart(marks)
        .mark_text(align="left", dx=3, dy=-4, baseline="bottom", fontSize=11, color="#000000")
        .encode(x="value:Q", y=alt.value(0), text="mark:N")
    )
    zero = alt.Chart(pd.DataFrame({"value": [0.0]})).mark_rule(color="#D55E00", strokeWidth=2).encode(x="value:Q")
    chart = alt.layer(bars, lines, labels, zero).properties(title=title, width="container", height=240)
    return described(chart, f"{title}. {_histogram_text(marks, currency)}")


def _histogram_text(marks: pd.DataFrame, currency: str) -> str:
    percentiles = ", ".join(f"{r.mark} {amount(r.value)} {currency}" for r in marks.itertuples(index=False))
    return f"Histogram of the simulated savings against home; below zero the trip costs more. {percentiles}."


def uncertainty_chart(
    hist: pd.DataFrame, marks: pd.DataFrame, currency: str, title: str, width: int = 640
) -> alt.VConcatChart:
    """Every destination's :func:`savings_histogram`, one under the other (fixed width: for exports).

    ``hist`` is :func:`calculator.present.uncertainty_tables.histogram_frame`; ``marks`` is
    :func:`calculator.present.uncertainty_tables.marks_frame`.
    """
    destinations = list(dict.fromkeys(hist["destination"]))
    panels = [
        savings_histogram(
            hist[hist["destination"] == name],
            marks[marks["destination"] == name],
            currency,
            name,
            DESTINATION_COLOURS[i % len(DESTINATION_COLOURS)],
        ).properties(width=width, height=150)
        for i, name in enumerate(destinations)
    ]
    text = " ".join(
        f"{name}: {_histogram_text(marks[marks['destination'] == name], currency)}" for name in destinations
    )
    return described(alt.vconcat(*panels).properties(title=title), f"{title}. {text}")


def tornado_chart(frame: pd.DataFrame, currency: str, title: str, metric_label: str = "mid total") -> alt.LayerChart:
    """Each ranged input at its low and its high end (the others at mid), per destination: each bar spans
    from the destination's mid case (black tick) to the metric there; within a destination the input that
    moves it most comes first.

    ``frame`` is :func:`calculator.present.uncertainty_tables.tornado_frame`.
    """
    ends = ["Low end", "High end"]
    money_fmt = ",.0f"
    label = metric_label[:1].upper() + metric_label[1:]
    order = list(dict.fromkeys(frame.sort_values(["destination_order", "rank"])["row"]))
    y = alt.Y("row:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    bars = (
        alt.Chart(frame)
        .mark_bar(height=16)
        .encode(
            y=y,
            x=alt.X(
                "value:Q",
                title=f"{label} ({currency}) with the input at one end, the others at mid",
                scale=alt.Scale(zero=False, padding=70),
            ),
            x2="base:Q",
            color=alt.Color(
                "end:N",
                title="Input at its",
                sort=ends,
                scale=alt.Scale(domain=ends, range=["#56B4E9", "#E69F00"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("destination:N", title="Destination"),
                alt.Tooltip("input:N", title="Input"),
                alt.Tooltip("end:N", title="At its"),
                alt.Tooltip("input_value:N", title="Value"),
                alt.Tooltip("value:Q", title=f"{label} ({currency})", format=money_fmt),
                alt.Tooltip("base:Q", title=f"Mid case ({currency})", format=money_fmt),
            ],
        )
    )
    base = alt.Chart(frame).mark_tick(color="#000000", thickness=2, size=22).encode(y=y, x="base:Q")
    right = (
        alt.Chart(frame)
        .transform_filter("datum.value >= datum.base")
        .mark_text(fontSize=11, color="#000000", dx=4, align="left")
        .encode(y=y, x="value:Q", text="input_value:N")
    )
    left = (
        alt.Chart(frame)
        .transform_filter("datum.value < datum.base")
        .mark_text(fontSize=11, color="#000000", dx=-4, align="right")
        .encode(y=y, x="value:Q", text="input_value:N")
    )
    chart = fit_width(alt.layer(bars, base, left, right).properties(title=title), len(order), 28)
    top = frame[frame["rank"] == frame.groupby("destination")["rank"].transform("min")]
    firsts = "; ".join(
        f"{dest}: {rows['input'].iloc[0].removeprefix(dest + ': ')}, from {amount(rows['value'].min())} to "
        f"{amount(rows['value'].max())} {currency} (mid case {amount(rows['base'].iloc[0])})"
        for dest, rows in top.groupby("destination", sort=False)
    )
    return described(
        chart,
        f"{title}. Tornado chart: for each destination, how far the {metric_label} moves when one input goes to "
        f"the low or the high end of its range, the input that moves it most first. Moves it most: {firsts}.",
    )
