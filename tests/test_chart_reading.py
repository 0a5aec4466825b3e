"""The timeline chart as readers use it: the still picture without JavaScript, targets in
their own strip, period buttons and Reset, a page that scrolls over the chart, nothing
hidden or clipped, names for screen readers and a keyboard path (Debian chromium)."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from conftest import fixture_events, open_page

pytestmark = pytest.mark.browser
EVENTS = fixture_events()
DAY = 86_400_000
TEXTS = "#timeline svg text"
MARKS = "#timeline svg .event_marks_marks path, #timeline svg .event_spans_marks path"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def expected_name(event: dict[str, object]) -> str:
    """Title and date at its precision, as the chart's accessible name must read."""
    when = str(event["date"])
    parts = [int(part) for part in when.split("-")]
    if len(parts) == 1:
        text = f"{parts[0]}"
    elif len(parts) == 2:
        text = f"{MONTHS[parts[1] - 1]} {parts[0]}"
    else:
        text = f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"
    if event.get("end_date"):
        end = date.fromisoformat(str(event["end_date"]))
        text = f"{text} – {end.day} {MONTHS[end.month - 1]} {end.year}"
    if event.get("kind") == "target":
        text += " (target)"
    return f"{event['title']}, {text}"


def open_home(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.wait_for_selector("#timeline[data-ready=true] svg")


def window(page) -> list[float]:  # type: ignore[no-untyped-def]
    return page.evaluate("[timeline.main.signal('ws'), timeline.main.signal('we')]")


def visible_texts(page, selector: str = TEXTS) -> list[dict[str, float]]:  # type: ignore[no-untyped-def]
    """Every chart text a reader can see: non-empty, not transparent, inside the chart."""
    return page.eval_on_selector_all(selector, """els => els.filter(e => e.textContent.trim() && getComputedStyle(e).opacity !== '0'
        && Number(e.getAttribute('opacity') ?? 1) > 0).map(e => { const r = e.getBoundingClientRect();
        return {x: r.x, y: r.y, w: r.width, h: r.height, text: e.textContent}; })""")


def assert_no_overlap(boxes: list[dict[str, float]]) -> None:
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = a["x"] + a["w"] <= b["x"] + 0.5 or b["x"] + b["w"] <= a["x"] + 0.5 or a["y"] + a["h"] <= b["y"] + 0.5 or b["y"] + b["h"] <= a["y"] + 0.5
            assert apart, (a, b)


def assert_texts_whole_inside(page) -> None:  # type: ignore[no-untyped-def]
    """No text is cut by the chart's edges or by the axis break."""
    chart = page.locator("#timeline svg").bounding_box()
    for text in visible_texts(page):
        assert chart["x"] - 1 <= text["x"] and text["x"] + text["w"] <= chart["x"] + chart["width"] + 1, text


def assert_no_mark_covered(page) -> None:  # type: ignore[no-untyped-def]
    """The centre of every mark in view is that mark, not another drawn over it."""
    covered = page.eval_on_selector_all(MARKS, """els => els.filter(e => {
        const r = e.getBoundingClientRect(), svg = e.ownerSVGElement.getBoundingClientRect();
        const x = r.x + r.width / 2, y = r.y + r.height / 2;
        if (x < svg.x || x > svg.right || getComputedStyle(e).visibility === 'hidden') return false;
        const hit = document.elementFromPoint(x, y);
        return hit !== e && !(hit && hit.closest('.timeline-chart') === null);
      }).map(e => [e.getAttribute('aria-label'), document.elementFromPoint(e.getBoundingClientRect().x + e.getBoundingClientRect().width / 2,
        e.getBoundingClientRect().y + e.getBoundingClientRect().height / 2)?.outerHTML?.slice(0, 120)])""")
    assert covered == []


def test_without_javascript_the_still_picture_is_the_chart_at_a_readable_size(browser, site_url: str) -> None:
    for width, least in ((1280, 900), (360, 320)):
        context, page = open_page(browser, site_url, viewport={"width": width, "height": 900}, java_script_enabled=False)
        page.goto(site_url)
        picture = page.locator("img.timeline-still")
        picture.wait_for()
        page.wait_for_function("() => document.querySelector('img.timeline-still').complete")
        box = picture.bounding_box()
        assert box is not None and least <= box["width"] <= width and 250 <= box["height"] <= 600, box
        assert page.locator("#timeline").bounding_box() is None  # no empty room kept for the live chart
        natural = page.evaluate("[document.querySelector('img.timeline-still').naturalWidth, document.querySelector('img.timeline-still').currentSrc]")
        assert natural[0] <= 980 and natural[1].split("?")[0].endswith("timeline.svg" if width > 600 else "timeline-narrow.svg")
        context.close()


@pytest.mark.parametrize("name", ["timeline.svg", "timeline-narrow.svg"])
def test_the_still_picture_shows_every_event_its_annotations_and_the_targets_strip(fixture_output, name: str) -> None:  # type: ignore[no-untyped-def]
    svg = (fixture_output / name).read_text()
    size = re.match(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg)
    assert size and int(size.group(1)) <= 980 and 250 <= int(size.group(2)) <= 600  # clipped to its window, not 16,000 px wide
    names = [html.unescape(name) for name in re.findall(r'aria-label="([^"]+)"', svg)]
    for event in EVENTS.values():
        assert expected_name(event) in names
    assert ">Targets</text>" in svg and ">2030</text>" in svg
    assert "href" not in svg and "<script" not in svg
    if name == "timeline.svg":
        for label in ("Bridge plan approved", "Works tendered", "Court ruling", "Bridge opens"):
            assert f">{label}</text>" in svg


def test_the_home_pages_share_image_is_the_still_picture(page, site_url: str) -> None:
    """The picture a social network shows for the home page is the chart: its lanes' marks
    in each category's colour under the title, on a 1200×630 card."""
    page.goto(site_url)
    image = page.locator("meta[property='og:image']").get_attribute("content")
    assert image == "https://news.test/timeline/cards/home.png"
    found = page.evaluate("""async () => {
        const img = new Image(); img.src = 'cards/home.png'; await img.decode();
        const canvas = document.createElement('canvas'); canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
        const context = canvas.getContext('2d'); context.drawImage(img, 0, 0);
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data, counts = {};
        const colours = {council: [0x1f, 0x5f, 0x9e], court: [0x6a, 0x3d, 0x9a], public: [0x9a, 0x4f, 0x00]};
        for (let y = 200; y < canvas.height; y++) for (let x = 0; x < canvas.width; x++) {
          const i = (y * canvas.width + x) * 4;
          for (const [name, c] of Object.entries(colours))
            if (Math.abs(pixels[i] - c[0]) + Math.abs(pixels[i + 1] - c[1]) + Math.abs(pixels[i + 2] - c[2]) < 12) {
              counts[name] = counts[name] || {n: 0, y: 0}; counts[name].n += 1; counts[name].y += y;
            }
        }
        return {width: canvas.width, height: canvas.height, counts};
    }""")
    assert (found["width"], found["height"]) == (1200, 630)
    lanes = [found["counts"].get(name, {"n": 0, "y": 0}) for name in ("council", "court", "public")]
    assert all(lane["n"] > 50 for lane in lanes), found  # each lane's marks, below the title
    heights = [lane["y"] / lane["n"] for lane in lanes]
    assert heights[0] + 20 < heights[1] < heights[2] - 20, heights  # in their lanes, top to bottom, as in the chart


def test_targets_sit_in_their_own_strip_so_the_events_get_the_width(page, site_url: str) -> None:
    open_home(page, site_url)
    width, strip = page.evaluate("[timeline.main.width(), timeline.main.signal('strip')]")
    assert 0 < strip <= 0.12 * width
    target = page.locator("#timeline svg .event_marks_marks path[aria-label^='City buses']").bounding_box()
    chart = page.locator("#timeline svg").bounding_box()
    assert target["x"] > chart["x"] + width - strip  # drawn in the strip, in view
    assert page.locator("#timeline svg text", has_text="Targets").count() == 1
    # In the overview, the period with events takes most of the width too.
    first, last = page.evaluate("[timeline.overview.scale('x')(Date.UTC(2023, 1, 14)), timeline.overview.scale('x')(Date.UTC(2024, 10, 30))]")
    assert (last - first) / page.evaluate("timeline.overview.width()") > 0.5


def test_period_buttons_and_reset(page, site_url: str) -> None:
    open_home(page, site_url)
    default = window(page)
    reset = page.get_by_role("button", name="Reset")
    assert reset.is_disabled() and page.get_by_role("button", name="All events").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="To 2030").click()
    page.wait_for_function("() => timeline.main.signal('we') >= Date.UTC(2030, 0, 1)")
    assert page.evaluate("timeline.main.signal('strip')") == 0  # the break closes once the targets are in view
    page.get_by_role("button", name="Construction").click()
    page.wait_for_function("() => document.querySelector('[aria-pressed=true]')?.textContent === 'Construction'")
    assert page.evaluate("timeline.main.signal('we')") < default[1]
    reset.click()
    page.wait_for_function(f"() => Math.abs(timeline.main.signal('ws') - {default[0]}) < {DAY}")
    assert [round(x / DAY) for x in window(page)] == [round(x / DAY) for x in default]


