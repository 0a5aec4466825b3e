"""Language editions on the three-language fixture (tests/sites/editions): every page in
every edition, linked both ways, dates and chart in the edition's language, and a missing
translation that is said out loud, never silently filled in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser import http_server
from conftest import EDITIONS_FIXTURE, TinySite, copy_site, open_page
from linkcheck import broken_links

PREFIXES = {"en-GB": "", "vi": "vi/", "fr": "fr/"}
UNTRANSLATED = "events/2024-11-30-harbour-bridge-opens/"


class Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.alternates: dict[str, str] = {}
        self.switcher: dict[str, str] = {}
        self.in_switcher = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang") or ""
        if tag == "link" and values.get("rel") == "alternate" and "hreflang" in values:
            self.alternates[values["hreflang"] or ""] = values["href"] or ""
        if tag == "nav" and values.get("class") == "language-switch":
            self.in_switcher = True
        if tag == "a" and self.in_switcher:
            self.switcher[values["hreflang"] or ""] = values["href"] or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.in_switcher = False


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def pages_of(output: Path, prefix: str) -> set[str]:
    """The pages of one edition, named as in every edition (without the prefix)."""
    root = output / prefix
    others = {p.rstrip("/") for p in PREFIXES.values() if p and p != prefix}
    return {path.relative_to(root).as_posix() for path in root.rglob("*.html") if path.relative_to(root).parts[0] not in others}


def test_every_page_kind_exists_in_every_edition_with_the_same_slugs(editions_output: Path) -> None:
    english = pages_of(editions_output, "")
    assert len(english) == 21 and "404.html" in english and "events/2024-06-05-court-dismisses-ferry-objection/index.html" in english
    for prefix in ("vi/", "fr/"):
        assert pages_of(editions_output, prefix) == english, prefix
    assert broken_links(editions_output, mount="/editions/") == []


def test_lang_hreflang_and_switcher_are_reciprocal(editions_output: Path) -> None:
    base = "https://news.test/editions/"
    for page in sorted(pages_of(editions_output, "")):
        if page == "404.html" or page.startswith("embed/"):  # the 404 and the chart-only embeds are not indexed
            continue
        key = page.removesuffix("index.html")
        for language, prefix in PREFIXES.items():
            found = head(editions_output / prefix / page)
            assert found.lang == language, (prefix, page)
            assert found.alternates == {**{code: base + p + key for code, p in PREFIXES.items()}, "x-default": base + key}, page
            for code, href in found.switcher.items():  # the switcher leads to the same page in the other edition
                target = (editions_output / prefix / page).parent / href
                assert target.resolve() == (editions_output / PREFIXES[code] / page).parent.resolve(), (prefix, page, code)


def test_dates_in_each_language_at_their_precision(editions_output: Path) -> None:
    event = "events/2024-06-05-court-dismisses-ferry-objection/index.html"
    expected = {"": "5 June 2024", "vi/": "5 tháng 6, 2024", "fr/": "5 juin 2024"}
    for prefix, label in expected.items():
        assert f'<time datetime="2024-06-05">{label}</time>' in (editions_output / prefix / event).read_text(encoding="utf-8")
    months = {"": "May 2023", "vi/": "tháng 5 năm 2023", "fr/": "mai 2023"}
    for prefix, label in months.items():
        assert f'datetime="2023-05">{label}</time>' in (editions_output / prefix / "index.html").read_text(encoding="utf-8")


def test_a_missing_translation_is_shown_with_a_notice_and_its_language(editions_output: Path) -> None:
    page = (editions_output / "fr" / UNTRANSLATED / "index.html").read_text(encoding="utf-8")
    assert '<p class="untranslated-notice">Cet événement n’a pas encore été traduit en français ; il est présenté en anglais.</p>' in page
    assert '<h1 lang="en-GB">The Harbour Bridge opens to walkers and cyclists</h1>' in page
    assert '<p class="summary" lang="en-GB">' in page
    assert 'hreflang="fr" lang="fr" aria-current="true">Français</a>' in page  # the interface stays French
    listed = (editions_output / "fr/index.html").read_text(encoding="utf-8")
    assert f'href="{UNTRANSLATED}" lang="en-GB">The Harbour Bridge opens' in listed
    translated = (editions_output / "vi" / UNTRANSLATED / "index.html").read_text(encoding="utf-8")
    assert "untranslated-notice" not in translated and "<h1>Cầu Harbour mở cho người đi bộ và người đi xe đạp</h1>" in translated


def test_missing_translations_are_warnings_counted_per_language_and_errors_when_strict(tmp_path: Path, run_cli) -> None:
    site = copy_site(tmp_path / "site", EDITIONS_FIXTURE)
    result = run_cli("check", "--site", str(site))
    assert result.code == 0
    assert result.err.splitlines()[0].endswith(
        "events/2024-11-30-harbour-bridge-opens.yaml:19:3: warning: translations.fr: no French translation; "
        "the French edition shows this event in English")
    assert result.out.splitlines()[1:] == ["vi: 9 of 9 events translated", "fr: 8 of 9 events translated (1 missing)"]
    assert run_cli("check", "--site", str(site), "--strict").code == 1
    (site / "content/about.fr.md").unlink()
    assert "about.md:1:1: warning: no French translation (" in run_cli("check", "--site", str(site)).err


def test_a_translation_in_a_language_the_site_does_not_have_is_an_error(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("2025-01-01-x", (tiny_site.root / "events/2024-12-22-resolution-57.yaml").read_text()
                    + "translations:\n  vi:\n    title: Một tiêu đề\n")
    result = run_cli("check", "--site", ".")
    assert result.code == 1
    assert result.err.splitlines()[0] == ("events/2025-01-01-x.yaml:11:3: translations.vi: 'vi' is not one of this site's other "
                                          "languages (none: site.yaml lists one language)")


def test_the_sitemap_lists_every_edition_with_its_alternates(editions_output: Path) -> None:
    sitemap = (editions_output / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<url>") == 3 * 16  # every page but the 404, in three editions
    assert ('<url><loc>https://news.test/editions/fr/about/</loc>'
            '<xhtml:link rel="alternate" hreflang="en-GB" href="https://news.test/editions/about/"/>'
            '<xhtml:link rel="alternate" hreflang="vi" href="https://news.test/editions/vi/about/"/>'
            '<xhtml:link rel="alternate" hreflang="fr" href="https://news.test/editions/fr/about/"/></url>') in sitemap


@pytest.fixture(scope="module")
def editions_url(editions_output: Path) -> Iterator[str]:
    with http_server(editions_output) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("prefix, months, tooltip", [
    ("fr/", {"janvier", "avril", "juillet", "octobre"}, ["Le tribunal rejette l'opposition de la compagnie de ferries au pont",
                                                          "Date : 5 juin 2024", "Catégorie : Tribunaux"]),
    ("vi/", {"Tháng 1", "Tháng 4", "Tháng 7", "Tháng 10"}, ["Tòa án bác bỏ đơn phản đối cây cầu của công ty phà",
                                                            "Ngày: 5 tháng 6, 2024", "Chuyên mục: Tòa án"]),
])
def test_the_chart_speaks_the_edition_s_language(browser, editions_url: str, prefix: str, months: set[str], tooltip: list[str]) -> None:  # type: ignore[no-untyped-def]
    context, page = open_page(browser, editions_url)
    page.goto(editions_url + prefix)
    page.wait_for_selector("#timeline[data-ready=true] svg")
    ticks = {t.text_content() for t in page.locator("#timeline svg .role-axis-label text").all()}
    assert ticks & months, ticks
    page.locator("#timeline svg .event_marks_marks path[aria-label*='5 June'], #timeline svg .event_marks_marks path[aria-label*='juin'], "
                 "#timeline svg .event_marks_marks path[aria-label*='tháng 6']").first.hover()
    page.locator("#timeline-tooltip").wait_for(state="visible")
    assert page.locator("#timeline-tooltip").inner_text().splitlines() == tooltip
    assert page.watch.errors == [] and page.watch.foreign_requests == []
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["vi/", "fr/", "vi/" + UNTRANSLATED, "fr/" + UNTRANSLATED])
def test_axe_finds_nothing_in_the_editions(browser, editions_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    context, page = open_page(browser, editions_url)
    page.goto(editions_url + path)
    if path in ("vi/", "fr/"):
        page.wait_for_selector("#timeline[data-ready=true] svg")
    result = Axe().run(page)
    assert result.violations_count == 0, [(v["id"], [n["target"] for n in v["nodes"]]) for v in result.response["violations"]]
    assert page.watch.errors == [] and page.watch.foreign_requests == []
    context.close()


def ink_height(png: bytes) -> int:
    """From the top of the highest mark to the bottom of the lowest, in pixels: a cut
    diacritic makes it shorter."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()
    rows = [y for y in range(height) if any(pixels[x, y] < 160 for x in range(width))]
    return rows[-1] - rows[0] + 1 if rows else 0


