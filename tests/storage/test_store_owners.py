"""Owners in the store (each sees only their own), the in-place migration of a store written before owners
existed, the same text limits on SQLite and PostgreSQL, and a corrupt payload kept to its own scenario."""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from calculator.model.data import DataBundle
from calculator.model.scenario import Scenario
from calculator.storage.database import StoreError
from calculator.storage.store import Store
from calculator.storage.tables import STORE_VERSION, owner_id, revisions, scenarios, store_meta
from tests.storage.test_store import PG_SKIP, PG_URL, store, target  # noqa: F401  (the SQLite / PostgreSQL fixtures)

FIXTURES = Path(__file__).parent / "fixtures"
V1_FILE = FIXTURES / "store_v1.sqlite3"
"""A store written by the calculator before owners (store version 1, main at 5fceb17), through its own CLI:
'Mexico for Ana' (client Ana, 2 revisions), 'Turkey' (no client) and 'Turkey' (client Ben, deleted)."""


def mexico(name: str = "Alice private", travellers: int = 1) -> Scenario:
    return Scenario(name=name, destinations=["mexico_colombia"], travellers=travellers)


# --- owners ----------------------------------------------------------------------------------------


def test_another_owners_scenario_is_not_found(store: Store, data: DataBundle):  # noqa: F811
    alice, bob = store.owned_by("alice"), store.owned_by("bob")
    alice.save(mexico(), client="Ana")
    alice.save(mexico(travellers=2), client="Ana")
    assert bob.list() == [] and bob.list(include_deleted=True) == [] and bob.clients() == []
    assert store.list() == [], "the default owner (local) does not see it either"
    not_found = "no saved scenario named 'Alice private'"
    for act in (
        lambda: bob.get("Alice private"),
        lambda: bob.history("Alice private"),
        lambda: bob.revision("Alice private"),
        lambda: bob.load("Alice private", data),
        lambda: bob.rename("Alice private", "Mine now"),
        lambda: bob.duplicate("Alice private", "Mine now", new_client=""),
        lambda: bob.delete("Alice private", client="Ana"),
        lambda: bob.undelete("Alice private"),
        lambda: bob.restore_revision("Alice private", 1),
        lambda: bob.purge("Alice private"),
    ):
        with pytest.raises(StoreError, match=not_found):
            act()
    # bob may use the same name and client label for his own scenario; the two stay apart
    bob.save(mexico(travellers=5), client="Ana")
    assert alice.load("Alice private", data).travellers == 2
    assert bob.load("Alice private", data).travellers == 5
    assert [r.revision for r in alice.list()] == [2] and [r.revision for r in bob.list()] == [1]
    assert alice.clients() == bob.clients() == ["Ana"]
    bob.delete("Alice private")
    bob.purge("Alice private")
    assert [r.name for r in alice.list()] == ["Alice private"]


def test_owner_ids_and_bad_owners(target):  # noqa: F811
    assert owner_id("https://accounts.google.com", "1234") == "https://accounts.google.com#1234"
    url, schema = target
    for bad, problem in (("", "is empty"), ("x" * 301, "longer than 300"), ("a\x00b", "NUL")):
        with pytest.raises(StoreError, match=problem):
            Store(url, schema=schema, owner=bad)


# --- the migration from store version 1 ------------------------------------------------------------


