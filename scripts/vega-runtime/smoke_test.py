#!/usr/bin/env python3
"""Smoke test for static/vendor/vega-runtime.min.js (the Vega runtime-only bundle).

Builds Altair (Vega-Lite) charts shaped like the site's timeline, compiles them to Vega
with vl-convert exactly as the site does at build time, renders them in headless
Chromium with a page that loads nothing but the bundle, and checks that the charts
draw and respond: marks, tooltips, legend selection, zoom, overview brush, href links.

    /work/main/.venv/bin/python scripts/vega-runtime/smoke_test.py [--bundle PATH]

Prints PASS/FAIL per check and exits non-zero if any check fails. Needs altair,
vl-convert-python and playwright (Python) plus a Chromium binary (CHROMIUM, default
/usr/bin/chromium); it never downloads a browser.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import altair as alt
import vl_convert
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_BUNDLE = ROOT / "site_builder" / "theme" / "static" / "vendor" / "vega-runtime.min.js"
# The full Vega build of the same version, installed by build.sh: if present, the
# bundle's SVG output is compared with it.
REFERENCE_BUNDLE = HERE / "node_modules" / "vega" / "build" / "vega.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
VEGA_LITE_VERSION = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
# Far from UTC on purpose: UTC scales and formats must not shift any date by a day.
BROWSER_TIMEZONE = "America/Los_Angeles"

CATEGORIES = ["Party", "Government", "Legislature"]
ROWS: list[dict[str, Any]] = [
    {
        "slug": f"ev{i}",
        "title": f"Event {i}: {title}",
        "start": start,
        "when": when,
        "category": category,
        "importance": importance,
        "href": f"#event-{i}",
    }
    for i, (title, start, when, category, importance) in enumerate([
        ("Speech", "2024-09-02", "2 September 2024", "Party", 1),
        ("Resolution 57", "2024-12-22", "22 December 2024", "Party", 1),
        ("Action programme", "2025-01-09", "9 January 2025", "Government", 2),
        ("National conference", "2025-01-13", "13 January 2025", "Government", 3),
        ("Ministries merged", "2025-02-18", "18 February 2025", "Legislature", 2),
        ("Spring meeting", "2025-02-19", "19 February 2025", "Government", 3),
        ("Law passed", "2025-06-27", "27 June 2025", "Legislature", 1),
        ("Law in force", "2025-10-01", "1 October 2025", "Legislature", 2),
    ])
]
# Days as the reader sees them in the tooltip (utcFormat of the UTC day).
TOOLTIP_DAY = {row["slug"]: row["when"] for row in ROWS}


def timeline_chart() -> alt.LayerChart:
    """Layered timeline: rect (x/x2), rule, points (legend selection, zoom, href, tooltip), text."""
    legend_filter = alt.selection_point(name="category_filter", fields=["category"], bind="legend")
    zoom = alt.selection_interval(name="zoom", bind="scales", encodings=["x"])
    x = alt.X("start:T", title=None, scale=alt.Scale(type="utc", nice=True),
              axis=alt.Axis(grid=True, labelFlush=False, tickCount=8))
    y = alt.Y("category:N", title=None, sort=CATEGORIES, scale=alt.Scale(domain=CATEGORIES))
    events = alt.Chart(alt.Data(values=ROWS))
    points = events.mark_point(filled=True, cursor="pointer").encode(
        x=x,
        y=y,
        color=alt.Color("category:N", title="Category", scale=alt.Scale(domain=CATEGORIES),
                        legend=alt.Legend(orient="top", direction="horizontal", symbolType="circle")),
        size=alt.Size("importance:O", scale=alt.Scale(domain=[1, 2, 3], range=[320, 150, 70]), legend=None),
        opacity=alt.condition(legend_filter, alt.value(0.9), alt.value(0.12)),
        href=alt.Href("href:N"),
        tooltip=[
            alt.Tooltip("title:N", title="Event"),
            alt.Tooltip("when:N", title="Date"),
            alt.Tooltip("category:N", title="Category"),
            alt.Tooltip("utcyearmonthdate(start):T", title="Day", format="%-d %B %Y"),
        ],
    ).add_params(legend_filter, zoom)
    labels = events.mark_text(align="left", dx=10, dy=-12, fontSize=10).encode(x=x, y=y, text="slug:N")
    today = alt.Chart(alt.Data(values=[{"day": "2025-01-01"}])).mark_rule(strokeDash=[4, 4]).encode(
        x=alt.X("day:T"))
    phase = alt.Chart(alt.Data(values=[{"from": "2024-12-22", "to": "2025-06-27"}])).mark_rect(
        opacity=0.08).encode(x=alt.X("from:T"), x2="to:T")
    return alt.layer(phase, today, points, labels).properties(width="container", height=160)


def overview_chart() -> alt.VConcatChart:
    """Main chart whose x domain is driven by an x-interval brush on an overview strip."""
    brush = alt.selection_interval(name="brush", encodings=["x"])
    events = alt.Chart(alt.Data(values=ROWS))
    main = events.mark_point(filled=True).encode(
        x=alt.X("start:T", title=None, scale=alt.Scale(type="utc", domain=brush)),
        y=alt.Y("category:N", title=None, sort=CATEGORIES),
        tooltip=[alt.Tooltip("title:N", title="Event")],
    ).properties(width=600, height=120)
    strip = events.mark_tick().encode(
        x=alt.X("utcyearmonthdate(start):T", title=None, scale=alt.Scale(type="utc")),
    ).add_params(brush).properties(width=600, height=30)
    return alt.vconcat(main, strip)


def compile_vega(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return vl_convert.vegalite_to_vega(chart.to_dict(validate=False), vl_version=VEGA_LITE_VERSION)


def transform_types(spec: dict[str, Any]) -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for t in node.get("transform", []) if isinstance(node.get("transform"), list) else []:
                if isinstance(t, dict) and "type" in t:
                    found.add(t["type"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


# A Vega spec exercising expression functions Vega-Lite output relies on.
EXPRESSION_SPEC: dict[str, Any] = {
    "$schema": "https://vega.github.io/schema/vega/v6.json",
    "data": [
        {"name": "store", "values": [
            {"unit": "", "fields": [{"type": "E", "field": "x"}], "values": [5]}]},
        {"name": "rows", "values": [{"x": 1}, {"x": 5}, {"x": 9}],
         "transform": [{"type": "filter", "expr": "vlSelectionTest('store', datum)"}]},
    ],
    "signals": [
        {"name": "utc_format", "update": "utcFormat(utc(2024, 0, 15), '%Y-%m-%d')"},
        {"name": "utc_parse", "update": "utcFormat(toDate('2024-03-01T00:00:00Z'), '%-d %b %Y')"},
        {"name": "time_format", "update": "timeFormat(datetime(2024, 0, 15, 12), '%Y-%m-%d %H:%M')"},
        {"name": "number_format", "update": "format(1234.5, ',.1f')"},
        {"name": "in_range", "update": "[inrange(5, [1, 10]), inrange(11, [1, 10])]"},
        {"name": "index_of", "update": "indexof(['a', 'b', 'c'], 'b')"},
        {"name": "unit_spec", "update": "timeUnitSpecifier(['year', 'month', 'date'])"},
        {"name": "resolved", "update": "vlSelectionResolve('store')"},
        {"name": "tuples", "update":
            "vlSelectionTuples([{datum: {x: 3}}], {unit: 'u', fields: [{type: 'E', field: 'x'}]})"},
        {"name": "filtered", "update": "length(data('rows'))"},
    ],
}
EXPECTED_EXPRESSIONS = {
    "utc_format": "2024-01-15",
    "utc_parse": "1 Mar 2024",
    "time_format": "2024-01-15 12:00",
    "number_format": "1,234.5",
    "in_range": [True, False],
    "index_of": 1,
    "resolved": {"x": [5]},
    "tuples": [{"values": [3], "unit": "u", "fields": [{"type": "E", "field": "x"}]}],
    "filtered": 1,
}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">{csp}<title>Vega runtime smoke test</title>
<link rel="icon" href="data:,">
<style>body{{margin:16px;font-family:sans-serif}} #vis{{width:820px}} #vis2{{margin-top:24px}}</style>
</head><body>
<div id="vis"></div>
<div id="vis2"></div>
<script src="{bundle}"></script>
<script type="application/json" id="spec-timeline">{timeline}</script>
<script type="application/json" id="spec-overview">{overview}</script>
<script type="application/json" id="spec-expressions">{expressions}</script>
<script>
window.__errors = [];
window.__tooltips = [];
window.addEventListener('error', e => __errors.push('error: ' + e.message));
window.addEventListener('unhandledrejection', e => __errors.push('rejection: ' + (e.reason && e.reason.stack || e.reason)));
document.addEventListener('securitypolicyviolation', e => __errors.push('CSP: ' + e.violatedDirective + ' ' + e.blockedURI));
function plain(value) {{ return value == null ? null : JSON.parse(JSON.stringify(value)); }}
function tooltipHandler(handler, event, item, value) {{
  __tooltips.push({{value: plain(value), datum: item && item.datum ? plain(item.datum) : null}});
}}
function spec(id) {{ return JSON.parse(document.getElementById(id).textContent); }}
// As the site does: ASTs in the parsed spec, evaluated by the bundle's interpreter (the full
// vega.min.js of the reference page has no interpreter and compiles them with new Function).
function parsed(id) {{ return vega.parse(spec(id), null, {{ast: true}}); }}
async function render(id, container) {{
  const view = new vega.View(parsed(id), {{renderer: 'svg', container: container, hover: true,
                                          expr: vega.expressionInterpreter}});
  view.tooltip(tooltipHandler);
  await view.runAsync();
  return view;
}}
window.__ready = (async () => {{
  try {{
    window.__timeline = await render('spec-timeline', '#vis');
    window.__overview = await render('spec-overview', '#vis2');
    window.__svgs = [await __timeline.toSVG(), await __overview.toSVG()];
    const expr = new vega.View(parsed('spec-expressions'), {{renderer: 'none', expr: vega.expressionInterpreter}});
    await expr.runAsync();
    window.__expressions = {{}};
    for (const {{name}} of spec('spec-expressions').signals) {{
      window.__expressions[name] = plain(expr.signal(name));
    }}
    expr.finalize();
    return true;
  }} catch (e) {{
    __errors.push('render: ' + (e && e.stack || e));
    return false;
  }}
}})();
</script>
</body></html>
"""


