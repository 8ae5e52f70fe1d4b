"""The scenario store on SQLite (a temp file) and PostgreSQL (when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import sys
import time
import types
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.schema import DropSchema

from calculator.model.data import DataBundle
from calculator.model.scenario import Scenario, parse_scenario
from calculator.storage.database import StoreError, database_url
from calculator.storage.payloads import payload_summary, scenario_payload, upgrade_payload
from calculator.storage.store import Store
from calculator.storage.tables import STORE_VERSION, revisions, scenarios, store_meta
from tests.conftest import ROOT

PG_URL = os.environ.get("TEST_DATABASE_URL")
PG_SKIP = "TEST_DATABASE_URL not set: PostgreSQL store tests skipped (.ci/run starts a server and sets it)"

FULL = {
    "schema_version": 1,
    "name": "Client A: Mexico vs Turkey",
    "currency": "EUR",
    "home": "us_western_europe",
    "destinations": ["mexico_colombia", "turkey_thailand"],
    "travellers": 2,
    "rooms": 1,
    "sessions": 2,
    "stay": {"pre_days": [1, 2], "procedure_days": 1, "recovery_days": [3, 5], "travel_days": 2},
    "travel": {
        "mexico_colombia": {"fare_per_traveller": 650.5, "lodging_per_night": 250, "daily_per_traveller": 136},
        "turkey_thailand": {"fare_per_traveller": 1100, "city": "bangkok"},
    },
    "quotes": {"turkey_thailand": {"low": 5200, "high": 5200, "clinic": "Example Clinic ‘Ünïcode’"}},
    "insurance": 180,
    "follow_up_trips": 1,
    "follow_up_nights": 3,
    "contingency_pct": 15,
    "lost_income_per_day": 0.1,
    "checklist": {"mexico_colombia": {"jci_accreditation": "claimed", "gmp_lab": "unknown"}},
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path) -> Iterator[tuple[str, str | None]]:
    """(url, schema): a fresh SQLite file, or a fresh schema in the PostgreSQL test database."""
    if request.param == "sqlite":
        yield sa.URL.create("sqlite", database=str(tmp_path / "store.sqlite3")).render_as_string(), None
        return
    if not PG_URL:
        pytest.skip(PG_SKIP)
    schema = f"calc_test_{uuid.uuid4().hex[:12]}"
    yield PG_URL, schema
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(DropSchema(schema, cascade=True, if_exists=True))
    engine.dispose()


@pytest.fixture
def store(target: tuple[str, str | None]) -> Iterator[Store]:
    url, schema = target
    s = Store(url, schema=schema)
    yield s
    s.close()


def scenario(data: DataBundle, **changes: object) -> Scenario:
    return parse_scenario({**FULL, **changes}, data, "test")


def test_round_trip_is_exact(store: Store, data: DataBundle):
    saved = scenario(data)
    record = store.save(saved, client="Advisor 1")
    loaded = store.load(saved.name, data, client="Advisor 1")
    assert loaded == saved
    assert scenario_payload(loaded) == scenario_payload(saved)
    assert store.revision(saved.name).payload == scenario_payload(saved)
    assert (record.client, record.name, record.revision, record.deleted) == ("Advisor 1", saved.name, 1, None)
    assert record.created.tzinfo == UTC and record.updated == record.created
    assert record.summary == "mexico_colombia, turkey_thailand · EUR · 2 travellers"


def test_two_saves_keep_both_revisions(store: Store, data: DataBundle):
    first = scenario(data, travellers=1)
    second = scenario(data, travellers=3)
    store.save(first)
    store.save(second, note="after the call")
    history = store.history(first.name)
    assert [(r.number, r.note) for r in history] == [(1, "saved"), (2, "after the call")]
    assert history[0].saved <= history[1].saved
    assert store.load(first.name, data) == second
    assert store.load(first.name, data, number=1) == first
    [listed] = store.list()
    assert (listed.revision, listed.updated, listed.created) == (2, history[1].saved, history[0].saved)


def test_same_name_for_two_clients_are_two_scenarios(store: Store, data: DataBundle):
    store.save(scenario(data, travellers=1), client="Ana")
    store.save(scenario(data, travellers=2), client="Bo")
    assert store.load(FULL["name"], data, client="Ana").travellers == 1
    assert store.load(FULL["name"], data, client="Bo").travellers == 2
    assert store.clients() == ["Ana", "Bo"]
    with pytest.raises(StoreError, match="several clients \\('Ana', 'Bo'\\): name the client"):
        store.load(FULL["name"], data)
    store.save(scenario(data, travellers=5))  # no client label: what a lookup without a client finds
    assert store.load(FULL["name"], data).travellers == 5
    assert store.clients() == ["", "Ana", "Bo"]


def test_delete_is_recoverable_and_purge_is_final(store: Store, data: DataBundle):
    store.save(scenario(data, name="Keep"))
    store.save(scenario(data, name="Drop"))
    store.delete("Drop")
    assert [s.name for s in store.list()] == ["Keep"]
    assert {s.name for s in store.list(include_deleted=True)} == {"Keep", "Drop"}
    assert store.get("Drop").deleted is not None
    assert store.load("Drop", data).name == "Drop"  # a deleted scenario still opens
    with pytest.raises(StoreError, match="is not deleted: delete it first"):
        store.purge("Keep")
    restored = store.undelete("Drop")
    assert restored.deleted is None and restored.revision == 1
    assert {s.name for s in store.list()} == {"Keep", "Drop"}
    store.delete("Drop")
    store.purge("Drop")
    with pytest.raises(StoreError, match="no saved scenario named 'Drop'"):
        store.get("Drop")
    assert [s.name for s in store.list(include_deleted=True)] == ["Keep"]


def test_saving_over_a_deleted_name_revives_it_with_its_history(store: Store, data: DataBundle):
    store.save(scenario(data, travellers=1))
    store.delete(FULL["name"])
    store.save(scenario(data, travellers=4))
    record = store.get(FULL["name"])
    assert (record.deleted, record.revision) == (None, 2)
    assert store.history(FULL["name"])[1].note == "saved (was deleted)"


def test_restore_revision_appends_it_again(store: Store, data: DataBundle):
    store.save(scenario(data, travellers=1))
    store.save(scenario(data, travellers=2))
    record = store.restore_revision(FULL["name"], 1)
    assert record.revision == 3
    assert store.load(FULL["name"], data).travellers == 1
    assert [r.note for r in store.history(FULL["name"])] == ["saved", "saved", "restored revision 1"]
    with pytest.raises(StoreError, match="has no revision 9 \\(revisions 1-3\\)"):
        store.restore_revision(FULL["name"], 9)


def test_rename_and_duplicate(store: Store, data: DataBundle):
    store.save(scenario(data, name="Old"), client="Ana")
    store.save(scenario(data, name="Other"), client="Ana")
    renamed = store.rename("Old", "New", client="Ana")
    assert (renamed.name, renamed.revision) == ("New", 2)
    assert store.load("New", data, client="Ana").name == "New"
    assert store.load("New", data, client="Ana", number=1).name == "Old"
    with pytest.raises(StoreError, match="no saved scenario named 'Old'"):
        store.get("Old", client="Ana")
    with pytest.raises(StoreError, match="'Other' \\(client 'Ana'\\) already exists"):
        store.rename("New", "Other", client="Ana")
    copy = store.duplicate("New", "Copy", client="Ana", new_client="Bo")
    assert (copy.client, copy.name, copy.revision) == ("Bo", "Copy", 1)
    assert store.history("Copy", client="Bo")[0].note == "copy of 'New' (client 'Ana') revision 2"
    assert store.load("Copy", data) == scenario(data, name="Copy")
    with pytest.raises(StoreError, match="already exists"):
        store.duplicate("New", "Other", client="Ana")


def test_search_and_client_filter_take_text_literally(store: Store, data: DataBundle):
    for name, client in [
        ("Mexico 50%", "Ana"),
        ("Turkey_2", "Ana"),
        ("India", "Bo"),
        ("x'; DROP TABLE scenarios;--", ""),
    ]:
        store.save(scenario(data, name=name), client=client)
    assert {s.name for s in store.list(search="50%")} == {"Mexico 50%"}
    assert {s.name for s in store.list(search="_")} == {"Turkey_2"}
    assert {s.name for s in store.list(search="mexico")} == {"Mexico 50%"}
    assert {s.name for s in store.list(search="bo")} == {"India"}  # matches the client label
    assert {s.name for s in store.list(client="Ana")} == {"Mexico 50%", "Turkey_2"}
    assert {s.name for s in store.list(client="")} == {"x'; DROP TABLE scenarios;--"}
    assert store.load("x'; DROP TABLE scenarios;--", data).name == "x'; DROP TABLE scenarios;--"
    assert len(store.list()) == 4


def test_bad_names_are_refused(store: Store, data: DataBundle):
    store.save(scenario(data, name="A"))
    with pytest.raises(StoreError, match="new name: is empty"):
        store.rename("A", "   ")
    with pytest.raises(StoreError, match="client: is longer than 100 characters"):
        store.save(scenario(data), client="x" * 101)


def test_old_schema_scenario_opens(store: Store, data: DataBundle):
    """A version-0 payload (no schema_version; title, regions, companions, contingency) is upgraded on read."""
    v0 = {
        "title": "Written by the draft app",
        "regions": ["india_malaysia"],
        "companions": 1,
        "contingency": 0.15,
        "travel": {"india_malaysia": {"fare_per_traveller": 1300}},
    }
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        sid = conn.execute(
            sa.insert(scenarios).values(
                owner=store.owner,
                client="",
                name="Written by the draft app",
                created_at=now,
                updated_at=now,
                current_revision=1,
            )
        ).inserted_primary_key[0]
        conn.execute(
            sa.insert(revisions).values(
                scenario_id=sid, number=1, saved_at=now, schema_version=0, note="draft", payload=v0
            )
        )
    loaded = store.load("Written by the draft app", data)
    assert loaded == parse_scenario(
        {
            "name": "Written by the draft app",
            "destinations": ["india_malaysia"],
            "travellers": 2,
            "contingency_pct": 15,
            "travel": {"india_malaysia": {"fare_per_traveller": 1300}},
        },
        data,
        "expected",
    )
    [listed] = store.list()
    assert listed.summary == "india_malaysia · USD · 2 travellers"
    store.rename("Written by the draft app", "Upgraded")  # new revisions are written in the current version
    assert [r.schema_version for r in store.history("Upgraded")] == [0, 2]
    assert store.revision("Upgraded").payload["travellers"] == 2


def test_upgrade_payload_from_version_0():
    assert upgrade_payload({"title": "T", "regions": ["a"], "companions": 0, "contingency": 0.07}) == {
        "schema_version": 2,
        "name": "T",
        "destinations": ["a"],
        "travellers": 1,
        "contingency_pct": 7.0,
    }
    current = {"schema_version": 2, "name": "N", "destinations": ["a"]}
    assert upgrade_payload(current) == current
    version_1 = {"schema_version": 1, "name": "N", "destinations": ["a"], "quotes": {"a": {"low": 1, "high": 2}}}
    assert upgrade_payload(version_1) == {**version_1, "schema_version": 2}  # a single quote object stays valid
    assert upgrade_payload({"schema_version": 99}) == {"schema_version": 99}  # left for validation to refuse
    assert payload_summary({"title": "T", "regions": ["a", "b"], "companions": 2}) == "a, b · USD · 3 travellers"


def test_a_newer_store_version_is_refused(target: tuple[str, str | None]):
    url, schema = target
    first = Store(url, schema=schema)
    with first.engine.begin() as conn:
        conn.execute(sa.update(store_meta).values(value=STORE_VERSION + 1))
    first.close()
    with pytest.raises(StoreError, match=f"newer version of the calculator \\(store version {STORE_VERSION + 1}"):
        Store(url, schema=schema)


def _save_many(
    url: str, schema: str | None, prefix: str, count: int, same_name: bool, barrier: Any, times: Any
) -> None:
    """Worker (spawned process): save ``count`` scenarios, or ``count`` revisions of one name.

    Every worker waits at the barrier so that the four really save at the same time, then reports
    when it started and finished saving.
    """
    store = Store(url, schema=schema)
    barrier.wait(timeout=60)
    started = time.monotonic()
    for i in range(count):
        name = "Shared" if same_name else f"{prefix}-{i:02d}"
        store.save(
            Scenario(name=name, destinations=["mexico_colombia"], travellers=1 + i % 5, insurance=float(i)),
            client=prefix if not same_name else "",
            note=f"{prefix}-{i:02d}",
        )
    times.put((started, time.monotonic()))
    store.close()


def _run_workers(url: str, schema: str | None, count: int, same_name: bool) -> None:
    """Four spawned processes saving at once; asserts they all succeeded and overlapped in time."""
    ctx = multiprocessing.get_context("spawn")
    barrier, times = ctx.Barrier(4), ctx.Queue()
    procs = [
        ctx.Process(target=_save_many, args=(url, schema, f"p{n}", count, same_name, barrier, times), daemon=True)
        for n in range(4)
    ]
    # A spawned child re-runs the parent's __main__; after an in-process AppTest run that is app.py, which
    # needs a Streamlit runtime. The workers need nothing from __main__: start them with a blank one.
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        for p in procs:
            p.start()
    finally:
        sys.modules["__main__"] = main
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    windows = [times.get(timeout=5) for _ in procs]
    assert max(start for start, _ in windows) < min(end for _, end in windows), "the workers did not overlap"


def test_four_processes_saving_25_each_leave_100_intact_scenarios(
    target: tuple[str, str | None], store: Store, data: DataBundle
):
    url, schema = target
    _run_workers(url, schema, 25, same_name=False)
    listed = store.list()
    assert len(listed) == 100
    assert {(s.client, s.name) for s in listed} == {(f"p{n}", f"p{n}-{i:02d}") for n in range(4) for i in range(25)}
    for s in listed:
        i = int(s.name[-2:])
        loaded = store.load(s.name, data, client=s.client)
        assert (loaded.travellers, loaded.insurance, s.revision) == (1 + i % 5, float(i), 1)


def test_four_processes_saving_one_name_lose_no_revision(target: tuple[str, str | None], store: Store):
    url, schema = target
    _run_workers(url, schema, 10, same_name=True)
    history = store.history("Shared")
    assert [r.number for r in history] == list(range(1, 41))
    assert sorted(r.note for r in history) == sorted(f"p{n}-{i:02d}" for n in range(4) for i in range(10))
    assert all(r.saved <= nxt.saved for r, nxt in itertools.pairwise(history))


def test_database_url_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("CALC_DB_PATH", raising=False)
    assert database_url().database == str(ROOT / "var" / "scenarios.sqlite3")
    monkeypatch.setenv("CALC_DB_PATH", str(tmp_path / "mine.sqlite3"))
    assert database_url().database == str(tmp_path / "mine.sqlite3")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db.example:5432/calc")
    url = database_url()
    assert (url.drivername, url.host, url.database) == ("postgresql+psycopg", "db.example", "calc")
    assert database_url("sqlite:///x.db").database == "x.db"
    with pytest.raises(StoreError, match="--db: unsupported database 'mysql'"):
        database_url("mysql://u@h/db")
    with pytest.raises(StoreError, match="--db: not a database URL"):
        database_url("not a url")


def test_the_sqlite_file_and_its_folder_are_created_on_first_use(tmp_path, data: DataBundle):
    path = tmp_path / "deep" / "er" / "scenarios.sqlite3"
    store = Store(sa.URL.create("sqlite", database=str(path)))
    store.save(scenario(data))
    store.close()
    assert path.exists()
    engine = sa.create_engine(sa.URL.create("sqlite", database=str(path)))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        payload = conn.execute(sa.select(revisions.c.payload)).scalar()
    engine.dispose()
    assert payload == json.loads(json.dumps(scenario_payload(scenario(data))))


def test_an_unreachable_database_is_one_clear_error():
    with pytest.raises(StoreError, match="cannot open the scenario store") as err:
        Store("postgresql+psycopg://nobody:secret@127.0.0.1:1/nowhere")
    assert "secret" not in str(err.value)
    assert "\n" not in str(err.value)
