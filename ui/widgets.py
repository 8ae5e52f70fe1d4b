"""Small shared widgets: warnings with their sources, citations, the one not-medical-advice note."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from calculator.model.alert import Alert
from calculator.model.data import DataBundle

_BOX = {"critical": st.error, "warning": st.warning, "info": st.info}
_ICON = {"critical": "🛑", "warning": "⚠️", "info": "ℹ️"}


def cite(source_ids: Iterable[str], data: DataBundle) -> str:
    """Short citations for source ids, e.g. 'PlacidWay (…), undated [vendor claim (unverified)]'."""
    return "; ".join(data.sources[s].citation() for s in source_ids if s in data.sources)


def cite_short(source_ids: Iterable[str], data: DataBundle, most: int = 3) -> str:
    """Publisher and date of the first ``most`` sources, then how many more (full entries: Evidence & claims)."""
    known = [data.sources[s] for s in dict.fromkeys(source_ids) if s in data.sources]
    text = "; ".join(f"{s.publisher}, {s.date}" if s.date else s.publisher for s in known[:most])
    if len(known) > most:
        text += f"; and {len(known) - most} more (see Evidence & claims)"
    return text


def alerts(items: Iterable[Alert], data: DataBundle) -> None:
    """Each alert as a coloured box: its message, its code, and its sources in short (plain text, never HTML)."""
    for alert in items:
        box = _BOX[alert.severity]
        sources = cite_short(alert.sources, data)
        body = f"{alert.message}\n\n`{alert.code}`" + (f" · Sources: {sources}" if sources else "")
        box(body, icon=_ICON[alert.severity])


def table_height(rows: int) -> int:
    """Pixels for a dataframe that shows ``rows`` rows and its header without scrolling."""
    return 38 + 35 * rows


def not_medical_advice() -> None:
    """The one plain note, shown once where the figures are."""
    st.caption(
        "This calculator compares costs and lists what to check. It is not medical advice: "
        "talk to a doctor who is independent of any clinic before deciding on treatment."
    )
