"""Lighthouse scores of the home page and one event page, as a reader on a phone gets them.

Builds the real site, serves it on 127.0.0.1 the way a static host does (gzip, cache
headers), runs Lighthouse 13 (mobile preset, Debian's chromium) on both pages and prints
the four category scores and the main timings. Needs node/npm; installs Lighthouse into
benchmarks/node_modules on first use (pinned in benchmarks/package.json).

    python benchmarks/lighthouse.py [--runs 3]
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
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PAGES = {"home": "", "event page": "events/2025-01-13-national-conference/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-sync"
COMPRESSIBLE = (".html", ".css", ".js", ".svg", ".json", ".xml", ".txt")


class StaticHost(SimpleHTTPRequestHandler):
    """Gzip and long-lived caching for fingerprinted assets, like a production static host."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        if "?v=" in self.path:
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "public, max-age=600")
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (path.is_file() and path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 9, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


def lighthouse_bin() -> Path:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=HERE, check=True)
    return binary


def run_lighthouse(binary: Path, url: str, report: Path) -> dict[str, float]:
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(
        [str(binary), url, "--quiet", "--output=json", f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}",
         f"--only-categories={','.join(CATEGORIES)}"],
        check=True, env=env,
    )
    data = json.loads(report.read_text())
    scores = {name: data["categories"][name]["score"] for name in CATEGORIES}
    for audit in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"):
        scores[audit] = data["audits"][audit]["numericValue"]
    lcp = data["audits"].get("largest-contentful-paint-element", {}).get("details", {}).get("items", [])
    scores["lcp element"] = lcp[0]["items"][0]["node"].get("snippet", "") if lcp and lcp[0].get("items") else ""  # type: ignore[assignment]
    scores["failed audits"] = [key for key, audit in data["audits"].items()  # type: ignore[assignment]
                               if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"]
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median performance score is reported")
    args = parser.parse_args()
    binary = lighthouse_bin()
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "site"
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(StaticHost, directory=str(output)))
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--output", str(output), "--base-url", base], check=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            for name, path in PAGES.items():
                runs = [run_lighthouse(binary, base + path, Path(scratch) / f"{name}-{i}.json") for i in range(args.runs)]
                best = sorted(runs, key=lambda r: r["performance"])[len(runs) // 2]
                perf = statistics.median(r["performance"] for r in runs)
                print(f"{name:11} performance {perf:.2f}  accessibility {best['accessibility']:.2f}  "
                      f"best-practices {best['best-practices']:.2f}  seo {best['seo']:.2f}  |  "
                      f"FCP {best['first-contentful-paint']:.0f} ms  LCP {best['largest-contentful-paint']:.0f} ms  "
                      f"TBT {best['total-blocking-time']:.0f} ms  CLS {best['cumulative-layout-shift']:.3f}")
                print(f"{'':11} LCP element: {best['lcp element'][:100]}")
                if best["failed audits"]:
                    print(f"{'':11} failed: {', '.join(best['failed audits'])}")
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
