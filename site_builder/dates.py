"""Dates in words, at the precision they were given: "22 December 2024", "August 2025", "2030".

Labels are computed at build time and shipped as text (also to the chart's tooltips), so
no reader's time zone can move a date by a day.
"""

from __future__ import annotations

from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton

from .model import PartialDate


@cache
def locale_for(language: str) -> Locale:
    return Locale.parse(language, sep="-")


def has_locale(language: str) -> bool:
    """Whether Babel has the dates, numbers and names an edition in this language needs."""
    try:
        locale_for(language)
    except (ValueError, LookupError, UnknownLocaleError):
        return False
    return True


@cache
def is_language_code(code: str) -> bool:
    """Whether the code's first part names a language (Babel knows the names of about 660)."""
    return code.split("-", 1)[0].lower() in Locale("en").languages


@lru_cache(maxsize=65536)
def date_label(value: PartialDate, language: str) -> str:
    locale = locale_for(language)
    if value.precision == "day":
        return format_date(value.first_day, "long", locale=locale)
    if value.precision == "month":
        return format_skeleton("yMMMM", value.first_day, locale=locale)
    return str(value.year)


def span_label(start: PartialDate, end: PartialDate | None, language: str) -> str:
    """A date, or a range written out in full at each end's own precision."""
    if end is None or end == start:
        return date_label(start, language)
    return f"{date_label(start, language)} – {date_label(end, language)}"


@cache
def language_name(code: str, language: str) -> str:
    """'vi' -> 'Vietnamese' in the site's language; an unknown code is shown as written.
    Kept: Babel's lookup costs 20 µs, and every untranslated event asks twice."""
    try:
        return Locale(Locale.parse(code, sep="-").language).get_display_name(locale_for(language)) or code
    except (ValueError, TypeError, LookupError, UnknownLocaleError):
        return code


def own_language_name(code: str) -> str:
    """A language named in itself, for a language switcher: 'English', 'Tiếng Việt', 'Français'."""
    try:
        language = Locale.parse(code, sep="-").language
        name = Locale(language).get_display_name(language) or code
    except (ValueError, TypeError, LookupError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]
