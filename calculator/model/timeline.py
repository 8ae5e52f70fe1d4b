"""The trip as dated phases, for the shortest and the longest plan (DESIGN.md sections 2 and 6).

A plan lays the scenario's days end to end::

    travel_out | pre_treatment | procedure | recovery | travel_home

The days at the destination (pre_treatment + procedure + recovery) are
:attr:`calculator.model.scenario.Stay.stay_days`, the very figure the cost model prices
(lodging, daily costs, lost income): the flight home is ``stay_days`` days after
arrival, and recovery fills the days between the procedure and that flight. The
shortest plan takes every range at its low end, the longest at its high end, as the
cost model's low and high totals do.

Choices, documented here and in the README:

- ``travel_days`` is the total for out and back: ``ceil(t / 2)`` days out, ``floor(t / 2)``
  days home (the default 2 days: one each way).
- Recovery starts the day after the (last) procedure day; the flight home is the day
  after recovery ends.
- ``pretravel_consult`` is the window 6 to 4 weeks before departure (CDC: see a
  travel-health provider at least 4-6 weeks before the trip); earlier is fine too.
- ``regeneration`` runs from the day after the procedure to the date the broker says
  results can be judged: 3 months (shortest plan) or 6 months (longest plan) after the
  procedure, in calendar months (a day missing in the target month clips to its last day).
- ``follow_up`` (only when the scenario has follow-up trips) is the first follow-up trip,
  starting the day after regeneration ends; a trip of ``n`` nights spans ``n + 1``
  calendar days, travel included. Later trips are not dated (no source gives a schedule).
- A phase with no days in a plan (e.g. ``pre_days`` 0) has no dates in that plan (``None``).

Every ``end`` is inclusive: the phase's last day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from calculator.model.errors import InputError
from calculator.model.scenario import Scenario, Stay
from calculator.model.sources import USER_INPUT

StartIs = Literal["procedure", "departure"]
Plan = Literal["short", "long"]
START_CHOICES: tuple[StartIs, ...] = ("procedure", "departure")
PLANS: tuple[Plan, ...] = ("short", "long")
PLAN_LABELS: dict[Plan, str] = {"short": "Shortest plan", "long": "Longest plan"}

VENDOR = "placidway_scar_stem_cell"
"""The broker's timeline (seed 004): pre-treatment 1-2 days, procedure 4-6 hours, recovery 2-4 days, 3-6 months."""
CDC_TRAVELLER = "cdc_medical_tourism_traveler"
ASPS_FLYING = "asps_flying_after_procedures"
TRAVEL_ASSUMPTION = "assumption_travel_days"

CONSULT_WEEKS_BEFORE = (4, 6)
"""CDC: see a travel-health provider at least 4-6 weeks before departure."""
REGENERATION_MONTHS = (3, 6)
"""The broker's regeneration phase, after which results can be judged (a vendor claim)."""
FLYING_GUIDANCE_DAYS = (7, 10)
"""Days to wait before flying after cosmetic procedures of the face or laser treatment (ASPS, quoted by CDC)."""

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)
"""The start dates accepted: every phase's dates then stay inside the calendar."""

PHASE_IDS = (
    "pretravel_consult",
    "travel_out",
    "pre_treatment",
    "procedure",
    "recovery",
    "travel_home",
    "regeneration",
    "follow_up",
)
TRIP_PHASES = ("travel_out", "pre_treatment", "procedure", "recovery", "travel_home")
"""The phases of the trip itself (away from home)."""


@dataclass(frozen=True)
class Dates:
    """A run of whole days, ``start`` to ``end`` inclusive."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """Calendar days in the run, both ends counted."""
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Phase:
    """One phase of the trip: its dates in each plan, what its duration rests on, and its sources."""

    id: str
    label: str
    short: Dates | None
    long: Dates | None
    duration: str
    sources: tuple[str, ...]
    note: str = ""

    def plan(self, plan: Plan) -> Dates | None:
        """The phase's dates in the shortest (``short``) or longest (``long``) plan."""
        return self.short if plan == "short" else self.long


