"""User text is shown literally on every page (issue 13): hostile names, clinics, notes, saved names and
destinations, walked through every page in AppTest; no live link or image anywhere, no exception.

The hostile text is what the issue reproduced: ``![x](http://evil.example/x.png)[Log in](http://evil.example/p)``
makes Markdown fetch an image and show a link. Each place it can arrive from is filled: the scenario's name,
a clinic, a checklist note (a share link), a destination id (a share link that fails), a saved scenario's name
and client label (the Scenarios page), and every Markdown element, expander and widget label is read back.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from calculator.model.data import DataBundle
from calculator.model.scenario import parse_scenario
from calculator.storage.share import encode_token
from calculator.storage.store import Store
from tests.conftest import APP, APPTEST_TIMEOUT, shown
from tests.test_security import MARKUP_ELEMENTS
from tests.ui.answer import answer_text
from tests.ui.app_pages import app_routes

MARKER = "evil.example"
HOSTILE = f"![x](http://{MARKER}/x.png)[Log in](http://{MARKER}/p) <img src=http://{MARKER}/i> $x$\nLine two\rthree"
"""An image fetched from a stranger, a live link, raw HTML, maths and line breaks (LF, bare CR): all read as typed."""

LABELLED = ("expander", "text_input", "number_input", "selectbox", "multiselect", "button", "checkbox", "toggle")


def shows_marker(text: str) -> bool:
    """Whether ``text`` reads as holding the marker once shown (its backslash escapes read as the characters)."""
    return MARKER in re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def live_markup(text: str) -> list[str]:
    """The Markdown or HTML that would be live in ``text``: what is left once every backslash escape is removed."""
    bare = re.sub(r"\\.", "", text, flags=re.DOTALL)
    return re.findall(r"!\[|\]\(|<\s*[a-z]|://|\$[^$]+\$", bare, flags=re.IGNORECASE)


def shown_texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(element, text) of everything Streamlit renders as Markdown: elements, expander and widget labels."""
    for kind in MARKUP_ELEMENTS:
        for el in getattr(at, kind):
            assert not getattr(el.proto, "allow_html", False), (kind, el.value)
            yield kind, str(el.value)
    for kind in LABELLED:
        for el in getattr(at, kind):
            yield kind, str(el.label)
    for el in at.metric:
        yield "metric", f"{el.label} {el.value}"
    for el in at.get("html"):  # Compare's answer block: HTML, not Markdown (see live_html)
        yield "html", el.proto.body


RAW_TAG = f"<img src=http://{MARKER}/i>"
"""HOSTILE's raw HTML: an ``st.html`` body holds it only escaped (``&lt;img ...&gt;``); Markdown is inert there."""


def live_html(body: str) -> list[str]:
    """The user's HTML left live in an ``st.html`` body (empty when every user text is escaped)."""
    return [RAW_TAG] if RAW_TAG in body else []


def walk(at: AppTest) -> list[str]:
    """Every page of the app in turn: no exception; the kinds of elements that showed the marker."""
    seen = []
    for route in app_routes():
        at.switch_page(route.file).run()
        assert not at.exception, (route.file, [e.value for e in at.exception])
        for kind, text in shown_texts(at):
            if shows_marker(text):
                assert (live_html if kind == "html" else live_markup)(text) == [], (route.file, kind, text)
                seen.append(f"{route.file}:{kind}")
    return seen


def test_live_markup_finds_links_images_html_and_maths_but_not_their_escaped_forms():
    assert live_markup(HOSTILE) == ["![", "](", "://", "](", "://", "<i", "://", "$x$"]
    assert live_markup(r"\!\[x\]\(http\:\/\/evil\) \<img\> \$x\$") == []


@pytest.fixture
def hostile_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: DataBundle) -> Store:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CALC_DB_PATH", str(tmp_path / "hostile.sqlite3"))
    store = Store(f"sqlite:///{tmp_path / 'hostile.sqlite3'}")
    scenario = parse_scenario({"name": HOSTILE[:200], "destinations": ["mexico_colombia"]}, data, "test")
    store.save(scenario, client="[c](http://evil.example/c)")
    store.save(scenario.model_copy(update={"name": "second " + HOSTILE[:150]}), client="")
    yield store
    store.close()


