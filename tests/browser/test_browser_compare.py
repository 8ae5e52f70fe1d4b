"""The Compare page in a real browser (Debian chromium via Playwright): table, chart, no errors."""

import pytest

from tests.conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_compare_page_renders_table_and_chart_without_errors(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    assert page.get_by_role("heading", name="Home vs 3 destinations").is_visible()
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
    chart = page.locator('[data-testid="stVegaLiteChart"]')
    assert chart.count() == 1
    assert chart.locator("svg, canvas").count() >= 1
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.console_errors == []


def test_typing_a_fare_updates_the_total_in_the_browser(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_text("Mexico / Colombia: travel and quote").click()
    fare = page.locator('input[aria-label="Return fare per traveller (USD)"]').first
    fare.fill("650")
    fare.press("Enter")
    metric = page.locator('[data-testid="stMetric"]').first
    metric.get_by_text("USD 10,773").wait_for(timeout=30_000)
    assert page.console_errors == []
