"""The clinic-quote table of the sidebar: built from quotes and read back to the same quotes."""

import json
from pathlib import Path

import pandas as pd

from calculator.model.scenario import parse_scenario
from calculator.present.clinic_quotes import quotes_frame, quotes_from_frame

CLINICS = json.loads((Path(__file__).resolve().parents[2] / "examples" / "clinics.json").read_text())


def test_the_table_round_trips_every_clinic_field(data):
    scenario = parse_scenario(CLINICS, data, "t")
    quotes = scenario.clinic_quotes("mexico_colombia")
    frame = quotes_frame(quotes, data.package_items)
    assert list(frame["clinic"]) == ["Clinica Uno", "Clinica Dos"]
    assert bool(frame.loc[1, "inc_harvest"]) and not frame.loc[1, "inc_consultation"]
    assert frame.loc[1, "extra_lab_processing"] == 1200
    back = quotes_from_frame(frame, data.package_items, quotes)
    again = parse_scenario({**CLINICS, "quotes": {"mexico_colombia": back}}, data, "t")
    assert again == scenario  # Clinica Uno's checklist answer is kept by its name


def test_an_empty_table_and_a_row_without_a_price_give_no_quote(data):
    empty = quotes_frame([], data.package_items)
    assert quotes_from_frame(empty, data.package_items) == []
    named_only = pd.concat([empty, pd.DataFrame([{"clinic": "Not yet priced"}])], ignore_index=True)
    assert quotes_from_frame(named_only, data.package_items) == []


def test_a_row_that_ticks_nothing_does_not_say_what_it_includes(data):
    frame = pd.concat(
        [quotes_frame([], data.package_items), pd.DataFrame([{"clinic": "Plain", "low": 5000.0}])], ignore_index=True
    )
    assert quotes_from_frame(frame, data.package_items) == [{"low": 5000.0, "high": 5000.0, "clinic": "Plain"}]
