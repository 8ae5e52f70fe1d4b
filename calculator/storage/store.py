"""Saved scenarios: named, per client label, with every revision kept (SQLAlchemy 2).

Where the scenarios live (``database_url``):

1. ``--db URL`` on the command line, else
2. the ``DATABASE_URL`` environment variable (PostgreSQL for several app instances or advisors:
   ``postgresql+psycopg://user:password@host:5432/dbname``), else
3. a SQLite file at ``CALC_DB_PATH``, else ``var/scenarios.sqlite3`` under the project root
   (created on first use, folder included).

Tables are created on first use; ``store_meta`` holds the store's own version (``STORE_VERSION``)
so a later version can migrate the tables in place (``MIGRATIONS``).

Nothing is lost:

- every save appends a revision (``scenario_revisions``); restoring a revision appends it again
  as a new revision, so history only grows;
- delete is a soft delete (``deleted_at``): the scenario stays, with its history, until restored
  or removed for good with ``purge`` (there is no automatic expiry);
- saves run in one transaction each. On SQLite the file is in WAL mode with a busy timeout and
  writers take the write lock up front (``BEGIN IMMEDIATE``), so concurrent processes queue rather
  than fail; on PostgreSQL the scenario's row is locked (``SELECT ... FOR UPDATE``) and a save that
  loses a race to create the same name is retried;
- a payload stored under an older ``schema_version`` is upgraded on read (``upgrade_payload``).

Every statement is built with SQLAlchemy Core: values are bound parameters, never pasted into SQL.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.schema import CreateSchema

from calculator.model.data import DataBundle
from calculator.model.errors import InputError
from calculator.model.scenario import SCHEMA_VERSION, Scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = ROOT / "var" / "scenarios.sqlite3"
"""The SQLite file used when neither ``DATABASE_URL`` nor ``CALC_DB_PATH`` is set (git-ignored)."""

STORE_VERSION = 1
"""Version of the store's tables (not of the scenario JSON, which is ``schema_version``)."""

MAX_ATTEMPTS = 10
MAX_CLIENT_CHARS = 100
_PG_INIT_LOCK = 7_246_061_001
"""Key of the PostgreSQL advisory lock taken while the tables are created (one creator at a time)."""

T = TypeVar("T")


class StoreError(InputError):
    """The store cannot do what was asked (unknown name, name taken, database unreachable)."""


class UtcDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (UTC), on SQLite and PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store UTC times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData()
store_meta = sa.Table(
    "store_meta",
    metadata,
    sa.Column("key", sa.String(50), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)
scenarios = sa.Table(
    "scenarios",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client", sa.String(MAX_CLIENT_CHARS), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("deleted_at", UtcDateTime, nullable=True),
    sa.Column("current_revision", sa.Integer, nullable=False),
    sa.UniqueConstraint("client", "name", name="uq_scenarios_client_name"),
)
revisions = sa.Table(
    "scenario_revisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scenario_id", sa.Integer, sa.ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("saved_at", UtcDateTime, nullable=False),
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("note", sa.String(300), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.UniqueConstraint("scenario_id", "number", name="uq_revisions_scenario_number"),
)

MIGRATIONS: dict[int, Callable[[Connection], None]] = {}
"""Store version n -> the function that migrates the tables from n to n + 1 (none yet)."""


# --- scenario payloads and their versions -------------------------------------------------------


def _v0_to_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 0, the draft format from before ``schema_version`` existed, to version 1.

    Version 0 is recognised by the absence of ``schema_version``. It named four keys differently;
    every other key is as in version 1:

    ====================  ===================================================================
    version 0             version 1
    ====================  ===================================================================
    ``title``             ``name``
    ``regions``           ``destinations``
    ``companions``        ``travellers`` = companions + 1 (the patient travels too)
    ``contingency``       ``contingency_pct`` = 100 x contingency (a fraction 0-1 in version 0)
    ====================  ===================================================================
    """
    out = {k: v for k, v in payload.items() if k not in {"title", "regions", "companions", "contingency"}}
    if "title" in payload:
        out["name"] = payload["title"]
    if "regions" in payload:
        out["destinations"] = payload["regions"]
    if isinstance(payload.get("companions"), int) and not isinstance(payload["companions"], bool):
        out["travellers"] = payload["companions"] + 1
    elif "companions" in payload:
        out["travellers"] = payload["companions"]  # left for validation to refuse, naming the key
    if isinstance(payload.get("contingency"), (int, float)) and not isinstance(payload["contingency"], bool):
        out["contingency_pct"] = round(100 * payload["contingency"], 10)
    elif "contingency" in payload:
        out["contingency_pct"] = payload["contingency"]
    out["schema_version"] = 1
    return out


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1}
"""Scenario schema_version n -> the function that upgrades a payload from n to n + 1."""


def payload_version(payload: dict[str, Any]) -> int:
    """The payload's ``schema_version``; a payload without one is version 0 (see ``_v0_to_v1``)."""
    version = payload.get("schema_version", 0)
    return version if isinstance(version, int) and not isinstance(version, bool) else -1


def upgrade_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Upgrade a stored payload, one version at a time, to the current ``SCHEMA_VERSION``.

    A version with no upgrade (a newer one, say) is returned unchanged for ``parse_scenario`` to refuse.
    """
    version = payload_version(payload)
    while version in UPGRADES and version < SCHEMA_VERSION:
        payload = UPGRADES[version](payload)
        version += 1
    return payload


def scenario_payload(scenario: Scenario) -> dict[str, Any]:
    """What is stored: the validated scenario as a JSON object, ``schema_version`` included."""
    return scenario.model_dump(mode="json", exclude_none=True)


def payload_summary(payload: dict[str, Any]) -> str:
    """A short line about a payload, e.g. ``"mexico_colombia, turkey_thailand · USD · 2 travellers"``."""
    p = upgrade_payload(payload)
    dests = p.get("destinations")
    parts = [", ".join(str(d) for d in dests) if isinstance(dests, list) else "?"]
    parts.append(str(p.get("currency", "USD")))
    travellers = p.get("travellers", 1)
    parts.append(f"{travellers} traveller{'' if travellers == 1 else 's'}")
    return " · ".join(parts)


# --- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedScenario:
    """One saved scenario as listed: its names, times (UTC), latest revision and a summary."""

    client: str
    name: str
    created: datetime
    updated: datetime
    deleted: datetime | None
    revision: int
    summary: str

    @property
    def label(self) -> str:
        """``client / name``, or the name alone when there is no client label."""
        return f"{self.client} / {self.name}" if self.client else self.name

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: times as ISO 8601 UTC."""
        return {
            "name": self.name,
            "client": self.client,
            "updated": self.updated.isoformat(),
            "created": self.created.isoformat(),
            "deleted": self.deleted.isoformat() if self.deleted else None,
            "revisions": self.revision,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class Revision:
    """One stored revision: its number (1, 2, ...), time (UTC), note and the payload as stored."""

    number: int
    saved: datetime
    schema_version: int
    note: str
    payload: dict[str, Any]

    @property
    def summary(self) -> str:
        """See ``payload_summary``."""
        return payload_summary(self.payload)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, payload left out."""
        return {
            "revision": self.number,
            "saved": self.saved.isoformat(),
            "schema_version": self.schema_version,
            "note": self.note,
            "summary": self.summary,
        }


# --- where the database is ----------------------------------------------------------------------


def database_url(explicit: str | None = None) -> sa.URL:
    """The store's URL: ``explicit`` (``--db``), else ``DATABASE_URL``, else the SQLite file.

    The SQLite file is ``CALC_DB_PATH`` when set, else ``DEFAULT_DB_PATH``. A bare ``postgresql://``
    or ``postgres://`` URL is read as ``postgresql+psycopg://`` (psycopg 3 is the driver installed).
    """
    text = explicit or os.environ.get("DATABASE_URL")
    if not text:
        path = Path(os.environ.get("CALC_DB_PATH") or DEFAULT_DB_PATH).expanduser().resolve()
        return sa.URL.create("sqlite", database=str(path))
    where = "--db" if explicit else "DATABASE_URL"
    try:
        url = sa.make_url(text)
    except exc.ArgumentError:
        raise StoreError(where, "not a database URL (e.g. postgresql+psycopg://user:pass@host/db)") from None
    if url.drivername in {"postgresql", "postgres"}:
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise StoreError(where, f"unsupported database {url.get_backend_name()!r} (use sqlite or postgresql)")
    return url


def _clean_name(name: str, what: str = "name") -> str:
    name = name.strip()
    if not name:
        raise StoreError(what, "is empty")
    if len(name) > 200:
        raise StoreError(what, "is longer than 200 characters")
    return name


def _clean_client(client: str) -> str:
    client = client.strip()
    if len(client) > MAX_CLIENT_CHARS:
        raise StoreError("client", f"is longer than {MAX_CLIENT_CHARS} characters")
    return client


def _now() -> datetime:
    return datetime.now(UTC)


def _describe(client: str | None, name: str) -> str:
    return f"{name!r}" + (f" (client {client!r})" if client else "")


# --- the store ----------------------------------------------------------------------------------


class Store:
    """Saved scenarios in one database. Cheap to share between threads; one per process.

    ``schema`` (PostgreSQL only) puts the tables in that schema, created if needed: tests use a
    fresh schema per run so that runs never collide.
    """

    def __init__(self, url: str | sa.URL | None = None, *, schema: str | None = None) -> None:
        self.url = database_url(url) if url is None or isinstance(url, str) else url
        self.label = (
            self.url.database or ":memory:"
            if self.url.get_backend_name() == "sqlite"
            else self.url.render_as_string(hide_password=True)
        )
        self.schema = schema
        try:
            self.engine = self._engine()
            self._transact(self._init_tables, failure="cannot open the scenario store")
        except StoreError:
            raise
        except (exc.SQLAlchemyError, OSError, ImportError) as err:
            raise StoreError(self.label, f"cannot open the scenario store ({_first_line(err)})") from None

    # engine and transactions

    def _engine(self) -> Engine:
        options: dict[str, Any] = {}
        if self.schema:
            options["schema_translate_map"] = {None: self.schema}
        if self.url.get_backend_name() == "sqlite":
            if self.url.database and self.url.database != ":memory:":
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(self.url, execution_options=options)
            _sqlite_transactions(engine)
            return engine
        return sa.create_engine(self.url, pool_pre_ping=True, execution_options=options)

    @property
    def is_postgresql(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    def _init_tables(self, conn: Connection) -> None:
        """Create the tables (one process at a time) and check or migrate the store's version."""
        if self.is_postgresql:
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_INIT_LOCK)))
            if self.schema:
                conn.execute(CreateSchema(self.schema, if_not_exists=True))
        metadata.create_all(conn)
        key = store_meta.c.key == "store_version"
        version = conn.execute(sa.select(store_meta.c.value).where(key)).scalar()
        if version is None:
            conn.execute(sa.insert(store_meta).values(key="store_version", value=STORE_VERSION))
            return
        if version > STORE_VERSION:
            raise StoreError(
                self.label,
                f"written by a newer version of the calculator (store version {version}; this one reads "
                f"up to {STORE_VERSION})",
            )
        while version < STORE_VERSION:
            MIGRATIONS[version](conn)
            version += 1
            conn.execute(sa.update(store_meta).where(key).values(value=version))

    def _transact(self, work: Callable[[Connection], T], write: bool = True, failure: str = "database error") -> T:
        """Run ``work`` in one transaction; retry when a concurrent writer won a race."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(calc_write=write)
                    with conn.begin():
                        return work(conn)
            except exc.IntegrityError:
                if attempt == MAX_ATTEMPTS:
                    raise StoreError(self.label, "a concurrent change kept conflicting; try again") from None
            except exc.OperationalError as err:
                if not _is_transient(err) or attempt == MAX_ATTEMPTS:
                    raise StoreError(self.label, f"{failure} ({_first_line(err)})") from None
            except exc.SQLAlchemyError as err:
                raise StoreError(self.label, f"{failure} ({_first_line(err)})") from None
            time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 (jitter, not security)
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # finding rows

    def _find(self, conn: Connection, name: str, client: str | None, lock: bool = False) -> sa.Row:
        """The scenario row for ``name`` and ``client``.

        With ``client`` None: the one saved without a client label if there is one, else the only one.
        """
        query = sa.select(scenarios).where(scenarios.c.name == name.strip())
        if client is not None:
            query = query.where(scenarios.c.client == client.strip())
        if lock and self.is_postgresql:
            query = query.with_for_update()
        rows = conn.execute(query).all()
        if not rows:
            raise StoreError(self.label, f"no saved scenario named {_describe(client, name.strip())}")
        if len(rows) > 1:
            unlabelled = [r for r in rows if r.client == ""]
            if unlabelled:  # as saving without a client label does, so does finding without one
                return unlabelled[0]
            clients = ", ".join(repr(r.client) for r in rows)
            raise StoreError(self.label, f"{name!r} is saved for several clients ({clients}): name the client")
        return rows[0]

    def _revision(self, conn: Connection, row: sa.Row, number: int | None) -> Revision:
        number = row.current_revision if number is None else number
        rev = conn.execute(
            sa.select(revisions).where(revisions.c.scenario_id == row.id, revisions.c.number == number)
        ).first()
        if rev is None:
            raise StoreError(
                self.label,
                f"{_describe(row.client, row.name)} has no revision {number} (revisions 1-{row.current_revision})",
            )
        return Revision(rev.number, rev.saved_at, rev.schema_version, rev.note, rev.payload)

    def _append(
        self, conn: Connection, row: sa.Row, payload: dict[str, Any], note: str, now: datetime | None = None
    ) -> int:
        """Append a revision to a locked scenario row and make it current (undeleting the scenario)."""
        now = now or _now()
        number = row.current_revision + 1
        conn.execute(
            sa.insert(revisions).values(
                scenario_id=row.id,
                number=number,
                saved_at=now,
                schema_version=payload_version(payload),
                note=note,
                payload=payload,
            )
        )
        conn.execute(
            sa.update(scenarios)
            .where(scenarios.c.id == row.id)
            .values(updated_at=now, current_revision=number, deleted_at=None)
        )
        return number

    def _create(self, conn: Connection, client: str, name: str, payload: dict[str, Any], note: str) -> None:
        """A new scenario with its first revision; raises StoreError when the name is taken."""
        taken = conn.execute(
            sa.select(scenarios.c.id).where(scenarios.c.client == client, scenarios.c.name == name)
        ).first()
        if taken is not None:
            raise StoreError(self.label, f"a scenario named {_describe(client, name)} already exists")
        now = _now()
        result = conn.execute(
            sa.insert(scenarios).values(client=client, name=name, created_at=now, updated_at=now, current_revision=0)
        )
        row = conn.execute(sa.select(scenarios).where(scenarios.c.id == result.inserted_primary_key[0])).one()
        self._append(conn, row, payload, note, now)

    def _record(self, conn: Connection, client: str, name: str) -> SavedScenario:
        return self._list(conn, exact=(client, name), include_deleted=True)[0]

    def _list(
        self,
        conn: Connection,
        search: str = "",
        client: str | None = None,
        include_deleted: bool = False,
        exact: tuple[str, str] | None = None,
    ) -> list[SavedScenario]:
        s, r = scenarios, revisions
        query = sa.select(s, r.c.payload).join(
            r, sa.and_(r.c.scenario_id == s.c.id, r.c.number == s.c.current_revision)
        )
        if exact is not None:
            query = query.where(s.c.client == exact[0], s.c.name == exact[1])
        if search.strip():
            needle = search.strip().lower()
            query = query.where(
                sa.or_(
                    sa.func.lower(s.c.name).contains(needle, autoescape=True),
                    sa.func.lower(s.c.client).contains(needle, autoescape=True),
                )
            )
        if client is not None:
            query = query.where(s.c.client == client.strip())
        if not include_deleted:
            query = query.where(s.c.deleted_at.is_(None))
        query = query.order_by(s.c.updated_at.desc(), s.c.id.desc())
        return [
            SavedScenario(
                row.client,
                row.name,
                row.created_at,
                row.updated_at,
                row.deleted_at,
                row.current_revision,
                payload_summary(row.payload),
            )
            for row in conn.execute(query)
        ]

    # the public operations

    def save(self, scenario: Scenario, client: str = "", note: str = "saved") -> SavedScenario:
        """Save a validated scenario under its name (and client label): a new scenario or a new revision."""
        name, client = _clean_name(scenario.name), _clean_client(client)
        payload = scenario_payload(scenario)

        def work(conn: Connection) -> SavedScenario:
            query = sa.select(scenarios).where(scenarios.c.client == client, scenarios.c.name == name)
            row = conn.execute(query.with_for_update() if self.is_postgresql else query).first()
            if row is None:
                self._create(conn, client, name, payload, note)
            else:
                self._append(conn, row, payload, note if row.deleted_at is None else f"{note} (was deleted)")
            return self._record(conn, client, name)

        return self._transact(work)

    def list(self, search: str = "", client: str | None = None, include_deleted: bool = False) -> list[SavedScenario]:
        """Saved scenarios, most recently updated first; ``search`` matches name or client (any case)."""
        return self._transact(lambda conn: self._list(conn, search, client, include_deleted), write=False)

    def clients(self) -> list[str]:
        """Every client label in use (including ``""``), sorted."""
        query = sa.select(scenarios.c.client).distinct().order_by(scenarios.c.client)
        return self._transact(lambda conn: list(conn.execute(query).scalars()), write=False)

    def get(self, name: str, client: str | None = None) -> SavedScenario:
        """One saved scenario (deleted ones too)."""

        def work(conn: Connection) -> SavedScenario:
            row = self._find(conn, name, client)
            return self._record(conn, row.client, row.name)

        return self._transact(work, write=False)

    def history(self, name: str, client: str | None = None) -> list[Revision]:
        """Every revision, oldest first."""

        def work(conn: Connection) -> list[Revision]:
            row = self._find(conn, name, client)
            rows = conn.execute(
                sa.select(revisions).where(revisions.c.scenario_id == row.id).order_by(revisions.c.number)
            )
            return [Revision(r.number, r.saved_at, r.schema_version, r.note, r.payload) for r in rows]

        return self._transact(work, write=False)

    def revision(self, name: str, client: str | None = None, number: int | None = None) -> Revision:
        """One revision as stored (the latest when ``number`` is None)."""
        return self._transact(lambda conn: self._revision(conn, self._find(conn, name, client), number), write=False)

    def load(self, name: str, data: DataBundle, client: str | None = None, number: int | None = None) -> Scenario:
        """A revision (the latest by default), upgraded to the current schema and validated."""

        def work(conn: Connection) -> tuple[sa.Row, Revision]:
            row = self._find(conn, name, client)
            return row, self._revision(conn, row, number)

        row, rev = self._transact(work, write=False)
        where = f"{self.label}: {_describe(row.client, row.name)} revision {rev.number}"
        return parse_scenario(upgrade_payload(rev.payload), data, where)

    def rename(self, name: str, new_name: str, client: str | None = None) -> SavedScenario:
        """Give a scenario a new name (same client); recorded as a new revision whose ``name`` is the new one."""
        new_name = _clean_name(new_name, "new name")

        def work(conn: Connection) -> SavedScenario:
            row = self._find(conn, name, client, lock=True)
            if new_name != row.name:
                taken = conn.execute(
                    sa.select(scenarios.c.id).where(scenarios.c.client == row.client, scenarios.c.name == new_name)
                ).first()
                if taken is not None:
                    raise StoreError(self.label, f"a scenario named {_describe(row.client, new_name)} already exists")
                payload = {**upgrade_payload(self._revision(conn, row, None).payload), "name": new_name}
                conn.execute(sa.update(scenarios).where(scenarios.c.id == row.id).values(name=new_name))
                self._append(conn, row, payload, f"renamed from {row.name!r}")
            return self._record(conn, row.client, new_name)

        return self._transact(work)

    def duplicate(
        self, name: str, new_name: str, client: str | None = None, new_client: str | None = None
    ) -> SavedScenario:
        """Copy a scenario's latest revision to a new name (and client label), as its revision 1."""
        new_name = _clean_name(new_name, "new name")

        def work(conn: Connection) -> SavedScenario:
            row = self._find(conn, name, client)
            target_client = row.client if new_client is None else _clean_client(new_client)
            payload = {**upgrade_payload(self._revision(conn, row, None).payload), "name": new_name}
            note = f"copy of {_describe(row.client, row.name)} revision {row.current_revision}"
            self._create(conn, target_client, new_name, payload, note)
            return self._record(conn, target_client, new_name)

        return self._transact(work)

    def delete(self, name: str, client: str | None = None) -> SavedScenario:
        """Soft delete: hidden from the list, kept with its history until restored or purged."""

        def work(conn: Connection) -> SavedScenario:
            row = self._find(conn, name, client, lock=True)
            if row.deleted_at is None:
                conn.execute(sa.update(scenarios).where(scenarios.c.id == row.id).values(deleted_at=_now()))
            return self._record(conn, row.client, row.name)

        return self._transact(work)

    def undelete(self, name: str, client: str | None = None) -> SavedScenario:
        """Bring back a deleted scenario as it was (no new revision)."""

        def work(conn: Connection) -> SavedScenario:
            row = self._find(conn, name, client, lock=True)
            conn.execute(sa.update(scenarios).where(scenarios.c.id == row.id).values(deleted_at=None))
            return self._record(conn, row.client, row.name)

        return self._transact(work)

    def restore_revision(self, name: str, number: int, client: str | None = None) -> SavedScenario:
        """Make an earlier revision current again by appending it as a new revision (history only grows)."""

        def work(conn: Connection) -> SavedScenario:
            row = self._find(conn, name, client, lock=True)
            payload = {**upgrade_payload(self._revision(conn, row, number).payload), "name": row.name}
            self._append(conn, row, payload, f"restored revision {number}")
            return self._record(conn, row.client, row.name)

        return self._transact(work)

    def purge(self, name: str, client: str | None = None) -> None:
        """Remove a deleted scenario and all its revisions for good (a live one must be deleted first)."""

        def work(conn: Connection) -> None:
            row = self._find(conn, name, client, lock=True)
            if row.deleted_at is None:
                raise StoreError(self.label, f"{_describe(row.client, row.name)} is not deleted: delete it first")
            conn.execute(sa.delete(revisions).where(revisions.c.scenario_id == row.id))
            conn.execute(sa.delete(scenarios).where(scenarios.c.id == row.id))

        self._transact(work)


def _sqlite_transactions(engine: Engine) -> None:
    """WAL, a busy timeout and foreign keys on every connection; writers take the lock up front.

    pysqlite's own transaction handling is switched off so that SQLAlchemy's ``begin`` emits
    ``BEGIN IMMEDIATE`` for a write (the write lock is taken at once, waiting up to the busy
    timeout) and ``BEGIN`` for a read (SQLAlchemy documents this recipe for the pysqlite dialect).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")  # wait up to 30 s for another writer
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("calc_write") else "BEGIN")


def _is_transient(err: exc.OperationalError) -> bool:
    """A lock timeout or serialisation failure worth retrying (not a bad URL or a missing server)."""
    text = str(err.orig).lower()
    return any(s in text for s in ("database is locked", "database table is locked", "deadlock", "could not serialize"))


def _first_line(err: BaseException) -> str:
    orig = getattr(err, "orig", None) or err
    text = str(orig).strip().splitlines()
    return f"{orig.__class__.__name__}: {text[0]}" if text else orig.__class__.__name__
