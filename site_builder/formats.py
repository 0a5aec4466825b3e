"""The three file formats a site is written in: events, site.yaml and page front matter.

Each is declared once as a `Record`; validation converts with it and `event_json_schema`
describes it for editors, so the two cannot drift apart.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from .editions import EVENT_TEXT, SITE_TEXT
from .fields import LANGUAGE_CODE, Choice, DateKind, Field, ListOf, Pattern, Reader, Record, Text, Translated, WebURL, WholeNumber, optional
from .model import LABEL_LENGTH

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
LANGUAGE = LANGUAGE_CODE.pattern
COLOUR = r"#[0-9a-fA-F]{6}"
IMPORTANCE = (1, 2, 3)
EVENT_KINDS = ("event", "target")
SCHEMA_FILE = "schema.json"


def _end_not_before_start(values: dict[str, Any], node: yaml.MappingNode, where: str, reader: Reader) -> None:
    start, end = values.get("date"), values.get("end_date")
    if start and end and end.last_day < start.first_day:
        line, column = reader.marks.get("end_date", reader.position(node))
        reader.problems.add(reader.path, line, column, "end_date", f"{end} is before date {start}")


SOURCE = Record(
    title="Source",
    fields=(
        Field("title", Text(max_length=300), required=True, description="Headline of the cited article or document"),
        Field("publisher", Text(max_length=120), required=True, description="Who published it"),
        Field("url", WebURL(), required=True, description="Where a reader can check it (http or https)"),
        Field("date", DateKind(), description="Publication date, at the precision known"),
        Field("language", Pattern(LANGUAGE, "a language code such as en, vi or fr"), description="Language of the cited version"),
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
        Field("body", Text(one_line=False), default="", description="Longer account in Markdown"),
        Field("actors", ListOf(Text(max_length=200)), default=(), description="People and organisations involved"),
        Field("location", Text(max_length=200), description="Where it happened"),
        Field("documents", ListOf(Text(max_length=200)), default=(), description="Legal instruments, e.g. Resolution No. 57-NQ/TW"),
        Field("tags", ListOf(Text(max_length=60)), default=(), description="Short lowercase keywords"),
        Field("related", ListOf(Pattern(SLUG, "an event slug")), default=(), description="Slugs of related events (file names without .yaml)"),
        Field("sources", ListOf(SOURCE, min_items=1), required=True, description="Every fact on the page must come from one of these"),
        Field("legislation", LEGISLATION, description="For a resolution, law or decree issued or passed by the event: its number and who passed it"),
        Field("organizers", ListOf(Text(max_length=200)), default=(), description="Who organised it, for a conference or meeting"),
        Field("updated", DateKind(), description="When this entry was written or last revised (feeds and 'Last updated' use it)"),
        Field("corrections", ListOf(CORRECTION), default=(), description="Dated corrections, shown on the page, in the feed and in the data"),
    )


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

SITE = Record(
    title="Site configuration",
    fields=_translated((
        Field("title", Text(max_length=160), required=True),
        Field("short_title", Text(max_length=60), description="Masthead name; defaults to the title"),
        Field("standfirst", Text(one_line=False, paragraph=True), required=True),
        Field("language", Pattern(LANGUAGE, "a language code such as en or en-GB"), description="The site's language (one edition)"),
        Field("languages", ListOf(Pattern(LANGUAGE, "a language code such as en-GB, vi or fr"), min_items=1),
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


def event_json_schema(category_keys: tuple[str, ...], other_languages: tuple[str, ...] = ()) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of event files, for yaml-language-server and jsonschema."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated by the `schema` command from site_builder/formats.py; do not edit.",
    }
    schema.update(event_record(category_keys, other_languages).json_schema())
    return schema
