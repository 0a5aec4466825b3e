"""Issue 13, "no internal errors on content": generated event files, site.yaml files and
template snippets never end in a traceback or an "internal error".

For every generated case the CLI (in-process, as `run_cli` runs it) must exit 0 or 1, and
every line it writes on stderr must be a located problem (`path:line:col: [warning: ]field:
message` or `path:line:col: message`, see site_builder/errors.py) naming a file of the site,
or the closing summary line. A failed build must leave the output folder as it was.

- events and site.yaml: a valid-looking file with fields replaced, removed or added (every
  kind of YAML scalar: null, bools, YAML 1.1 numbers, edge and impossible dates, tags,
  aliases, strings with control and invisible characters, lists, mappings), lines inserted,
  or raw text and bytes; run through `check` (validation only, a few milliseconds each);
- templates: small Jinja snippets placed in the site's templates/ over a theme template
  (expressions, filters, includes, undefined names, broken syntax); run through `build`.

The fixture site is copied once per test; each example rewrites only its one file.
Cases per test: HYPOTHESIS_CASES (default 1500) for each `check` test, a tenth of it for
the `build` test; `benchmarks/fuzz_content.py` runs the same tests with far more.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import string
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from site_builder import render
from site_builder.cli import main
from site_builder.render import RenderCaches

from conftest import BUILD_DATE_EPOCH, FIXTURE

CASES = int(os.environ.get("HYPOTHESIS_CASES", "1500"))
BUILD_CASES = max(10, CASES // 10)  # a build renders every page: 10 to 100 times slower than a check

settings.register_profile("content-fuzz", deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])
FUZZ = settings.get_profile("content-fuzz")

# -- What stderr may hold ---------------------------------------------------------------------
PROBLEM_LINE = re.compile(r"(?P<path>[^\n:]+):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): (?P<warning>warning: )?(?P<text>\S.*)")
SUMMARY_LINE = re.compile(r"\d+ files?(, \d+ errors?)?(, \d+ warnings?)?(; nothing was written)?")


@dataclass
class Outcome:
    code: int
    out: str
    err: str


def assert_reported_properly(outcome: Outcome, files: set[str]) -> None:
    """Exit 0 or 1, no traceback, no internal error, every stderr line a located problem in
    a file of the site (or the summary), and exit 1 only with at least one error listed."""
    note(f"exit {outcome.code}\nstderr:\n{outcome.err}")
    assert outcome.code in (0, 1), outcome.err
    assert "Traceback" not in outcome.err and "internal error" not in outcome.err, outcome.err
    errors = 0
    for line in outcome.err.splitlines():
        if SUMMARY_LINE.fullmatch(line):
            continue
        match = PROBLEM_LINE.fullmatch(line)
        assert match is not None, f"not a located problem: {line!r}"
        assert match["path"] in files, f"names a file that is not in the site: {line!r}"
        errors += match["warning"] is None
    if outcome.code == 1:
        assert errors, f"exit 1 without a located problem:\n{outcome.err}"


@contextmanager
def in_folder(folder: Path) -> Iterator[None]:
    """The site folder as the current one, so that messages name files as contributors type them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
        patch.delenv("GITHUB_ACTIONS", raising=False)
        patch.delenv("SITE_BUILDER_DEBUG", raising=False)
        yield


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Outcome:
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as exit:  # argparse: cannot happen with these arguments, but report it as it is
        code = exit.code if isinstance(exit.code, int) else 2
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def site_files(root: Path) -> set[str]:
    """The files a problem may name: the site's own, as contributors type them."""
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file() or path.is_symlink()}


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixture site, shared by the examples of this module (each test puts
    back what it changed)."""
    return Path(shutil.copytree(FIXTURE, tmp_path_factory.mktemp("fuzz") / "site", ignore=shutil.ignore_patterns("output", ".*")))


# -- YAML written by hand: a document is nested dicts and lists whose leaves (and keys) are raw
# YAML text, so that a plain `no`, `2025-00`, `!!binary ...` or a broken quote reach the parser
# exactly as a contributor would type them.
Doc = Any


def emit(value: Doc, indent: int = 0) -> list[str]:
    pad = " " * indent

    def scalar(head: str, text: str) -> list[str]:
        first, *rest = text.split("\n")
        return [f"{head}{first}".rstrip()] + [f"{pad}  {line}" for line in rest]

    if isinstance(value, str):
        return scalar(pad, value)
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        lines = []
        for key, item in value.items():
            if isinstance(item, str):
                lines += scalar(f"{pad}{key}: ", item)
            elif not item:
                lines.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                lines.append(f"{pad}{key}:")
                lines += emit(item, indent + 2)
        return lines
    if not value:
        return [pad + "[]"]
    lines = []
    for item in value:
        if isinstance(item, str):
            lines += scalar(f"{pad}- ", item)
        elif not item:
            lines.append(f"{pad}- {'{}' if isinstance(item, dict) else '[]'}")
        else:
            inner = emit(item, indent + 2)
            lines += [f"{pad}- {inner[0][indent + 2:]}"] + inner[1:]
    return lines


def document(value: Doc) -> str:
    return "\n".join(emit(value)) + "\n"


def paths(value: Doc, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a document: mapping values and list items, at every depth."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, item in items:
        yield here + (key,)
        yield from paths(item, here + (key,))


def containers(value: Doc, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, (dict, list)):
        yield here
        for path in paths(value, here):
            if isinstance(get(value, path[len(here):]), (dict, list)):
                yield path


def get(value: Doc, path: tuple[Any, ...]) -> Doc:
    for key in path:
        value = value[key]
    return value


# -- Scalars of every kind ----------------------------------------------------------------------
PLAIN_TOKENS = [
    "", "~", "null", "Null", "NULL", "true", "false", "True", "yes", "no", "No", "on", "off", "y", "n", "Y", "N",
    "0", "-0", "1", "-1", "2", "3", "4", "9", "10", "1000", "0x1f", "0o17", "017", "0b101", "1_000", "+12", "-0x1",
    "99999999999999999999999999", "190:20:30", "1e3", "1.0e+3", "1.5", "-2.5", ".5", "6.8523015e+5", ".inf", "-.Inf", ".nan", ".NaN",
    "0000-00-00", "0000-01-01", "0001-01-01", "9999-12-31", "9999-12-32", "10000-01-01", "2025-00", "2025-00-00", "2025-06-00",
    "2025-02-29", "2024-02-29", "2025-02-30", "2025-13-01", "2025-1-5", "2025-01-01T10:00:00Z", "2024-12-22 10:00:00.5 +07:00",
    "2024-12-22t23:59:59.999999-23:59", "0", "0000", "9999", "10000", "-2025", "2025-", "2025-06-31", "1969-12-31", "1970-01-01",
    "2038-01-19", "2025-W01", "2025/06/01", "01/06/2025", "Q1 2025",
    "-", "--", "---", "...", "?", "#", "# a comment", ":", "<<", "=", "!", "&", "*", "|", ">", "@x", "`x`", "%YAML",
    "[]", "{}", "[a, b]", "{a: 1}", "[", "]", "{", "}", "'", '"', "''", '""', "'unterminated", '"unterminated',
    "a: b", "a #b", "https://news.test/x", "ftp://example", "http://", "https://", "https://example.com/", "javascript:alert(1)",
    "//news.test/x", "https://news.test/%", "https://[::1", "https://news.test/" + "x" * 300, "mailto:a@news.test",
    "council", "court", "public", "target", "event", "landmark", "en", "vi", "fr", "en-GB", "xx-Klingon", "zh-Hant-TW", "x",
    "2023-02-14-bridge-plan-approved", "2024-05-05-fuzzed-event", "#1f5f9e", "#fff", "red", "CC-BY-4.0", "main",
    "TODO", "Lorem ipsum", "example.com", "https://example.com/article",
    "!!binary aGVsbG8=", "!!binary !!!", "!!str", "!!str 1", "!!int x", "!!int 12", "!!float x", "!!float 1", "!!bool maybe",
    "!!null x", "!!timestamp 2025-13-45", "!!timestamp 2025-01-01", "!!set {a, b}", "!!omap [a: 1]", "!!pairs [a: 1]",
    "!!map {a: 1}", "!!seq [a]", "!!seq x", "!!map x", "!custom x", "!<tag:yaml.org,2002:str> x", "!!python/object:os.system x",
    "!!python/name:os.system", "!!python/object/apply:os.system [echo]", "&anchor x", "&a [a, b]", "*nosuch", "!!merge x",
    "|", ">", "|-", ">+", "|2", "|\nblock\ntext", ">\nfolded\ntext\n\nparagraph", "|\n\x07bell", "'multi\n\n  line'",
    '"\\a\\0\\x1b\\u200b"', '"\\ud83d\\ude00"', '"\\ud800"', '"\\U0010ffff"', '"\\N\\_\\L\\P"', '"\\e"', '"\\xff"', '"\\q"',
    "\t", "a\tb", "\u200b", "\u00a0", "\u202e", "\ufeff", "\u2028", "\u0085", "\x00", "\x07", "\x1b", "\x7f", "\ufffe", "\U0001f600",
]

SPECIAL_CHARACTERS = [
    "\x00", "\x01", "\x07", "\x08", "\t", "\n", "\r", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\xa0", "\xad", "\u034f",
    "\u061c", "\u115f", "\u180e", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2028", "\u2029", "\u202a", "\u202e",
    "\u2060", "\u2066", "\u3000", "\ufeff", "\ufffc", "\ufffd", "\ufffe", "\U000e0001", "\U0001f600", "ệ", "ồ", "ữ", "ﬁ", "İ",
    "<", ">", "&", "'", '"', "\\", ":", "#", "-", "{", "}", "[", "]", ",", "*", "!", "|", "%", "@", "`", " ",
    "</script>", "<script>", "{{", "}}", "{%", "%}", "\u0301",
]

texts = st.lists(st.one_of(st.sampled_from(SPECIAL_CHARACTERS), st.characters(), st.sampled_from(string.ascii_letters)),
                 max_size=30).map("".join)


def plain_date(year: int, month: int, day: int, precision: int) -> str:
    return [f"{year:04d}", f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}-{day:02d}"][precision]


def quoted(text: str, style: str) -> str:
    if style == "json":
        return json.dumps(text)  # a YAML double-quoted scalar; non-BMP characters become surrogate pairs
    if style == "json-utf8":
        return json.dumps(text, ensure_ascii=False)
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "block":
        return "|\n" + text
    return text  # plain: as typed, whatever that does to the document


scalars = st.one_of(
    st.sampled_from(PLAIN_TOKENS),
    st.integers().map(str),
    st.floats().map(repr),
    st.dates().map(str),
    st.datetimes().map(str),
    st.builds(plain_date, st.integers(0, 10001), st.integers(0, 13), st.integers(0, 32), st.integers(0, 2)),
    st.builds(quoted, texts, st.sampled_from(["json", "json-utf8", "single", "block", "plain"])),
)

KEYS = st.one_of(
    st.sampled_from(["title", "date", "url", "key", "label", "value", "x", "<<", "? complex", "1", "~", "null", "2025-01-01",
                     "[a]", "{a: 1}", "!!binary aGVsbG8=", "&k k", "*k", '"quoted key"', "'t'", "titel", "dates", "Title"]),
    st.builds(quoted, texts, st.sampled_from(["json", "single"])),
)

values: st.SearchStrategy[Doc] = st.recursive(
    scalars, lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=3), max_leaves=6)


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Doc], known_fields: list[str]) -> str:
    """`base` with one to three fields replaced, removed or added, and perhaps a line inserted."""
    doc = json.loads(json.dumps(base))  # a deep copy
    for _ in range(draw(st.integers(1, 3))):
        operation = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add"]))
        if operation == "add":
            where = draw(st.sampled_from(sorted(containers(doc), key=str)))
            target = get(doc, where)
            item = draw(values)
            if isinstance(target, dict):
                target[draw(st.sampled_from(known_fields) | KEYS)] = item
            else:
                target.append(item)
            continue
        places = sorted(paths(doc), key=str)
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent = get(doc, path[:-1])
        if operation == "remove":
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(values)
    text = document(doc)
    if draw(st.integers(0, 9)) == 0:  # a stray line anywhere: indentation, tabs, syntax
        lines = text.split("\n")
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["", " ", "\t", "  x", "- a", "x: [", "---", "...", "%TAG"]) | texts))
        text = "\n".join(lines)
    return text


raw_files = st.one_of(texts, st.text(), st.binary(max_size=200).map(lambda data: data.decode("latin-1")))


def file_contents(base: dict[str, Doc], known_fields: list[str]) -> st.SearchStrategy[str | bytes]:
    return st.one_of(
        mutated(base, known_fields),
        mutated(base, known_fields),
        mutated(base, known_fields),
        raw_files,
        st.binary(max_size=100).map(lambda data: b"title: " + data + b"\n"),
        st.binary(min_size=1, max_size=200),
    )


def write(path: Path, content: str | bytes) -> None:
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))


# -- Events -------------------------------------------------------------------------------------
EVENT: dict[str, Doc] = {
    "title": "Council approves the ferry timetable",
    "label": "Timetable approved",
    "date": "2024-05-05",
    "end_date": "2024-06-30",
    "category": "council",
    "kind": "event",
    "importance": "2",
    "summary": "The council approved a new ferry timetable for the harbour.",
    "body": "|\nThe timetable *changes* on [1 June](https://news.test/june).\n\n- one\n- two",
    "actors": ["Harbour City Council", "Harbour Ferries Ltd"],
    "location": "Harbour City Hall",
    "documents": ["Council Decision No. 30/2024"],
    "tags": ["ferries", "timetable"],
    "related": ["2023-02-14-bridge-plan-approved"],
    "legislation": {"identifier": "30/2024", "passed_by": "Harbour City Council"},
    "organizers": ["Harbour City Council"],
    "order": "1",
    "updated": "2024-05-06",
    "corrections": [{"date": "2024-05-07", "text": "An earlier version gave the wrong month."}],
    "sources": [
        {"title": "Council approves ferry timetable", "publisher": "Harbour Daily", "url": "https://news.test/2024/05/ferries",
         "date": "2024-05-05", "language": "en"},
        {"title": "Phà mới", "translated_title": "New ferries", "publisher": "Báo Cảng", "url": "https://news.test/vi/pha",
         "language": "vi"},
    ],
}
EVENT_FIELDS = ["title", "label", "date", "end_date", "category", "kind", "importance", "summary", "body", "actors",
                "location", "documents", "tags", "related", "sources", "legislation", "organizers", "order", "updated",
                "corrections", "translations", "publisher", "url", "identifier", "passed_by", "text", "language",
                "translated_title"]
EVENT_FILE = "events/2024-05-05-fuzzed-event.yaml"


def test_the_unmutated_event_and_site_are_valid(fuzz_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The generators start from valid files: otherwise every case would test one error."""
    write(fuzz_site / EVENT_FILE, document(EVENT))
    write(fuzz_site / "site.yaml", document(SITE))
    try:
        with in_folder(fuzz_site):
            outcome = run(capsys, "check")
    finally:
        (fuzz_site / EVENT_FILE).unlink()
        shutil.copy(FIXTURE / "site.yaml", fuzz_site / "site.yaml")
    assert (outcome.code, outcome.err) == (0, ""), outcome.err


