"""Timeline: the trip as dated phases (shortest and longest plan), a Gantt chart, a table, a calendar file."""

import datetime as dt

import streamlit as st

from calculator.model.alerts import short_stay_before_flying
from calculator.model.compare import compare
from calculator.model.errors import InputError
from calculator.model.formatting import DATE_INPUT_FORMAT, day_range, plain_text
from calculator.model.timeline import (
    EARLIEST,
    FLYING_GUIDANCE_DAYS,
    LATEST,
    PLAN_LABELS,
    START_CHOICES,
    TRIP_PHASES,
    trip_timeline,
)
from calculator.present.chart_files import timeline_figure
from calculator.present.chart_frame import chart_bytes
from calculator.present.charts import timeline_chart
from calculator.present.export_meta import file_name
from calculator.present.table_files import timeline_table_bytes
from calculator.present.timeline_files import dates_text, timeline_frame, timeline_ics, timeline_table, trip_place
from ui import downloads, sidebar, state, widgets

# The chosen start, kept under keys that are not widget keys so it survives page changes.
START_KEY, START_IS_KEY = "timeline_start", "timeline_start_is"

data = state.data()
scenario = sidebar.scenario_inputs(data)

st.title("Trip timeline")
st.caption(
    f"{plain_text(scenario.name)} · the trip as dated phases for the shortest plan (every range at its low end) "
    "and the longest (every range at its high end). The days at the destination are the ones the Compare page prices. "
    "⚠ = the duration is a vendor's claim."
)
widgets.not_medical_advice()

st.session_state.setdefault(START_KEY, dt.date.today() + dt.timedelta(weeks=8))
st.session_state.setdefault(START_IS_KEY, "procedure")
for widget_key, stored_key in (("in_timeline_start", START_KEY), ("in_timeline_start_is", START_IS_KEY)):
    st.session_state[widget_key] = st.session_state.get(widget_key, st.session_state[stored_key])

col_mode, col_date, _ = st.columns([2, 2, 3])
start_is = col_mode.radio(
    "The date I pick is the",
    START_CHOICES,
    format_func={"procedure": "procedure day", "departure": "departure day (travel out)"}.get,
    key="in_timeline_start_is",
    help="Pick the procedure day the clinic offers, or the day you set off.",
)
start = col_date.date_input(
    "Procedure day" if start_is == "procedure" else "Departure day",
    min_value=EARLIEST,
    max_value=LATEST,
    format=DATE_INPUT_FORMAT,
    key="in_timeline_start",
)
st.session_state[START_KEY], st.session_state[START_IS_KEY] = start, start_is

try:
    timeline = trip_timeline(scenario, start, start_is)
except InputError as err:
    st.error(f"No timeline for this date: {plain_text(err.problem)}", icon="🚫")
    st.stop()

cols = st.columns([1, 1, 2])
cols[0].metric(
    "Days at the destination",
    f"{timeline.stay_days[0]}-{timeline.stay_days[1]}",
    help="pre-treatment + procedure + recovery: the days (and nights) the Compare page prices for lodging and "
    "daily costs.",
)
cols[1].metric("Days away from home", f"{timeline.days_away[0]}-{timeline.days_away[1]}", help="Stay + travel days.")
cols[2].markdown(
    "\n".join(
        f"- **{PLAN_LABELS[p]}:** away {day_range(timeline.trip(p).start, timeline.trip(p).end)}" for p in PLAN_LABELS
    )
)

frame = timeline_frame(timeline)
st.altair_chart(
    timeline_chart(frame[frame["phase"].isin(TRIP_PHASES)], f"{scenario.name}: the trip, day by day"),
    width="stretch",
)
downloads.chart_downloads(
    "dl_timeline_trip",
    lambda fmt: chart_bytes(timeline_figure(timeline, scenario.name, data, dt.date.today(), trip_only=True), fmt),
    scenario.name,
    "timeline-trip",
)

short_stay = short_stay_before_flying(scenario, data)
low, high = FLYING_GUIDANCE_DAYS
st.header("Dates")
st.dataframe(
    timeline_table(
        timeline,
        data.sources,
        {"recovery": f"⚠ under {low}-{high} days before flying"} if short_stay else {},
    ),
    width="stretch",
    column_config={
        "_index": st.column_config.TextColumn(width="medium"),
        "Check": st.column_config.TextColumn(width="medium"),
    },
)
downloads.table_downloads(
    "dl_timeline_table",
    lambda fmt: timeline_table_bytes(timeline, compare(scenario, data), data, fmt),
    scenario.name,
    "timeline",
)
recovery = timeline.phase("recovery")
st.markdown(
    f"**Recovery before the flight home** · {PLAN_LABELS['short'].lower()}: {dates_text(recovery.short)} · "
    f"{PLAN_LABELS['long'].lower()}: {dates_text(recovery.long)}"
)
if short_stay:
    widgets.alerts(short_stay, data)
else:
    st.success(f"The shortest plan's recovery meets the {low}-{high} days advised before flying.", icon="✅")

st.altair_chart(timeline_chart(frame, f"{scenario.name}: the whole plan"), width="stretch")
downloads.chart_downloads(
    "dl_timeline_plan",
    lambda fmt: chart_bytes(timeline_figure(timeline, scenario.name, data, dt.date.today()), fmt),
    scenario.name,
    "timeline-plan",
)

st.header("Add to calendar")
plan = st.radio(
    "Plan for the calendar",
    list(PLAN_LABELS),
    index=1,
    format_func=PLAN_LABELS.get,
    horizontal=True,
    key="timeline_ics_plan",
    help="One all-day event per phase of the plan you pick.",
)
treatment = data.procedure_info[scenario.procedure].name if scenario.procedure in data.procedure_info else None
st.download_button(
    "Add to calendar (.ics)",
    data=timeline_ics(timeline, scenario.name, data.sources, plan, None, treatment, trip_place(scenario, data)),
    file_name=file_name(scenario.name, f"calendar-{PLAN_LABELS[plan]}", "ics", timeline.start),
    mime="text/calendar",
    on_click="ignore",
    icon="📅",
    help="An iCalendar file for Google Calendar, Outlook or Apple Calendar.",
)

with st.expander("Sources of every duration on this page"):
    ids = dict.fromkeys(s for p in timeline.phases for s in p.sources)
    for source_id in [*ids, *(s for a in short_stay for s in a.sources if s not in ids)]:
        st.markdown(f"- {widgets.cite([source_id], data)}")
