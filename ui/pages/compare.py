"""Compare: the answer first (one card per destination), then the reasons, the table and the chart.

Everything below the sidebar is one fragment (``RESULTS``): an input that changes figures only
reruns it alone (ui.sidebar), and the answer is one HTML block (calculator.present.answer_html),
so a change redraws a handful of elements, not the page's hundred and more.
"""

import datetime as dt

import streamlit as st

from calculator.model.compare import compare
from calculator.model.results import Comparison
from calculator.present import answer_html, summary
from calculator.present.chart_files import compare_chart_bytes
from calculator.present.charts import comparison_chart_spec
from calculator.present.citations import vendor_source_ids
from calculator.present.report_files import comparison_report
from calculator.present.table_files import table_bytes
from calculator.present.tables import VENDOR_MARK, display_frame
from ui import downloads, sidebar, state

RESULTS = "compare_results"
data = state.data()
sidebar.scenario_inputs(data, results=RESULTS)
st.html(answer_html.STYLE)  # once per page: a fragment rerun leaves the page's styles alone


@st.fragment(key=RESULTS)
def results() -> None:
    """The answer, the side-by-side table, the chart, the downloads and the sources of the current scenario."""
    scenario = state.scenario()
    sidebar.show_problem()
    comparison = compare(scenario, data)
    cur = comparison.rate.currency
    vendor_ids = vendor_source_ids(data.sources)
    item_labels = {i.id: i.label for i in data.package_items}
    header = answer_html.Header(
        title=summary.title(comparison),
        caption=f"{scenario.name} · {data.procedure_info[scenario.procedure].name} · {comparison.rate.sentence()} "
        "Change the inputs in the sidebar (the » button at the top left on a phone).",
        experimental=next((a for a in comparison.alerts if a.code == "experimental_treatment"), None),
    )
    st.html(answer_html.answer_html(comparison, header, item_labels, vendor_ids, data.sources))

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
    note = (
        f"Low / mid / high = every range at its low end / midpoint / high end. {VENDOR_MARK.strip()} = rests on a "
        "vendor's unverified claim; + = the broker's range is open at the top."
    )
    st.html(answer_html.table_html(display_frame(comparison, vendor_ids, view, item_labels), note))
    st.vega_lite_chart(
        spec=comparison_chart_spec(comparison, vendor_ids, f"{scenario.name}: whole-trip cost ({cur})", live=True),
        width="stretch",
    )
    with st.popover("Download the report, the table or the chart", icon=":material/download:", key="compare_dl",
                    on_change="rerun") as files:  # fmt: skip
        if files.open:  # built only when opened: no download buttons on every change
            _downloads(scenario.name, comparison)
    st.html(answer_html.sources_html(comparison.source_ids(), data.sources))


def _downloads(name: str, comparison: Comparison) -> None:
    """The report (HTML, PDF), the table (CSV, XLSX) and the chart (PNG, SVG, PDF); each file made on click."""
    # The report's timeline starts on the day chosen on the Timeline page (session keys it keeps), else today.
    start, start_is = st.session_state.get("timeline_start", dt.date.today()), st.session_state.get("timeline_start_is")
    today = dt.date.today()
    downloads.report_downloads(
        "dl_report",
        lambda fmt: comparison_report(comparison, data, fmt, today, start, None, start_is or "procedure"),
        name,
    )
    downloads.table_downloads("dl_compare_table", lambda fmt: table_bytes(comparison, data, fmt), name, "comparison")
    downloads.chart_downloads(
        "dl_compare_chart", lambda fmt: compare_chart_bytes(comparison, data, fmt, today), name, "compare-chart"
    )


results()
