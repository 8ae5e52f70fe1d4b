"""Due diligence and Evidence pages in AppTest: an edited answer changes the summary and Compare's warnings."""

import re

from streamlit.testing.v1 import AppTest

from calculator.model.evidence import CLAIM_STATUS_LABELS
from tests.conftest import APP, APPTEST_TIMEOUT
from tests.ui.answer import answer_text, side_by_side


def start() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    return at


def compare_warnings(at: AppTest) -> str:
    """The warnings' text as a reader sees it: the boxes (Markdown escapes removed) and Compare's answer block."""
    boxes = re.sub(r"\\(.)", r"\1", " ".join(e.value for e in [*at.error, *at.warning]))
    answer = answer_text(at) if any("<h1>" in e.proto.body for e in at.get("html")) else ""
    return f"{boxes} {answer}"


def test_editing_an_answer_changes_the_summary_and_compare(data):
    at = start()
    assert "“JCI accreditation (checked with JCI)” is only claimed" not in compare_warnings(at)
    at.switch_page("ui/pages/diligence.py").run()
    assert not at.exception
    summary = at.dataframe[-1].value
    mexico = summary[summary["Destination"] == "Mexico / Colombia"].iloc[0]
    assert (mexico["Readiness"], mexico["Verified"], mexico["Claimed"]) == ("Critical gaps", 0, 0)
    labels = [e.value for e in at.markdown if "JCI accreditation" in e.value]
    assert labels[0] == "**JCI accreditation \\(checked with JCI\\)** · Important"  # full name, severity in words
    at.session_state["in_dd|mexico_colombia|jci_accreditation"] = "claimed"
    at.run()
    assert not at.exception
    summary = at.dataframe[-1].value
    mexico = summary[summary["Destination"] == "Mexico / Colombia"].iloc[0]
    assert mexico["Claimed"] == 1
    assert "“JCI accreditation (checked with JCI)” is only claimed" in compare_warnings(at)
    at.switch_page("ui/pages/compare.py").run()
    assert not at.exception
    assert "“JCI accreditation (checked with JCI)” is only claimed" in compare_warnings(at)
    frame = side_by_side(at)
    assert frame.loc["Readiness", "Mexico / Colombia"].startswith("Critical gaps (0/")


def test_verifying_every_item_clears_the_checklist_warnings(data):
    at = start()
    at.switch_page("ui/pages/diligence.py").run()
    ids = [item.id for item in data.checklist]
    for item_id in ids:
        at.session_state[f"in_dd|mexico_colombia|{item_id}"] = "verified"
    at.run()
    summary = at.dataframe[-1].value
    assert summary[summary["Destination"] == "Mexico / Colombia"].iloc[0]["Readiness"] == "Checks done"
    at.switch_page("ui/pages/compare.py").run()
    assert side_by_side(at).loc["Readiness", "Mexico / Colombia"] == f"Checks done ({len(ids)}/{len(ids)} verified)"


def test_evidence_page_lists_claims_regulation_and_sources(data):
    at = start()
    at.switch_page("ui/pages/evidence.py").run()
    assert not at.exception
    values = [m.value for m in at.markdown]
    unescape = lambda text: re.sub(r"\\(.)", r"\1", text)  # noqa: E731 - the text as a reader sees it
    assert any(v.startswith("**India**") for v in values)
    # Each claim: its status first (a badge), then the quote, what the evidence says in full, sources as links.
    claim = data.claims[0]
    quote_at = next(i for i, v in enumerate(values) if unescape(v) == f"“{claim.quote}”")
    assert values[quote_at - 1].endswith(f"-badge[{CLAIM_STATUS_LABELS[claim.status]}]")
    assert unescape(values[quote_at + 1]) == f"**What the evidence says:** {claim.evidence}"
    placidway = data.sources["placidway_scar_stem_cell"]
    assert f"<{placidway.url}>" in values[quote_at + 2] and "placidway_scar_stem_cell" not in values[quote_at + 2]
    at.multiselect(key="evidence_status_filter").set_value(["Unsupported"]).run()
    shown = [m.value for m in at.markdown]
    unsupported = [c for c in data.claims if c.status == "unsupported"]
    assert sum(v.startswith("**What the evidence says:**") for v in shown) == len(unsupported) >= 1
    assert not any(v.endswith(("-badge[Partly supported]", "-badge[Supported]")) for v in shown)
