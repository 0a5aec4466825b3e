"""Turn file bytes into model objects, recording every problem with its file, line and column.

Reading goes bytes -> text -> YAML node tree -> checked record -> model object. Each step
that fails records a problem and returns None, so one bad file never hides another's
mistakes. Checks that need all events at once (duplicate slugs, `related` links) run last.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from slugify import slugify

from . import formats
from .errors import Problem, Problems, SiteInvalid
from .fields import INVALID, Reader, Record, did_you_mean
from .figures import Figure
from .figures import sort_key as figure_order
from .load import SiteSources, SourceFile
from .model import Category, Correction, Era, Event, Legislation, Licence, Page, Site, SiteConfig, Source, Translation
from .progress import QUIET, Progress
from .textcheck import describe_character, not_allowed_in_yaml, placeholder_in, shown
from .theme import TemplateFile, Theme
from .yamlhints import plain_yaml_message

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:^---[ \t]*\r?\n?)", re.DOTALL | re.MULTILINE)


def decode(path: str, data: bytes, problems: Problems) -> str | None:
    """Strict UTF-8 (a BOM is tolerated); a bad byte is reported where an editor would show it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        problems.add(path, line, column, "", f"file is not valid UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8")
        return None


def parse_yaml(path: str, text: str, problems: Problems, line_offset: int = 0, what: str = "") -> yaml.MappingNode | None:
    """Compose (not construct) the document so every value keeps its position."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        column = mark.column + 1 if mark else 1
        message = plain_yaml_message(error, text, mark.line if mark else 0)
        problems.add(path, line, column, "", f"YAML syntax error: {message}")
        return None
    except yaml.YAMLError as error:  # a character the reader refuses: PyYAML gives no line for it
        found = not_allowed_in_yaml(text)
        if found is None:
            problems.add(path, 1 + line_offset, 1, "", f"YAML syntax error: {error}")
            return None
        line, column, character = found
        problems.add(path, line + line_offset, column, "",
                     f"{describe_character(character)} is not allowed in a YAML file; delete it (most editors do not show it)")
        return None
    if node is None:
        problems.add(path, 1 + line_offset, 1, "", f"file is empty{what}")
        return None
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        line, column = node.start_mark.line + 1 + line_offset, node.start_mark.column + 1
        problems.add(path, line, column, "", f"expected a mapping of fields (key: value), found {kind}")
        return None
    return node


def check_slug(path: str, slug: str, problems: Problems) -> bool:
    if re.fullmatch(formats.SLUG, slug):
        return True
    suggestion = slugify(slug) or "my-event"
    problems.add(path, 1, 1, "slug", f"file name '{shown(slug)}' is not a valid slug; use lowercase letters, digits and hyphens, e.g. '{suggestion}'")
    return False


def read_record(path: str, data: bytes, problems: Problems, record: Record, needs: str) -> tuple[dict[str, Any] | None, Reader | None]:
    """Bytes to checked field values (None with the problems recorded), and the reader,
    which keeps the values that did convert in a file with errors."""
    text = decode(path, data, problems)
    node = parse_yaml(path, text, problems, what=f"; {needs}") if text is not None else None
    if node is None or text is None:
        return None, None
    reader = Reader(path, problems, text=text)
    values = record.convert(node, "", reader)
    return (None if values is INVALID else values), reader


@dataclass(frozen=True)
class LinkStub:
    """What the cross-file checks need of an event file, even one with errors of its own."""

    slug: str
    path: str
    related: tuple[str, ...]
    marks: dict[str, tuple[int, int]] = field(compare=False, hash=False)


def read_event(path: str, slug: str, data: bytes, config: SiteConfig, problems: Problems, file: str = "") -> tuple[Event | None, LinkStub]:
    record = formats.event_record(config.category_keys, config.editions[1:])
    values, reader = read_record(path, data, problems, record, "an event needs title, date, category, summary and sources")
    related = reader.partial.get("related", ()) if reader else ()
    stub = LinkStub(slug, path, related, reader.marks if reader else {})
    if values is None or reader is None:
        return None, stub
    return Event(
        slug=slug,
        path=path,
        title=values["title"],
        date=values["date"],
        end_date=values["end_date"],
        label=values["label"],
        category=values["category"],
        kind=values["kind"],
        importance=values["importance"],
        summary=_one_paragraph(values["summary"]),
        body=values["body"],
        actors=values["actors"],
        location=values["location"],
        documents=values["documents"],
        tags=values["tags"],
        related=values["related"],
        sources=tuple(Source(**source) for source in values["sources"]),
        file=file,
        legislation=Legislation(**values["legislation"]) if values["legislation"] else None,
        organizers=values["organizers"],
        updated=values["updated"],
        order=values["order"],
        corrections=tuple(Correction(correction["date"], _one_paragraph(correction["text"])) for correction in values["corrections"]),
        translations=tuple((code, _tidy(text)) for code, text in values["translations"] or ()),
        marks=reader.marks,
    ), stub


def _one_paragraph(text: str) -> str:
    return " ".join(text.split())


def _tidy(text: Translation) -> Translation:
    """A translated summary is one paragraph, as the default one is."""
    return dataclasses.replace(text, summary=_one_paragraph(text.summary)) if text.summary else text


def read_config(path: str, data: bytes, problems: Problems) -> SiteConfig | None:
    values, reader = read_record(path, data, problems, formats.SITE, "it needs title, standfirst and categories")
    if values is None or reader is None:
        return None
    before = problems.error_count
    languages = _languages(values, reader, path, problems)
    categories = tuple(Category(**{**category, "translations": category["translations"] or ()}) for category in values["categories"])
    for index, key in _duplicates(category.key for category in categories):
        line, column = reader.marks[f"categories[{index}]"]
        problems.add(path, line, column, f"categories[{index}].key", f"'{key}' is declared twice")
    for index, era in enumerate(values["eras"]):
        if era["end"].last_day < era["start"].first_day:
            line, column = reader.marks[f"eras[{index}].end"]
            problems.add(path, line, column, f"eras[{index}].end", f"{era['end']} is before start {era['start']}")
    _check_translation_languages(values, reader, path, problems, languages[1:])
    if problems.error_count > before:
        return None
    return SiteConfig(
        title=values["title"],
        short_title=values["short_title"] or values["title"],
        standfirst=_one_paragraph(values["standfirst"]),
        language=languages[0],
        languages=languages,
        translations=values["translations"] or (),
        base_url=with_slash(values["base_url"]),
        repository_url=values["repository_url"],
        repository_branch=values["repository_branch"],
        categories=categories,
        eras=tuple(Era(**{**era, "translations": era["translations"] or ()}) for era in values["eras"]),
        publisher=values["publisher"] or values["short_title"] or values["title"],
        licence=Licence(**values["licence"]) if values["licence"] else None,
        citation=_one_paragraph(values["citation"] or ""),
        share_cards=values["share_cards"],
    )


def _languages(values: dict[str, Any], reader: Reader, path: str, problems: Problems) -> tuple[str, ...]:
    """`languages: [en-GB, vi, fr]` (the default first), or a single `language`."""
    languages = tuple(values["languages"] or (values["language"] or "en",))
    if values["languages"] and values["language"] and values["language"] != languages[0]:
        line, column = reader.marks["language"]
        problems.add(path, line, column, "language", f"'{values['language']}' is not the first of languages ({', '.join(languages)}); "
                     "give only languages, the default first")
    for index, code in _duplicates(languages):
        line, column = reader.marks[f"languages[{index}]"]
        problems.add(path, line, column, f"languages[{index}]", f"'{code}' is listed twice")
    return languages


def _check_translation_languages(values: dict[str, Any], reader: Reader, path: str, problems: Problems, others: tuple[str, ...]) -> None:
    """site.yaml's own translations may only be into the languages it lists."""
    places = [("translations", values["translations"])]
    places += [(f"categories[{i}].translations", c["translations"]) for i, c in enumerate(values["categories"])]
    places += [(f"eras[{i}].translations", e["translations"]) for i, e in enumerate(values["eras"])]
    for where, translations in places:
        for code, _ in translations or ():
            if code not in others:
                line, column = reader.marks.get(f"{where}.{code}", (1, 1))
                listed = ", ".join(others) or "none: languages lists one"
                problems.add(path, line, column, f"{where}.{code}", f"'{code}' is not one of this site's other languages ({listed})")


