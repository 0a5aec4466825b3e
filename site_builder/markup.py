"""Contributor text to safe HTML: Markdown rendered, then sanitised with nh3 (ammonia).

Markdown allows raw HTML, so the rendered result is untrusted until nh3 has removed
scripts, event handlers, styles and non-http(s) links. Everything else a contributor
writes (titles, summaries, names) is plain text and escaped by Jinja2's autoescape.

A body shares its page with the theme's own anchors (`main`, `source-1`, `year-2025` ...),
so a contributor must not be able to name an element: raw HTML is removed before Markdown
sees it (CONTRIBUTING.md promises so), the attribute-list syntax (`{: #main }`) is not
enabled, and nh3 keeps an id only when it carries one of the prefixes Markdown itself
gives: `section-` for headings, `fn-` and `fnref-` for footnotes and their back links.
No theme id starts with these. Classes are never kept.

The result is valid HTML (the Nu HTML Checker finds nothing in it, tests/test_html_valid.py):
a link's address is written as a valid URL (`[x](<https://a.test/a b>)` gives `a%20b`), and a
link left without an address (`javascript:`, an impossible host) becomes its text.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from pathlib import Path

import markdown
import nh3
from markupsafe import Markup

from .buildrecord import engine_fingerprint, read_entry, store
from .urls import valid_url

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"}, "sup": {"id"},  # footnotes and the references to them
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
OWN_ID = re.compile(r"(section|fn|fnref)-[\w.-]+")  # the only ids a body may carry
EXTENSIONS = ["abbr", "def_list", "fenced_code", "footnotes", "tables", "sane_lists", "smarty", "toc"]


class MarkdownRenderer:
    """One Markdown converter reused for every text, with results kept by text.

    Building a converter loads its extensions (milliseconds each time), and the preview
    server renders the same bodies again and again, so both are kept for the life of a
    build or of a preview session. Given a file (in the build's cache folder), results are
    also kept between builds, by the hash of the text, for this version of the generator
    (its code and libraries): a build after one edit converts one body, not all of them.
    """

    def __init__(self, kept: Path | None = None) -> None:
        self._converter: markdown.Markdown | None = None
        self._done: dict[str, Markup] = {}
        self._file = kept
        self._stored = self._read() if kept is not None else {}
        self._new = 0
        self._handed = 0  # results already handed over to the parent (`handed_over`)

    def _read(self) -> dict[str, str]:
        """The results kept by an earlier build; none if the file is missing, damaged or
        written by another version of the generator."""
        assert self._file is not None
        try:
            data = json.loads(read_entry(self._file, lambda _: True) or b"{}")
        except ValueError:
            return {}
        if not isinstance(data, dict) or data.get("generator") != engine_fingerprint() or not isinstance(data.get("html"), dict):
            return {}
        return {key: html for key, html in data["html"].items() if isinstance(html, str)}

    def __call__(self, text: str) -> Markup:
        if text not in self._done:
            stored = self._stored.get(_text_key(text))
            if stored is not None:
                self._done[text] = Markup(stored)
            else:
                if self._converter is None:
                    self._converter = make_converter()
                self._done[text] = render_markdown(text, self._converter)
                self._new += 1
        return self._done[text]

    def known(self) -> dict[str, str]:
        """Every result at hand, by the hash of its text: what a helper process starts from."""
        return self._stored | {_text_key(text): str(result) for text, result in self._done.items()}

    @classmethod
    def knowing(cls, known: dict[str, str]) -> MarkdownRenderer:
        """A renderer for a helper process (`spread.py`), starting from another's results."""
        renderer = cls()
        renderer._stored = known
        return renderer

    def handed_over(self) -> dict[str, str]:
        """What this renderer converted or reused since the last call, by text: a helper sends
        it back, so that the build keeps every result it used (each result once)."""
        done = {text: str(result) for text, result in itertools.islice(self._done.items(), self._handed, None)}
        self._handed = len(self._done)
        return done

    def adopt(self, results: dict[str, str]) -> None:
        """Results a helper process made, kept as if made here."""
        for text, html in results.items():
            if text not in self._done:
                self._done[text] = Markup(html)
                self._new += _text_key(text) not in self._stored

    def save(self) -> None:
        """Keep this build's results for the next one (only what this build used, so the file
        does not grow with texts long deleted); nothing to write if nothing was converted."""
        if self._file is None or (self._new == 0 and len(self._done) == len(self._stored)):
            return
        html = {_text_key(text): str(result) for text, result in sorted(self._done.items())}
        store(self._file, json.dumps({"generator": engine_fingerprint(), "html": html}, ensure_ascii=False).encode("utf-8"))


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def make_converter() -> markdown.Markdown:
    """Python-Markdown's 'extra' without attr_list and md_in_html (both let a contributor
    set ids and classes), raw HTML switched off, footnote ids as `fn-1` and `fnref-1`."""
    converter = markdown.Markdown(
        extensions=EXTENSIONS,
        extension_configs={"toc": {"slugify": _heading_id}, "footnotes": {"SEPARATOR": "-"}},
        output_format="html",
    )
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


def render_markdown(text: str, converter: markdown.Markdown) -> Markup:
    """Markdown to sanitised HTML. The page title owns the <h1>, so '#' and '##' both give <h2>."""
    text = remove_raw_html(text)
    if not text.strip():
        return Markup("")
    html = converter.reset().convert(text)
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_own_ids_only,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Markup(LINK.sub(_unwrap_dead_link, html) if "<a" in html else html)


# An <a> as nh3 writes it: attributes in double quotes, '"' and '>' escaped in their values;
# links cannot nest, so the first </a> closes it.
LINK = re.compile(r'<a((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*>(.*?)</a>', re.DOTALL)


def _unwrap_dead_link(match: re.Match[str]) -> str:
    """A link nh3 or valid_url took the address from is its text: `rel` (which nh3 adds) is
    not allowed on an <a> without `href`, and a link that goes nowhere should not look like one."""
    return match.group(0) if " href=" in match.group(1) else match.group(2)


_ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^"'=<>`\s]+|'[^']*'|"[^"]*"))?"""
RAW_HTML = re.compile(  # CommonMark's definition of raw HTML: tags, comments, declarations
    rf"<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>"
    r"|<!--.*?-->|<\?.*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>",
    re.DOTALL,
)
FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")


def remove_raw_html(text: str) -> str:
    """The text without HTML tags and comments, outside code spans and fenced code.

    Python-Markdown would otherwise pass raw HTML through, and with raw HTML only switched
    off it would show `<h2 id="main">` to readers as text; removing it is what the
    contributors' guide promises. What lies between the tags stays, as text. In code a
    `<tag>` is what the writer means to show, so code is left alone; `a < b` and the
    autolink `<https://...>` are not HTML and stay too.
    """
    if "<" not in text:
        return text
    pieces, last = [], 0
    for begin, finish in _code_ranges(text):
        pieces += [RAW_HTML.sub("", text[last:begin]), text[begin:finish]]
        last = finish
    pieces.append(RAW_HTML.sub("", text[last:]))
    return "".join(pieces)


def _code_ranges(text: str) -> list[tuple[int, int]]:
    """Fenced blocks and `code spans`, found in one pass (a regular expression that looks
    ahead for each backtick's partner takes quadratic time on a body full of backticks)."""
    ranges: list[tuple[int, int]] = []
    position, fence = 0, ""
    for line in text.splitlines(keepends=True):
        opening = FENCE.match(line)
        if fence and line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            ranges[-1] = (ranges[-1][0], position + len(line))
            fence = ""
        elif not fence and opening:
            fence = opening.group(1)
            ranges.append((position, len(text)))
        elif not fence:
            ranges += [(position + a, position + b) for a, b in _code_spans(line)]
        position += len(line)
    return ranges


def _code_spans(line: str) -> list[tuple[int, int]]:
    """A run of backticks opens a span that the next run of the same length closes."""
    runs = [(match.start(), match.end()) for match in re.finditer("`+", line)]
    partner: list[int | None] = [None] * len(runs)
    seen: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        size = runs[index][1] - runs[index][0]
        partner[index] = seen.get(size)
        seen[size] = index
    spans, index = [], 0
    while index < len(runs):
        closing = partner[index]
        if closing is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[closing][1]))
        index = closing + 1
    return spans


def _own_ids_only(tag: str, attribute: str, value: str) -> str | None:
    """An id Markdown made (prefixed) is kept; any other id is dropped. Links to the page's
    own anchors (`#sources-title`) stay: a link cannot take an anchor over, an id can. A
    link's address is written as a valid URL, or dropped when it cannot be one."""
    if attribute == "id":
        return value if OWN_ID.fullmatch(value) else None
    if attribute == "href":
        return valid_url(value)
    return value


def _heading_id(value: str, separator: str) -> str:
    from slugify import slugify

    return "section-" + (slugify(value, separator=separator) or "untitled")