def test_the_wheel_scrolls_the_page_and_ctrl_wheel_zooms(page, site_url: str) -> None:
    open_home(page, site_url)
    chart = page.locator("#timeline svg").bounding_box()
    page.evaluate("window.scrollTo(0, 200)")
    before, top = window(page), page.evaluate("window.scrollY")
    page.mouse.move(chart["x"] + chart["width"] / 2, chart["y"] + 40)
    page.mouse.wheel(0, 300)
    page.wait_for_function(f"() => window.scrollY > {top}")
    assert window(page) == before  # the page scrolled; the chart did not zoom
    assert page.locator("#timeline-hint").is_visible()
    assert "Ctrl" in page.locator("#timeline-hint").inner_text()

    chart = page.locator("#timeline svg").bounding_box()
    page.mouse.move(chart["x"] + chart["width"] / 2, chart["y"] + chart["height"] / 2)
    top = page.evaluate("window.scrollY")
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    page.wait_for_function(f"() => timeline.main.signal('we') - timeline.main.signal('ws') < {(before[1] - before[0]) * 0.8}")
    assert page.evaluate("window.scrollY") == top
    assert page.locator("#timeline svg").evaluate("svg => getComputedStyle(svg.parentElement).touchAction") == "pan-y"


def test_the_zoom_buttons_and_the_brush_move_one_window(page, site_url: str) -> None:
    open_home(page, site_url)
    before = window(page)
    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_function(f"() => timeline.main.signal('we') - timeline.main.signal('ws') < {(before[1] - before[0]) * 0.7}")
    # The overview's brush follows the main view in a later Vega run: wait for it (bounded),
    # to within a pixel of the overview, a day or two.
    page.wait_for_function(f"""() => {{
        const brush = timeline.overview.signal('brush').start.map(Number);
        return Math.abs(brush[0] - timeline.main.signal('ws')) < {4 * DAY} && Math.abs(brush[1] - timeline.main.signal('we')) < {4 * DAY};
    }}""")
    page.locator("#timeline-overview").scroll_into_view_if_needed()
    strip = page.locator("#timeline-overview svg").bounding_box()
    y = strip["y"] + 24
    page.mouse.move(strip["x"] + strip["width"] * 0.05, y)
    page.mouse.down()
    page.mouse.move(strip["x"] + strip["width"] * 0.25, y, steps=6)
    page.mouse.up()
    page.wait_for_function(f"() => timeline.main.signal('we') < {before[0] + (before[1] - before[0]) * 0.5}")


