"""The chart embedded on another site: it draws inside an iframe from another origin at
320 px, and a click on an event opens the event's page in the whole window."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser import http_server
from conftest import open_page

pytestmark = pytest.mark.browser


def host_page(folder: Path, src: str) -> None:
    (folder / "index.html").write_text(
        f'<!doctype html><html lang="en"><head><title>Another newsroom</title><link rel="icon" href="data:,"></head><body><h1>Our story</h1>'
        f'<iframe src="{src}" title="Timeline" width="320" height="640" style="border:0"></iframe></body></html>',
        encoding="utf-8")


def test_the_embed_draws_on_another_origin_and_opens_events_in_the_top_window(browser, site_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    host_page(tmp_path, site_url + "embed/")
    with http_server(tmp_path) as other:
        assert other.split(":")[2] != site_url.split(":")[2]  # another port: another origin
        context, page = open_page(browser, other)
        page.watch.origin = ""  # requests to the embedded site are expected here
        page.goto(other)
        frame = page.frame_locator("iframe")
        frame.locator("#timeline[data-ready=true] svg").wait_for()
        width = frame.locator("#timeline svg").bounding_box()["width"]
        assert 280 <= width <= 320
        frame.locator("#timeline svg .event_marks_marks path[aria-label*='Court dismisses']").click()
        page.wait_for_url(re.compile(r".*/events/2024-06-05-court-dismisses-ferry-objection/$"))
        assert page.url.startswith(site_url) and page.locator("h1").inner_text().startswith("Court dismisses")
        assert page.watch.errors == []
        context.close()


def test_a_category_embed_shows_that_category(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context, page = open_page(browser, site_url, viewport={"width": 320, "height": 640})
    page.goto(site_url + "embed/court/")
    page.wait_for_selector("#timeline[data-ready=true] svg")
    assert page.locator(".embed-title").inner_text() == "Harbour Bridge: a fictional test timeline · Courts"
    assert page.locator("#timeline svg .event_marks_marks path[aria-label*='Court dismisses']").get_attribute("opacity") == "0.95"
    assert page.locator("#timeline svg .event_marks_marks path[aria-label*='City council approves']").get_attribute("opacity") == "0.12"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.watch.errors == [] and page.watch.foreign_requests == []
    context.close()


def test_the_home_page_offers_the_embed_code(site_url: str, fixture_output: Path) -> None:
    home = (fixture_output / "index.html").read_text(encoding="utf-8")
    assert ('&lt;iframe src="https://news.test/timeline/embed/" title="Harbour Bridge: a fictional test timeline" width="100%"'
            in home)
