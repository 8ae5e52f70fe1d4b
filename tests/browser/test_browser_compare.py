"""The Compare page in a real browser (Debian chromium via Playwright): table, chart, no errors."""

import pytest

from calculator.storage.share import encode_token
from tests.conftest import MEXICO_ACCEPTANCE, ROOT, make_scenario, wait_for_app

pytestmark = pytest.mark.browser
SHOTS = ROOT / "out" / "screenshots"


def test_compare_page_renders_table_and_chart_without_errors(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    assert page.get_by_role("heading", name="Home vs 3 destinations").is_visible()
    table = page.get_by_role("table").filter(has_text="Broker says you save")  # the side-by-side table
    assert table.count() == 1
    assert table.get_by_role("columnheader").all_inner_texts()[:2] == ["Part", "United States / Western Europe (home)"]
    assert table.get_by_role("row", name="Total").inner_text().startswith("Total")
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
    page.locator('[data-figure="total-mid"]', has_text="USD 10,773").first.wait_for(timeout=30_000)
    assert page.console_errors == []


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (390, 844)], ids=["laptop", "phone"])
def test_the_answer_is_on_the_first_screen(browser, app_url, data, width, height):
    """Issue 12: a shared solo-Mexico scenario shows its mid total (10,773) and mid saving (9,227) without scrolling."""
    token = encode_token(make_scenario(data, **MEXICO_ACCEPTANCE))
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?s={token}")
        wait_for_app(page)
        for figure in ("USD 10,773", "USD 9,227"):
            metric = page.locator("[data-figure]", has_text=figure).first  # the card's big figures
            box = metric.bounding_box()
            assert box is not None, figure
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, (figure, box)
            assert box["x"] + box["width"] <= width, (figure, box)
        # The worst case below zero is said plainly, and the cards' details fold under the figures.
        assert page.get_by_text("Could cost you more: in the worst case USD 352 more than home.").is_visible()
        assert page.locator("summary", has_text="Why: 6 warnings behind these figures").is_visible()
        SHOTS.mkdir(parents=True, exist_ok=True)  # the README shows what a traveller sees first
        page.screenshot(path=str(SHOTS / f"compare-first-screen-{width}.png"))
    finally:
        context.close()
