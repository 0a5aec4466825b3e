"""The site's data as plain, immutable objects: what validation produces and rendering reads.

Nothing here knows about YAML or HTML. Dates keep the precision the contributor wrote,
because a timeline that prints "1 August 2025" for an event reported only as "August 2025"
invents a fact.
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote, urlencode, urlsplit

from .theme import Theme

if TYPE_CHECKING:
    from .editions import Localised
    from .figures import Figure

Precision = Literal["year", "month", "day"]
Day = date  # for annotations inside classes whose field `date` hides the type


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        if self.day is not None:
            return self.first_day
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def iso(self) -> str:
        """The value as written: 2025, 2025-08 or 2025-08-21 (also valid in <time datetime>)."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Coarser dates sort before finer ones of the same period: 'August' precedes '21 August'."""
        return (self.year, self.month or 0, self.day or 0)

    def __str__(self) -> str:
        return self.iso


def page_file(url: str) -> str:
    """The file that serves a folder URL: 'events/x/' is written as 'events/x/index.html'."""
    return f"{url}index.html"


Translations = tuple[tuple[str, "Translation"], ...]  # (language, text) pairs: hashable, comparable


@dataclass(frozen=True)
class Translation:
    """Reader-facing text of one object in one language; fields it does not translate are None."""

    title: str | None = None
    label: str | None = None
    short_title: str | None = None
    standfirst: str | None = None
    summary: str | None = None
    description: str | None = None
    body: str | None = None
    nav_title: str | None = None
    location: str | None = None
    actors: tuple[str, ...] | None = None
    documents: tuple[str, ...] | None = None
    tags: tuple[str, ...] | None = None
    path: str = ""  # the file it came from, when it has one of its own (a content page's translation)


def find_translation(translations: Translations, language: str) -> Translation | None:
    return next((text for code, text in translations if code == language), None)


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    colour: str
    description: str = ""
    translations: Translations = ()

    @property
    def url(self) -> str:
        return f"categories/{self.key}/"


@dataclass(frozen=True)
class Source:
    """A cited article or document, as the version that was read."""

    title: str | None  # the headline as published, in the source's language; None when it could not be read
    publisher: str
    url: str
    date: PartialDate | None = None
    language: str | None = None  # of the page the URL opens
    translated_title: str | None = None  # the headline in the site's default language, always shown as a translation

    @property
    def name(self) -> str:
        """What to call it where one name is wanted (structured data, citations)."""
        return self.title or self.translated_title or self.url


@dataclass(frozen=True)
class Correction:
    """A dated correction of an event, shown on its page and carried into feeds and data."""

    date: PartialDate
    text: str


@dataclass(frozen=True)
class Legislation:
    """The legal instrument an event issues or passes, for structured data (schema.org Legislation)."""

    identifier: str  # e.g. 57-NQ/TW
    passed_by: str


EventKind = Literal["event", "target"]
LANDMARK = 1  # the importance of events labelled on the chart
LABEL_LENGTH = 28  # the longest chart annotation, in characters
LEDE_LENGTH = 220  # the longest one-line summary in lists, in characters
LEDE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ỸĐ\"“«‘(])")  # a sentence ends where the next begins with a capital