def test_nothing_overlaps_or_is_cut_after_a_zoom_and_a_pan(browser, site_url: str) -> None:
    for width in (1280, 360):
        context, page = open_page(browser, site_url, viewport={"width": width, "height": 900})
        open_home(page, site_url)
        assert_no_overlap(visible_texts(page))
        assert_texts_whole_inside(page)
        assert_no_mark_covered(page)
        page.get_by_role("button", name="Zoom in").click()
        page.wait_for_function("() => !document.querySelector('[data-zoom=reset]').disabled")
        page.locator("#timeline svg").scroll_into_view_if_needed()  # the drag must land on the chart, not off screen
        panned_from = window(page)
        chart = page.locator("#timeline svg").bounding_box()
        page.mouse.move(chart["x"] + chart["width"] * 0.3, chart["y"] + chart["height"] - 40)
        page.mouse.down()
        page.mouse.move(chart["x"] + chart["width"] * 0.6, chart["y"] + chart["height"] - 40, steps=5)
        page.mouse.up()
        page.evaluate("timeline.main.runAsync().then(() => true)")
        assert window(page)[0] < panned_from[0]  # dragging right moved the window back in time
        assert_no_overlap(visible_texts(page))
        assert_texts_whole_inside(page)
        assert page.watch.errors == []
        context.close()


