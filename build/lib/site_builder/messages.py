"""Every word of the interface a reader sees, in the site's language: gettext catalogues
(`site_builder/locales/<lang>/LC_MESSAGES/messages.po`, compiled in memory at build time
with Babel) and Babel's date and number formats.

Templates get `_`, `gettext` and `ngettext` from Jinja2's i18n extension; Python code that
makes reader-facing labels (the chart's tooltips, 'Today') calls the same `Messages`; the
page script receives its few strings already translated, from a template. So a new
interface language is one catalogue file and nothing else.

Extraction is configured in `babel.cfg` (`make messages` rewrites `locales/messages.pot`
and merges it into every catalogue); a test keeps the template file current.
"""

from __future__ import annotations

import gettext as gettext_module
from dataclasses import dataclass
from functools import cached_property, lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from .dates import date_label, language_name, locale_for, span_label
from .model import PartialDate

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"  # the language msgids are written in


def same_language(code: str, other: str) -> bool:
    """'en' and 'en-GB' are one language: a source in either needs no '(English)' note."""
    return code.split("-")[0].lower() == other.split("-")[0].lower()


def catalogue_path(locale_name: str) -> Path:
    return LOCALES / locale_name / "LC_MESSAGES" / f"{DOMAIN}.po"


def candidates(language: str) -> list[str]:
    """'en-GB' -> ['en_GB', 'en']: the most specific catalogue that exists wins."""
    locale = locale_for(language)
    names = [str(locale)]
    if locale.territory or locale.script:
        names.append(locale.language)
    return names


def find_catalogue(language: str) -> Path | None:
    return next((path for path in map(catalogue_path, candidates(language)) if path.is_file()), None)


@lru_cache(maxsize=16)
def _compiled(path: Path, stamp: float) -> Translations:
    with path.open("rb") as source:
        catalog = read_po(source, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def translations(language: str) -> gettext_module.NullTranslations:
    """The catalogue for `language`, compiled from its .po file; the source text if there is none."""
    path = find_catalogue(language)
    if path is None:
        return gettext_module.NullTranslations()
    return _compiled(path, path.stat().st_mtime)


@dataclass(frozen=True)
class Messages:
    """The interface in one language: translated strings, dates and numbers."""

    language: str

    @cached_property
    def translations(self) -> gettext_module.NullTranslations:
        return translations(self.language)

    @cached_property
    def locale(self) -> Locale:
        return locale_for(self.language)

    @property
    def has_catalogue(self) -> bool:
        return find_catalogue(self.language) is not None or self.locale.language == SOURCE_LANGUAGE

    def gettext(self, message: str, **values: object) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        text = self.translations.ngettext(singular, plural, count)
        return text % {"num": self.number(count), **values}

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.locale)

    def date(self, value: PartialDate) -> str:
        return date_label(value, self.language)

    def span(self, start: PartialDate, end: PartialDate | None = None) -> str:
        return span_label(start, end, self.language)

    def language_name(self, code: str) -> str:
        return language_name(code, self.language)
