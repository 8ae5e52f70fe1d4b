"""Accessibility (issue 8) in a real browser: axe-core on every page, chart text alternatives, headings in order,
a title per page, a favicon, and the main inputs usable from the keyboard.

axe-core comes from the npm registry, pinned in package-lock.json (``make test`` runs ``npm ci`` when
node_modules/axe-core is missing) and is injected into each page by Playwright. The pages are the ones
app.py routes to, read from its ``st.Page(...)`` calls, so a new page is checked without editing this file.

What axe reports that we do not fail on, all "minor" and all inside Streamlit's own widgets (we cannot change
their markup): ``empty-table-header`` (the dataframe grid's blank corner cell) and ``presentation-role-conflict``
(the file uploader's drop zone, ``section[role=presentation][aria-label]``). Serious and critical violations
fail, as does ``heading-order`` (our headings: title, then st.header, then st.subheader).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from calculator.present.charts import LIVE_FIGURES
from tests.conftest import ROOT, wait_for_app
from tests.ui.app_pages import Route, app_routes

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
APP_TITLE = "Scar treatment abroad: cost & risk calculator"
FAILING_IMPACTS = {"serious", "critical"}
ALSO_FAILING_RULES = {"heading-order"}

ALLOWED: dict[tuple[str, str], str] = {}
"""(rule id, CSS selector axe reports) -> why it cannot be fixed here. Empty: nothing serious is left.

An entry must name one rule and one element of Streamlit's own markup, e.g.
``("aria-allowed-attr", 'section[data-testid="stFileUploaderDropzone"]'): "Streamlit 1.67's uploader sets ..."``;
never a whole rule or a whole page."""

ROUTES = app_routes()


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("node_modules/axe-core is missing: run `npm ci` (make test does)")
        pytest.skip("axe-core not installed: run `npm ci --no-audit --no-fund` (make test does)")
    return AXE


def open_page(page, app_url: str, route: Route) -> None:
    """Open the page, then every expander it and the sidebar show (their contents are checked too)."""
    page.goto(f"{app_url}/{route.url_path}")
    wait_for_app(page)
    closed = page.locator("details:not([open]) > summary:visible")  # expanders and the answer's folds
    for _ in range(50):
        if not closed.count():
            break
        closed.first.click()
    wait_for_app(page)


def axe_violations(page, axe_source: Path) -> list[dict]:
    page.add_script_tag(path=str(axe_source))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({
               id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200)}))}))"""
    )


def failing(violations: list[dict]) -> list[str]:
    out = []
    for v in violations:
        if v["impact"] not in FAILING_IMPACTS and v["id"] not in ALSO_FAILING_RULES:
            continue
        for node in v["nodes"]:
            if (v["id"], node["target"]) not in ALLOWED:
                out.append(f"{v['impact']} {v['id']} ({v['help']}): {node['target']} {node['html']}")
    return out


def test_the_axe_core_in_use_is_the_pinned_one(axe_source):
    lock = (ROOT / "package-lock.json").read_text(encoding="utf-8")
    version = axe_source.read_text(encoding="utf-8")[:200]
    assert '"node_modules/axe-core": {\n      "version": "4.14.1"' in lock
    assert "axe v4.14.1" in version


def test_every_route_is_checked():
    assert [r.title for r in ROUTES][:1] == ["Compare"]
    assert len(ROUTES) >= 7, ROUTES


@pytest.mark.parametrize("route", ROUTES, ids=[r.url_path or "compare" for r in ROUTES])
def test_axe_finds_no_serious_or_critical_violation(page, app_url, axe_source, route: Route):
    open_page(page, app_url, route)
    violations = axe_violations(page, axe_source)
    assert failing(violations) == []
    assert page.console_errors == []


@pytest.mark.parametrize("route", ROUTES, ids=[r.url_path or "compare" for r in ROUTES])
def test_page_title_favicon_and_chart_text_alternatives(page, app_url, route: Route):
    page.goto(f"{app_url}/{route.url_path}")
    wait_for_app(page)
    assert page.title() == f"{route.title} · {APP_TITLE}"
    icon = page.evaluate("() => document.querySelector('link[rel~=\"icon\"]')?.getAttribute('href') || ''")
    assert icon.startswith("data:image/svg+xml") and "🧭" in icon, icon[:120]
    charts = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                 .filter(c => c.checkVisibility())
                 .map(c => [c.getAttribute('role'), c.getAttribute('aria-label') || ''])"""
    )
    for role, label in charts:
        assert role == "graphics-document"
        # what it shows, with its figures (or, on Compare, where its figures are written out beside it)
        assert len(label) > 60 and (any(ch.isdigit() for ch in label) or LIVE_FIGURES in label), label


def test_every_page_with_a_chart_describes_it():
    """The charts the alt-text test above sees: Compare, Timeline and Uncertainty draw at least one each."""
    pages = {r.file for r in ROUTES}
    assert {"ui/pages/compare.py", "ui/pages/timeline.py", "ui/pages/uncertainty.py"} <= pages


def test_the_compare_chart_says_where_its_totals_are_written_out(page, app_url):
    """The live chart's text alternative names what it shows and points to its figures, which the cards and the
    table above it hold as text (its spec stays the same when figures change, so the browser only swaps its data;
    the exported chart lists every total: tests/present/test_compare_chart_spec.py)."""
    page.goto(app_url)
    wait_for_app(page)
    label = page.locator('[data-testid="stVegaLiteChart"]').first.get_attribute("aria-label")
    assert label.startswith("My comparison: whole-trip cost (USD). Bar chart:")
    assert label.endswith(f"{LIVE_FIGURES}.")
    # the default scenario: Mexico City per diem for 4-7 days, no fare (DESIGN.md section 4)
    card = page.locator(".card", has_text="Mexico / Colombia").first
    assert "USD 10,123" in card.inner_text() and "Low to high: USD 5,544 to 14,702" in card.inner_text()
    assert "USD 15,000 to 25,000+" in page.locator(".answer").first.inner_text()


def test_the_main_inputs_work_from_the_keyboard(page, app_url):
    """Tab from the top of the page to the Travellers input, type 2 and Enter: the total follows."""
    page.goto(app_url)
    wait_for_app(page)
    metric = page.locator('[data-figure="total-mid"]').first
    assert "USD 10,123" in metric.inner_text()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.getAttribute('aria-label')") == "Travellers":
            break
    else:
        pytest.fail("Travellers was not reached with the Tab key")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    # a second traveller adds a second M&IE: 136 x 4-7 days, mid 748
    page.locator('[data-figure="total-mid"]', has_text="USD 10,871").wait_for(timeout=30_000)
    assert page.console_errors == []
