"""Entry point: page set-up and routing only (``streamlit run app.py``)."""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).resolve().parent / "ui" / "pages"

APP_TITLE = "Scar treatment abroad: cost & risk calculator"

st.set_page_config(page_title=APP_TITLE, page_icon="🧭", layout="wide")
page = st.navigation(
    [
        st.Page(PAGES / "compare.py", title="Compare", icon="⚖️", default=True),
        st.Page(PAGES / "timeline.py", title="Timeline", icon="🗓️", url_path="timeline"),
        st.Page(PAGES / "diligence.py", title="Due diligence", icon="✅", url_path="diligence"),
        st.Page(PAGES / "uncertainty.py", title="Uncertainty", icon="🎲", url_path="uncertainty"),
        st.Page(PAGES / "evidence.py", title="Evidence & claims", icon="📚", url_path="evidence"),
        st.Page(PAGES / "scenarios.py", title="Scenarios", icon="🗂️", url_path="scenarios"),
        st.Page(PAGES / "batch.py", title="Batch", icon="📦", url_path="batch"),
    ]
)
st.set_page_config(page_title=f"{page.title} · {APP_TITLE}")  # each page its own tab title
page.run()
