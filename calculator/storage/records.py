"""What the store hands back: a scenario as listed (``SavedScenario``) and a revision (``Revision``).

Plain frozen dataclasses with times in UTC and a JSON-ready ``as_dict``; they hold no connection,
so the presentation layer and the pages can use them without touching the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from calculator.storage.payloads import payload_summary


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
    """One stored revision: its number (1, 2, ...), time (UTC), note and the payload as stored (None: unreadable)."""

    number: int
    saved: datetime
    schema_version: int
    note: str
    payload: dict[str, Any] | None

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
