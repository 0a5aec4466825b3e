"""The timeline as data to take away: events.csv, sources.csv, events.json, a Frictionless
datapackage.json describing them, and an iCalendar file of the events dated to the day.

Every column is declared once in EVENT_COLUMNS (name, type, description, value), so the
CSV, the JSON and the table schema cannot disagree. Dates keep their precision: '2025-08'
stays a month, so date columns are strings with a pattern rather than Frictionless dates.
Nothing depends on the build's clock: the dataset's version is the date of its latest
revision, and calendar stamps are the events' own dates.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import Any
from urllib.parse import urlsplit

from .model import Event, PartialDate, Site

DATE_PATTERN = r"\d{4}(-\d{2}(-\d{2})?)?"
LIST_SEPARATOR = "; "  # lists (actors, documents …) in one CSV cell
DATA_DIR = "data/"
CALENDAR = "events.ics"
DOWNLOADS = {"events.csv": "text/csv", "sources.csv": "text/csv", "events.json": "application/json", "figures.csv": "text/csv",
             "datapackage.json": "application/json", CALENDAR: "text/calendar"}  # the files in data/, by media type


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless field type
    description: str
    value: Callable[..., Any]  # (event, site) for events, (event, position, source) for sources
    pattern: str | None = None


def _date(value: PartialDate | None) -> str | None:
    return value.iso if value else None


def _joined(items: tuple[str, ...]) -> str:
    return LIST_SEPARATOR.join(items)


EVENT_COLUMNS = (
    Column("slug", "string", "Identifier of the event, also its file name and the last part of its page address", lambda e, s: e.slug),
    Column("title", "string", "Headline of the event", lambda e, s: e.title),
    Column("label", "string", "Short chart label of a landmark", lambda e, s: e.label or ""),
    Column("date", "string", "When it happened: YYYY, YYYY-MM or YYYY-MM-DD, at the precision the sources give", lambda e, s: e.date.iso,
           DATE_PATTERN),
    Column("date_precision", "string", "year, month or day", lambda e, s: e.date.precision),
    Column("end_date", "string", "For events that lasted: when they ended", lambda e, s: _date(e.end_date) or "", f"({DATE_PATTERN})?"),
    Column("category", "string", "Category key (site.yaml)", lambda e, s: e.category),
    Column("category_label", "string", "Category name", lambda e, s: s.config.category(e.category).label),
    Column("kind", "string", "event, or target for a dated goal", lambda e, s: e.kind),
    Column("importance", "integer", "1 landmark, 2 normal, 3 minor", lambda e, s: e.importance),
    Column("summary", "string", "One-paragraph summary", lambda e, s: e.summary),
    Column("body", "string", "Longer account (Markdown)", lambda e, s: e.body),
    Column("location", "string", "Where it happened", lambda e, s: e.location or ""),
    Column("actors", "string", f"People and organisations involved, separated by '{LIST_SEPARATOR}'", lambda e, s: _joined(e.actors)),
    Column("documents", "string", f"Legal instruments, separated by '{LIST_SEPARATOR}'", lambda e, s: _joined(e.documents)),
    Column("tags", "string", f"Keywords, separated by '{LIST_SEPARATOR}'", lambda e, s: _joined(e.tags)),
    Column("related", "string", f"Slugs of related events, separated by '{LIST_SEPARATOR}'", lambda e, s: _joined(e.related)),
    Column("updated", "string", "When the entry was last revised or corrected", lambda e, s: _date(e.last_updated) or "", f"({DATE_PATTERN})?"),
    Column("corrections", "string", "Dated corrections, 'YYYY-MM-DD: text', separated by ' | '",
           lambda e, s: " | ".join(f"{c.date.iso}: {c.text}" for c in e.corrections)),
    Column("sources", "integer", "How many sources the event cites (see sources.csv)", lambda e, s: len(e.sources)),
    Column("language", "string", "Language of this row's text", lambda e, s: e.text_language or s.config.language),
)

SOURCE_COLUMNS = (
    Column("event", "string", "Slug of the event that cites the source", lambda e, i, s: e.slug),
    Column("position", "integer", "Order of the source on the event page (1 is first)", lambda e, i, s: i),
    Column("title", "string", "Headline of the cited article or document, as published (blank when it could not be read)",
           lambda e, i, s: s.title or ""),
    Column("translated_title", "string", "The headline translated into the dataset's language, when the source is in another",
           lambda e, i, s: s.translated_title or ""),
    Column("publisher", "string", "Who published it", lambda e, i, s: s.publisher),
    Column("url", "string", "Where it can be read", lambda e, i, s: s.url),
    Column("date", "string", "Publication date, at the precision known", lambda e, i, s: _date(s.date) or "", f"({DATE_PATTERN})?"),
    Column("language", "string", "Language of the cited version", lambda e, i, s: s.language or ""),
)


FIGURE_COLUMNS = (
    Column("figure", "string", "Identifier of the measure (its file name in figures/)", lambda f, r, n: f.slug),
    Column("position", "integer", "Order of the value within its measure (1 is the oldest)", lambda f, r, n: n),
    Column("measure", "string", "What is measured", lambda f, r, n: f.title),
    Column("unit", "string", "count, percent, percent-of-gdp, rank or usd-billion", lambda f, r, n: f.unit),
    Column("kind", "string", "measurement, or target for a goal", lambda f, r, n: r.kind),
    Column("value", "number", "The number, without its unit", lambda f, r, n: r.value),
    Column("qualifier", "string", "As the source words it: about, nearly, more-than, at-least, at-most (for a rank: top N)",
           lambda f, r, n: r.qualifier or ""),
    Column("out_of", "string", "For a rank: of how many", lambda f, r, n: str(r.out_of) if r.out_of else ""),
    Column("as_of", "string", "The date the value refers to (a target's deadline), at its precision", lambda f, r, n: r.as_of.iso, DATE_PATTERN),
    Column("set_by", "string", "For a target: the slug of the event that set it", lambda f, r, n: r.set_by or ""),
    Column("sources", "string", f"Addresses of the sources that report the value, separated by '{LIST_SEPARATOR}'",
           lambda f, r, n: _joined(tuple(s.url for s in r.sources))),
)


def figures_csv(site: Site) -> bytes:
    """One row per value of every key figure, measurements and targets alike."""
    rows = [[c.value(figure, reading, n) for c in FIGURE_COLUMNS]
            for figure in site.figures for n, reading in enumerate(figure.readings, start=1)]
    return _csv([c.name for c in FIGURE_COLUMNS], rows)


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def events_csv(site: Site) -> bytes:
    return _csv([c.name for c in EVENT_COLUMNS], [[c.value(event, site) for c in EVENT_COLUMNS] for event in site.events])


def sources_csv(site: Site) -> bytes:
    rows = [[c.value(event, position, source) for c in SOURCE_COLUMNS]
            for event in site.events for position, source in enumerate(event.sources, start=1)]
    return _csv([c.name for c in SOURCE_COLUMNS], rows)


def events_json(site: Site) -> bytes:
    """Every event with every field, its sources nested: for code that wants the structure."""
    records = []
    for event in site.events:
        record = {c.name: c.value(event, site) for c in EVENT_COLUMNS if c.name not in ("sources", "corrections")}
        for name in ("actors", "documents", "tags", "related"):
            record[name] = list(getattr(event, name))
        record["corrections"] = [{"date": c.date.iso, "text": c.text} for c in event.corrections]
        record["sources"] = [{"title": s.title, "translated_title": s.translated_title, "publisher": s.publisher, "url": s.url,
                              "date": _date(s.date), "language": s.language}
                             for s in event.sources]
        records.append(record)
    return (json.dumps({"events": records}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def version(site: Site) -> str:
    """The dataset's version: the date of its latest revision, as its feed gives it (no build clock)."""
    return version_date(site).iso


