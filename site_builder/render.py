"""Render a validated Site into output files held in memory (path -> bytes).

Nothing is written here: the writer stages these bytes and swaps them in, and the preview
server serves them directly and re-renders only the pages an edit touches. Links between
pages are relative, so the same output works at a domain's root, under a sub-path and from
a plain file server; only the 404 page, which is served at arbitrary depths, uses absolute
paths built from the base URL.
"""

from __future__ import annotations

import hashlib
import itertools
import posixpath
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from markupsafe import Markup
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape

from . import charts
from .chartdata import RowCache, timeline_data
from .dates import date_label, language_name, span_label
from .errors import Problem, SiteInvalid
from .load import display_path
from .markup import MarkdownRenderer
from .model import Category, Event, Page, Site

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATES = PACKAGE_ROOT / "templates"
STATIC_PREFIX = "static/"
STILL_IMAGE = "timeline.svg"

OutputFiles = dict[str, bytes]
Deferred = dict[str, Callable[[], bytes]]  # outputs made only when first needed (the still image)


def relative_url(target: str, page_url: str) -> str:
    """Link from the page at `page_url` (a folder URL like 'events/x/') to `target`."""
    base = page_url.rstrip("/") if page_url.endswith("/") else posixpath.dirname(page_url)
    if not base and target:
        return target  # from the site's root folder every target is already relative to it
    path, _, query = target.partition("?")
    rel = posixpath.relpath(path or ".", base or ".")
    if path.endswith("/") or path == "":
        rel = "./" if rel == "." else rel.rstrip("/") + "/"
    return rel + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Neighbours:
    """What an event page shows of other events; its page changes when any of these do."""

    previous: Event | None
    next: Event | None
    related: tuple[Event, ...]


def neighbours(site: Site) -> dict[str, Neighbours]:
    by_slug = {event.slug: event for event in site.events}
    events = site.events
    return {
        event.slug: Neighbours(
            previous=events[index - 1] if index > 0 else None,
            next=events[index + 1] if index + 1 < len(events) else None,
            related=tuple(by_slug[slug] for slug in event.related),
        )
        for index, event in enumerate(events)
    }


def make_environment(site_root: Path, language: str, markdown: MarkdownRenderer) -> Environment:
    loaders = [FileSystemLoader(str(site_root / "templates"))] if (site_root / "templates").is_dir() else []
    loaders.append(FileSystemLoader(str(DEFAULT_TEMPLATES)))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_label"] = lambda value: date_label(value, language)
    env.filters["markdown"] = markdown
    env.globals["span_label"] = lambda start, end=None: span_label(start, end, language)
    env.globals["language_name"] = lambda code: language_name(code, language)
    return env


