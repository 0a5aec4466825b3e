"""A large site's events on a page per year: past `model.LIST_ON_HOME_LIMIT` events the home
page stops listing them all and links to one plain HTML page per year instead, in every
edition; a small site keeps its list on the home page.

The limit is a few hundred events; these tests lower it to a handful so that the sites
stay small and the builds fast.
"""

from __future__ import annotations

import posixpath
import re
from datetime import date
from pathlib import Path

import pytest

from site_builder import model, pipeline
from site_builder.load import SourceTree
from site_builder.outputs import Rendering
from site_builder.rebuild import LiveSite
from site_builder.search import searchable

from conftest import EDITIONS_FIXTURE, GOOD_EVENT, TinySite, copy_site
from linkcheck import broken_links

LIMIT = 5
MOUNT = "/timeline/"  # the base_url path of the tiny site
TODAY = date(2025, 11, 23)

# Added to the tiny site's one event (2024-12-22-resolution-57): six events in 2023, 2024 and 2026, none in 2025.
LARGE = {
    "2023-03-01-first": "date: 2023-03-01",
    "2023-11-20-span": "date: 2023-11-20\nend_date: 2024-02-10",  # spans two years: on the page of the year it starts
    "2024-05-first": "date: 2024-05",
    "2024-07-02-second": "date: 2024-07-02",
    "2026-01-15-later": "date: 2026-01-15",
}
YEARS = {2023: ["2023-03-01-first", "2023-11-20-span"],
         2024: ["2024-05-first", "2024-07-02-second", "2024-12-22-resolution-57"],
         2026: ["2026-01-15-later"]}


@pytest.fixture(autouse=True)
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "LIST_ON_HOME_LIMIT", LIMIT)


def add_events(site: TinySite, events: dict[str, str]) -> None:
    for slug, dates in events.items():
        site.event(slug, GOOD_EVENT.replace("date: 2024-12-22", dates).replace("Politburo issues", f"Event {slug}"))


def event_links(html: str) -> list[str]:
    """The event links of a page's lists, in order."""
    return re.findall(r'<a class="event-link[^"]*" href="([^"]+)"', html)


def resolves(output: Path, page: str, href: str) -> bool:
    """Whether `href` on the page at `page` (a folder URL) leads to a file of the output."""
    target = posixpath.normpath(posixpath.join(page, href))
    return (output / target / "index.html").is_file()


def build(run_cli, site: Path) -> Path:  # type: ignore[no-untyped-def]
    result = run_cli("build", "--site", str(site))
    assert result.code == 0, result.err
    return site / "output"


def test_a_small_site_keeps_every_event_on_its_home_page(tiny_site: TinySite, run_cli) -> None:  # type: ignore[no-untyped-def]
    add_events(tiny_site, dict(list(LARGE.items())[:LIMIT - 1]))  # exactly the limit: still small
    output = build(run_cli, tiny_site.root)
    home = (output / "index.html").read_text()
    assert '<h2 id="all-events-title">All events</h2>' in home
    assert sorted(event_links(home)) == sorted(f"events/{path.stem}/" for path in (tiny_site.root / "events").glob("*.yaml"))
    assert "years/" not in home and 'class="year-index"' not in home
    assert not (output / "years").exists()
    assert "/years/" not in (output / "sitemap.xml").read_text()


def test_a_large_site_links_from_its_home_page_to_a_page_per_year(tiny_site: TinySite, run_cli) -> None:  # type: ignore[no-untyped-def]
    add_events(tiny_site, LARGE)
    output = build(run_cli, tiny_site.root)
    home = (output / "index.html").read_text()
    assert event_links(home) == [] and 'class="event-item' not in home  # the full list has moved
    assert '<h2 id="all-events-title">Events by year</h2>' in home
    assert 'id="filter-status"' in home  # the page script still finds it
    assert '<p class="count">6 events</p>' in home
    links = re.findall(r'<li><a href="([^"]+)">(\d+)</a> · (\d+) events?</li>', home)
    assert links == [("years/2023/", "2023", "2"), ("years/2024/", "2024", "3"), ("years/2026/", "2026", "1")]
    assert all(resolves(output, "", href) for href, _, _ in links)
    assert sorted(path.name for path in (output / "years").iterdir()) == ["2023", "2024", "2026"]  # no page for an empty year


