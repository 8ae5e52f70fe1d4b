"""Random but valid batch scenarios for the benchmarks (seeded, so every run measures the same file)."""

from __future__ import annotations

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
