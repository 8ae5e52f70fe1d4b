"""Sign-in with a real OpenID Connect provider (oidc-provider-mock on loopback) in chromium: alice saves, bob sees
nothing of hers, sign-out works, and a forged or expired identity cookie is refused."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tests.browser.servers import auth_secrets, free_port, oidc_provider, streamlit_app
from tests.conftest import ROOT, wait_for_app

COOKIE_SECRET = "test-cookie-secret-0123456789abcdef"
USERS = {"alice": "alice@example.org", "bob": "bob@example.org"}
SHOTS = ROOT / "out" / "screenshots"
USER_COOKIE = "_streamlit_user"  # Streamlit's signed identity cookie (itsdangerous, salted with its name)


@pytest.fixture(scope="module")
def signin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """The provider and the app configured to sign in with it (own SQLite store)."""
    folder = tmp_path_factory.mktemp("signin")
    with oidc_provider(USERS) as issuer:
        url = f"http://127.0.0.1:{free_port()}"
        secrets = auth_secrets(folder / "secrets.toml", url, issuer, COOKIE_SECRET)
        env = {"CALC_DB_PATH": str(folder / "store.sqlite3"), "AUTHLIB_INSECURE_TRANSPORT": "1"}
        with streamlit_app(int(url.rsplit(":", 1)[1]), env, "--secrets.files", str(secrets)):
            yield SimpleNamespace(url=url, issuer=issuer, db=folder / "store.sqlite3")


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield ctx
    ctx.close()


def open_scenarios(page: Any, app: SimpleNamespace) -> None:
    page.goto(f"{app.url}/scenarios")
    wait_for_app(page)


def sign_in(page: Any, app: SimpleNamespace, who: str) -> None:
    open_scenarios(page, app)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{app.issuer}/**", timeout=30_000)
    page.get_by_role("button", name=who, exact=True).click()  # the provider's "authenticate predefined user"
    page.wait_for_url(f"{app.url}/**", timeout=30_000)
    open_scenarios(page, app)
    page.get_by_text(f"Signed in as {USERS[who]}").wait_for(timeout=30_000)


def save_as(page: Any, name: str) -> None:
    page.get_by_role("textbox", name="Save as").fill(name)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text(f"Saved “{name}” as revision 1.").wait_for(timeout=30_000)


def signed_cookie(app: SimpleNamespace, secret: str, age_days: float = 0) -> dict[str, Any]:
    """An identity cookie for alice as Streamlit writes it after sign-in, signed with ``secret``, ``age_days`` old."""

    class Backdated(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() - age_days * 86400)

    claims = {"iss": app.issuer, "sub": "alice", "email": USERS["alice"], "origin": app.url, "is_logged_in": True}
    value = URLSafeTimedSerializer(secret, salt=USER_COOKIE, signer=Backdated).dumps(
        json.dumps({**claims, "provider": "default"})
    )
    return {"name": USER_COOKIE, "value": value, "url": app.url}


def owners_of(app: SimpleNamespace, name: str) -> list[str]:
    engine = sa.create_engine(f"sqlite:///{app.db}")
    with engine.connect() as conn:
        owners = conn.exec_driver_sql("SELECT owner FROM scenarios WHERE name = ? ORDER BY id", (name,)).scalars().all()
    engine.dispose()
    return list(owners)


def test_alice_saves_bob_sees_nothing_of_hers_and_sign_out_works(signin: SimpleNamespace, context: Any):
    page = context.new_page()
    open_scenarios(page, signin)
    page.get_by_text("Sign in to save scenarios").wait_for()
    assert page.get_by_role("heading", name="Saved scenarios").count() == 0
    assert page.get_by_text("?s=").count() >= 1 or page.locator("code").count() >= 1  # share link without sign-in

    sign_in(page, signin, "alice")
    save_as(page, "Alice private")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "scenarios-signed-in.png")
    assert owners_of(signin, "Alice private") == [f"{signin.issuer}#alice"]

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{signin.issuer}/**", timeout=30_000)  # Streamlit ends the session at the provider too
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{signin.url}/**", timeout=30_000)
    page.wait_for_load_state()
    open_scenarios(page, signin)
    page.get_by_role("button", name="Sign in").wait_for()
    assert page.get_by_text("Alice private").count() == 0

    sign_in(page, signin, "bob")
    page.get_by_text("No saved scenarios yet").wait_for()
    assert page.get_by_text("Alice private").count() == 0, "bob's list shows nothing of alice's"
    # by name: bob saving the same name makes his own scenario (revision 1), alice's stays hers
    save_as(page, "Alice private")
    assert owners_of(signin, "Alice private") == [f"{signin.issuer}#alice", f"{signin.issuer}#bob"]


@pytest.mark.parametrize(
    ("secret", "age_days", "signed_in"),
    [
        (COOKIE_SECRET, 0, True),  # control: a cookie as Streamlit writes it is accepted
        ("not-the-server-secret", 0, False),  # forged: signed with another secret
        (COOKIE_SECRET, 40, False),  # expired: Streamlit accepts 30 days and a day's grace
    ],
    ids=["genuine", "forged", "expired"],
)
def test_a_forged_or_expired_identity_cookie_is_refused(
    signin: SimpleNamespace, context: Any, secret: str, age_days: float, signed_in: bool
):
    context.add_cookies([signed_cookie(signin, secret, age_days)])
    page = context.new_page()
    open_scenarios(page, signin)
    if signed_in:
        page.get_by_text(f"Signed in as {USERS['alice']}").wait_for()
    else:
        page.get_by_role("button", name="Sign in").wait_for()
        assert page.get_by_text("Signed in as").count() == 0
        assert page.get_by_role("heading", name="Saved scenarios").count() == 0
