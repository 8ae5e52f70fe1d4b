"""Saved scenarios as tables and a chart (calculator.present.saved, calculator.present.charts.scenarios_chart)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from calculator.model.compare import compare
from calculator.model.data import DataBundle
from calculator.present.charts import OKABE_ITO, scenarios_chart
from calculator.present.saved import (
    export_file_name,
    history_frame,
    records_frame,
    scenarios_display,
    scenarios_frame,
)
from calculator.storage.records import Revision, SavedScenario
from tests.conftest import MEXICO_ACCEPTANCE, make_scenario


@pytest.fixture
def two(data: DataBundle):
    one = compare(make_scenario(data, **MEXICO_ACCEPTANCE), data)
    eur = compare(make_scenario(data, **{**MEXICO_ACCEPTANCE, "name": "In euros", "currency": "EUR"}), data)
    return [("A", one), ("B", eur)]


def test_scenarios_frame_has_home_and_each_destination(two):
    frame = scenarios_frame(two[:1])
    home, mexico = frame.to_dict("records")
    assert (home["place"], home["is_home"], home["total_low"], home["total_high"]) == (
        "United States / Western Europe (home)",
        True,
        15_000,
        25_000,
    )
    assert math.isnan(home["savings_mid"])
    # Issue 2's acceptance figures: total 6,194 / 10,773 / 15,352; savings -352 / 9,227 / 18,806.
    assert [round(mexico[k]) for k in ("total_low", "total_mid", "total_high")] == [6194, 10773, 15352]
    assert [round(mexico[k]) for k in ("savings_low", "savings_mid", "savings_high")] == [-352, 9227, 18806]
    assert mexico["savings_pct_mid"] == pytest.approx(100 * 9227 / 20_000)


def test_scenarios_display_formats_each_row_in_its_currency(two):
    shown = scenarios_display(scenarios_frame(two))
    assert shown.iloc[1].to_dict() == {
        "Scenario": "A",
        "Where": "Mexico / Colombia",
        "Total, mid": "USD 10,773",
        "Total, low to high": "USD 6,194 to 15,352",
        "You save, mid": "USD 9,227",
        "You save, worst to best": "USD -352 to 18,806",
        "You save, mid (%)": "46.1%",
    }
    assert shown.iloc[0]["You save, mid"] == ""
    assert shown.iloc[2]["Total, mid"].startswith("EUR ")


def test_scenarios_chart_groups_by_place_and_colours_by_scenario(two):
    frame = scenarios_frame(two)
    spec = scenarios_chart(frame, "t").to_dict()
    bars, whisker = spec["layer"]
    assert bars["encoding"]["yOffset"]["field"] == "scenario"
    assert bars["encoding"]["color"]["scale"] == {"domain": ["A", "B"], "range": OKABE_ITO[:2]}
    assert whisker["encoding"]["x"]["field"] == "total_low" and whisker["encoding"]["x2"]["field"] == "total_high"
    assert "each scenario's own currency" in bars["encoding"]["x"]["title"]
    same = scenarios_chart(scenarios_frame(two[:1]), "t").to_dict()
    assert "(USD)" in same["layer"][0]["encoding"]["x"]["title"]


def test_records_and_history_frames():
    t = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
    rec = SavedScenario("Ana", "Mexico", t, t, None, 2, "mexico_colombia · USD · 1 traveller")
    assert records_frame([rec]).iloc[0][["Name", "Client", "Revisions"]].tolist() == ["Mexico", "Ana", 2]
    revs = [Revision(1, t, 1, "saved", {"destinations": ["a"]}), Revision(2, t, 0, "draft", {"regions": ["b"]})]
    assert history_frame(revs)[["Revision", "Note", "Summary"]].values.tolist() == [
        [2, "draft", "b · USD · 1 traveller"],
        [1, "saved", "a · USD · 1 traveller"],
    ]
    assert records_frame([]).empty and records_frame([]).columns[0] == "Name"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Client A: Mexico vs Turkey", "Client-A-Mexico-vs-Turkey.json"),
        ("../../etc/passwd", "etc-passwd.json"),
        ("Ünïcode only ✓", "n-code-only.json"),
        ("???", "scenario.json"),
        ("x" * 100, "x" * 60 + ".json"),
    ],
)
def test_export_file_name_is_safe(name: str, expected: str):
    assert export_file_name(name) == expected
