"""``python -m calculator scenarios``: save, list, show, history, delete, restore, purge (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.schema import CreateSchema, DropSchema

from calculator.cli.main import main
from calculator.model.data import DataBundle
from calculator.model.scenario import load_scenario_file, scenario_json
from tests.conftest import ROOT, run_cli, write_json
from tests.storage.test_store import PG_SKIP

MEXICO = ROOT / "examples" / "mexico.json"
NAME = "Mexico, one traveller"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A ``--db`` URL: a fresh SQLite file, or the PostgreSQL test database with a fresh schema first on its path."""
    if request.param == "sqlite":
        yield sa.URL.create("sqlite", database=str(tmp_path / "cli.sqlite3")).render_as_string(hide_password=False)
        return
    pg = os.environ.get("TEST_DATABASE_URL")
    if not pg:
        pytest.skip(PG_SKIP)
    schema = f"calc_cli_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(pg)
    with engine.begin() as conn:
        conn.execute(CreateSchema(schema))
    url = sa.make_url(pg).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with engine.begin() as conn:
        conn.execute(DropSchema(schema, cascade=True))
    engine.dispose()


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """The CLI's ``main`` in this process (fast); ``test_the_real_command`` runs it in a subprocess."""

    def run(db: str, *args: str) -> Result:
        code = main(["scenarios", "--db", db, *args])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def ok(cli):
    def run(db: str, *args: str) -> str:
        result = cli(db, *args)
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
        return result.stdout

    return run


@pytest.fixture
def fails(cli):
    def run(db: str, *args: str) -> str:
        return _one_line_error(cli(db, *args))

    return run


def _one_line_error(result: Result) -> str:
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    return result.stderr


def test_save_list_show_round_trip(db: str, data: DataBundle, ok):
    assert ok(db, "save", str(MEXICO)).startswith(f"saved {NAME!r} as revision 1 in ")
    assert ok(db, "save", str(MEXICO), "--client", "Ana").startswith(f"saved {NAME!r} (client 'Ana') as revision 1")
    listed = json.loads(ok(db, "list", "--format", "json"))
    assert [(x["name"], x["client"], x["revisions"]) for x in listed] == [(NAME, "Ana", 1), (NAME, "", 1)]
    assert all(datetime.fromisoformat(x["updated"]).utcoffset().total_seconds() == 0 for x in listed)
    assert ok(db, "show", NAME) == scenario_json(load_scenario_file(MEXICO, data)) + "\n"
    assert json.loads(ok(db, "show", NAME, "--client", "Ana"))["name"] == NAME
    table = ok(db, "list", "--client", "Ana")
    assert table.splitlines()[1].endswith(f"Ana              {NAME} · mexico_colombia · USD · 1 traveller")


def test_history_delete_restore_purge(db: str, tmp_path: Path, ok, fails):
    first = json.loads(MEXICO.read_text())
    ok(db, "save", str(write_json(tmp_path / "a.json", first)))
    ok(db, "save", str(write_json(tmp_path / "a.json", {**first, "travellers": 3})))
    lines = ok(db, "history", NAME).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("  1  ") and lines[0].endswith(
        f"mexico_colombia · USD · 1 traveller  (saved from {tmp_path / 'a.json'})"
    )
    assert "· 3 travellers" in lines[1]
    history = json.loads(ok(db, "history", NAME, "--format", "json"))
    assert [h["revision"] for h in history] == [1, 2]
    assert ok(db, "restore", NAME, "--revision", "1") == f"restored revision 1 of {NAME!r} as revision 3\n"
    assert json.loads(ok(db, "show", NAME))["travellers"] == 1
    assert json.loads(ok(db, "show", NAME, "--revision", "2"))["travellers"] == 3

    assert ok(db, "delete", NAME).startswith(f"deleted {NAME!r}; it is kept until purged")
    assert json.loads(ok(db, "list", "--format", "json")) == []
    assert [x["name"] for x in json.loads(ok(db, "list", "--format", "json", "--deleted"))] == [NAME]
    assert ok(db, "restore", NAME) == f"restored {NAME!r} (revision 3)\n"
    assert "is not deleted: delete it first" in fails(db, "purge", NAME)
    ok(db, "delete", NAME)
    assert ok(db, "purge", NAME) == f"purged {NAME!r} and its 3 revision(s) for good\n"
    assert ok(db, "list").startswith("no saved scenarios in ")


