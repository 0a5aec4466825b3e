"""The site's data as plain, immutable objects: what validation produces and rendering reads.

Nothing here knows about YAML or HTML. Dates keep the precision the contributor wrote,
because a timeline that prints "1 August 2025" for an event reported only as "August 2025"
invents a fact.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

Precision = Literal["year", "month", "day"]


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


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    colour: str
    description: str = ""


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    url: str
    date: PartialDate | None = None
    language: str | None = None


EventKind = Literal["event", "target"]


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
    file: str = ""  # relative to the site folder, e.g. events/2025-01-13-conference.yaml
    marks: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def sort_key(self) -> tuple[tuple[int, int, int], str]:
        return (self.date.sort_key, self.slug)

    @property
    def url(self) -> str:
        return f"events/{self.slug}/"

    @property
    def chart_label(self) -> str:
        """What the chart writes beside a landmark: the short label, else the title, shortened."""
        if self.label:
            return self.label
        return self.title if len(self.title) <= 28 else self.title[:27].rstrip() + "…"


@dataclass(frozen=True)
class Era:
    """A labelled stretch of time drawn as a background band behind the timeline."""

    label: str
    start: PartialDate
    end: PartialDate


@dataclass(frozen=True)
class SiteConfig:
    title: str
    standfirst: str
    language: str
    base_url: str
    repository_url: str | None
    categories: tuple[Category, ...]
    eras: tuple[Era, ...] = ()
    short_title: str = ""
    repository_branch: str = "main"

    def category(self, key: str) -> Category:
        return next(category for category in self.categories if category.key == key)

    @property
    def category_keys(self) -> tuple[str, ...]:
        return tuple(category.key for category in self.categories)


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

    @property
    def url(self) -> str:
        return f"{self.slug}/"


@dataclass(frozen=True)
class Site:
    """Everything a build needs, loaded and validated: the input of rendering."""

    root: Path
    config: SiteConfig
    events: tuple[Event, ...]  # sorted by date, then slug
    pages: tuple[Page, ...]  # sorted by order, then slug
