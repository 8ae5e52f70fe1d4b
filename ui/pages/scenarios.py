"""Scenarios: save, load, rename, duplicate, delete and restore named scenarios, with their history;
2-4 saved scenarios side by side; import and export a scenario file; a share link."""

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from calculator.model.compare import compare
from calculator.model.errors import InputError, ScenarioError
from calculator.model.formatting import plain_text
from calculator.model.scenario import Scenario, load_scenario_text, parse_scenario, scenario_json
from calculator.present.chart_files import scenarios_chart_bytes
from calculator.present.charts import scenarios_chart
from calculator.present.saved import export_file_name, history_frame, records_frame, scenarios_display, scenarios_frame
from calculator.present.table_files import scenarios_table_bytes
from calculator.storage.payloads import payload_summary, scenario_payload
from calculator.storage.records import SavedScenario
from calculator.storage.share import encode_token, share_url
from ui import downloads, sidebar, state
from ui.store import store as open_store

MESSAGE_KEY = "sc_message"
NO_CLIENT = "(no client)"
ALL_CLIENTS = "All clients"
MAX_IMPORT_BYTES = 1_000_000
TIME = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss", timezone="UTC")

data = state.data()
scenario = sidebar.scenario_inputs(data)
store = open_store()


def act(where: str, action: Callable[[], str]) -> None:
    """Run a button's action (as its callback, before the page reruns); keep its outcome for ``show``."""
    try:
        st.session_state[MESSAGE_KEY] = (where, "ok", action())
    except InputError as err:
        st.session_state[MESSAGE_KEY] = (where, "error", f"{err}. Nothing was changed.")


def show(where: str) -> None:
    """Show the outcome of the last action taken in this section, once."""
    message = st.session_state.get(MESSAGE_KEY)
    if message and message[0] == where:
        del st.session_state[MESSAGE_KEY]
        (st.success if message[1] == "ok" else st.error)(message[2], icon="✅" if message[1] == "ok" else "🚫")


def client_text(client: str) -> str:
    return client or NO_CLIENT


def keep_valid(key: str, options: list) -> None:
    """Forget a widget's remembered choice that is no longer among its options (renamed, purged...)."""
    value = st.session_state.get(key)
    if isinstance(value, list):
        st.session_state[key] = [v for v in value if v in options]
    elif value is not None and value not in options:
        del st.session_state[key]


# --- actions (button callbacks) -------------------------------------------------------------------


def save_current() -> str:
    current = state.scenario()
    target = st.session_state.get("sc_save_name", "").strip() or current.name
    to_save = parse_scenario({**scenario_payload(current), "name": target}, data, "Save as")
    record = store.save(to_save, client=st.session_state.get("sc_save_client", ""))
    if to_save.name != current.name:
        state.set_scenario(to_save, reseed_widgets=True)  # the inputs now carry the name it was saved under
    st.session_state["sc_save_name"] = ""
    st.session_state["sc_pick"] = record.label
    return f"Saved “{record.label}” as revision {record.revision}."


def open_in_calculator(new: Scenario, what: str) -> str:
    state.set_scenario(new, reseed_widgets=True)
    return f"{what}: the inputs in the sidebar and every page now show “{new.name}”."


def load(record: SavedScenario, number: int | None = None) -> str:
    loaded = store.load(record.name, data, client=record.client, number=number)
    revision = record.revision if number is None else number
    return open_in_calculator(loaded, f"Loaded “{record.label}”, revision {revision}")


def rename(record: SavedScenario) -> str:
    renamed = store.rename(record.name, st.session_state.get("sc_rename_name", ""), client=record.client)
    st.session_state["sc_rename_name"] = ""
    st.session_state["sc_pick"] = renamed.label
    return f"Renamed “{record.label}” to “{renamed.name}” (revision {renamed.revision})."


def duplicate(record: SavedScenario) -> str:
    new_client = st.session_state.get("sc_dup_client", "").strip() or record.client
    copy = store.duplicate(
        record.name, st.session_state.get("sc_dup_name", ""), client=record.client, new_client=new_client
    )
    st.session_state["sc_dup_name"] = ""
    st.session_state["sc_pick"] = copy.label
    return f"Copied “{record.label}” to “{copy.label}”."


def delete(record: SavedScenario) -> str:
    store.delete(record.name, client=record.client)
    return f"Deleted “{record.label}”. It is kept: turn on “Show deleted” to restore it."


def undelete(record: SavedScenario) -> str:
    store.undelete(record.name, client=record.client)
    return f"Restored “{record.label}”."


def purge(record: SavedScenario) -> str:
    store.purge(record.name, client=record.client)
    return f"Purged “{record.label}” and its {record.revision} revision(s) for good."