def _check_migrated(store: Store, data: DataBundle) -> None:  # noqa: F811
    """The three scenarios of the version-1 store, now ``local``'s, with their revisions and deletions."""
    listed = [(r.client, r.name, r.revision, r.deleted is not None) for r in store.list(include_deleted=True)]
    assert sorted(listed) == [("", "Turkey", 1, False), ("Ana", "Mexico for Ana", 2, False), ("Ben", "Turkey", 1, True)]
    assert [r.number for r in store.history("Mexico for Ana")] == [1, 2]
    assert store.load("Mexico for Ana", data, number=1).destinations == ["mexico_colombia"]
    assert store.load("Mexico for Ana", data).destinations == ["mexico_colombia", "turkey_thailand"]
    assert store.owned_by("alice").list(include_deleted=True) == []
    # after the migration, names are unique per owner: alice can save "Turkey" without a client label too
    store.owned_by("alice").save(Scenario(name="Turkey", destinations=["india_malaysia"]))
    assert store.load("Turkey", data, client="").destinations == ["turkey_thailand"]
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(store_meta.c.value)).scalar() == STORE_VERSION == 2
        owners = conn.execute(sa.select(scenarios.c.owner).order_by(scenarios.c.id)).scalars().all()
    assert owners == ["local", "local", "local", "alice"]
    # restore, purge and rename still work on the rebuilt tables (the revisions' foreign key followed the rename)
    store.restore_revision("Mexico for Ana", 1)
    store.rename("Mexico for Ana", "Mexico, Ana")
    store.purge("Turkey", client="Ben")
    assert sorted(r.label for r in store.list(include_deleted=True)) == ["Ana / Mexico, Ana", "Turkey"]
    assert store.history("Mexico, Ana")[-1].note == "renamed from 'Mexico for Ana'"


def test_a_version_1_sqlite_file_migrates_in_place(tmp_path: Path, data: DataBundle):
    path = tmp_path / "old.sqlite3"
    shutil.copy(V1_FILE, path)
    migrated = Store(f"sqlite:///{path}")
    try:
        _check_migrated(migrated, data)
    finally:
        migrated.close()
    reopened = Store(f"sqlite:///{path}")  # a second open finds version 2 and changes nothing
    assert sorted(r.label for r in reopened.list(include_deleted=True)) == ["Ana / Mexico, Ana", "Turkey"]
    reopened.close()


# The version-1 tables exactly as the calculator created them before owners (calculator/storage/tables.py at main
# 5fceb17), frozen here so that the test builds a real old PostgreSQL store.
V1 = sa.MetaData()
V1_META = sa.Table("store_meta", V1, sa.Column("key", sa.String(50), primary_key=True), sa.Column("value", sa.Integer))
V1_SCENARIOS = sa.Table(
    "scenarios",
    V1,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client", sa.String(100), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("current_revision", sa.Integer, nullable=False),
    sa.UniqueConstraint("client", "name", name="uq_scenarios_client_name"),
)
V1_REVISIONS = sa.Table(
    "scenario_revisions",
    V1,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scenario_id", sa.Integer, sa.ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("note", sa.String(300), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.UniqueConstraint("scenario_id", "number", name="uq_revisions_scenario_number"),
)


def _copy_v1_file_into(engine: sa.Engine, schema: str) -> None:
    """The fixture file's rows, as they are, into version-1 tables created with the frozen definitions."""
    old = sa.create_engine(f"sqlite:///{V1_FILE}")
    with old.connect() as src:
        meta, rows, revs = (
            [dict(r) for r in src.exec_driver_sql(f"SELECT * FROM {table}").mappings()]
            for table in ("store_meta", "scenarios", "scenario_revisions")
        )
    old.dispose()

    def utc(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None

    with engine.begin() as conn:
        V1.create_all(conn)
        conn.execute(sa.insert(V1_META), meta)
        conn.execute(
            sa.insert(V1_SCENARIOS),
            [{**r, **{k: utc(r[k]) for k in ("created_at", "updated_at", "deleted_at")}} for r in rows],
        )
        conn.execute(
            sa.insert(V1_REVISIONS),
            [{**r, "saved_at": utc(r["saved_at"]), "payload": json.loads(r["payload"])} for r in revs],
        )
        # the ids were copied: move the sequences past them, as the old code's own inserts would have left them
        for table in ("scenarios", "scenario_revisions"):
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{schema}\".{table}', 'id'), "
                f'(SELECT max(id) FROM "{schema}".{table}))'
            )


