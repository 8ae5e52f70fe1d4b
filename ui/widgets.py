"""Small shared widgets: warnings with their sources, citations, the one not-medical-advice note."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from calculator.model.alert import Alert
from calculator.model.data import DataBundle
from calculator.model.formatting import plain_text
from calculator.present import citations
from calculator.present.answer_html import NOT_MEDICAL_ADVICE

_BOX = {"critical": st.error, "warning": st.warning, "info": st.info}


def cite(source_ids: Iterable[str], data: DataBundle) -> str:
    """Short citations for source ids, e.g. 'PlacidWay (…), undated [vendor claim (unverified)]'."""
    return citations.cite(source_ids, data.sources)


def alerts(items: Iterable[Alert], data: DataBundle) -> None:
    """The alerts in one coloured box per severity (critical, warning, info), each with its code and sources.

    Messages may repeat user text (a clinic's name), so they go through ``plain_text`` like every user string.
    """
    for severity, lines in citations.alerts_by_severity(items, data.sources).items():
        notes = [f"`{code}`" + (f" · Sources: {plain_text(cited)}" if cited else "") for _, code, cited in lines]
        text = "\n\n".join(f"{plain_text(m)}  \n:gray[{n}]" for (m, _, _), n in zip(lines, notes, strict=True))
        _BOX[severity](text, icon=citations.SEVERITY_ICONS[severity])


def not_medical_advice() -> None:
    """The one plain note, shown once where the figures are."""
    st.caption(NOT_MEDICAL_ADVICE)
