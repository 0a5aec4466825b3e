"""schema.org structured data (JSON-LD) for search engines: `Legislation` for an event that
issues or passes a resolution, law or decree; `Event` for an occasion with a place (a
conference, a meeting); `Article` for any other timeline entry; `WebSite` on the home
page; `Dataset` on the Data page.

Only what the site knows goes in: no property is guessed. Addresses are absolute, so
without a base URL the pages carry no `url`.
"""

from __future__ import annotations

from typing import Any

from .model import Event, PartialDate, Site, SiteConfig

CONTEXT = "https://schema.org"


def _organization(name: str) -> dict[str, str]:
    return {"@type": "Organization", "name": name}


def _date(value: PartialDate) -> str:
    return value.iso  # ISO 8601 at its own precision: 2025, 2025-08 or 2025-08-21


def _common(config: SiteConfig, url: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"@context": CONTEXT, "inLanguage": config.language}
    if url:
        found["url"] = url
    return found


def event_data(event: Event, config: SiteConfig, url: str | None) -> dict[str, Any]:
    found = _common(config, url)
    found["name"] = event.title
    found["description"] = event.summary
    if event.legislation:
        found["@type"] = "Legislation"
        found["legislationIdentifier"] = event.legislation.identifier
        found["legislationDate"] = _date(event.date)
        found["legislationPassedBy"] = _organization(event.legislation.passed_by)
        named = [document for document in event.documents if event.legislation.identifier in document]
        if named:
            found["alternateName"] = named[0]
    elif event.location and not event.is_target:
        found["@type"] = "Event"
        found["startDate"] = _date(event.date)
        if event.end_date:
            found["endDate"] = _date(event.end_date)
        found["location"] = {"@type": "Place", "name": event.location}
        found["eventStatus"] = "https://schema.org/EventScheduled"
        if event.organizers:
            found["organizer"] = [_organization(name) for name in event.organizers]
    else:
        found["@type"] = "Article"
        found["headline"] = event.title
        found["about"] = {"@type": "Thing", "name": event.title}
        found["temporalCoverage"] = _date(event.date) + (f"/{_date(event.end_date)}" if event.end_date else "")
        found["publisher"] = _organization(config.publisher)
    if event.last_updated:
        found["dateModified"] = _date(event.last_updated)
    found["citation"] = [{"@type": "CreativeWork", "name": source.name, "url": source.url} for source in event.sources]
    return found


def website_data(config: SiteConfig, url: str | None) -> dict[str, Any]:
    found = _common(config, url)
    found.update({"@type": "WebSite", "name": config.title, "alternateName": config.short_title, "description": config.standfirst,
                  "publisher": _organization(config.publisher)})
    return found


def dataset_data(site: Site, url: str | None, version: str, citation: str, files: dict[str, str]) -> dict[str, Any]:
    """`files` maps each download's address to its media type."""
    config = site.config
    found = _common(config, url)
    found.update({"@type": "Dataset", "name": config.title, "description": config.standfirst, "version": version,
                  "creator": _organization(config.publisher), "publisher": _organization(config.publisher),
                  "isAccessibleForFree": True, "citation": citation,
                  "distribution": [{"@type": "DataDownload", "contentUrl": address, "encodingFormat": kind} for address, kind in files.items()]})
    if site.events:
        first, last = site.events[0].date, max(site.events, key=lambda event: event.last_day)
        found["temporalCoverage"] = f"{_date(first)}/{_date(last.end_date or last.date)}"
    if config.licence:
        found["license"] = config.licence.url
    return found
