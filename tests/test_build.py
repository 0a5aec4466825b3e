"""Building the site: pages and links produced, failed builds writing nothing, base URLs."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD_DATE_EPOCH, FIXTURE, GOOD_EVENT, REPO, TinySite, copy_site, fixture_events
from linkcheck import broken_links


def parse_elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag of a page with its attributes, as a browser's parser sees them."""
    from html.parser import HTMLParser

    found: list[tuple[str, dict[str, str | None]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


def tree_digest(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_every_event_has_a_page(fixture_output: Path) -> None:
    slugs = sorted(fixture_events())
    assert len(slugs) == 9
    for slug in slugs:
        assert (fixture_output / "events" / slug / "index.html").is_file(), slug
    home = (fixture_output / "index.html").read_text()
    for slug in slugs:
        assert f'href="events/{slug}/"' in home


def test_home_lists_events_by_year_with_dates_at_their_precision(fixture_output: Path) -> None:
    home = (fixture_output / "index.html").read_text()
    assert re.findall(r'<h3 class="year-heading" id="year-(\d+)">', home) == ["2023", "2024", "2030"]
    for date, label, words in [
        ("2023-02-14", "14 February 2023", "City council approves the Harbour Bridge plan"),
        ("2023-05", "May 2023", "Residents"),
        ("2024-01-10", "10 January 2024 – 31 March 2024", "tender"),
        ("2024", "2024", "City council publishes"),
        ("2030", "2030", "buses"),
    ]:
        assert re.search(rf'<time class="event-date" datetime="{date}">{re.escape(label)}</time>\s*<a[^>]*>[^<]*{words}', home), date


def test_pages_categories_and_404_exist(fixture_output: Path) -> None:
    files = sorted(path.relative_to(fixture_output).as_posix() for path in fixture_output.rglob("*") if path.is_file())
    assert len([name for name in files if name.startswith("cards/")]) == 10  # a share card per event and the home page's
    assert "pagefind/pagefind-ui.js" in files and "pagefind/pagefind-entry.json" in files
    assert [name for name in files if not name.startswith(("events/", "static/", "cards/", "pagefind/"))] == [
        ".site-builder-output", "404.html", "about/index.html", "categories/council/feed.xml", "categories/council/index.html", "categories/court/feed.xml",
        "categories/court/index.html", "categories/public/feed.xml", "categories/public/index.html", "data/datapackage.json",
        "data/events.csv", "data/events.ics", "data/events.json", "data/figures.csv", "data/index.html", "data/sources.csv",
        "embed/council/index.html", "embed/court/index.html", "embed/index.html", "embed/public/index.html", "feed.xml",
        "figures/bridge-crossings.svg", "figures/index.html", "index.html",
        "methodology/index.html", "robots.txt", "sitemap.xml", "timeline-narrow.svg", "timeline.svg"]
    assert [name for name in files if name.startswith("static/")] == [
        "static/css/site.css", "static/img/favicon.svg", "static/js/search.js", "static/js/timeline.js",
        "static/vendor/LICENSE-vega.txt", "static/vendor/vega-runtime.min.js"]


def test_every_internal_link_resolves(fixture_output: Path) -> None:
    assert broken_links(fixture_output, mount="/timeline/") == []  # the base_url path in site.yaml


def test_event_page_shows_date_at_its_precision_and_sources(fixture_output: Path) -> None:
    page = (fixture_output / "events/2024-06-05-court-dismisses-ferry-objection/index.html").read_text()
    assert '<time datetime="2024-06-05">5 June 2024</time>' in page
    assert '<h2 id="sources-title">Sources</h2>' in page
    assert 'rel="prev"' in page and 'rel="next"' in page
    target = (fixture_output / "events/2030-bridge-carries-city-buses/index.html").read_text()
    assert '<time datetime="2030">2030</time>' in target
    assert "· Target</p>" in target
    forum = (fixture_output / "events/2024-02-20-public-forum-on-cau-ben-thuy-twinning/index.html").read_text()
    assert ('<a href="https://news.test/vi/2024/02/dien-dan-ket-nghia" rel="noopener noreferrer external" hreflang="vi" lang="vi">'
            "Diễn đàn về kết nghĩa cầu Bến Thủy</a>\n<span class=\"language\">(Vietnamese)</span>") in forum
    assert '<h2 id="section-what-the-forum-discussed">What the forum discussed</h2>' in forum
    assert '<h2 id="related-title">Related events</h2>' in forum


def test_only_the_home_page_and_the_embeds_carry_chart_data(fixture_output: Path) -> None:
    assert 'id="timeline-spec"' in (fixture_output / "index.html").read_text()
    for page in fixture_output.rglob("*.html"):
        if page == fixture_output / "index.html" or page.relative_to(fixture_output).parts[0] == "embed":
            continue
        text = page.read_text()
        assert "timeline-spec" not in text and "vega-runtime" not in text, page


def test_no_cdn_or_remote_script(fixture_output: Path) -> None:
    for page in fixture_output.rglob("*.html"):
        for src in re.findall(r'<script[^>]*src="([^"]+)"', page.read_text()):
            assert not re.match(r"(https?:)?//", src), (page, src)


def test_build_is_deterministic(tmp_path: Path, fixture_output: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    again = tmp_path / "again"
    from site_builder.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
    assert main(["build", "--site", str(FIXTURE), "--output", str(again)]) == 0
    assert tree_digest(again) == tree_digest(fixture_output)


def test_failed_build_leaves_previous_output_byte_identical(tiny_site: TinySite, run_cli) -> None:
    assert run_cli("build", "--site", ".").code == 0
    before = tree_digest(tiny_site.root / "output")
    tiny_site.event("2025-01-01-broken", GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-02-30"))
    result = run_cli("build", "--site", ".")
    assert result.code == 1
    assert result.err.splitlines()[-1] == "1 file, 1 error; nothing was written"
    assert tree_digest(tiny_site.root / "output") == before
    assert sorted(p.name for p in tiny_site.root.iterdir()) == [".site-builder-cache", "content", "events", "output", "site.yaml"]


def test_successful_build_replaces_output_and_removes_stale_pages(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("2025-01-01-extra")
    assert run_cli("build", "--site", ".").code == 0
    assert (tiny_site.root / "output/events/2025-01-01-extra/index.html").is_file()
    (tiny_site.root / "events/2025-01-01-extra.yaml").unlink()
    result = run_cli("build", "--site", ".")
    assert result.code == 0
    assert not (tiny_site.root / "output/events/2025-01-01-extra").exists()
    assert re.fullmatch(
        r"Built 1 events into 10 pages \(\d+ files\) in \d+\.\d\d s: load \d+ ms, validate \d+ ms, render \d+ ms, draw \d+ ms, write \d+ ms\n",
        result.out,
    )


def test_base_url_with_a_sub_path(tmp_path: Path, run_cli) -> None:
    output = tmp_path / "www" / "news" / "r57"
    result = run_cli("build", "--site", str(FIXTURE), "--output", str(output), "--base-url", "https://paper.test/news/r57/")
    assert result.code == 0
    assert broken_links(output, mount="/news/r57/") == []
    not_found = (output / "404.html").read_text()
    assert 'href="/news/r57/static/css/site.css?v=' in not_found
    assert 'href="/news/r57/"' in not_found
    home = (output / "index.html").read_text()
    assert '<link rel="canonical" href="https://paper.test/news/r57/">' in home
    assert "<loc>https://paper.test/news/r57/events/2024-06-05-court-dismisses-ferry-objection/</loc>" in (output / "sitemap.xml").read_text()
    assert (output / "robots.txt").read_text() == "User-agent: *\nAllow: /\nSitemap: https://paper.test/news/r57/sitemap.xml\n"


def test_site_served_at_the_root(tmp_path: Path, run_cli) -> None:
    output = tmp_path / "output"
    assert run_cli("build", "--site", str(FIXTURE), "--output", str(output), "--base-url", "https://paper.test").code == 0
    assert broken_links(output, mount="/") == []
    assert '<a href="/">Go to the timeline</a>' in (output / "404.html").read_text()


def test_without_a_base_url_there_is_no_canonical_link_or_sitemap(tmp_path: Path, run_cli) -> None:
    site = copy_site(tmp_path / "site")
    config = site / "site.yaml"
    config.write_text(config.read_text().replace('base_url: "https://news.test/timeline/"\n', ""))
    assert run_cli("build", "--site", str(site)).code == 0
    home = (site / "output/index.html").read_text()
    assert 'rel="canonical"' not in home and 'property="og:url"' not in home
    assert not (site / "output/sitemap.xml").exists()
    assert (site / "output/robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    assert broken_links(site / "output", mount="/") == []
    assert run_cli("build", "--site", str(site), "--base-url", "https://paper.test/t").code == 0
    assert '<link rel="canonical" href="https://paper.test/t/">' in (site / "output/index.html").read_text()


def test_contributor_html_and_script_never_run(tiny_site: TinySite, run_cli) -> None:
    hostile = GOOD_EVENT.replace(
        "title: Politburo issues Resolution 57", "title: \"</script><script>alert('title')</script>\""
    ).replace(
        "summary: The Politburo issued Resolution No. 57-NQ/TW.", "summary: <img src=x onerror=alert(1)> & more"
    ) + (
        "body: |\n  <script>alert('body')</script>\n  [click](javascript:alert(1)) <b onclick=\"alert(2)\">bold</b>\n"
        "  <iframe src=\"https://evil.example\"></iframe>\n"
        "actors: [\"<svg onload=alert(3)>\"]\n"
    )
    tiny_site.event("2024-12-22-resolution-57", hostile)
    assert run_cli("build", "--site", ".").code == 0
    out = tiny_site.root / "output"
    page = (out / "events/2024-12-22-resolution-57/index.html").read_text()
    home = (out / "index.html").read_text()
    for text in (page, home):
        elements = parse_elements(text)
        scripts = [attrs for tag, attrs in elements if tag == "script"]
        assert all(attrs.get("type") in ("application/json", "application/ld+json") or re.match(r"(\.\./)*(static|pagefind)/", attrs.get("src") or "")
                   for attrs in scripts)
        assert not [(tag, name) for tag, attrs in elements for name in attrs if name.startswith("on")]
        assert not [tag for tag, _ in elements if tag in ("iframe", "svg", "object", "embed")]
        assert not [attrs for tag, attrs in elements if tag == "img" and attrs.get("class") != "timeline-still"]
        assert not [attrs for _, attrs in elements for v in attrs.values() if v and v.strip().lower().startswith("javascript:")]
    assert "&lt;/script&gt;&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page
    assert "bold" in page and "<b>" not in page and "<b " not in page  # raw HTML is removed, its text kept (CONTRIBUTING.md)
    structured = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "</script" not in structured and json.loads(structured)["name"] == "</script><script>alert('title')</script>"
    spec = re.search(r'<script type="application/json" id="timeline-spec">(.*?)</script>', home, re.S).group(1)
    assert "</script" not in spec
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert('title')" in spec
    assert any(v.get("title") == "</script><script>alert('title')</script>"
               for d in json.loads(spec)["data"] for v in d.get("values", []) if isinstance(v, dict))


def test_output_folder_that_holds_sources_is_refused(tiny_site: TinySite, run_cli) -> None:
    result = run_cli("build", "--site", ".", "--output", ".")
    assert (result.code, result.err) == (2, "site-builder build: error: output folder . is the site folder itself; "
                                            "choose a folder of its own for the built site, such as output\n")
    assert (tiny_site.root / "site.yaml").is_file()
    assert sorted(p.name for p in tiny_site.root.iterdir()) == ["content", "events", "site.yaml"]  # nothing written
    # tests/test_output_safety.py has every other refusal


def test_usage_errors_exit_2(run_cli) -> None:
    result = run_cli("build", "--site", "/no/such/folder")
    assert (result.code, result.err) == (2, "site-builder build: error: --site /no/such/folder: no such folder\n")
    assert run_cli("frobnicate").code == 2
    assert run_cli("new", "No date given").code == 2


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["new"], ["serve"], ["schema"]])
def test_help_on_every_command(run_cli, command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.code == 0
    assert result.out.startswith(" ".join(["usage: site-builder", *command[:1]]))


def test_build_py_runs_as_a_script_without_traceback(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    good = (site / "events/2023-02-14-bridge-plan-approved.yaml").read_text()
    (site / "events" / "2025-02-30-typo.yaml").write_text(good.replace("date: 2023-02-14", "date: 2025-02-30"))
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site", str(site)],
                            capture_output=True, text=True, cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "events/2025-02-30-typo.yaml:4:7: date: 2025-02-30 is not a valid date",
        "1 file, 1 error; nothing was written",
    ]
    assert not (site / "output").exists()


def test_new_event_file(tiny_site: TinySite, run_cli) -> None:
    result = run_cli("new", "Hội nghị tại Hải Phòng", "--date", "2025-08", "--category", "party", "--site", ".")
    assert result.code == 0
    path = tiny_site.root / "events/2025-08-hoi-nghi-tai-hai-phong.yaml"
    assert result.out.splitlines()[0] == "Wrote events/2025-08-hoi-nghi-tai-hai-phong.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=schema.json\n")
    assert 'title: "Hội nghị tại Hải Phòng"' in text
    again = run_cli("new", "Hội nghị tại Hải Phòng", "--date", "2025-08", "--site", ".")
    assert again.code == 2
    assert "already exists; not overwriting it" in again.err
    assert path.read_text() == text
    # The template fails check until its TODOs are filled, then passes.
    assert run_cli("check", "--site", ".").code == 1
    filled = (text.replace("  TODO\n", "  A conference was held.\n")
              .replace("TODO headline of the article", "A headline")
              .replace("publisher: TODO", "publisher: A paper")
              .replace("TODO https://...", "https://example.org/a"))
    path.write_text(filled)
    assert run_cli("check", "--site", ".").code == 0


def test_new_refuses_unknown_category_and_bad_date(tiny_site: TinySite, run_cli) -> None:
    assert "is not one of: party, government" in run_cli("new", "X", "--date", "2025", "--category", "nope", "--site", ".").err
    for date, message in [("25/12/2024", "--date '25/12/2024' is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD"),
                          ("2025-13", "--date 2025-13 is not a valid date"), ("2025-02-30", "--date 2025-02-30 is not a valid date")]:
        result = run_cli("new", "X", "--date", date, "--site", ".")
        assert (result.code, result.err.splitlines()[-1].split(": error: ", 1)[1]) == (2, message)
    assert list((tiny_site.root / "events").glob("*-x.yaml")) == []


def test_schema_command_writes_the_schema_and_a_stale_one_is_an_error(tiny_site: TinySite, run_cli) -> None:
    from site_builder import pipeline

    result = run_cli("schema", "--site", ".")
    assert (result.code, result.out) == (0, "Wrote events/schema.json\n")
    schema = json.loads((tiny_site.root / "events/schema.json").read_text())
    assert schema["properties"]["category"]["enum"] == ["party", "government"]
    assert run_cli("check", "--site", ".").code == 0
    config = tiny_site.root / "site.yaml"
    config.write_text(config.read_text() + "  - key: courts\n    label: Courts\n    colour: \"#6a3d9a\"\n")
    result = run_cli("check", "--site", ".")
    assert result.code == 1
    assert result.err.splitlines()[0] == ("events/schema.json:1:1: out of date with the event format or site.yaml categories and languages; "
                                          "run: site-builder schema")
    assert pipeline.schema_text(pipeline.load_config(tiny_site.root)).count("courts") == 1


def test_event_pages_link_to_edit_and_correction(fixture_output: Path) -> None:
    page = (fixture_output / "events/2024-06-05-court-dismisses-ferry-objection/index.html").read_text()
    assert '<a href="https://git.test/newsroom/timeline/edit/main/events/2024-06-05-court-dismisses-ferry-objection.yaml">Edit this page</a>' in page
    assert ('<a href="https://git.test/newsroom/timeline/issues/new?template=correction.yml&amp;title=Correction%3A%20Court%20dismisses'
            '%20the%20ferry%20company%27s%20objection%20to%20the%20bridge&amp;event=2024-06-05-court-dismisses-ferry-objection">Report a correction</a>') in page


def test_no_edit_links_without_a_repository(tiny_site: TinySite, run_cli) -> None:
    assert run_cli("build", "--site", ".").code == 0
    page = (tiny_site.root / "output/events/2024-12-22-resolution-57/index.html").read_text()
    assert "Edit this page" not in page and "Report a correction" not in page
