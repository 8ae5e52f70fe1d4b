"""The timeline as the CLI, the page and calendars read it: JSON, CSV, iCalendar, pandas frames."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import icalendar
import pandas as pd

from calculator.model.data import DataBundle
from calculator.model.formatting import day, day_range
from calculator.model.scenario import Scenario
from calculator.model.sources import KIND_LABELS, Source, SourceKind
from calculator.model.timeline import PLAN_LABELS, PLANS, Dates, Phase, Plan, Timeline, event_uid

PRODID = "-//medtravel-calculator//Trip timeline//EN"
CSV_COLUMNS = (
    "id",
    "label",
    "short_start",
    "short_end",
    "short_days",
    "long_start",
    "long_end",
    "long_days",
    "duration",
    "sources",
    "note",
)
TRANSPARENT_PHASES = ("pretravel_consult", "regeneration")
"""Calendar events that mark a window, not busy time."""


def _dates_dict(dates: Dates | None) -> dict[str, Any] | None:
    if dates is None:
        return None
    return {"start": dates.start.isoformat(), "end": dates.end.isoformat(), "days": dates.days}


def _vendor(phase: Phase, sources: dict[str, Source]) -> bool:
    return any(s in sources and sources[s].kind == SourceKind.VENDOR_CLAIM for s in phase.sources)


def timeline_dict(timeline: Timeline, scenario_name: str, sources: dict[str, Source]) -> dict[str, Any]:
    """The JSON output of ``timeline`` (DESIGN.md section 6); ``end`` is inclusive, a phase with no days is null."""
    t = timeline
    return {
        "scenario": scenario_name,
        "start": t.start.isoformat(),
        "start_is": t.start_is,
        "stay_days": {"short": t.stay_days[0], "long": t.stay_days[1]},
        "days_away": {"short": t.days_away[0], "long": t.days_away[1]},
        "phases": [
            {
                "id": p.id,
                "label": p.label,
                "short": _dates_dict(p.short),
                "long": _dates_dict(p.long),
                "duration": p.duration,
                "sources": list(p.sources),
                "vendor_claim": _vendor(p, sources),
                "note": p.note,
            }
            for p in t.phases
        ],
    }


def timeline_csv(timeline: Timeline) -> str:
    """One CSV row per phase: ISO dates of both plans (blank for a phase with no days), duration, sources."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for p in timeline.phases:
        row: dict[str, Any] = {"id": p.id, "label": p.label, "duration": p.duration, "note": p.note}
        for plan in PLANS:
            dates = p.plan(plan)
            row[f"{plan}_start"] = dates.start.isoformat() if dates else ""
            row[f"{plan}_end"] = dates.end.isoformat() if dates else ""
            row[f"{plan}_days"] = dates.days if dates else ""
        row["sources"] = ";".join(p.sources)
        writer.writerow(row)
    return buf.getvalue()


def trip_place(scenario: Scenario, data: DataBundle) -> str:
    """Where the trip goes, by city: e.g. ``"Mexico City"``, or ``"Mexico City or Istanbul"`` for two destinations.

    The city is the scenario's ``travel.<dest>.city``, else the destination's default city, else its region name.
    """
    places = []
    for dest in scenario.destinations:
        city_id = scenario.travel_for(dest).city
        row = data.travel.get(city_id) if city_id else data.default_city(dest)
        places.append(row.city if row else data.prices[(scenario.procedure, dest)].region_name)
    return " or ".join(dict.fromkeys(places))


def event_title(label: str, treatment: str | None, place: str | None) -> str:
    """A calendar event's title that says which trip: e.g. ``"Stem-cell scar treatment: procedure, Mexico City"``."""
    if not treatment:
        return label
    return f"{treatment}: {label[:1].lower()}{label[1:]}" + (f", {place}" if place else "")