def test_hostile_name_clinic_notes_and_saved_names_are_text_on_every_page(data: DataBundle, hostile_store: Store):
    scenario = parse_scenario(
        {
            "name": HOSTILE,
            "destinations": ["mexico_colombia", "turkey_thailand"],
            "quotes": {
                "mexico_colombia": {"low": 1000, "high": 20000, "clinic": HOSTILE},  # below and above: a warning
                "home": {"low": 9000, "high": 9000, "clinic": HOSTILE},
            },
            "checklist_notes": {"mexico_colombia": {"gmp_lab": HOSTILE}},
        },
        data,
        "test",
    )
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.query_params["s"] = encode_token(scenario)
    at.run()
    assert at.session_state["scenario"].name == HOSTILE
    seen = walk(at)
    # The marker was shown (so the check checked something): the name on the pages, the clinic in its warning.
    assert any(s.startswith("ui/pages/compare.py") for s in seen), seen
    assert any(s.startswith("ui/pages/scenarios.py") for s in seen), seen
    assert "ui/pages/compare.py:html" in seen  # the answer block showed the name, the clinic, their warnings
    answer = answer_text(at.switch_page("ui/pages/compare.py").run())
    assert "below the cited range at the low end and above it at the high end" in answer
    assert HOSTILE.splitlines()[0] in answer  # the name as typed (its line breaks as spaces)


def _raw_token(payload: dict) -> str:
    packed = zlib.compress(json.dumps(payload).encode("utf-8"), 9)
    return "v1." + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def test_a_share_link_with_a_hostile_destination_is_one_literal_error_on_every_page(hostile_store: Store):
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.query_params["s"] = _raw_token({"name": "x", "destinations": [HOSTILE]})
    at.run()
    assert at.session_state["scenario"].name == "My comparison"  # the user's work is intact
    seen = walk(at)
    assert "ui/pages/compare.py:error" in seen and sum(s.endswith(":error") for s in seen) >= 5, seen


def test_a_bad_sidebar_input_echoing_user_text_is_literal(data: DataBundle, hostile_store: Store):
    """The Other-currency code is echoed in the sidebar's one error; the name field keeps the user's text."""
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    at.text_input(key="in_name").set_value(HOSTILE[:200]).run()
    assert not at.exception
    echoed = [kind for kind, text in shown_texts(at) if shows_marker(text)]
    for kind, text in shown_texts(at):
        if shows_marker(text):
            assert (live_html if kind == "html" else live_markup)(text) == [], (kind, text)
    assert "html" in echoed  # the name, in the answer block's caption


def test_the_scenarios_page_messages_repeat_saved_names_literally(hostile_store: Store):
    """Load and delete a scenario whose name is hostile: each outcome message repeats it as text."""
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    at.switch_page("ui/pages/scenarios.py").run()
    shown = []
    for act in ("sc_load", "sc_delete"):
        at.button(key=act).click().run()
        assert not at.exception, [e.value for e in at.exception]
        shown += [text for kind, text in shown_texts(at) if shows_marker(text) and kind in ("success", "warning")]
    assert len(shown) >= 2, shown
    for text in shown:
        assert live_markup(text) == [], text


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"[{oops", "not valid JSON"),
        (b"name,destinations\n" + b"x" * 140_000 + b",mexico_colombia\n", "field larger than field limit"),
        (b",".join(b"k%d" % i for i in range(2_001)) + b"\n", "has 2,001 columns"),
    ],
)
def test_the_batch_page_repeats_a_hostile_file_name_literally(content, says):
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    at.switch_page("ui/pages/batch.py").run()
    name = "[a](http://evil.example/a)![i](http://evil.example/i).csv"
    at.file_uploader(key="batch_upload").set_value((name, content, "text/csv")).run()
    assert not at.exception
    assert len(at.error) == 1 and says in shown(at.error[0].value)
    assert shows_marker(at.error[0].value) and live_markup(at.error[0].value) == []


def test_a_cost_of_care_of_1e308_is_one_message_and_the_figures_stay():
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    at.switch_page("ui/pages/uncertainty.py").run()
    at.toggle(key="risk_on").set_value(True)
    at.number_input(key="risk_pct").set_value(5.0)
    at.number_input(key="risk_care_high").set_value(1e308).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [shown(e.value) for e in at.error] == [
        "Risk adjustment not applied: the cost of care is above USD 1,000,000,000,000, the largest amount the "
        "calculator takes."
    ]
    assert at.metric  # the simulation without the risk adjustment is still shown
