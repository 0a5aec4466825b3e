"""Turn a validated Site into page bytes: the Jinja2 environment (theme templates, the i18n
extension, filters) and the `Renderer` that every output in `outputs.py` draws with.

Nothing is written here. Links between pages are relative, so the same output works at a
domain's root, under a sub-path and from a plain file server; only the 404 page, which is
served at arbitrary depths, uses absolute paths built from the base path.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, TemplateError, TemplateSyntaxError, nodes, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from . import cards, charts, data, density, feeds, structured
from .chartdata import RowCache, TimelineData, limits, periods, script_json, timeline_data
from .dates import own_language_name
from .editions import Edition, Localised, editions
from .errors import Problem, SiteInvalid
from .figurecharts import charted, figure_svg
from .figures import FIGURES_DIR, Figure, value_text, when_text
from .figures import describe as describe_figure
from .load import display_path
from .markup import MarkdownRenderer
from .messages import Messages, same_language
from .model import Category, Event, Page, Site, Year, by_year
from .search import NOT_INDEXED, SearchCache
from .templatecache import CompiledTemplates, ThemeLoader
from .theme import EXTRA_CSS, STATIC_PREFIX, THEME_ROOT, Theme, fingerprint

STILL_IMAGES = {"wide": ("timeline.svg", 960), "narrow": ("timeline-narrow.svg", 340)}  # name: (file, chart width)
EMBED_DIR = "embed/"


@dataclass(frozen=True)
class Alternate:
    """The same page in one edition: for hreflang links and the language switcher."""

    language: str
    name: str  # in its own language: "Tiếng Việt", "Français"
    href: str  # from the current page
    absolute: str | None  # when the base URL is known
    current: bool


def relative_url(target: str, page_url: str) -> str:
    """Link from the page at `page_url` (a folder URL like 'events/x/') to `target`.

    Plain string work on the site's own paths (never '..' in them): posixpath.relpath asks
    the operating system for the current folder twice per call, seconds over a large site."""
    base = page_url.rstrip("/") if page_url.endswith("/") else posixpath.dirname(page_url)
    if not base and target:
        return target  # from the site's root folder every target is already relative to it
    path, _, query = target.partition("?")
    here = [part for part in base.split("/") if part not in ("", ".")]
    there = [part for part in path.split("/") if part not in ("", ".")]
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    rel = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    if path.endswith("/") or path == "":
        rel = "./" if rel == "." else rel.rstrip("/") + "/"
    return rel + (f"?{query}" if query else "")


class ThemeEnvironment(Environment):
    """Jinja's environment with one repair: its lexer raises some syntax errors (an unclosed
    `{#` comment) without the template's name, and such an error in an included template
    would then be reported at the page that includes it."""

    language = ""  # the edition's: part of a compiled template's key (templatecache)

    def _parse(self, source: str, name: str | None, filename: str | None) -> Any:
        try:
            return super()._parse(source, name, filename)
        except TemplateSyntaxError as error:
            if error.filename is None:
                error.name, error.filename = name, filename
            raise

    def _generate(self, source: Any, name: str | None, filename: str | None, defer_init: bool = False) -> str:
        """Compiling folds constant expressions, and with StrictUndefined that can fail
        (`{{ 0[0] and x }}`) outside any template frame: report it as the template's error,
        at the line of the expression being folded."""
        try:
            return super()._generate(source, name, filename, defer_init)
        except TemplateSyntaxError:
            raise
        except Exception as error:
            line, frame = 1, error.__traceback__
            while frame is not None:
                node = frame.tb_frame.f_locals.get("self")
                if isinstance(node, nodes.Node) and getattr(node, "lineno", None):
                    line = node.lineno
                frame = frame.tb_next
            raise TemplateSyntaxError(f"{type(error).__name__}: {error}", line, name, filename) from None


def make_environment(theme: Theme, messages: Messages, markdown: MarkdownRenderer, compiled: CompiledTemplates) -> Environment:
    env = ThemeEnvironment(
        loader=ThemeLoader(theme),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=compiled,
    )
    env.language = messages.language
    env.install_gettext_translations(messages.translations, newstyle=True)  # type: ignore[attr-defined]

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, count: int, **values: Any) -> str:
        """As Jinja's, but `%(num)s` is the count written the language's way (1,234 or 1.234)."""
        values.setdefault("num", messages.number(count))
        text = messages.translations.ngettext(singular, plural, count)
        return (Markup(text) if context.eval_ctx.autoescape else text) % values

    env.globals["ngettext"] = ngettext
    env.filters["date_label"] = messages.date
    env.filters["number"] = messages.number
    env.filters["same_language"] = same_language
    env.filters["markdown"] = markdown
    env.globals["span_label"] = messages.span
    env.globals["language_name"] = messages.language_name
    env.globals["figure_value"] = lambda reading, unit: value_text(reading, unit, messages)
    env.globals["figure_when"] = lambda reading: when_text(reading, messages)
    env.globals["figure_alt"] = lambda figure: describe_figure(figure, messages)
    env.globals["charted"] = charted
    env.globals["not_indexed"] = Markup(NOT_INDEXED)
    env.tests["charted"] = charted
    return env


@dataclass
class RenderCaches:
    """Work kept between the preview server's rebuilds because its inputs are in its keys:
    compiled chart skeletons and templates, rendered Markdown, chart rows and translated records."""

    compiler: charts.ChartCompiler = field(default_factory=charts.ChartCompiler)
    markdown: MarkdownRenderer = field(default_factory=MarkdownRenderer)
    rows: RowCache = field(default_factory=RowCache)
    cards: cards.CardCache = field(default_factory=cards.CardCache)
    search: SearchCache = field(default_factory=SearchCache)
    localised: Localised = field(default_factory=Localised)
    templates: CompiledTemplates = field(default_factory=CompiledTemplates)


@dataclass
class Renderer:
    """Everything pages share: the site, the templates, today's date and the caches that
    make re-rendering cheap."""

    site: Site  # as the edition shows it (editions.localize_site)
    today: date
    caches: RenderCaches = field(default_factory=RenderCaches)
    list_items: dict[tuple[int, str], tuple[Event, Markup]] = field(default_factory=dict)
    edition: Edition | None = None  # None: the site's only or default edition

    def __post_init__(self) -> None:
        if self.edition is None:
            self.edition = Edition(self.site.config.language, self.site.config.default_language)

    @cached_property
    def messages(self) -> Messages:
        return Messages(self.site.config.language)

    @cached_property
    def env(self) -> Environment:
        return make_environment(self.site.theme, self.messages, self.caches.markdown, self.caches.templates)

    @cached_property
    def site_wide(self) -> tuple[Any, ...]:
        """What every page shows or depends on: when any of it changes, every page is redrawn."""
        site = self.site
        return (site.config, site.menu, site.theme.digest, self.today)

    def with_site(self, site: Site) -> Renderer:
        """The same templates and caches for a site whose site-wide inputs are unchanged."""
        renderer = Renderer(site, self.today, self.caches, self.list_items, self.edition)
        renderer.__dict__.update({name: self.__dict__[name] for name in ("messages", "env") if name in self.__dict__})
        return renderer

    # -- pages --------------------------------------------------------------------------
    def page(self, template: str, page_url: str, absolute: bool = False, card: str | None = None, **values: Any) -> bytes:
        """The page at `page_url` (the same in every edition) in this renderer's edition."""
        config = self.site.config
        fingerprints = self.site.theme.fingerprints
        edition = self.edition
        assert edition is not None
        here = edition.path(page_url)

        def link(path: str) -> str:
            """A path from the site's root, as written on this page."""
            return config.base_path + path if absolute else relative_url(path, here)

        def url(target: str) -> str:
            return link(edition.path(target))

        def asset(name: str) -> str:
            return link(f"{STATIC_PREFIX}{name}?v={fingerprints[name]}")

        def list_item(event: Event) -> Markup:
            return self.list_item(event, here, url)

        alternates = [Alternate(other.language, own_language_name(other.language), link(other.path(page_url)),
                                config.absolute(other.path(page_url)), other.language == edition.language)
                      for other in editions(config)] if len(config.editions) > 1 else []
        try:
            html = self.env.get_template(template).render(
                site=self.site, config=config, page_url=page_url, list_item=list_item, by_year=by_year,
                canonical=config.absolute(here), url=url, asset=asset, has_asset=fingerprints.__contains__,
                extra_css=EXTRA_CSS, alternates=alternates, edition=edition, site_file=link,
                card_url=config.absolute(edition.path(card or cards.card_file(self.site, None))), card_size=(cards.WIDTH, cards.HEIGHT), **values,
            )
        except TemplateError as error:
            raise SiteInvalid([template_problem(error, template)]) from error
        except SiteInvalid:
            raise  # already located, by whatever the template called
        except Exception as error:  # `{{ 1 // 0 }}`, `{{ site|dictsort }}`, a template including itself
            problem = site_template_problem(error)
            if problem is None:
                raise  # raised in the theme's own templates or in Python: a bug in the generator
            raise SiteInvalid([problem]) from error
        return html.encode("utf-8")

    def list_item(self, event: Event, here: str, url: Callable[[str], str]) -> Markup:
        """An event's entry in a list, kept: long lists are re-rendered after every edit."""
        key = (id(event), here)  # parsed events are kept, so identity is a cheap key
        kept = self.list_items.get(key)
        if kept is None or kept[0] is not event:
            macro = self.env.get_template("partials/event_item.html").module.event_item  # type: ignore[attr-defined]
            kept = (event, Markup(macro(event, url, self.site.config)))
            self.list_items[key] = kept
        return kept[1]

    @cached_property
    def timeline(self) -> TimelineData:
        return timeline_data(self.site, self.today, self.messages, self.caches.rows)

    @cached_property
    def timeline_json(self) -> tuple[str, str]:
        main, overview = charts.timeline_specs(self.site, self.timeline, self.messages, self.caches.compiler)
        return charts.page_json(main, self.timeline), charts.page_json(overview, self.timeline)

    def chart_values(self, embed_category: Category | None = None, embedded: bool = False) -> dict[str, Any]:
        """What a page drawing the timeline needs (the home page and the embeds)."""
        main_json, overview_json = self.timeline_json
        timeline = self.timeline
        return {"events": self.site.events, "timeline_json": main_json, "overview_json": overview_json,
                "chart_height": timeline.geometry.height, "window": [day.isoformat() for day in timeline.window],
                "still_images": {name: file for name, (file, _) in STILL_IMAGES.items()}, "still_version": fingerprint(main_json.encode("utf-8")),
                "periods": periods(self.site, timeline, self.messages), "limits": [day.isoformat() for day in limits(timeline)],
                "embed_category": embed_category, "embedded": embedded,
                "detail_years": list(timeline.detail), "detail_dir": density.DETAIL_DIR, "detail_limit": density.DETAIL_LIMIT}

    def home(self) -> bytes:
        config = self.site.config
        return self.page("index.html", "", **self.chart_values(), last_updated=data.version_date(self.site),
                         embed_address=config.absolute(self.here(EMBED_DIR)) or EMBED_DIR,
                         structured=script_json(structured.website_data(config, config.absolute(self.here("")))))

    def embed(self, category: Category | None) -> bytes:
        """The chart alone (for one category, if given), for other sites' iframes."""
        url = EMBED_DIR + (f"{category.key}/" if category else "")
        return self.page("embed.html", url, **self.chart_values(category, embedded=True))

    def timeline_detail(self, year: int) -> bytes:
        """A large site's events of one year as chart rows, fetched when the reader zooms in (see density)."""
        return self.timeline.detail.get(year, "[]").encode("utf-8")

    def still_image(self, width: int) -> bytes:
        """The timeline for readers without JavaScript: the slowest thing a build draws."""
        return charts.static_svg(self.site, self.timeline, self.messages, self.caches.compiler, width).encode("utf-8")

    def event_page(self, event: Event) -> bytes:
        config, messages = self.site.config, self.messages
        address = config.absolute(self.here(event.url)) or ""
        updated = event.last_updated
        cite = data.event_citation(event, config.publisher, config.title, address, messages.span(event.date, event.end_date),
                                   messages.date(updated) if updated else None, messages.gettext)
        return self.page("event.html", event.url, card=cards.card_file(self.site, event), event=event, category=config.category(event.category),
                         links=self.site.neighbours(event), citation=cite,
                         structured=script_json(structured.event_data(event, config, config.absolute(self.here(event.url)))),
                         bibtex=data.bibtex(event, config.publisher, config.title, address, updated, messages.gettext))

    def figures_page(self) -> bytes:
        """Every key figure: those with targets charted against them, the others as numbers."""
        return self.page("figures.html", FIGURES_DIR)

    def figure_chart(self, figure: Figure) -> bytes:
        return figure_svg(figure, self.messages, self.caches.compiler).encode("utf-8")

    def category_page(self, category: Category) -> bytes:
        return self.page("category.html", category.url, category=category, events=self.site.events_in(category))

    def year_page(self, year: Year) -> bytes:
        """One year's events: on a large site, the list the home page would be too long to hold."""
        previous, following = self.site.around(year)
        return self.page("year.html", year.url, year=year, events=year.events, previous=previous, following=following)

    def content_page(self, page: Page) -> bytes:
        return self.page("page.html", page.url, page=page)

    def data_page(self) -> bytes:
        """Downloads, feeds and calendar, the licence and how to cite the dataset."""
        site = self.site
        here = site.config.absolute(self.here(data.DATA_DIR))
        in_calendar = sum(1 for event in site.events if data.in_calendar(event))
        citation = data.citation(site, here or "", self.messages.gettext)
        files = {(here or "") + name: kind for name, kind in data.DOWNLOADS.items() if name != data.CALENDAR}
        found = structured.dataset_data(site, here, data.version(site), citation, files)
        return self.page("data.html", data.DATA_DIR, version=data.version(site), citation=citation, structured=script_json(found),
                         in_calendar=in_calendar, left_out=len(site.events) - in_calendar, feeds=bool(site.config.base_url))

    def data_file(self, name: str) -> bytes:
        config = self.site.config
        return data.download(name, self.site, config.absolute(self.here(data.DATA_DIR)), config.absolute(self.here("")) or "",
                             self.messages.gettext)

    def feed(self, category: Category | None) -> bytes:
        """The edition's Atom feed of every event, or of one category's."""
        site, config = self.site, self.site.config
        page = category.url if category else ""
        events = site.events_in(category) if category else site.events
        title = f"{category.label} · {config.title}" if category else config.title
        dates = {day for event in events for day in (event.date, event.end_date, *(c.date for c in event.corrections)) if day}
        absolute = config.absolute
        return feeds.atom(config, events, title, absolute(self.here(page + feeds.FEED)) or "", absolute(self.here(page)) or "",
                          absolute(self.here("")) or "", {day: self.messages.date(day) for day in dates})

    def share_card(self, event: Event | None) -> bytes:
        """The 1200×630 picture shown when a page is shared (the home page's when `event` is None)."""
        return self.caches.cards.png(self.card_scene(event))

    def card_scene(self, event: Event | None) -> dict[str, Any]:
        """What a share card shows, as a Vega scene: cheap to make, costly to draw."""
        site, messages = self.site, self.messages
        if event is None:
            first, last = site.events[0], max(site.events, key=lambda e: e.last_day)
            # The wide still the build draws anyway (scaled to the card's height, drawing it at the card's width changed
            # nothing but the margin on the right, for 0.3-0.9 s more per build).
            still = charts.static_svg(site, self.timeline, messages, self.caches.compiler, STILL_IMAGES["wide"][1])
            return cards.home_card(site, f"{messages.gettext('Timeline')} · {messages.span(first.date, last.end_date or last.date)}", still)
        category = site.config.category(event.category)
        kicker = f"{category.label} · {messages.span(event.date, event.end_date)}"
        return cards.event_card(site, event, category, kicker, self.caches.cards)

    def here(self, url: str) -> str:
        """`url` in this renderer's edition (under its language folder, if any)."""
        assert self.edition is not None
        return self.edition.path(url)

    def sitemap(self) -> bytes:
        """Every page of every edition, each with its translations as alternates."""
        site, config = self.site, self.site.config
        keys = [""] + [e.url for e in site.events] + [c.url for c in config.categories] + [p.url for p in site.pages] + [data.DATA_DIR]
        keys += [year.url for year in site.year_pages]
        keys += [FIGURES_DIR] if site.figures else []
        all_editions = editions(config)
        entries = [(config.absolute(edition.path(key)), [(other.language, config.absolute(other.path(key))) for other in all_editions])
                   for key in keys for edition in all_editions]
        return self.page("sitemap.xml", "sitemap.xml", entries=entries, alternates_shown=len(all_editions) > 1)

    def robots(self) -> bytes:
        return self.page("robots.txt", "robots.txt", sitemap=self.site.config.absolute("sitemap.xml"))

    def not_found(self) -> bytes:
        return self.page("404.html", "404.html", absolute=True)


