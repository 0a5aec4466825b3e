"""The three file formats a site is written in: events, site.yaml and page front matter.

Each is declared once as a `Record`; validation converts with it and `event_json_schema`
describes it for editors, so the two cannot drift apart.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import yaml

from .dates import has_locale, is_language_code, language_name
from .editions import EVENT_TEXT, SITE_TEXT
from .errors import Problems
from .fields import INVALID, LANGUAGE_CODE, Choice, DateKind, Field, ListOf, Number, Pattern, Reader, Record, Text, Translated, WebURL, WholeNumber, optional
from .fields import size_problem as body_size_problem
from .figures import DIRECTIONS, FIGURE_TEXT, QUALIFIERS, UNITS, VALUE_KINDS
from .model import LABEL_LENGTH

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
LANGUAGE = LANGUAGE_CODE.pattern
COLOUR = r"#[0-9a-fA-F]{6}"
IMPORTANCE = (1, 2, 3)
EVENT_KINDS = ("event", "target")
SCHEMA_FILE = "schema.json"

# The size of a Markdown body (an event's `body`, a page under content/). Python-Markdown's
# inline pass slows down with the square of a block's inline marks, and its block pass with
# the square of a body's blocks: a 100,000-line body took minutes. At these limits the
# slowest shapes measured (1,000 short paragraphs, a 1,000-row table, a long list, a line
# of 3,300 `*a*` or abbreviations) render in under 0.3 s; the longest body written so far
# is under 4,500 characters. CONTRIBUTING.md states both numbers. Brackets left open are
# a matter of shape, not size: textcheck.bracket_problem refuses those.
BODY_LENGTH = 10_000  # characters
BODY_LINES = 1_000


class EditionLanguage(Pattern):
    """A site's language: a code Babel has data for, since every date, number and month name
    of that edition comes from it (an unknown one ended in an internal error)."""

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        value = super().convert(node, where, reader)
        if value is not INVALID and not has_locale(value):
            return reader.error(node, where, f"'{value}' is not a language the generator has dates and numbers for; "
                                "use a code such as en, en-GB, vi or fr")
        return value



class LanguageCode(Pattern):
    """A cited page's language: a code with a registered language first (`zz` matched the
    pattern, and became an invalid lang and hreflang on the page)."""

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        value = super().convert(node, where, reader)
        if value is not INVALID and not is_language_code(value):
            return reader.error(node, where, f"'{value}' is not a known language code; use one such as en, vi or fr")
        return value


# Outlets whose pages are in Vietnamese unless the address says otherwise (an /en/ edition).
# Only hosts checked by hand are listed, so the warning is never a guess.
VIETNAMESE_HOSTS = frozenset({
    "baochinhphu.vn", "baonghean.vn", "baotainguyenmoitruong.vn", "chinhphu.vn", "dangcongsan.vn", "dantri.com.vn",
    "laodong.vn", "mst.gov.vn", "nhandan.vn", "qdnd.vn", "thanhnien.vn", "tuoitre.vn", "vietnam.vn", "vietnamnet.vn",
    "vietnamplus.vn", "vneconomy.vn", "vnexpress.net", "vtv.vn",
})
EDITION_FOLDERS = frozenset({"en", "fr", "zh", "ko", "ja", "ru", "es", "de", "vi"})  # /en/… is the English edition


def page_language(url: str) -> str | None:
    """The language a known Vietnamese outlet publishes `url` in, or None when not known.

    'vietnamnet.vn/x' is Vietnamese, 'vietnamnet.vn/en/x' English; an edition on its own
    host ('english.mic.gov.vn', 'en.baochinhphu.vn', 'news.laodong.vn') is not listed, so not judged.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    if host not in VIETNAMESE_HOSTS:
        return None
    folder = parts.path.strip("/").split("/", 1)[0]
    return folder if folder in EDITION_FOLDERS else "vi"


def _end_not_before_start(values: dict[str, Any], node: yaml.MappingNode, where: str, reader: Reader) -> None:
    start, end = values.get("date"), values.get("end_date")
    if start and end and end.last_day < start.first_day:
        line, column = reader.marks.get("end_date", reader.position(node))
        reader.problems.add(reader.path, line, column, "end_date", f"{end} is before date {start}")


