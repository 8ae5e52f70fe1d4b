"""The Scenarios page in AppTest (own SQLite file per test): save, load, history, rename, duplicate,
delete/restore, side-by-side comparison, import/export, and a ``?s=`` share link opening a scenario."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from calculator.model.data import DataBundle
from calculator.model.scenario import scenario_json
from calculator.storage.share import encode_token
from calculator.storage.store import Store
from tests.conftest import APP, APPTEST_TIMEOUT, MEXICO_ACCEPTANCE, make_scenario, shown

PAGE = "ui/pages/scenarios.py"
OWN = {
    "name": "Own figures",
    "destinations": ["mexico_colombia", "turkey_thailand"],
    "travellers": 2,
    "insurance": 180,
    "travel": {
        "mexico_colombia": {"fare_per_traveller": 650, "lodging_per_night": 300},
        "turkey_thailand": {"fare_per_traveller": 1100},
    },
}
"""A scenario the sidebar reads back unchanged (no figure equal to its cited default, which it stores as None)."""


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "page.sqlite3"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CALC_DB_PATH", str(path))
    return path


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{db_path}")
    yield s
    s.close()


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def messages(at: AppTest, kind: str) -> str:
    return " | ".join(shown(e.value) for e in getattr(at, kind))


def current(at: AppTest):
    return at.session_state["scenario"]


def test_save_current_then_save_again_keeps_both_revisions(store: Store, data: DataBundle):
    at = open_page()
    at.text_input(key="sc_save_client").input("Ana")
    at.button(key="FormSubmitter:sc_save_form-Save").click().run()
    assert "Saved “Ana / My comparison” as revision 1." in messages(at, "success")
    at.sidebar.number_input(key="in_travellers").set_value(3).run()
    at.text_input(key="sc_save_client").input("Ana")
    at.button(key="FormSubmitter:sc_save_form-Save").click().run()
    assert "as revision 2." in messages(at, "success")
    assert not at.exception
    assert [r.number for r in store.history("My comparison", client="Ana")] == [1, 2]
    assert store.load("My comparison", data, client="Ana") == current(at)
    assert store.load("My comparison", data, client="Ana", number=1).travellers == 1
    listing = at.dataframe[0].value
    assert listing[["Name", "Client", "Revisions"]].values.tolist() == [["My comparison", "Ana", 2]]
    assert len(at.dataframe) == 1  # the history shows on request
    at.toggle(key="sc_show_history").set_value(True).run()
    history = at.dataframe[1].value
    assert history["Revision"].tolist() == [2, 1]


def test_save_as_a_new_name_renames_the_current_scenario(store: Store):
    at = open_page()
    at.text_input(key="sc_save_name").input("Client B: Turkey")
    at.button(key="FormSubmitter:sc_save_form-Save").click().run()
    assert current(at).name == "Client B: Turkey"
    assert at.sidebar.text_input(key="in_name").value == "Client B: Turkey"
    assert [r.name for r in store.list()] == ["Client B: Turkey"]


def test_load_replaces_the_inputs(store: Store, data: DataBundle):
    saved = make_scenario(data, **OWN)
    store.save(saved, client="Ana")
    at = open_page()
    assert at.selectbox(key="sc_pick").value == "Ana / Own figures"
    at.button(key="sc_load").click().run()
    assert not at.exception
    assert current(at) == saved
    assert at.sidebar.number_input(key="in_travellers").value == 2
    assert at.sidebar.number_input(key="in_insurance").value == 180
    assert "Loaded “Ana / Own figures”, revision 1" in messages(at, "success")


def test_rename_duplicate_delete_restore_and_history(store: Store, data: DataBundle):
    store.save(make_scenario(data, **MEXICO_ACCEPTANCE))
    store.save(make_scenario(data, **{**MEXICO_ACCEPTANCE, "travellers": 2}))
    at = open_page()
    at.text_input(key="sc_rename_name").input("Mexico for Bo")
    at.button(key="sc_rename").click().run()
    assert "Renamed “Acceptance: Mexico” to “Mexico for Bo” (revision 3)." in messages(at, "success")
    assert at.selectbox(key="sc_pick").value == "Mexico for Bo"

    at.text_input(key="sc_dup_name").input("Mexico copy")
    at.text_input(key="sc_dup_client").input("Cy")
    at.button(key="sc_duplicate").click().run()
    assert at.selectbox(key="sc_pick").value == "Cy / Mexico copy"
    assert store.load("Mexico copy", data, client="Cy").travellers == 2

    at.selectbox(key="sc_pick").set_value("Mexico for Bo").run()
    at.toggle(key="sc_show_history").set_value(True).run()
    at.selectbox(key="sc_revision").set_value(1).run()
    at.button(key="sc_restore_revision").click().run()
    assert "Revision 1 of “Mexico for Bo” is the newest again (saved as revision 4)." in messages(at, "success")
    assert store.load("Mexico for Bo", data).travellers == 1

    at.button(key="sc_delete").click().run()
    assert [r.label for r in store.list()] == ["Cy / Mexico copy"]
    assert at.selectbox(key="sc_pick").value == "Cy / Mexico copy"
    at.toggle(key="sc_show_deleted").set_value(True).run()
    at.selectbox(key="sc_pick").set_value("Mexico for Bo").run()
    assert "is deleted" in messages(at, "warning")
    at.button(key="sc_undelete").click().run()
    assert {r.label for r in store.list()} == {"Cy / Mexico copy", "Mexico for Bo"}
    assert not at.exception


def test_rename_to_a_taken_name_is_a_clear_error(store: Store, data: DataBundle):
    store.save(make_scenario(data, **{**MEXICO_ACCEPTANCE, "name": "A"}))
    store.save(make_scenario(data, **{**MEXICO_ACCEPTANCE, "name": "B"}))
    at = open_page()
    at.selectbox(key="sc_pick").set_value("A").run()
    at.text_input(key="sc_rename_name").input("B")
    at.button(key="sc_rename").click().run()
    assert "a scenario named 'B' already exists. Nothing was changed." in messages(at, "error")
    assert {r.name for r in store.list()} == {"A", "B"}


def test_search_and_client_filter(store: Store, data: DataBundle):
    for name, client in [("Mexico", "Ana"), ("Turkey", "Ana"), ("India", "Bo")]:
        store.save(make_scenario(data, **{**MEXICO_ACCEPTANCE, "name": name}), client=client)
    at = open_page()
    assert len(at.dataframe[0].value) == 3
    at.selectbox(key="sc_client").set_value("Ana").run()
    assert set(at.dataframe[0].value["Name"]) == {"Mexico", "Turkey"}
    at.text_input(key="sc_search").input("turk").run()
    assert at.dataframe[0].value["Name"].tolist() == ["Turkey"]
    at.text_input(key="sc_search").input("nothing like it").run()
    assert "No saved scenario matches." in messages(at, "info")


def test_compare_two_saved_scenarios_side_by_side(store: Store, data: DataBundle):
    store.save(make_scenario(data, **MEXICO_ACCEPTANCE), client="Ana")
    store.save(make_scenario(data, **{**MEXICO_ACCEPTANCE, "name": "Two of us", "travellers": 2}), client="Ana")
    at = open_page()
    at.multiselect(key="sc_compare").set_value(["Ana / Acceptance: Mexico", "Ana / Two of us"]).run()
    assert not at.exception
    table = at.dataframe[-1].value.set_index(["Scenario", "Where"])
    one = table.loc[("Ana / Acceptance: Mexico", "Mexico / Colombia")]
    # Issue 2's acceptance figures: total 6,194 / 10,773 / 15,352; savings -352 / 9,227 / 18,806 (46.1% of 20,000).
    assert (one["Total, mid"], one["Total, low to high"]) == ("USD 10,773", "USD 6,194 to 15,352")
    assert (one["You save, mid"], one["You save, worst to best"], one["You save, mid (%)"]) == (
        "USD 9,227",
        "USD -352 to 18,806",
        "46.1%",
    )
    # A second traveller adds a fare (650) and M&IE (136 x 4-7): 7,388 to 16,954, mid 12,171; saves 20,000 - 12,171.
    two = table.loc[("Ana / Two of us", "Mexico / Colombia")]
    assert (two["Total, low to high"], two["You save, mid"]) == ("USD 7,388 to 16,954", "USD 7,829")
    home = table.loc[("Ana / Two of us", "United States / Western Europe (home)")]
    assert (home["Total, low to high"], home["You save, mid"]) == ("USD 15,000 to 25,000", "")
    [chart] = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    assert spec["layer"][0]["encoding"]["yOffset"]["field"] == "scenario"
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == ["#E69F00", "#56B4E9"]


def test_import_a_valid_file_then_open_it(data: DataBundle, db_path: Path):
    at = open_page()
    before = current(at)
    content = json.dumps({**OWN, "travellers": 4}).encode()
    at.file_uploader(key="sc_import").set_value(("client-c.json", content, "application/json")).run()
    assert "client-c.json holds a valid scenario: “Own figures”" in messages(at, "success")
    assert current(at) == before  # nothing changes until the user opens or saves it
    at.button(key="sc_import_open").click().run()
    assert current(at) == make_scenario(data, **{**OWN, "travellers": 4})
    assert at.sidebar.number_input(key="in_travellers").value == 4
    at.button(key="sc_import_save").click().run()
    assert "Saved “Own figures” from client-c.json as revision 1." in messages(at, "success")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"destinations": ["mexico_colombia"], "travellers": 0}', "bad.json: travellers: Input should be"),
        (b'{"destinations": ["atlantis"]}', "bad.json: destinations[0]: unknown destination 'atlantis'"),
        (b"{not json", "bad.json: not valid JSON (line 1, column 2"),
        (b"\xff\xfe\x00", "bad.json: is not UTF-8 text"),
    ],
)
def test_import_a_bad_file_names_the_file_and_key_and_changes_nothing(
    db_path: Path, content: bytes, expected: str, store: Store
):
    at = open_page()
    before = current(at)
    at.file_uploader(key="sc_import").set_value(("bad.json", content, "application/json")).run()
    assert not at.exception
    assert expected in messages(at, "error")
    assert "Your current scenario is unchanged." in messages(at, "error")
    assert current(at) == before
    assert "sc_import_open" not in [b.key for b in at.button]
    assert store.list() == []


def test_export_and_share_link_carry_the_current_scenario(db_path: Path, data: DataBundle):
    at = open_page()
    [export] = at.get("download_button")
    assert export.proto.label == "Export as JSON"
    [link] = at.code
    token = link.value.split("?s=", 1)[1]
    assert token == encode_token(current(at))
    assert scenario_json(current(at))  # what the button serves (bytes are tested via the browser)


def test_a_share_link_opens_its_scenario_once(db_path: Path, data: DataBundle):
    shared = make_scenario(data, **{**OWN, "name": "Shared with you"})
    at = open_page({"s": encode_token(shared)})
    assert current(at) == shared
    assert at.sidebar.text_input(key="in_name").value == "Shared with you"
    at.sidebar.number_input(key="in_travellers").set_value(3).run()
    assert current(at).travellers == 3  # the link is not applied again over the user's edits
    assert not messages(at, "error")


def test_a_tampered_share_link_leaves_the_scenario_alone(db_path: Path, data: DataBundle):
    token = encode_token(make_scenario(data, **MEXICO_ACCEPTANCE))
    middle = len(token) // 2
    tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    at = open_page({"s": tampered})
    assert not at.exception
    assert "This share link could not be opened: the link is damaged" in messages(at, "error")
    assert "Your current scenario is unchanged" in messages(at, "error")
    assert current(at).name == "My comparison"
