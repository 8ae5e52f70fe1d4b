"""Due diligence: record what each destination's clinic has shown; see what is only claimed."""

import streamlit as st

from calculator.model import diligence
from calculator.model.compare import compare
from calculator.model.data import ChecklistItem
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
    "claimed = the clinic or broker says so. An unanswered item counts as unknown. One click sets an answer; "
    "open an item for how to verify it and to note where you did."
)
st.info(f"**How readiness is set.** {diligence.READINESS_RULE}", icon="🧭")

SEVERITY_WORDS = {"critical": "Critical", "important": "Important", "advisory": "Advisory"}


def checklist_item(dest: str, item: ChecklistItem, answer: str, note: str) -> tuple[str, str]:
    """One item: its full name and severity, the five answers as one-click buttons, how to verify and a note."""
    answer_key, note_key = f"in_dd|{dest}|{item.id}", f"in_ddn|{dest}|{item.id}"
    if answer_key not in st.session_state:  # seeded from the scenario; the widget keeps it from then on
        st.session_state[answer_key] = answer
    if note_key not in st.session_state:
        st.session_state[note_key] = note
    with st.container(border=True, key=f"dd_item_{dest}_{item.id}"):
        st.markdown(f"**{plain_text(item.label)}** · {SEVERITY_WORDS.get(item.severity, item.severity)}")
        chosen = st.segmented_control(
            f"{item.label}: answer",
            options=list(diligence.ANSWERS),
            format_func=diligence.ANSWER_LABELS.get,
            key=answer_key,
            label_visibility="collapsed",
        )
        with st.expander("How to verify it, and your note"):
            st.markdown(f"**How to verify:** {plain_text(item.how_to_verify)}")
            st.caption(f"Why it matters: {plain_text(item.why)}")
            written = st.text_input(
                "Evidence note or link",
                key=note_key,
                max_chars=500,
                help="Where you verified it: a registry entry, a document.",
            )
    return chosen or "unknown", written


tabs = st.tabs([names[d] for d in scenario.destinations])
answers_all, notes_all = {}, {}
for tab, dest in zip(tabs, scenario.destinations, strict=True):
    with tab:
        clinic = scenario.quotes[dest].clinic if dest in scenario.quotes else None
        if clinic:
            st.caption(f"Clinic: {plain_text(clinic)}")
        given = diligence.answers_for(scenario, data, dest)
        notes = scenario.checklist_notes.get(dest, {})
        answers_all[dest], notes_all[dest] = {}, {}
        for item in data.checklist:
            chosen, written = checklist_item(dest, item, given[item.id], notes.get(item.id, ""))
            if chosen != "unknown":
                answers_all[dest][item.id] = chosen
            if written:
                notes_all[dest][item.id] = written

raw = {**scenario.model_dump(exclude_none=True), "checklist": answers_all, "checklist_notes": notes_all}
try:
    updated = parse_scenario(raw, data, "checklist")
except ScenarioError as err:
    st.error(f"Not applied: {err.problem} ({err.where}). Your other answers are kept.", icon="🚫")
    updated = scenario
if updated != scenario:
    state.set_scenario(updated)
    scenario = updated

comparison = compare(scenario, data)
summaries = {d.id: d.diligence for d in comparison.destinations}
st.header("Summary")
st.dataframe(diligence_tables.summary_frame(summaries, names), hide_index=True, width="stretch")
downloads.table_downloads(
    "dl_checklist_table", lambda fmt: checklist_table_bytes(comparison, data, fmt), scenario.name, "checklist"
)
for dest in comparison.destinations:
    found = [a for a in dest.alerts if a.subject.startswith("checklist") or a.code == "quote_outside_range"]
    with st.expander(f"{dest.name}: {dest.diligence.headline()}", expanded=bool(found)):
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