@settings(FUZZ, max_examples=CASES)
@given(content=file_contents(EVENT, EVENT_FIELDS))
def test_any_event_file_is_checked_without_internal_error(fuzz_site: Path, capsys: pytest.CaptureFixture[str], content: str | bytes) -> None:
    path = fuzz_site / EVENT_FILE
    write(path, content)
    try:
        with in_folder(fuzz_site):
            outcome = run(capsys, "check")
        assert_reported_properly(outcome, site_files(fuzz_site))
    finally:
        path.unlink()


# -- site.yaml ----------------------------------------------------------------------------------
SITE: dict[str, Doc] = {
    "title": '"Harbour Bridge: a fictional test timeline"',
    "short_title": "Test timeline",
    "standfirst": "A fixture for the generator's tests, not a real timeline.",
    "language": "en-GB",
    "base_url": '"https://news.test/timeline/"',
    "repository_url": '"https://git.test/newsroom/timeline"',
    "repository_branch": "main",
    "publisher": "Harbour Daily",
    "licence": {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                "url": "https://creativecommons.org/licenses/by/4.0/"},
    "citation": "Harbour Daily, Harbour Bridge timeline.",
    "categories": [
        {"key": "council", "label": "City council", "colour": '"#1f5f9e"', "description": "The council's decisions."},
        {"key": "court", "label": "Courts", "colour": '"#6a3d9a"'},
        {"key": "public", "label": "Public meetings", "colour": '"#9a4f00"'},
    ],
    "eras": [
        {"label": "Planning", "start": "2023-01-01", "end": "2023-12-31"},
        {"label": "Construction", "start": "2024-01", "end": "2024"},
    ],
}
SITE_FIELDS = ["title", "short_title", "standfirst", "language", "languages", "base_url", "repository_url",
               "repository_branch", "categories", "eras", "publisher", "licence", "citation", "key", "label", "colour",
               "description", "start", "end", "name", "url", "translations"]


