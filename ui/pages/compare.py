"""Compare: the answer first (one card per destination), then the reasons, the table and the chart."""

import datetime as dt

import streamlit as st

from calculator.model.compare import compare
from calculator.model.formatting import plain_text
from calculator.model.sources import SourceKind
from calculator.present import summary
from calculator.present.chart_files import compare_chart_bytes
from calculator.present.charts import comparison_chart_spec
from calculator.present.report_files import comparison_report
from calculator.present.table_files import table_bytes
from calculator.present.tables import VENDOR_MARK, breakdown_markdown, display_frame
from ui import downloads, sidebar, state, widgets

data = state.data()
scenario = sidebar.scenario_inputs(data)
comparison = compare(scenario, data)
cur = comparison.rate.currency
vendor_ids = {s.id for s in data.sources.values() if s.kind == SourceKind.VENDOR_CLAIM}
procedure = data.procedure_info[scenario.procedure]
item_labels = {i.id: i.label for i in data.package_items}

st.title(summary.title(comparison))
st.caption(
    f"{plain_text(scenario.name)} · {procedure.name} · {comparison.rate.sentence()} "
    "Change the inputs in the sidebar (the » button at the top left on a phone)."
)
widgets.experimental_line(comparison.alerts, data)

# The answer: one card per destination, or per clinic quote (columns stack on a phone).
cards = summary.destination_summaries(comparison, item_labels)
for col, card, dest in zip(st.columns(len(cards)), cards, comparison.destinations, strict=True):
    with col.container(border=True):
        st.markdown(f"**{plain_text(card.title)}**")
        st.metric(f"Whole trip, mid ({cur})", card.total_mid, help=f"Low to high: {card.total_range}")
        st.caption(f"Low to high: {card.total_range}")
        st.metric(
            f"You save, mid ({cur})",
            card.saving_mid,
            delta=card.saving_pct_mid,
            help="Worst case: home's low total minus this trip's high total; best case the other way round.",
        )
        st.caption(f"Saving {card.saving_range}")
        if card.costs_more:
            st.markdown(f":red[**{card.costs_more}**]")
        if card.missing:
            st.markdown(f":orange[**{card.missing}**]")
        if card.deposit:
            st.markdown(f"💰 {card.deposit}")
        st.caption(f"{card.readiness} · {card.warnings}")
        with st.expander(f"Why: {summary.plural(len(dest.alerts), 'warning')} behind these figures"):
            widgets.alerts(dest.alerts, data)
        with st.expander("Cost breakdown"):
            st.markdown(breakdown_markdown(dest, cur, vendor_ids))

home_from_quote = scenario.home_quote is not None
st.markdown(summary.home_line(comparison.home, cur, home_from_quote))
scenario_alerts = [a for a in comparison.alerts if a.code != "experimental_treatment"]
if scenario_alerts:
    with st.expander(f"The stay and the home price: {summary.plural(len(scenario_alerts), 'warning')}"):
        widgets.alerts(scenario_alerts, data)
widgets.not_medical_advice()


@st.fragment
def side_by_side() -> None:
    """The table of every component, low to high or one end; switching the view reruns only this part."""
    st.header("Side by side", anchor=False)
    st.caption(
        f"Low / mid / high = every range at its low end / midpoint / high end. {VENDOR_MARK.strip()} = rests on a "
        "vendor's unverified claim; + = the broker's range is open at the top."
    )
    view = (
        st.segmented_control(
            "Show",
            ["range", "low", "mid", "high"],
            default="range",
            key="compare_view",
            format_func={"range": "Low to high", "low": "Low", "mid": "Mid", "high": "High"}.get,
            help="Low adds every range's low end; high every high end; mid is halfway.",
        )
        or "range"
    )
    table = display_frame(comparison, vendor_ids, view, item_labels)
    st.dataframe(
        table,
        width="stretch",
        height=widgets.table_height(len(table)),
        column_config={"_index": st.column_config.Column(width=170)},
    )
    downloads.table_downloads(
        "dl_compare_table", lambda fmt: table_bytes(comparison, data, fmt), scenario.name, "comparison"
    )


side_by_side()

st.vega_lite_chart(
    spec=comparison_chart_spec(comparison, vendor_ids, f"{scenario.name}: whole-trip cost ({cur})"), width="stretch"
)
downloads.chart_downloads(
    "dl_compare_chart",
    lambda fmt: compare_chart_bytes(comparison, data, fmt, dt.date.today()),
    scenario.name,
    "compare-chart",
)

with st.expander("Sources of every figure on this page"):
    st.markdown("\n".join(f"- {plain_text(widgets.cite([s], data))}" for s in comparison.source_ids()))

# The report's timeline starts on the day chosen on the Timeline page (session keys it keeps), else today.
start, start_is = st.session_state.get("timeline_start", dt.date.today()), st.session_state.get("timeline_start_is")
downloads.report_downloads(
    "dl_report",
    lambda fmt: comparison_report(comparison, data, fmt, dt.date.today(), start, None, start_is or "procedure"),
    scenario.name,
)
