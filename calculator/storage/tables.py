"""The store's tables (SQLAlchemy Core), their column types and the version of their layout.

``scenarios`` holds one row per saved scenario (client label, name, times, current revision),
``scenario_revisions`` every revision's payload and ``store_meta`` the layout's version
(``STORE_VERSION``). A change to the tables raises ``STORE_VERSION`` and adds the step that migrates
an existing database in place to ``MIGRATIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

STORE_VERSION = 1
"""Version of the store's tables (not of the scenario JSON, which is ``schema_version``)."""
MAX_CLIENT_CHARS = 100


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