PROBE = """(el) => {
  const box = el.getBoundingClientRect();
  const holder = document.createElement('div');
  holder.id = 'probe';
  const fx = box.x % 1, fy = box.y % 1;  // the same sub-pixel position as the original: the same anti-aliasing
  holder.style.cssText = 'position:fixed;left:' + fx + 'px;top:' + fy + 'px;z-index:99999;background:#fff;padding:40px 12px;';
  let copy;
  if (el instanceof SVGElement) {
    copy = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    copy.setAttribute('width', box.width + 24); copy.setAttribute('height', box.height + 40);
    copy.style.overflow = 'visible';
    const text = el.cloneNode(true);
    text.removeAttribute('transform'); text.removeAttribute('clip-path');
    text.setAttribute('transform', 'translate(12,' + (box.height + 12) + ')');
    copy.appendChild(text);
  } else {
    copy = el.cloneNode(true);
    const style = getComputedStyle(el);
    copy.style.cssText = 'margin:0;width:' + box.width + 'px;font:' + style.font + ';letter-spacing:' + style.letterSpacing + ';line-height:' + style.lineHeight + ';';
  }
  holder.appendChild(copy);
  document.body.appendChild(holder);
}"""


def assert_not_clipped(page, element, room: int = 0) -> None:  # type: ignore[no-untyped-def]
    """The text's ink as the page draws it is as tall as when drawn freely, with room around it,
    at the same sub-pixel position (so anti-aliasing cannot differ).
    For a heading, the page's drawing is cut to its own box (`room` 0): a diacritic outside
    the line box would collide with the line above. For a chart label, `room` pixels around
    it are kept, so only a real clip path (the plot's edge) can cut a mark."""
    page.evaluate("document.querySelectorAll('#timeline svg .role-mark:not(.lane_labels_marks):not(.era_labels_marks)')"
                  ".forEach(m => m.style.visibility = 'hidden')")
    element.evaluate("e => e.scrollIntoView({block: 'center'})")
    box = element.bounding_box()
    inside = ink_height(page.screenshot(clip={"x": box["x"] - 2 - room, "y": box["y"] - room, "width": box["width"] + 4 + 2 * room,
                                       "height": box["height"] + 2 * room}))
    element.evaluate(PROBE)
    copy = page.locator("#probe > *").bounding_box()  # drawn freely: keep generous room around it
    free = ink_height(page.screenshot(clip={"x": copy["x"] - 4, "y": copy["y"] - 20, "width": copy["width"] + 8, "height": copy["height"] + 40}))
    page.evaluate("document.getElementById('probe').remove()")
    assert free > 8 and inside >= free, (element.text_content(), inside, free)


