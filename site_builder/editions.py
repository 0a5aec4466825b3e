"""Language editions: the same site in each language listed in site.yaml, the first at the
root and the others under /<lang>/, with the same slugs.

An edition is the validated Site with every reader-facing text replaced by its translation.
Where a translation is missing (or lacks a field the default text has), the edition keeps
the default-language text and records it in `text_language`, so the page says so in one
line and marks the block with its real `lang`: never a silent fallback.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .model import Category, Era, Event, Page, Site, SiteConfig, Translation, find_translation

EVENT_TEXT = ("title", "label", "summary", "body", "location", "actors", "documents", "tags")
PAGE_TEXT = ("title", "nav_title", "description", "body")
SITE_TEXT = ("title", "short_title", "standfirst")


@dataclass(frozen=True)
class Edition:
    """Where an edition lives: the default at the root, the others under '<language>/'."""

    language: str
    default: str

    @property
    def is_default(self) -> bool:
        return self.language == self.default

    @property
    def prefix(self) -> str:
        return "" if self.is_default else f"{self.language}/"

    def path(self, url: str) -> str:
        return self.prefix + url


def editions(config: SiteConfig) -> list[Edition]:
    return [Edition(language, config.default_language) for language in config.editions]


def _wanted(default: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    """The fields a complete translation must give: those the default text has."""
    return [name for name in fields if default.get(name) not in (None, "", ())]


def missing(translations: tuple[tuple[str, Translation], ...], language: str, default: dict[str, Any], fields: tuple[str, ...]) -> list[str] | None:
    """None when the whole translation is missing, else the fields it lacks (empty: complete)."""
    text = find_translation(translations, language)
    if text is None:
        return None
    return [name for name in _wanted(default, fields) if getattr(text, name) in (None, "", ())]


def _event_text(event: Event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in EVENT_TEXT}


def _page_text(page: Page) -> dict[str, Any]:
    return {"title": page.title, "nav_title": page.nav_title, "description": page.description, "body": page.body_markdown}


def localize_event(event: Event, language: str, default: str) -> Event:
    if language == default:
        return event
    if missing(event.translations, language, _event_text(event), EVENT_TEXT) != []:
        return dataclasses.replace(event, text_language=default)
    text = find_translation(event.translations, language)
    assert text is not None
    changes = {name: getattr(text, name) for name in EVENT_TEXT if getattr(text, name) not in (None, "", ())}
    return dataclasses.replace(event, **changes)


def localize_page(page: Page, language: str, default: str) -> Page:
    if language == default:
        return page
    if missing(page.translations, language, _page_text(page), PAGE_TEXT) != []:
        return dataclasses.replace(page, text_language=default)
    text = find_translation(page.translations, language)
    assert text is not None
    return dataclasses.replace(page, title=text.title or page.title, nav_title=text.nav_title or text.title or page.nav_title,
                               description=text.description or "", body_markdown=text.body or "", path=text.path or page.path)


def _relabel(item: Category | Era, language: str) -> Any:
    text = find_translation(item.translations, language)
    if text is None:
        return item
    if isinstance(item, Category):
        return dataclasses.replace(item, label=text.label or item.label, description=text.description or item.description)
    return dataclasses.replace(item, label=text.label or item.label)


def localize_config(config: SiteConfig, language: str) -> SiteConfig:
    if language == config.default_language:
        return config
    text = find_translation(config.translations, language) or Translation()
    return dataclasses.replace(
        config, language=language,
        title=text.title or config.title, short_title=text.short_title or text.title or config.short_title,
        standfirst=text.standfirst or config.standfirst,
        categories=tuple(_relabel(category, language) for category in config.categories),
        eras=tuple(_relabel(era, language) for era in config.eras),
    )


def localize_site(site: Site, language: str) -> Site:
    default = site.config.default_language
    if language == default:
        return site
    return dataclasses.replace(
        site,
        config=localize_config(site.config, language),
        events=tuple(localize_event(event, language, default) for event in site.events),
        pages=tuple(localize_page(page, language, default) for page in site.pages),
    )
