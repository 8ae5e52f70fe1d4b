"""Due diligence: record what each destination's clinic has shown; see what is only claimed."""

import streamlit as st

from calculator.model import diligence
from calculator.model.compare import compare
from calculator.model.errors import ScenarioError
from calculator.model.formatting import plain_text
from calculator.model.scenario import parse_scenario
from calculator.present import diligence_tables
from calculator.present.table_files import checklist_table_bytes
from ui import downloads, sidebar, state, widgets

data = state.data()
scenario = sidebar.scenario_inputs(data)
names = {d: data.prices[(scenario.procedure, d)].region_name for d in scenario.destinations}
labels = {i.id: i.label for i in data.checklist}

st.title("Due diligence")
st.caption(
    "For each destination (or the clinic you are considering there), record what you have seen for yourself. "
    "Verified = you checked it at the source (a registry, a certificate, a written document); "
    "claimed = the clinic or broker says so. An unanswered item counts as unknown."
)
st.info(f"**How readiness is set.** {diligence.READINESS_RULE}", icon="🧭")

# One tab per destination, or per clinic quote there: a clinic's answers override the destination's.
columns = [
    col
    for d in scenario.destinations
    for col in ([(d, n, q) for n, q in enumerate(scenario.clinic_quotes(d))] or [(d, None, None)])
]
tabs = st.tabs([names[d] if q is None else f"{names[d]} · {q.clinic or f'clinic {n + 1}'}" for d, n, q in columns])
answers_all, notes_all, clinic_answers = {}, {}, {}
for tab, (dest, n, quote) in zip(tabs, columns, strict=True):
    with tab:
        if quote is not None:
            st.caption(
                f"Clinic: {plain_text(quote.clinic or f'clinic {n + 1}')}. Its answers here override the "
                "destination's; notes are kept per destination."
            )
        key = f"{dest}" if quote is None else f"{dest}|{n}|{quote.clinic or ''}"
        base_key = f"in_dd_base|{key}"
        if base_key not in st.session_state:  # a stable input frame: edits are read back, never fed in
            st.session_state[base_key] = diligence_tables.checklist_frame(
                data.checklist,
                diligence.answers_for(scenario, data, dest, quote),
                scenario.checklist_notes.get(dest, {}),
            )
        edited = st.data_editor(
            st.session_state[base_key],
            key=f"in_dd|{key}",
            hide_index=True,
            width="stretch",
            disabled=["id", "item", "severity", "category", "how_to_verify"],
            column_order=["item", "severity", "answer", "note", "how_to_verify"],
            column_config={
                "item": st.column_config.TextColumn("Item", width="medium"),
                "severity": st.column_config.TextColumn("Severity", width="small"),
                "answer": st.column_config.SelectboxColumn(
                    "Answer",
                    options=list(diligence.ANSWERS),
                    required=True,
                    width="small",
                    help="verified, claimed (unverified), no, unknown, not_applicable",
                ),
                "note": st.column_config.TextColumn(
                    "Evidence note or link", max_chars=500, help="Where you verified it: a registry entry, a document."
                ),
                "how_to_verify": st.column_config.TextColumn("How to verify", width="large"),
            },
        )
        given = dict(zip(edited["id"], edited["answer"], strict=True))
        if quote is None:
            answers_all[dest] = {k: v for k, v in given.items() if v != "unknown"}
        else:
            clinic_answers[(dest, n)] = given
        notes_all.setdefault(dest, {}).update({k: v for k, v in zip(edited["id"], edited["note"], strict=True) if v})

raw = {**scenario.model_dump(exclude_none=True), "checklist": answers_all, "checklist_notes": notes_all}
for (dest, n), given in clinic_answers.items():  # a clinic keeps only what differs from its destination's answers
    base = scenario.checklist.get(dest, {})
    raw["quotes"][dest][n]["checklist"] = {k: v for k, v in given.items() if base.get(k, "unknown") != v}
for dest in {d for d, _ in clinic_answers}:
    answers_all[dest] = dict(scenario.checklist.get(dest, {}))
try:
    updated = parse_scenario(raw, data, "checklist")
except ScenarioError as err:
    st.error(f"Not applied: {plain_text(f'{err.problem} ({err.where})')}. Your other answers are kept.", icon="🚫")
    updated = scenario
if updated != scenario:
    state.set_scenario(updated)
    scenario = updated

comparison = compare(scenario, data)
st.header("Summary")
labelled = {d.label: d.diligence for d in comparison.destinations}
st.dataframe(diligence_tables.summary_frame(labelled, {k: k for k in labelled}), hide_index=True, width="stretch")
downloads.table_downloads(
    "dl_checklist_table", lambda fmt: checklist_table_bytes(comparison, data, fmt), scenario.name, "checklist"
)
for dest in comparison.destinations:
    found = [a for a in dest.alerts if a.subject.startswith("checklist") or a.code == "quote_outside_range"]
    with st.expander(f"{plain_text(dest.label)}: {dest.diligence.headline()}", expanded=bool(found)):
        if found:
            widgets.alerts(found, data)
        else:
            st.success("Every critical and important item is verified or not applicable.", icon="✅")
        gaps = [labels[i] for i in dest.diligence.critical_gaps]
        if gaps:
            st.markdown("**Critical gaps:** " + "; ".join(gaps))

st.header("Questions to ask a clinic")
questions = "\n".join(f"{n}. {q.text}" for n, q in enumerate(data.questions, start=1))
st.markdown(questions)
st.caption("Sources: " + widgets.cite(dict.fromkeys(s for q in data.questions for s in q.sources), data))
st.download_button(
    "Download the questions (text, printable)",
    questions + "\n",
    file_name="questions-to-ask-a-clinic.txt",
    mime="text/plain",
    on_click="ignore",
)
