"""Full-text search with Pagefind: after the pages are rendered, their HTML is indexed into
a static bundle under /pagefind/ (one index per language, found from each page's `lang`),
and a small script shows a search box on every page. Without JavaScript the box stays
hidden. Indexing runs the Pagefind binary from its PyPI package: nothing leaves the machine.

The bundle depends on the text of every page, so it is kept by the hash of the pages it
was made from: the preview server reindexes only when a page's bytes changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .write import Written

SEARCH_DIR = "pagefind/"
SKIPPED = ("404.html", "embed/")  # the error page and the chart-only frames are not results
# On a page that is indexed, what repeats other pages' words: the breadcrumb, the neighbours'
# titles, the citation, the lists of events on the home, category and year pages. A search
# for an event's words then finds that event's page, not every page that names it; it also
# cut Pagefind's memory at 10,000 events from 892 to 617 MB.
NOT_INDEXED = 'data-pagefind-ignore="all"'


def searchable(path: str) -> bool:
    return path.endswith(".html") and not any(part in path for part in SKIPPED)


Page = tuple[str, bytes | Written]  # a page's path under the site's root, and its HTML or where a build wrote it


def pages_key(pages: Iterable[Page]) -> str:
    whole = hashlib.sha256()
    for path, html in pages:
        whole.update(path.encode("utf-8") + b"\0" + (html.digest if isinstance(html, Written) else hashlib.sha256(html).digest()))
    return whole.hexdigest()


def index(pages: list[Page]) -> dict[str, bytes]:
    """The Pagefind bundle for these pages (path under the site's root, HTML), file by file.

    The pages are laid out in a scratch folder and indexed by one run of the Pagefind binary,
    which returns once the bundle is written; the bundle is read back from disk. (Pagefind's
    Python API hands the bundle over a pipe whose 2 MiB line limit hangs the build from
    about 200 pages, and its written files are not known to be complete when it answers.)
    """
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise RuntimeError("the Pagefind binary is missing: reinstall the generator's dependencies")
    with tempfile.TemporaryDirectory(prefix="site-builder-search-") as scratch:
        pages_dir, written = Path(scratch) / "pages", Path(scratch) / "bundle"
        for path, html in pages:
            target = pages_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(html, Written):
                _link_or_copy(html.path, target)
            else:
                target.write_bytes(html)
        done = subprocess.run([str(executable), "--site", str(pages_dir), "--output-path", str(written), "--root-selector", "main",
                               "--silent"], capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"Pagefind failed: {done.stderr.strip() or done.stdout.strip()}")
        files = {path.relative_to(written).as_posix(): path.read_bytes() for path in sorted(written.rglob("*")) if path.is_file()}
    return _in_order(files)


def _link_or_copy(written: Path, target: Path) -> None:
    """A page already written by the build, put in the scratch folder without reading it in."""
    try:
        os.link(written, target)
    except OSError:  # another filesystem, or one without links
        shutil.copyfile(written, target)


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

    def bundle(self, pages: list[Page]) -> dict[str, bytes]:
        key = pages_key(pages)
        if key not in self.kept:
            self.kept.clear()  # one site at a time
            self.kept[key] = index(pages)
        return self.kept[key]