def _source_fits(values: dict[str, Any], node: yaml.MappingNode, where: str, reader: Reader) -> None:
    """A source has its headline as published, or, when that could not be read, a translated
    one that the page marks as such; and its `language` is that of the page its URL opens (a
    Vietnamese page read through someone's translation is still a Vietnamese source)."""
    if not values.get("title") and not values.get("translated_title"):
        line, column = reader.position(node)
        reader.problems.add(reader.path, line, column, f"{where}.title", "required field is missing: give the headline as published "
                            "(or, if it cannot be read, translated_title, shown as a translation)")
        return
    published_in = page_language(values["url"])
    given = values.get("language")
    if published_in and given and given.split("-")[0] != published_in:
        line, column = reader.marks.get(f"{where}.language", reader.position(node))
        host = urlsplit(values["url"]).hostname
        reader.problems.add(reader.path, line, column, f"{where}.language",
                            f"'{given}' but {host} publishes this page in {language_name(published_in, 'en')}; cite the version "
                            f"you read: its own URL, or language: {published_in} with the headline as published in 'title' "
                            "and yours in 'translated_title'", "warning")


SOURCE = Record(
    title="Source",
    check=_source_fits,
    fields=(
        Field("title", Text(max_length=300), description="Headline of the cited article or document, as published, in its language"),
        Field("translated_title", Text(max_length=300),
              description="The headline in the site's language when the source is in another (shown marked as a translation); "
                          "alone, without title, when the published headline could not be read"),
        Field("publisher", Text(max_length=120), required=True, description="Who published it"),
        Field("url", WebURL(), required=True, description="Where a reader can check it (http or https)"),
        Field("date", DateKind(), description="Publication date, at the precision known"),
        Field("language", LanguageCode(LANGUAGE, "a language code such as en, vi or fr"), description="Language of the page the URL opens"),
    ),
)


CORRECTION = Record(
    title="Correction",
    fields=(
        Field("date", DateKind(), required=True, description="When the correction was made"),
        Field("text", Text(one_line=False, paragraph=True, max_length=600), required=True, description="What was wrong and what is right now"),
    ),
)


LEGISLATION = Record(
    title="Legislation",
    fields=(
        Field("identifier", Text(max_length=60), required=True, description="The instrument's number, e.g. 57-NQ/TW"),
        Field("passed_by", Text(max_length=200), required=True, description="Who issued or passed it, e.g. Politburo of the Communist Party of Vietnam"),
    ),
)


@lru_cache(maxsize=8)
def event_record(category_keys: tuple[str, ...], other_languages: tuple[str, ...] = ()) -> Record:
    """The event format for a site whose site.yaml declares these categories and languages."""
    fields = _event_fields(category_keys)
    text = Record(title="Translation", fields=optional(fields, EVENT_TEXT))
    translations = Field("translations", Translated(text, other_languages),
                         description="The reader-facing text in the site's other languages: title, label, summary, body ...")
    return Record(title="Timeline event", check=_end_not_before_start, fields=fields + (translations,))


def _event_fields(category_keys: tuple[str, ...]) -> tuple[Field, ...]:
    return (
        Field("title", Text(max_length=160), required=True, description="Headline of the event, sentence case"),
        Field("label", Text(max_length=LABEL_LENGTH), description="Short text for the chart's annotation of a landmark (importance 1), e.g. 'Resolution 57 issued'"),
        Field("date", DateKind(), required=True, description="When it happened: YYYY, YYYY-MM or YYYY-MM-DD"),
        Field("end_date", DateKind(), description="For spans: when it ended (not before date)"),
        Field("category", Choice(category_keys, "category"), required=True, description="One of the categories in site.yaml"),
        Field("kind", Choice(EVENT_KINDS, "kind"), default="event", description="'target' for a future goal, drawn hollow"),
        Field("importance", Choice(IMPORTANCE, "importance"), default=2, description="1 = landmark (labelled on the chart), 2 = normal, 3 = minor"),
        Field("summary", Text(one_line=False, paragraph=True, max_length=1200), required=True, description="One plain-text paragraph"),
        Field("body", Text(one_line=False, max_length=BODY_LENGTH, max_lines=BODY_LINES), default="",
              description=f"Longer account in Markdown, at most {BODY_LENGTH:,} characters and {BODY_LINES:,} lines"),
        Field("actors", ListOf(Text(max_length=200)), default=(), description="People and organisations involved"),
        Field("location", Text(max_length=200), description="Where it happened"),
        Field("documents", ListOf(Text(max_length=200)), default=(), description="Legal instruments, e.g. Resolution No. 57-NQ/TW"),
        Field("tags", ListOf(Text(max_length=60)), default=(), description="Short lowercase keywords"),
        Field("related", ListOf(Pattern(SLUG, "an event slug")), default=(), description="Slugs of related events (file names without .yaml)"),
        Field("sources", ListOf(SOURCE, min_items=1), required=True, description="Every fact on the page must come from one of these"),
        Field("legislation", LEGISLATION, description="For a resolution, law or decree issued or passed by the event: its number and who passed it"),
        Field("organizers", ListOf(Text(max_length=200)), default=(), description="Who organised it, for a conference or meeting"),
        Field("order", WholeNumber(1, 9), description="For events on the same day: their order in the day (1 first), as the sources report it"),
        Field("updated", DateKind(), description="When this entry was written or last revised (feeds and 'Last updated' use it)"),
        Field("corrections", ListOf(CORRECTION), default=(), description="Dated corrections, shown on the page, in the feed and in the data"),
    )


