"""THE registry: every file a build writes is declared here once, with the paths it
writes, what each depends on and how it is made.

`build` renders every declared output; the preview server renders the same declarations
and reuses an earlier file only when its dependency key is unchanged (Lektor's build
programs with their recorded dependencies, kept as values rather than file lists). So a
new output (a feed, a data file, a language edition) is one entry below, and the preview
server can never serve it stale: there is no second list of what depends on what.

Every page also depends on the site-wide inputs (`Renderer.site_wide`: site.yaml, the
menu of content pages, the theme's templates and static files, today's date); when those
change, every file is made again.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from .cards import card_file, card_subjects
from .data import DATA_DIR, DOWNLOADS
from .density import detail_file, detail_years
from .editions import Edition, editions
from .errors import Problem, SiteInvalid
from .feeds import FEED
from .figurecharts import charted
from .figures import FIGURES_DIR
from .model import Site, page_file
from .progress import QUIET, Progress
from .render import EMBED_DIR, STILL_IMAGES, Renderer
from .search import SEARCH_DIR, pages_key, searchable
from .spread import Helpers, Job, spreading
from .theme import STATIC_PREFIX
from .write import Written

Target = tuple[str, Any]  # (output path, the subject the file is about: an event, a category ...)


@dataclass(frozen=True)
class Output:
    """One kind of output file."""

    name: str
    targets: Callable[[Site], Iterable[Target]]  # the files it writes for this site
    depends: Callable[[Site, Any], Hashable]  # what a file shows besides the site-wide inputs
    render: Callable[[Renderer, Any], Any]  # the file's bytes; for a bundle, {name: bytes} made from the pages
    lazy: bool = False  # slow and rarely looked at while editing: made when first requested in preview
    per_edition: bool = True  # one copy per language edition (under <language>/), or one for the site
    bundle: bool = False  # made from the other outputs' pages, as a folder of files (the search index)
    ahead: Callable[[Renderer, Any], dict[str, Any]] | None = None  # a scene a build draws before writing, with all others at once
    spread: bool = False  # many pages of one kind: a large build renders them in helper processes, on every core (spread.py)


def _single(path: str) -> Callable[[Site], Iterable[Target]]:
    return lambda site: [(path, None)]


def _nothing(site: Site, subject: Any) -> Hashable:
    return None


OUTPUTS: tuple[Output, ...] = (
    Output("static", lambda site: [(STATIC_PREFIX + name, name) for name in sorted(site.theme.static)],
           lambda site, name: site.theme.fingerprints[name], lambda r, name: r.site.theme.static[name], per_edition=False),
    Output("home", _single("index.html"), lambda site, _: (site.events, site.figures), lambda r, _: r.home()),
    Output("timeline-detail", lambda site: [(detail_file(year), year) for year in detail_years(site)], lambda site, _: site.events,
           Renderer.timeline_detail),
    Output("timeline-still", lambda site: STILL_IMAGES.values(), lambda site, _: site.events, Renderer.still_image, lazy=True),
    Output("share-card", lambda site: [(card_file(site, subject), subject) for subject in card_subjects(site)],
           lambda site, event: (event, site.events), Renderer.share_card, lazy=True, ahead=Renderer.card_scene),
    Output("event", lambda site: [(page_file(e.url), e) for e in site.events],
           lambda site, event: (event, site.neighbours(event), site.figures_of(event), site.setters(site.figures_of(event))),
           Renderer.event_page, spread=True),
    Output("figures", lambda site: [(page_file(FIGURES_DIR), None)] if site.figures else [],
           lambda site, _: (site.figures, site.setters(site.figures)), lambda r, _: r.figures_page()),
    Output("figure-chart", lambda site: [(f.chart_file, f) for f in site.figures if charted(f)], lambda site, figure: figure,
           Renderer.figure_chart),
    Output("category", lambda site: [(page_file(c.url), c) for c in site.config.categories],
           lambda site, category: site.events_in(category), Renderer.category_page),
    Output("year", lambda site: [(page_file(y.url), y) for y in site.year_pages], lambda site, year: (year, site.around(year)),
           Renderer.year_page),
    Output("page", lambda site: [(page_file(p.url), p) for p in site.pages], lambda site, page: page, Renderer.content_page),
    Output("embed", _single(f"{EMBED_DIR}index.html"), lambda site, _: site.events, lambda r, _: r.embed(None)),
    Output("category-embed", lambda site: [(f"{EMBED_DIR}{c.key}/index.html", c) for c in site.config.categories],
           lambda site, _: site.events, Renderer.embed),
    Output("data", _single(f"{DATA_DIR}index.html"), lambda site, _: site.events, lambda r, _: r.data_page()),
    Output("data-files", lambda site: [(DATA_DIR + name, name) for name in DOWNLOADS], lambda site, _: (site.events, site.figures),
           Renderer.data_file, lazy=True),
    Output("feed", lambda site: [(FEED, None)] if site.config.base_url else [], lambda site, _: site.events, Renderer.feed),
    Output("category-feed", lambda site: [(c.url + FEED, c) for c in site.config.categories] if site.config.base_url else [],
           lambda site, category: site.events_in(category), Renderer.feed),
    Output("sitemap", lambda site: [("sitemap.xml", None)] if site.config.base_url else [],
           lambda site, _: (tuple(event.slug for event in site.events), tuple(y.number for y in site.year_pages)),
           lambda r, _: r.sitemap(), per_edition=False),
    Output("robots", _single("robots.txt"), _nothing, lambda r, _: r.robots(), per_edition=False),
    Output("not-found", _single("404.html"), _nothing, lambda r, _: r.not_found()),
    # A bundle: made after every other output, from their pages. Its dependency key is the hash of those pages.
    Output("search", _single(SEARCH_DIR), _nothing, lambda r, pages: r.caches.search.bundle(pages), lazy=True, per_edition=False,
           bundle=True),
)


class Lazy:
    """A file made on first request, once, whichever thread asks first."""

    __slots__ = ("_make", "_bytes", "_lock")

    def __init__(self, make: Callable[[], bytes]):
        self._make: Callable[[], bytes] | None = make
        self._bytes: bytes | None = None
        self._lock = threading.Lock()

    def __call__(self) -> bytes:
        with self._lock:
            if self._bytes is None:
                assert self._make is not None
                self._bytes, self._make = self._make(), None
            return self._bytes

    def once(self) -> bytes:
        """The bytes, made if need be, without keeping them (a build writes each file once)."""
        with self._lock:
            if self._bytes is not None:
                return self._bytes
            assert self._make is not None
            return self._make()


class Bundle:
    """A folder of files made together, on the first request for any of them."""

    def __init__(self, make: Callable[[], dict[str, bytes]]):
        self._make: Callable[[], dict[str, bytes]] | None = make
        self._files: dict[str, bytes] | None = None
        self._lock = threading.Lock()

    def __call__(self) -> dict[str, bytes]:
        with self._lock:
            if self._files is None:
                assert self._make is not None
                self._files, self._make = self._make(), None
            return self._files


@dataclass
class Rendering:
    """One complete set of output files, with what each was made from."""

    files: dict[str, bytes | Lazy | Written]  # Written: already streamed to the build's staging folder
    keys: dict[str, Hashable] = field(default_factory=dict)
    renderers: dict[str, Renderer] = field(default_factory=dict)  # by edition language
    made: list[str] = field(default_factory=list)  # the files made anew (the rest were reused)
    bundles: dict[str, Bundle] = field(default_factory=dict)  # by the folder they fill, e.g. 'pagefind/'
    waiting: dict[str, tuple[Output, str, Any]] = field(default_factory=dict)  # lazy files not made yet: output, language, subject
    deferred: list[str] = field(default_factory=list)  # in the preview server: files a build makes at once, not made yet (ondemand.py)

    def get(self, path: str) -> bytes | None:
        found = self.files.get(path)
        if found is None:
            for folder, bundle in self.bundles.items():
                if path.startswith(folder):
                    return bundle().get(path[len(folder):])
            return None
        if isinstance(found, Written):
            return found.path.read_bytes()
        return found() if isinstance(found, Lazy) else found

    def materialize(self) -> dict[str, bytes]:
        """Every file as bytes, lazy ones and bundles included."""
        return dict(self.stream())

    def stream(self) -> Iterator[tuple[str, bytes]]:
        """Every file not written yet, in order of path, a lazy one made as it comes and not
        kept: what `build` writes last, so that a site's cards are never all in memory at once."""
        bundled = {folder + name: data for folder, bundle in self.bundles.items() for name, data in bundle().items()}
        for path in sorted([*self.files, *bundled]):
            data = self.files.get(path)
            if data is None:
                yield path, bundled[path]
            elif not isinstance(data, Written):
                yield path, data.once() if isinstance(data, Lazy) else data

    def scenes_ahead(self) -> tuple[Iterator[dict[str, Any]], int]:
        """What the lazy files still to be made will draw, to draw it all at once: the scenes,
        made one by one as they are taken, and how many there are."""
        ahead = [(output.ahead, self.renderers[language], subject) for output, language, subject in self.waiting.values() if output.ahead]
        return (scene(renderer, subject) for scene, renderer, subject in ahead), len(ahead)


