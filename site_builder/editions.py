"""Language editions: the same site in each language listed in site.yaml, the first at the
root and the others under /<lang>/, with the same slugs.

An edition is the validated Site with every reader-facing text replaced by its translation.
Where a translation is missing (or lacks a field the default text has), the edition keeps
the default-language text and records it in `text_language`, so the page says so in one
line and marks the block with its real `lang`: never a silent fallback.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .dates import language_name
from .errors import Problem
from .figures import FIGURE_TEXT, Figure
from .model import Category, Era, Event, Page, Site, SiteConfig, Translation, find_translation

EVENT_TEXT = ("title", "label", "summary", "body", "location", "actors", "documents", "tags")
PAGE_TEXT = ("title", "description", "body")  # a translated page's menu name defaults to its title
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


EMPTY = (None, "", ())


def missing(translations: tuple[tuple[str, Translation], ...], language: str, default: dict[str, Any], fields: tuple[str, ...]) -> list[str] | None:
    """None when the whole translation is missing, else the fields it lacks (empty: complete).
    A complete translation gives every field the default text has."""
    text = find_translation(translations, language)
    if text is None:
        return None
    return [name for name in fields if default.get(name) not in EMPTY and getattr(text, name) in EMPTY]


def _complete(translations: tuple[tuple[str, Translation], ...], language: str, default: dict[str, Any],
              fields: tuple[str, ...]) -> Translation | None:
    """The translation into `language` when it is complete, else None (the default text is shown)."""
    return find_translation(translations, language) if missing(translations, language, default, fields) == [] else None


Record = TypeVar("Record", Event, Figure)  # a YAML record whose translations sit in its own file


def _fields_of(record: Event | Figure) -> tuple[str, ...]:
    """The reader-facing text fields of an event or a figure: the one place each is named."""
    return EVENT_TEXT if isinstance(record, Event) else FIGURE_TEXT


def _text(record: Event | Figure) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _fields_of(record)}


def _page_text(page: Page) -> dict[str, Any]:
    return {"title": page.title, "nav_title": page.nav_title, "description": page.description, "body": page.body_markdown}


def localize_record(record: Record, language: str, default: str) -> Record:
    """An event or a figure in `language`: translated when its translation is complete, else
    as written, marked with the language it is shown in."""
    if language == default:
        return record
    fields = _fields_of(record)
    text = _complete(record.translations, language, _text(record), fields)
    if text is None:
        return dataclasses.replace(record, text_language=default)
    return dataclasses.replace(record, **{name: getattr(text, name) for name in fields if getattr(text, name) not in EMPTY})


def localize_page(page: Page, language: str, default: str) -> Page:
    if language == default:
        return page
    text = _complete(page.translations, language, _page_text(page), PAGE_TEXT)
    if text is None:
        return dataclasses.replace(page, text_language=default)
    return dataclasses.replace(page, title=text.title or page.title, nav_title=text.nav_title or text.title or page.title,
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


Shown = TypeVar("Shown", Event, Figure, Page)


class Localised:
    """Records as each edition shows them, kept while the record is the same object.

    The preview server parses only the files that changed, so after an edit every other
    event is the very object it was before; keeping its translation the same object too is
    what lets the caches keyed by identity (list items, chart rows) and the dependency keys of
    every page (`outputs.SameKeys`) see at a glance that it did not change. Each call keeps
    only the records it was given, so nothing outlives the site it came from."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str, str], dict[int, tuple[Any, Any]]] = {}

    def records(self, kind: str, records: tuple[Shown, ...], language: str, default: str,
                localize: Callable[[Shown, str, str], Shown]) -> tuple[Shown, ...]:
        where = (kind, language, default)
        before, now = self._kept.get(where, {}), {}
        shown = []
        for record in records:
            kept = before.get(id(record))
            if kept is None or kept[0] is not record:
                kept = (record, localize(record, language, default))
            now[id(record)] = kept
            shown.append(kept[1])
        self._kept[where] = now
        return tuple(shown)


def localize_site(site: Site, language: str, kept: Localised | None = None) -> Site:
    default = site.config.default_language
    if language == default:
        return site
    kept = kept or Localised()
    return dataclasses.replace(
        site,
        config=localize_config(site.config, language),
        events=kept.records("events", site.events, language, default, localize_record),
        pages=kept.records("pages", site.pages, language, default, localize_page),
        figures=kept.records("figures", site.figures, language, default, localize_record),
    )


def _shows(what: str, language: str, default: str) -> str:
    return f"the {language_name(language, 'en')} edition shows {what} in {language_name(default, 'en')}"


def _gap(lacking: list[str] | None, language: str) -> str:
    if lacking is None:
        return f"no {language_name(language, 'en')} translation"
    return f"the {language_name(language, 'en')} translation lacks {', '.join(repr(name) for name in lacking)}"


def translation_warnings(site: Site, config_path: str) -> list[Problem]:
    """Every missing or incomplete translation, as a warning where the text would go."""
    config, default = site.config, site.config.default_language
    found = []
    for language in config.editions[1:]:
        records: list[Event | Figure] = [*site.events, *site.figures]
        field = f"translations.{language}"
        untranslated: dict[str, str] = {}  # the same words for every untranslated event: made once, not 10,000 times
        for record in records:
            lacking = None if find_translation(record.translations, language) is None else \
                missing(record.translations, language, _text(record), _fields_of(record))  # its text only when needed
            if lacking != []:
                what = "this event" if isinstance(record, Event) else "this figure"
                message = untranslated.get(what) if lacking is None else None
                if message is None:
                    message = f"{_gap(lacking, language)}; {_shows(what, language, default)}"
                    if lacking is None:
                        untranslated[what] = message
                line, column = record.marks.get(field, record.marks.get("translations", (1, 1)))
                found.append(Problem(record.path, line, column, field, message, "warning"))
        for page in site.pages:
            lacking = missing(page.translations, language, _page_text(page), PAGE_TEXT)
            if lacking != []:
                file = page.path.rsplit(".", 1)[0] + f".{language}.md"
                found.append(Problem(page.path, 1, 1, "", f"{_gap(lacking, language)} ({file}); {_shows('this page', language, default)}", "warning"))
        site_text = {"title": config.title, "standfirst": config.standfirst}
        lacking = missing(config.translations, language, site_text, SITE_TEXT)
        if lacking != []:
            found.append(Problem(config_path, 1, 1, f"translations.{language}", f"{_gap(lacking, language)} of the title and standfirst", "warning"))
        labelled: list[tuple[str, Category | Era]] = [(f"categories[{i}]", c) for i, c in enumerate(config.categories)]
        labelled += [(f"eras[{i}]", e) for i, e in enumerate(config.eras)]
        for index, item in labelled:
            if find_translation(item.translations, language) is None:
                found.append(Problem(config_path, 1, 1, f"{index}.translations.{language}",
                                     f"no {language_name(language, 'en')} label; {_shows(repr(item.label), language, default)}", "warning"))
    return found


def coverage(site: Site) -> dict[str, tuple[int, int]]:
    """Per edition language: (events with a complete translation, events)."""
    default = site.config.default_language
    return {language: (sum(1 for event in site.events if localize_record(event, language, default).text_language is None), len(site.events))
            for language in site.config.editions[1:]}
