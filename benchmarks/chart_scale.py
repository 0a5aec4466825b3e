"""What the home page's timeline chart costs a reader as the site grows: bytes and time
until the chart is interactive, on synthetic sites of 100, 1,000 and 10,000 events.

    python benchmarks/chart_scale.py [--sizes 100,1000,10000] [--runs 5] [--json] [--draw-cards]

For each size: writes the site (benchmarks/synthetic.py), builds it once with
`build.py build` and SOURCE_DATE_EPOCH set (the events' share cards as placeholders
unless --draw-cards: see BUILD) and serves the output on
127.0.0.1. Then, in headless chromium at 1280x900 with a cold cache, loads the home page
and records every request made until #timeline gets data-ready="true" (set when both
chart views are drawn):

- bytes: the home page HTML (which inlines the chart specs and data) plus every data file
  fetched before the chart is ready, raw and gzip -9 computed from the built files, and
  the ratio of each size to the smallest (target: 10,000 events at most 3x of 100); the
  JavaScript loaded before ready is reported apart, being the same at every size;
- time to interactive: performance.now() (from navigation start) when data-ready appears,
  seen by a MutationObserver installed before any page script runs (target: 1 s at
  10,000 events);
- JS heap used after ready (CDP JSHeapUsedSize after a garbage collection) and the number
  of DOM elements.

Sizes are interleaved run by run (100, 1000, 10000, 100, ...) so they share machine noise;
the table gives medians.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Browser, Request, sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import write_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 900}
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01, so every build of a size is the same
READY_TIMEOUT_MS = 180_000
DATA_SUFFIXES = (".json", ".csv", ".tsv", ".geojson", ".topojson", ".arrow", ".txt")
TARGET_RATIO, TARGET_MS = 3.0, 1000.0
BUILD_TIMEOUT_S = 1800

# Runs `build.py build ...` (argv after -c: the path of build.py, then its arguments) with one
# change that leaves the home page and its chart untouched: unless --draw-cards, the events'
# share cards (cards/<slug>.png, 3 per event, which no page of the chart loads) are a 1x1
# placeholder. Each takes about 70 ms to draw: 35 minutes at 10,000 events, on one core.
BUILD = """
import base64, runpy, sys
from pathlib import Path
draw_cards = sys.argv.pop(1) == "draw-cards"
sys.argv = sys.argv[1:]
sys.path.insert(0, str(Path(sys.argv[0]).resolve().parent))
if not draw_cards:
    from site_builder import cards
    dot = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    cards.event_card = lambda *args, **kwargs: dot
runpy.run_path(sys.argv[0], run_name="__main__")
"""

# Runs before any page script: notes performance.now() the moment #timeline gets data-ready="true".
WATCH_READY = """
(() => {
  const seen = () => {
    const el = document.getElementById("timeline");
    if (el && el.getAttribute("data-ready") === "true" && window.__chartReadyAt === undefined) {
      window.__chartReadyAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(seen);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-ready"] });
})();
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve `root` on a free port of 127.0.0.1; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def serve_all(outputs: dict[int, Path]) -> Iterator[dict[int, str]]:
    """One static server per built site, each at the root of its own port."""
    with ExitStack() as stack:
        yield {events: stack.enter_context(serve(output)) for events, output in outputs.items()}


def sizes(data: bytes) -> tuple[int, int]:
    return len(data), len(gzip.compress(data, 9, mtime=0))


def build(events: int, scratch: Path, draw_cards: bool) -> tuple[Path, float]:
    """Write and build a synthetic site of `events` events; returns the output folder and the build time."""
    site, output = scratch / f"site-{events}", scratch / f"out-{events}"
    write_site(site, events)
    started = time.perf_counter()
    command = [sys.executable, "-c", BUILD, "draw-cards" if draw_cards else "placeholder-cards",
               str(REPO / "build.py"), "build", "--site", str(site), "--output", str(output)]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}, timeout=BUILD_TIMEOUT_S)
    if done.returncode:
        raise SystemExit(f"build of {events} events failed:\n{done.stdout}{done.stderr}")
    return output, time.perf_counter() - started


@dataclass
class Weight:
    """Bytes of one kind of file fetched before the chart is ready: (path, raw, gzip) each."""

    files: list[tuple[str, int, int]] = field(default_factory=list)

    def add(self, path: str, data: bytes) -> None:
        self.files.append((path, *sizes(data)))

    @property
    def raw(self) -> int:
        return sum(raw for _, raw, _ in self.files)

    @property
    def gzip(self) -> int:
        return sum(packed for _, _, packed in self.files)


@dataclass
class Run:
    ready_ms: float
    heap_bytes: float
    elements: int
    page: Weight  # the HTML and the data files
    js: Weight
    other: Weight  # stylesheets, fonts, images


