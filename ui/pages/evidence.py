"""Evidence & claims: what the evidence says, how each country regulates this use, the vendor's claims, sources."""

import streamlit as st

from calculator.model import evidence
from calculator.present.spreadsheets import page_table_bytes
from ui import downloads, state, widgets

data = state.data()
procedure = data.procedure_info[state.scenario().procedure]
name = state.scenario().name

st.title("Evidence & claims")
st.header("The state of the evidence")
st.markdown(f"**{procedure.name}.** {procedure.description} {procedure.evidence_summary}")
st.caption("Sources: " + widgets.cite(procedure.sources, data))

st.header("Regulation by country")
st.caption("Whether each country's regulator restricts this use of stem cells, and what to ask the clinic for.")
regulation = evidence.regulation_frame(data)
st.dataframe(regulation, hide_index=True, width="stretch")
rule_sources = [s for rule in data.regulation.values() for s in rule.sources]
downloads.table_downloads(
    "dl_regulation_table",
    lambda fmt: page_table_bytes(regulation, fmt, "Regulation", data, rule_sources),
    name,
    "regulation",
)

st.header("The broker's claims, checked")
claims = evidence.claims_frame(data)
statuses = st.multiselect(
    "Show claims that are",
    list(evidence.CLAIM_STATUS_LABELS.values()),
    default=list(evidence.CLAIM_STATUS_LABELS.values()),
    key="evidence_status_filter",
    help="The status says what the cited evidence makes of each claim.",
)
shown = claims[claims["Status"].isin(statuses)]
if shown.empty:
    st.info("No claim has the chosen status.", icon="🔎")
else:
    st.dataframe(shown, hide_index=True, width="stretch")
    downloads.table_downloads(
        "dl_claims_table",
        lambda fmt: page_table_bytes(shown, fmt, "Claims", data, [s for c in data.claims for s in c.sources]),
        name,
        "claims",
    )

st.header("Bibliography")
st.caption("Every source the calculator cites, with its kind: a vendor claim is a marketing statement, not evidence.")
st.dataframe(
    evidence.bibliography_frame(data),
    hide_index=True,
    width="stretch",
    column_config={"URL": st.column_config.LinkColumn("URL")},
)
downloads.table_downloads(
    "dl_bibliography_table",
    lambda fmt: page_table_bytes(evidence.bibliography_frame(data), fmt, "Bibliography", data, data.sources),
    name,
    "bibliography",
)