# The bundle's page forbids eval and new Function (no 'unsafe-eval'; the test page's own
# inline script is allowed): every expression must go through the interpreter.
NO_EVAL_CSP = """<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'unsafe-inline'">"""


def script_json(value: Any) -> str:
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Results:
    def __init__(self) -> None:
        self.failed = 0
        self.passed = 0

    def check(self, name: str, ok: bool, detail: Any = "") -> bool:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(f"{'PASS' if ok else 'FAIL'}: {name}" + (f" ({detail})" if detail not in ("", None) else ""))
        sys.stdout.flush()
        return ok


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


JS_POINTS = """(sel) => [...document.querySelectorAll(sel)].map(el => {
  const r = el.getBoundingClientRect();
  return {slug: el.__data__ && el.__data__.datum && el.__data__.datum.slug,
          category: el.__data__ && el.__data__.datum && el.__data__.datum.category,
          opacity: el.getAttribute('opacity'),
          x: r.x + r.width / 2, y: r.y + r.height / 2};
})"""

JS_X_LABELS = """(root) => {
  const axes = [...document.querySelectorAll(root + ' g.role-axis')]
    .filter(g => (g.getAttribute('aria-label') || '').startsWith('X-axis'));
  // labels hidden by Vega's overlap removal stay in the DOM with opacity 0
  return axes.length ? [...axes[0].querySelectorAll('.role-axis-label text')]
    .filter(t => t.getAttribute('opacity') !== '0')
    .map(t => [t.getBoundingClientRect().x, t.textContent])
    .sort((a, b) => a[0] - b[0]).map(a => a[1]) : null;
}"""

