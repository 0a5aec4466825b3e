"""What a reader sees in a real browser (Debian chromium driven by Playwright)."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURE, open_page

pytestmark = pytest.mark.browser
EVENT_FILES = sorted((FIXTURE / "events").glob("*.yaml"))


def open_home(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.wait_for_selector("#timeline[data-ready=true] svg")


def mark_of(page, title_part: str):  # type: ignore[no-untyped-def]
    return page.locator(f"#timeline svg .role-mark.event_marks_marks path[aria-label*=\"{title_part}\"]")


def test_one_mark_per_event_spans_as_bars(page, site_url: str) -> None:
    open_home(page, site_url)
    spans = sum(1 for path in EVENT_FILES if "\nend_date:" in path.read_text())
    assert page.locator("#timeline svg .role-mark.event_spans_marks path").count() == spans == 1
    assert page.locator("#timeline svg .role-mark.event_marks_marks path").count() == len(EVENT_FILES) - spans
    assert page.locator(".all-events .event-item").count() == len(EVENT_FILES)


def test_hover_shows_tooltip(page, site_url: str) -> None:
    open_home(page, site_url)
    mark_of(page, "Court dismisses").hover()
    tooltip = page.locator("#timeline-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().splitlines() == [
        "Court dismisses the ferry company's objection to the bridge",
        "Date: 5 June 2024",
        "Category: Courts",
    ]
    assert '"when":"2030 (target)"' in page.content()  # the target, off to the right of the default window


def test_click_on_mark_opens_event_page(page, site_url: str) -> None:
    open_home(page, site_url)
    mark_of(page, "The Harbour Bridge opens").click()
    page.wait_for_url(re.compile(r".*/events/2024-11-30-harbour-bridge-opens/$"))
    assert page.locator("h1").inner_text() == "The Harbour Bridge opens to walkers and cyclists"


def test_list_works_without_javascript(browser, site_url: str) -> None:
    context, page = open_page(browser, site_url, java_script_enabled=False)
    page.goto(site_url)
    assert page.locator(".all-events .event-item a").count() == len(EVENT_FILES)
    assert page.locator("#category-filter").is_hidden()
    page.locator(".all-events a", has_text="City council approves the Harbour Bridge plan").click()
    page.wait_for_url(re.compile(r".*/events/2023-02-14-bridge-plan-approved/$"))
    context.close()


def test_on_a_phone_the_chart_starts_on_the_first_screen_after_the_key_numbers(browser, site_url: str) -> None:
    context, page = open_page(browser, site_url, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    open_home(page, site_url)
    numbers = page.locator(".key-numbers").bounding_box()
    chart = page.locator("#timeline").bounding_box()
    assert numbers is not None and chart is not None
    assert numbers["y"] + numbers["height"] <= chart["y"] < 740, (numbers, chart)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing sticks out sideways
    context.close()


def test_key_figures_page_shows_its_charts_without_javascript(browser, site_url: str) -> None:
    context, page = open_page(browser, site_url, java_script_enabled=False)
    page.goto(site_url + "figures/")
    chart = page.get_by_role("img", name=re.compile(r"^Daily crossings of the harbour by bicycle\. December 2024: about 1,200"))
    assert chart.evaluate("img => img.complete && img.naturalWidth > 200")
    assert page.get_by_role("link", name="figures.csv").is_visible()
    context.close()
