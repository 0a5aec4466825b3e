"""Incremental rebuilds for the preview server: re-read, re-parse and re-render only what a
change touches, and always hand out complete builds.

A `Snapshot` is one complete build (or the last good build plus the problems that stop the
current one). Rebuilding makes a new snapshot from the previous one; the server swaps the
reference, so a request sees either the old build or the new one, never a mix. The bytes
are the ones `build` writes for the same base URL: incremental rendering reuses pages whose
inputs did not change and renders the rest with the same code.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from .chartdata import build_date
from .errors import Problem, SiteInvalid
from .load import CONFIG_FILE, CONTENT_DIR, EVENTS_DIR, SourceTree, read_static
from .model import Event, Site
from .pipeline import schema_problem
from .render import DEFAULT_TEMPLATES, Neighbours, OutputFiles, Renderer, neighbours, render_all
from .validate import ParseCache, validate_site

PACKAGE_STATIC = Path(__file__).resolve().parent.parent / "static"


@dataclass
class Snapshot:
    """One complete build as served. `problems` non-empty means the sources are currently
    invalid and `files` is the last good build (the server shows the problems instead)."""

    files: OutputFiles
    deferred: dict[str, Callable[[], bytes]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    version: int = 0
    _made: dict[str, bytes] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def get(self, name: str) -> bytes | None:
        if name in self.files:
            return self.files[name]
        make = self.deferred.get(name)
        if make is None:
            return None
        with self._lock:  # made once per snapshot, on first request
            if name not in self._made:
                self._made[name] = make()
            return self._made[name]


@dataclass
class RebuildReport:
    seconds: float
    rendered: int
    removed: int
    full: bool


class LiveSite:
    """The preview server's view of a site: sources, parses, renders and the current snapshot."""

    def __init__(self, root: Path, base_url: str, today: date | None = None):
        self.root = root
        self.base_url = base_url
        self.today = today or build_date()
        self.tree = SourceTree.read(root)
        self.cache = ParseCache()
        self.site: Site | None = None
        self.links: dict[str, Neighbours] = {}
        self.renderer: Renderer | None = None
        self.snapshot = Snapshot(files={})
        self.owes_full_render = True  # until a full render has succeeded with the current templates

    # -- what a change means ------------------------------------------------------------
    def needs_full_render(self, changed: set[Path]) -> bool:
        site_templates, site_static = self.root / "templates", self.root / "static"
        for path in changed:
            if path == self.root / CONFIG_FILE:
                return True
            for folder in (site_templates, site_static, DEFAULT_TEMPLATES, PACKAGE_STATIC):
                if path == folder or folder in path.parents:
                    return True
        return False

    def watched_paths(self) -> list[Path]:
        folders = [self.root / name for name in (EVENTS_DIR, CONTENT_DIR, "templates", "static")]
        folders += [DEFAULT_TEMPLATES, PACKAGE_STATIC]
        return sorted({folder.resolve() for folder in folders if folder.is_dir()})

    # -- rebuilding --------------------------------------------------------------------
    def _validate(self) -> Site:
        site = validate_site(self.tree.sources(), self.cache)
        stale = schema_problem(site)
        if stale:
            raise SiteInvalid([stale])
        return dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=self.base_url))

    def rebuild(self, changed: set[Path] | None = None) -> RebuildReport:
        """Bring the snapshot up to date with the sources; `None` means rebuild everything."""
        start = time.perf_counter()
        full = changed is None or self.needs_full_render(changed) or self.owes_full_render
        # Owed until it succeeds: a template, static or site.yaml change whose rebuild fails
        # (in validation or part-way through rendering) must not be skipped by the next one.
        self.owes_full_render = full
        if changed is not None:
            self.tree.refresh(changed)
        try:
            site = self._validate()
            links = neighbours(site)
            if full or self._pages_changed(site):
                files, deferred = self._render_everything(site, links)
                rendered, removed = len(files), 0
                self.owes_full_render = False
            else:
                files, deferred, rendered, removed = self._render_changes(site, links)
        except SiteInvalid as error:
            self.snapshot = Snapshot(self.snapshot.files, self.snapshot.deferred, error.problems, self.snapshot.version + 1)
            raise
        self.site, self.links = site, links
        self.snapshot = Snapshot(files, deferred, [], self.snapshot.version + 1)
        return RebuildReport(time.perf_counter() - start, rendered, removed, full)

    def _pages_changed(self, site: Site) -> bool:
        """Content pages appear in every page's menu: a new, removed or renamed one means all."""
        assert self.site is not None
        def menu(s: Site) -> list[tuple[str, str, str, int]]:
            return [(p.slug, p.title, p.nav_title, p.order) for p in s.pages]
        return menu(site) != menu(self.site)

    def _render_everything(self, site: Site, links: dict[str, Neighbours]) -> tuple[OutputFiles, dict[str, Callable[[], bytes]]]:
        old = self.renderer
        self.renderer = Renderer(site, read_static(self.root), self.today,
                                 **({"compiler": old.compiler, "markdown": old.markdown, "rows": old.rows} if old else {}))
        return render_all(self.renderer, links)

    def _render_changes(self, site: Site, links: dict[str, Neighbours]) -> tuple[OutputFiles, dict[str, Callable[[], bytes]], int, int]:
        assert self.site is not None and self.renderer is not None
        before: dict[str, Event] = {event.slug: event for event in self.site.events}
        after: dict[str, Event] = {event.slug: event for event in site.events}
        changed = {slug for slug, event in after.items() if not _same(before.get(slug), event)}
        gone = set(before) - set(after)
        self.renderer = dataclasses.replace(self.renderer, site=site)
        files = dict(self.snapshot.files)
        deferred = dict(self.snapshot.deferred)
        rendered = 0
        for slug in gone:
            files.pop(f"{before[slug].url}index.html", None)
        for slug, event in after.items():
            if slug in changed or not _same_links(links[slug], self.links.get(slug)):
                name, page = self.renderer.event_page(event, links[slug])
                files[name] = page
                rendered += 1
        touched = {before[slug].category for slug in changed | gone if slug in before}
        touched |= {after[slug].category for slug in changed}
        for category in site.config.categories:
            if category.key in touched:
                name, page = self.renderer.category_page(category)
                files[name] = page
                rendered += 1
        for page in site.pages:
            if page not in self.site.pages:
                name, html = self.renderer.content_page(page)
                files[name] = html
                rendered += 1
        if changed or gone:
            home, still = self.renderer.home()
            files.update(home)
            deferred.update(still)
            rendered += 1
        if set(before) != set(after):
            name, sitemap = self.renderer.sitemap()
            files[name] = sitemap
            rendered += 1
        return files, deferred, rendered, len(gone)


def _same(a: Event | None, b: Event | None) -> bool:
    """Unchanged files give back the very same parsed object, so identity settles most cases."""
    return a is b or a == b


def _same_links(a: Neighbours, b: Neighbours | None) -> bool:
    if b is None:
        return False
    pairs = [(a.previous, b.previous), (a.next, b.next)] + list(zip(a.related, b.related))
    return len(a.related) == len(b.related) and all(_same(x, y) for x, y in pairs)
