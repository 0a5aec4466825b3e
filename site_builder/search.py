"""Full-text search with Pagefind: after the pages are rendered, their HTML is indexed into
a static bundle under /pagefind/ (one index per language, found from each page's `lang`),
and a small script shows a search box on every page. Without JavaScript the box stays
hidden. Indexing runs the Pagefind binary from its PyPI package: nothing leaves the machine.

The bundle depends on the text of every page, so it is kept by the hash of the pages it
was made from: the preview server reindexes only when a page's bytes changed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SEARCH_DIR = "pagefind/"
SKIPPED = ("404.html", "embed/")  # the error page and the chart-only frames are not results


def searchable(path: str) -> bool:
    return path.endswith(".html") and not any(part in path for part in SKIPPED)


def pages_key(pages: Iterable[tuple[str, bytes]]) -> str:
    whole = hashlib.sha256()
    for path, html in pages:
        whole.update(path.encode("utf-8") + b"\0" + hashlib.sha256(html).digest())
    return whole.hexdigest()


def index(pages: list[tuple[str, bytes]]) -> dict[str, bytes]:
    """The Pagefind bundle for these pages (path under the site's root, HTML), file by file.

    The pages are laid out in a scratch folder and indexed in one request: Pagefind answers
    each request after a fixed pause, so one file at a time costs 0.1 s per page.
    """
    from pagefind.index import IndexConfig, PagefindIndex

    async def run(folder: str) -> None:
        # Leaving the context writes the bundle to disk, into the scratch folder. The bundle is
        # read back from there: asking for it over Pagefind's pipe hangs once a reply passes
        # the pipe's 2 MiB line limit (a site of about 200 pages).
        config = IndexConfig(keep_index_url=False, root_selector="main", output_path=str(Path(folder) / "_written"))
        async with PagefindIndex(config) as found:
            await found.add_directory(str(Path(folder) / "pages"), glob="**/*.html")

    with tempfile.TemporaryDirectory(prefix="site-builder-search-") as scratch:
        for path, html in pages:
            target = Path(scratch) / "pages" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(html)
        # A thread of its own: the caller may be inside an event loop (the preview server's, a test's).
        with ThreadPoolExecutor(max_workers=1) as worker:
            worker.submit(asyncio.run, run(scratch)).result()
        written = Path(scratch) / "_written"
        files = {path.relative_to(written).as_posix(): path.read_bytes() for path in sorted(written.rglob("*")) if path.is_file()}
    return _in_order(files)


def _in_order(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind lists its languages in the order its threads finish: sort them, so that the
    same pages always give the same bytes."""
    entry = "pagefind-entry.json"
    if entry in files:
        data = json.loads(files[entry])
        data["languages"] = dict(sorted(data.get("languages", {}).items()))
        files[entry] = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


class SearchCache:
    """Bundles by the hash of the pages they index."""

    def __init__(self) -> None:
        self.kept: dict[str, dict[str, bytes]] = {}

    def bundle(self, pages: list[tuple[str, bytes]]) -> dict[str, bytes]:
        key = pages_key(pages)
        if key not in self.kept:
            self.kept.clear()  # one site at a time
            self.kept[key] = index(pages)
        return self.kept[key]
