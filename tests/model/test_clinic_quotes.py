"""Issue 15: several itemised clinic quotes per destination, each its own column (hand-computed totals).

Mexico, 1 traveller, 1 room, stay 4-7 days, fare 650, lodging 250 a night, daily 136:
- Clinica Uno 6,500, every package item included, 3 hotel nights included:
  6,500 + 650 + 250 x (4-3 .. 7-3) + 136 x (4 .. 7) = 7,944 / 8,523 / 9,102.
- Clinica Dos 4,800 + extras 1,200 + 300 = 6,300, no nights included:
  6,300 + 650 + 250 x (4 .. 7) + 136 x (4 .. 7) = 8,494 / 9,073 / 9,652.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calculator.model.compare import compare
from calculator.model.errors import ScenarioError
from calculator.model.scenario import load_scenario_file, parse_scenario, scenario_json
from calculator.storage.payloads import upgrade_payload

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CLINICS = json.loads((EXAMPLES / "clinics.json").read_text())


def totals(result) -> tuple[float, float, float]:
    return (round(float(result.total.low), 2), round(float(result.total.mid), 2), round(float(result.total.high), 2))


@pytest.fixture
def clinics(data):
    return compare(parse_scenario(CLINICS, data, "clinics.json"), data)


def test_each_clinic_is_its_own_column_with_hand_computed_totals(clinics):
    uno, dos = clinics.destinations
    assert (uno.id, uno.clinic, uno.label) == ("mexico_colombia", "Clinica Uno", "Mexico / Colombia · Clinica Uno")
    assert totals(uno) == (7944, 8523, 9102)
    assert totals(dos) == (8494, 9073, 9652)
    assert uno.parts["lodging"].value.as_dict() == {"low": 250, "mid": 625, "high": 1000}  # 3 nights not paid again
    assert dos.parts["procedure"].value.as_dict() == {"low": 6300, "mid": 6300, "high": 6300}  # 4,800 + 1,200 + 300


def test_an_unpriced_item_is_a_warning_naming_it_not_a_silent_zero(clinics):
    uno, dos = clinics.destinations
    assert uno.unpriced == () and not uno.incomplete
    assert dos.unpriced == ("consultation", "follow_up_visits") and dos.incomplete
    [alert] = [a for a in dos.alerts if a.code == "package_item_unpriced"]
    assert "ask Clinica Dos the price of consultation and follow-up visits" in alert.message
    assert alert.severity == "warning" and "placidway_scar_stem_cell" in alert.sources
    assert not [a for a in uno.alerts if a.code == "package_item_unpriced"]


def test_the_deposit_is_beside_the_clinic_not_in_the_total(clinics):
    uno = clinics.destinations[0]
    assert (uno.quote.deposit, uno.quote.deposit_refundable) == (500, False)
    assert "deposit" not in uno.parts and totals(uno)[0] == 7944


def test_the_brokers_range_stays_as_a_reference_column(clinics):
    [broker] = clinics.broker_ranges
    assert (broker.id, broker.clinic) == ("mexico_colombia", None)
    assert totals(broker) == (6194, 10773, 15352)  # issue 2's hand-computed Mexico totals


def test_a_clinics_checklist_answers_override_the_destinations(data):
    raw = {**CLINICS, "checklist": {"mexico_colombia": {"jci_accreditation": "claimed", "gmp_lab": "verified"}}}
    uno, dos = compare(parse_scenario(raw, data, "t"), data).destinations
    assert (uno.diligence.verified, dos.diligence.verified) == (2, 1)  # Uno: its own JCI + the destination's GMP
    assert not [a for a in uno.alerts if a.code == "unverified_checklist_item"]
    [claimed] = [a for a in dos.alerts if a.code == "unverified_checklist_item"]
    assert claimed.message.startswith("Mexico / Colombia · Clinica Dos: “JCI")


def test_version_2_round_trips_and_a_single_object_reads_as_one_clinic(data):
    scenario = parse_scenario(CLINICS, data, "t")
    again = parse_scenario(json.loads(scenario_json(scenario)), data, "t")
    assert again == scenario and again.schema_version == 2
    single = parse_scenario(
        {**CLINICS, "quotes": {"mexico_colombia": {"low": 6500, "high": 6500, "clinic": "Solo"}}}, data, "t"
    )
    assert [q.clinic for q in single.quotes["mexico_colombia"]] == ["Solo"]


@pytest.mark.parametrize(
    ("quote", "key", "problem"),
    [
        ({"low": 1, "high": 1, "includes": ["massage"]}, "quotes.mexico_colombia[0].includes", "unknown package item"),
        ({"low": 1, "high": 1, "extras": {"massage": 5}}, "quotes.mexico_colombia[0].extras", "unknown package item"),
        ({"low": 1, "high": 1, "includes": ["harvest"], "extras": {"harvest": 5}}, "quotes.mexico_colombia", "both"),
        ({"low": 1, "high": 1, "extras": {"harvest": -5}}, "quotes.mexico_colombia.extras.harvest", "greater than"),
        ({"low": 1, "high": 1, "deposit": -1}, "quotes.mexico_colombia.deposit", "greater than"),
    ],
)
def test_a_bad_clinic_quote_names_its_key(data, quote, key, problem):
    with pytest.raises(ScenarioError) as err:
        parse_scenario({**CLINICS, "quotes": {"mexico_colombia": quote}}, data, "f.json")
    assert err.value.where == f"f.json: {key}" and problem in err.value.problem


def test_two_clinics_with_one_name_are_refused(data):
    twice = [{"clinic": "A", "low": 1, "high": 1}, {"clinic": "A", "low": 2, "high": 2}]
    with pytest.raises(ScenarioError, match="listed twice"):
        parse_scenario({**CLINICS, "quotes": {"mexico_colombia": twice}}, data, "f.json")


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_every_example_reads_and_the_upgrade_keeps_its_totals(data, path):
    raw = json.loads(path.read_text())
    scenario = load_scenario_file(path, data)
    assert scenario.schema_version == 2
    upgraded = parse_scenario(upgrade_payload(raw), data, "upgraded")
    assert [totals(d) for d in compare(upgraded, data).destinations] == [
        totals(d) for d in compare(scenario, data).destinations
    ]


def test_version_1_mexico_example_gives_issue_2s_totals(data):
    assert json.loads((EXAMPLES / "mexico.json").read_text())["schema_version"] == 1
    [mexico] = compare(load_scenario_file(EXAMPLES / "mexico.json", data), data).destinations
    assert totals(mexico) == (6194, 10773, 15352)


def _batch_rows(text: str, data) -> list[dict[str, str]]:
    import csv
    import io

    from calculator.model.batch import run_rows
    from calculator.model.batch_files import read_text_rows
    from calculator.present.batch_csv import write_results

    result, errors = run_rows(read_text_rows(text, "batch.jsonl"), data, "batch.jsonl")
    assert errors == []
    buf = io.StringIO()
    write_results(result, buf)
    return list(csv.DictReader(io.StringIO(buf.getvalue())))


def test_batch_json_lines_take_the_list_form_one_row_per_clinic(data):
    rows = _batch_rows(json.dumps(CLINICS) + "\n" + json.dumps({**CLINICS, "name": "again"}) + "\n", data)
    assert [(r["scenario"], r["clinic"]) for r in rows] == [
        ("Mexico: two clinic quotes", "Clinica Uno"),
        ("Mexico: two clinic quotes", "Clinica Dos"),
        ("again", "Clinica Uno"),
        ("again", "Clinica Dos"),
    ]
    assert [rows[0][f"total_{e}"] for e in ("low", "mid", "high")] == ["7944.00", "8523.00", "9102.00"]
    assert [rows[1][f"total_{e}"] for e in ("low", "mid", "high")] == ["8494.00", "9073.00", "9652.00"]
    assert (rows[0]["unpriced_items"], rows[1]["unpriced_items"]) == ("", "consultation;follow_up_visits")