JS_TOP_ELEMENT_IS = """([x, y, sel]) => {
  const el = document.elementFromPoint(x, y);
  return !!el && el.matches(sel);
}"""


def run(bundle: Path, screenshots: Path | None = None) -> int:
    results = Results()
    timeline = compile_vega(timeline_chart())
    overview = compile_vega(overview_chart())
    used = sorted(transform_types(timeline) | transform_types(overview))
    print(f"Vega (vl-convert) {vl_convert.get_vega_version()}, Vega-Lite {VEGA_LITE_VERSION}; "
          f"bundle {bundle} ({bundle.stat().st_size} bytes)")
    print(f"transforms in the compiled specs: {', '.join(used)}")

    with tempfile.TemporaryDirectory(prefix="vega-runtime-smoke-") as tmp:
        site = Path(tmp)
        (site / "vendor").mkdir()
        shutil.copyfile(bundle, site / "vendor" / "vega-runtime.min.js")
        specs = dict(timeline=script_json(timeline), overview=script_json(overview),
                     expressions=script_json(EXPRESSION_SPEC))
        (site / "index.html").write_text(PAGE.format(bundle="vendor/vega-runtime.min.js", csp=NO_EVAL_CSP, **specs),
                                         encoding="utf-8")
        reference = REFERENCE_BUNDLE.is_file()
        if reference:
            shutil.copyfile(REFERENCE_BUNDLE, site / "vendor" / "vega-full.min.js")
            (site / "reference.html").write_text(PAGE.format(bundle="vendor/vega-full.min.js", csp="", **specs),
                                                 encoding="utf-8")
        server, base = serve(site)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    context = browser.new_context(viewport={"width": 1000, "height": 800},
                                                  timezone_id=BROWSER_TIMEZONE)
                    svgs = check_page(context, base, results, used, screenshots)
                    if reference:
                        check_reference(context, base, results, svgs)
                    else:
                        print(f"(skipped the comparison with the full Vega build: no {REFERENCE_BUNDLE})")
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()

    print(f"{results.passed} passed, {results.failed} failed")
    return 1 if results.failed else 0