SHORT = 4  # the most parts a dependency key has (outputs.OUTPUTS): longer tuples are lists of records


class SameKeys:
    """Compares dependency keys, remembering the verdict for each pair of tuples it met.
    Every card's key holds the whole event list: comparing it for each of 3,000 cards took
    1.9 s of a 1,000-event preview rebuild. A tuple of records (an event list) is compared
    by Python's own tuple comparison, which passes over identical items without calling
    their `__eq__`, and after an edit every event but one is the same object as before
    (`editions.Localised`). Keys are alive for the whole render, so the identities of their
    tuples stay valid."""

    def __init__(self) -> None:
        self.verdicts: dict[tuple[int, int], bool] = {}

    def __call__(self, old: Any, new: Any) -> bool:
        if old is new:
            return True
        if type(old) is not tuple or type(new) is not tuple:
            return bool(old == new)
        if len(old) != len(new):
            return False
        if len(old) <= SHORT:  # a key itself, which is never met twice: remembering costs more than comparing
            return all(a is b or self(a, b) for a, b in zip(old, new, strict=True))
        pair = (id(old), id(new))
        verdict = self.verdicts.get(pair)
        if verdict is None:
            nested = any(type(item) is tuple for item in old)
            verdict = all(a is b or self(a, b) for a, b in zip(old, new, strict=True)) if nested else bool(old == new)
            self.verdicts[pair] = verdict
        return verdict