def restore_revision(record: SavedScenario, number: int) -> str:
    restored = store.restore_revision(record.name, number, client=record.client)
    return f"Revision {number} of “{record.label}” is the newest again (saved as revision {restored.revision})."


def save_imported(imported: Scenario, file_name: str) -> str:
    record = store.save(imported, client=st.session_state.get("sc_import_client", ""), note=f"imported {file_name}")
    st.session_state["sc_pick"] = record.label
    return f"Saved “{record.label}” from {file_name} as revision {record.revision}."


# --- the page ---------------------------------------------------------------------------------------

st.title("Scenarios")
st.caption(
    "Saved on this app's server (where: see the README, Saved scenarios). Every save keeps the earlier "
    "revisions; a deleted scenario stays restorable "
    "until it is purged. The current scenario is the one in the sidebar."
)

st.header(f"Current scenario: {plain_text(scenario.name)}")
save_col, share_col = st.columns(2, gap="large")
with save_col:
    with st.form("sc_save_form", border=True):
        st.text_input(
            "Save as",
            key="sc_save_name",
            max_chars=200,
            placeholder=scenario.name,
            help="Leave empty to save under the scenario's name. Saving over a name adds a revision; "
            "the earlier ones stay in its history.",
        )
        st.text_input(
            "Client label (optional)",
            key="sc_save_client",
            max_chars=100,
            help="Names are unique per client label: two clients can each have a “Mexico” scenario.",
        )
        st.form_submit_button("Save", type="primary", on_click=act, args=("save", save_current))
    show("save")
with share_col:
    st.download_button(
        "Export as JSON",
        data=scenario_json(scenario),
        file_name=export_file_name(scenario.name),
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
        key="sc_export",
        help="The scenario file (DESIGN.md section 5): import it here, or use it with the command line.",
    )
    try:
        token = encode_token(scenario)
    except ScenarioError as err:
        st.warning(f"No share link: {err.problem}. Export the JSON file instead.", icon="⚠️")
    else:
        link = share_url(st.context.url, token, "scenarios")
        st.markdown("**Share link**: opens this scenario on the Compare page, in any browser.")
        st.code(link, language=None, wrap_lines=True)
        st.caption(
            f"{len(token):,} characters. The inputs travel inside the link (nothing is stored on the server): "
            "anyone who has it can read them."
        )

st.subheader("Import a scenario file")
upload = st.file_uploader(
    "Scenario JSON file",
    type=["json"],
    key="sc_import",
    help="A file exported here or written by hand (README: Scenario file). It is checked before anything changes.",
)
if upload is not None:
    imported = None
    try:
        if upload.size > MAX_IMPORT_BYTES:
            raise ScenarioError(upload.name, f"is {upload.size:,} bytes; a scenario file is at most 1 MB")
        try:
            text = upload.getvalue().decode("utf-8")
        except UnicodeDecodeError:
            raise ScenarioError(upload.name, "is not UTF-8 text (is it a JSON file?)") from None
        imported = load_scenario_text(text, data, upload.name, default_name=Path(upload.name).stem)
    except ScenarioError as err:
        st.error(f"Not imported: {err}. Your current scenario is unchanged.", icon="🚫")
    if imported is not None:
        st.success(
            f"{upload.name} holds a valid scenario: “{imported.name}” ({payload_summary(scenario_payload(imported))}).",
            icon="✅",
        )
        col1, col2, col3 = st.columns([2, 2, 3], vertical_alignment="bottom")
        col1.button(
            "Open it in the calculator",
            key="sc_import_open",
            on_click=act,
            args=("import", lambda s=imported, n=upload.name: open_in_calculator(s, f"Opened {n}")),
            help="Replaces the current inputs (save them first if you need them).",
        )
        col3.text_input("Client label for saving (optional)", key="sc_import_client", max_chars=100)
        col2.button(
            "Save it to the store",
            key="sc_import_save",
            on_click=act,
            args=("import", lambda s=imported, n=upload.name: save_imported(s, n)),
        )
show("import")

st.header("Saved scenarios")
clients = store.clients()
keep_valid("sc_client", [ALL_CLIENTS, *clients])
filter1, filter2, filter3 = st.columns([3, 2, 1], vertical_alignment="bottom")
search = filter1.text_input("Search", key="sc_search", placeholder="part of a name or client label")
client_choice = filter2.selectbox(
    "Client", [ALL_CLIENTS, *clients], key="sc_client", format_func=lambda c: c if c == ALL_CLIENTS else client_text(c)
)
show_deleted = filter3.toggle("Show deleted", key="sc_show_deleted")
records = store.list(search, None if client_choice == ALL_CLIENTS else client_choice, include_deleted=show_deleted)
show("saved")
if not records:
    st.info(
        "No saved scenario matches."
        if search or client_choice != ALL_CLIENTS
        else "No saved scenarios yet: save the current one above.",
        icon="ℹ️",
    )
