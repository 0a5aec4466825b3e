"""Render a validated Site into output files held in memory (path -> bytes).

Nothing is written here: the writer stages these bytes and swaps them in, and the preview
server can serve them directly. Links between pages are relative, so the same output works
at a domain's root, under a sub-path and from a plain file server; only the 404 page, which
is served at arbitrary depths, uses absolute paths built from the base URL.
"""

from __future__ import annotations

import hashlib
import posixpath
from datetime import date
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import charts
from .dates import date_label, language_name, span_label
from .markup import render_markdown
from .model import Event, Page, Site

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATES = PACKAGE_ROOT / "templates"
STATIC_PREFIX = "static/"

OutputFiles = dict[str, bytes]


def relative_url(target: str, page_url: str) -> str:
    """Link from the page at `page_url` (a folder URL like 'events/x/') to `target`."""
    base = page_url.rstrip("/") if page_url.endswith("/") else posixpath.dirname(page_url)
    path, _, query = target.partition("?")
    rel = posixpath.relpath(path or ".", base or ".")
    if path.endswith("/") or path == "":
        rel = "./" if rel == "." else rel.rstrip("/") + "/"
    return rel + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Neighbours:
    previous: Event | None
    next: Event | None
    related: tuple[Event, ...]


@dataclass
class RenderContext:
    """What every page shares: the site, its environment, asset fingerprints and the base URL."""

    site: Site
    env: Environment
    static_files: OutputFiles
    fingerprints: dict[str, str] = field(default_factory=dict)

    @property
    def base_path(self) -> str:
        return urlsplit(self.site.config.base_url).path or "/"

    def page(self, template: str, page_url: str, absolute: bool = False, **values: Any) -> bytes:
        def url(target: str) -> str:
            return self.base_path + target if absolute else relative_url(target, page_url)

        def asset(name: str) -> str:
            return url(f"{STATIC_PREFIX}{name}?v={self.fingerprints[STATIC_PREFIX + name]}")

        html = self.env.get_template(template).render(
            site=self.site,
            config=self.site.config,
            page_url=page_url,
            canonical=self.site.config.base_url + page_url,
            url=url,
            asset=asset,
            **values,
        )
        return html.encode("utf-8")


def make_environment(site_root: Path, language: str) -> Environment:
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
    env.filters["markdown"] = render_markdown
    env.globals["span_label"] = lambda start, end=None: span_label(start, end, language)
    env.globals["language_name"] = lambda code: language_name(code, language)
    return env


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


def render_site(site: Site, static_files: OutputFiles, today: date) -> OutputFiles:
    """Every page of the site, plus the static files, as bytes keyed by output path."""
    context = RenderContext(
        site=site,
        env=make_environment(site.root, site.config.language),
        static_files=static_files,
        fingerprints={name: hashlib.sha256(data).hexdigest()[:10] for name, data in static_files.items()},
    )
    files: OutputFiles = dict(static_files)
    files.update(render_home(context, today))
    files.update(render_pages(context, site.events, neighbours(site)))
    return files


def render_home(context: RenderContext, today: date) -> OutputFiles:
    """The home page and its still image: the only output that depends on every event."""
    site = context.site
    main, overview, data = charts.timeline_specs(site, today)
    svg = charts.static_svg(site, today).encode("utf-8")
    context.fingerprints["timeline.svg"] = hashlib.sha256(svg).hexdigest()[:10]
    home = context.page(
        "index.html", "",
        events=site.events,
        timeline_json=charts.script_json(main),
        overview_json=charts.script_json(overview),
        chart_height=data.geometry.height,
        window=[day.isoformat() for day in data.window],
        svg_version=context.fingerprints["timeline.svg"],
    )
    return {"index.html": home, "timeline.svg": svg}


def render_pages(context: RenderContext, events: Iterable[Event], links: dict[str, Neighbours]) -> OutputFiles:
    """Event, category and content pages, the 404 page, sitemap and robots.txt."""
    site = context.site
    files: OutputFiles = {}
    for event in events:
        files[f"{event.url}index.html"] = context.page(
            "event.html", event.url,
            event=event,
            category=site.config.category(event.category),
            links=links[event.slug],
        )
    for category in site.config.categories:
        url = f"categories/{category.key}/"
        members = [event for event in site.events if event.category == category.key]
        files[f"{url}index.html"] = context.page("category.html", url, category=category, events=members)
    for page in site.pages:
        files[f"{page.url}index.html"] = context.page("page.html", page.url, page=page)
    files["404.html"] = context.page("404.html", "404.html", absolute=True)
    files["sitemap.xml"] = context.page("sitemap.xml", "sitemap.xml", urls=_all_page_urls(site))
    files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {site.config.base_url}sitemap.xml\n".encode()
    return files


def _all_page_urls(site: Site) -> list[str]:
    urls = [""]
    urls += [event.url for event in site.events]
    urls += [f"categories/{category.key}/" for category in site.config.categories]
    urls += [page.url for page in site.pages]
    return urls
