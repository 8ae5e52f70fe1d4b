"""Share links and exports in a real browser: save on the Scenarios page, open the link in a fresh
browser context, see the same totals on Compare; a tampered link shows a clear message, no traceback."""

from __future__ import annotations

import json

import pytest

from calculator.storage.share import encode_token
from tests.conftest import MEXICO_ACCEPTANCE, make_scenario, wait_for_app

pytestmark = pytest.mark.browser


def metric_values(page) -> list[str]:
    return page.locator("[data-figure]").all_inner_texts()  # the cards' totals and savings


def go_to_scenarios(page) -> None:
    page.locator('[data-testid="stSidebarNavLink"]', has_text="Scenarios").click()
    page.get_by_role("heading", name="Scenarios", exact=True).first.wait_for()
    wait_for_app(page)


def fresh_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


def test_a_saved_scenarios_share_link_reproduces_its_totals(page, app_url, browser):
    page.goto(app_url)
    wait_for_app(page)
    travellers = page.locator('input[aria-label="Travellers"]')
    travellers.fill("2")
    travellers.press("Enter")
    wait_for_app(page)
    page.get_by_text("Mexico / Colombia: travel and quote").click()
    fare = page.locator('input[aria-label="Return fare per traveller (USD)"]').first
    fare.fill("650")
    fare.press("Enter")
    page.get_by_text("USD 12,171").first.wait_for(timeout=30_000)  # 7,388 to 16,954 for two travellers, mid
    wait_for_app(page)
    expected = metric_values(page)
    assert len(expected) == 6  # whole trip and savings for each of three destinations

    go_to_scenarios(page)
    page.locator('input[aria-label="Save as"]').fill("Browser: two travellers")
    page.locator('input[aria-label="Client label (optional)"]').fill("Ana")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved “Ana / Browser: two travellers” as revision 1.").wait_for(timeout=30_000)
    wait_for_app(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Export as JSON").click()
    exported = json.loads(open(download.value.path(), encoding="utf-8").read())  # noqa: SIM115
    assert (exported["name"], exported["travellers"]) == ("Browser: two travellers", 2)
    assert exported["travel"]["mexico_colombia"]["fare_per_traveller"] == 650
    assert download.value.suggested_filename == "Browser-two-travellers.json"

    link = page.locator('[data-testid="stCode"] code').inner_text().strip()
    assert link.startswith(f"{app_url}/?s=v1.")

    context, other, errors = fresh_page(browser)
    try:
        other.goto(link)
        wait_for_app(other)
        other.get_by_text("USD 12,171").first.wait_for(timeout=30_000)
        assert metric_values(other) == expected
        assert other.get_by_text("Browser: two travellers ·", exact=False).first.is_visible()
        assert other.locator('input[aria-label="Travellers"]').input_value() == "2"
        assert other.locator('[data-testid="stException"]').count() == 0
        assert errors == []
    finally:
        context.close()
    assert page.console_errors == []


def test_a_tampered_share_link_shows_a_clear_message_and_no_traceback(app_url, browser, data):
    token = encode_token(make_scenario(data, **MEXICO_ACCEPTANCE))
    middle = len(token) // 2
    tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    context, page, errors = fresh_page(browser)
    try:
        page.goto(app_url)
        wait_for_app(page)
        default_totals = metric_values(page)
        page.goto(f"{app_url}/?s={tampered}")
        wait_for_app(page)
        alert = page.get_by_text("This share link could not be opened")
        alert.wait_for(timeout=30_000)
        assert "Your current scenario is unchanged" in alert.inner_text()
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "Traceback" not in page.content()
        assert metric_values(page) == default_totals  # the default scenario, untouched
        assert errors == []
    finally:
        context.close()
