"""The preview server's site: sources kept in memory, rebuilt through the same pipeline as
`build`, and always handed out as complete builds.

A rebuild re-reads only the files the watcher reported, re-parses only files whose bytes
changed (`ParseCache`), and renders through the output registry, which reuses every file
whose dependency key is unchanged. Nothing here knows which page shows what: that is
declared once, in `outputs.py`.

A `Snapshot` is one complete build (or the last good build plus the problems that stop the
current one). The server swaps the reference, so a request sees either the old build or
the new one, never a mix.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import pipeline
from .buildrecord import CARDS_CACHE
from .cards import CardCache
from .chartdata import build_date
from .errors import Problem, SiteInvalid
from .load import SourceTree
from .outputs import Rendering
from .render import RenderCaches
from .validate import ParseCache


@dataclass(frozen=True)
class Snapshot:
    """One complete build as served. `problems` non-empty means the sources are currently
    invalid and `rendering` is the last good build (the server shows the problems instead)."""

    rendering: Rendering
    problems: list[Problem] = field(default_factory=list)
    version: int = 0

    def get(self, name: str) -> bytes | None:
        return self.rendering.get(name)


@dataclass
class RebuildReport:
    seconds: float
    rendered: int
    removed: int
    warnings: list[Problem]


class LiveSite:
    """Sources, parses, renders and the current snapshot of the site being previewed."""

    def __init__(self, root: Path, overrides: pipeline.Overrides, today: date | None = None):
        self.root = root
        self.overrides = overrides
        self.today = today or build_date()
        self.tree = SourceTree.read(root)
        self.cache = ParseCache()
        self.caches = RenderCaches(cards=CardCache(root / CARDS_CACHE))  # cards drawn by earlier builds are reused
        self.last_good: Rendering | None = None
        self.snapshot = Snapshot(Rendering({}))

    def rebuild(self, changed: set[Path] | None = None) -> RebuildReport:
        """Bring the snapshot up to date with the sources; `None` means re-read everything."""
        start = time.perf_counter()
        if changed is None:
            self.tree = SourceTree.read(self.root)
        else:
            self.tree.refresh(changed)
        try:
            site, warnings = pipeline.validate(self.tree, self.cache, self.overrides)
            rendering = pipeline.render(site, self.today, self.last_good, self.caches)
        except SiteInvalid as error:
            self.snapshot = Snapshot(self.snapshot.rendering, error.problems, self.snapshot.version + 1)
            raise
        removed = len(set(self.last_good.files) - set(rendering.files)) if self.last_good else 0
        self.last_good = rendering
        self.snapshot = Snapshot(rendering, [], self.snapshot.version + 1)
        return RebuildReport(time.perf_counter() - start, len(rendering.made), removed, warnings)