def version_date(site: Site) -> PartialDate:
    """The date of the site's latest revision: the home page's 'last updated'."""
    from .feeds import entry_updated

    day = max((entry_updated(event) for event in site.events), default=date(1970, 1, 1))
    return PartialDate(day.year, day.month, day.day)


def citation(site: Site, url: str, gettext: Callable[..., str]) -> str:
    config = site.config
    if config.citation:
        return config.citation.replace("{title}", config.title).replace("{version}", version(site)).replace("{url}", url)
    return gettext("%(title)s. Dataset, version %(version)s. %(url)s", title=config.title, version=version(site), url=url).strip()


def _schema(columns: tuple[Column, ...], key: list[str]) -> dict[str, Any]:
    fields = []
    for column in columns:
        field: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.description}
        if column.pattern:
            field["constraints"] = {"pattern": column.pattern}
        fields.append(field)
    return {"fields": fields, "primaryKey": key}


def datapackage(site: Site, page_url: str | None, gettext: Callable[..., str]) -> bytes:
    """A Frictionless data package (v1 descriptor) describing the three files beside it."""
    config = site.config
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": _name(config.short_title or config.title),
        "title": config.title,
        "description": config.standfirst,
        "version": version(site),
        "contributors": [{"title": config.publisher, "role": "publisher"}],
        "sources": [{"title": "The sources each event cites, listed in sources.csv", "path": "sources.csv"}],
        "citation": citation(site, page_url or "", gettext),
        "resources": [
            {"name": "events", "path": "events.csv", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8", "schema": _schema(EVENT_COLUMNS, ["slug"])},
            {"name": "sources", "path": "sources.csv", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8", "schema": {**_schema(SOURCE_COLUMNS, ["event", "position"]),
                                             "foreignKeys": [{"fields": ["event"], "reference": {"resource": "events", "fields": ["slug"]}}]}},
            {"name": "figures", "path": "figures.csv", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8", "description": "Key figures: measurements and targets, one row per value",
             "schema": _schema(FIGURE_COLUMNS, ["figure", "position"])},
            {"name": "events-json", "path": "events.json", "format": "json", "mediatype": "application/json", "encoding": "utf-8",
             "description": "The same events with every field, their sources nested and lists as lists"},
        ],
    }
    if page_url:
        package["homepage"] = page_url
    if config.licence:
        package["licenses"] = [{"name": config.licence.name, "title": config.licence.title, "path": config.licence.url}]
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _name(text: str) -> str:
    from slugify import slugify

    return slugify(text) or "timeline"


