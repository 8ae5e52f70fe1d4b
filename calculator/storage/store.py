"""Saved scenarios: per owner, named, per client label, with every revision kept (SQLAlchemy 2).

Every scenario has an owner (``Store(owner=...)``, ``Store.owned_by``): the signed-in identity's issuer and
subject (``owner_id``), or ``local`` when nobody signs in. A store only ever sees its owner's scenarios:
another owner's is "not found", by list and by name alike.

Where the scenarios live: ``database_url`` (``--db``, else ``DATABASE_URL``, else a SQLite file).

Tables are created on first use; ``store_meta`` holds the store's own version (``STORE_VERSION``)
so a later version migrates the tables in place (``calculator.storage.migrations``): a store written
before owners existed becomes ``local``'s.

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

This module is the ``Store`` itself; the payload format and its versions are in ``payloads``, the
records it returns in ``records``, the tables in ``tables`` and the connection set-up in ``database``.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateSchema

from calculator.model.data import DataBundle
from calculator.model.scenario import Scenario, parse_scenario
from calculator.storage.database import (
    StoreError,
    _first_line,
    _is_transient,
    _sqlite_transactions,
    database_url,
)
from calculator.storage.migrations import MIGRATIONS
from calculator.storage.payloads import (
    decode_payload,
    payload_summary,
    payload_version,
    scenario_payload,
    upgrade_payload,
)
from calculator.storage.records import Revision, SavedScenario
from calculator.storage.tables import (
    LOCAL_OWNER,
    MAX_CLIENT_CHARS,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_OWNER_CHARS,
    STORE_VERSION,
    clean_text,
    fit_note,
    metadata,
    revisions,
    scenarios,
    store_meta,
)

MAX_ATTEMPTS = 10
_PG_INIT_LOCK = 7_246_061_001
"""Key of the PostgreSQL advisory lock taken while the tables are created (one creator at a time)."""

T = TypeVar("T")


_PAYLOAD_TEXT = sa.cast(revisions.c.payload, sa.Text).label("payload_text")
"""A payload as the text stored, decoded row by row (``decode_payload``): a corrupt row spoils only itself."""
_REVISION_COLUMNS = (
    revisions.c.number,
    revisions.c.saved_at,
    revisions.c.schema_version,
    revisions.c.note,
    _PAYLOAD_TEXT,
)


def _clean_name(name: str, what: str = "name") -> str:
    return clean_text(name, what, MAX_NAME_CHARS)


def _clean_client(client: str) -> str:
    return clean_text(client, "client", MAX_CLIENT_CHARS, required=False)


def _revision_of(row: sa.Row) -> Revision:
    return Revision(row.number, row.saved_at, row.schema_version, row.note, decode_payload(row.payload_text))


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

    def __init__(self, url: str | sa.URL | None = None, *, schema: str | None = None, owner: str = LOCAL_OWNER) -> None:
        self.owner = clean_text(owner, "owner", MAX_OWNER_CHARS)
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

    def owned_by(self, owner: str) -> Store:
        """The same database (engine and connection pool shared) acting for ``owner``."""
        view = copy.copy(self)
        view.owner = clean_text(owner, "owner", MAX_OWNER_CHARS)
        return view

    # finding rows

    def _find(self, conn: Connection, name: str, client: str | None, lock: bool = False) -> sa.Row:
        """The scenario row for ``name`` and ``client``.

        With ``client`` None: the one saved without a client label if there is one, else the only one.
        """
        query = sa.select(scenarios).where(scenarios.c.owner == self.owner, scenarios.c.name == name.strip())
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
            sa.select(*_REVISION_COLUMNS).where(revisions.c.scenario_id == row.id, revisions.c.number == number)
        ).first()
        if rev is None:
            raise StoreError(
                self.label,
                f"{_describe(row.client, row.name)} has no revision {number} (revisions 1-{row.current_revision})",
            )
        return _revision_of(rev)

    def _stored(self, conn: Connection, row: sa.Row, number: int | None) -> dict[str, Any]:
        """A revision's payload, upgraded; a corrupt one is a ``StoreError`` about that scenario alone."""
        rev = self._revision(conn, row, number)
        if rev.payload is None:
            raise StoreError(
                self.label, f"{_describe(row.client, row.name)} revision {rev.number}: the stored data is unreadable"
            )
        return upgrade_payload(rev.payload)

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
                note=fit_note(note),
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
        if self._taken(conn, client, name):
            raise StoreError(self.label, f"a scenario named {_describe(client, name)} already exists")
        now = _now()
        result = conn.execute(
            sa.insert(scenarios).values(
                owner=self.owner, client=client, name=name, created_at=now, updated_at=now, current_revision=0
            )
        )
        row = conn.execute(sa.select(scenarios).where(scenarios.c.id == result.inserted_primary_key[0])).one()
        self._append(conn, row, payload, note, now)

    def _taken(self, conn: Connection, client: str, name: str) -> bool:
        s = scenarios.c
        return (
            conn.execute(sa.select(s.id).where(s.owner == self.owner, s.client == client, s.name == name)).first()
            is not None
        )

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
        query = (
            sa.select(s, _PAYLOAD_TEXT)
            .join(r, sa.and_(r.c.scenario_id == s.c.id, r.c.number == s.c.current_revision))
            .where(s.c.owner == self.owner)
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
                payload_summary(decode_payload(row.payload_text)),
            )
            for row in conn.execute(query)
        ]

    # the public operations

    def save(self, scenario: Scenario, client: str = "", note: str = "saved") -> SavedScenario:
        """Save a validated scenario under its name (and client label): a new scenario or a new revision."""
        name, client = _clean_name(scenario.name), _clean_client(client)
        note = clean_text(note, "note", MAX_NOTE_CHARS)
        payload = scenario_payload(scenario)

        def work(conn: Connection) -> SavedScenario:
            query = sa.select(scenarios).where(
                scenarios.c.owner == self.owner, scenarios.c.client == client, scenarios.c.name == name
            )
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
        query = (
            sa.select(scenarios.c.client).where(scenarios.c.owner == self.owner).distinct().order_by(scenarios.c.client)
        )
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
                sa.select(*_REVISION_COLUMNS).where(revisions.c.scenario_id == row.id).order_by(revisions.c.number)
            )
            return [_revision_of(r) for r in rows]

        return self._transact(work, write=False)

    def revision(self, name: str, client: str | None = None, number: int | None = None) -> Revision:
        """One revision as stored (the latest when ``number`` is None)."""
        return self._transact(lambda conn: self._revision(conn, self._find(conn, name, client), number), write=False)

    def load(self, name: str, data: DataBundle, client: str | None = None, number: int | None = None) -> Scenario:
        """A revision (the latest by default), upgraded to the current schema and validated."""

        def work(conn: Connection) -> tuple[sa.Row, int, dict[str, Any]]:
            row = self._find(conn, name, client)
            return row, row.current_revision if number is None else number, self._stored(conn, row, number)

        row, found, payload = self._transact(work, write=False)
        return parse_scenario(payload, data, f"{self.label}: {_describe(row.client, row.name)} revision {found}")

    def rename(self, name: str, new_name: str, client: str | None = None) -> SavedScenario:
        """Give a scenario a new name (same client); recorded as a new revision whose ``name`` is the new one."""
        new_name = _clean_name(new_name, "new name")

        def work(conn: Connection) -> SavedScenario:
            row = self._find(conn, name, client, lock=True)
            if new_name != row.name:
                if self._taken(conn, row.client, new_name):
                    raise StoreError(self.label, f"a scenario named {_describe(row.client, new_name)} already exists")
                payload = {**self._stored(conn, row, None), "name": new_name}
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
            payload = {**self._stored(conn, row, None), "name": new_name}
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
            payload = {**self._stored(conn, row, number), "name": row.name}
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
