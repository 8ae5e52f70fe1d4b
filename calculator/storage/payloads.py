"""The stored scenario payload: a validated scenario as JSON, and its format versions.

A payload is what one revision stores (``scenario_payload``); it carries the scenario's
``schema_version``, and a payload written in an older version is upgraded on read, one version at a
time (``UPGRADES``, ``upgrade_payload``); ``payload_summary`` is the one-line description the lists show.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from calculator.model.scenario import SCHEMA_VERSION, Scenario, upgrade_v1


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


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1, 1: upgrade_v1}
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


def decode_payload(text: str | None) -> dict[str, Any] | None:
    """A stored payload's JSON object, or None when the stored text is not one (a corrupt row)."""
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def payload_summary(payload: dict[str, Any] | None) -> str:
    """A short line about a payload, e.g. ``"mexico_colombia, turkey_thailand · USD · 2 travellers"``."""
    if not isinstance(payload, dict):
        return "unreadable: the stored data is not a scenario"
    p = upgrade_payload(payload)
    dests = p.get("destinations")
    parts = [", ".join(str(d) for d in dests) if isinstance(dests, list) else "?"]
    parts.append(str(p.get("currency", "USD")))
    travellers = p.get("travellers", 1)
    parts.append(f"{travellers} traveller{'' if travellers == 1 else 's'}")
    return " · ".join(parts)
