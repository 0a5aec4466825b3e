"""Taking the data away: downloads validated by Frictionless, feeds read by feedparser, the
calendar read by icalendar, the Data page, citations and corrections, print styles."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import feedparser
import pytest
from frictionless import Package
from icalendar import Calendar

from conftest import SITE_YAML, TinySite, fixture_events

SLUGS = sorted(fixture_events())


def test_the_data_package_is_valid_and_describes_every_field(fixture_output: Path, tmp_path: Path) -> None:
    folder = fixture_output / "data"
    copy = tmp_path / "data"
    shutil.copytree(folder, copy)  # Frictionless reads relative to the descriptor
    report = Package(str(copy / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert [resource["path"] for resource in package["resources"]] == ["events.csv", "sources.csv", "figures.csv", "events.json"]
    assert package["version"] == "2024-12-10"  # the latest revision in the fixture (its newest dated source)
    rows = list(csv.DictReader(io.StringIO((folder / "events.csv").read_text(encoding="utf-8"))))
    assert sorted(row["slug"] for row in rows) == SLUGS  # in date order, a year-precision event before its year's days
    assert [row["slug"] for row in rows][3] == "2024-council-publishes-bridge-budget"
    assert set(rows[0]) == {field["name"] for field in package["resources"][0]["schema"]["fields"]}
    month = next(row for row in rows if row["slug"] == "2023-05-residents-meeting-on-bridge-route")
    assert (month["date"], month["date_precision"]) == ("2023-05", "month")
    court = next(row for row in rows if row["slug"] == "2024-06-05-court-dismisses-ferry-objection")
    assert court["updated"] == "2024-06-10" and court["corrections"].startswith("2024-06-10: An earlier version gave")
    sources = list(csv.DictReader(io.StringIO((folder / "sources.csv").read_text(encoding="utf-8"))))
    assert len(sources) == sum(len(event["sources"]) for event in fixture_events().values())
    assert {"event", "position", "title", "translated_title", "publisher", "url", "date", "language"} == set(sources[0])
    events = json.loads((folder / "events.json").read_text(encoding="utf-8"))["events"]
    assert events[0]["sources"][0]["url"].startswith("https://news.test/")


def test_the_feed_has_one_entry_per_event_with_stable_ids(fixture_output: Path) -> None:
    feed = feedparser.parse((fixture_output / "feed.xml").read_bytes())
    assert feed.bozo is False, feed.get("bozo_exception")
    assert len(feed.entries) == 9
    assert {entry.id for entry in feed.entries} == {f"https://news.test/timeline/events/{slug}/" for slug in SLUGS}
    court = next(entry for entry in feed.entries if "court-dismisses" in entry.id)
    assert court.updated == "2024-06-10T00:00:00Z"  # moved by its correction, not by the build
    assert "An earlier version gave the court's name wrongly" in court.summary
    category = feedparser.parse((fixture_output / "categories/court/feed.xml").read_bytes())
    assert category.bozo is False and len(category.entries) == 2


def test_the_calendar_has_the_day_precision_events_only(fixture_output: Path) -> None:
    calendar = Calendar.from_ical((fixture_output / "data/events.ics").read_bytes())
    events = calendar.walk("VEVENT")
    day_events = [slug for slug, event in fixture_events().items()
                  if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(event["date"])) and event.get("kind") != "target"]
    assert sorted(str(event["UID"]).split("@")[0] for event in events) == sorted(day_events)
    span = next(event for event in events if str(event["UID"]).startswith("2024-01-10"))
    assert (span.decoded("DTSTART").isoformat(), span.decoded("DTEND").isoformat()) == ("2024-01-10", "2024-04-01")
    assert all(str(event["UID"]).endswith("@news.test") for event in events)


def test_the_data_page_lists_downloads_licence_and_citation(fixture_output: Path) -> None:
    page = (fixture_output / "data/index.html").read_text(encoding="utf-8")
    for name in ("events.csv", "sources.csv", "events.json", "datapackage.json", "events.ics"):
        assert f'href="{name}" download>{name}</a>' in page
    assert "a calendar of the 6 events dated to the day. 3 events known only to the month or the year, or targets, are left out." in \
        " ".join(page.split())
    assert '<a href="../feed.xml" type="application/atom+xml">Every event</a>' in page
    assert "No licence is stated for this data." in page
    assert ('<p class="citation">Harbour Bridge: a fictional test timeline. Dataset, version 2024-12-10. '
            "https://news.test/timeline/data/</p>") in page
    home = (fixture_output / "index.html").read_text(encoding="utf-8")
    assert '<li><a href="data/">Data</a></li>' in home
    assert '<link rel="alternate" type="application/atom+xml" title="Harbour Bridge: a fictional test timeline" href="feed.xml">' in home


def test_event_pages_show_updates_corrections_and_a_citation(fixture_output: Path) -> None:
    page = (fixture_output / "events/2024-06-05-court-dismisses-ferry-objection/index.html").read_text(encoding="utf-8")
    assert ('<p class="updated">Last updated: <time datetime="2024-06-10">10 June 2024</time> · '
            '<a href="#corrections">1 correction</a></p>') in page
    assert ('<li><time datetime="2024-06-10">10 June 2024</time>: <span lang="en-GB">An earlier version gave the court&#39;s name '
            "wrongly; it is the Harbour City District Court.</span></li>") in page
    assert ("<p class=\"citation\">Test timeline. “Court dismisses the ferry company&#39;s objection to the bridge”. "
            "Harbour Bridge: a fictional test timeline, 5 June 2024. Last updated 10 June 2024. "
            "https://news.test/timeline/events/2024-06-05-court-dismisses-ferry-objection/</p>") in page
    assert "@misc{2024-06-05-court-dismisses-ferry-objection,\n  author = {{Test timeline}}," in page
    assert "  note = {Last updated 2024-06-10.}," in page


@pytest.mark.browser
def test_printed_event_pages_show_source_addresses_and_no_navigation(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    from conftest import open_page

    context, page = open_page(browser, site_url)
    page.emulate_media(media="print")
    page.goto(site_url + "events/2024-06-05-court-dismisses-ferry-objection/")
    assert page.locator(".site-nav").is_hidden() and page.locator(".site-footer").is_hidden() and page.locator(".prev-next").is_hidden()
    after = page.evaluate("getComputedStyle(document.querySelector('.source-list a'), '::after').content")
    assert after == '" <" attr(href) ">"' or "news.test" in after
    context.close()


def structured_data(path: Path) -> dict[str, object]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', path.read_text(encoding="utf-8"), re.S)
    assert len(found) == 1, path
    data: dict[str, object] = json.loads(found[0])
    assert data["@context"] == "https://schema.org"
    return data


def test_every_page_kind_carries_its_structured_data(fixture_output: Path) -> None:
    types = {slug: structured_data(fixture_output / "events" / slug / "index.html")["@type"] for slug in SLUGS}
    assert types["2023-02-14-bridge-plan-approved"] == "Legislation"
    assert types["2024-02-20-public-forum-on-cau-ben-thuy-twinning"] == "Event"
    assert types["2030-bridge-carries-city-buses"] == "Article"  # a target: no occasion, no instrument
    law = structured_data(fixture_output / "events/2023-02-14-bridge-plan-approved/index.html")
    assert (law["legislationIdentifier"], law["legislationDate"], law["legislationPassedBy"]) == (
        "12/2023", "2023-02-14", {"@type": "Organization", "name": "Harbour City Council"})
    assert law["alternateName"] == "Council Decision No. 12/2023"
    assert law["url"] == "https://news.test/timeline/events/2023-02-14-bridge-plan-approved/"
    forum = structured_data(fixture_output / "events/2024-02-20-public-forum-on-cau-ben-thuy-twinning/index.html")
    assert (forum["startDate"], forum["location"], forum["organizer"]) == (
        "2024-02-20", {"@type": "Place", "name": "Harbour City Hall"}, [{"@type": "Organization", "name": "Harbour Twinning Association"}])
    for slug in SLUGS:
        data = structured_data(fixture_output / "events" / slug / "index.html")
        assert data["name"] and data["description"] and data["citation"], slug
    site = structured_data(fixture_output / "index.html")
    assert (site["@type"], site["name"], site["url"]) == ("WebSite", "Harbour Bridge: a fictional test timeline", "https://news.test/timeline/")
    dataset = structured_data(fixture_output / "data/index.html")
    assert dataset["@type"] == "Dataset" and dataset["version"] == "2024-12-10" and dataset["temporalCoverage"] == "2023-02-14/2030"
    assert [d["contentUrl"] for d in dataset["distribution"]] == [  # type: ignore[union-attr]
        f"https://news.test/timeline/data/{name}" for name in ("events.csv", "sources.csv", "events.json", "figures.csv", "datapackage.json")]


def test_every_page_has_a_share_card_of_1200_by_630(fixture_output: Path) -> None:
    from PIL import Image

    pages = sorted(fixture_output.rglob("*.html"))
    for page in pages:
        if page.name == "404.html" or page.relative_to(fixture_output).parts[0] == "embed":
            continue
        html = page.read_text(encoding="utf-8")
        image = re.search(r'<meta property="og:image" content="([^"]+)">', html)
        assert image, page
        url = image.group(1)
        assert url.startswith("https://news.test/timeline/cards/") and url.endswith(".png"), url
        assert f'<meta name="twitter:image" content="{url}">' in html
        with Image.open(fixture_output / url.removeprefix("https://news.test/timeline/")) as png:
            assert png.size == (1200, 630)
    event = (fixture_output / "events/2024-06-05-court-dismisses-ferry-objection/index.html").read_text(encoding="utf-8")
    assert 'content="https://news.test/timeline/cards/2024-06-05-court-dismisses-ferry-objection.png"' in event


def test_a_rebuild_does_not_draw_unchanged_cards_again(tmp_path: Path) -> None:
    from site_builder.cli import main

    from conftest import copy_site

    site = copy_site(tmp_path / "site")
    kept = site / ".site-builder-cache/share-cards"

    def cards_kept() -> dict[str, int]:  # drawn cards are kept here by scene, written once each
        return {path.name: path.stat().st_mtime_ns for path in kept.glob("*.png")}

    assert main(["build", "--site", str(site)]) == 0
    first_cards = cards_kept()
    assert len(first_cards) == 10  # nine events and the home page
    first = {path.name: path.read_bytes() for path in (site / "output/cards").iterdir()}
    # A new build into another folder, as a new process would make it: only the kept cards help
    assert main(["build", "--site", str(site), "--output", str(tmp_path / "other")]) == 0
    assert cards_kept() == first_cards
    assert {path.name: path.read_bytes() for path in (tmp_path / "other/cards").iterdir()} == first
    event = site / "events/2024-06-05-court-dismisses-ferry-objection.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("title: Court dismisses", "title: A court dismisses"), encoding="utf-8")
    assert main(["build", "--site", str(site)]) == 0
    assert len(set(cards_kept()) - set(first_cards)) == 2  # that event's card and the home page's, which pictures the whole chart


def test_cards_drawn_by_several_pools_of_workers_are_all_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers are replaced every BATCH cards (their memory grows with each card): ten cards
    in pools of five (a count that divides evenly, the case that must still end) are the
    cards one process draws."""
    import concurrent.futures

    from site_builder import cards
    from site_builder.cli import main

    from conftest import copy_site

    site = copy_site(tmp_path / "site")
    assert main(["build", "--site", str(site), "--output", str(tmp_path / "alone"), "--no-cache"]) == 0
    pools = []

    class CountedPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setattr(cards.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cards, "POOL_FROM", 2)
    monkeypatch.setattr(cards, "BATCH", 5)
    assert main(["build", "--site", str(site), "--output", str(tmp_path / "pooled"), "--no-cache"]) == 0
    assert len(pools) == 3  # two full pools, and one given nothing, which ends the drawing
    drawn = {path.name: path.read_bytes() for path in (tmp_path / "pooled/cards").iterdir()}
    assert len(drawn) == 10 and drawn == {path.name: path.read_bytes() for path in (tmp_path / "alone/cards").iterdir()}


