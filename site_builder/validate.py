"""Turn file bytes into model objects, recording every problem with its file, line and column.

Reading goes bytes -> text -> YAML node tree -> checked record -> model object. Each step
that fails records a problem and returns None, so one bad file never hides another's
mistakes. Checks that need all events at once (duplicate slugs, `related` links) run last.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

import yaml
from slugify import slugify

from . import formats
from .errors import Problem, Problems, SiteInvalid
from .fields import INVALID, Reader, Record, did_you_mean
from .load import SiteSources, SourceFile
from .model import Category, Era, Event, Page, Site, SiteConfig, Source

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
        message = (error.problem or str(error)).strip()
        if error.context and "expected a single document" in error.context:
            message = "expected one YAML document, found more (remove the extra '---')"
        problems.add(path, line, column, "", f"YAML syntax error: {message}")
        return None
    except yaml.YAMLError as error:  # e.g. a control character the reader refuses
        problems.add(path, 1 + line_offset, 1, "", f"YAML syntax error: {error}")
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
    problems.add(path, 1, 1, "slug", f"file name '{slug}' is not a valid slug; use lowercase letters, digits and hyphens, e.g. '{suggestion}'")
    return False


def _read_record(path: str, data: bytes, problems: Problems, record: Record, needs: str) -> tuple[dict[str, Any], Reader] | None:
    """Bytes to checked field values, or None with the problems recorded."""
    text = decode(path, data, problems)
    node = parse_yaml(path, text, problems, what=f"; {needs}") if text is not None else None
    if node is None:
        return None
    reader = Reader(path, problems)
    values = record.convert(node, "", reader)
    return None if values is INVALID else (values, reader)


def read_event(path: str, slug: str, data: bytes, config: SiteConfig, problems: Problems, file: str = "") -> Event | None:
    record = formats.event_record(config.category_keys)
    read = _read_record(path, data, problems, record, "an event needs title, date, category, summary and sources")
    if read is None:
        return None
    values, reader = read
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
        marks=reader.marks,
    )


def _one_paragraph(text: str) -> str:
    return " ".join(text.split())


def read_config(path: str, data: bytes, problems: Problems) -> SiteConfig | None:
    read = _read_record(path, data, problems, formats.SITE, "it needs title, standfirst, base_url and categories")
    if read is None:
        return None
    values, reader = read
    before = len(problems)
    categories = tuple(Category(**category) for category in values["categories"])
    for index, key in _duplicates(category.key for category in categories):
        line, column = reader.marks[f"categories[{index}]"]
        problems.add(path, line, column, f"categories[{index}].key", f"'{key}' is declared twice")
    for index, era in enumerate(values["eras"]):
        if era["end"].last_day < era["start"].first_day:
            line, column = reader.marks[f"eras[{index}].end"]
            problems.add(path, line, column, f"eras[{index}].end", f"{era['end']} is before start {era['start']}")
    if len(problems) > before:
        return None
    return SiteConfig(
        title=values["title"],
        short_title=values["short_title"] or values["title"],
        standfirst=_one_paragraph(values["standfirst"]),
        language=values["language"],
        base_url=values["base_url"].rstrip("/") + "/",
        repository_url=values["repository_url"],
        repository_branch=values["repository_branch"],
        categories=categories,
        eras=tuple(Era(**era) for era in values["eras"]),
    )


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
    values = formats.PAGE.convert(node, "", Reader(path, problems, line_offset=1))
    if values is INVALID:
        return None
    return Page(slug=slug, path=path, title=values["title"], description=_one_paragraph(values["description"]),
                body_markdown=text[match.end():], order=values["order"], nav_title=values["nav_title"] or values["title"])


def check_links(events: Iterable[Event], problems: Problems, unparsed: frozenset[str] = frozenset()) -> None:
    """Cross-file rules: one event per slug, and every `related` slug names another event.

    Slugs in `unparsed` belong to files that exist but have errors of their own: links to
    them are not reported again.
    """
    by_slug: dict[str, Event] = {}
    for event in sorted(events, key=lambda e: e.path):
        if event.slug in by_slug:
            problems.add(event.path, 1, 1, "slug", f"'{event.slug}' is already used by {by_slug[event.slug].path}; rename one of the files")
        else:
            by_slug[event.slug] = event
    for event in by_slug.values():
        for index, slug in enumerate(event.related):
            where = f"related[{index}]"
            line, column = event.marks.get(where, (1, 1))
            if slug == event.slug:
                problems.add(event.path, line, column, where, "an event cannot be related to itself")
            elif slug not in by_slug and slug not in unparsed:
                problems.add(event.path, line, column, where, f"no event with slug '{slug}'{did_you_mean(slug, by_slug)}")


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
        self.entries: dict[tuple[str, bytes], tuple[Event | None, list[Problem]]] = {}

    def use_config(self, config: SiteConfig) -> None:
        if config != self.config:
            self.config, self.entries = config, {}

    def event(self, source: SourceFile, root: Path) -> tuple[Event | None, list[Problem]]:
        assert self.config is not None
        key = (source.shown, source.data)
        if key not in self.entries:
            problems = Problems()
            event = None
            if check_slug(source.shown, source.slug, problems):
                file = source.path.relative_to(root).as_posix() if source.path.is_relative_to(root) else source.path.name
                event = read_event(source.shown, source.slug, source.data, self.config, problems, file)
            self.entries[key] = (event, problems.items)
        return self.entries[key]

    def forget_all_but(self, keep: set[tuple[str, bytes]]) -> None:
        for key in [key for key in self.entries if key not in keep]:
            del self.entries[key]


def validate_site(sources: SiteSources, cache: ParseCache | None = None) -> Site:
    """Everything or nothing: a Site when every file is valid, else SiteInvalid with every problem."""
    cache = cache if cache is not None else ParseCache()
    problems = Problems()
    problems.extend(sources.problems)
    config = None
    if sources.config is not None:
        config = read_config(sources.config.shown, sources.config.data, problems)
    if config is None:
        raise SiteInvalid(problems.items)

    cache.use_config(config)
    events = []
    for source in sources.events:
        event, event_problems = cache.event(source, sources.root)
        problems.extend(event_problems)
        if event is not None:
            events.append(event)
    parsed = {event.slug for event in events}
    check_links(events, problems, frozenset(source.slug for source in sources.events) - parsed)
    cache.forget_all_but({(source.shown, source.data) for source in sources.events})

    pages = []
    for source in sources.pages:
        if check_slug(source.shown, source.slug, problems):
            page = read_page(source.shown, source.slug, source.data, problems)
            if page is not None:
                pages.append(page)
    if problems:
        raise SiteInvalid(problems.items)
    return Site(
        root=sources.root,
        config=config,
        events=tuple(sorted(events, key=lambda event: event.sort_key)),
        pages=tuple(sorted(pages, key=lambda page: (page.order, page.slug))),
    )
