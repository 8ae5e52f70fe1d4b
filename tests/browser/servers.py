"""Real servers for the team-server browser tests: the app (``streamlit run``), a local OpenID Connect provider
(``oidc-provider-mock``) and the whole stack of ``deploy/run-stack.sh`` (nginx, N app processes, PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import APP, ROOT, _free_port

free_port = _free_port


def wait_for_http(url: str, proc: subprocess.Popen | None = None, timeout: float = 60) -> None:
    """Wait until ``url`` answers (any status below 500), or fail naming it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace")[-2000:] if proc.stderr else ""
            pytest.fail(f"the server for {url} exited ({proc.returncode}): {err}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError as err:
            if err.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    """Terminate a server started by these helpers (its own process group), then kill it if it lingers."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextmanager
def streamlit_app(port: int, env: dict[str, str], *extra: str) -> Iterator[str]:
    """``streamlit run app.py`` on 127.0.0.1:``port`` with ``env`` added; yields its URL."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            *extra,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/_stcore/health", proc)
        yield url
    finally:
        stop(proc)


@contextmanager
def oidc_provider(users: dict[str, str]) -> Iterator[str]:
    """``oidc-provider-mock`` on a free loopback port with predefined users (subject -> email); yields its issuer."""
    port = free_port()
    claims = [
        arg for sub, email in users.items() for arg in ("--user-claims", f'{{"sub": "{sub}", "email": "{email}"}}')
    ]
    proc = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port), *claims],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{issuer}/.well-known/openid-configuration", proc)
        yield issuer
    finally:
        stop(proc)


def auth_secrets(path: Path, app_url: str, issuer: str, cookie_secret: str) -> Path:
    """A ``secrets.toml`` with the ``[auth]`` section Streamlit's ``st.login`` reads (README: Running it for a team)."""
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        f'cookie_secret = "{cookie_secret}"\n'
        'client_id = "calculator"\n'
        'client_secret = "calculator-test-secret"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


DOWNLOADS = "Download the report, the table or the chart"
"""The label of Compare's one menu of downloads (a popover whose buttons are made when it opens)."""


def open_downloads(page) -> None:
    """Open Compare's downloads menu and wait until its buttons are there (the app builds them on opening)."""
    page.get_by_role("button", name=DOWNLOADS).click()
    page.locator(".st-key-dl_report_html button").first.wait_for(timeout=30_000)