@dataclass
class Renderer:
    """Everything pages share: the site, templates, asset fingerprints, today's date and
    the caches that make re-rendering cheap (compiled chart skeletons, rendered Markdown)."""

    site: Site
    static_files: OutputFiles
    today: date
    compiler: charts.ChartCompiler = field(default_factory=charts.ChartCompiler)
    markdown: MarkdownRenderer = field(default_factory=MarkdownRenderer)
    env: Environment | None = None
    fingerprints: dict[str, str] = field(default_factory=dict)
    list_items: dict[tuple[int, str], tuple[Event, Markup]] = field(default_factory=dict)
    rows: RowCache = field(default_factory=RowCache)

    def __post_init__(self) -> None:
        if self.env is None:
            self.env = make_environment(self.site.root, self.site.config.language, self.markdown)
        self.fingerprints = {name: _fingerprint(data) for name, data in self.static_files.items()}

    @property
    def base_path(self) -> str:
        return urlsplit(self.site.config.base_url).path or "/"

    def page(self, template: str, page_url: str, absolute: bool = False, **values: Any) -> bytes:
        def url(target: str) -> str:
            return self.base_path + target if absolute else relative_url(target, page_url)

        def asset(name: str) -> str:
            return url(f"{STATIC_PREFIX}{name}?v={self.fingerprints[STATIC_PREFIX + name]}")

        def list_item(event: Event) -> Markup:
            return self.list_item(event, page_url)

        assert self.env is not None
        try:
            html = self.env.get_template(template).render(
                site=self.site, config=self.site.config, page_url=page_url, list_item=list_item, by_year=by_year,
                canonical=self.site.config.base_url + page_url, url=url, asset=asset, **values,
            )
        except TemplateError as error:
            raise SiteInvalid([template_problem(error, template)]) from error
        return html.encode("utf-8")

    def list_item(self, event: Event, page_url: str) -> Markup:
        """An event's entry in a list, kept: long lists are re-rendered after every edit."""
        key = (id(event), page_url)  # parsed events are kept, so identity is a cheap key
        kept = self.list_items.get(key)
        if kept is None or kept[0] is not event:
            assert self.env is not None
            macro = self.env.get_template("partials/event_item.html").module.event_item  # type: ignore[attr-defined]
            kept = (event, Markup(macro(event, lambda target: relative_url(target, page_url), self.site.config)))
            self.list_items[key] = kept
        return kept[1]

    def home(self) -> tuple[OutputFiles, Deferred]:
        """The home page, and its still image for readers without JavaScript.

        The image is versioned by the chart it draws rather than by its bytes, so it can
        be drawn only when asked for: drawing it is the slowest step of a render.
        """
        site = self.site
        data = timeline_data(site, self.today, self.rows)
        main, overview = charts.timeline_specs(site, data, self.compiler)
        main_json, overview_json = charts.page_json(main, data), charts.page_json(overview, data)
        home = self.page(
            "index.html", "", events=site.events, timeline_json=main_json, overview_json=overview_json,
            chart_height=data.geometry.height, window=[day.isoformat() for day in data.window],
            svg_version=_fingerprint(main_json.encode("utf-8")),
        )
        return {"index.html": home}, {STILL_IMAGE: lambda: charts.static_svg(site, data, self.compiler).encode("utf-8")}

    def event_page(self, event: Event, links: Neighbours) -> tuple[str, bytes]:
        return f"{event.url}index.html", self.page(
            "event.html", event.url, event=event, category=self.site.config.category(event.category), links=links)

    def category_page(self, category: Category) -> tuple[str, bytes]:
        url = f"categories/{category.key}/"
        members = [event for event in self.site.events if event.category == category.key]
        return f"{url}index.html", self.page("category.html", url, category=category, events=members)

    def content_page(self, page: Page) -> tuple[str, bytes]:
        return f"{page.url}index.html", self.page("page.html", page.url, page=page)

    def sitemap(self) -> tuple[str, bytes]:
        site = self.site
        urls = [""] + [e.url for e in site.events] + [f"categories/{c.key}/" for c in site.config.categories] + [p.url for p in site.pages]
        return "sitemap.xml", self.page("sitemap.xml", "sitemap.xml", urls=urls)

    def fixed_pages(self) -> OutputFiles:
        """Pages that depend on the configuration only."""
        robots = f"User-agent: *\nAllow: /\nSitemap: {self.site.config.base_url}sitemap.xml\n".encode()
        return {"404.html": self.page("404.html", "404.html", absolute=True), "robots.txt": robots}


def by_year(events: Iterable[Event]) -> list[tuple[int, list[Event]]]:
    """Events (already in date order) under their years."""
    return [(year, list(group)) for year, group in itertools.groupby(events, key=lambda event: event.date.year)]


def template_problem(error: TemplateError, template: str) -> Problem:
    """A broken template reported like a broken event: file, line, message."""
    filename = getattr(error, "filename", None)
    line = getattr(error, "lineno", None)
    if line is None:  # a runtime error: find the innermost template frame
        frame = error.__traceback__
        while frame is not None:
            code = frame.tb_frame.f_code
            if code.co_filename.endswith((".html", ".xml")):
                filename, line = code.co_filename, frame.tb_lineno
            frame = frame.tb_next
    shown = display_path(Path(filename)) if filename else f"templates/{template}"
    return Problem(shown, line or 1, 1, "", f"template error: {error.message or type(error).__name__}")


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def render_all(renderer: Renderer, links: dict[str, Neighbours] | None = None) -> tuple[OutputFiles, Deferred]:
    """Every output of the site; the still image is left deferred for the caller to make."""
    site = renderer.site
    files: OutputFiles = dict(renderer.static_files)
    home, deferred = renderer.home()
    files.update(home)
    links = links if links is not None else neighbours(site)
    files.update(renderer.event_page(event, links[event.slug]) for event in site.events)
    files.update(renderer.category_page(category) for category in site.config.categories)
    files.update(renderer.content_page(page) for page in site.pages)
    files.update([renderer.sitemap()])
    files.update(renderer.fixed_pages())
    return files, deferred


def render_site(site: Site, static_files: OutputFiles, today: date) -> OutputFiles:
    """A complete build's output, still image included."""
    files, deferred = render_all(Renderer(site, static_files, today))
    files.update((name, make()) for name, make in deferred.items())
    return files
