"""The bibliography: who said each figure, when, where, and what kind of source it is."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class SourceKind(StrEnum):
    """How far a source can be trusted for a figure (DESIGN.md section 3)."""

    VENDOR_CLAIM = "vendor_claim"
    GOVERNMENT = "government"
    REGULATOR = "regulator"
    PEER_REVIEWED = "peer_reviewed"
    PROFESSIONAL_BODY = "professional_body"
    USER_INPUT = "user_input"
    ASSUMPTION = "assumption"


KIND_LABELS: dict[SourceKind, str] = {
    SourceKind.VENDOR_CLAIM: "vendor claim (unverified)",
    SourceKind.GOVERNMENT: "government",
    SourceKind.REGULATOR: "regulator",
    SourceKind.PEER_REVIEWED: "peer-reviewed",
    SourceKind.PROFESSIONAL_BODY: "professional body",
    SourceKind.USER_INPUT: "your input",
    SourceKind.ASSUMPTION: "assumption",
}

USER_INPUT = "user_input"
"""The id of the pseudo-source for figures the user entered."""


class Source(BaseModel):
    """One entry of ``data/sources.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    publisher: str
    title: str
    date: str
    url: str = ""
    kind: SourceKind
    note: str = ""

    def citation(self) -> str:
        """A one-line citation: publisher, title, date, URL and kind."""
        parts = [self.publisher, f"“{self.title}”"]
        if self.date:
            parts.append(self.date)
        if self.url:
            parts.append(self.url)
        return ", ".join(parts) + f" [{KIND_LABELS[self.kind]}]"
