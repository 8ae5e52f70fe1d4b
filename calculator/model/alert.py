"""A warning as data: a stable code, a severity, plain words and sources (DESIGN.md section 4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["critical", "warning", "info"]


@dataclass(frozen=True)
class Alert:
    """A warning with a stable code (DESIGN.md section 4), in plain words, with sources.

    ``subject`` names what it concerns (a component such as ``procedure``, a checklist
    item id, ``stay`` or ``total``) so a page can show it beside that figure.
    """

    code: str
    severity: Severity
    message: str
    sources: tuple[str, ...]
    subject: str = "total"