def with_slash(url: str | None) -> str | None:
    """Base URLs name a folder: 'https://x.org/timeline' and '.../timeline/' are the same site."""
    return url.rstrip("/") + "/" if url else None


def read_page(path: str, slug: str, data: bytes, problems: Problems) -> Page | None:
    """A Markdown page whose YAML front matter (between '---' lines) gives at least its title."""
    text = decode(path, data, problems)
    if text is None:
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        problems.add(path, 1, 1, "", "a page must start with front matter: '---', 'title: ...', '---'")
        return None
    node = parse_yaml(path, match.group(1), problems, line_offset=1, what="; give the page a title")
    if node is None:
        return None
    values = formats.PAGE.convert(node, "", Reader(path, problems, line_offset=1, text=match.group(1)))
    body_start = text[:match.end()].count("\n")
    for number, line in enumerate(text[match.end():].splitlines(), start=body_start + 1):
        found = placeholder_in(line)
        if found:
            problems.add(path, number, found.start() + 1, "", f"placeholder text '{found.group(0)}' left in the file; replace it before publishing", "warning")
    if not formats.page_body_fits(path, text[match.end():], body_start + 1, problems) or values is INVALID:
        return None
    return Page(slug=slug, path=path, title=values["title"], description=_one_paragraph(values["description"]),
                body_markdown=text[match.end():], order=values["order"], nav_title=values["nav_title"] or values["title"])


