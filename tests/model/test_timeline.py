"""The trip timeline: hand-computed dates, the short-stay warning, JSON / CSV / iCalendar output, the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator.model.alerts import scenario_alerts, short_stay_before_flying
from calculator.model.compare import compare
from calculator.model.errors import InputError
from calculator.model.formatting import day, day_range
from calculator.model.scenario import Stay
from calculator.model.timeline import add_months, parse_start, travel_split, trip_timeline
from calculator.present.timeline_files import timeline_csv, timeline_dict, timeline_frame, timeline_ics, timeline_table
from tests.conftest import MEXICO_ACCEPTANCE, make_scenario, run_cli, write_json

D = dt.date


def _dates(timeline, phase_id):
    p = timeline.phase(phase_id)
    return (
        None if p.short is None else (p.short.start, p.short.end),
        None if p.long is None else (p.long.start, p.long.end),
    )


# Default stay: pre 1-2, procedure 1, recovery 2-4, travel 2 (1 out, 1 home).
# Procedure Mon 2027-03-01 (2027 is not a leap year: February has 28 days).
# Shortest: out Sat 27 Feb, pre Sun 28 Feb, procedure 1 Mar, recovery 2-3 Mar, home Thu 4 Mar.
# Longest:  out Fri 26 Feb, pre 27-28 Feb, procedure 1 Mar, recovery 2-5 Mar, home Sat 6 Mar.
# Consult: departure - 42 days .. departure - 28 days: 27 Feb -> 16 Jan..30 Jan; 26 Feb -> 15 Jan..29 Jan.
# Regeneration: day after the procedure to + 3 months (1 Jun) / + 6 months (1 Sep).
DEFAULT_2027_03_01 = {
    "pretravel_consult": ((D(2027, 1, 16), D(2027, 1, 30)), (D(2027, 1, 15), D(2027, 1, 29))),
    "travel_out": ((D(2027, 2, 27), D(2027, 2, 27)), (D(2027, 2, 26), D(2027, 2, 26))),
    "pre_treatment": ((D(2027, 2, 28), D(2027, 2, 28)), (D(2027, 2, 27), D(2027, 2, 28))),
    "procedure": ((D(2027, 3, 1), D(2027, 3, 1)), (D(2027, 3, 1), D(2027, 3, 1))),
    "recovery": ((D(2027, 3, 2), D(2027, 3, 3)), (D(2027, 3, 2), D(2027, 3, 5))),
    "travel_home": ((D(2027, 3, 4), D(2027, 3, 4)), (D(2027, 3, 6), D(2027, 3, 6))),
    "regeneration": ((D(2027, 3, 2), D(2027, 6, 1)), (D(2027, 3, 2), D(2027, 9, 1))),
}

# Leap year: procedure Sun 2028-02-27; 2028 has a 29 February.
# Shortest: out 25 Feb, pre 26 Feb, procedure 27 Feb, recovery 28-29 Feb, home 1 Mar.
# Longest:  out 24 Feb, pre 25-26 Feb, procedure 27 Feb, recovery 28 Feb - 2 Mar (28, 29, 1, 2), home 3 Mar.
# Consult: 25 Feb - 42 = 14 Jan, - 28 = 28 Jan; 24 Feb -> 13 Jan..27 Jan.
LEAP_2028_02_27 = {
    "pretravel_consult": ((D(2028, 1, 14), D(2028, 1, 28)), (D(2028, 1, 13), D(2028, 1, 27))),
    "travel_out": ((D(2028, 2, 25), D(2028, 2, 25)), (D(2028, 2, 24), D(2028, 2, 24))),
    "pre_treatment": ((D(2028, 2, 26), D(2028, 2, 26)), (D(2028, 2, 25), D(2028, 2, 26))),
    "procedure": ((D(2028, 2, 27), D(2028, 2, 27)), (D(2028, 2, 27), D(2028, 2, 27))),
    "recovery": ((D(2028, 2, 28), D(2028, 2, 29)), (D(2028, 2, 28), D(2028, 3, 2))),
    "travel_home": ((D(2028, 3, 1), D(2028, 3, 1)), (D(2028, 3, 3), D(2028, 3, 3))),
    "regeneration": ((D(2028, 2, 28), D(2028, 5, 27)), (D(2028, 2, 28), D(2028, 8, 27))),
}


@pytest.fixture
def default(data):
    return make_scenario(data, **MEXICO_ACCEPTANCE)


@pytest.mark.parametrize(
    ("start", "expected"), [(D(2027, 3, 1), DEFAULT_2027_03_01), (D(2028, 2, 27), LEAP_2028_02_27)]
)
def test_default_stay_dates_for_both_plans(default, start, expected):
    timeline = trip_timeline(default, start)
    assert [p.id for p in timeline.phases] == list(expected)
    for phase_id, dates in expected.items():
        assert _dates(timeline, phase_id) == dates, phase_id


def test_departure_date_mode(default):
    # Depart Fri 2027-02-26. Shortest: arrive 27 Feb, pre 27 Feb, procedure Sun 28 Feb, recovery 1-2 Mar,
    # home 3 Mar, regeneration 1 Mar - 28 May. Longest: pre 27-28 Feb, procedure 1 Mar, recovery 2-5 Mar, home 6 Mar.
    t = trip_timeline(default, D(2027, 2, 26), "departure")
    assert _dates(t, "travel_out") == ((D(2027, 2, 26), D(2027, 2, 26)),) * 2
    assert _dates(t, "pretravel_consult") == ((D(2027, 1, 15), D(2027, 1, 29)),) * 2
    assert _dates(t, "pre_treatment") == ((D(2027, 2, 27), D(2027, 2, 27)), (D(2027, 2, 27), D(2027, 2, 28)))
    assert _dates(t, "procedure") == ((D(2027, 2, 28), D(2027, 2, 28)), (D(2027, 3, 1), D(2027, 3, 1)))
    assert _dates(t, "recovery") == ((D(2027, 3, 1), D(2027, 3, 2)), (D(2027, 3, 2), D(2027, 3, 5)))
    assert _dates(t, "travel_home") == ((D(2027, 3, 3), D(2027, 3, 3)), (D(2027, 3, 6), D(2027, 3, 6)))
    assert _dates(t, "regeneration") == ((D(2027, 3, 1), D(2027, 5, 28)), (D(2027, 3, 2), D(2027, 9, 1)))


def test_odd_travel_days_and_zero_pre_days(data):
    # travel 3 = 2 out + 1 home; pre 0-1: the shortest plan has no pre-treatment day.
    s = make_scenario(
        data, destinations=["mexico_colombia"], stay={"pre_days": [0, 1], "recovery_days": 7, "travel_days": 3}
    )
    t = trip_timeline(s, D(2027, 3, 1))
    assert travel_split(3) == (2, 1)
    assert _dates(t, "travel_out") == ((D(2027, 2, 27), D(2027, 2, 28)), (D(2027, 2, 26), D(2027, 2, 27)))
    assert _dates(t, "pre_treatment") == (None, (D(2027, 2, 28), D(2027, 2, 28)))
    assert _dates(t, "recovery") == ((D(2027, 3, 2), D(2027, 3, 8)),) * 2
    assert _dates(t, "travel_home") == ((D(2027, 3, 9), D(2027, 3, 9)),) * 2
    assert timeline_dict(t, s.name, data.sources)["phases"][2]["short"] is None


def test_follow_up_only_with_trips(data, default):
    assert "follow_up" not in [p.id for p in trip_timeline(default, D(2027, 3, 1)).phases]
    s = make_scenario(data, destinations=["mexico_colombia"], follow_up_trips=2, follow_up_nights=3)
    follow_up = trip_timeline(s, D(2027, 3, 1)).phase("follow_up")
    # The day after regeneration ends (1 Jun / 1 Sep); 3 nights span 4 days.
    assert (follow_up.short.start, follow_up.short.end) == (D(2027, 6, 2), D(2027, 6, 5))
    assert (follow_up.long.start, follow_up.long.end) == (D(2027, 9, 2), D(2027, 9, 5))
    assert "first of 2" in follow_up.label


def test_every_duration_carries_its_source(data, default):
    t = trip_timeline(default, D(2027, 3, 1))
    sources = {p.id: p.sources for p in t.phases}
    assert sources["pretravel_consult"] == ("cdc_medical_tourism_traveler",)
    for vendor in ("pre_treatment", "procedure", "recovery", "regeneration"):
        assert sources[vendor] == ("placidway_scar_stem_cell",)
        assert data.sources[sources[vendor][0]].kind == "vendor_claim"
    assert sources["travel_out"] == sources["travel_home"] == ("assumption_travel_days",)
    assert data.sources["assumption_travel_days"].kind == "assumption"
    changed = make_scenario(data, destinations=["mexico_colombia"], stay={"recovery_days": [10, 12]})
    assert trip_timeline(changed, D(2027, 3, 1)).phase("recovery").sources == ("user_input",)


def test_stay_length_is_the_cost_models(data):
    """The trip's days away are the lost-income days the cost model charges: stay_days + travel_days."""
    s = make_scenario(
        data,
        destinations=["mexico_colombia"],
        lost_income_per_day=100,
        stay={"pre_days": [1, 3], "procedure_days": [1, 2], "recovery_days": [5, 9], "travel_days": [2, 3]},
    )
    t = trip_timeline(s, D(2027, 3, 1))
    lost = compare(s, data).destinations[0].parts["lost_income"].value
    for plan, cost in (("short", lost.low), ("long", lost.high)):
        first, last = t.phase("travel_out").plan(plan).start, t.phase("travel_home").plan(plan).end
        assert (last - first).days + 1 == cost / 100
    assert t.stay_days == (7, 14) == (s.stay.stay_days.low, s.stay.stay_days.high)


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(D(1990, 1, 1), D(2200, 12, 31)),
    pre=st.tuples(st.integers(0, 5), st.integers(0, 5)).map(sorted),
    proc=st.tuples(st.integers(1, 3), st.integers(1, 3)).map(sorted),
    rec=st.tuples(st.integers(0, 20), st.integers(0, 20)).map(sorted),
    travel=st.tuples(st.integers(0, 4), st.integers(0, 4)).map(sorted),
    start_is=st.sampled_from(["procedure", "departure"]),
)
def test_trip_phases_are_contiguous_and_sized(data, start, pre, proc, rec, travel, start_is):
    stay = {"pre_days": pre, "procedure_days": proc, "recovery_days": rec, "travel_days": travel}
    s = make_scenario(data, destinations=["mexico_colombia"], stay=stay)
    t = trip_timeline(s, start, start_is)
    for i, plan in enumerate(("short", "long")):
        out, home = travel_split(travel[i])
        expected = [out, pre[i], proc[i], rec[i], home]
        runs = [t.phase(p).plan(plan) for p in ("travel_out", "pre_treatment", "procedure", "recovery", "travel_home")]
        assert [r.days if r else 0 for r in runs] == expected
        present = [r for r in runs if r]
        assert all(a.end + dt.timedelta(days=1) == b.start for a, b in itertools.pairwise(present))
        assert (runs[2] if start_is == "procedure" else present[0]).start == start
        consult = t.phase("pretravel_consult").plan(plan)
        assert (present[0].start - consult.start).days == 42 and (present[0].start - consult.end).days == 28
        regeneration = t.phase("regeneration").plan(plan)
        assert regeneration.start == runs[2].end + dt.timedelta(days=1)