else:
    st.dataframe(
        records_frame(records),
        hide_index=True,
        width="stretch",
        column_config={"Updated (UTC)": TIME, "Created (UTC)": TIME, "Deleted (UTC)": TIME},
    )
    by_label = {r.label: r for r in records}
    keep_valid("sc_pick", list(by_label))
    picked = by_label[st.selectbox("Scenario", list(by_label), key="sc_pick")]
    if picked.deleted:
        st.warning(f"“{picked.label}” is deleted: restore it to keep it, or purge it for good.", icon="🗑️")
    act1, act2, act3 = st.columns(3, gap="medium")
    with act1:
        st.button(
            "Load into the calculator",
            key="sc_load",
            type="primary",
            on_click=act,
            args=("saved", lambda r=picked: load(r)),
            help="Replaces the current inputs with this scenario's latest revision.",
        )
        if picked.deleted is None:
            st.button("Delete", key="sc_delete", on_click=act, args=("saved", lambda r=picked: delete(r)))
        else:
            st.button("Restore", key="sc_undelete", on_click=act, args=("saved", lambda r=picked: undelete(r)))
            sure = st.checkbox("Remove it and its history for good", key="sc_purge_sure")
            st.button(
                "Purge",
                key="sc_purge",
                disabled=not sure,
                on_click=act,
                args=("saved", lambda r=picked: purge(r)),
            )
    with act2:
        st.text_input("New name", key="sc_rename_name", max_chars=200)
        st.button("Rename", key="sc_rename", on_click=act, args=("saved", lambda r=picked: rename(r)))
    with act3:
        st.text_input("Name of the copy", key="sc_dup_name", max_chars=200)
        st.text_input(
            "Client label of the copy", key="sc_dup_client", max_chars=100, placeholder=client_text(picked.client)
        )
        st.button("Duplicate", key="sc_duplicate", on_click=act, args=("saved", lambda r=picked: duplicate(r)))

    # A toggle, not an expander: a table in a closed expander is never drawn, which browser tests wait for.
    if st.toggle(f"Show the history ({picked.revision} revision(s))", key="sc_show_history"):
        revisions = store.history(picked.name, client=picked.client)
        st.dataframe(history_frame(revisions), hide_index=True, width="stretch", column_config={"Saved (UTC)": TIME})
        numbers = [r.number for r in reversed(revisions)]
        keep_valid("sc_revision", numbers)
        number = st.selectbox("Revision", numbers, key="sc_revision", format_func=lambda n: f"Revision {n}")
        rev1, rev2 = st.columns(2)
        rev1.button(
            "Restore this revision",
            key="sc_restore_revision",
            on_click=act,
            args=("saved", lambda r=picked, n=number: restore_revision(r, n)),
            help="Saves it again as the newest revision: nothing in the history is overwritten.",
        )
        rev2.button(
            "Load this revision into the calculator",
            key="sc_load_revision",
            on_click=act,
            args=("saved", lambda r=picked, n=number: load(r, n)),
        )

st.header("Compare saved scenarios")
live = {r.label: r for r in store.list()}
keep_valid("sc_compare", list(live))
chosen = st.multiselect(
    "Scenarios to compare (2 to 4)",
    list(live),
    max_selections=4,
    key="sc_compare",
    placeholder="pick saved scenarios",
)
if len(chosen) < 2:
    st.info("Pick two to four saved scenarios to see their totals and savings side by side.", icon="ℹ️")
else:
    comparisons = []
    for label in chosen:
        record = live[label]
        try:
            comparisons.append((label, compare(store.load(record.name, data, client=record.client), data)))
        except InputError as err:
            st.error(f"“{label}” could not be opened: {err}", icon="🚫")
    if comparisons:
        frame = scenarios_frame(comparisons)
        st.dataframe(scenarios_display(frame), hide_index=True, width="stretch")
        downloads.table_downloads(
            "dl_scenarios_table",
            lambda fmt: scenarios_table_bytes(comparisons, data, fmt),
            "saved scenarios",
            "side-by-side",
        )
        if frame["currency"].nunique() > 1:
            st.warning(
                "These scenarios are in different currencies: compare each one's savings in percent, "
                "or save them in one currency.",
                icon="⚠️",
            )
        st.altair_chart(scenarios_chart(frame, "Saved scenarios: whole-trip cost per destination"), width="stretch")
        downloads.chart_downloads(
            "dl_scenarios_chart",
            lambda fmt: scenarios_chart_bytes(comparisons, data, fmt, dt.date.today()),
            "saved scenarios",
            "side-by-side-chart",
        )
