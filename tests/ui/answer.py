"""The Compare page's answer block (one ``st.html`` element) as AppTest sees it: its HTML and its text."""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest


def answer_html(at: AppTest) -> str:
    """The HTML of the answer block (the cards), the element whose body starts with the page's title."""
    return next(e.proto.body for e in at.get("html") if "<h1>" in e.proto.body)


def visible_text(markup: str) -> str:
    """What a reader sees of some HTML: tags dropped, entities decoded, runs of white space as one space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def answer_text(at: AppTest) -> str:
    """The answer block's text, as a reader sees it."""
    return visible_text(answer_html(at))


def figures(at: AppTest, name: str = "total-mid") -> list[str]:
    """Each card's big figure, in order: ``total-mid`` (whole trip, mid) or ``saving-mid`` (e.g. ``"USD 9,877"``)."""
    return re.findall(rf'data-figure="{name}">([^<]*)<', answer_html(at))


def set_input(at: AppTest, key: str, value: object, kind: str = "number_input") -> AppTest:
    """Change a sidebar input and run, as a person would; returns ``at`` with the whole page.

    On Compare an input that changes figures only reruns the results fragment, and AppTest then holds
    only that fragment's elements (a browser keeps the sidebar it already shows); one more plain run
    brings the whole page back, with the same figures.
    """
    getattr(at, kind)(key=key).set_value(value).run()
    return at.run()


def chart_dataset(at: AppTest, name: str, chart: int = 0) -> list[dict[str, Any]]:
    """The rows of a chart's named dataset (Streamlit sends named datasets as Arrow IPC, apart from the spec)."""
    proto = at.get("vega_lite_chart")[chart].proto
    raw = next(d.data.data for d in proto.datasets if d.name == name)
    return pa.ipc.open_stream(raw).read_all().to_pylist()


def open_destination(at: AppTest, dest: str) -> AppTest:
    """Open a destination's inputs in the sidebar, as a click on its expander does (they are built only while open)."""
    at.session_state[f"open_dest|{dest}"] = True
    return at.run()


def side_by_side(at: AppTest) -> pd.DataFrame:
    """Compare's side-by-side table (an HTML table) as a frame: the parts as the index, the places as columns."""
    body = next(e.proto.body for e in at.get("html") if 'class="side"' in e.proto.body)
    head = [html.unescape(h) for h in re.findall(r'<th scope="col">([^<]*)</th>', body)]
    rows = re.findall(r'<tr(?: class="total")?><th scope="row">([^<]*)</th>(.*?)</tr>', body)
    cells = [[html.unescape(c) for c in re.findall(r"<td>([^<]*)</td>", rest)] for _, rest in rows]
    return pd.DataFrame(cells, index=[html.unescape(r[0]) for r in rows], columns=head[1:])
