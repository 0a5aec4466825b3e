"""The record of the last build of each output folder, so that a build with nothing changed
writes nothing and returns at once (Hugo and Pelican rebuild everything; a newsroom's CI
and an editor's `build` after a `git pull` that touched nothing should not).

A build is skipped only when all of these are as they were when the record was made:
- every file the build reads: site.yaml, events, figures, pages, the site's and the
  theme's templates and static files (their bytes, not their times: a `git checkout` that
  touches times but not bytes changes nothing);
- the generator: its own code and catalogues, Python's version and the versions of the
  libraries that shape the output;
- the command: base URL and repository overrides, --strict, and the build's date
  (SOURCE_DATE_EPOCH or today), which the chart's "today" rule shows;
- the output folder: the same files with the same sizes and modification times. A file
  edited, added or removed there by hand makes the next build a full one.

The record lives in the site's cache folder, one per output folder. A record that cannot
be read (truncated, edited, from another version) is ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from functools import cache, cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

from .errors import Problem, UsageError
from .load import SourceFile, SourceTree

CACHE_ROOT = ".site-builder-cache"  # everything a build keeps for the next one; `clean` removes it
RECORDS_DIR = f"{CACHE_ROOT}/builds"
CARDS_CACHE = f"{CACHE_ROOT}/share-cards"  # drawn share cards, by scene (cards.CardCache)
MARKDOWN_CACHE = f"{CACHE_ROOT}/markdown.json"  # converted Markdown, by text (markup.MarkdownRenderer)
CHARTS_CACHE = f"{CACHE_ROOT}/charts"  # compiled chart skeletons and still pictures (charts.ChartCompiler)
TEMPLATES_CACHE = f"{CACHE_ROOT}/templates"  # compiled templates (templatecache.CompiledTemplates)
FORMAT = 1
SHAPING_LIBRARIES = ("jinja2", "markdown", "pyyaml", "altair", "vl-convert-python", "babel", "nh3", "python-slugify",
                     "icalendar", "pagefind", "pygments")
ENGINE = Path(__file__).resolve().parent


LAST_EPOCH = 253402300799  # 9999-12-31 23:59:59 UTC, the last moment Python's dates hold


def build_date() -> date:
    """Today for the chart's 'today' rule: SOURCE_DATE_EPOCH when set, for reproducible builds.

    A value that is not a time from 1970 to 9999 is a mistake in the build's environment, so
    it is a usage error (exit 2) rather than a crash or a silently different 'today'.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(tz=UTC).date()
    if not epoch.isdigit() or int(epoch) > LAST_EPOCH:
        raise UsageError(f"SOURCE_DATE_EPOCH is '{epoch[:40]}'; it must be a whole number of seconds since "
                         f"1970-01-01 UTC, from 0 to {LAST_EPOCH} (9999-12-31), or unset")
    return datetime.fromtimestamp(int(epoch), tz=UTC).date()


@cache
def engine_fingerprint() -> str:
    """The generator as it runs now: its code and catalogues (the theme is part of the
    source tree), the interpreter and the libraries whose versions change the output."""
    whole = hashlib.sha256(f"{FORMAT}\0{sys.version}".encode())
    for path in sorted([*ENGINE.glob("*.py"), *ENGINE.glob("locales/*/LC_MESSAGES/*.po")]):
        whole.update(path.relative_to(ENGINE).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    for library in SHAPING_LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        whole.update(f"{library}={version}\0".encode())
    return whole.hexdigest()


def inputs_key(tree: SourceTree, command: dict[str, Any], today: date) -> str:
    """One hash of everything a build of this tree reads and is told."""
    whole = hashlib.sha256(engine_fingerprint().encode())
    whole.update(json.dumps({**command, "today": today.isoformat()}, sort_keys=True).encode())
    entries = [(tree.root / "site.yaml", tree.config)] + [item for folder in tree.folders for item in sorted(tree.files[folder.name].items())]
    for path, entry in entries:
        whole.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        if isinstance(entry, SourceFile):
            whole.update(hashlib.sha256(entry.data).digest())
        else:  # a file that cannot be read, or none: the build reports it, so it is part of the key
            whole.update(repr(entry).encode("utf-8", "surrogateescape"))
    return whole.hexdigest()


def output_state(output: Path) -> dict[str, list[int]]:
    """Every file in the output folder with its size and modification time (nanoseconds)."""
    state: dict[str, list[int]] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, prefix + entry.name + "/")
                else:
                    info = entry.stat(follow_symlinks=False)
                    state[prefix + entry.name] = [info.st_size, info.st_mtime_ns]

    try:
        walk(str(output), "")
    except OSError:
        return {}
    return state


def store(path: Path, data: bytes) -> bool:
    """Put a cache entry in place whole (written beside it, then renamed), or not at all
    (False): a cache, nothing more, so a read-only site folder still builds."""
    scratch = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(scratch, path)
    except OSError:
        if scratch is not None:
            Path(scratch).unlink(missing_ok=True)
        return False
    return True


def read_entry(path: Path, whole: Callable[[bytes], bool]) -> bytes | None:
    """A cache entry's bytes if it is a regular file (never through a link) that `whole`
    accepts; None if it is missing, unreadable or damaged, so that it is made again."""
    if not has_entry(path):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if whole(data) else None


def has_entry(path: Path) -> bool:
    """Whether a cache entry is there, without reading it (`read_entry` checks it when it is used)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


@dataclass(frozen=True)
class BuildRecord:
    """What the last successful build of one output folder was made from and wrote."""

    inputs: str
    output: dict[str, list[int]]
    warnings: list[dict[str, Any]]
    events: int
    pages: int
    files: int

    @cached_property
    def problems(self) -> list[Problem]:
        """The last build's warnings, shown again (made once: a large site has thousands)."""
        return [Problem(**fields) for fields in self.warnings]


class BuildRecords:
    """The records kept in one site's cache folder, by output folder."""

    def __init__(self, root: Path) -> None:
        self.folder = root / RECORDS_DIR

    def _file(self, output: Path) -> Path:
        return self.folder / (hashlib.sha256(str(output.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:24] + ".json")

    def unchanged(self, output: Path, inputs: str) -> BuildRecord | None:
        """The record of the last build, if that build was made from `inputs` and its output is untouched."""
        try:
            data = json.loads(self._file(output).read_text(encoding="utf-8"))
            record = BuildRecord(**data)
            record.problems  # noqa: B018 (read here, so that a damaged record is refused, not shown)
        except (OSError, ValueError, TypeError):
            return None
        if record.inputs != inputs or not record.output or record.output != output_state(output):
            return None
        return record

    def save(self, output: Path, inputs: str, warnings: list[Problem], events: int, pages: int, files: int) -> None:
        """Record a build just published (written beside, then renamed into place: never half a record)."""
        record = BuildRecord(inputs, output_state(output), [asdict(problem) for problem in warnings], events, pages, files)
        store(self._file(output), json.dumps(asdict(record), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def forget(self, output: Path) -> None:
        self._file(output).unlink(missing_ok=True)