@dataclass(frozen=True)
class Timeline:
    """The dated phases of one scenario's trip from a start date."""

    start: dt.date
    start_is: StartIs
    stay_days: tuple[int, int]
    travel_days: tuple[int, int]
    phases: tuple[Phase, ...]

    def phase(self, phase_id: str) -> Phase:
        """The phase with this id (KeyError if the timeline has none)."""
        for p in self.phases:
            if p.id == phase_id:
                return p
        raise KeyError(phase_id)

    def trip(self, plan: Plan) -> Dates:
        """The whole trip in a plan: from the first day of travel out to the last day of travel home."""
        runs = [r for p in TRIP_PHASES if (r := self.phase(p).plan(plan)) is not None]
        return Dates(runs[0].start, runs[-1].end)

    @property
    def days_away(self) -> tuple[int, int]:
        """Days away from home, shortest and longest plan: stay_days + travel_days (the lost-income days)."""
        return (self.stay_days[0] + self.travel_days[0], self.stay_days[1] + self.travel_days[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months; a day missing in the target month clips to its last day.

    >>> add_months(dt.date(2027, 11, 30), 3)
    datetime.date(2028, 2, 29)
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def travel_split(travel_days: int) -> tuple[int, int]:
    """(days out, days home) from the total travel days: ``ceil(t / 2)`` out, ``floor(t / 2)`` home."""
    return (travel_days + 1) // 2, travel_days // 2


def _run(start: dt.date, days: int) -> Dates | None:
    """``days`` whole days from ``start`` (None for no days)."""
    return Dates(start, start + dt.timedelta(days=days - 1)) if days > 0 else None


def _between(start: dt.date, stop: dt.date) -> Dates | None:
    """The days from ``start`` up to the day before ``stop`` (None when there are none)."""
    return _run(start, (stop - start).days)


def _days(pair: tuple[int, int], unit: str = "day") -> str:
    low, high = pair
    text = f"{low}" if low == high else f"{low}-{high}"
    return f"{text} {unit}" + ("" if high == 1 else "s")


def _stay_source(stay: Stay, field: str, default_source: str) -> tuple[str, ...]:
    """The default figure's source while the field keeps its default; the user's input once changed."""
    return (default_source,) if getattr(stay, field) == getattr(Stay(), field) else (USER_INPUT,)


@dataclass(frozen=True)
class _Plan:
    """One plan's anchor days: departure, arrival, procedure, flight home (all dates)."""

    departure: dt.date
    arrival: dt.date
    procedure: dt.date
    procedure_end: dt.date
    flight_home: dt.date
    home_days: int

    @property
    def back_home(self) -> dt.date:
        return self.flight_home + dt.timedelta(days=self.home_days)


def _plan(stay: Stay, end: int, start: dt.date, start_is: StartIs) -> _Plan:
    """Anchor one plan (``end`` 0 = every range's low end, 1 = its high end) on the start date."""
    pre, proc, travel = stay.pre_days[end], stay.procedure_days[end], stay.travel_days[end]
    stay_days = int((stay.stay_days.low, stay.stay_days.high)[end])
    out, home = travel_split(travel)
    day = dt.timedelta(days=1)
    if start_is == "procedure":
        arrival = start - pre * day
        departure = arrival - out * day
    else:
        departure = start
        arrival = departure + out * day
    procedure = arrival + pre * day
    return _Plan(
        departure=departure,
        arrival=arrival,
        procedure=procedure,
        procedure_end=procedure + (max(proc, 1) - 1) * day,
        flight_home=arrival + stay_days * day,
        home_days=home,
    )


def trip_timeline(scenario: Scenario, start: dt.date, start_is: StartIs = "procedure") -> Timeline:
    """The dated phases of the scenario's trip, shortest and longest plan.

    ``start`` is the procedure's (first) day, or with ``start_is="departure"`` the day the
    journey out begins. Raises InputError naming ``start`` when the dates would leave the calendar.
    """
    if start_is not in START_CHOICES:
        raise InputError("start_is", f"must be one of {', '.join(START_CHOICES)}, not {start_is!r}")
    check_start(start, "start")
    stay = scenario.stay
    plans = {p: _plan(stay, i, start, start_is) for i, p in enumerate(PLANS)}
    day = dt.timedelta(days=1)

    def each(build: Callable[[_Plan, int], Dates | None]) -> dict[Plan, Dates | None]:
        """The phase's dates in each plan (``build`` gets the plan and its end: 0 low, 1 high)."""
        return {p: build(plans[p], i) for i, p in enumerate(PLANS)}

    def phase(
        phase_id: str,
        label: str,
        dates: dict[Plan, Dates | None],
        duration: str,
        sources: tuple[str, ...],
        note: str = "",
    ) -> Phase:
        return Phase(phase_id, label, dates["short"], dates["long"], duration, sources, note)

    weeks_late, weeks_early = CONSULT_WEEKS_BEFORE
    phases = [
        phase(
            "pretravel_consult",
            "Pre-travel consultation",
            each(lambda p, _: Dates(p.departure - 7 * weeks_early * day, p.departure - 7 * weeks_late * day)),
            f"{weeks_late}-{weeks_early} weeks before departure",
            (CDC_TRAVELLER,),
            "With a travel-health provider. CDC: at least 4-6 weeks before the trip; the window is the latest "
            "time to go, earlier is fine.",
        ),
        phase(
            "travel_out",
            "Travel out",
            each(lambda p, _: _between(p.departure, p.arrival)),
            _days(tuple(travel_split(t)[0] for t in stay.travel_days)),
            _stay_source(stay, "travel_days", TRAVEL_ASSUMPTION),
            "Half the travel days, rounded up.",
        ),
        phase(
            "pre_treatment",
            "Pre-treatment stay",
            each(lambda p, _: _between(p.arrival, p.procedure)),
            _days(stay.pre_days),
            _stay_source(stay, "pre_days", VENDOR),
            "Consultation, blood work, final screening (the broker's description).",
        ),
        phase(
            "procedure",
            "Procedure",
            each(lambda p, _: Dates(p.procedure, p.procedure_end)),
            _days(stay.procedure_days),
            _stay_source(stay, "procedure_days", VENDOR),
            "Cell harvest, processing and injection: 4-6 hours a day (the broker's figures).",
        ),
        phase(
            "recovery",
            "Local recovery",
            each(lambda p, _: _between(p.procedure_end + day, p.flight_home)),
            _days(stay.recovery_days),
            _stay_source(stay, "recovery_days", VENDOR),
            "Before the flight home. Guidance on flying after cosmetic procedures: "
            f"{FLYING_GUIDANCE_DAYS[0]}-{FLYING_GUIDANCE_DAYS[1]} days.",
        ),
        phase(
            "travel_home",
            "Travel home",
            each(lambda p, _: _run(p.flight_home, p.home_days)),
            _days(tuple(travel_split(t)[1] for t in stay.travel_days)),
            _stay_source(stay, "travel_days", TRAVEL_ASSUMPTION),
            "Half the travel days, rounded down.",
        ),
        phase(
            "regeneration",
            "Regeneration",
            each(lambda p, i: Dates(p.procedure_end + day, add_months(p.procedure_end, REGENERATION_MONTHS[i]))),
            f"{REGENERATION_MONTHS[0]}-{REGENERATION_MONTHS[1]} months after the procedure",
            (VENDOR,),
            "Results can be judged at its end: the broker's claim of gradual improvement; the evidence for "
            "the treatment is preliminary.",
        ),
    ]
    if scenario.follow_up_trips > 0:
        regeneration = phases[-1]
        trips, nights = scenario.follow_up_trips, scenario.follow_up_nights
        phases.append(
            phase(
                "follow_up",
                "Follow-up trip" + (f" (first of {trips})" if trips > 1 else ""),
                {p: _run(regeneration.plan(p).end + day, nights + 1) for p in PLANS},
                f"{nights} night{'s' if nights != 1 else ''} ({nights + 1} days, travel included)",
                (USER_INPUT, VENDOR),
                "Dated from the end of regeneration, when results can be judged"
                + ("; agree the later trips' dates with the clinic." if trips > 1 else "."),
            )
        )
    stay_days = stay.stay_days
    return Timeline(
        start=start,
        start_is=start_is,
        stay_days=(int(stay_days.low), int(stay_days.high)),
        travel_days=stay.travel_days,
        phases=tuple(phases),
    )


def check_start(start: dt.date, where: str) -> dt.date:
    """The start date if it lies within EARLIEST..LATEST; else InputError naming ``where``."""
    if not EARLIEST <= start <= LATEST:
        raise InputError(where, f"{start.isoformat()} is outside {EARLIEST.isoformat()} to {LATEST.isoformat()}")
    return start


def parse_start(text: str, where: str = "--start") -> dt.date:
    """A start date from ``YYYY-MM-DD`` text; InputError naming ``where`` if it is not one."""
    try:
        start = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(where, f"{text!r} is not a date (expected YYYY-MM-DD, e.g. 2027-03-01)") from None
    if len(text.strip()) != 10:
        raise InputError(where, f"{text!r} is not a date (expected YYYY-MM-DD, e.g. 2027-03-01)")
    return check_start(start, where)


def short_recovery_days(stay: Stay) -> int:
    """Days between the procedure and the flight home in the shortest plan: the low end of recovery_days."""
    return stay.recovery_days[0]


def event_uid(scenario_name: str, phase_id: str, plan: Plan, start: dt.date) -> str:
    """A stable UID for a phase's calendar event (the same trip exported twice updates, not duplicates)."""
    key = f"{scenario_name}|{phase_id}|{plan}|{start.isoformat()}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, 'medtravel-calculator:' + key)}@medtravel-calculator"
