"""The store's tables (SQLAlchemy Core), their column types and the version of their layout.

``scenarios`` holds one row per saved scenario (owner, client label, name, times, current revision),
``scenario_revisions`` every revision's payload and ``store_meta`` the layout's version
(``STORE_VERSION``). A change to the tables raises ``STORE_VERSION`` and adds the step that migrates
an existing database in place (``calculator.storage.migrations``).

The text columns' sizes are limits the code enforces itself (``clean_text``) before anything reaches the
database, so SQLite (which ignores ``VARCHAR(n)``) and PostgreSQL (which refuses a longer value) take
exactly the same values. Their sum stays under PostgreSQL's b-tree entry limit (2,704 bytes) for the
``(owner, client, name)`` unique index even at 4 bytes a character.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from calculator.storage.database import StoreError

STORE_VERSION = 2
"""Version of the store's tables (not of the scenario JSON, which is ``schema_version``).

1: scenarios per client label; 2: every scenario has an owner (``owner``), names unique per owner and client.
"""
MAX_OWNER_CHARS = 300
MAX_CLIENT_CHARS = 100
MAX_NAME_CHARS = 200
MAX_NOTE_CHARS = 300
LOCAL_OWNER = "local"
"""The owner when nobody signs in: the one user of a copy running on their own machine, and the CLI's default."""


def owner_id(issuer: str, subject: str) -> str:
    """The owner of a signed-in identity: ``ISSUER#SUBJECT`` (an issuer URL has no fragment, so it is unambiguous).

    OpenID Connect guarantees that issuer and subject together name one account for good; an email can change
    hands, so it is shown, never used as the key.
    """
    return f"{issuer}#{subject}"


def clean_text(value: str, what: str, limit: int, *, required: bool = True) -> str:
    """``value`` stripped, or a ``StoreError`` naming ``what`` when it is empty, too long or holds a NUL.

    The same check on both databases: PostgreSQL refuses a NUL character and a value over the column's size,
    SQLite would take both.
    """
    value = value.strip()
    if required and not value:
        raise StoreError(what, "is empty")
    if len(value) > limit:
        raise StoreError(what, f"is longer than {limit} characters ({len(value):,})")
    if "\x00" in value:
        raise StoreError(what, "holds a NUL character")
    return value


def fit_note(note: str) -> str:
    """A note the store writes itself (``copy of ...``, ``saved from PATH``), shortened to fit its column."""
    note = note.replace("\x00", "")
    return note if len(note) <= MAX_NOTE_CHARS else note[: MAX_NOTE_CHARS - 1] + "…"


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
    sa.Column("owner", sa.String(MAX_OWNER_CHARS), nullable=False),
    sa.Column("client", sa.String(MAX_CLIENT_CHARS), nullable=False),
    sa.Column("name", sa.String(MAX_NAME_CHARS), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("deleted_at", UtcDateTime, nullable=True),
    sa.Column("current_revision", sa.Integer, nullable=False),
    sa.UniqueConstraint("owner", "client", "name", name="uq_scenarios_owner_client_name"),
)
revisions = sa.Table(
    "scenario_revisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scenario_id", sa.Integer, sa.ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("saved_at", UtcDateTime, nullable=False),
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("note", sa.String(MAX_NOTE_CHARS), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.UniqueConstraint("scenario_id", "number", name="uq_revisions_scenario_number"),
)
