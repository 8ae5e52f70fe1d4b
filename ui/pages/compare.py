"""Compare: home against each destination, the whole trip, with warnings beside the figures."""

import datetime as dt

import streamlit as st

from calculator.model.alerts import split_by_topic
from calculator.model.compare import compare
from calculator.model.formatting import money, money_range, percent, plain_text
from calculator.model.sources import SourceKind
from calculator.present.charts import compare_chart_spec
from calculator.present.export import compare_chart_bytes, table_bytes
from calculator.present.report import comparison_report
from calculator.present.tables import VENDOR_MARK, display_frame, long_frame, totals_frame
from ui import downloads, sidebar, state, widgets

data = state.data()
scenario = sidebar.scenario_inputs(data)
comparison = compare(scenario, data)
cur = comparison.rate.currency
vendor_ids = {s.id for s in data.sources.values() if s.kind == SourceKind.VENDOR_CLAIM}
procedure = data.procedure_info[scenario.procedure]

st.title(f"{procedure.name}: home vs {len(scenario.destinations)} destination(s)")
st.caption(
    f"{plain_text(scenario.name)} · figures in {comparison.rate.describe()} · low / mid / high = every range at its "
    f"low end / midpoint / high end · {VENDOR_MARK.strip()} = rests on a vendor's unverified claim"
)
widgets.not_medical_advice()
figures, checks = split_by_topic(comparison.alerts)
widgets.alerts(figures, data)
if checks:
    with st.expander(f"Regulation at home ({len(checks)} warning{'s' if len(checks) != 1 else ''})"):
        widgets.alerts(checks, data)

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
table = display_frame(comparison, vendor_ids, view)
st.dataframe(table, width="stretch", height=widgets.table_height(len(table)))
downloads.table_downloads(
    "dl_compare_table", lambda fmt: table_bytes(comparison, data, fmt), scenario.name, "comparison"
)

cols = st.columns(len(comparison.destinations))
for col, dest in zip(cols, comparison.destinations, strict=True):
    with col:
        st.header(dest.name + (f" ({dest.city})" if dest.city else ""))
        st.metric(f"Whole trip, mid ({cur})", money(dest.total.mid, cur), help=f"Range: {money_range(dest.total, cur)}")
        st.metric(
            f"You save, mid ({cur})",
            money(dest.savings.mid, cur),
            delta=percent(dest.savings_pct[1]),
            help=f"Worst to best: {money_range(dest.savings, cur)}",
        )
        figures, checks = split_by_topic(dest.alerts)
        widgets.alerts(figures, data)
        if dest.diligence:
            st.markdown(f"**Readiness:** {dest.diligence.headline()}")
        if checks:
            with st.expander(f"Checks and regulation ({len(checks)} warning{'s' if len(checks) != 1 else ''})"):
                widgets.alerts(checks, data)

long = long_frame(comparison, vendor_ids)
st.vega_lite_chart(
    spec=compare_chart_spec(long, totals_frame(comparison), cur, f"{scenario.name}: whole-trip cost ({cur})"),
    width="stretch",
)
downloads.chart_downloads(
    "dl_compare_chart",
    lambda fmt: compare_chart_bytes(comparison, data, fmt, dt.date.today()),
    scenario.name,
    "compare-chart",
)

with st.expander("Sources of every figure on this page"):
    for source_id in comparison.source_ids():
        st.markdown(f"- {widgets.cite([source_id], data)}")

# The report's timeline starts on the day chosen on the Timeline page (session keys it keeps), else today.
start, start_is = st.session_state.get("timeline_start", dt.date.today()), st.session_state.get("timeline_start_is")
downloads.report_downloads(
    "dl_report",
    lambda fmt: comparison_report(comparison, data, fmt, dt.date.today(), start, None, start_is or "procedure"),
    scenario.name,
)
