"""Small shared widgets: warnings with their sources, citations, the one not-medical-advice note."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from calculator.model.alert import Alert
from calculator.model.data import DataBundle
from calculator.model.formatting import plain_text
from calculator.present import citations

_BOX = {"critical": st.error, "warning": st.warning, "info": st.info}
_ICON = {"critical": "🛑", "warning": "⚠️", "info": "ℹ️"}


def cite(source_ids: Iterable[str], data: DataBundle) -> str:
    """Short citations for source ids, e.g. 'PlacidWay (…), undated [vendor claim (unverified)]'."""
    return citations.cite(source_ids, data.sources)


def cite_short(source_ids: Iterable[str], data: DataBundle, most: int = 3) -> str:
    """Publisher and date of the first ``most`` sources, then how many more (full entries: Evidence & claims)."""
    return citations.cite_short(source_ids, data.sources, most)


def alerts(items: Iterable[Alert], data: DataBundle) -> None:
    """The alerts in one coloured box per severity (critical, warning, info), each with its code and sources.

    Messages may repeat user text (a clinic's name), so they go through ``plain_text`` like every user string.
    """
    by_severity: dict[str, list[str]] = {}
    for alert in items:
        sources = cite_short(alert.sources, data)
        note = f"`{alert.code}`" + (f" · Sources: {plain_text(sources)}" if sources else "")
        by_severity.setdefault(alert.severity, []).append(f"{plain_text(alert.message)}  \n:gray[{note}]")
    for severity in ("critical", "warning", "info"):
        if severity in by_severity:
            _BOX[severity]("\n\n".join(by_severity[severity]), icon=_ICON[severity])


def experimental_line(scenario_alerts: Iterable[Alert], data: DataBundle) -> None:
    """The treatment's experimental status in one line, its full text and sources a click away."""
    for alert in scenario_alerts:
        if alert.code == "experimental_treatment":
            line, more = st.columns([5, 1], vertical_alignment="center")
            line.markdown(
                "🛑 **Experimental treatment:** the evidence is preliminary and regulators have not approved it."
            )
            with more.popover("Why, and sources"):
                st.markdown(plain_text(alert.message))
                st.caption(plain_text(cite(alert.sources, data)))


def table_height(rows: int) -> int:
    """Pixels for a dataframe that shows ``rows`` rows and its header without scrolling."""
    return 38 + 35 * rows


def not_medical_advice() -> None:
    """The one plain note, shown once where the figures are."""
    st.caption(
        "This calculator compares costs and lists what to check. It is not medical advice: "
        "talk to a doctor who is independent of any clinic before deciding on treatment."
    )
