"""The Timeline page in AppTest: dates, the chart, the short-stay warning, and the stay driving Compare's totals."""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import APP, APPTEST_TIMEOUT, wait_for_app
from tests.ui.answer import side_by_side

TIMELINE = "ui/pages/timeline.py"
RECOVERY = "Local recovery"
PROCEDURE = "Procedure"


def open_timeline(start: dt.date = dt.date(2027, 3, 1)) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    at.switch_page(TIMELINE).run()
    assert not at.exception
    at.date_input(key="in_timeline_start").set_value(start).run()
    assert not at.exception
    return at


def table(at: AppTest):
    return at.dataframe[0].value


def chart_rows(chart) -> list[dict]:
    """The rows of a chart's phase data (AppTest holds the datasets as Arrow streams beside the spec)."""
    frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]
    return [row for f in frames if "phase" in f.columns for row in f.to_dict("records")]


def weekend_rows(chart) -> list[dict]:
    frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]
    return [row for f in frames if "what" in f.columns for row in f.to_dict("records")]


def messages(at: AppTest) -> str:
    return " ".join(w.value for w in [*at.warning, *at.error, *at.success])


def test_page_shows_dates_chart_warning_and_download():
    at = open_timeline()
    frame = table(at)
    assert frame.loc[PROCEDURE, "Shortest plan"] == "Mon 2027-03-01 (1 day)"
    assert frame.loc[RECOVERY, "Shortest plan"] == "Tue 2027-03-02 – Wed 2027-03-03 (2 days)"
    assert frame.loc[RECOVERY, "Longest plan"] == "Tue 2027-03-02 – Fri 2027-03-05 (4 days)"
    assert frame.loc["Travel out", "Longest plan"] == "Fri 2027-02-26 (1 day)"
    assert frame.loc[RECOVERY, "Check"].startswith("⚠")
    assert frame.loc[RECOVERY, "Duration"] == "2-4 days ⚠"
    assert "short_stay_before_flying" in messages(at)
    assert "American Society of Plastic Surgeons" in messages(at)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2  # the trip day by day, and the whole plan
    spec = json.loads(charts[0].proto.spec)
    assert spec["layer"][1]["encoding"]["x2"]["field"] == "stop"
    trip_rows = chart_rows(charts[0])
    assert {r["phase"] for r in trip_rows} == {"travel_out", "pre_treatment", "procedure", "recovery", "travel_home"}
    long_recovery = next(r for r in trip_rows if r["phase"] == "recovery" and r["plan"] == "Longest plan")
    assert (long_recovery["start"], long_recovery["stop"]) == ("2027-03-02", "2027-03-06")
    # Weekends of the trip (26 Feb - 6 Mar 2027, drawn to the 7th) shaded: Sat 27 Feb and Sat 6 Mar, the last
    # cut at the end of the trip so that the chart's scale spans the trip's days only.
    assert [(w["start"], w["stop"]) for w in weekend_rows(charts[0])] == [
        ("2027-02-27", "2027-03-01"),
        ("2027-03-06", "2027-03-07"),
    ]
    assert "regeneration" in {r["phase"] for r in chart_rows(charts[1])}
    buttons = at.get("download_button")
    # The calendar file, and the exports: PNG / SVG / PDF under each chart, CSV / XLSX under the table.
    labels = [b.proto.label for b in buttons]
    assert labels == ["PNG", "SVG", "PDF", "CSV", "XLSX", "PNG", "SVG", "PDF", "Add to calendar (.ics)"]


def test_departure_mode_moves_the_procedure():
    at = open_timeline(dt.date(2027, 2, 26))
    at.radio(key="in_timeline_start_is").set_value("departure").run()
    frame = table(at)
    assert frame.loc["Travel out", "Shortest plan"] == "Fri 2027-02-26 (1 day)"
    assert frame.loc[PROCEDURE, "Shortest plan"] == "Sun 2027-02-28 (1 day)"
    assert frame.loc[PROCEDURE, "Longest plan"] == "Mon 2027-03-01 (1 day)"


def test_recovery_days_change_the_timeline_and_compare_totals():
    at = open_timeline()
    at.switch_page("ui/pages/compare.py").run()
    # Mexico City per diem, no fare: 4,000-12,000 + (250 + 136) x 4-7 days.
    assert side_by_side(at).loc["Total", "Mexico / Colombia"] == "USD 5,544 to 14,702 ⚠"
    at.switch_page(TIMELINE).run()
    at.slider(key="in_recovery_days").set_value((10, 12)).run()
    assert not at.exception
    frame = table(at)
    assert frame.loc[RECOVERY, "Shortest plan"] == "Tue 2027-03-02 – Thu 2027-03-11 (10 days)"
    assert frame.loc[RECOVERY, "Longest plan"] == "Tue 2027-03-02 – Sat 2027-03-13 (12 days)"
    assert frame.loc["Travel home", "Longest plan"] == "Sun 2027-03-14 (1 day)"
    assert "Check" not in frame.columns  # no empty column pushing the durations and sources aside
    assert "short_stay_before_flying" not in messages(at)
    assert "meets the 7-10 days" in messages(at)
    assert [m.value for m in at.metric][:2] == ["12-15", "14-17"]
    at.switch_page("ui/pages/compare.py").run()
    assert not at.exception
    # Stay 1-2 + 1 + 10-12 = 12-15 days: 4,000 + 386 x 12 = 8,632; 12,000 + 386 x 15 = 17,790.
    assert side_by_side(at).loc["Total", "Mexico / Colombia"] == "USD 8,632 to 17,790 ⚠"
    assert "short_stay_before_flying" not in messages(at)


def test_start_date_survives_a_page_change():
    at = open_timeline(dt.date(2028, 2, 27))
    at.switch_page("ui/pages/compare.py").run()
    at.switch_page(TIMELINE).run()
    assert at.date_input(key="in_timeline_start").value == dt.date(2028, 2, 27)
    assert table(at).loc[RECOVERY, "Shortest plan"] == "Mon 2028-02-28 – Tue 2028-02-29 (2 days)"


@pytest.mark.browser
def test_add_to_calendar_downloads_a_valid_ics(page, app_url, tmp_path):
    """Only a browser sees the download's bytes: click the button, parse the file with icalendar."""
    page.goto(f"{app_url}/timeline")
    wait_for_app(page, '[data-testid="stMain"] h1:has-text("Trip timeline")')
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 2
    with page.expect_download() as info:
        page.get_by_role("button", name="Add to calendar (.ics)").click()
    download = info.value
    assert download.suggested_filename.endswith(".ics")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 7
    for event in events:
        start, end = event["dtstart"].dt, event["dtend"].dt
        assert type(start) is dt.date and type(end) is dt.date and end > start
    assert page.console_errors == []
