"""``python -m calculator compare`` in a subprocess: json, csv, table, and bad input."""

import csv
import io
import json

from tests.conftest import MEXICO_ACCEPTANCE, ROOT, run_cli, write_json


def test_compare_json_acceptance(tmp_path):
    path = write_json(tmp_path / "mexico.json", MEXICO_ACCEPTANCE)
    result = run_cli("compare", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["scenario"] == "Acceptance: Mexico"
    assert out["currency"] == "USD"
    dest = out["destinations"][0]
    assert dest["id"] == "mexico_colombia"
    assert dest["total"] == {"low": 6194.0, "mid": 10773.0, "high": 15352.0}
    assert dest["savings"] == {"low": -352.0, "mid": 9227.0, "high": 18806.0}
    assert dest["savings_pct"] == {"low": -2.35, "mid": 46.13, "high": 75.22}
    assert dest["stated_savings_pct"] == [50.0, 70.0]
    assert dest["components"]["flights"]["low"] == 650.0
    assert {w["code"] for w in dest["warnings"]} == {
        "vendor_claim_price",
        "stated_savings_excludes_travel",
        "regulatory_restriction",
        "critical_item_not_verified",
        "package_inclusions_unverified",
    }
    top = {w["code"] for w in out["warnings"]}
    assert top == {
        "vendor_claim_price",
        "open_ended_high",
        "experimental_treatment",
        "short_stay_before_flying",
        "regulatory_restriction",
    }
    assert all(set(w) >= {"code", "severity", "message", "sources"} for w in out["warnings"])
    assert out["home"]["total"] == {"low": 15000.0, "mid": 20000.0, "high": 25000.0}
    assert out["home"]["open_high"] is True  # the broker's "$25,000+"
    assert dest["open_high"] is False


def test_compare_with_a_written_home_quote(tmp_path):
    """quotes.home 18,000: home total 18,000; savings 18,000 - 15,352 / 18,000 - 10,773 / 18,000 - 6,194."""
    scenario = {**MEXICO_ACCEPTANCE, "quotes": {"home": {"low": 18000, "high": 18000, "clinic": "Home Clinic"}}}
    path = write_json(tmp_path / "home_quote.json", scenario)
    result = run_cli("compare", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["home"]["total"] == {"low": 18000.0, "mid": 18000.0, "high": 18000.0}
    assert out["home"]["open_high"] is False
    assert out["home"]["components"]["procedure"]["sources"] == ["user_input"]
    dest = out["destinations"][0]
    assert dest["savings"] == {"low": 2648.0, "mid": 7227.0, "high": 11806.0}
    top = {w["code"] for w in out["warnings"]}
    assert "vendor_claim_price" not in top and "open_ended_high" not in top
    # The stated-savings check still tests the broker's own table.
    assert dest["procedure_only_savings_pct"] == [52.0, 73.33]
    assert "stated_savings_excludes_travel" in {w["code"] for w in dest["warnings"]}


def test_usd_with_a_rate_other_than_one_is_refused(tmp_path):
    path = write_json(tmp_path / "usd_rate.json", {**MEXICO_ACCEPTANCE, "fx_rate": 1.2})
    result = run_cli("compare", str(path), "--format", "json")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: {path}: fx_rate: fx_rate is 1.2 but currency is USD: the data are in USD, so leave fx_rate out (or 1)"
    )


def test_compare_missing_fare_is_left_out_not_zero(tmp_path):
    path = write_json(tmp_path / "nofare.json", {"destinations": ["india_malaysia"]})
    out = json.loads(run_cli("compare", str(path), "--format", "json").stdout)
    dest = out["destinations"][0]
    assert dest["components"]["flights"] is None
    # New Delhi per diem: lodging 196 x 4-7 nights, M&IE 116 x 4-7 days, procedure 2,500-8,000
    assert dest["total"]["low"] == 2500 + 196 * 4 + 116 * 4
    assert dest["total"]["high"] == 8000 + 196 * 7 + 116 * 7
    missing = [w for w in dest["warnings"] if w["code"] == "missing_input"]
    assert len(missing) == 1
    assert missing[0]["subject"] == "flights"
    assert dest["components"]["lodging"]["sources"] == ["state_dept_per_diem_2026_04"]


def test_compare_csv_has_one_row_per_component(tmp_path):
    path = write_json(tmp_path / "mexico.json", MEXICO_ACCEPTANCE)
    result = run_cli("compare", str(path), "--format", "csv")
    assert result.returncode == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    total = next(r for r in rows if r["target"] == "mexico_colombia" and r["row"] == "total")
    assert (float(total["low"]), float(total["mid"]), float(total["high"])) == (6194, 10773, 15352)
    savings = next(r for r in rows if r["target"] == "mexico_colombia" and r["row"] == "savings")
    assert float(savings["low"]) == -352
    assert rows[0]["scenario"] == "Acceptance: Mexico"


def test_compare_table_reads_like_the_page(tmp_path):
    path = write_json(tmp_path / "mexico.json", MEXICO_ACCEPTANCE)
    out = run_cli("compare", str(path), "--format", "table").stdout
    assert "USD 6,194 to 15,352" in out
    assert "USD -352 to 18,806" in out
    assert "USD 9,227 (46.1%)" in out
    assert "experimental_treatment" in out


def test_example_files_run():
    for name in ("mexico.json", "three_destinations.json"):
        result = run_cli("compare", str(ROOT / "examples" / name), "--format", "json")
        assert result.returncode == 0, result.stderr


def test_bad_input_exits_2_with_one_line(tmp_path):
    path = write_json(tmp_path / "bad.json", {"destinations": ["mexico_colombia"], "travellers": 0})
    result = run_cli("compare", str(path), "--format", "json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}: travellers:")
    assert "Traceback" not in result.stderr


def test_unreadable_and_malformed_files_exit_2(tmp_path):
    missing = run_cli("compare", str(tmp_path / "nope.json"))
    assert missing.returncode == 2
    assert "nope.json: cannot be read" in missing.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = run_cli("compare", str(broken))
    assert result.returncode == 2
    assert "broken.json: not valid JSON (line 1, column 2" in result.stderr
    assert result.stdout == ""