def test_an_event_card_drawn_from_its_own_svg_is_the_picture_vega_draws(tmp_path: Path) -> None:
    """Event cards skip Vega (their SVG is written directly, and their timeline's dots as
    three paths, not one per dot: a third of the time): the picture must stay what Vega and
    vl-convert make of the same scene, in every language (Vietnamese and French titles,
    ellipses, one-line and wrapped titles). Band, text and rule are the same pixels; on the
    timeline only the anti-aliased edges where dots overlap may differ, faintly."""
    import io

    import vl_convert
    from PIL import Image, ImageChops

    from site_builder import cards, pipeline
    from site_builder.editions import editions
    from site_builder.load import SourceTree
    from site_builder.render import Renderer

    from conftest import EDITIONS_FIXTURE

    site, _ = pipeline.validate(SourceTree.read(EDITIONS_FIXTURE))
    compared = 0
    for edition in editions(site.config):
        renderer = Renderer(site.edition(edition.language), date(2025, 11, 23), edition=edition)
        for event in renderer.site.events[:3]:
            scene = renderer.card_scene(event)
            assert cards.scene_svg(scene) is not None
            ours, vegas = (Image.open(io.BytesIO(png)).convert("RGB") for png in (cards.draw(scene), bytes(vl_convert.vega_to_png(scene, scale=1))))
            difference = ImageChops.difference(ours, vegas).convert("L")
            box = difference.getbbox()
            assert box is None or (box[1] >= 520 and box[3] <= 560), (edition.language, event.slug, box)  # only on the timeline
            assert sum(difference.histogram()[33:]) < 100, (edition.language, event.slug)  # and faint there
            compared += 1
    assert compared == 9
    assert cards.scene_svg(renderer.card_scene(None)) is None  # the home card pictures the chart: drawn by Vega


def test_with_share_cards_site_every_page_shares_the_home_card(tiny_site: TinySite, run_cli) -> None:
    tiny_site.write("site.yaml", SITE_YAML.replace("title: Test timeline", "title: Test timeline\nshare_cards: site", 1))
    assert run_cli("build", "--site", ".", "--output", "out").code == 0
    assert sorted(path.name for path in (tiny_site.root / "out/cards").iterdir()) == ["home.png"]
    event = (tiny_site.root / "out/events/2024-12-22-resolution-57/index.html").read_text(encoding="utf-8")
    assert '<meta property="og:image" content="https://news.test/timeline/cards/home.png">' in event


def test_share_cards_takes_events_or_site(tiny_site: TinySite, run_cli) -> None:
    tiny_site.write("site.yaml", SITE_YAML.replace("title: Test timeline", "title: Test timeline\nshare_cards: sites", 1))
    result = run_cli("check")
    assert result.code == 1
    assert "site.yaml:2:14: share_cards: 'sites' is not a known share-card setting (did you mean 'site'?); choose one of: events, site\n" in result.err, result.err
