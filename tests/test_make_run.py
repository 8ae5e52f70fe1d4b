"""``make run`` serves on 127.0.0.1 only: its recipe from the Makefile, run as written, listens on loopback alone."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.browser.servers import free_port, stop, wait_for_http
from tests.conftest import ROOT


def run_recipe() -> str:
    """The command line of the Makefile's ``run`` target (one line, make variables unexpanded)."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^run:.*\n\t(.+)$", text, re.MULTILINE)
    assert match, "no run target in the Makefile"
    return match.group(1)


def listening_addresses(port: int) -> set[str]:
    """Local addresses in LISTEN state on ``port`` (/proc/net/tcp and tcp6), as hex as the kernel prints them."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_make_run_listens_on_loopback_only(tmp_path: Path):
    port = free_port()
    command = run_recipe().replace("$(PY)", sys.executable).replace("$(PORT)", str(port))
    assert "--server.address 127.0.0.1" in command
    proc = subprocess.Popen(
        [*command.split(), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CALC_DB_PATH": str(tmp_path / "s.sqlite3")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", proc)
        assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1 (little-endian hex), no 0.0.0.0 and no ::
    finally:
        stop(proc)
