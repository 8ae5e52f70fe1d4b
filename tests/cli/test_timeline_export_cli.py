"""The timeline's table format on the command line, and export saying what it wrote."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

from calculator.model.data import load_data
from calculator.model.scenario import parse_scenario
from calculator.present.timeline_files import trip_place
from tests.conftest import MEXICO_ACCEPTANCE, ROOT, run_cli, write_json


def test_timeline_table_reads_one_line_per_phase_with_iso_dates(tmp_path):
    path = write_json(tmp_path / "trip.json", MEXICO_ACCEPTANCE)
    r = run_cli("timeline", str(path), "--start", "2027-03-01", "--format", "table")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "Acceptance: Mexico: procedure on 2027-03-01 (⚠ = a vendor's claim)"
    procedure = next(line for line in lines if line.startswith("Procedure"))
    assert "Mon 2027-03-01 (1 day)" in procedure and "1 day ⚠" in procedure  # 1 March 2027 is a Monday
    assert len(lines) < 20  # not 150 lines of JSON


def test_timeline_defaults_to_json_for_a_pipe_and_to_the_table_on_a_terminal(tmp_path):
    path = write_json(tmp_path / "trip.json", MEXICO_ACCEPTANCE)
    piped = run_cli("timeline", str(path), "--start", "2027-03-01")
    assert json.loads(piped.stdout)["start"] == "2027-03-01"
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "calculator", "timeline", str(path), "--start", "2027-03-01"]
    proc = subprocess.run(args, stdout=follower, stderr=subprocess.PIPE, cwd=ROOT, env=env, timeout=120)
    os.close(follower)
    out = b""
    try:
        while chunk := os.read(leader, 65536):
            out += chunk
    except OSError:  # the terminal closed: everything is read
        pass
    os.close(leader)
    assert proc.returncode == 0, proc.stderr
    assert out.decode().startswith("Acceptance: Mexico: procedure on 2027-03-01")


def test_export_prints_the_path_it_wrote(tmp_path):
    path = write_json(tmp_path / "trip.json", MEXICO_ACCEPTANCE)
    out = tmp_path / "table.csv"
    r = run_cli("export", str(path), "--table", "compare", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"{out}\n" and out.is_file()


def test_trip_place_names_each_destinations_city():
    data = load_data()
    raw = {"destinations": ["mexico_colombia", "turkey_thailand"], "travel": {"turkey_thailand": {"city": "bangkok"}}}
    assert trip_place(parse_scenario(raw, data, "test"), data) == "Mexico City or Bangkok"