def test_bad_input_is_one_line_and_exit_2(db: str, tmp_path: Path, ok, fails):
    assert fails(db, "show", "Nobody").endswith(": no saved scenario named 'Nobody'\n")
    assert "no saved scenario named 'Nobody'" in fails(db, "history", "Nobody")
    assert "no saved scenario named 'Nobody'" in fails(db, "delete", "Nobody")
    bad = write_json(tmp_path / "bad.json", {"destinations": ["mexico_colombia"], "travellers": 0})
    assert fails(db, "save", str(bad)) == f"error: {bad}: travellers: Input should be greater than or equal to 1\n"
    ok(db, "save", str(MEXICO))
    assert "has no revision 7 (revisions 1-1)" in fails(db, "show", NAME, "--revision", "7")


def test_bad_database_url_is_one_line(fails):
    assert fails("mysql://u@h/db", "list") == "error: --db: unsupported database 'mysql' (use sqlite or postgresql)\n"
    unreachable = fails("postgresql://u:secret@127.0.0.1:1/none", "list")
    assert "cannot open the scenario store" in unreachable and "secret" not in unreachable


def test_the_real_command(tmp_path: Path):
    """``python -m calculator scenarios`` as a user runs it: save, then an unknown name (exit 2, one line)."""
    db = sa.URL.create("sqlite", database=str(tmp_path / "real.sqlite3")).render_as_string()
    saved = run_cli("scenarios", "--db", db, "save", str(MEXICO), "--client", "Ana")
    assert (saved.returncode, saved.stderr) == (0, ""), saved.stderr
    missing = run_cli("scenarios", "--db", db, "show", "Nobody")
    assert _one_line_error(Result(missing.returncode, missing.stdout, missing.stderr)) == (
        f"error: {tmp_path / 'real.sqlite3'}: no saved scenario named 'Nobody'\n"
    )


def test_the_default_file_comes_from_calc_db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CALC_DB_PATH", str(tmp_path / "env" / "store.sqlite3"))
    assert main(["scenarios", "save", str(MEXICO)]) == 0
    assert capsys.readouterr().out == f"saved {NAME!r} as revision 1 in {tmp_path / 'env' / 'store.sqlite3'}\n"


def test_owners_see_only_their_own(db: str, tmp_path: Path, ok, fails):
    """Issue 14's acceptance: alice's scenario is "not found" (exit 2) for bob and unseen by the default owner."""
    assert ok(db, "--owner", "alice", "save", str(MEXICO), "--name", "Alice private").startswith(
        "saved 'Alice private' as revision 1 in "
    )
    assert ok(db, "--owner", "bob", "list").startswith("no saved scenarios in ")
    assert json.loads(ok(db, "--owner", "bob", "list", "--format", "json", "--deleted")) == []
    for action in ("show", "history", "delete", "restore", "purge"):
        assert fails(db, "--owner", "bob", action, "Alice private").endswith(
            ": no saved scenario named 'Alice private'\n"
        ), action
    assert "no saved scenario named 'Alice private'" in fails(
        db, "--owner", "bob", "restore", "Alice private", "--revision", "1"
    )
    assert [x["name"] for x in json.loads(ok(db, "--owner", "alice", "list", "--format", "json"))] == ["Alice private"]
    assert json.loads(ok(db, "--owner", "alice", "show", "Alice private"))["name"] == "Alice private"
    assert json.loads(ok(db, "list", "--format", "json")) == []  # the default owner, local, does not see it
    assert "no saved scenario named 'Alice private'" in fails(db, "show", "Alice private")
    assert fails(db, "--owner", "  ", "list") == "error: owner: is empty\n"


def test_a_corrupt_payload_is_reported_for_that_scenario_only(db: str, ok, fails):
    """Issue 13: one damaged revision must not stop ``list`` for everyone; ``show`` names the scenario."""
    ok(db, "save", str(MEXICO))
    ok(db, "save", str(MEXICO), "--name", "Broken")
    engine = sa.create_engine(db)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE scenario_revisions SET payload = '\"not a scenario\"' "
            "WHERE scenario_id = (SELECT id FROM scenarios WHERE name = 'Broken')"
        )
    engine.dispose()
    listed = {x["name"]: x["summary"] for x in json.loads(ok(db, "list", "--format", "json"))}
    assert listed == {
        NAME: "mexico_colombia · USD · 1 traveller",
        "Broken": "unreadable: the stored data is not a scenario",
    }
    assert fails(db, "show", "Broken").endswith(": 'Broken' revision 1: the stored data is unreadable\n")
    assert json.loads(ok(db, "show", NAME))["name"] == NAME
