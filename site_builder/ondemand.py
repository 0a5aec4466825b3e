"""The preview server's renderings: every file made when it is first asked for, as Hugo's
server does, instead of every changed file at every save.

A rebuild only lists the files the registry declares (`outputs.OUTPUTS`), each with what it
is made from. A file's dependency key is worked out when the file is asked for, and
compared with the key it was last made with: the same key gives the same bytes, without
rendering. Comparing the keys of every file at every save cost 0.37 s at 10,000 events in
three editions (90,000 files), and re-rendering every changed list page 6 s; listing the
files costs about a third of the first (0.11 s). The server asks for the page in view at
once and for the rest when it is idle (`rebuild.LiveSite.fill`), so a template error
anywhere is still reported.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

from .editions import editions
from .model import Site
from .outputs import OUTPUTS, Bundle, Lazy, Output, Rendering, SameKeys, each_output, site_wide, written_twice
from .render import Renderer
from .search import searchable


class OnDemand:
    """What files were last made from, across the server's renderings; one file made at a time."""

    def __init__(self) -> None:
        self.lock = threading.RLock()  # the server's thread and the rebuild's both make files; the renderers share a Markdown converter
        self.last: dict[str, tuple[Hashable, bytes]] = {}  # path: (dependency key, bytes) when last made
        self.site_wide: dict[str, Hashable] | None = None  # what every file depends on: when it changes, nothing made is reused


class Kind:
    """What the files of one output in one edition share: how they are made, and the record
    of files made with the same site-wide inputs as theirs (`last`), not the server's current
    one, so that a page of the previous rendering made while the next is being planned never
    passes for a page made with the new templates."""

    def __init__(self, demand: OnDemand, output: Output, renderer: Renderer):
        self.lock, self.last, self.output, self.renderer = demand.lock, demand.last, output, renderer


class Planned(Lazy):
    """A file of an on-demand rendering, made (or found unchanged) when first asked for.
    A rebuild makes one per file, 90,000 at 10,000 events in three editions: kept small."""

    __slots__ = ("kind", "path", "subject", "rendered")

    def __init__(self, kind: Kind, path: str, subject: Any):
        self._bytes: bytes | None = None
        self.kind, self.path, self.subject = kind, path, subject
        self.rendered = False  # made anew, not found unchanged

    def __call__(self) -> bytes:
        kind = self.kind
        with kind.lock:
            if self._bytes is None:
                key = kind.output.depends(kind.renderer.site, self.subject)
                last = kind.last.get(self.path)
                if last is not None and SameKeys()(last[0], key):
                    self._bytes = last[1]
                else:
                    self._bytes = bytes(kind.output.render(kind.renderer, self.subject))
                    kind.last[self.path] = (key, self._bytes)
                    self.rendered = True
            return self._bytes

    once = __call__


def plan(site: Site, renderers: dict[str, Renderer], demand: OnDemand) -> Rendering:
    """Every file every output declares, in every edition, none made yet. `deferred` lists
    those a build makes at once (not the share cards, stills, downloads and search index,
    which wait to be asked for)."""
    wide = site_wide(renderers)
    if wide != demand.site_wide:
        demand.site_wide, demand.last = wide, {}
    files: dict[str, Any] = {}
    deferred: list[str] = []
    every = editions(site.config)
    for output, edition in each_output(every):
        renderer, prefix = renderers[edition.language], edition.prefix
        kind = Kind(demand, output, renderer)
        for target, subject in output.targets(renderer.site):
            path = prefix + target
            if path in files:
                raise written_twice(path, output)
            files[path] = Planned(kind, path, subject)
            if not output.lazy:
                deferred.append(path)
    bundles = {folder: Bundle(_bundle(output, renderers[every[0].language], files))
               for output in OUTPUTS if output.bundle for folder, _ in output.targets(site)}
    return Rendering(files, {}, renderers, [], bundles, deferred=deferred)


def _bundle(output: Output, renderer: Renderer, files: dict[str, Planned]) -> Any:
    """The search index, made from every page (each made first, if need be) when asked for."""
    return lambda: dict(output.render(renderer, [(path, files[path]()) for path in sorted(files) if searchable(path)]))
