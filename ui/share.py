"""Share links: a ``?s=<token>`` query parameter opens its scenario, once per session.

``apply_share_link`` runs at the top of the shared sidebar (ui.sidebar.scenario_inputs), before the
inputs seed themselves from the current scenario. A token is consumed once per session (so the
user's later edits are not overwritten on every rerun); a bad token shows one clear message while
it stays in the address bar and leaves the current scenario untouched.
"""

from __future__ import annotations

import streamlit as st

from calculator.model.data import DataBundle
from calculator.model.errors import ScenarioError
from calculator.model.formatting import plain_text
from calculator.storage.share import SHARE_PARAM, decode_token
from ui import state

CONSUMED_KEY = "share_token_consumed"
ERROR_KEY = "share_token_error"


def apply_share_link(data: DataBundle) -> None:
    """Open the scenario in the page's ``s`` query parameter, if there is a new one."""
    token = st.query_params.get(SHARE_PARAM)
    if not token:
        return
    if st.session_state.get(CONSUMED_KEY) != token:
        st.session_state[CONSUMED_KEY] = token
        try:
            shared = decode_token(token, data)
        except ScenarioError as err:
            st.session_state[ERROR_KEY] = (token, err.problem)
        else:
            st.session_state.pop(ERROR_KEY, None)
            state.set_scenario(shared, reseed_widgets=True)
            st.toast(f"Opened the shared scenario “{plain_text(shared.name)}”.", icon="🔗")
    failed = st.session_state.get(ERROR_KEY)
    if failed and failed[0] == token:
        st.error(
            f"This share link could not be opened: {plain_text(failed[1])}. Your current scenario is unchanged; "
            "ask the sender for the link again.",
            icon="🚫",
        )
