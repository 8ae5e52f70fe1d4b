"""The report as one self-contained HTML file.

CSS and SVG charts inline, no script, a Content-Security-Policy that forbids any, every piece of
text escaped, ``@media print`` rules for paper. Charts' SVG is checked by :func:`safe_svg`
before it goes inline.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from calculator.model.formatting import html_text
from calculator.model.sources import KIND_LABELS, SourceKind
from calculator.present.chart_frame import chart_bytes
from calculator.present.report_blocks import (
    SEVERITY_LABELS,
    Bibliography,
    Block,
    Bullets,
    Figure,
    Heading,
    Paragraph,
    Report,
    Table,
    Warnings,
)

CSS = """
:root { color-scheme: light; }
body { font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #111;
       max-width: 1000px; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; font-size: 15px;
       overflow-wrap: break-word; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #0072B2; padding-bottom: .15rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
.meta { color: #444; margin-top: 0; }
.note { background: #eef5fb; border-left: 4px solid #0072B2; padding: .5rem .8rem; }
.small { color: #444; font-size: .85rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .85rem; }
th, td { border: 1px solid #bbb; padding: .25rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
tbody th { font-weight: 600; background: #fafafa; }
.warnings h4 { margin: .6rem 0 .3rem; font-size: .95rem; }
.warning { border-left: 5px solid #999; padding: .35rem .7rem; margin: .35rem 0; background: #f7f7f7; }
.warning.sev-critical { border-color: #D55E00; background: #fcefe6; }
.warning.sev-warning { border-color: #E69F00; background: #fff7e6; }
.warning.sev-info { border-color: #0072B2; background: #eef5fb; }
.warning .what { font-weight: 600; }
.warning code { font-size: .8rem; }
.warning .src { color: #444; font-size: .8rem; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: .85rem; }
ol.bib li { margin-bottom: .3rem; }
a { color: #0072B2; }
@media (max-width: 640px) {
  body { margin: 1rem auto; font-size: 14px; }
  table { display: block; overflow-x: auto; }
  th, td { min-width: 6.5rem; }
}
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  table, figure, .warning { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .note, .warning, thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  @page { size: A4; margin: 14mm; }
}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
"""No script, no network: the report is inert and readable offline."""

_UNSAFE_TAGS = frozenset({"script", "foreignobject", "iframe", "object", "embed", "handler", "listener"})
_UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.I)


def _local(name: str) -> str:
    """An XML name without its namespace, lower-cased: ``{http://www.w3.org/2000/svg}Script`` -> ``script``."""
    return name.rsplit("}", 1)[-1].lower()


def safe_svg(svg: str) -> str:
    """vl-convert's SVG for inline use: well-formed XML with no script, event handler or foreign content.

    The check reads the markup (element and attribute names, link targets), not the text: a chart whose title
    says "Mexico, online = cheaper" or "javascript: a guide" is text (XML-escaped by the renderer), not markup.
    Raises ValueError otherwise.
    """
    svg = re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)
    root = ET.fromstring(svg)  # noqa: S314 - our own renderer's output, checked to be well-formed
    if _local(root.tag) != "svg" or not svg.lstrip().startswith("<svg"):
        raise ValueError("the chart's SVG does not start with an <svg> element")
    for element in root.iter():
        if not isinstance(element.tag, str) or _local(element.tag) in _UNSAFE_TAGS:
            raise ValueError("the chart's SVG holds content that is not allowed inline")
        for name, value in element.attrib.items():
            if _local(name).startswith("on") or _UNSAFE_URL.match(value):
                raise ValueError("the chart's SVG holds content that is not allowed inline")
    return svg


_e = html_text


def _html_table(table: Table) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in table.header)
    body = "".join(
        "<tr>" + f'<th scope="row">{_e(row[0])}</th>' + "".join(f"<td>{_e(cell)}</td>" for cell in row[1:]) + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_warnings(block: Warnings) -> str:
    items = "".join(
        f'<div class="warning sev-{_e(w.severity)}" role="note">'
        f'<span class="what">{_e(SEVERITY_LABELS.get(w.severity, w.severity))}: {_e(w.title or w.concerns)}</span>'
        f" · {_e(w.concerns)}<br>{_e(w.message)}"
        + '<br><span class="src">'
        + (f"Sources: {_e(w.sources)} · " if w.sources else "")
        + f"code <code>{_e(w.code)}</code></span>"
        + "</div>"
        for w in block.items
    )
    return f'<section class="warnings"><h4>{_e(block.title)}</h4>{items}</section>'


def _link(url: str) -> str:
    if re.match(r"^https?://", url):
        return f'<a href="{_e(url)}">{_e(url)}</a>'
    return _e(url)


def _html_bibliography(block: Bibliography) -> str:
    items = []
    for s in block.sources:
        parts = [_e(s.publisher), f"“{_e(s.title)}”", _e(s.date or "undated")]
        if s.url:
            parts.append(_link(s.url))
        mark = " ⚠" if s.kind == SourceKind.VENDOR_CLAIM else ""
        items.append(
            f'<li id="src-{_e(s.id)}">{", ".join(parts)} [{_e(KIND_LABELS[s.kind])}{mark}] '
            f'<span class="small">({_e(s.id)})</span></li>'
        )
    return f'<ol class="bib">{"".join(items)}</ol>'


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{_e(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return f'<p class="{block.style}">{_e(block.text)}</p>'
    if isinstance(block, Table):
        return _html_table(block)
    if isinstance(block, Bullets):
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>" + "".join(f"<li>{_e(i)}</li>" for i in block.items) + f"</{tag}>"
    if isinstance(block, Warnings):
        return _html_warnings(block)
    if isinstance(block, Figure):
        svg = safe_svg(chart_bytes(block.chart, "svg").decode("utf-8"))
        caption = _e(block.caption)
        return f'<figure role="img" aria-label="{caption}">{svg}<figcaption>{caption}</figcaption></figure>'
    return _html_bibliography(block)


def report_html(report: Report) -> bytes:
    """The report as one self-contained, printable HTML file (UTF-8)."""
    body = "\n".join(_html_block(b) for b in report.blocks)
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="generator" content="medtravel-calculator {_e(report.version)}">
<title>{_e(report.scenario_name)}: {_e(report.title)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{_e(report.title)}</h1>
<p class="meta">Scenario: <strong>{_e(report.scenario_name)}</strong> · generated {report.generated.isoformat()} ·
medtravel-calculator {_e(report.version)}</p>
</header>
<main>
{body}
</main>
</body>
</html>
"""
    return page.encode("utf-8")
