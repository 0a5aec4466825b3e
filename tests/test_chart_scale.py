"""A large site's chart: the home page carries the key events and counts per month, and the
events of a year are fetched and drawn when the reader zooms in (site_builder/density).

The limits are hundreds of events; these tests lower them to a handful so that the sites
stay small and the builds fast: past 5 events the site is large, and a window holding at
most 8 events is drawn event by event.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from site_builder import density, model

from browser import http_server
from conftest import GOOD_EVENT, TinySite, open_page

# Added to the tiny site's landmark (2024-12-22-resolution-57): twelve events in 2023, ten in 2024.
MONTHLY = {f"2023-{month:02d}-10-event-{month}": (f"2023-{month:02d}-10", "party" if month % 2 else "government") for month in range(1, 13)}
MONTHLY |= {f"2024-{month:02d}-05-later-{month}": (f"2024-{month:02d}-05", "party") for month in range(1, 11)}


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "LIST_ON_HOME_LIMIT", 5)
    monkeypatch.setattr(density, "DETAIL_LIMIT", 8)


def large_site(site: TinySite) -> Path:
    for slug, (day, category) in MONTHLY.items():
        site.event(slug, GOOD_EVENT.replace("date: 2024-12-22", f"date: {day}").replace("category: party", f"category: {category}")
                   .replace("importance: 1", "importance: 2").replace("Politburo issues Resolution 57", f"Event {slug}"))
    return site.root


def chart_data(home: str, spec: str = "timeline-spec") -> dict[str, list[dict[str, object]]]:
    found = re.search(rf'<script type="application/json" id="{spec}">(.*?)</script>', home, re.S)
    assert found
    return {entry["name"]: entry.get("values", []) for entry in json.loads(found.group(1))["data"]}


def test_a_large_sites_home_page_carries_key_events_and_counts_and_a_file_per_year(tiny_site: TinySite, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", "--site", str(large_site(tiny_site))).code == 0
    output = tiny_site.root / "output"
    data = chart_data((output / "index.html").read_text())
    assert [row["slug"] for row in data["events"]] == ["2024-12-22-resolution-57"]  # the landmark, as a mark
    cells = data["cells"]
    assert sum(cell["count"] for cell in cells) == len(MONTHLY)  # every other event is counted once
    march = next(cell for cell in cells if cell["start"] == "2023-03-01")
    assert (march["end"], march["category"], march["count"], march["title"], march["when"]) == ("2023-04-01", "Party", 1, "1 event", "March 2023")
    assert chart_data((output / "index.html").read_text(), "overview-spec")["overview_events"] == []  # the overview shows counts only
    assert sorted(path.name for path in (output / "timeline").iterdir()) == ["2023.json", "2024.json"]
    detail = json.loads((output / "timeline/2023.json").read_text())
    assert [row["slug"] for row in detail] == [slug for slug in MONTHLY if slug.startswith("2023")]
    assert detail[2]["aria"] == "Event 2023-03-10-event-3, 10 March 2023"
    home = (output / "index.html").read_text()
    assert 'data-detail="timeline/" data-detail-years="2023,2024" data-detail-limit="8"' in home
    assert "Shaded cells count the events of each month" in home


def test_a_large_sites_key_events_cover_the_whole_period(tiny_site: TinySite, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(density, "KEY_LIMIT", 30)
    for year in range(1981, 2021):  # forty landmarks, one a year: more than the marks allowed
        tiny_site.event(f"{year}-06-01-landmark", GOOD_EVENT.replace("date: 2024-12-22", f"date: {year}-06-01")
                        .replace("Politburo issues Resolution 57", f"Landmark of {year}"))
    tiny_site.root.joinpath("events/2024-12-22-resolution-57.yaml").unlink()
    assert run_cli("build", "--site", str(tiny_site.root)).code == 0
    years = sorted(int(str(row["start"])[:4]) for row in chart_data((tiny_site.root / "output/index.html").read_text())["events"])
    assert len(years) == 30 and years[0] == 1981 and years[-1] == 2020
    assert max(later - earlier for earlier, later in zip(years, years[1:], strict=False)) <= 3  # no stretch left without a mark


def test_a_small_site_draws_every_event_and_has_no_counts(tiny_site: TinySite, run_cli) -> None:  # type: ignore[no-untyped-def]
    site = large_site(tiny_site)
    for path in sorted((site / "events").glob("202[34]-*.yaml"))[5:]:
        path.unlink()
    assert run_cli("build", "--site", str(site)).code == 0
    home = (site / "output/index.html").read_text()
    data = chart_data(home)
    assert len(data["events"]) == 5 and "cells" not in data  # no counts layer
    assert not (site / "output/timeline").exists() and "data-detail" not in home


@pytest.mark.browser
def test_zooming_in_fetches_and_draws_the_events_and_zooming_out_counts_them_again(browser, tiny_site: TinySite, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", "--site", str(large_site(tiny_site))).code == 0
    with http_server(tiny_site.root / "output") as url:
        context, page = open_page(browser, url, viewport={"width": 1280, "height": 900})
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url.removeprefix(url)) if request.url.endswith(".json") else None)
        page.goto(url)
        page.wait_for_selector("#timeline[data-ready=true] svg")
        marks = "#timeline svg .event_marks_marks path"
        cells = "#timeline svg .event_counts_marks path"
        assert page.locator(marks).count() == 1 and page.locator(cells).count() == len(MONTHLY)
        assert fetched == []  # nothing fetched while the window holds more than the limit

        page.evaluate("timeline.setWindow([Date.UTC(2023, 2, 1), Date.UTC(2023, 7, 20)], false)")  # six events
        page.wait_for_function(f"() => document.querySelectorAll('{marks}').length === 13")
        assert fetched == ["timeline/2023.json"]
        names = page.eval_on_selector_all(marks, "els => els.map(e => e.getAttribute('aria-label'))")
        assert "Event 2023-03-10-event-3, 10 March 2023" in names
        assert page.locator(cells).count() == 10  # 2024's counts stay; 2023's are drawn as events
        page.locator(f"{marks}[aria-label^='Event 2023-03-10']").focus()
        page.keyboard.press("ArrowRight")  # the fetched events join the keyboard path
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Event 2023-04-10-event-4, 10 April 2023"

        page.evaluate("timeline.setWindow([Date.UTC(2022, 11, 1), Date.UTC(2025, 0, 1)], false)")  # 23 events: counts again
        page.wait_for_function(f"() => document.querySelectorAll('{marks}').length === 1")
        assert page.locator(cells).count() == len(MONTHLY)
        page.evaluate("timeline.setWindow([Date.UTC(2023, 2, 1), Date.UTC(2023, 7, 20)], false)")
        page.wait_for_function(f"() => document.querySelectorAll('{marks}').length === 13")
        assert fetched == ["timeline/2023.json"]  # fetched once
        context.close()


@pytest.mark.parametrize("slug", ["timeline", "embed", "data", "cards", "pagefind"])
def test_a_content_page_cannot_take_a_folder_the_generator_writes(tiny_site: TinySite, run_cli, slug: str) -> None:  # type: ignore[no-untyped-def]
    tiny_site.write(f"content/{slug}.md", "---\ntitle: A page\n---\nText.\n")
    result = run_cli("build", "--site", ".")
    assert result.code == 1
    assert f"content/{slug}.md:1:1: slug: '{slug}' is a name the generator uses; rename the page" in result.err