@dataclass(frozen=True)
class Event:
    """One dated happening (or, with kind 'target', a dated goal) and the sources that report it."""

    slug: str
    path: str  # as shown in error messages (relative to the current folder when inside it)
    title: str
    date: PartialDate
    category: str
    summary: str
    sources: tuple[Source, ...]
    end_date: PartialDate | None = None
    label: str | None = None
    kind: EventKind = "event"
    importance: int = 2
    body: str = ""
    tags: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    location: str | None = None
    documents: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    legislation: Legislation | None = None
    organizers: tuple[str, ...] = ()
    updated: PartialDate | None = None  # when the entry was written or last revised
    order: int | None = None  # among events on the same day (1 first); unordered ones follow
    corrections: tuple[Correction, ...] = ()
    file: str = ""  # relative to the site folder, e.g. events/2025-01-13-conference.yaml
    translations: Translations = ()
    text_language: str | None = None  # set in an edition whose translation is missing: the language shown instead
    marks: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def sort_key(self) -> tuple[tuple[int, int, int], int, str]:
        """Date, then the stated order within a day, then the slug: one order everywhere
        (lists, the chart, previous and next)."""
        return (self.date.sort_key, self.order or 10, self.slug)

    @property
    def url(self) -> str:
        return f"events/{self.slug}/"

    @property
    def is_landmark(self) -> bool:
        """Landmarks are annotated on the chart and stressed in lists."""
        return self.importance == LANDMARK

    @property
    def is_target(self) -> bool:
        """A dated goal rather than something that happened: drawn hollow, never an outcome."""
        return self.kind == "target"

    @property
    def is_span(self) -> bool:
        return self.end_date is not None

    @property
    def last_day(self) -> Day:
        return (self.end_date or self.date).last_day

    @property
    def last_updated(self) -> PartialDate | None:
        """The entry's own revision date or its latest correction, whichever is later."""
        dates = [self.updated] if self.updated else []
        dates += [correction.date for correction in self.corrections]
        return max(dates, key=lambda day: day.last_day) if dates else None

    @property
    def lede(self) -> str:
        """The summary's first sentence: the one line a list shows under the title."""
        first = LEDE_END.split(self.summary, maxsplit=1)[0]
        return first if len(first) <= LEDE_LENGTH else first[: LEDE_LENGTH - 1].rstrip(" ,;:") + "…"

    @property
    def chart_label(self) -> str:
        """What the chart writes beside a landmark: the short label, else the title, shortened."""
        if self.label:
            return self.label
        return self.title if len(self.title) <= LABEL_LENGTH else self.title[: LABEL_LENGTH - 1].rstrip() + "…"


@dataclass(frozen=True)
class Era:
    """A labelled stretch of time drawn as a background band behind the timeline."""

    label: str
    start: PartialDate
    end: PartialDate
    translations: Translations = ()


@dataclass(frozen=True)
class Licence:
    name: str  # SPDX identifier, e.g. CC-BY-4.0
    title: str
    url: str


@dataclass(frozen=True)
class SiteConfig:
    title: str
    standfirst: str
    language: str  # the language pages are written in: the default one, or in an edition its own
    categories: tuple[Category, ...]
    languages: tuple[str, ...] = ()  # every edition's language, the default first
    translations: Translations = ()
    base_url: str | None = None  # None: not known yet (the deployment supplies it)
    repository_url: str | None = None
    eras: tuple[Era, ...] = ()
    short_title: str = ""
    repository_branch: str = "main"
    publisher: str = ""
    licence: Licence | None = None
    citation: str = ""
    share_cards: str = "events"  # formats.SHARE_CARDS: a card per event, or the home page's for every page

    def category(self, key: str) -> Category:
        return self._categories[key]

    @cached_property
    def _categories(self) -> dict[str, Category]:
        return {category.key: category for category in self.categories}

    @property
    def category_keys(self) -> tuple[str, ...]:
        return tuple(category.key for category in self.categories)

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else self.language

    @property
    def editions(self) -> tuple[str, ...]:
        return self.languages or (self.language,)

    @property
    def base_path(self) -> str:
        """The path the site is served under ('/' when the base URL is unknown)."""
        return urlsplit(self.base_url).path or "/" if self.base_url else "/"

    def absolute(self, url: str) -> str | None:
        """A page's public address, or None while the base URL is unknown."""
        return self.base_url + url if self.base_url else None

    def edit_url(self, event: Event) -> str | None:
        """Where a contributor edits the event's file, when the repository is known."""
        if not self.repository_url:
            return None
        return f"{self.repository_url}/edit/{self.repository_branch}/{event.file}"

    def correction_url(self, event: Event, title: str) -> str | None:
        """The issue form for reporting a correction, pre-filled with `title` and the event."""
        if not self.repository_url:
            return None
        query = urlencode({"template": "correction.yml", "title": title, "event": event.slug}, quote_via=quote)
        return f"{self.repository_url}/issues/new?{query}"


@dataclass(frozen=True)
class Page:
    """A Markdown page from content/, such as About."""

    slug: str
    path: str
    title: str
    description: str
    body_markdown: str
    order: int = 100
    nav_title: str = ""
    translations: Translations = ()
    text_language: str | None = None  # as Event.text_language

    @property
    def url(self) -> str:
        return f"{self.slug}/"

    @property
    def menu_entry(self) -> tuple[str, str, str, int]:
        """What every page shows of this one (the menu and the footer)."""
        return (self.slug, self.title, self.nav_title, self.order)


LIST_ON_HOME_LIMIT = 300  # events: past this many the full list moves from the home page to a page per year