def local_file(output: Path, base: str, url: str) -> Path | None:
    if not url.startswith(base):
        return None
    path = output / unquote(urlsplit(url).path).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def measure(browser: Browser, base: str, output: Path) -> Run:
    """Load the home page once with a cold cache and measure it until the chart is ready."""
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.add_init_script(WATCH_READY)
        requests: list[Request] = []
        ready = False

        def note(request: Request) -> None:
            if not ready:
                requests.append(request)

        page.on("request", note)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base, wait_until="commit")
        try:
            page.wait_for_function("() => window.__chartReadyAt !== undefined", timeout=READY_TIMEOUT_MS, polling=50)
        except Exception as error:
            raise SystemExit(f"the chart at {base} never became ready: {error}; page errors: {errors}") from None
        ready = True
        ready_ms = float(page.evaluate("window.__chartReadyAt"))
        elements = int(page.evaluate("document.getElementsByTagName('*').length"))
        cdp = context.new_cdp_session(page)
        cdp.send("HeapProfiler.collectGarbage")
        cdp.send("Performance.enable")
        metrics = {metric["name"]: metric["value"] for metric in cdp.send("Performance.getMetrics")["metrics"]}

        run = Run(ready_ms, float(metrics["JSHeapUsedSize"]), elements, Weight(), Weight(), Weight())
        seen: set[Path] = set()
        for request in requests:
            path = local_file(output, base, request.url)
            if path is None or path in seen:
                continue
            seen.add(path)
            name, kind = str(path.relative_to(output)), request.resource_type
            if kind == "document" and request.frame == page.main_frame:
                run.page.add(name, path.read_bytes())
            elif kind == "script":
                run.js.add(name, path.read_bytes())
            elif kind in ("fetch", "xhr") or path.suffix in DATA_SUFFIXES:
                run.page.add(name, path.read_bytes())
            else:
                run.other.add(name, path.read_bytes())
        return run
    finally:
        context.close()


def kib(count: float) -> str:
    return f"{count / 1024:,.1f} KiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated numbers of events (default: 100,1000,10000)")
    parser.add_argument("--runs", type=int, default=5, help="page loads per size, interleaved across sizes (default: 5)")
    parser.add_argument("--json", action="store_true", help="also print the medians as a JSON object")
    parser.add_argument("--draw-cards", action="store_true", help="draw the events' share cards in the build (about 70 ms each)")
    args = parser.parse_args()
    counts = sorted({int(size) for size in args.sizes.split(",") if size.strip()})

    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        outputs: dict[int, Path] = {}
        for events in counts:
            outputs[events], seconds = build(events, Path(scratch), args.draw_cards)
            print(f"built {events:,} events in {seconds:.1f} s", file=sys.stderr)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        runs: dict[int, list[Run]] = {events: [] for events in counts}
        with serve_all(outputs) as bases:
            for number in range(args.runs):
                for events in counts:
                    run = measure(browser, bases[events], outputs[events])
                    runs[events].append(run)
                    print(f"run {number + 1}/{args.runs}, {events:,} events: ready in {run.ready_ms:.0f} ms", file=sys.stderr)
        browser.close()

    smallest = runs[counts[0]][0].page.gzip
    medians: dict[str, Any] = {}
    for events in counts:
        first = runs[events][0]  # the bytes are the same at every run
        medians[str(events)] = {
            "html_data_raw": first.page.raw, "html_data_gzip": first.page.gzip, "ratio_to_smallest": first.page.gzip / smallest,
            "js_raw": first.js.raw, "js_gzip": first.js.gzip, "other_raw": first.other.raw, "other_gzip": first.other.gzip,
            "files": {kind: {name: {"raw": raw, "gzip": packed} for name, raw, packed in weight.files}
                      for kind, weight in (("html_data", first.page), ("js", first.js), ("other", first.other))},
            "ready_ms": statistics.median(run.ready_ms for run in runs[events]),
            "ready_ms_runs": [round(run.ready_ms, 1) for run in runs[events]],
            "js_heap_mb": statistics.median(run.heap_bytes for run in runs[events]) / 1e6,
            "dom_elements": statistics.median(run.elements for run in runs[events]),
        }

    print(f"Home page timeline chart, median of {args.runs} run(s), headless chromium {VIEWPORT['width']}x{VIEWPORT['height']}, cold cache\n")
    print("| events | HTML+data gzip (raw) | ratio to smallest | JS gzip (raw) | time to interactive (median ms) | JS heap MB | DOM elements |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for events in counts:
        row = medians[str(events)]
        print(f"| {events:,} | {kib(row['html_data_gzip'])} ({kib(row['html_data_raw'])}) | {row['ratio_to_smallest']:.2f}x "
              f"| {kib(row['js_gzip'])} ({kib(row['js_raw'])}) | {row['ready_ms']:,.0f} | {row['js_heap_mb']:.1f} | {row['dom_elements']:,.0f} |")
    print()
    for events in counts:
        files = ", ".join(f"{name} {kib(packed)}" for name, _, packed in runs[events][0].page.files)
        print(f"{events:,} events, HTML and data fetched before ready (gzip): {files}")
    scripts = ", ".join(f"{name} {kib(packed)}" for name, _, packed in runs[counts[-1]][0].js.files)
    print(f"JavaScript before ready (gzip): {scripts}")
    largest = medians[str(counts[-1])]
    print(f"\nAt {counts[-1]:,} events: bytes {largest['ratio_to_smallest']:.2f}x of {counts[0]:,} events (target at most {TARGET_RATIO:g}x for 10,000 vs 100), "
          f"interactive in {largest['ready_ms']:,.0f} ms (target at most {TARGET_MS:,.0f} ms at 10,000)")
    if args.json:
        print(json.dumps(medians, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
