"""Search: a Pagefind index built with the site, one per language, and a search box that
finds events by their words, with or without Vietnamese diacritics."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import http_server
from conftest import open_page

FORUM = "events/2024-02-20-public-forum-on-cau-ben-thuy-twinning/"


@pytest.fixture(scope="module")
def searchable_site(editions_output: Path) -> Iterator[tuple[Path, str]]:
    with http_server(editions_output.parent) as url:  # served under a sub-path, as on GitHub Pages
        yield editions_output, url + "timeline/"


def test_the_index_has_one_language_per_edition(searchable_site: tuple[Path, str]) -> None:
    output, _ = searchable_site
    entry = json.loads((output / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert {language: found["page_count"] for language, found in entry["languages"].items()} == {"en-gb": 16, "fr": 16, "vi": 16}


@pytest.mark.browser
@pytest.mark.parametrize("edition, words", [("", "Harbour Bridge opens"), ("vi/", "Bến Thủy"), ("vi/", "ben thuy"), ("fr/", "jumelage")])
def test_the_search_box_finds_events(browser, searchable_site: tuple[Path, str], edition: str, words: str) -> None:  # type: ignore[no-untyped-def]
    _, url = searchable_site
    context, page = open_page(browser, url)
    page.goto(url + edition)
    page.fill("#site-search input", words)
    page.wait_for_selector(".pagefind-ui__result-link")
    found = [link.get_attribute("href") for link in page.locator(".pagefind-ui__result-link").all()]
    wanted = {"Harbour Bridge opens": "events/2024-11-30-harbour-bridge-opens/"}.get(words, FORUM)
    assert f"/timeline/{edition}{wanted}" in found, found
    page.locator(f".pagefind-ui__result-link[href='/timeline/{edition}{wanted}']").click()
    page.wait_for_url(f"**/timeline/{edition}{wanted}")
    assert page.watch.errors == [] and page.watch.foreign_requests == []
    context.close()


@pytest.mark.browser
def test_without_javascript_the_box_is_hidden(browser, searchable_site: tuple[Path, str]) -> None:  # type: ignore[no-untyped-def]
    _, url = searchable_site
    context, page = open_page(browser, url, java_script_enabled=False)
    page.goto(url)
    assert page.locator("#site-search").is_hidden()
    context.close()


def indexed_text(output: Path) -> dict[str, str]:
    """What Pagefind keeps of each page, by its URL: the text a search matches and shows."""
    import gzip

    fragments = (json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
                 for path in (output / "pagefind/fragment").iterdir())
    return {fragment["url"]: fragment["content"] for fragment in fragments}


def test_a_page_is_found_by_its_own_words_not_its_neighbours(editions_output: Path) -> None:
    indexed = indexed_text(editions_output)
    bridge = indexed["/events/2024-11-30-harbour-bridge-opens/"]
    assert "The Harbour Bridge opens to walkers and cyclists. 30 November 2024" in bridge
    assert "Cite this event" not in bridge and "Earlier" not in bridge  # the citation and the links to its neighbours
    # The lists of events on the home, category and year pages are not indexed: the event's own page is its one result.
    found = sorted(url for url, text in indexed.items() if "opens to walkers and cyclists" in text)
    assert found == ["/events/2024-11-30-harbour-bridge-opens/", "/fr/events/2024-11-30-harbour-bridge-opens/"]  # untranslated in French