def test_every_mark_is_named_by_its_title_and_date_and_nothing_reads_like_a_field(page, site_url: str) -> None:
    open_home(page, site_url)
    names = page.eval_on_selector_all(MARKS, "els => els.map(e => e.getAttribute('aria-label'))")
    assert sorted(names) == sorted(expected_name(event) for event in EVENTS.values())
    spoken = page.eval_on_selector_all("#timeline [aria-label], #timeline-overview [aria-label]", "els => els.map(e => e.getAttribute('aria-label'))")
    assert [label for label in spoken if re.search(r"(^|; )[A-Za-z_]+: ", label)] == []
    sizes = page.eval_on_selector_all("#timeline svg text, #timeline-overview svg text", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 12


def hex_colour(css: str) -> str:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_keyboard_reaches_moves_between_and_opens_events(page, site_url: str) -> None:
    open_home(page, site_url)
    page.locator("#filter-reset").focus()
    page.keyboard.press("Tab")
    focused = lambda: page.evaluate("document.activeElement.getAttribute('aria-label')")  # noqa: E731
    in_order = sorted(EVENTS.values(), key=lambda e: (str(e["date"]), str(e["title"])))
    assert focused() == expected_name(in_order[0])
    page.keyboard.press("ArrowRight")
    assert focused() == expected_name(in_order[1])
    page.keyboard.press("End")
    assert focused() == expected_name(in_order[-1])
    page.keyboard.press("Home")
    assert page.evaluate("document.querySelectorAll('#timeline [data-slug][tabindex=\"0\"]').length") == 1
    ring = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; })()")
    assert ring[0] == "solid" and float(ring[1].rstrip("px")) >= 2
    ink = hex_colour(ring[2])
    backgrounds = page.eval_on_selector_all("#timeline svg .era_bands_marks path, #timeline svg .targets_strip path",
                                            "els => els.map(e => getComputedStyle(e).fill)")
    for fill in ["rgb(255, 255, 255)", *backgrounds]:
        assert contrast(ink, hex_colour(fill)) >= 3, fill
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"events/{min(EVENTS, key=lambda slug: (str(EVENTS[slug]['date']), slug))}/")


def test_with_reduced_motion_the_window_jumps(browser, site_url: str) -> None:
    context, page = open_page(browser, site_url, reduced_motion="reduce")
    open_home(page, site_url)
    page.get_by_role("button", name="To 2030").click()
    assert page.evaluate("timeline.main.signal('we')") >= page.evaluate("Date.UTC(2030, 0, 1)")  # at once, no animation
    context.close()


CROWDED = {  # one lane: two events on one day, one a day later, a span starting under them
    "2025-03-01-first": "date: 2025-03-01\nimportance: 1\n",
    "2025-03-01-second": "date: 2025-03-01\nimportance: 2\n",
    "2025-03-02-third": "date: 2025-03-02\nimportance: 3\n",
    "2025-03-01-span": "date: 2025-03-01\nend_date: 2025-03-20\nimportance: 2\n",
    "2025-09-01-later": "date: 2025-09-01\nimportance: 2\n",
}


def test_marks_on_the_same_days_are_never_drawn_over_each_other(browser, tiny_site, run_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from browser import http_server

    for slug, dates in CROWDED.items():
        tiny_site.event(slug, f"title: Event {slug}\n{dates}category: party\nsummary: Something happened.\n"
                              "sources:\n  - title: An article\n    publisher: A publisher\n    url: https://news.test/article\n")
    assert run_cli("build", "--output", str(tmp_path / "out")).code == 0
    with http_server(tmp_path / "out") as url:
        for width in (1280, 360):
            context, page = open_page(browser, url, viewport={"width": width, "height": 900})
            open_home(page, url)
            assert page.locator("#timeline svg .event_marks_marks path").count() == 5
            assert_no_mark_covered(page)
            context.close()
