"""In-place migrations of the store's tables, one store version at a time (``MIGRATIONS``).

Each step runs inside the transaction that opens the store (one process at a time: PostgreSQL holds an
advisory lock, SQLite the write lock), so a store is either migrated whole or left as it was.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from calculator.storage.tables import MAX_OWNER_CHARS, UtcDateTime

# Constant SQL (no value is pasted in): the owner column's size is MAX_OWNER_CHARS and its default LOCAL_OWNER,
# checked by tests/storage/test_store_owners.py.
_PG_V1_TO_V2 = (
    "ALTER TABLE scenarios ADD COLUMN owner VARCHAR(300) NOT NULL DEFAULT 'local'",
    "ALTER TABLE scenarios ALTER COLUMN owner DROP DEFAULT",
    "ALTER TABLE scenarios DROP CONSTRAINT uq_scenarios_client_name",
    "ALTER TABLE scenarios ADD CONSTRAINT uq_scenarios_owner_client_name UNIQUE (owner, client, name)",
)
_SQLITE_V1_TO_V2 = (
    "INSERT INTO new_scenarios (owner, id, client, name, created_at, updated_at, deleted_at, current_revision) "
    "SELECT 'local', id, client, name, created_at, updated_at, deleted_at, current_revision FROM scenarios",
    "INSERT INTO new_scenario_revisions (id, scenario_id, number, saved_at, schema_version, note, payload) "
    "SELECT id, scenario_id, number, saved_at, schema_version, note, payload FROM scenario_revisions",
    "DROP TABLE scenario_revisions",
    "DROP TABLE scenarios",
    "ALTER TABLE new_scenarios RENAME TO scenarios",
    "ALTER TABLE new_scenario_revisions RENAME TO scenario_revisions",
)


def _v1_to_v2_postgresql(conn: Connection) -> None:
    """Add ``owner`` (existing rows become ``local``'s) and make names unique per owner and client.

    A store in its own schema (``Store(schema=...)``) gets that schema first on the search path for this
    transaction only (``set_config(..., true)``, the schema a bound parameter).
    """
    schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(None)
    if schema:
        conn.execute(sa.select(sa.func.set_config("search_path", schema, True)))
    for statement in _PG_V1_TO_V2:
        conn.exec_driver_sql(statement)


def _v2_tables(meta: sa.MetaData, prefix: str) -> tuple[sa.Table, sa.Table]:
    """Version 2's two tables under ``prefix`` names (the rebuild SQLite needs to change a unique constraint)."""
    s = sa.Table(
        f"{prefix}scenarios",
        meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("owner", sa.String(MAX_OWNER_CHARS), nullable=False),
        sa.Column("client", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("deleted_at", UtcDateTime, nullable=True),
        sa.Column("current_revision", sa.Integer, nullable=False),
        sa.UniqueConstraint("owner", "client", "name", name="uq_scenarios_owner_client_name"),
    )
    r = sa.Table(
        f"{prefix}scenario_revisions",
        meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "scenario_id", sa.Integer, sa.ForeignKey(f"{prefix}scenarios.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("saved_at", UtcDateTime, nullable=False),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("note", sa.String(300), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.UniqueConstraint("scenario_id", "number", name="uq_revisions_scenario_number"),
    )
    return s, r


def _v1_to_v2_sqlite(conn: Connection) -> None:
    """SQLite cannot drop a unique constraint: build version 2's tables beside the old ones, copy, swap.

    The old revisions table goes first, so dropping the old scenarios table cascades to nothing; renaming the new
    scenarios table rewrites the new revisions table's foreign key to the final name (SQLite 3.26 and later).
    """
    new_s, new_r = _v2_tables(sa.MetaData(), "new_")
    new_s.create(conn)
    new_r.create(conn)
    for statement in _SQLITE_V1_TO_V2:
        conn.exec_driver_sql(statement)


def _v1_to_v2(conn: Connection) -> None:
    """Store version 1 (no owners) to 2: every existing scenario becomes ``local``'s, the owner of a copy
    that nobody signs in to, so a single user sees exactly what they saw before."""
    if conn.dialect.name == "postgresql":
        _v1_to_v2_postgresql(conn)
    else:
        _v1_to_v2_sqlite(conn)


MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2}
"""Store version n -> the function that migrates the tables from n to n + 1."""
