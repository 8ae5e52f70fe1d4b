"""Who may use saved scenarios on the Scenarios page (AppTest): ``local`` on this computer, nobody when reached
from elsewhere without sign-in, a signed-in user when ``[auth]`` is configured; and a corrupt payload on the page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from calculator.model.scenario import Scenario
from calculator.storage.store import Store
from tests.conftest import APP, APPTEST_TIMEOUT
from tests.ui.test_scenarios_page import PAGE, db_path, messages, open_page, store  # noqa: F401  (fixtures)
from ui.account import proxied_from_loopback

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a test secret, not a real one",
    "client_id": "calculator",
    "client_secret": "not a real secret",
    "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration",
}


def headers(text: str) -> bool:
    name, _, value = text.partition(": ")
    return proxied_from_loopback({name: value})


def test_only_loopback_all_along_the_proxies_counts_as_this_computer():
    assert proxied_from_loopback({})
    assert headers("X-Forwarded-For: 127.0.0.1")
    assert headers("X-Forwarded-For: 127.0.0.1, ::1")
    assert headers("Forwarded: for=127.0.0.1;proto=http;by=127.0.0.1")
    assert headers("X-Forwarded-For: ::ffff:127.0.0.1")  # IPv4-mapped, as a dual-stack socket reports it
    assert not headers("X-Forwarded-For: ::ffff:203.0.113.5")
    assert not headers("X-Forwarded-For: 203.0.113.5")
    # a client that claims to be local in its own header still has its real address appended by the proxy
    assert not headers("X-Forwarded-For: 127.0.0.1, 203.0.113.5")
    assert not headers("X-Real-Ip: 10.0.0.7")
    assert not headers("Forwarded: for=198.51.100.17;proto=https")
    assert not headers("X-Forwarded-For: localhost")  # not an address: refused, not guessed
    assert not headers("X-Forwarded-For: ")


def test_on_this_computer_the_store_is_locals(store: Store):  # noqa: F811
    store.owned_by("alice").save(Scenario(name="Alice private", destinations=["mexico_colombia"]))
    store.save(Scenario(name="Mine", destinations=["mexico_colombia"]))
    at = open_page()
    assert "Saved scenarios" in [h.value for h in at.header] and "Save" in [b.label for b in at.button]
    assert at.selectbox(key="sc_pick").options == ["Mine"], "alice's scenario is not local's"
    assert not at.warning and not [b for b in at.button if b.key == "acct_login"]


def test_reached_from_elsewhere_without_sign_in_saved_scenarios_are_off(store: Store, monkeypatch):  # noqa: F811
    store.save(Scenario(name="Mine", destinations=["mexico_colombia"]))
    monkeypatch.setattr("ui.account.is_local_request", lambda: False)
    at = open_page()
    assert "Saved scenarios are off: this app is reached from another computer and has no sign-in" in messages(
        at, "warning"
    )
    headers_shown = [h.value for h in at.header]
    assert "Saved scenarios" not in headers_shown and "Compare saved scenarios" not in headers_shown
    assert "Mine" not in str(at.main), "nothing of the store is shown"
    assert "Save" not in [b.label for b in at.button], "no Save form"
    assert any("?s=" in c.value for c in at.code), "the share link still works"


def test_with_sign_in_configured_a_signed_out_user_sees_sign_in_and_no_store(store: Store):  # noqa: F811
    store.save(Scenario(name="Mine", destinations=["mexico_colombia"]))
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.secrets["auth"] = AUTH
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "Sign in to save scenarios" in messages(at, "info")
    assert [b.label for b in at.button if b.key == "acct_login"] == ["Sign in"]
    assert "Saved scenarios" not in [h.value for h in at.header] and "Mine" not in str(at.main)
    assert any("?s=" in c.value for c in at.code)


def test_a_corrupt_payload_is_shown_for_its_scenario_only(store: Store):  # noqa: F811
    """Issue 13: one damaged revision; the page still lists and compares the others."""
    store.save(Scenario(name="Good", destinations=["mexico_colombia"]))
    store.save(Scenario(name="Broken", destinations=["turkey_thailand"]))
    store.save(Scenario(name="Also good", destinations=["india_malaysia"]))
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE scenario_revisions SET payload = '{not json' "
            "WHERE scenario_id = (SELECT id FROM scenarios WHERE name = 'Broken')"
        )
    at = open_page()
    assert set(at.selectbox(key="sc_pick").options) == {"Good", "Broken", "Also good"}
    at.multiselect(key="sc_compare").set_value(["Good", "Broken", "Also good"]).run()
    assert not at.exception
    assert "“Broken” could not be opened" in messages(at, "error")
    assert "revision 1: the stored data is unreadable" in messages(at, "error")
    at.selectbox(key="sc_pick").set_value("Broken").run()
    at.button(key="sc_load").click().run()
    assert not at.exception
    assert "'Broken' revision 1: the stored data is unreadable. Nothing was changed." in messages(at, "error")
