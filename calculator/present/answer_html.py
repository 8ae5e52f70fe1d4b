"""Compare as HTML: the answer (header, a card per destination, the home line), the table, the sources.

One element instead of about eighty (titles, metrics, captions, folded warnings, breakdown tables):
a browser redraws every element of a Streamlit page on each change, and this block is most of the
page (README "Performance"). The folded parts are native ``<details>`` (keyboard and screen-reader
friendly, no rerun to open them). The cards sit in a grid that stacks into one column on a phone.

Every text goes through ``html_text`` (user text, such as a scenario's or a clinic's name, above all).
The CSS (``STYLE``) is the module's own, holds no user text and is sent once per page, apart from the
block. The texts are ``present.summary``'s, the same the report and the CLI use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from calculator.model.alert import Alert
from calculator.model.formatting import html_text
from calculator.model.results import Comparison, DestinationResult
from calculator.model.sources import Source
from calculator.present import summary
from calculator.present.citations import SEVERITY_ICONS, alerts_by_severity, cite
from calculator.present.tables import breakdown_rows

STYLE = """<style>
/* The page's styles for the answer block: sent once per page (outside the results fragment), so that a
   change of figures does not make the browser restyle the whole page. */
.answer{--ink:#0a0a0a;--muted:#474747;--line:#cfcfcf;font-size:1rem;line-height:1.45;color:var(--ink)}
.answer h1{font-size:2.1rem;font-weight:700;margin:0 0 .25rem;padding:0;line-height:1.2}
.answer h2{font-size:1.15rem;font-weight:700;margin:0 0 .5rem;padding:0}
.answer h2.section{font-size:1.75rem;margin:2rem 0 0}
.answer p{margin:0 0 .35rem}
.answer .small{color:var(--muted);font-size:.875rem}
.answer .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:1rem;margin:.75rem 0}
.answer .card{border:1px solid var(--line);border-radius:.5rem;padding:1rem}
.answer .label{font-size:.875rem;margin:.5rem 0 0}
.answer .figure{font-size:2rem;line-height:1.2;margin:0}
.answer .delta{font-size:1rem;font-weight:600;margin-left:.4rem;white-space:nowrap}
.answer .up{color:#14692f}.answer .down{color:#b3261e}
.answer .bad{color:#b3261e;font-weight:700}.answer .warn{color:#8a4b00;font-weight:700}
.answer details{margin:.4rem 0}.answer summary{cursor:pointer;font-weight:600;color:#00507d}
.answer summary:focus-visible{outline:2px solid #0072B2;outline-offset:2px}
.answer .box{display:flex;gap:.5rem;border-left:4px solid;border-radius:.25rem;padding:.5rem .75rem;margin:.4rem 0}
.answer .critical{border-color:#b3261e;background:#fdecea}.answer .warning{border-color:#8a4b00;background:#fff4e5}
.answer .info{border-color:#0072B2;background:#e8f1fb}
.answer .box p{margin:0 0 .5rem}.answer .box p:last-child{margin:0}
.answer code{font-size:.8rem;background:#f0f2f6;padding:0 .2rem;border-radius:.2rem}
.answer table{border-collapse:collapse;width:100%;font-size:.9rem}
.answer th,.answer td{border-bottom:1px solid var(--line);padding:.25rem .4rem;text-align:left;vertical-align:top}
.answer td{text-align:right}.answer .card tr:last-child th,.answer .card tr:last-child td{font-weight:700}
.answer .scroll{overflow-x:auto;margin:.25rem 0}.answer .scroll:focus-visible{outline:2px solid #0072B2}
.answer .side th,.answer .side td{text-align:left;min-width:8.5rem}
.answer .side thead th{border-bottom:2px solid var(--line)}
.answer .side tr.total th,.answer .side tr.total td{font-weight:700}
</style>"""


@dataclass(frozen=True)
class Header:
    """The page's first lines: a short title, one caption, the treatment's experimental status (if any)."""

    title: str
    caption: str
    experimental: Alert | None


def _p(text: str, css: str = "") -> str:
    return f'<p class="{css}">{html_text(text)}</p>' if css else f"<p>{html_text(text)}</p>"


def alerts_html(alerts: Iterable[Alert], sources: dict[str, Source]) -> str:
    """The alerts in one coloured box per severity (critical, warning, info), each with its code and sources."""
    boxes = []
    for sev, lines in alerts_by_severity(alerts, sources).items():
        paragraphs = "".join(
            f'<p>{html_text(message)}<br><span class="small"><code>{html_text(code)}</code>'
            + (f" · Sources: {html_text(cited)}" if cited else "")
            + "</span></p>"
            for message, code, cited in lines
        )
        boxes.append(
            f'<div class="box {sev}" role="note" aria-label="{sev}">'
            f'<span aria-hidden="true">{SEVERITY_ICONS[sev]}</span><div>{paragraphs}</div></div>'
        )
    return "".join(boxes)


def _folded(summary_text: str, body: str) -> str:
    return f"<details><summary>{html_text(summary_text)}</summary>{body}</details>"


def breakdown_html(dest: DestinationResult, currency: str, vendor_ids: set[str]) -> str:
    """One destination's parts as a two-column table (part, low to high), the total last."""
    rows = "".join(
        f'<tr><th scope="row">{html_text(p)}</th><td>{html_text(v)}</td></tr>'
        for p, v in breakdown_rows(dest, currency, vendor_ids)
    )
    head = f'<tr><th scope="col">Part</th><th scope="col">{html_text(currency)}, low to high</th></tr>'
    return f"<table><thead>{head}</thead><tbody>{rows}</tbody></table>"


def card_html(
    card: summary.DestinationSummary,
    dest: DestinationResult,
    currency: str,
    vendor_ids: set[str],
    sources: dict[str, Source],
) -> str:
    """One destination's card: the whole-trip mid total, the saving, what could go wrong, the reasons folded."""
    arrow, tone = ("↓", "down") if dest.savings.mid < 0 else ("↑", "up")
    lines = [
        f"<h2>{html_text(card.title)}</h2>",
        _p(f"Whole trip, mid ({currency})", "label"),
        f'<p class="figure" data-figure="total-mid">{html_text(card.total_mid)}</p>',
        _p(f"Low to high: {card.total_range}", "small"),
        _p(f"You save, mid ({currency})", "label"),
        f'<p class="figure" data-figure="saving-mid">{html_text(card.saving_mid)}'
        f'<span class="delta {tone}" aria-label="{html_text(card.saving_pct_mid)} of the home total">'
        f"{arrow} {html_text(card.saving_pct_mid)}</span></p>",
        _p(f"Saving {card.saving_range}", "small"),
    ]
    if card.costs_more:
        lines.append(_p(card.costs_more, "bad"))
    if card.missing:
        lines.append(_p(card.missing, "warn"))
    if card.deposit:
        lines.append(_p(f"💰 {card.deposit}"))
    lines.append(_p(f"{card.readiness} · {card.warnings}", "small"))
    why = f"Why: {summary.plural(len(dest.alerts), 'warning')} behind these figures"
    lines.append(_folded(why, alerts_html(dest.alerts, sources)))
    lines.append(_folded("Cost breakdown", breakdown_html(dest, currency, vendor_ids)))
    return f'<section class="card" aria-label="{html_text(card.title)}">{"".join(lines)}</section>'


def header_html(header: Header, sources: dict[str, Source]) -> str:
    """The title, the caption and, folded, why the treatment is experimental (with its sources)."""
    parts = [f"<h1>{html_text(header.title)}</h1>", _p(header.caption, "small")]
    if header.experimental is not None:
        line = (
            "🛑 <strong>Experimental treatment:</strong> the evidence is preliminary and regulators have not "
            'approved it. <span class="small">(Why, and sources)</span>'
        )
        body = _p(header.experimental.message) + _p(cite(header.experimental.sources, sources), "small")
        parts.append(f"<details><summary>{line}</summary>{body}</details>")
    return "".join(parts)


NOT_MEDICAL_ADVICE = (
    "This calculator compares costs and lists what to check. It is not medical advice: "
    "talk to a doctor who is independent of any clinic before deciding on treatment."
)


def answer_html(
    comparison: Comparison,
    header: Header,
    item_labels: dict[str, str],
    vendor_ids: set[str],
    sources: dict[str, Source],
) -> str:
    """The whole answer: header, the cards, the home line with its own warnings folded, the one note."""
    cur = comparison.rate.currency
    cards = summary.destination_summaries(comparison, item_labels)
    card_list = "".join(
        card_html(card, dest, cur, vendor_ids, sources)
        for card, dest in zip(cards, comparison.destinations, strict=True)
    )
    home = [_p(summary.home_line(comparison.home, cur, comparison.scenario.home_quote is not None))]
    scenario_alerts = [a for a in comparison.alerts if a.code != "experimental_treatment"]
    if scenario_alerts:
        title = f"The stay and the home price: {summary.plural(len(scenario_alerts), 'warning')}"
        home.append(_folded(title, alerts_html(scenario_alerts, sources)))
    home.append(_p(NOT_MEDICAL_ADVICE, "small"))
    home.append('<h2 class="section">Side by side</h2>')  # the heading of the table that follows the block
    return (
        f'<div class="answer">{header_html(header, sources)}<div class="cards">{card_list}</div>{"".join(home)}</div>'
    )


TOTAL_ROWS = frozenset({"Total", "You save"})
"""Rows of the side-by-side table shown in bold."""


def table_html(frame: pd.DataFrame, note: str) -> str:
    """The side-by-side table (``present.tables.display_frame``): a row per component, a column per place.

    A real table (row and column headers for screen readers), in a box that scrolls sideways on a phone,
    with ``note`` (what the marks mean) under it. Cells are the frame's formatted text.
    """
    head = '<th scope="col">Part</th>' + "".join(f'<th scope="col">{html_text(str(c))}</th>' for c in frame.columns)
    rows = "".join(
        ('<tr class="total">' if label in TOTAL_ROWS else "<tr>")
        + f'<th scope="row">{html_text(str(label))}</th>'
        + "".join(f"<td>{html_text(str(v))}</td>" for v in values)
        + "</tr>"
        for label, values in zip(frame.index, frame.itertuples(index=False), strict=True)
    )
    table = f'<table class="side"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    region = f'<div class="scroll" role="region" aria-label="Side by side" tabindex="0">{table}</div>'
    return f'<div class="answer">{region}{_p(note, "small")}</div>'


def sources_html(source_ids: Iterable[str], sources: dict[str, Source]) -> str:
    """Every source behind the page's figures, folded: one full citation per line."""
    items = "".join(f"<li>{html_text(cite([i], sources))}</li>" for i in dict.fromkeys(source_ids) if i in sources)
    return f'<div class="answer">{_folded("Sources of every figure on this page", f"<ul>{items}</ul>")}</div>'
