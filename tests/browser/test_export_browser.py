"""Download buttons in a real browser: Compare's downloads (one menu) give a real PNG, report and workbook."""

import datetime as dt
import re
import struct
from pathlib import Path

import pytest

from calculator.present.chart_frame import EXPORT_WIDTH, PNG_SCALE
from tests.browser.servers import open_downloads
from tests.conftest import wait_for_app

pytestmark = pytest.mark.browser


def _download(page, key: str) -> tuple[str, bytes]:
    label = key.rsplit("_", 1)[1].upper()
    button = page.locator(f".st-key-{key}").get_by_role("button", name=label, exact=True)
    if not button.is_visible():
        open_downloads(page)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_png_download_under_the_compare_chart(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    name, data = _download(page, "dl_compare_chart_png")
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= PNG_SCALE * EXPORT_WIDTH and height > 300
    assert name == f"my-comparison_compare-chart_{dt.date.today().isoformat()}.png"
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.console_errors == []


def test_report_and_table_downloads(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    name, data = _download(page, "dl_report_html")
    assert re.fullmatch(r"my-comparison_report_\d{4}-\d{2}-\d{2}\.html", name)
    assert data.startswith(b"<!doctype html>") and b"Questions to ask a clinic" in data
    name, data = _download(page, "dl_compare_table_xlsx")
    assert name.endswith(".xlsx") and data[:2] == b"PK"
    assert page.console_errors == []