@settings(FUZZ, max_examples=CASES)
@given(content=file_contents(SITE, SITE_FIELDS))
def test_any_site_yaml_is_checked_without_internal_error(fuzz_site: Path, capsys: pytest.CaptureFixture[str], content: str | bytes) -> None:
    write(fuzz_site / "site.yaml", content)
    try:
        with in_folder(fuzz_site):
            outcome = run(capsys, "check")
        assert_reported_properly(outcome, site_files(fuzz_site))
    finally:
        shutil.copy(FIXTURE / "site.yaml", fuzz_site / "site.yaml")


# -- Templates ----------------------------------------------------------------------------------
# A theme template overridden by the site. Each is rendered by every build.
OVERRIDDEN = ["partials/footer.html", "partials/source.html", "partials/header.html", "page.html", "404.html", "index.html"]

NAMES = ["site", "config", "page_url", "url", "asset", "site_file", "canonical", "edition", "alternates", "list_item",
         "by_year", "has_asset", "card_size", "_", "gettext", "range", "loop", "self", "caller", "nosuch", "site.events",
         "site.events[0]", "site.events[0].title", "site.events[0].date", "site.pages", "site.figures", "config.categories",
         "config.categories[0]", "config.language", "config.nosuch", "site.events[99]", "site.events|first",
         "site.events[0].sources[0]", "site.events[0].date|date_label", "lipsum", "dict", "namespace", "cycler", "joiner"]