def _reading_fits(values: dict[str, Any], node: yaml.MappingNode, where: str, reader: Reader) -> None:
    """A target says who set it; only a target can; only a rank is 'out of' a number of countries."""
    def refuse(name: str, message: str) -> None:
        line, column = reader.marks.get(f"{where}.{name}", reader.position(node))
        reader.problems.add(reader.path, line, column, f"{where}.{name}", message)

    if values["kind"] == "target" and not values["set_by"]:
        refuse("set_by", "a target needs set_by: the slug of the event that set it (whose target is it?)")
    if values["kind"] != "target" and values["set_by"]:
        refuse("set_by", "only a target is set by someone; remove set_by or write kind: target")


READING = Record(
    title="Reading",
    check=_reading_fits,
    fields=(
        Field("value", Number(), required=True, description="The number, without units or separators: 18.3, 20000, 44"),
        Field("as_of", DateKind(), required=True, description="The date it refers to (for a target: the deadline), at the precision the source gives"),
        Field("kind", Choice(VALUE_KINDS, "kind"), default="measurement", description="measurement, or target for a goal"),
        Field("qualifier", Choice(QUALIFIERS, "qualifier"), description="As the source words it: about, nearly, more-than, at-least, at-most (for a rank: top N)"),
        Field("out_of", WholeNumber(1, 100_000), description="For a rank: of how many (e.g. 193 countries)"),
        Field("set_by", Pattern(SLUG, "an event slug"), description="For a target: the slug of the event that set it"),
        Field("sources", ListOf(SOURCE, min_items=1), required=True, description="Where this number is reported"),
    ),
)


def _ranks_only(values: dict[str, Any], node: yaml.MappingNode, where: str, reader: Reader) -> None:
    for index, reading in enumerate(values["values"]):
        if reading["out_of"] and values["unit"] != "rank":
            line, column = reader.marks.get(f"values[{index}].out_of", reader.position(node))
            reader.problems.add(reader.path, line, column, f"values[{index}].out_of", f"out_of is for ranks; this figure's unit is {values['unit']}")


@lru_cache(maxsize=8)
def figure_record(other_languages: tuple[str, ...] = ()) -> Record:
    """The format of figures/<slug>.yaml: one measure, its readings and their sources."""
    fields = (
        Field("title", Text(max_length=160), required=True, description="What is measured, e.g. Digital economy's share of GDP"),
        Field("label", Text(max_length=40), required=True, description="Short name for charts and the home page's key numbers"),
        Field("unit", Choice(UNITS, "unit"), required=True, description="count, percent, percent-of-gdp, rank or usd-billion"),
        Field("better", Choice(DIRECTIONS, "direction"), default="higher", description="Which way is progress: higher, or lower (ranks)"),
        Field("description", Text(one_line=False, paragraph=True, max_length=600), default="", description="What the figure counts, and caveats"),
        Field("highlight", WholeNumber(1, 9), description="Its place among the home page's key numbers (1 first); leave out to show it only on the Key figures page"),
        Field("events", ListOf(Pattern(SLUG, "an event slug")), default=(), description="Slugs of the events whose pages show this figure"),
        Field("values", ListOf(READING, min_items=1), required=True, description="Measurements and targets, oldest first"),
    )
    text = Record(title="Translation", fields=optional(fields, FIGURE_TEXT))
    translations = Field("translations", Translated(text, other_languages), description="title, label and description in the site's other languages")
    return Record(title="Key figure", check=_ranks_only, fields=fields + (translations,))


