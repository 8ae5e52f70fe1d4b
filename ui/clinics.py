"""Entering clinic quotes: per destination an editable table of clinics (rows added and removed in place)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from calculator.model.data import DataBundle
from calculator.model.scenario import Scenario
from calculator.present.clinic_quotes import extra_column, included_column, quotes_frame, quotes_from_frame
from ui.inputs import seed


def clinic_table(dest: str, current: Scenario, currency: str, data: DataBundle) -> list[dict[str, Any]]:
    """The clinic quotes for ``dest`` as the user edits them (an empty list: the broker's range applies).

    The editor's input frame is built once from the scenario and kept under a key of its own
    (``in_clinics_base|dest``), so edits are read back and never fed in again.
    """
    has_quotes = st.checkbox(
        "I have clinic quotes",
        key=seed(f"in_has_quote|{dest}", bool(current.clinic_quotes(dest))),
        help="Each clinic's quote becomes its own column, beside the broker's range.",
    )
    if not has_quotes:
        return []
    items = data.package_items
    base_key = f"in_clinics_base|{dest}"
    if base_key not in st.session_state:
        st.session_state[base_key] = quotes_frame(current.clinic_quotes(dest), items)
    config: dict[str, Any] = {
        "clinic": st.column_config.TextColumn("Clinic", max_chars=200, help="The clinic's name, as on its quote."),
        "low": st.column_config.NumberColumn(
            f"Price ({currency})", min_value=0, help="The quoted price per session (a row with no price is ignored)."
        ),
        "high": st.column_config.NumberColumn(
            f"High ({currency})", min_value=0, help="Only for a quoted range; empty = a fixed price."
        ),
        "nights": st.column_config.NumberColumn(
            "Hotel nights", min_value=0, max_value=365, step=1, help="Hotel nights the package includes."
        ),
        "deposit": st.column_config.NumberColumn(
            f"Deposit ({currency})", min_value=0, help="Money at risk if the trip is cancelled; not in the total."
        ),
        "refundable": st.column_config.CheckboxColumn("Deposit refundable"),
    }
    for item in items:
        config[included_column(item.id)] = st.column_config.CheckboxColumn(
            f"✓ {item.label}", help=f"Included in the price? {item.why}"
        )
        config[extra_column(item.id)] = st.column_config.NumberColumn(
            f"{item.label}: extra ({currency})",
            min_value=0,
            help="Its price when the quote leaves it out (per session). Left out with no price: a warning.",
        )
    st.markdown("**Clinic quotes** (one row per clinic; add or delete rows in the table)")
    edited = st.data_editor(
        st.session_state[base_key],
        key=f"in_clinics|{dest}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=config,
    )
    st.caption(
        "Each clinic becomes its own column on Compare. Tick what the price includes; give a price for what it "
        "leaves out. The table scrolls sideways; its full-screen button shows every column at once. With no "
        "clinic, the broker's cited range is used."
    )
    return quotes_from_frame(edited, items, current.clinic_quotes(dest))
