"""The scenario store for the pages: one Store (engine and connection pool) per database, cached, acting for the
session's owner (``ui.account``)."""

from __future__ import annotations

import streamlit as st

from calculator.model.formatting import plain_text
from calculator.storage.database import StoreError, database_url
from calculator.storage.store import Store
from ui.account import Account


@st.cache_resource(show_spinner="Opening the scenario store…")
def _open(url: str) -> Store:
    return Store(url)


def store(account: Account) -> Store | None:
    """The store at ``DATABASE_URL`` or the SQLite file (``CALC_DB_PATH``, else var/scenarios.sqlite3), acting for
    ``account``'s owner; None when saved scenarios are off for this session (nobody to own them).

    A store that cannot be opened stops the page with one message naming it.
    """
    if account.owner is None:
        return None
    try:
        return _open(database_url().render_as_string(hide_password=False)).owned_by(account.owner)
    except StoreError as err:
        st.error(
            f"The scenario store could not be opened, so scenarios cannot be saved or listed: {plain_text(str(err))}",
            icon="🚫",
        )
        st.stop()
        raise  # unreachable: st.stop() ends the run