def check_reference(context: Any, base: str, results: Results, svgs: list[str]) -> None:
    """The same specs rendered by the full vega.min.js must give the very same SVG."""
    page = context.new_page()
    page.goto(base + "reference.html", wait_until="load")
    ok = page.evaluate("window.__ready")
    reference = page.evaluate("window.__svgs") if ok else None
    same = bool(reference) and reference == svgs
    detail = f"{[len(s) for s in svgs]} chars" if same else \
        f"bundle {[len(s) for s in svgs]} chars, full build {[len(s) for s in reference or []]} chars"
    results.check("initial SVG output identical to the full vega.min.js of the same version", same, detail)
    page.close()


def check_page(context: Any, base: str, results: Results, used: list[str], screenshots: Path | None) -> list[str]:
    page = context.new_page()
    requests: list[str] = []
    blocked: list[str] = []
    console_errors: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if urlparse(url).hostname == "127.0.0.1":
            r.continue_()
        else:  # never let anything leave the machine; the check below reports it
            blocked.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("request", lambda req: requests.append(req.url))
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: console_errors.append(f"pageerror: {exc}"))

    page.goto(base + "index.html", wait_until="load")
    rendered = page.evaluate("window.__ready")
    errors = page.evaluate("window.__errors")
    results.check("both charts and the expression spec render (runAsync resolves)", rendered is True, errors)
    svgs = page.evaluate("window.__svgs")

    api = page.evaluate("""() => ({
        version: vega.version,
        keys: ['View', 'parse', 'expressionFunction', 'changeset', 'loader', 'scheme', 'scale',
               'formatLocale', 'timeFormatLocale'].filter(k => typeof vega[k] === 'undefined'),
        transforms: Object.keys(vega.transforms)})""")
    results.check(f"window.vega.version is {vl_convert.get_vega_version()}",
                  api["version"] == vl_convert.get_vega_version(), api["version"])
    results.check("window.vega has View, parse, expressionFunction, ...", not api["keys"],
                  f"missing: {api['keys']}" if api["keys"] else "")
    missing = [t for t in used if t not in api["transforms"]]
    results.check("every transform in the compiled specs is registered", not missing,
                  f"missing: {missing}" if missing else "")
    left_out = [t for t in ("geojson", "force", "nest", "voronoi", "wordcloud", "label", "regression",
                            "crossfilter", "contour", "kde2d") if t in api["transforms"]]
    results.check("geo/force/hierarchy/voronoi/wordcloud/label/regression/crossfilter left out",
                  not left_out, f"present: {left_out}" if left_out else "")

    got = page.evaluate("window.__expressions") or {}
    wrong = {k: (got.get(k), v) for k, v in EXPECTED_EXPRESSIONS.items() if got.get(k) != v}
    results.check("expression functions (utcFormat, timeFormat, datetime, utc, format, inrange, indexof, "
                  "vlSelectionTest/Resolve/Tuples)", not wrong, f"got, expected: {wrong}" if wrong else "")

    def shot(name: str) -> None:
        if screenshots:
            screenshots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)

    shot("1-rendered")

    # --- one mark per data row ---------------------------------------------------------
    points = page.evaluate(JS_POINTS, "#vis g.mark-symbol.role-mark > path")
    slugs = sorted(pt["slug"] for pt in points)
    results.check(f"timeline SVG has one point per data row ({len(ROWS)})",
                  slugs == sorted(r["slug"] for r in ROWS), f"{len(points)} points: {slugs}")
    texts = page.eval_on_selector_all("#vis g.mark-text.role-mark > text", "els => els.map(e => e.textContent)")
    results.check("timeline SVG has one text label per data row", sorted(texts) == sorted(slugs), texts)
    rects = page.locator("#vis g.mark-rect.role-mark > path").count()
    rules = page.locator("#vis g.mark-rule.role-mark > line").count()
    results.check("rect (x/x2) and rule layers drawn", rects == 1 and rules == 1, f"rects={rects}, rules={rules}")
    main_points = page.evaluate(JS_POINTS, "#vis2 g.mark-symbol.role-mark > path")
    results.check(f"overview chart has one point per data row ({len(ROWS)})", len(main_points) == len(ROWS),
                  len(main_points))

    # --- hover -> custom tooltip handler -----------------------------------------------
    target = next((pt for pt in points if page.evaluate(
        JS_TOP_ELEMENT_IS, [pt["x"], pt["y"], "#vis g.mark-symbol.role-mark > path"])
        and page.evaluate("([x, y]) => document.elementFromPoint(x, y).__data__.datum.slug",
                          [pt["x"], pt["y"]]) == pt["slug"]), None)
    if results.check("a point is reachable by the mouse", target is not None):
        row = next(r for r in ROWS if r["slug"] == target["slug"])
        page.mouse.move(5, 5)
        page.mouse.move(target["x"], target["y"], steps=4)
        page.wait_for_timeout(200)
        calls = [c for c in page.evaluate("window.__tooltips") if c["value"]]
        last = calls[-1] if calls else None
        expected_value = {"Event": row["title"], "Date": row["when"], "Category": row["category"],
                          "Day": TOOLTIP_DAY[row["slug"]]}
        ok = bool(last) and last["value"] == expected_value and last["datum"]["slug"] == row["slug"] \
            and last["datum"]["href"] == row["href"]
        results.check(f"hovering {row['slug']} calls the tooltip handler with its datum and values", ok,
                      f"got {last['value'] if last else None}, expected {expected_value}")
        page.mouse.move(5, 5)
        page.wait_for_timeout(100)
        after = page.evaluate("window.__tooltips")
        results.check("moving away calls the tooltip handler with null", bool(after) and after[-1]["value"] is None)

    # --- legend click -> opacity -------------------------------------------------------
    before = {pt["slug"]: pt["opacity"] for pt in page.evaluate(JS_POINTS, "#vis g.mark-symbol.role-mark > path")}
    label = page.locator("#vis g.role-legend-label text", has_text="Government").first
    box = label.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(200)
    after_points = page.evaluate(JS_POINTS, "#vis g.mark-symbol.role-mark > path")
    gov = {pt["opacity"] for pt in after_points if pt["category"] == "Government"}
    other = {pt["opacity"] for pt in after_points if pt["category"] != "Government"}
    shot("2-legend-government")
    results.check("clicking the legend entry 'Government' dims the other categories",
                  set(before.values()) == {"0.9"} and gov == {"0.9"} and other == {"0.12"},
                  f"before={sorted(set(before.values()))}, Government={sorted(gov)}, others={sorted(other)}")
    # A double click clears the legend selection (Vega-Lite's default "clear" event).
    plot = page.locator("#vis svg path.background").first.bounding_box()
    page.mouse.dblclick(plot["x"] + plot["width"] - 4, plot["y"] + 4)
    page.wait_for_timeout(200)
    cleared = {pt["opacity"] for pt in page.evaluate(JS_POINTS, "#vis g.mark-symbol.role-mark > path")}
    results.check("double-clicking the plot clears the legend selection", cleared == {"0.9"}, sorted(cleared))

    # --- wheel zoom on the timeline (interval selection bound to scales) -----------------
    labels_before = page.evaluate(JS_X_LABELS, "#vis")
    plot = page.locator("#vis svg path.background").first.bounding_box()
    page.mouse.move(plot["x"] + plot["width"] * 0.6, plot["y"] + plot["height"] * 0.5)
    for _ in range(3):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(80)
    page.wait_for_timeout(200)
    labels_after = page.evaluate(JS_X_LABELS, "#vis")
    results.check("wheel over the timeline zooms the x axis (bind: scales)",
                  bool(labels_before) and labels_after != labels_before,
                  f"{labels_before} -> {labels_after}")
    zoom = page.evaluate("window.__timeline.signal('zoom')")
    results.check("view.signal('zoom') reports the zoomed x range", bool(zoom) and "start" in zoom, zoom)

    # --- overview brush -> main x axis ---------------------------------------------------
    page.evaluate("""() => { window.__brushEvents = 0;
        window.__overview.addSignalListener('brush', () => { window.__brushEvents++; }); }""")
    main_before = page.evaluate(JS_X_LABELS, "#vis2")
    strip = page.locator("#vis2 g.mark-group.role-scope").nth(1).locator("path.background").first.bounding_box()
    y = strip["y"] + strip["height"] / 2
    page.mouse.move(strip["x"] + strip["width"] * 0.30, y)
    page.mouse.down()
    page.mouse.move(strip["x"] + strip["width"] * 0.45, y, steps=6)
    page.mouse.move(strip["x"] + strip["width"] * 0.60, y, steps=6)
    page.mouse.up()
    page.wait_for_timeout(300)
    main_after = page.evaluate(JS_X_LABELS, "#vis2")
    shot("3-zoomed-and-brushed")
    results.check("dragging a brush on the overview changes the main chart's x axis labels",
                  bool(main_before) and bool(main_after) and main_after != main_before,
                  f"{main_before} -> {main_after}")
    brush = page.evaluate("({events: window.__brushEvents, value: window.__overview.signal('brush')})")
    results.check("addSignalListener('brush') fired and view.signal('brush') holds the range",
                  brush["events"] > 0 and bool(brush["value"]), brush)

    # --- href on click ------------------------------------------------------------------
    points = page.evaluate(JS_POINTS, "#vis g.mark-symbol.role-mark > path")
    target = next((pt for pt in points if page.evaluate(
        "([x, y]) => { const el = document.elementFromPoint(x, y); "
        "return !!el && !!el.__data__ && !!el.__data__.datum && el.__data__.datum.slug; }",
        [pt["x"], pt["y"]]) == pt["slug"]
        and 0 <= pt["x"] <= 1000 and 0 <= pt["y"] <= 800), None)
    if results.check("a point is clickable after zooming", target is not None):
        page.mouse.click(target["x"], target["y"])
        page.wait_for_timeout(300)
        expected_hash = next(r["href"] for r in ROWS if r["slug"] == target["slug"])
        got_hash = page.evaluate("location.hash")
        results.check("clicking a point follows its href", got_hash == expected_hash,
                      f"location.hash={got_hash!r}, expected {expected_hash!r}")

    # --- finalize -----------------------------------------------------------------------
    finalized = page.evaluate("""() => { window.__timeline.finalize(); window.__overview.finalize(); return true; }""")
    results.check("view.finalize() runs", finalized is True)

    errors = page.evaluate("window.__errors")
    results.check("no console errors or page errors", not console_errors and not errors,
                  f"console={console_errors}, page={errors}")
    local = all(urlparse(u).hostname == "127.0.0.1" for u in requests if not u.startswith("data:"))
    scripts = [u for u in requests if u.endswith(".js")]
    results.check("no request leaves 127.0.0.1", local and not blocked,
                  f"{len(requests)} requests: {[urlparse(u).path for u in requests]}; blocked: {blocked}")
    results.check("the page loads only the bundle as script", scripts == [base + "vendor/vega-runtime.min.js"],
                  scripts)
    # Last, as it logs a violation: the policy did forbid eval, so the charts above ran without it.
    # (From a timer: code run by page.evaluate itself is exempt from the page's CSP.)
    refused = page.evaluate("""() => new Promise(done => setTimeout(() => {
        try { eval('1'); done(false); } catch (e) { done(e instanceof EvalError); } }, 0))""")
    results.check("the page's CSP refuses eval (so everything above ran through the interpreter)", refused is True)
    page.close()
    return svgs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE)
    parser.add_argument("--screenshots", type=Path, help="save PNG screenshots of the page here")
    args = parser.parse_args()
    if not args.bundle.is_file():
        print(f"FAIL: bundle not found: {args.bundle} (run scripts/vega-runtime/build.sh)")
        return 1
    return run(args.bundle, args.screenshots)


if __name__ == "__main__":
    sys.exit(main())
