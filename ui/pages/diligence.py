"""Due diligence: record what each destination's clinic has shown; see what is only claimed."""

import re

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


def checklist_item(key: str, item: ChecklistItem, answer: str, note: str) -> tuple[str, str]:
    """One item: its full name and severity, the five answers as one-click buttons, how to verify and a note."""
    answer_key, note_key = f"in_dd|{key}|{item.id}", f"in_ddn|{key}|{item.id}"
    if answer_key not in st.session_state:  # seeded from the scenario; the widget keeps it from then on
        st.session_state[answer_key] = answer
    if note_key not in st.session_state:
        st.session_state[note_key] = note
    with st.container(border=True, key=f"dd_item_{re.sub(r'[^A-Za-z0-9_]', '_', key)}_{item.id}"):
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
        given = diligence.answers_for(scenario, data, dest, quote)
        notes = scenario.checklist_notes.get(dest, {})
        chosen_all: dict[str, str] = {}
        for item in data.checklist:
            chosen, written = checklist_item(key, item, given[item.id], notes.get(item.id, ""))
            chosen_all[item.id] = chosen
            if written:
                notes_all.setdefault(dest, {})[item.id] = written
        if quote is None:
            answers_all[dest] = {k: v for k, v in chosen_all.items() if v != "unknown"}
        else:
            clinic_answers[(dest, n)] = chosen_all

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
