"""The store survives a process killed in the middle of a save: no partial scenario, earlier revisions intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from calculator.model.data import DataBundle
from calculator.model.scenario import parse_scenario
from calculator.storage.store import Store
from tests.conftest import ROOT
from tests.storage.test_store import target  # noqa: F401  (the SQLite / PostgreSQL fixture)

CHILD = r"""
import sys, time
from pathlib import Path
import sqlalchemy as sa
from calculator.model.data import load_data
from calculator.model.scenario import parse_scenario
from calculator.storage.store import Store

url, schema, marker = sys.argv[1], sys.argv[2] or None, Path(sys.argv[3])

@sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
def stall(conn, cursor, statement, parameters, context, executemany):
    # The revision row is written; the scenario row's update is next: stop here, inside the transaction.
    if statement.lstrip().upper().startswith("UPDATE") and "current_revision" in statement:
        marker.write_text("inside")
        time.sleep(120)

data = load_data()
Store(url, schema=schema).save(parse_scenario({"name": "Killed", "destinations": ["mexico_colombia"],
                                               "travellers": 2}, data, "child"))
"""


def test_a_save_killed_midway_leaves_the_earlier_revision_intact(target, data: DataBundle, tmp_path: Path):  # noqa: F811
    url, schema = target
    first = parse_scenario({"name": "Killed", "destinations": ["mexico_colombia"], "travellers": 1}, data, "t")
    store = Store(url, schema=schema)
    store.save(first)
    store.close()
    marker = tmp_path / "inside"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, schema or "", str(marker)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the child never reached the middle of its save"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)

    store = Store(url, schema=schema)
    try:
        assert [r.number for r in store.history("Killed")] == [1]
        assert store.get("Killed").revision == 1
        assert store.load("Killed", data) == first
        # No lock is left behind: the next save goes through and becomes revision 2.
        second = parse_scenario({"name": "Killed", "destinations": ["mexico_colombia"], "travellers": 3}, data, "t")
        assert store.save(second).revision == 2
        assert store.load("Killed", data).travellers == 3
    finally:
        store.close()
