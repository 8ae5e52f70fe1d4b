"""In-place migrations of the store's tables, one store version at a time (``MIGRATIONS``).

Each step runs inside the transaction that opens the store (one process at a time: PostgreSQL holds an
advisory lock, SQLite the write lock), so a store is either migrated whole or left as it was.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from calculator.storage.tables import LOCAL_OWNER, MAX_OWNER_CHARS, UtcDateTime


def _scenarios_table(conn: Connection) -> str:
    """``scenarios``, schema-qualified when the store lives in its own schema (``Store(schema=...)``)."""
    schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(None)
    quote = conn.dialect.identifier_preparer.quote
    return f"{quote(schema)}.scenarios" if schema else "scenarios"


def _v1_to_v2_postgresql(conn: Connection) -> None:
    """Add ``owner`` (existing rows become ``local``'s) and make names unique per owner and client."""
    table = _scenarios_table(conn)
    for step in (
        f"ADD COLUMN owner VARCHAR({MAX_OWNER_CHARS}) NOT NULL DEFAULT '{LOCAL_OWNER}'",
        "ALTER COLUMN owner DROP DEFAULT",
        "DROP CONSTRAINT uq_scenarios_client_name",
        "ADD CONSTRAINT uq_scenarios_owner_client_name UNIQUE (owner, client, name)",
    ):
        conn.exec_driver_sql(f"ALTER TABLE {table} {step}")


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
    cols = "id, client, name, created_at, updated_at, deleted_at, current_revision"
    conn.exec_driver_sql(
        f"INSERT INTO new_scenarios (owner, {cols}) SELECT '{LOCAL_OWNER}', {cols} FROM scenarios"  # noqa: S608
    )
    rcols = "id, scenario_id, number, saved_at, schema_version, note, payload"
    conn.exec_driver_sql(f"INSERT INTO new_scenario_revisions ({rcols}) SELECT {rcols} FROM scenario_revisions")  # noqa: S608
    conn.exec_driver_sql("DROP TABLE scenario_revisions")
    conn.exec_driver_sql("DROP TABLE scenarios")
    conn.exec_driver_sql("ALTER TABLE new_scenarios RENAME TO scenarios")
    conn.exec_driver_sql("ALTER TABLE new_scenario_revisions RENAME TO scenario_revisions")


def _v1_to_v2(conn: Connection) -> None:
    """Store version 1 (no owners) to 2: every existing scenario becomes ``local``'s, the owner of a copy
    that nobody signs in to, so a single user sees exactly what they saw before."""
    if conn.dialect.name == "postgresql":
        _v1_to_v2_postgresql(conn)
    else:
        _v1_to_v2_sqlite(conn)


MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2}
"""Store version n -> the function that migrates the tables from n to n + 1."""