def _translated(fields: tuple[Field, ...], names: tuple[str, ...]) -> tuple[Field, ...]:
    """The fields, and `translations` of the named ones into the site's other languages."""
    text = Record(title="Translation", fields=optional(fields, names))
    return fields + (Field("translations", Translated(text), description="The same text in the site's other languages"),)


CATEGORY = Record(
    title="Category",
    fields=_translated((
        Field("key", Pattern(SLUG, "a key of lowercase letters, digits and hyphens"), required=True),
        Field("label", Text(max_length=60), required=True),
        Field("colour", Pattern(COLOUR, "a colour such as #1f5f9e"), required=True),
        Field("description", Text(one_line=False), default=""),
    ), ("label", "description")),
)

ERA = Record(
    title="Era",
    fields=_translated((
        Field("label", Text(max_length=60), required=True),
        Field("start", DateKind(), required=True),
        Field("end", DateKind(), required=True),
    ), ("label",)),
)

LICENCE = Record(
    title="Licence",
    fields=(
        Field("name", Pattern(r"[A-Za-z0-9.+-]+", "an SPDX licence identifier such as CC-BY-4.0"), required=True),
        Field("title", Text(max_length=120), required=True),
        Field("url", WebURL(), required=True),
    ),
)

SHARE_CARDS = ("events", "site")  # the first is the default

SITE = Record(
    title="Site configuration",
    fields=_translated((
        Field("title", Text(max_length=160), required=True),
        Field("short_title", Text(max_length=60), description="Masthead name; defaults to the title"),
        Field("standfirst", Text(one_line=False, paragraph=True), required=True),
        Field("language", EditionLanguage(LANGUAGE, "a language code such as en or en-GB"), description="The site's language (one edition)"),
        Field("languages", ListOf(EditionLanguage(LANGUAGE, "a language code such as en-GB, vi or fr"), min_items=1),
              description="One edition per language, the first the default (at the root; the others under /<language>/)"),
        Field("base_url", WebURL(), description="Public address of the site (canonical links, sitemap); the deployment may supply it"),
        Field("repository_url", WebURL(), description="Where contributors edit the site; gives 'Edit this page' links; the deployment may supply it"),
        Field("repository_branch", Pattern(r"[A-Za-z0-9._/-]+", "a branch name"), default="main"),
        Field("categories", ListOf(CATEGORY, min_items=1), required=True),
        Field("eras", ListOf(ERA), default=()),
        Field("publisher", Text(max_length=120), description="Who publishes the site; feeds and the dataset name it (defaults to the short title)"),
        Field("licence", LICENCE, description="Licence of the site's text and data: the Data page and datapackage.json give it"),
        Field("citation", Text(one_line=False, paragraph=True, max_length=600),
              description="How to cite the dataset; {title}, {version} and {url} are filled in"),
        Field("share_cards", Choice(SHARE_CARDS, "share-card setting"), default=SHARE_CARDS[0],
              description="'events': a share card per event (a 1200×630 PNG of about 0.1 MB, some 25 ms to draw); "
                          "'site': every page shares the home page's card (for a site of thousands of events)"),
    ), SITE_TEXT),
)

PAGE = Record(
    title="Page front matter",
    fields=(
        Field("title", Text(max_length=160), required=True),
        Field("nav_title", Text(max_length=30), description="Short name in the site menu; defaults to the title"),
        Field("description", Text(one_line=False, paragraph=True, max_length=300), default=""),
        Field("order", WholeNumber(1, 999), default=100),
    ),
)


def page_body_fits(path: str, body: str, line: int, problems: Problems) -> bool:
    """Whether a page's Markdown body (starting on `line`) is within the limits events have."""
    too_long = body_size_problem(body.strip(), BODY_LENGTH, BODY_LINES)
    if too_long:
        problems.add(path, line, 1, "body", too_long)
    return too_long is None


def figure_json_schema(other_languages: tuple[str, ...] = ()) -> dict[str, Any]:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "$comment": "Generated by the `schema` command from site_builder/formats.py; do not edit."}
    schema.update(figure_record(other_languages).json_schema())
    return schema


def event_json_schema(category_keys: tuple[str, ...], other_languages: tuple[str, ...] = ()) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of event files, for yaml-language-server and jsonschema."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated by the `schema` command from site_builder/formats.py; do not edit.",
    }
    schema.update(event_record(category_keys, other_languages).json_schema())
    return schema
