"""The scenario file: defaults, round trip, and bad input refused with the key named."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator.model.errors import ScenarioError
from calculator.model.scenario import Scenario, json_schema, load_scenario_text, parse_scenario, scenario_json


def test_defaults_match_the_readme(data):
    s = parse_scenario({"destinations": ["mexico_colombia"]}, data, "f.json", default_name="f")
    assert s.name == "f"
    assert (s.currency, s.home, s.travellers, s.rooms, s.sessions) == ("USD", "us_western_europe", 1, 1, 1)
    assert s.stay.pre_days == (1, 2)
    assert s.stay.procedure_days == (1, 1)
    assert s.stay.recovery_days == (2, 4)
    assert s.stay.travel_days == (2, 2)
    assert (s.insurance, s.follow_up_trips, s.follow_up_nights, s.contingency_pct, s.lost_income_per_day) == (
        0,
        0,
        2,
        0,
        0,
    )
    assert s.stay.stay_days.low == 4
    assert s.stay.stay_days.high == 7


def test_round_trip_through_json(data):
    raw = {
        "name": "Client A",
        "destinations": ["mexico_colombia", "turkey_thailand"],
        "travellers": 2,
        "stay": {"pre_days": [1, 2], "recovery_days": 3},
        "travel": {"mexico_colombia": {"fare_per_traveller": 650, "city": "bogota"}},
        "quotes": {"turkey_thailand": {"low": 5200, "high": 5200, "clinic": "Example"}},
        "checklist": {"mexico_colombia": {"gmp_lab": "claimed"}},
    }
    s = parse_scenario(raw, data, "x")
    text = scenario_json(s)
    assert json.loads(text)["stay"]["recovery_days"] == 3
    assert json.loads(text)["stay"]["pre_days"] == [1, 2]
    assert load_scenario_text(text, data, "again") == s


@pytest.mark.parametrize(
    ("raw", "where", "problem"),
    [
        ({"destinations": ["atlantis"]}, "destinations[0]", "unknown destination 'atlantis'"),
        ({"destinations": []}, "destinations", "at least 1 item"),
        ({}, "destinations", "Field required"),
        ({"destinations": ["mexico_colombia"], "insurance": -1}, "insurance", "greater than or equal to 0"),
        ({"destinations": ["mexico_colombia"], "travellers": 0}, "travellers", "greater than or equal to 1"),
        (
            {"destinations": ["mexico_colombia"], "stay": {"recovery_days": [4, 2]}},
            "stay.recovery_days",
            "low (4) is above high (2)",
        ),
        (
            {"destinations": ["mexico_colombia"], "quotes": {"mexico_colombia": {"low": 9, "high": 1}}},
            "quotes.mexico_colombia",
            "low (9) is above high (1)",
        ),
        ({"destinations": ["mexico_colombia"], "currency": "XYZ"}, "currency", "no bundled rate for 'XYZ'"),
        (
            {"destinations": ["mexico_colombia"], "checklist": {"mexico_colombia": {"gmp_lab": "maybe"}}},
            "checklist.mexico_colombia.gmp_lab",
            "Input should be",
        ),
        (
            {"destinations": ["mexico_colombia"], "checklist": {"mexico_colombia": {"nope": "verified"}}},
            "checklist.mexico_colombia.nope",
            "unknown checklist item",
        ),
        ({"destinations": ["mexico_colombia"], "schema_version": 3}, "schema_version", "unsupported version 3"),
        (
            {"destinations": ["mexico_colombia"], "travel": {"india_malaysia": {}}},
            "travel.india_malaysia",
            "is not one of the scenario's destinations",
        ),
        ({"destinations": ["mexico_colombia"], "surprise": 1}, "surprise", "Extra inputs are not permitted"),
        ({"destinations": ["mexico_colombia"], "insurance": float("nan")}, "insurance", "finite number"),
    ],
)
def test_bad_input_names_the_key(data, raw, where, problem):
    with pytest.raises(ScenarioError) as err:
        parse_scenario(raw, data, "client.json")
    assert err.value.where == f"client.json: {where}"
    assert problem in err.value.problem


def test_not_json_names_line_and_column(data):
    with pytest.raises(ScenarioError, match=r"^c.json: not valid JSON \(line 1, column 2"):
        load_scenario_text("{destinations", data, "c.json")


def test_json_schema_names_the_contract_keys():
    props = json_schema()["properties"]
    assert {"schema_version", "destinations", "stay", "travel", "quotes", "checklist"} <= set(props)
    assert "destinations" in json_schema()["required"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
keys = st.sampled_from(
    ["destinations", "travellers", "stay", "travel", "quotes", "currency", "insurance", "checklist", "name", "rooms"]
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, json_values, max_size=6))
def test_any_json_object_is_a_scenario_or_one_clear_error(data, raw):
    try:
        s = parse_scenario(raw, data, "fuzz.json")
    except ScenarioError as err:
        assert str(err).startswith("fuzz.json")
        assert "\n" not in err.problem
    else:
        assert isinstance(s, Scenario)