def by_year(events: Iterable[Event]) -> list[tuple[int, list[Event]]]:
    """Events (already in date order) under their years: the home list's headings and the year pages."""
    return [(year, list(group)) for year, group in itertools.groupby(events, key=lambda event: event.date.year)]


@dataclass(frozen=True)
class Year:
    """One calendar year's events, on a page of their own when the site is large."""

    number: int
    events: tuple[Event, ...]  # in date order; an event spanning years belongs to the year it starts

    @property
    def url(self) -> str:
        return f"years/{self.number}/"


@dataclass(frozen=True)
class Neighbours:
    """What an event page shows of other events; its page changes when any of these do."""

    previous: Event | None
    next: Event | None
    related: tuple[Event, ...]


@dataclass(frozen=True)
class Site:
    """Everything a build needs, loaded and validated: the input of rendering."""

    root: Path
    config: SiteConfig
    events: tuple[Event, ...]  # sorted by date, then slug
    pages: tuple[Page, ...]  # sorted by order, then slug
    figures: tuple[Figure, ...] = ()  # key figures, in the order the Key figures page shows them
    theme: Theme = field(default_factory=Theme)

    @cached_property
    def _position(self) -> dict[str, int]:
        return {event.slug: index for index, event in enumerate(self.events)}

    def neighbours(self, event: Event) -> Neighbours:
        """The event's previous and next event in time, and the events it names as related.
        Worked out for one event when asked: after an edit the preview server asks for one
        page's, and making them for 10,000 events took 20 ms of it."""
        events, index = self.events, self._position[event.slug]
        return Neighbours(previous=events[index - 1] if index > 0 else None,
                          next=events[index + 1] if index + 1 < len(events) else None,
                          related=tuple(self.event(slug) for slug in event.related))

    @cached_property
    def _by_category(self) -> dict[str, tuple[Event, ...]]:
        members: dict[str, list[Event]] = {key: [] for key in self.config.category_keys}
        for event in self.events:
            members[event.category].append(event)
        return {key: tuple(events) for key, events in members.items()}

    def events_in(self, category: Category) -> tuple[Event, ...]:
        return self._by_category[category.key]

    @cached_property
    def _figures_by_event(self) -> dict[str, tuple[Figure, ...]]:
        shown: dict[str, list[Figure]] = {}
        for figure in self.figures:
            for slug in figure.events:
                shown.setdefault(slug, []).append(figure)
        return {slug: tuple(figures) for slug, figures in shown.items()}

    @cached_property
    def _by_slug(self) -> dict[str, Event]:
        return {event.slug: event for event in self.events}

    def event(self, slug: str) -> Event:
        """The event with this slug (validation has checked that every slug named exists)."""
        return self._by_slug[slug]

    def figures_of(self, event: Event) -> tuple[Figure, ...]:
        """The key figures shown on the event's page."""
        return self._figures_by_event.get(event.slug, ())

    def setters(self, figures: tuple[Figure, ...]) -> tuple[Event, ...]:
        """The events that set these figures' targets: their pages name them, so depend on them."""
        return tuple(self.event(slug) for figure in figures for slug in figure.set_by)

    @property
    def list_on_home(self) -> bool:
        """Whether the home page lists every event: past a few hundred the list makes it slow to
        load and to scroll on a phone, so the events move to `year_pages` and the home page links there."""
        return len(self.events) <= LIST_ON_HOME_LIMIT

    @cached_property
    def year_pages(self) -> tuple[Year, ...]:
        """Each year that has events, in order, when the site is too large to list them on the home page; else none."""
        if self.list_on_home:
            return ()
        return tuple(Year(number, tuple(events)) for number, events in by_year(self.events))

    def around(self, year: Year) -> tuple[Year | None, Year | None]:
        """The year pages before and after `year`: its page links to them, so depends on them."""
        index = self.year_pages.index(year)
        pages = (None, *self.year_pages, None)
        return pages[index], pages[index + 2]

    @property
    def menu(self) -> tuple[tuple[str, str, str, int], ...]:
        return tuple(page.menu_entry for page in self.pages)

    def edition(self, language: str, localised: Localised | None = None) -> Site:
        """The site as its `language` edition shows it: translated where translations exist
        (`localised` keeps the translations of records that did not change since the last site)."""
        from .editions import localize_site

        if language == self.config.default_language:
            return self  # not kept in itself: a site referring to itself would be freed only by a full garbage collection
        kept: dict[str, Site] = self.__dict__.setdefault("_editions", {})
        if language not in kept:
            kept[language] = localize_site(self, language, localised)
        return kept[language]