def site_wide(renderers: dict[str, Renderer]) -> dict[str, Hashable]:
    return {language: renderer.site_wide for language, renderer in renderers.items()}


def each_output(every: list[Edition]) -> list[tuple[Output, Edition]]:
    """Every file-writing output with each edition it is made in, in the order files are made."""
    return [(output, edition) for output in OUTPUTS if not output.bundle for edition in (every if output.per_edition else every[:1])]


def written_twice(path: str, output: Output) -> SiteInvalid:
    return SiteInvalid([Problem(path, 1, 1, "", f"two outputs would write this file (the second is '{output.name}'); rename one source")])


def render(site: Site, renderers: dict[str, Renderer], previous: Rendering | None = None, progress: Progress = QUIET,
           sink: Callable[[str, bytes], Written] | None = None) -> Rendering:
    """Every registered output in every edition (`renderers` has one per language); a file
    whose key matches `previous` is reused, not made again. Bundles come last: they are
    made from the pages of every other output. A build gives a `sink` (its staging folder),
    which takes each file as it is rendered, so the rendering keeps only where it went.
    (The preview server makes its files on demand instead: `ondemand.py`.)"""
    if previous is not None and site_wide(previous.renderers) != site_wide(renderers):
        previous = None
    files: dict[str, bytes | Lazy | Written] = {}
    keys: dict[str, Hashable] = {}
    made: list[str] = []
    bundles: dict[str, Bundle] = {}
    waiting: dict[str, tuple[Output, str, Any]] = {}
    same = SameKeys()
    every = editions(site.config)
    before = previous.keys if previous is not None else {}
    here: list[tuple[Output, Renderer, str, Any]] = []
    elsewhere: list[Job] = []
    for output, edition in each_output(every):
        renderer = renderers[edition.language]
        shown, prefix, depends = renderer.site, edition.prefix, output.depends  # 90,000 files at 10,000 events: no lookup twice
        for index, (target, subject) in enumerate(output.targets(shown)):
            path = prefix + target
            if path in files:
                raise written_twice(path, output)
            key = keys[path] = depends(shown, subject)
            if path in before and same(before[path], key):
                files[path] = previous.files[path]  # type: ignore[union-attr]
                continue
            made.append(path)
            if output.lazy:
                files[path] = Lazy(_bind(output.render, renderer, subject))
                waiting[path] = (output, edition.language, subject)
                continue
            files[path] = b""  # made below, in this process or a helper
            here.append((output, renderer, path, subject))
            if output.spread:
                elsewhere.append(Job(output.name, edition.language, index, path))
    if not spreading(len(elsewhere)):
        elsewhere = []
    helped = {job.path for job in elsewhere}
    mine = (
        (path, output.render(renderer, subject)) for output, renderer, path, subject in here if path not in helped)
    with Helpers(renderers, elsewhere) if elsewhere else nullcontext() as helpers:
        theirs = helpers.results() if helpers is not None else iter(())
        for path, data in progress.over(itertools.chain(mine, theirs), "render", len(here)):
            files[path] = sink(path, data) if sink is not None else data
    pages = [(path, data) for path, data in sorted(files.items()) if searchable(path) and isinstance(data, bytes | Written)]
    for output in OUTPUTS:
        for folder, _ in output.targets(site) if output.bundle else []:
            pages_hash = pages_key(pages)
            if previous is not None and previous.keys.get(folder) == pages_hash and folder in previous.bundles:
                bundles[folder] = previous.bundles[folder]
            else:
                bundles[folder] = Bundle(_bind_bundle(output.render, renderers[every[0].language], pages))
                made.append(folder)
            keys[folder] = pages_hash
    return Rendering(files, keys, renderers, made, bundles, waiting)


def _bind(render: Callable[[Renderer, Any], Any], renderer: Renderer, subject: Any) -> Callable[[], bytes]:
    return lambda: bytes(render(renderer, subject))


def _bind_bundle(render: Callable[[Renderer, Any], Any], renderer: Renderer, pages: list[tuple[str, bytes | Written]]) -> Callable[[], dict[str, bytes]]:
    return lambda: dict(render(renderer, pages))