def template_frames(error: BaseException) -> list[tuple[str, int]]:
    """The template lines an error passed through, outermost first."""
    frames, frame = [], error.__traceback__
    while frame is not None:
        name = frame.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt")):
            frames.append((name, frame.tb_lineno))
        frame = frame.tb_next
    return frames


def site_frames(error: BaseException) -> list[tuple[str, int]]:
    """The lines of the site's own templates/ an error passed through: a site template that
    hands a theme partial a wrong value is at fault, not the partial."""
    return [(name, line) for name, line in template_frames(error) if not Path(name).is_relative_to(THEME_ROOT)]


def site_template_problem(error: Exception) -> Problem | None:
    """A Python error raised by an expression in one of the site's own templates/, reported
    at that template's line; None when no site template is on the way (a generator bug)."""
    frames = site_frames(error)
    if not frames:
        return None
    if isinstance(error, RecursionError):
        message = "a template includes or extends itself, directly or through others"
    else:
        message = f"{type(error).__name__}: {error}".rstrip(": ")
    name, line = frames[-1]
    return Problem(display_path(Path(name)), line, 1, "", f"template error: {message}")


def template_problem(error: TemplateError, template: str) -> Problem:
    """A broken template reported like a broken event: file, line, message."""
    filename = getattr(error, "filename", None)
    line = getattr(error, "lineno", None)
    if line is None:  # a runtime error: the innermost site template line, else the innermost template's
        frames = site_frames(error) or template_frames(error)
        if frames:
            filename, line = frames[-1]
    shown = display_path(Path(filename)) if filename else f"templates/{template}"
    return Problem(shown, line or 1, 1, "", f"template error: {error.message or type(error).__name__}")