def in_calendar(event: Event) -> bool:
    """Only what happened on known days: month- and year-precision events and targets are left out."""
    return event.date.precision == "day" and not event.is_target and (event.end_date is None or event.end_date.precision == "day")


def calendar(site: Site, page_url: str) -> bytes:
    """The day-precision events as all-day iCalendar events (spans over several days)."""
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    config = site.config
    host = urlsplit(config.base_url).hostname if config.base_url else None
    cal = Calendar()
    cal.add("prodid", "-//site-builder//timeline//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", config.title)
    for event in site.events:
        if not in_calendar(event):
            continue
        entry = CalendarEvent()
        entry.add("uid", f"{event.slug}@{host or _name(config.short_title or config.title)}")
        stamp = event.last_updated.first_day if event.last_updated else event.date.first_day
        entry.add("dtstamp", _utc_midnight(stamp))
        entry.add("dtstart", event.date.first_day)
        entry.add("dtend", event.last_day + timedelta(days=1))  # the end of an all-day event is exclusive
        entry.add("summary", event.title)
        entry.add("description", event.summary)
        if page_url:
            entry.add("url", page_url + event.url)
        entry.add("categories", [config.category(event.category).label])
        cal.add_component(entry)
    return bytes(cal.to_ical())


def _utc_midnight(day: date) -> Any:
    from datetime import datetime

    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def event_citation(event: Event, publisher: str, site_title: str, url: str, when: str, updated: str | None,
                   gettext: Callable[..., str]) -> str:
    """A plain citation of one event's page: who, what, where, when (worded by the catalogue)."""
    text = gettext("%(publisher)s. “%(title)s”. %(site)s, %(date)s.", publisher=publisher, title=event.title, site=site_title, date=when)
    if updated:
        text += " " + gettext("Last updated %(date)s.", date=updated)
    return f"{text} {url}".strip()


BIBTEX_SPECIAL = str.maketrans({char: f"\\{char}" for char in "&%$#_{}"})


def bibtex(event: Event, publisher: str, site_title: str, url: str, updated: PartialDate | None, gettext: Callable[..., str]) -> str:
    """The event's page as a BibTeX @misc entry (special characters escaped)."""
    def field(text: str) -> str:
        return text.translate(BIBTEX_SPECIAL)

    lines = [f"@misc{{{event.slug},", f"  author = {{{{{field(publisher)}}}}},", f"  title = {{{field(event.title)}}},",
             f"  howpublished = {{{field(site_title)}}},", f"  year = {{{event.date.year}}},"]
    if updated:
        lines.append(f"  note = {{{field(gettext('Last updated %(date)s.', date=updated.iso))}}},")
    if url:
        lines.append(f"  url = {{{url}}},")
    return "\n".join(lines) + "\n}"


def download(name: str, site: Site, page_url: str | None, site_url: str, gettext: Callable[..., str]) -> bytes:
    """One of DOWNLOADS, for the Data page at `page_url` of the site at `site_url`."""
    makers: dict[str, Callable[[], bytes]] = {
        "events.csv": lambda: events_csv(site), "sources.csv": lambda: sources_csv(site), "events.json": lambda: events_json(site),
        "figures.csv": lambda: figures_csv(site), "datapackage.json": lambda: datapackage(site, page_url, gettext), CALENDAR: lambda: calendar(site, site_url),
    }
    return makers[name]()
