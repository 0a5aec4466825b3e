"""The preview server's site: sources kept in memory, rebuilt through the same pipeline as
`build`, and always handed out as complete builds.

A rebuild re-reads only the files the watcher reported, re-parses only files whose bytes
changed (`ParseCache`), and renders through the output registry, which reuses every file
whose dependency key is unchanged. Nothing here knows which page shows what: that is
declared once, in `outputs.py`.

Files whose key changed are made on demand, as Hugo's server does: a rebuild makes the
page a browser asked for last (the one the editor is looking at, which reloads at once),
and the rest when they are asked for or when the server is idle (`fill`). A template error in
any of them is reported like a rebuild's.

A `Snapshot` is one complete build (or the last good build plus the problems that stop the
current one). The server swaps the reference, so a request sees either the old build or
the new one, never a mix.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
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
    rendered: int  # files made during the rebuild
    later: int  # files to make when asked for or when the server is idle
    removed: int
    warnings: list[Problem]
    earlier: list[Problem]  # the last good rebuild's warnings

    def new_warnings(self) -> list[Problem]:
        """Those not among the last rebuild's (all, the first time): worked out once the
        rebuild is served, as 40,000 warnings take 40 ms to compare."""
        earlier = frozenset(self.earlier)
        return [warning for warning in self.warnings if warning not in earlier]


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
        self.one_at_a_time = threading.RLock()  # files are made by the server's thread and the rebuild's; they share a Markdown converter
        self.in_view: str | None = None  # the page a browser asked for last: the one an editor is looking at
        self.pending: list[str] = []  # files of the snapshot still to make, in order
        self.warnings: list[Problem] = []  # the last good rebuild's

    def rebuild(self, changed: set[Path] | None = None, complete: bool = True) -> RebuildReport:
        """Bring the snapshot up to date with the sources; `None` means re-read everything.
        `complete` makes every file now; otherwise only the page in view, and `fill` makes
        the rest."""
        start = time.perf_counter()
        self.pending = []
        if changed is None:
            self.tree = SourceTree.read(self.root)
        else:
            self.tree.refresh(changed)
        try:
            site, warnings = pipeline.validate(self.tree, self.cache, self.overrides)
            rendering = pipeline.render(site, self.today, self.last_good, self.caches, on_demand=self.one_at_a_time)
        except SiteInvalid as error:
            self.snapshot = Snapshot(self.snapshot.rendering, error.problems, self.snapshot.version + 1)
            raise
        removed = len(set(self.last_good.files) - set(rendering.files)) if self.last_good else 0
        self.last_good = rendering
        first = [name for name in [self.in_view] if name in rendering.deferred]
        self.pending = first + [name for name in rendering.deferred if name not in first]
        self.snapshot = Snapshot(rendering, [], self.snapshot.version + 1)
        self.fill(lambda: not complete and self.pending[0] not in first)
        rendered = len(rendering.deferred) - len(self.pending)
        earlier, self.warnings = self.warnings, warnings
        return RebuildReport(time.perf_counter() - start, rendered, len(self.pending), removed, warnings, earlier)

    def fill(self, stop: Callable[[], bool] = lambda: False) -> bool:
        """Make the snapshot's files still to make, one at a time, until none is left (True)
        or `stop()` (a change is waiting). A file that cannot be made puts its problems on
        the snapshot, as a rebuild does, and raises SiteInvalid."""
        snapshot = self.snapshot
        while self.pending and not stop():
            name = self.pending.pop(0)
            try:
                snapshot.rendering.get(name)
            except SiteInvalid as error:
                self.pending = []
                self.snapshot = Snapshot(snapshot.rendering, error.problems, snapshot.version + 1)
                raise
        return not self.pending