LITERALS = ["0", "1", "-1", "3", "1.5", "0.0", "''", "'x'", "'ệ'", "'<b>'", "None", "none", "true", "false", "[]", "[1, 2]",
            "{}", "{'a': 1}", "()", "'2025-00'", "'%s %s'", "'{{ x }}'", "'partials/footer.html'"]
FILTERS = ["upper", "lower", "title", "capitalize", "trim", "striptags", "e", "escape", "safe", "string", "int", "float",
           "abs", "round", "round(-1)", "length", "count", "first", "last", "list", "sort", "reverse", "unique", "min", "max",
           "sum", "join", "join(', ')", "default('d')", "default", "tojson", "urlencode", "urlize", "wordcount",
           "truncate(5)", "center(-5)", "indent(-1)", "batch(0)", "batch(2)", "slice(0)", "slice(2)",
           "format(1)", "replace('a', 'b')", "attr('nosuch')", "map(attribute='nosuch')", "map('upper')",
           "select('odd')", "reject('nosuchtest')", "selectattr('date')", "groupby('nosuch')", "items",
           "dictsort", "xmlattr", "wordwrap", "truncate(0)", "truncate(-1)",
           "filesizeformat", "random", "pprint", "nosuchfilter", "date_label", "same_language('en')",
           "same_language", "markdown", "iso"]


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    choice = draw(st.integers(0, 5 if depth < 2 else 1))
    if choice == 0:
        return draw(st.sampled_from(NAMES))
    if choice == 1:
        return draw(st.sampled_from(LITERALS))
    if choice == 2:
        return f"{draw(expressions(depth + 1))}|{draw(st.sampled_from(FILTERS))}"
    if choice == 3:
        operator = draw(st.sampled_from(["+", "-", "*", "/", "//", "%", "~", "==", "<", "and", "or", "in", "is defined", "is odd"]))
        if operator.startswith("is"):
            return f"({draw(expressions(depth + 1))} {operator})"
        return f"({draw(expressions(depth + 1))} {operator} {draw(expressions(depth + 1))})"
    if choice == 4:
        arguments = ", ".join(draw(st.lists(expressions(depth + 1), max_size=2)))
        return f"{draw(st.sampled_from(NAMES))}({arguments})"
    return f"{draw(expressions(depth + 1))}[{draw(expressions(depth + 1))}]"