def check_links(stubs: Iterable[LinkStub], problems: Problems) -> None:
    """Cross-file rules: one event per slug, and every `related` slug names another event, once.

    They run on every event file whose `related` list could be read, valid or not, so a
    contributor sees these problems in the same run as the file's others. A link to a
    file that exists but has errors of its own is not reported again.
    """
    by_slug: dict[str, LinkStub] = {}
    for stub in sorted(stubs, key=lambda e: e.path):
        if stub.slug in by_slug:
            problems.add(stub.path, 1, 1, "slug", f"'{stub.slug}' is already used by {by_slug[stub.slug].path}; rename one of the files")
        else:
            by_slug[stub.slug] = stub
    for stub in by_slug.values():
        first_at: dict[str, int] = {}
        for index, slug in enumerate(stub.related):
            where = f"related[{index}]"
            line, column = stub.marks.get(where, (1, 1))
            if slug in first_at:  # a page would list the same event twice
                first = first_at[slug]
                first_line = stub.marks.get(f"related[{first}]", (1, 1))[0]
                problems.add(stub.path, line, column, where, f"'{slug}' is listed twice (first given as related[{first}] on line {first_line})")
                continue
            first_at[slug] = index
            if slug == stub.slug:
                problems.add(stub.path, line, column, where, "an event cannot be related to itself")
            elif slug not in by_slug:
                problems.add(stub.path, line, column, where, f"no event with slug '{slug}'{did_you_mean(slug, by_slug)}")


def _duplicates(items: Iterable[Any]) -> list[tuple[int, Any]]:
    seen: set[Any] = set()
    repeated = []
    for index, item in enumerate(items):
        if item in seen:
            repeated.append((index, item))
        seen.add(item)
    return repeated


class ParseCache:
    """Parsed events by file name and content: an unchanged file is not parsed again.

    The preview server keeps one across rebuilds; a one-off build uses a fresh one. A new
    site configuration (categories decide what is valid) empties it.
    """

    def __init__(self) -> None:
        self.config: SiteConfig | None = None
        self.entries: dict[tuple[str, bytes], tuple[Event | None, LinkStub | None, list[Problem]]] = {}

    def use_config(self, config: SiteConfig) -> None:
        if config != self.config:
            self.config, self.entries = config, {}

    def event(self, source: SourceFile, root: Path) -> tuple[Event | None, LinkStub | None, list[Problem]]:
        assert self.config is not None
        key = (source.shown, source.data)
        if key not in self.entries:
            problems = Problems()
            event, stub = None, None
            if check_slug(source.shown, source.slug, problems):
                event, stub = read_event(source.shown, source.slug, source.data, self.config, problems, source.file(root))
            self.entries[key] = (event, stub, problems.items)
        return self.entries[key]

    def forget_all_but(self, keep: set[tuple[str, bytes]]) -> None:
        for key in [key for key in self.entries if key not in keep]:
            del self.entries[key]


