"""Random but valid batch scenarios for the benchmarks (seeded, so every run measures the same file)."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

DESTINATIONS = ("mexico_colombia", "turkey_thailand", "india_malaysia")
CITIES = {"mexico_colombia": ("tijuana", "bogota"), "turkey_thailand": ("bangkok",), "india_malaysia": ("penang",)}


def scenario(i: int, rng: random.Random, destinations: int = 3) -> dict[str, Any]:
    """One scenario with every destination, varied travellers, stay, fares, quotes and costs."""
    dests = list(DESTINATIONS[:destinations])
    travel: dict[str, Any] = {}
    for d in dests:
        entry: dict[str, Any] = {}
        if rng.random() < 0.9:
            entry["fare_per_traveller"] = rng.randrange(300, 1800, 10)
        if rng.random() < 0.3:
            entry["city"] = rng.choice(CITIES[d])
        if rng.random() < 0.2:
            entry["lodging_per_night"] = rng.randrange(60, 400)
        travel[d] = entry
    raw: dict[str, Any] = {
        "name": f"Client {i}",
        "destinations": dests,
        "travellers": rng.randint(1, 3),
        "rooms": rng.randint(1, 2),
        "stay": {"pre_days": sorted([rng.randint(0, 3), rng.randint(0, 3)]), "recovery_days": [2, rng.randint(2, 10)]},
        "travel": travel,
        "insurance": rng.choice([0, 120, 180]),
        "contingency_pct": rng.choice([0, 10, 15, 30]),
        "follow_up_trips": rng.choice([0, 0, 1]),
        "lost_income_per_day": rng.choice([0, 0, 150]),
    }
    if rng.random() < 0.2:
        low = rng.randrange(2000, 9000, 100)
        raw["quotes"] = {dests[0]: {"low": low, "high": low + rng.randrange(0, 2000, 100)}}
    if rng.random() < 0.1:
        raw["currency"] = rng.choice(["EUR", "GBP", "MXN"])
    return raw


def scenarios(n: int, seed: int = 2026) -> list[dict[str, Any]]:
    """``n`` scenarios, the same for the same seed."""
    rng = random.Random(seed)
    return [scenario(i, rng) for i in range(n)]


def write_jsonl(path: Path, n: int, seed: int = 2026) -> Path:
    """A JSON-lines batch file of ``n`` scenarios."""
    path.write_text("".join(json.dumps(s) + "\n" for s in scenarios(n, seed)), encoding="utf-8")
    return path


def flat_cells(raw: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """A scenario as batch CSV cells: nested keys dotted, lists joined with ';'."""
    cells: dict[str, str] = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            cells |= flat_cells(value, f"{prefix}{key}.")
        elif isinstance(value, list):
            cells[prefix + key] = ";".join(str(v) for v in value)
        else:
            cells[prefix + key] = str(value)
    return cells


def write_csv(path: Path, n: int, seed: int = 2026) -> Path:
    """A CSV batch file of the same ``n`` scenarios as :func:`write_jsonl`."""
    rows = [flat_cells(s) for s in scenarios(n, seed)]
    columns = sorted({key for row in rows for key in row})
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
