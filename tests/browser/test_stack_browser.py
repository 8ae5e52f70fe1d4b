"""The team stack (deploy/run-stack.sh): two app processes behind nginx on one PostgreSQL, in chromium.

Save through one process, stop that process, reload: the browser reconnects through the other, and the
scenario is there. Needs nginx (Debian package) and TEST_DATABASE_URL (.ci/run sets both up).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.schema import CreateSchema, DropSchema

from tests.browser.servers import free_port, stop, wait_for_http
from tests.conftest import ROOT, wait_for_app
from tests.storage.test_store import PG_SKIP, PG_URL

APPS = 2


@contextmanager
def _stack_db() -> Iterator[str]:
    """A fresh schema in the PostgreSQL test database, first on the search path of the URL the stack gets."""
    schema = f"calc_stack_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(CreateSchema(schema))
    try:
        yield (
            sa.make_url(PG_URL)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with engine.begin() as conn:
            conn.execute(DropSchema(schema, cascade=True, if_exists=True))
        engine.dispose()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """deploy/run-stack.sh with two app processes on free ports, nginx in front, one PostgreSQL schema."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (CI must install Debian's nginx)")
        pytest.skip("nginx not installed: apt-get install nginx")
    folder = tmp_path_factory.mktemp("stack")
    port = free_port()
    app_port = free_port()
    while free_port() == app_port + 1:  # pragma: no cover - two consecutive free ports, almost always
        app_port = free_port()
    with _stack_db() as db_url:
        env = {
            **os.environ,
            "APPS": str(APPS),
            "PORT": str(port),
            "APP_PORT": str(app_port),
            "STACK_DIR": str(folder),
            "PYTHON": sys.executable,
            "DATABASE_URL": db_url,
            "PATH": f"{os.environ.get('PATH', '')}:/usr/sbin",
        }
        proc = subprocess.Popen(
            [str(ROOT / "deploy" / "run-stack.sh")],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 120
            while not (folder / "ready").exists():
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"deploy/run-stack.sh did not start: {proc.stderr.read().decode()[-2000:]}")
                time.sleep(0.5)
            url = f"http://127.0.0.1:{port}"
            wait_for_http(f"{url}/_stcore/health")
            yield SimpleNamespace(url=url, folder=folder, db_url=db_url)
        finally:
            stop(proc)


def backend_pid(stack: SimpleNamespace) -> tuple[int, int]:
    """The app process nginx sends this machine's browser to (ip_hash is sticky): (its index, its pid)."""
    with urllib.request.urlopen(f"{stack.url}/_stcore/health", timeout=5) as response:
        port = response.headers["X-Calculator-Backend"].rsplit(":", 1)[1]
    for i in range(1, APPS + 1):
        if (stack.folder / f"app-{i}.port").read_text().strip() == port:
            return i, int((stack.folder / f"app-{i}.pid").read_text())
    raise AssertionError(f"no app process on port {port}")


def test_a_scenario_saved_through_one_process_is_there_after_it_stops(stack: SimpleNamespace, browser: Any):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{stack.url}/scenarios")
        wait_for_app(page)
        first, pid = backend_pid(stack)
        page.get_by_role("textbox", name="Save as").fill("Saved through one process")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("Saved “Saved through one process” as revision 1.").wait_for(timeout=30_000)

        os.kill(pid, signal.SIGTERM)  # stop the process that served the save
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"app process {first} did not stop")

        page.reload()
        wait_for_app(page)
        second, _ = backend_pid(stack)
        assert second != first, "nginx moved the browser to the other process"
        # the saved list has it: a cell of the table (drawn on a canvas; its cells are in the DOM for screen readers)
        page.locator('[data-testid="stDataFrame"] [role="gridcell"]').filter(
            has_text="Saved through one process"
        ).wait_for(state="attached", timeout=30_000)
        assert page.get_by_text("No saved scenarios yet").count() == 0
    finally:
        context.close()
    engine = sa.create_engine(stack.db_url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT owner, name, current_revision FROM scenarios").all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("local", "Saved through one process", 1)]
