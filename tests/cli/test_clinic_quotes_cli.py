"""Issue 15 on the command line: examples/clinics.json (two clinic quotes for Mexico) as JSON output.

Hand-computed (1 traveller, 1 room, stay 4-7 days, fare 650, lodging 250, daily 136): Clinica Uno
7,944 / 8,523 / 9,102 (3 hotel nights included); Clinica Dos 8,494 / 9,073 / 9,652 (4,800 + 1,200 + 300);
the broker's range 6,194 / 10,773 / 15,352.
"""

import csv
import io
import json

from tests.conftest import ROOT, run_cli


def test_compare_json_has_one_entry_per_clinic_with_its_quote():
    out = run_cli("compare", "examples/clinics.json", "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    uno, dos = doc["destinations"]
    assert (uno["id"], uno["clinic"], dos["clinic"]) == ("mexico_colombia", "Clinica Uno", "Clinica Dos")
    assert uno["total"] == {"low": 7944.0, "mid": 8523.0, "high": 9102.0}
    assert dos["total"] == {"low": 8494.0, "mid": 9073.0, "high": 9652.0}
    assert uno["quote"]["deposit"] == 500 and uno["quote"]["deposit_refundable"] is False
    assert uno["quote"]["lodging_nights_included"] == 3 and uno["incomplete"] is False
    assert dos["quote"]["extras"] == {"lab_processing": 1200, "pre_op_tests": 300}
    assert dos["quote"]["includes"] == ["harvest", "injection"]
    assert dos["quote"]["unpriced"] == ["consultation", "follow_up_visits"] and dos["incomplete"] is True
    [warning] = [w for w in dos["warnings"] if w["code"] == "package_item_unpriced"]
    assert "consultation and follow-up visits" in warning["message"]
    [broker] = doc["broker_ranges"]
    assert (broker["id"], broker["total"]) == ("mexico_colombia", {"low": 6194.0, "mid": 10773.0, "high": 15352.0})


def test_version_1_example_json_keeps_its_totals_and_has_no_clinic():
    doc = json.loads(run_cli("compare", "examples/mexico.json", "--format", "json").stdout)
    [mexico] = doc["destinations"]
    assert mexico["total"] == {"low": 6194.0, "mid": 10773.0, "high": 15352.0}
    assert (mexico["clinic"], mexico["quote"], doc["broker_ranges"]) == (None, None, [])


def test_batch_examples_still_read_and_the_json_list_form_runs(tmp_path):
    for name in ("batch.csv", "batch.jsonl"):
        out = run_cli("batch", f"examples/{name}", "-o", str(tmp_path / f"{name}.csv"))
        assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "batch.jsonl.csv").read_text())))
    assert (rows[0]["scenario"], rows[0]["total_mid"]) == ("Client A: Mexico alone", "10773.00")
    listed = tmp_path / "clinics.json"
    listed.write_text(json.dumps([json.loads((ROOT / "examples" / "clinics.json").read_text())]))
    out = run_cli("batch", str(listed), "-o", str(tmp_path / "out.csv"))
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text())))
    assert [(r["clinic"], r["total_mid"], r["unpriced_items"]) for r in rows] == [
        ("Clinica Uno", "8523.00", ""),
        ("Clinica Dos", "9073.00", "consultation;follow_up_visits"),
    ]