def test_add_months_clips_to_month_end():
    assert add_months(D(2027, 11, 30), 3) == D(2028, 2, 29)
    assert add_months(D(2027, 8, 31), 6) == D(2028, 2, 29)
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2027, 3, 1), 12) == D(2028, 3, 1)


def test_dates_read_with_weekday():
    assert day(D(2027, 3, 1)) == "Mon 2027-03-01"
    assert day_range(D(2028, 2, 28), D(2028, 2, 29)) == "Mon 2028-02-28 – Tue 2028-02-29"
    assert day_range(D(2027, 3, 1), D(2027, 3, 1)) == "Mon 2027-03-01"


def test_short_stay_warning_for_default_stay_not_for_ten_days(data, default):
    alerts = short_stay_before_flying(default, data)
    assert [a.code for a in alerts] == ["short_stay_before_flying"]
    alert = alerts[0]
    assert alert.severity == "warning"
    assert alert.subject == "stay"
    assert alert.sources == ("asps_flying_after_procedures", "placidway_scar_stem_cell")
    assert "2-4 days" in alert.message
    assert "vendor" in alert.message
    assert "7-10 days" in alert.message
    assert "short_stay_before_flying" in {a.code for a in scenario_alerts(default, data)}
    long_stay = make_scenario(data, destinations=["mexico_colombia"], stay={"recovery_days": [10, 12]})
    assert short_stay_before_flying(long_stay, data) == []
    assert "short_stay_before_flying" not in {a.code for a in compare(long_stay, data).alerts}


