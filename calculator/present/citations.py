"""The sources and warnings behind an export, as rows and short text.

Which sources are a vendor's (unverified) claim, the bibliography rows of the sources used, a
source cited in one line for a chart's footnote, every warning with where it applies and what it
concerns (in words), and which sources a comparison's figures, a simulation or a set of saved
scenarios rest on. Charts, tables and the report all cite through these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from calculator.model.alert import Alert
from calculator.model.data import DataBundle
from calculator.model.formatting import plain_text
from calculator.model.results import PART_LABELS, Comparison
from calculator.model.sources import KIND_LABELS, Source, SourceKind
from calculator.model.uncertainty import Simulation
from calculator.present.tables import long_frame

# --- sources and warnings ------------------------------------------------------------------------


def vendor_source_ids(sources: dict[str, Source]) -> set[str]:
    """The ids of every source that is a vendor's (unverified) claim."""
    return {s.id for s in sources.values() if s.kind == SourceKind.VENDOR_CLAIM}


def cited(source_ids: Iterable[str], sources: dict[str, Source]) -> list[Source]:
    """The bibliography entries for ``source_ids``, in order, each once (unknown ids are skipped)."""
    return [sources[i] for i in dict.fromkeys(source_ids) if i in sources]


def cite(source_ids: Iterable[str], sources: dict[str, Source]) -> str:
    """Full one-line citations, e.g. 'PlacidWay, “…”, https://…  [vendor claim (unverified)]; …'."""
    return "; ".join(s.citation() for s in cited(source_ids, sources))


def cite_short(source_ids: Iterable[str], sources: dict[str, Source], most: int = 3) -> str:
    """Publisher and date of the first ``most`` sources, then how many more (full entries: Evidence & claims)."""
    known = cited(source_ids, sources)
    text = "; ".join(f"{s.publisher}, {s.date}" if s.date else s.publisher for s in known[:most])
    if len(known) > most:
        text += f"; and {len(known) - most} more (see Evidence & claims)"
    return text


SEVERITY_ORDER = ("critical", "warning", "info")
SEVERITY_ICONS = {"critical": "🛑", "warning": "⚠️", "info": "ℹ️"}
"""The icon of each severity's box, in the app's Markdown boxes and in its HTML."""


def alerts_by_severity(alerts: Iterable[Alert], sources: dict[str, Source]) -> dict[str, list[tuple[str, str, str]]]:
    """The alerts grouped by severity, most severe first: (message, code, short sources) each, in their order.

    What the app shows in one box per severity, in Markdown (ui.widgets.alerts) or HTML (present.answer_html).
    """
    grouped: dict[str, list[tuple[str, str, str]]] = {}
    for alert in alerts:
        grouped.setdefault(alert.severity, []).append((alert.message, alert.code, cite_short(alert.sources, sources)))
    return {sev: grouped[sev] for sev in SEVERITY_ORDER if sev in grouped}


def short_citation(source: Source) -> str:
    """One short line for a chart's footnote, e.g. ``PlacidWay, undated: vendor claim (unverified)``."""
    return f"{source.publisher}, {source.date or 'undated'}: {KIND_LABELS[source.kind]}"


def subject_label(subject: str, data: DataBundle) -> str:
    """What a warning concerns, in words: a cost component, a checklist item, the stay, the total...

    ``home.`` subjects concern the home baseline, e.g. ``home.procedure`` reads ``Home: Procedure``.
    """
    prefix = "Home: " if subject.startswith("home.") else ""
    subject = subject.removeprefix("home.")
    if subject in PART_LABELS:
        return prefix + PART_LABELS[subject]
    if subject.startswith("checklist."):
        item_id = subject.removeprefix("checklist.")
        label = next((i.label for i in data.checklist if i.id == item_id), item_id)
        return f"{prefix}Checklist: {label}"
    return prefix + subject.replace("_", " ").capitalize()


def warning_rows(comparison: Comparison, data: DataBundle) -> list[dict[str, Any]]:
    """Every warning with where it applies (home / scenario or a destination) and what it concerns."""
    home_where = f"Scenario and home ({comparison.home.name})"
    placed: list[tuple[str, Alert]] = [(home_where, a) for a in comparison.alerts]
    placed += [(d.label, a) for d in comparison.destinations for a in d.alerts]
    return [
        {
            "where": where,
            "concerns": subject_label(a.subject, data),
            "code": a.code,
            "severity": a.severity,
            "message": a.message,
            "sources": "; ".join(a.sources),
        }
        for where, a in placed
    ]


WARNING_COLUMNS = ("where", "concerns", "code", "severity", "message", "sources")
SOURCE_COLUMNS = ("id", "publisher", "title", "date", "url", "kind", "note")


def source_rows(source_ids: Iterable[str], sources: dict[str, Source]) -> list[dict[str, Any]]:
    """The bibliography rows of the sources used."""
    return [
        {
            "id": s.id,
            "publisher": s.publisher,
            "title": s.title,
            "date": s.date,
            "url": s.url,
            "kind": KIND_LABELS[s.kind],
            "note": s.note,
        }
        for s in cited(source_ids, sources)
    ]


def vendor_note(comparison: Comparison, data: DataBundle) -> str:
    """Which components rest on a vendor's claim, and where, e.g. ``Procedure (home, Mexico / Colombia)``."""
    long = long_frame(comparison, vendor_source_ids(data.sources))
    flagged = long[long["vendor_claim"]]
    return "; ".join(
        f"{component} ({', '.join(dict.fromkeys(flagged.loc[flagged['component'] == component, 'label']))})"
        for component in dict.fromkeys(flagged["component"])
    )


def figure_source_ids(comparison: Comparison) -> list[str]:
    """The sources of the comparison's figures (the exchange rate and every part), not of its warnings."""
    parts = [comparison.home.parts, *(d.parts for d in comparison.destinations)]
    ids = [comparison.rate.source_id, *(s for p in parts for part in p.values() for s in part.sources)]
    return [i for i in dict.fromkeys(ids) if i]


def simulation_sources(simulation: Simulation, comparison: Comparison) -> list[str]:
    """The sources behind a simulation: the comparison's figures, and the risk adjustment's."""
    return [*figure_source_ids(comparison), *(simulation.risk.sources if simulation.risk else ())]


def scenarios_source_ids(comparisons: Sequence[tuple[str, Comparison]]) -> list[str]:
    """The sources of the figures of every saved scenario, in order (repeats kept)."""
    return [s for _, c in comparisons for s in figure_source_ids(c)]


def source_markdown(source: Source) -> str:
    """A source as Markdown for a page: publisher, title, date and kind, then its URL as a link (http or https).

    Every piece of text goes through :func:`calculator.model.formatting.plain_text`; the URL is an autolink
    (``<https://...>``) with spaces and angle brackets percent-encoded, so that it cannot end the link early.
    """
    text = f"{plain_text(source.publisher)}, “{plain_text(source.title)}”, "
    text += f"{plain_text(source.date) if source.date else 'undated'} ({plain_text(KIND_LABELS[source.kind])})"
    if source.url and re.match(r"^https?://", source.url):
        url = source.url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
        text += f" <{url}>"
    return text
