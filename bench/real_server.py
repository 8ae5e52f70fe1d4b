"""The real-server measurements of ``bench/run.py``: server CPU per rerun and chromium's input-to-page time.

Compare against the bare floor (one number input, a dataframe and an Altair chart), both served by
``streamlit run`` from the project folder (its .streamlit/config.toml) without Streamlit's post-run GC,
measured alternately so that both see the same machine.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"


BARE_APP = """\
# The floor of a rerun on a real server: one number input, a dataframe and an Altair chart.
import altair as alt
import pandas as pd
import streamlit as st

travellers = st.number_input("Travellers", 1, 20, key="in_travellers")
frame = pd.DataFrame({"place": ["Home", "Mexico", "Turkey", "India"], "total": [9000.0, 4000.0, 5000.0, 6000.0]})
frame["total"] += 750.0 * travellers
st.dataframe(frame)
st.altair_chart(alt.Chart(frame).mark_bar().encode(x="total:Q", y="place:N"), width="stretch")
st.caption(f"Travellers: {travellers}")  # what the browser measurement waits for
"""
NO_POST_RUN_GC = "runner.postScriptGC=false"


async def _cpu_per_rerun(servers: dict[str, tuple[int, int]], batches: int, per_batch: int) -> dict[str, list[float]]:
    """Server CPU seconds per rerun, per batch: one session per server changes the travellers, servers in turn."""
    from load import Session, cpu_seconds

    sessions = {name: Session(port, 120) for name, (port, _) in servers.items()}
    for session in sessions.values():
        await session.__aenter__()
    try:
        for session in sessions.values():  # warm: the first run, then a few changes
            assert (await session.rerun()).ok
            for i in range(5):
                session.set_widget("in_travellers", 2 + i % 2)
                assert (await session.rerun()).ok
        cpu: dict[str, list[float]] = {name: [] for name in servers}
        for _ in range(batches):
            for name, session in sessions.items():
                pid = servers[name][1]
                before = cpu_seconds(pid)
                for i in range(per_batch):
                    session.set_widget("in_travellers", 3 + i % 2)
                    run = await session.rerun()
                    assert run.ok, run.problem
                cpu[name].append((cpu_seconds(pid) - before) / per_batch)
        return cpu
    finally:
        for session in sessions.values():
            await session.__aexit__()


def measure_server(batches: int = 6, per_batch: int = 20) -> dict[str, Any]:
    """Server CPU per rerun on real ``streamlit run`` servers: Compare vs the bare floor (and Compare with the GC).

    All three are served from the project folder (its .streamlit/config.toml), the first two without
    Streamlit's post-run garbage collection (``runner.postScriptGC = false``), the third with it (Streamlit's
    default, the figure before). One websocket session each changes the travellers, in batches of
    ``per_batch`` reruns, the servers in turn; CPU from /proc (user + system, every thread). Medians of the batches.
    """
    import asyncio
    import subprocess

    from load import free_port, start_server

    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        setups = {
            "page": (APP, (NO_POST_RUN_GC,)),
            "bare": (bare, (NO_POST_RUN_GC,)),
            "page_post_run_gc": (APP, ("runner.postScriptGC=true",)),
        }
        procs: dict[str, subprocess.Popen] = {}
        try:
            servers = {}
            for name, (app, flags) in setups.items():
                port = free_port()
                procs[name] = start_server(port, Path(tmp) / f"{name}.sqlite3", flags, app)
                servers[name] = (port, procs[name].pid)
            cpu = asyncio.run(_cpu_per_rerun(servers, batches, per_batch))
        finally:
            for proc in procs.values():
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
    page, floor, with_gc = (statistics.median(cpu[name]) for name in ("page", "bare", "page_post_run_gc"))
    return {
        "server_rerun_cpu_seconds": page,
        "server_bare_rerun_cpu_seconds": floor,
        "server_rerun_cpu_with_post_run_gc_seconds": with_gc,
        "server_rerun_ratio_to_bare": page / floor,
    }


CHROMIUM = "/usr/bin/chromium"
DRAWN = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === "notRunning"
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
    && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].every(c => c.querySelector('svg, canvas'))
    && [...document.querySelectorAll('[data-testid="stDataFrame"]')].every(c => c.querySelector('canvas'))"""


WATCH = """([shown]) => {
  // Times one change in the page itself, from the key press to the first frame in which the new figure is on
  // the page and the page is finished and drawn (DRAWN). Playwright's own polling is not on the clock: it
  // searches the whole page for the text, which costs more on a bigger page than the change being measured.
  const drawn = DRAWN_JS;
  window.__done = null;
  const tick = () => {
    if (document.body.textContent.includes(shown) && drawn()) { window.__done = performance.now(); return; }
    requestAnimationFrame(tick);
  };
  document.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { window.__start = performance.now(); requestAnimationFrame(tick); }
  }, {capture: true, once: true});
}""".replace("DRAWN_JS", DRAWN)


def _browser_change(page: Any, travellers: int, shown: str) -> float:
    """Seconds from pressing Enter on a new number of travellers to the page showing ``shown``, finished and drawn."""
    box = page.get_by_label("Travellers", exact=True)
    box.fill(str(travellers))
    page.evaluate(WATCH, [shown])
    box.press("Enter")
    page.wait_for_function("() => window.__done !== null", timeout=60_000, polling=100)
    return page.evaluate("() => (window.__done - window.__start) / 1000")


def measure_browser(changes: int = 20) -> dict[str, Any]:
    """Chromium: from an input's change to the updated page, Compare vs the bare floor (alternately, medians).

    Both served from the project folder without the post-run GC. Compare is done when its first card
    shows the new total (load.expected_total), the bare app when its caption shows the new number;
    then both when the script has finished and every chart and table is drawn. Timed in the page
    (``WATCH``: key press to the first frame showing it), so the harness's polling is not counted.
    """
    import subprocess

    from load import expected_total, free_port, start_server
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        procs, urls = [], []
        try:
            for app in (APP, bare):
                port = free_port()
                procs.append(start_server(port, Path(tmp) / f"{port}.sqlite3", (NO_POST_RUN_GC,), app))
                urls.append(f"http://127.0.0.1:{port}")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                pages = [browser.new_page(viewport={"width": 1400, "height": 900}) for _ in urls]
                for pg, url in zip(pages, urls, strict=True):
                    pg.goto(url)
                    pg.get_by_label("Travellers", exact=True).wait_for(timeout=90_000)
                    pg.wait_for_function(DRAWN, timeout=90_000)
                times: tuple[list[float], list[float]] = ([], [])
                for i in range(changes + 2):  # the first two warm up
                    t = 2 + i % 3
                    page_time = _browser_change(pages[0], t, expected_total(t, None))
                    bare_time = _browser_change(pages[1], t, f"Travellers: {t}")
                    if i >= 2:
                        times[0].append(page_time)
                        times[1].append(bare_time)
                browser.close()
        finally:
            for proc in procs:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
    page, floor = statistics.median(times[0]), statistics.median(times[1])
    return {"browser_update_seconds": page, "browser_bare_update_seconds": floor, "browser_ratio_to_bare": page / floor}