def test_short_stay_warning_threshold_is_seven(data):
    six = make_scenario(data, destinations=["mexico_colombia"], stay={"recovery_days": [6, 12]})
    seven = make_scenario(data, destinations=["mexico_colombia"], stay={"recovery_days": [7, 7]})
    assert len(short_stay_before_flying(six, data)) == 1
    assert short_stay_before_flying(seven, data) == []


def test_json_shape(data, default):
    out = timeline_dict(trip_timeline(default, D(2027, 3, 1)), default.name, data.sources)
    recovery = out["phases"][4]
    assert recovery["id"] == "recovery"
    assert recovery["short"] == {"start": "2027-03-02", "end": "2027-03-03", "days": 2}
    assert recovery["long"] == {"start": "2027-03-02", "end": "2027-03-05", "days": 4}
    assert recovery["vendor_claim"] is True
    assert out["phases"][0]["vendor_claim"] is False
    assert out["stay_days"] == {"short": 4, "long": 7}
    assert out["days_away"] == {"short": 6, "long": 9}


def _events(ics: bytes):
    cal = icalendar.Calendar.from_ical(ics)
    return cal, {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_ics_parses_back_with_all_day_dates(data, default):
    t = trip_timeline(default, D(2027, 3, 1))
    stamp = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
    cal, events = _events(timeline_ics(t, default.name, data.sources, "long", stamp))
    assert str(cal["prodid"]).startswith("-//medtravel-calculator")
    assert str(cal["version"]) == "2.0"
    assert len(events) == 7
    by_label = {p.label: p for p in t.phases}
    for summary, event in events.items():
        phase = by_label[summary]
        start, end = event["dtstart"].dt, event["dtend"].dt
        assert type(start) is dt.date and type(end) is dt.date  # all-day (VALUE=DATE), not date-times
        assert start == phase.long.start
        assert end == phase.long.end + dt.timedelta(days=1)  # DTEND is exclusive
        assert event["dtstamp"].dt == stamp
        assert str(event["uid"]).endswith("@medtravel-calculator")
    recovery = events[t.phase("recovery").label]
    assert (recovery["dtstart"].dt, recovery["dtend"].dt) == (D(2027, 3, 2), D(2027, 3, 6))
    assert len({str(e["uid"]) for e in events.values()}) == 7
    _, short = _events(timeline_ics(t, default.name, data.sources, "short", stamp))
    assert short[t.phase("recovery").label]["dtend"].dt == D(2027, 3, 4)


def test_ics_leaves_out_phases_with_no_days(data):
    s = make_scenario(data, destinations=["mexico_colombia"], stay={"pre_days": 0, "travel_days": 0})
    _, events = _events(timeline_ics(trip_timeline(s, D(2027, 3, 1)), s.name, data.sources, "short"))
    assert len(events) == 4  # consult, procedure, recovery, regeneration


def test_csv_has_one_row_per_phase(data, default):
    rows = list(csv.DictReader(io.StringIO(timeline_csv(trip_timeline(default, D(2027, 3, 1))))))
    assert [r["id"] for r in rows] == list(DEFAULT_2027_03_01)
    assert rows[4]["short_end"] == "2027-03-03" and rows[4]["long_end"] == "2027-03-05"
    assert rows[4]["long_days"] == "4"


def test_frames_for_chart_and_table(data, default):
    t = trip_timeline(default, D(2027, 3, 1))
    frame = timeline_frame(t)
    assert len(frame) == 14  # 7 phases x 2 plans
    recovery = frame[(frame["phase"] == "recovery") & (frame["plan"] == "Longest plan")].iloc[0]
    assert (recovery["start"], recovery["end"], recovery["stop"]) == ("2027-03-02", "2027-03-05", "2027-03-06")
    table = timeline_table(t, data.sources)
    row = table.loc[t.phase("recovery").label]
    assert row["Shortest plan"] == "Tue 2027-03-02 – Wed 2027-03-03 (2 days)"
    assert row["Longest plan"] == "Tue 2027-03-02 – Fri 2027-03-05 (4 days)"
    assert row["Duration"].endswith("⚠")
    assert "vendor claim" in row["Source"]


@pytest.mark.parametrize("text", ["2027-02-30", "tomorrow", "2027-3-1", "", "20270301"])
def test_parse_start_refuses_non_dates(text):
    with pytest.raises(InputError, match="--start"):
        parse_start(text)


def test_parse_start_refuses_dates_outside_the_calendar_range(default):
    with pytest.raises(InputError, match="--start"):
        parse_start("9999-12-31")
    with pytest.raises(InputError, match="start"):
        trip_timeline(default, D(1, 1, 1))


def test_stay_low_above_high_is_refused(data):
    from calculator.model.errors import ScenarioError

    with pytest.raises(ScenarioError, match="recovery_days"):
        make_scenario(data, destinations=["mexico_colombia"], stay={"recovery_days": [4, 2]})


def test_default_stay_is_the_brokers():
    assert Stay().recovery_days == (2, 4) and Stay().pre_days == (1, 2)


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def scenario_file(tmp_path):
    return write_json(tmp_path / "trip.json", MEXICO_ACCEPTANCE)


def test_cli_json(scenario_file):
    r = run_cli("timeline", str(scenario_file), "--start", "2027-03-01", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    phases = {p["id"]: p for p in out["phases"]}
    for phase_id, (short, long) in DEFAULT_2027_03_01.items():
        assert phases[phase_id]["short"]["start"] == short[0].isoformat()
        assert phases[phase_id]["short"]["end"] == short[1].isoformat()
        assert phases[phase_id]["long"]["start"] == long[0].isoformat()
        assert phases[phase_id]["long"]["end"] == long[1].isoformat()
        assert phases[phase_id]["label"]


def test_cli_departure_mode(scenario_file):
    r = run_cli("timeline", str(scenario_file), "--start", "2027-02-26", "--start-is", "departure")
    assert r.returncode == 0, r.stderr
    phases = {p["id"]: p for p in json.loads(r.stdout)["phases"]}
    assert phases["procedure"]["short"]["start"] == "2027-02-28"
    assert phases["procedure"]["long"]["start"] == "2027-03-01"


def test_cli_csv(scenario_file):
    r = run_cli("timeline", str(scenario_file), "--start", "2028-02-27", "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert rows["recovery"]["short_end"] == "2028-02-29"
    assert rows["recovery"]["long_end"] == "2028-03-02"


def test_cli_ics(scenario_file):
    r = run_cli("timeline", str(scenario_file), "--start", "2027-03-01", "--format", "ics")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("BEGIN:VCALENDAR")
    _, events = _events(r.stdout.encode())
    assert len(events) >= 5
    # Each event says which trip: the treatment, the phase, the city (Mexico / Colombia's default: Mexico City).
    procedure = events["Stem-cell scar treatment: procedure, Mexico City"]
    assert (procedure["dtstart"].dt, procedure["dtend"].dt) == (D(2027, 3, 1), D(2027, 3, 2))
    assert "Stem-cell scar treatment: travel out, Mexico City" in events
    cal = icalendar.Calendar.from_ical(r.stdout.encode())
    # The comma is escaped as TEXT (RFC 5545 3.3.11), so the name stays one value; calendar apps read it back as ","
    assert str(cal["x-wr-calname"]) == "Stem-cell scar treatment\\, Mexico City: Acceptance: Mexico (longest plan)"


@pytest.mark.parametrize("start", ["2027-02-30", "next monday"])
def test_cli_bad_start(scenario_file, start):
    r = run_cli("timeline", str(scenario_file), "--start", start)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "--start" in lines[0] and "Traceback" not in r.stderr


def test_cli_bad_stay(tmp_path):
    path = write_json(tmp_path / "bad.json", {**MEXICO_ACCEPTANCE, "stay": {"pre_days": [3, 1]}})
    r = run_cli("timeline", str(path), "--start", "2027-03-01")
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.json" in lines[0] and "stay.pre_days" in lines[0]


# --- the chart and the date picker's format ------------------------------------------------------


def test_timeline_chart_is_a_gantt_of_both_plans_in_okabe_ito(default):
    from calculator.present.charts import OKABE_ITO, timeline_chart, weekend_frame

    frame = timeline_frame(trip_timeline(default, D(2027, 3, 1)))
    spec = timeline_chart(frame, "Trip").to_dict()
    weekends, bars, _ = spec["layer"]
    assert weekends["mark"]["type"] == "rect"
    assert (bars["encoding"]["x"]["field"], bars["encoding"]["x2"]["field"]) == ("start", "stop")
    assert weekends["encoding"]["x"]["scale"]["type"] == "utc"  # shared by the layers above it
    assert bars["encoding"]["color"]["scale"] == {
        "domain": ["Shortest plan", "Longest plan"],
        "range": [OKABE_ITO[4], OKABE_ITO[0]],
    }
    assert bars["encoding"]["yOffset"]["field"] == "plan"
    # 26 Feb 2027 is a Friday: the weekends touching 26 Feb - 7 Mar start on 27 Feb and 6 Mar.
    assert weekend_frame("2027-02-26", "2027-03-07")[["start", "stop"]].values.tolist() == [
        ["2027-02-27", "2027-03-01"],
        ["2027-03-06", "2027-03-08"],
    ]
    assert weekend_frame("2027-02-28", "2027-03-01")["start"].tolist() == ["2027-02-27"]  # a Sunday start


def test_one_date_format_everywhere():
    from calculator.model.formatting import DATE_INPUT_FORMAT, day

    assert DATE_INPUT_FORMAT == "YYYY-MM-DD"
    assert day(dt.date(2027, 1, 25)) == "Mon 2027-01-25"  # 25 January 2027 is a Monday
