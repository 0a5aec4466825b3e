"""The home timeline as a reader uses it: annotations, filter, focus + context, phones,
time zones and accessibility (Debian chromium via Playwright)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import fixture_events, open_page

pytestmark = pytest.mark.browser
EVENTS = fixture_events()
LANDMARK_LABELS = sorted(e.get("label") or e["title"] for e in EVENTS.values() if e.get("importance") == 1)
CATEGORY_OF = {slug: e["category"] for slug, e in EVENTS.items()}


def open_home(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.wait_for_selector("#timeline[data-ready=true] svg")


def boxes(page, selector: str) -> list[dict[str, float]]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(selector, "els => els.map(e => { const r = e.getBoundingClientRect(); "
                                               "return {x: r.x, y: r.y, w: r.width, h: r.height, text: e.textContent}; })")


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


LABELS = "#timeline svg .event_labels_left_marks text, #timeline svg .event_labels_right_marks text"
MARKS = "#timeline svg .event_marks_marks path, #timeline svg .event_spans_marks path"


def assert_labels_clear(page, least: int = len(LANDMARK_LABELS)) -> None:  # type: ignore[no-untyped-def]
    """Landmark labels (all, or on a narrow chart at least `least` of them) overlap no other
    label, no mark and no leader line: a reader can tell which event each one names."""
    labels = [label for label in boxes(page, LABELS) if label["text"]]
    assert len(labels) >= least and set(label["text"] for label in labels) <= set(LANDMARK_LABELS)
    leaders = [leader for leader in boxes(page, "#timeline svg .event_leaders_marks line, #timeline svg .event_leaders_marks path") if leader["h"] > 0]
    assert len(leaders) >= len(labels)
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert not overlap(a, b), (a, b)
        for mark in boxes(page, MARKS) + leaders:
            assert not overlap(a, mark), (a, mark)
    chart = page.locator("#timeline svg").bounding_box()
    for label in labels:
        assert chart["x"] <= label["x"] and label["x"] + label["w"] <= chart["x"] + chart["width"], label


def shown_list(page) -> list[str]:  # type: ignore[no-untyped-def]
    links = page.eval_on_selector_all(".all-events .event-item:not([hidden]) a", "els => els.map(e => e.getAttribute('href'))")
    return [href.strip("/").split("/")[-1] for href in links]


def mark_opacity(page, title_part: str) -> str:  # type: ignore[no-untyped-def]
    return page.locator(f"#timeline svg .event_marks_marks path[aria-label*=\"{title_part}\"]").get_attribute("opacity")


def test_landmark_labels_present_and_clear_at_desktop_width(page, site_url: str) -> None:
    open_home(page, site_url)
    assert LANDMARK_LABELS == ["Bridge opens", "Bridge plan approved", "Court ruling", "Works tendered"]
    assert_labels_clear(page)


def test_legend_click_filters_chart_list_and_url(page, site_url: str) -> None:
    open_home(page, site_url)
    page.locator("#timeline svg .lane_labels_marks text", has_text="Public meetings").click()
    page.wait_for_url(re.compile(r"\?category=public$"))
    assert shown_list(page) == [slug for slug, category in CATEGORY_OF.items() if category == "public"]
    assert mark_opacity(page, "The Harbour Bridge opens") == "0.95"
    assert mark_opacity(page, "City council approves") == "0.12"
    assert page.locator("#filter-status").inner_text() == "Showing 3 of 9 events: Public meetings."
    assert page.locator("input[value=council]").is_checked() is False
    page.locator("#timeline svg .lane_labels_marks text", has_text="Public meetings").click()
    page.wait_for_url(re.compile(r"/$"))
    assert len(shown_list(page)) == len(EVENTS)


def test_keyboard_control_filters_and_url_restores_it(browser, site_url: str) -> None:
    context, page = open_page(browser, site_url)
    open_home(page, site_url)
    page.locator("input[value=council]").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the next checkbox: Courts
    page.wait_for_url(re.compile(r"\?category=public$"))
    assert parse_qs(urlsplit(page.url).query) == {"category": ["public"]}
    expected = [slug for slug, category in CATEGORY_OF.items() if category == "public"]
    assert shown_list(page) == expected

    shared = page.url
    context.close()
    context, page = open_page(browser, site_url)
    open_home(page, shared)
    assert shown_list(page) == expected
    assert [box.is_checked() for box in page.locator("#category-filter input").all()] == [False, False, True]
    assert mark_opacity(page, "City council approves") == "0.12"
    page.locator("#filter-reset").click()
    assert len(shown_list(page)) == len(EVENTS)
    assert urlsplit(page.url).query == ""
    assert page.watch.errors == [] and page.watch.foreign_requests == []
    context.close()


@pytest.mark.parametrize("path", ["", "events/2024-02-20-public-forum-on-cau-ben-thuy-twinning/"])
def test_phone_width_no_overlap_no_horizontal_overflow(browser, site_url: str, path: str) -> None:
    context, page = open_page(browser, site_url, viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
    page.goto(site_url + path)
    if not path:
        page.wait_for_selector("#timeline[data-ready=true] svg")
        assert_labels_clear(page, least=3)  # a phone drops the label whose leader would cross another
        assert len(page.locator("#timeline svg .role-axis-label text").all()) <= 8
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.watch.errors == [] and page.watch.foreign_requests == []
    context.close()


@pytest.mark.parametrize("zone, offset_minutes", [("America/Los_Angeles", 480), ("Asia/Ho_Chi_Minh", -420)])
def test_dates_are_right_in_any_time_zone(browser, site_url: str, zone: str, offset_minutes: int) -> None:
    context, page = open_page(browser, site_url, timezone_id=zone)
    open_home(page, site_url)
    assert page.evaluate("new Date(Date.UTC(2024, 11, 22)).getTimezoneOffset()") == offset_minutes
    page.locator("#timeline svg .event_marks_marks path[aria-label*='City council approves']").hover()
    page.locator("#timeline-tooltip").wait_for(state="visible")
    assert "Date: 14 February 2023" in page.locator("#timeline-tooltip").inner_text()
    labels = [t.text_content() for t in page.locator("#timeline svg .role-axis-label text").all()]
    assert "2024" in labels  # the year tick sits on 1 January UTC, not on 31 December
    context.close()


@pytest.mark.parametrize("path", ["", "events/2024-02-20-public-forum-on-cau-ben-thuy-twinning/"])
def test_axe_reports_no_violations(page, site_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + path)
    if not path:
        page.wait_for_selector("#timeline[data-ready=true] svg")
    result = Axe().run(page)
    assert result.violations_count == 0, [(v["id"], [n["target"] for n in v["nodes"]]) for v in result.response["violations"]]


def test_noscript_still_image_is_served(site_url: str, fixture_output) -> None:  # type: ignore[no-untyped-def]
    svg = (fixture_output / "timeline.svg").read_text()
    assert svg.startswith("<svg") and "href" not in svg and "<script" not in svg
    for label in LANDMARK_LABELS:
        assert f">{label}</text>" in svg
