"""Session state shared by the pages: the bundled data (cached) and the current scenario.

The scenario lives under ``SCENARIO_KEY``, which is not a widget key, so it survives
page changes; widgets seed themselves from it (see ui.sidebar).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from calculator.model.data import DataBundle, configured_data_dir, load_data
from calculator.model.errors import DataError
from calculator.model.formatting import plain_text
from calculator.model.scenario import Scenario

SCENARIO_KEY = "scenario"
INPUT_PREFIX = "in_"
DEFAULT_SCENARIO = Scenario(
    name="My comparison",
    destinations=["mexico_colombia", "turkey_thailand", "india_malaysia"],
)


@st.cache_resource(show_spinner="Loading the cited data…")
def _load(data_dir: str) -> DataBundle:
    return load_data(Path(data_dir))


def data() -> DataBundle:
    """The validated data bundle; a malformed file stops the page with a message naming it."""
    try:
        return _load(str(configured_data_dir()))
    except DataError as err:
        st.error(f"A data file could not be loaded, so the calculator cannot run: {plain_text(str(err))}", icon="🚫")
        st.stop()
        raise  # unreachable: st.stop() ends the run


def scenario() -> Scenario:
    """The current scenario (the default one on first visit)."""
    return st.session_state.get(SCENARIO_KEY, DEFAULT_SCENARIO)


def set_scenario(new: Scenario, reseed_widgets: bool = False) -> None:
    """Make ``new`` the current scenario; ``reseed_widgets`` makes every input show it."""
    st.session_state[SCENARIO_KEY] = new
    if reseed_widgets:
        for key in [k for k in st.session_state if str(k).startswith(INPUT_PREFIX)]:
            del st.session_state[key]
