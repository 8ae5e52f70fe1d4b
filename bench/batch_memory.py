"""Server memory after batch uploads (issue 13): three ~4.9 MB batch files uploaded on the Batch page.

    .venv/bin/python bench/batch_memory.py            # figures as text, then one JSON line
    .venv/bin/python bench/batch_memory.py --app /other/checkout/app.py   # the same against another checkout

What it does: starts ``streamlit run app.py`` on a free loopback port (bench/load.py's ``start_server``,
its own SQLite store), opens the Batch page in headless chromium (Playwright, /usr/bin/chromium) and
measures the server's resident memory (RSS) once the page has rendered: **idle**. Then it uploads three
different valid JSON-lines batch files of about 4.9 MB each (bench/generate.py, seeds 1-3), one per tab,
waits for each result, and measures RSS after each upload, then again once every tab is closed and its
session has expired (Streamlit keeps a disconnected session for ``server.disconnectedSessionTTL``, 120 s).
Target: under 100 MB above idle after the three uploads.

This is separate from bench/run.py (the performance figures): it needs a browser and a server.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load
from bench.generate import write_jsonl

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
TARGET_MB = 100.0
FILE_MB = 4.9


def batch_file(folder: Path, seed: int) -> Path:
    """A valid JSON-lines batch of about FILE_MB (the app's limit is 5 MB)."""
    probe = write_jsonl(folder / "probe.jsonl", 1000, seed)
    per_row = probe.stat().st_size / 1000
    return write_jsonl(folder / f"batch-{seed}.jsonl", int(FILE_MB * 1e6 / per_row), seed)


def upload(browser, url: str, path: Path, timeout_s: float = 300):
    """A new tab on the Batch page with ``path`` uploaded; returns the tab once the result is shown."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{url}/batch")
    page.wait_for_selector('[data-testid="stFileUploaderDropzoneInput"]', state="attached", timeout=60_000)
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(path))
    page.get_by_text("row(s) computed").first.wait_for(timeout=timeout_s * 1000)
    return page


def measure(app: Path, settle_s: float = 135) -> dict[str, float]:
    load.APP = app
    load.ROOT = app.parent
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = [batch_file(folder, seed) for seed in (1, 2, 3)]
        port = load.free_port()
        server = load.start_server(port, folder / "store.sqlite3")
        url = f"http://{load.HOST}:{port}"
        figures: dict[str, float] = {"file_mb": round(sum(f.stat().st_size for f in files) / 3 / 1e6, 2)}
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                first = browser.new_page()
                first.goto(f"{url}/batch")
                first.wait_for_selector('[data-testid="stFileUploaderDropzoneInput"]', state="attached")
                time.sleep(2)
                figures["idle_mb"] = load.rss_mb(server.pid)
                first.close()
                tabs = []
                for i, path in enumerate(files, start=1):
                    tabs.append(upload(browser, url, path))
                    time.sleep(2)
                    figures[f"after_upload_{i}_mb"] = load.rss_mb(server.pid)
                for tab in tabs:
                    tab.close()
                browser.close()
            time.sleep(settle_s)  # a closed tab's session is kept for server.disconnectedSessionTTL (120 s)
            figures["after_tabs_closed_mb"] = load.rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    figures["above_idle_after_3_mb"] = figures["after_upload_3_mb"] - figures["idle_mb"]
    figures["above_idle_after_close_mb"] = figures["after_tabs_closed_mb"] - figures["idle_mb"]
    return {k: round(v, 1) for k, v in figures.items()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--app", type=Path, default=load.APP, help="the app.py to serve (default: this checkout's)")
    p.add_argument("--settle", type=float, default=135, help="seconds to wait after the tabs close (default 135)")
    args = p.parse_args(argv)
    figures = measure(args.app.resolve(), args.settle)
    for key, value in figures.items():
        print(f"{key:<28} {value:>8.1f}")
    verdict = "met" if figures["above_idle_after_3_mb"] < TARGET_MB else "NOT met"
    print(f"target: under {TARGET_MB:.0f} MB above idle after three uploads: {verdict}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