@pytest.mark.postgres
def test_a_version_1_postgresql_store_migrates_in_place(data: DataBundle):
    if not PG_URL:
        pytest.skip(PG_SKIP)
    schema = f"calc_v1_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        _copy_v1_file_into(engine.execution_options(schema_translate_map={None: schema}), schema)
        migrated = Store(PG_URL, schema=schema)
        try:
            _check_migrated(migrated, data)
        finally:
            migrated.close()
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


# --- the same limits on both databases (issue 13) ----------------------------------------------------


def test_text_limits_are_the_same_on_both_databases(store: Store, data: DataBundle):  # noqa: F811
    """PostgreSQL refuses a NUL or an over-long value that SQLite would take: the store refuses both, first."""
    with pytest.raises(StoreError, match="note: is longer than 300 characters"):
        store.save(mexico(), note="n" * 301)
    with pytest.raises(StoreError, match="name: holds a NUL character"):
        store.save(mexico("Mexico\x00"))
    with pytest.raises(StoreError, match="client: holds a NUL character"):
        store.save(mexico(), client="Ana\x00")
    assert store.list(include_deleted=True) == []
    # the longest name and client label, in 4-byte characters: fits PostgreSQL's index and the copy's own note
    name, client = "😀" * 200, "😀" * 100
    store.owned_by("x" * 300).save(mexico(name), client=client, note="n" * 300)
    copy = store.owned_by("x" * 300).duplicate(name, "😀" * 199 + "b", client=client)
    [rev] = store.owned_by("x" * 300).history(copy.name, client=client)
    assert len(rev.note) == 300 and rev.note.startswith("copy of '😀") and rev.note.endswith("…")


# --- a corrupt payload is that scenario's problem alone (issue 13) ----------------------------------


def _corrupt(store: Store, name: str) -> None:  # noqa: F811
    """Damage one stored payload as a disk fault or a hand edit would (SQLite: not JSON; PostgreSQL: not an object)."""
    garbage = "[1, 2" if not store.is_postgresql else "[1, 2]"
    with store.engine.begin() as conn:
        sid = conn.execute(sa.select(scenarios.c.id).where(scenarios.c.name == name)).scalar_one()
        conn.execute(
            sa.update(revisions)
            .where(revisions.c.scenario_id == sid)
            .values(payload=sa.cast(sa.literal(garbage), sa.JSON) if store.is_postgresql else sa.literal(garbage))
        )


def test_a_corrupt_payload_spoils_only_its_own_scenario(store: Store, data: DataBundle):  # noqa: F811
    store.save(mexico("Good"))
    store.save(mexico("Broken"))
    _corrupt(store, "Broken")
    listed = {r.name: r.summary for r in store.list()}
    assert listed == {
        "Good": "mexico_colombia · USD · 1 traveller",
        "Broken": "unreadable: the stored data is not a scenario",
    }
    assert store.load("Good", data).name == "Good"
    assert [r.payload for r in store.history("Broken")] == [None]
    for act in (
        lambda: store.load("Broken", data),
        lambda: store.rename("Broken", "Fixed"),
        lambda: store.duplicate("Broken", "Copy"),
        lambda: store.restore_revision("Broken", 1),
    ):
        with pytest.raises(StoreError, match="'Broken' revision 1: the stored data is unreadable"):
            act()
    store.save(mexico("Broken", travellers=3))  # saving over it again mends it
    assert store.load("Broken", data).travellers == 3


def test_the_migrations_constant_sql_matches_the_tables():
    """The migration's SQL is constant text (no value pasted in): it must say what tables.py says."""
    from calculator.storage.migrations import _PG_V1_TO_V2, _SQLITE_V1_TO_V2
    from calculator.storage.tables import LOCAL_OWNER, MAX_OWNER_CHARS

    assert f"owner VARCHAR({MAX_OWNER_CHARS}) NOT NULL DEFAULT '{LOCAL_OWNER}'" in _PG_V1_TO_V2[0]
    assert f"SELECT '{LOCAL_OWNER}', id" in _SQLITE_V1_TO_V2[0]
