"""Where the scenario database is and how its connections behave.

``database_url`` picks the database (``--db``, else ``DATABASE_URL``, else a SQLite file);
``_sqlite_transactions`` sets SQLite up for several processes at once (WAL, busy timeout, writers
locking up front); ``_is_transient`` and ``_first_line`` tell a retryable lock or serialisation
failure from a real one and word the error. ``StoreError`` is the one error the store raises.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine

from calculator.model.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = ROOT / "var" / "scenarios.sqlite3"
"""The SQLite file used when neither ``DATABASE_URL`` nor ``CALC_DB_PATH`` is set (git-ignored)."""


class StoreError(InputError):
    """The store cannot do what was asked (unknown name, name taken, database unreachable)."""


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
