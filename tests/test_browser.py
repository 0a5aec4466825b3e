"""What a reader sees in a real browser (Debian chromium driven by Playwright)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, PageWatch, http_server, require_chromium
from conftest import REPO

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def site_url(real_site_output: Path) -> Iterator[str]:
    with http_server(real_site_output) as url:
        yield url


@pytest.fixture
def page(browser, site_url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = PageWatch(origin=site_url.rstrip("/"))
    watch.attach(page)
    page.watch = watch
    yield page
    context.close()
    assert watch.errors == [], "console errors"
    assert watch.foreign_requests == [], "requests left the local origin"


def open_home(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    page.wait_for_selector("#timeline[data-ready=true] svg")


def event_marks(page):  # type: ignore[no-untyped-def]
    return page.locator("#timeline svg .role-mark.event_marks path")


def test_one_mark_per_event(page, site_url: str) -> None:
    open_home(page, site_url)
    events = len(list((REPO / "events").glob("*.yaml")))
    assert event_marks(page).count() == events
    assert page.locator(".all-events .event-item").count() == events


def test_hover_shows_tooltip(page, site_url: str) -> None:
    open_home(page, site_url)
    mark = event_marks(page).filter(has=page.locator("xpath=self::*[contains(@aria-label, 'National conference on Resolution 57')]"))
    mark.hover()
    tooltip = page.locator("#timeline-tooltip")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert "National conference on Resolution 57" in text
    assert "Date: 13 January 2025" in text
    assert "Category: Conferences" in text


def test_click_on_mark_opens_event_page(page, site_url: str) -> None:
    open_home(page, site_url)
    mark = event_marks(page).filter(has=page.locator("xpath=self::*[contains(@aria-label, 'Hai Phong hosts')]"))
    mark.click()
    page.wait_for_url(re.compile(r".*/events/2025-08-21-hai-phong-regional-conference/$"))
    assert page.locator("h1").inner_text().startswith("Hai Phong hosts")


def test_list_works_without_javascript(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    assert page.locator(".all-events .event-item a").count() == len(list((REPO / "events").glob("*.yaml")))
    page.locator(".all-events a", has_text="Politburo issues Resolution 57-NQ/TW").click()
    page.wait_for_url(re.compile(r".*/events/2024-12-22-politburo-issues-resolution-57/$"))
    context.close()
