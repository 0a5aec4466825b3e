"""Building the site: pages and links produced, failed builds writing nothing, base URLs."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import BUILD_DATE_EPOCH, GOOD_EVENT, REPO, TinySite, copy_real_site
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


def real_slugs() -> list[str]:
    return sorted(path.stem for path in (REPO / "events").glob("*.yaml"))


def test_every_event_has_a_page(real_site_output: Path) -> None:
    for slug in real_slugs():
        page = real_site_output / "events" / slug / "index.html"
        assert page.is_file(), slug
    home = (real_site_output / "index.html").read_text()
    for slug in real_slugs():
        assert f'href="events/{slug}/"' in home


def test_the_five_milestones_of_the_design_are_on_the_site(real_site_output: Path) -> None:
    home = (real_site_output / "index.html").read_text()
    for date, words in [
        ("2024-12-22", "Resolution 57-NQ/TW"),
        ("2025-01-09", "03/NQ-CP"),
        ("2025-01-13", "National conference"),
        ("2025-02-19", "193/2025/QH15"),
        ("2025-08", "Hai Phong"),
    ]:
        assert re.search(rf'<time class="event-date" datetime="{date}[^"]*">[^<]*</time>\s*<a[^>]*>[^<]*{re.escape(words)}', home), words


def test_pages_categories_and_404_exist(real_site_output: Path) -> None:
    for name in ["about/index.html", "methodology/index.html", "404.html", "sitemap.xml", "robots.txt",
                 "categories/party/index.html", "categories/legislature/index.html"]:
        assert (real_site_output / name).is_file(), name


def test_every_internal_link_resolves(real_site_output: Path) -> None:
    assert broken_links(real_site_output, mount="/resolution-57/") == []  # the base_url path in site.yaml


def test_event_page_shows_date_at_its_precision_and_sources(real_site_output: Path) -> None:
    page = (real_site_output / "events/2025-01-13-national-conference/index.html").read_text()
    assert '<time datetime="2025-01-13">13 January 2025</time>' in page
    assert '<h2 id="sources-title">Sources</h2>' in page
    assert 'rel="prev"' in page and 'rel="next"' in page
    target = (real_site_output / "events/2030-resolution-57-targets/index.html").read_text()
    assert '<time datetime="2030">2030</time>' in target


def test_only_the_home_page_carries_chart_data(real_site_output: Path) -> None:
    assert 'id="timeline-spec"' in (real_site_output / "index.html").read_text()
    for page in real_site_output.rglob("*.html"):
        if page.name == "index.html" and page.parent == real_site_output:
            continue
        text = page.read_text()
        assert "timeline-spec" not in text and "vega-runtime" not in text, page


def test_no_cdn_or_remote_script(real_site_output: Path) -> None:
    for page in real_site_output.rglob("*.html"):
        for src in re.findall(r'<script[^>]*src="([^"]+)"', page.read_text()):
            assert not re.match(r"(https?:)?//", src), (page, src)


def test_build_is_deterministic(tmp_path: Path, real_site_output: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    again = tmp_path / "again"
    from site_builder.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
    assert main(["build", "--site", str(REPO), "--output", str(again)]) == 0
    assert tree_digest(again) == tree_digest(real_site_output)


def test_failed_build_leaves_previous_output_byte_identical(tiny_site: TinySite, run_cli) -> None:
    assert run_cli("build", "--site", ".").code == 0
    before = tree_digest(tiny_site.root / "output")
    tiny_site.event("2025-01-01-broken", GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-02-30"))
    result = run_cli("build", "--site", ".")
    assert result.code == 1
    assert result.err.splitlines()[-1] == "1 file, 1 error; nothing was written"
    assert tree_digest(tiny_site.root / "output") == before
    assert sorted(p.name for p in tiny_site.root.iterdir()) == ["content", "events", "output", "site.yaml"]


def test_successful_build_replaces_output_and_removes_stale_pages(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("2025-01-01-extra")
    assert run_cli("build", "--site", ".").code == 0
    assert (tiny_site.root / "output/events/2025-01-01-extra/index.html").is_file()
    (tiny_site.root / "events/2025-01-01-extra.yaml").unlink()
    result = run_cli("build", "--site", ".")
    assert result.code == 0
    assert not (tiny_site.root / "output/events/2025-01-01-extra").exists()
    assert re.fullmatch(
        r"Built 1 events into 6 pages \(\d+ files\) in \d+\.\d\d s: load \d+ ms, validate \d+ ms, render \d+ ms, write \d+ ms\n",
        result.out,
    )


def test_base_url_with_a_sub_path(tmp_path: Path, run_cli) -> None:
    output = tmp_path / "www" / "news" / "r57"
    result = run_cli("build", "--site", str(REPO), "--output", str(output), "--base-url", "https://example.com/news/r57/")
    assert result.code == 0
    assert broken_links(output, mount="/news/r57/") == []
    not_found = (output / "404.html").read_text()
    assert 'href="/news/r57/static/css/site.css?v=' in not_found
    assert 'href="/news/r57/"' in not_found
    home = (output / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.com/news/r57/">' in home
    assert "<loc>https://example.com/news/r57/events/2025-01-13-national-conference/</loc>" in (output / "sitemap.xml").read_text()


def test_site_served_at_the_root(tmp_path: Path, run_cli) -> None:
    output = tmp_path / "output"
    assert run_cli("build", "--site", str(REPO), "--output", str(output), "--base-url", "https://example.com").code == 0
    assert broken_links(output, mount="/") == []
    assert '<a href="/">Go to the timeline</a>' in (output / "404.html").read_text()


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
        assert all(attrs.get("type") == "application/json" or re.match(r"(\.\./)*static/", attrs.get("src") or "") for attrs in scripts)
        assert not [(tag, name) for tag, attrs in elements for name in attrs if name.startswith("on")]
        assert not [tag for tag, _ in elements if tag in ("iframe", "svg", "object", "embed")]
        assert not [attrs for tag, attrs in elements if tag == "img" and attrs.get("class") != "timeline-still"]
        assert not [attrs for _, attrs in elements for v in attrs.values() if v and v.strip().lower().startswith("javascript:")]
    assert "&lt;/script&gt;&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page
    assert "<b>bold</b>" in page
    spec = re.search(r'<script type="application/json" id="timeline-spec">(.*?)</script>', home, re.S).group(1)
    assert "</script" not in spec
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert('title')" in spec
    assert any(v.get("title") == "</script><script>alert('title')</script>"
               for d in json.loads(spec)["data"] for v in d.get("values", []) if isinstance(v, dict))


def test_output_folder_that_holds_sources_is_refused(tiny_site: TinySite, run_cli) -> None:
    result = run_cli("build", "--site", ".", "--output", ".")
    assert result.code == 2
    assert "contains the site itself" in result.err
    assert (tiny_site.root / "site.yaml").is_file()


def test_usage_errors_exit_2(run_cli) -> None:
    result = run_cli("build", "--site", "/no/such/folder")
    assert (result.code, result.err) == (2, "python build.py build: error: --site /no/such/folder: no such folder\n")
    assert run_cli("frobnicate").code == 2
    assert run_cli("new", "No date given").code == 2


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["new"], ["serve"], ["schema"]])
def test_help_on_every_command(run_cli, command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.code == 0
    assert result.out.startswith("usage: python build.py")


def test_build_py_runs_as_a_script_without_traceback(tmp_path: Path) -> None:
    site = copy_real_site(tmp_path / "site")
    (site / "events" / "2025-02-30-typo.yaml").write_text(GOOD_EVENT.replace("2024-12-22", "2025-02-30"))
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site", str(site)],
                            capture_output=True, text=True, cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "events/2025-02-30-typo.yaml:2:7: date: 2025-02-30 is not a valid date",
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
    assert "is not in the form YYYY" in run_cli("new", "X", "--date", "25/12/2024", "--site", ".").err


def test_schema_file_is_current(run_cli, tmp_path: Path) -> None:
    from site_builder import formats, pipeline
    from site_builder.pipeline import BuildReport, load_and_validate

    site = load_and_validate(REPO, BuildReport(), check_schema=False)
    assert (REPO / "events/schema.json").read_text() == pipeline.schema_text(site)
    assert json.loads(pipeline.schema_text(site))["properties"]["category"]["enum"] == list(site.config.category_keys)
    assert formats.SCHEMA_FILE == "schema.json"


def test_event_pages_link_to_edit_and_correction(real_site_output: Path) -> None:
    page = (real_site_output / "events/2025-01-13-national-conference/index.html").read_text()
    repository = yaml.safe_load((REPO / "site.yaml").read_text())["repository_url"]
    assert f'<a href="{repository}/edit/main/events/2025-01-13-national-conference.yaml">Edit this page</a>' in page
    assert (f'<a href="{repository}/issues/new?template=correction.yml&amp;title=Correction%3A%20National%20conference'
            f'%20on%20Resolution%2057%20held%20at%20Dien%20Hong%20Hall&amp;event=2025-01-13-national-conference">'
            "Report a correction</a>") in page


def test_no_edit_links_without_a_repository(tiny_site: TinySite, run_cli) -> None:
    assert run_cli("build", "--site", ".").code == 0
    page = (tiny_site.root / "output/events/2024-12-22-resolution-57/index.html").read_text()
    assert "Edit this page" not in page and "Report a correction" not in page
