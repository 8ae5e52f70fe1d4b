"""Due diligence and Evidence pages in AppTest: an edited answer changes the summary and Compare's warnings."""

import re

from streamlit.testing.v1 import AppTest

from tests.conftest import APP, APPTEST_TIMEOUT


def start() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    return at


def compare_warnings(at: AppTest) -> str:
    """The warning boxes' text as a reader sees it (Markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", " ".join(e.value for e in [*at.error, *at.warning]))


def test_editing_an_answer_changes_the_summary_and_compare(data):
    at = start()
    assert "“JCI accreditation (checked with JCI)” is only claimed" not in compare_warnings(at)
    at.switch_page("ui/pages/diligence.py").run()
    assert not at.exception
    summary = at.dataframe[-1].value
    mexico = summary[summary["Destination"] == "Mexico / Colombia"].iloc[0]
    assert (mexico["Readiness"], mexico["Verified"], mexico["Claimed"]) == ("Critical gaps", 0, 0)
    ids = list(at.data_editor[0].value["id"])
    row = ids.index("jci_accreditation")
    at.session_state["in_dd|mexico_colombia"] = {
        "edited_rows": {row: {"answer": "claimed"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    summary = at.dataframe[-1].value
    mexico = summary[summary["Destination"] == "Mexico / Colombia"].iloc[0]
    assert mexico["Claimed"] == 1
    assert "“JCI accreditation (checked with JCI)” is only claimed" in compare_warnings(at)
    at.switch_page("ui/pages/compare.py").run()
    assert not at.exception
    assert "“JCI accreditation (checked with JCI)” is only claimed" in compare_warnings(at)
    frame = at.dataframe[0].value
    assert frame.loc["Readiness", "Mexico / Colombia"].startswith("Critical gaps (0/")


def test_verifying_every_item_clears_the_checklist_warnings(data):
    at = start()
    at.switch_page("ui/pages/diligence.py").run()
    ids = list(at.data_editor[0].value["id"])
    at.session_state["in_dd|mexico_colombia"] = {
        "edited_rows": {i: {"answer": "verified"} for i in range(len(ids))},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    summary = at.dataframe[-1].value
    assert summary[summary["Destination"] == "Mexico / Colombia"].iloc[0]["Readiness"] == "Checks done"
    at.switch_page("ui/pages/compare.py").run()
    assert (
        at.dataframe[0].value.loc["Readiness", "Mexico / Colombia"] == f"Checks done ({len(ids)}/{len(ids)} verified)"
    )


def test_evidence_page_lists_claims_regulation_and_sources(data):
    at = start()
    at.switch_page("ui/pages/evidence.py").run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    regulation, claims, bibliography = frames
    assert "India" in set(regulation["Country"])
    assert len(claims) == len(data.claims)
    assert set(bibliography["Id"]) == set(data.sources)
    at.multiselect(key="evidence_status_filter").set_value(["Contradicted"]).run()
    shown = at.dataframe[1].value
    assert set(shown["Status"]) == {"Contradicted"}