@pytest.mark.browser
def test_stacked_vietnamese_diacritics_are_not_clipped(browser, editions_url: str) -> None:  # type: ignore[no-untyped-def]
    """ệ, ồ, ữ keep their marks in headings (tight line heights cut them) and in chart labels."""
    context, page = open_page(browser, editions_url, viewport={"width": 360, "height": 780})
    page.goto(editions_url + "vi/events/2023-02-14-bridge-plan-approved/")
    heading = page.locator("h1")
    assert re.search("[ệồữộềể]", heading.inner_text())
    assert_not_clipped(page, heading)
    page.goto(editions_url + "vi/")
    page.wait_for_selector("#timeline[data-ready=true] svg")
    labels = [label for label in page.locator("#timeline svg .lane_labels_marks text, #timeline svg .era_labels_marks text").all()
              if re.search("[ệồữộềểạ]", label.text_content() or "")]
    assert labels
    for label in labels:
        assert_not_clipped(page, label, room=8)
    context.close()


def test_removing_a_vietnamese_translation_warns_fails_strict_and_shows_a_notice(tmp_path: Path, run_cli) -> None:
    site = copy_site(tmp_path / "site", EDITIONS_FIXTURE)
    path = site / "events/2024-11-30-harbour-bridge-opens.yaml"
    path.write_text(path.read_text(encoding="utf-8").split("translations:")[0], encoding="utf-8")
    result = run_cli("check", "--site", str(site))
    assert result.code == 0
    assert any(line.endswith("2024-11-30-harbour-bridge-opens.yaml:1:1: warning: translations.vi: no Vietnamese translation; "
                             "the Vietnamese edition shows this event in English") for line in result.err.splitlines())
    assert "vi: 8 of 9 events translated (1 missing)" in result.out
    assert run_cli("check", "--site", str(site), "--strict").code == 1
    assert run_cli("build", "--site", str(site)).code == 0
    page = (site / "output/vi" / UNTRANSLATED / "index.html").read_text(encoding="utf-8")
    assert ('<p class="untranslated-notice">Sự kiện này chưa có bản dịch; nội dung dưới đây được hiển thị bằng ngôn ngữ gốc '
            '(Tiếng Anh).</p>') in page
    assert '<h1 lang="en-GB">The Harbour Bridge opens to walkers and cyclists</h1>' in page
