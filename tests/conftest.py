"""Shared fixtures: the bundled data, scenario builders, the CLI in a subprocess, the app in a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from calculator.model.data import DataBundle, load_data
from calculator.model.scenario import Scenario, parse_scenario

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
APPTEST_TIMEOUT = 60


@pytest.fixture(scope="session")
def data() -> DataBundle:
    return load_data()


def shown(markdown: str) -> str:
    """A message's Markdown source as the reader sees it: ``plain_text``'s backslash escapes read as the characters."""
    return re.sub(r"\\(.)", r"\1", markdown, flags=re.DOTALL)


def make_scenario(data: DataBundle, **raw: Any) -> Scenario:
    """A validated scenario from keyword arguments (the JSON keys)."""
    return parse_scenario(raw, data, "test")


MEXICO_ACCEPTANCE = {
    "name": "Acceptance: Mexico",
    "destinations": ["mexico_colombia"],
    "travel": {"mexico_colombia": {"fare_per_traveller": 650, "lodging_per_night": 250, "daily_per_traveller": 136}},
}
"""Issue 2's acceptance scenario: total 6,194 / 10,773 / 15,352; savings -352 / 9,227 / 18,806."""


def write_json(path: Path, obj: Any) -> Path:
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m calculator ARGS`` in a subprocess, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "calculator", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by ``streamlit run`` on a free loopback port (own SQLite store in a temp folder)."""
    from tests.browser.servers import streamlit_app  # imports this module: loaded on first use

    store = tmp_path_factory.mktemp("store") / "scenarios.sqlite3"
    with streamlit_app(_free_port(), {"CALC_DB_PATH": str(store)}) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless chromium driven by Playwright (skipped locally without it, a failure in CI)."""
    if not shutil.which("chromium") and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (CI must install Debian's chromium)")
        pytest.skip("chromium not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def wait_for_app(page: Any, ready: str = '[data-testid="stMain"] h1', timeout_ms: int = 60_000) -> None:
    """Wait until the page shows ``ready``, Streamlit has finished running the script and the visible charts and
    tables are drawn (one in a hidden tab or a closed expander is drawn only when shown)."""
    page.wait_for_selector(ready, timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
             && !document.querySelector('[data-testid="stSkeleton"]')
             && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                  .filter(c => c.checkVisibility()).every(c => c.querySelector('svg, canvas'))
             && [...document.querySelectorAll('[data-testid="stDataFrame"]')]
                  .filter(c => c.checkVisibility()).every(c => c.querySelector('canvas'))""",
        timeout=timeout_ms,
    )


def _is_failed_load(text: str) -> bool:
    """Chromium's console line for an HTTP error; the response itself is checked by ``_is_probe``."""
    return text.startswith("Failed to load resource: the server responded with a status of")


def _is_probe(url: str) -> bool:
    """Streamlit's frontend, opened on a page's own URL (``/diligence``), first probes ``/diligence/_stcore/health``
    and ``host-config`` for a base path, gets 404 and falls back to ``/_stcore/``: expected, not an error."""
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    return path.count("/") >= 2 and path.endswith(("_stcore/health", "_stcore/host-config"))


@pytest.fixture
def page(browser: Any, app_url: str) -> Iterator[Any]:
    """A fresh browser context and page; console errors and page errors are collected on it."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.console_errors = []
    pg.vega_warnings = []  # Vega and Vega-Lite log their warnings as "WARN ..."
    pg.on("console", lambda m: m.type == "warning" and m.text.startswith("WARN") and pg.vega_warnings.append(m.text))
    pg.on("console", lambda m: m.type == "error" and not _is_failed_load(m.text) and pg.console_errors.append(m.text))
    pg.on("response", lambda r: r.status >= 400 and not _is_probe(r.url) and pg.console_errors.append(r.url))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    context.close()