def timeline_ics(
    timeline: Timeline,
    scenario_name: str,
    sources: dict[str, Source],
    plan: Plan = "long",
    stamp: dt.datetime | None = None,
    treatment: str | None = None,
    place: str | None = None,
) -> bytes:
    """An iCalendar file: one all-day event per phase of one plan (DTEND exclusive: the day after ``end``).

    Phases with no days in the plan are left out. Each event is titled with the treatment and the place
    (:func:`event_title`), and its description gives the duration, what it rests on, and its sources; UIDs
    are stable for the same trip. The calendar is named after the treatment, the place and the scenario.
    """
    stamp = stamp or dt.datetime.now(dt.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # An X- property has no type of its own in icalendar: vText escapes it as TEXT (RFC 5545 3.3.11: \\ ; , and
    # line breaks, CR included), so a name holding a newline or a comma stays one property.
    trip = ", ".join(filter(None, (treatment, place)))
    cal.add(
        "x-wr-calname", icalendar.vText(f"{trip + ': ' if trip else ''}{scenario_name} ({PLAN_LABELS[plan].lower()})")
    )
    for p in timeline.phases:
        dates = p.plan(plan)
        if dates is None:
            continue
        cited = "; ".join(sources[s].citation() for s in p.sources if s in sources)
        description = f"{p.duration}. {p.note}".strip() + f"\nSources: {cited}"
        if _vendor(p, sources):
            description += "\nThis duration is a vendor's claim, not verified."
        event = icalendar.Event()
        event.add("uid", event_uid(scenario_name, p.id, plan, timeline.start))
        event.add("dtstamp", stamp)
        event.add("summary", event_title(p.label, treatment, place))
        event.add("dtstart", dates.start)
        event.add("dtend", dates.end + dt.timedelta(days=1))
        event.add("description", description)
        event.add("transp", "TRANSPARENT" if p.id in TRANSPARENT_PHASES else "OPAQUE")
        cal.add_component(event)
    return cal.to_ical()


def timeline_frame(timeline: Timeline) -> pd.DataFrame:
    """One row per (phase, plan) with days: ISO ``start``, inclusive ``end``, exclusive ``stop`` (for x2), labels."""
    rows = []
    for order, p in enumerate(timeline.phases):
        for plan in PLANS:
            dates = p.plan(plan)
            if dates is None:
                continue
            rows.append(
                {
                    "phase": p.id,
                    "label": p.label,
                    "order": order,
                    "plan": PLAN_LABELS[plan],
                    "start": dates.start.isoformat(),
                    "end": dates.end.isoformat(),
                    "stop": (dates.end + dt.timedelta(days=1)).isoformat(),
                    "days": dates.days,
                    "dates": day_range(dates.start, dates.end),
                    "duration": p.duration,
                }
            )
    columns = ["phase", "label", "order", "plan", "start", "end", "stop", "days", "dates", "duration"]
    return pd.DataFrame(rows, columns=columns)


def dates_text(dates: Dates | None) -> str:
    """E.g. ``"Tue 2027-03-02 – Wed 2027-03-03 (2 days)"``; a phase with no days reads ``"— (no days)"``."""
    if dates is None:
        return "— (no days)"
    return f"{day_range(dates.start, dates.end)} ({dates.days} day{'s' if dates.days != 1 else ''})"


def timeline_table(
    timeline: Timeline, sources: dict[str, Source], checks: dict[str, str] | None = None
) -> pd.DataFrame:
    """The table of dates as a user reads it: each phase, both plans' dates, the duration and its source.

    ``checks`` maps a phase id to a short note shown in its row (e.g. a warning about that phase).
    """
    checks = {k: v for k, v in (checks or {}).items() if v}
    rows = []
    for p in timeline.phases:
        cited = [sources[s] for s in p.sources if s in sources]
        row = {
            "Phase": p.label,
            PLAN_LABELS["short"]: dates_text(p.short),
            PLAN_LABELS["long"]: dates_text(p.long),
            "Duration": p.duration + (" ⚠" if _vendor(p, sources) else ""),
            "Source": "; ".join(f"{s.publisher.split(' (')[0]}: {KIND_LABELS[s.kind]}" for s in cited),
        }
        if checks:  # only when a phase has something to check: an empty column would push the others aside
            row["Check"] = checks.get(p.id, "")
        rows.append(row)
    return pd.DataFrame(rows).set_index("Phase")


def start_label(timeline: Timeline) -> str:
    """E.g. ``"procedure on Mon 2027-03-01"``."""
    return f"{timeline.start_is} on {day(timeline.start)}"
