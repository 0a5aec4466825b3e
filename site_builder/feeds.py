"""Atom feeds (RFC 4287): one for every event of an edition, one per category.

An entry's id is its page's address, which never changes, and its `updated` is the
event's own revision date or its latest correction: a rebuild never moves it. Without a
base URL there are no absolute addresses to give, so there are no feeds (as for the sitemap).
"""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

from .model import Event, PartialDate, SiteConfig

ATOM = "http://www.w3.org/2005/Atom"
FEED = "feed.xml"


def entry_updated(event: Event) -> date:
    """The revision date; failing that the latest dated source; failing that the event's date."""
    if event.last_updated:
        return event.last_updated.last_day
    dated = [source.date for source in event.sources if source.date]
    if dated:
        return max(dated, key=lambda day: day.last_day).last_day
    return event.date.first_day


def rfc3339(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom(config: SiteConfig, events: tuple[Event, ...], title: str, self_url: str, page_url: str, site_url: str,
         when: dict[PartialDate, str]) -> bytes:
    """The feed at `self_url` for the page at `page_url`; `when` gives each date in words."""
    ElementTree.register_namespace("", ATOM)

    def add(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = text
        return element

    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"xml:lang": config.language})
    add(feed, "id", self_url)
    add(feed, "title", title)
    add(feed, "subtitle", config.standfirst)
    add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    add(feed, "link", rel="alternate", type="text/html", href=page_url)
    newest = max((entry_updated(event) for event in events), default=None)
    add(feed, "updated", rfc3339(newest) if newest else "1970-01-01T00:00:00Z")
    author = add(feed, "author")
    add(author, "name", config.publisher or config.title)
    add(author, "uri", site_url)
    if config.licence:
        add(feed, "rights", config.licence.title)
    add(feed, "generator", "site-builder")
    for event in sorted(events, key=lambda e: (entry_updated(e), e.slug), reverse=True):
        entry = add(feed, "entry")
        address = site_url + event.url
        add(entry, "id", address)
        add(entry, "title", event.title)
        add(entry, "link", rel="alternate", type="text/html", href=address)
        add(entry, "updated", rfc3339(entry_updated(event)))
        category = config.category(event.category)
        add(entry, "category", term=category.key, label=category.label)
        lines = [when[event.date] + (f" – {when[event.end_date]}" if event.end_date else ""), event.summary]
        lines += [f"{when[correction.date]}: {correction.text}" for correction in event.corrections]
        add(entry, "summary", "\n\n".join(lines), type="text")
    ElementTree.indent(feed)
    document: bytes = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
