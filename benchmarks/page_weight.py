"""Bytes a reader downloads for each kind of page: HTML and JavaScript, raw and gzip -9.

Builds the real site into a temporary folder and reports, for the home page, one event
page and one category page, the size of the page itself and of every script it loads.

    python benchmarks/page_weight.py
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = ["index.html", "events/2025-01-13-national-conference/index.html", "categories/party/index.html"]


def sizes(data: bytes) -> tuple[int, int]:
    return len(data), len(gzip.compress(data, 9, mtime=0))


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "site"
        subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--output", str(output)], check=True, capture_output=True)
        for name in PAGES:
            page = output / name
            html = page.read_bytes()
            raw, packed = sizes(html)
            print(f"{name}: HTML {raw:,} B ({packed:,} B gzip)")
            total_raw = total_packed = 0
            for src in re.findall(rb'<script[^>]+src="([^"?]+)', html):
                script = (page.parent / src.decode()).resolve()
                raw, packed = sizes(script.read_bytes())
                total_raw, total_packed = total_raw + raw, total_packed + packed
                print(f"  script {script.relative_to(output)}: {raw:,} B ({packed:,} B gzip)")
            if total_raw:
                print(f"  JavaScript in total: {total_raw:,} B ({total_packed:,} B gzip = {total_packed / 1024:.1f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