INCLUDED = ["partials/footer.html", "partials/macros.html", "partials/source.html", "base.html", "index.html", "nosuch.html",
            "../site.yaml", "/etc/passwd", "partials", ""]

statements = st.one_of(
    st.builds("{{{{ {} }}}}".format, expressions()),
    st.builds("{{% if {} %}}yes{{% else %}}no{{% endif %}}".format, expressions()),
    st.builds("{{% for item in {} %}}{{{{ item }}}}{{% endfor %}}".format, expressions()),
    st.builds("{{% set x = {} %}}{{{{ x }}}}".format, expressions()),
    st.builds("{{% include {!r} %}}".format, st.sampled_from(INCLUDED)),
    st.builds("{{% include {!r} ignore missing %}}".format, st.sampled_from(INCLUDED)),
    st.builds("{{% import {!r} as m %}}{{{{ m.swatch(1) }}}}".format, st.sampled_from(INCLUDED)),
    st.builds("{{% extends {!r} %}}".format, st.sampled_from(INCLUDED)),
    st.builds("{{% from 'partials/macros.html' import {} %}}".format, st.sampled_from(["swatch", "nosuch", "swatch as s"])),
    st.sampled_from(["{% macro m(a) %}{{ a }}{% endmacro %}{{ m() }}{{ m(1, 2) }}", "{% raw %}{{ x }}{% endraw %}",
                     "{% block content %}b{% endblock %}", "{% call m() %}x{% endcall %}", "{% trans %}Hello {{ x }}{% endtrans %}",
                     "{{ _('Events by category') }}", "{{ ngettext('a', 'b', 'x') }}", "{% with a = 1 %}{{ a }}{% endwith %}",
                     "{% filter upper %}x{% endfilter %}", "{% autoescape false %}{{ '<b>' }}{% endautoescape %}",
                     "{% do x %}", "{% break %}", "{# unclosed\nx", "{# closed #}", "{% if %}", "{% endif %}", "{% for %}", "{{", "}}", "{{ }}", "{% %}",
                     "{{ x |}}", "{{ 1 +* 2 }}", "{{ 'unterminated }}", "{% include %}", "{% set %}", "{{ a.b.c.d }}",
                     "{{ site.events|map(attribute='title')|join }}", "{{ url(42) }}", "{{ asset('nosuch.css') }}",
                     "{{ list_item(1) }}", "{{ list_item(site.events[0]) }}", "{{ by_year() }}", "{{ site_file(none) }}"]),
    texts,
)


