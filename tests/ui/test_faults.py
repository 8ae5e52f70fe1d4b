"""Faults a user may meet: a missing or corrupt data file, a read-only data folder."""

import os
import shutil
import stat
import subprocess
import sys

from streamlit.testing.v1 import AppTest

from calculator.model.data import DATA_DIR
from tests.conftest import APP, APPTEST_TIMEOUT, ROOT, shown
from tests.ui.answer import answer_text


def run_with_data(folder, monkeypatch) -> AppTest:
    monkeypatch.setenv("CALC_DATA_DIR", str(folder))
    at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
    at.run()
    return at


def test_corrupt_data_file_gives_a_clear_page(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    (folder / "costs.csv").write_text("procedure,region_id\nstem_cell_scar\n", encoding="utf-8")
    at = run_with_data(folder, monkeypatch)
    assert not at.exception
    assert len(at.error) == 1
    assert shown(at.error[0].value).startswith(
        "A data file could not be loaded, so the calculator cannot run: costs.csv"
    )


def test_missing_data_file_gives_a_clear_page(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    (folder / "claims.yaml").unlink()
    at = run_with_data(folder, monkeypatch)
    assert not at.exception
    assert "claims.yaml: cannot be read" in shown(at.error[0].value)


def test_app_runs_on_a_read_only_data_folder(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    for path in folder.iterdir():
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    try:
        at = run_with_data(folder, monkeypatch)
        assert not at.exception
        assert not [e for e in at.error if e.value.startswith("A data file could not be loaded")]
        assert answer_text(at).startswith("Home vs")
        assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    finally:
        folder.chmod(0o755)


def test_cli_names_a_corrupt_data_file(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    (folder / "fx_rates.csv").write_text("currency,name,per_eur,rate_date,source_id\nUSD,US dollar,abc,2026-04-13,x\n")
    result = subprocess.run(
        [sys.executable, "-m", "calculator", "--data", str(folder), "compare", str(ROOT / "examples/mexico.json")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "error: fx_rates.csv, line 2, column 'per_eur': "
        "Input should be a valid number, unable to parse string as a number"
    )