def read_pages(sources: list[SourceFile], config: SiteConfig, problems: Problems) -> list[Page]:
    """content/<slug>.md in the default language, content/<slug>.<language>.md translations."""
    pages: dict[str, Page] = {}
    translations: list[tuple[str, str, Page]] = []
    for source in sources:
        slug, _, language = source.slug.rpartition(".") if "." in source.slug else (source.slug, "", "")
        if language and language not in config.editions[1:]:
            listed = ", ".join(config.editions[1:]) or "none: site.yaml lists one"
            problems.add(source.shown, 1, 1, "", f"'{shown(language)}' in the file name is not one of this site's other languages ({listed})")
            continue
        if not check_slug(source.shown, slug, problems):
            continue
        page = read_page(source.shown, slug, source.data, problems)
        if page is not None and language:
            translations.append((slug, language, page))
        elif page is not None:
            pages[slug] = page
    for slug, language, page in translations:
        if slug not in pages:
            problems.add(page.path, 1, 1, "", f"a translation of content/{slug}.md, which does not exist")
            continue
        text = Translation(title=page.title, nav_title=page.nav_title, description=page.description, body=page.body_markdown, path=page.path)
        pages[slug] = dataclasses.replace(pages[slug], translations=pages[slug].translations + ((language, text),))
    return list(pages.values())


def read_theme(sources: SiteSources, problems: Problems) -> Theme:
    """Templates must be UTF-8 like every other source; static files are published as they are."""
    templates = {}
    for name, source in sources.templates.items():
        text = decode(source.shown, source.data, problems)
        if text is not None:
            templates[name] = TemplateFile(text, source.shown)
    return Theme(templates, {name: source.data for name, source in sources.static.items()})


def read_figures(sources: SiteSources, config: SiteConfig, event_slugs: set[str], problems: Problems) -> list[Figure]:
    from .figure_files import check_figure_links, read_figure

    figures = []
    for source in sources.figures:
        figure = read_figure(source, config, problems, source.file(sources.root))
        if figure is not None:
            figures.append(figure)
    check_figure_links(figures, event_slugs, problems)
    return figures


def validate_site(sources: SiteSources, cache: ParseCache | None = None, progress: Progress = QUIET) -> tuple[Site, list[Problem]]:
    """Everything or nothing: a Site and its warnings when no file has an error, else
    SiteInvalid with every problem of every file. `progress` counts the events (4 s at 10,000)."""
    cache = cache if cache is not None else ParseCache()
    problems = Problems()
    problems.extend(sources.problems)
    config = None
    if sources.config is not None:
        config = read_config(sources.config.shown, sources.config.data, problems)
    if config is None:
        raise SiteInvalid(problems.items)

    cache.use_config(config)
    events, stubs = [], []
    for source in progress.over(sources.events, "validate", len(sources.events), " events"):
        event, stub, event_problems = cache.event(source, sources.root)
        problems.extend(event_problems)
        if event is not None:
            events.append(event)
        if stub is not None:
            stubs.append(stub)
    check_links(stubs, problems)
    cache.forget_all_but({(source.shown, source.data) for source in sources.events})

    figures = read_figures(sources, config, {stub.slug for stub in stubs}, problems)
    pages = read_pages(sources.pages, config, problems)
    theme = read_theme(sources, problems)
    if problems:
        raise SiteInvalid(problems.items)
    site = Site(
        root=sources.root,
        config=config,
        events=tuple(sorted(events, key=lambda event: event.sort_key)),
        pages=tuple(sorted(pages, key=lambda page: (page.order, page.slug))),
        figures=tuple(sorted(figures, key=figure_order)),
        theme=theme,
    )
    return site, problems.warnings