def test_each_year_page_lists_that_years_events_as_plain_html(tiny_site: TinySite, run_cli) -> None:  # type: ignore[no-untyped-def]
    add_events(tiny_site, LARGE)
    output = build(run_cli, tiny_site.root)
    for year, slugs in YEARS.items():
        page = f"years/{year}/"
        html = (output / page / "index.html").read_text()
        assert f"<title>{year} · Test timeline</title>" in html and f"<h1>{year}</h1>" in html
        assert re.search(rf'<p class="count">{len(slugs)} events?</p>', html)
        # In the served HTML, in date order, with no script to run: every event of the year and no other.
        links = event_links(html)
        assert links == [f"../../events/{slug}/" for slug in slugs]
        assert all(resolves(output, page, href) for href in links)
        assert "timeline.js" not in html
        assert '<a href="../../">Timeline</a>' in html  # the breadcrumb back to the home page
    later = re.compile(r'<a class="next" href="([^"]+)" rel="next">')
    earlier = re.compile(r'<a class="prev" href="([^"]+)" rel="prev">')
    pages = {year: (output / f"years/{year}/index.html").read_text() for year in YEARS}
    assert earlier.findall(pages[2023]) == [] and later.findall(pages[2023]) == ["../2024/"]
    assert earlier.findall(pages[2024]) == ["../2023/"] and later.findall(pages[2024]) == ["../2026/"]
    assert earlier.findall(pages[2026]) == ["../2024/"] and later.findall(pages[2026]) == []
    assert '<span class="pn-title">2026</span> <span class="pn-date">1 event</span>' in pages[2024]
    assert broken_links(output, mount=MOUNT) == []


def test_year_pages_are_in_the_sitemap_and_searched_like_category_pages(tiny_site: TinySite, run_cli) -> None:  # type: ignore[no-untyped-def]
    add_events(tiny_site, LARGE)
    output = build(run_cli, tiny_site.root)
    sitemap = (output / "sitemap.xml").read_text()
    assert [f"<loc>https://news.test/timeline/years/{year}/</loc>" in sitemap for year in YEARS] == [True] * len(YEARS)
    assert searchable("years/2024/index.html") == searchable("categories/party/index.html") is True


def test_a_content_page_cannot_take_the_year_pages_folder(tiny_site: TinySite, run_cli) -> None:  # type: ignore[no-untyped-def]
    tiny_site.write("content/years.md", "---\ntitle: Years\n---\nText.\n")
    result = run_cli("build", "--site", ".")
    assert result.code == 1
    assert "content/years.md:1:1: slug: 'years' is a name the generator uses; rename the page" in result.err


@pytest.mark.parametrize("prefix, language, count", [("", "en-GB", "5 events"), ("vi/", "vi", "5 sự kiện"), ("fr/", "fr", "5 événements")])
def test_every_edition_has_its_own_year_pages(tmp_path: Path, run_cli, prefix: str, language: str, count: str) -> None:  # type: ignore[no-untyped-def]
    output = build(run_cli, copy_site(tmp_path / "site", EDITIONS_FIXTURE))  # nine events: more than the lowered limit
    home = (output / prefix / "index.html").read_text()
    assert f'<html lang="{language}">' in home and event_links(home) == []
    assert re.findall(r'<li><a href="(years/\d+/)">', home) == ["years/2023/", "years/2024/", "years/2030/"]
    page = (output / prefix / "years/2024/index.html").read_text()
    assert f'<html lang="{language}">' in page and f'<p class="count">{count}</p>' in page
    default = (output / "years/2024/index.html").read_text()
    assert event_links(page) == event_links(default) and len(event_links(page)) == 5  # the same events, in the edition's words
    assert all(resolves(output, f"{prefix}years/2024/", href) for href in event_links(page))
    for other in ("", "vi/", "fr/"):  # the language switcher leads to the same year in the other editions
        assert resolves(output, f"{prefix}years/2024/", posixpath.relpath(f"{other}years/2024", f"{prefix}years/2024") + "/")
    assert broken_links(output, mount="/editions/") == []


def fresh(root: Path) -> Rendering:
    site, _ = pipeline.validate(SourceTree.read(root))
    return pipeline.render(site, TODAY)


def test_the_preview_server_redraws_year_pages_as_a_fresh_build_would(tiny_site: TinySite) -> None:
    add_events(tiny_site, LARGE)
    root = tiny_site.root.resolve()
    live = LiveSite(root, pipeline.Overrides(), today=TODAY)
    live.rebuild(None)

    def same_as_a_fresh_build() -> set[str]:
        expected = fresh(root)
        years = {path for path in expected.files if path.startswith("years/")}
        assert {path for path in live.snapshot.rendering.files if path.startswith("years/")} == years
        for path in years | {"index.html", "sitemap.xml"}:
            assert live.snapshot.get(path) == expected.get(path), path
        return years

    assert same_as_a_fresh_build() == {f"years/{year}/index.html" for year in YEARS}
    moved = tiny_site.event("2026-01-15-later", GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-01-15"))  # 2026 → 2025
    live.rebuild({moved.resolve()})
    assert same_as_a_fresh_build() == {f"years/{year}/index.html" for year in (2023, 2024, 2025)}
    assert 'href="../2025/" rel="next"' in (live.snapshot.get("years/2024/index.html") or b"").decode()
    gone = root / "events/2023-03-01-first.yaml"
    gone.unlink()  # back to the limit: the list returns to the home page
    live.rebuild({gone})
    assert same_as_a_fresh_build() == set()
    assert len(event_links((live.snapshot.get("index.html") or b"").decode())) == LIMIT