@st.composite
def template_snippets(draw: st.DrawFn) -> str | bytes:
    text = "\n".join(draw(st.lists(statements, min_size=1, max_size=4)))
    if draw(st.integers(0, 19)) == 0:
        return text.encode("utf-8", "surrogatepass") + draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80"]))
    return text


@pytest.fixture(scope="module")
def built_site(fuzz_site: Path) -> Iterator[tuple[Path, Path]]:
    """The site built once (so that later builds replace an output of ours), and one set of
    render caches for every build: charts depend on the content, not on the templates, and
    compiling them is most of a build's time (the preview server keeps them the same way)."""
    output = fuzz_site.parent / "output"
    caches = RenderCaches()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "RenderCaches", lambda **kept: caches)  # what the build imports when it renders
        with in_folder(fuzz_site):
            assert main(["build", "--output", str(output)]) == 0
        yield fuzz_site, output


@settings(FUZZ, max_examples=BUILD_CASES)
@given(name=st.sampled_from(OVERRIDDEN), snippet=template_snippets())
def test_any_site_template_is_built_without_internal_error(built_site: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
                                                           name: str, snippet: str | bytes) -> None:
    root, output = built_site
    path = root / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    write(path, snippet)
    before = fingerprint(output)
    try:
        with in_folder(root):
            outcome = run(capsys, "build", "--output", str(output))
        assert_reported_properly(outcome, site_files(root))
        if outcome.code == 1:
            assert fingerprint(output) == before, "a failed build changed the output folder"
    finally:
        shutil.rmtree(root / "templates")


def fingerprint(output: Path) -> tuple[int, int, bytes]:
    index = output / "index.html"
    return os.stat(output).st_ino, index.stat().st_mtime_ns, index.read_bytes()

