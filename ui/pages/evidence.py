"""Evidence & claims: what the evidence says, how each country regulates this use, the vendor's claims, sources."""

import streamlit as st

from calculator.model import evidence
from calculator.model.formatting import plain_text
from calculator.present.citations import source_markdown
from calculator.present.spreadsheets import page_table_bytes
from ui import downloads, state, widgets

STATUS_COLOURS = {"Supported": "green", "Partly supported": "orange", "Unsupported": "red", "Contradicted": "red"}
RESTRICTS_COLOURS = {"Restricted": "red", "Not restricted": "green"}


def sources_list(source_ids: tuple[str, ...]) -> None:
    """The sources as publisher, linked title, date and kind, one per line."""
    known = [data.sources[s] for s in source_ids if s in data.sources]
    st.markdown("\n".join(f"- {source_markdown(s)}" for s in known))


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
for rule in data.regulation.values():
    restricts = evidence.RESTRICTS_LABELS[rule.restricts_this_use]
    with st.container(border=True):
        st.badge(restricts, color=RESTRICTS_COLOURS.get(restricts, "gray"))
        st.markdown(f"**{plain_text(rule.name)}**: {plain_text(rule.regulator)}")
        st.caption(f"{plain_text(rule.rule)} · as of {plain_text(rule.as_of)}")
        st.markdown(plain_text(rule.summary))
        with st.expander("Sources"):
            sources_list(rule.sources)
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
    for claim in data.claims:
        status = evidence.CLAIM_STATUS_LABELS[claim.status]
        if status not in statuses:
            continue
        with st.container(border=True):
            st.badge(status, color=STATUS_COLOURS.get(status, "gray"))
            st.markdown(f"“{plain_text(claim.quote)}”")
            st.caption(f"The broker, {plain_text(claim.where)} · {plain_text(claim.topic)}")
            st.markdown(f"**What the evidence says:** {plain_text(claim.evidence)}")
            sources_list(claim.sources)
    downloads.table_downloads(
        "dl_claims_table",
        lambda fmt: page_table_bytes(shown, fmt, "Claims", data, [s for c in data.claims for s in c.sources]),
        name,
        "claims",
    )

st.header("Bibliography")
st.caption("Every source the calculator cites, with its kind: a vendor claim is a marketing statement, not evidence.")
with st.expander(f"All {len(data.sources)} sources", expanded=True):
    st.markdown("\n".join(f"1. {source_markdown(s)}" for s in data.sources.values()))
downloads.table_downloads(
    "dl_bibliography_table",
    lambda fmt: page_table_bytes(evidence.bibliography_frame(data), fmt, "Bibliography", data, data.sources),
    name,
    "bibliography",
)
