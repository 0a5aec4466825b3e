"""Contributor text to safe HTML: Markdown rendered, then sanitised with nh3 (ammonia).

Markdown allows raw HTML, so the rendered result is untrusted until nh3 has removed
scripts, event handlers, styles and non-http(s) links. Everything else a contributor
writes (titles, summaries, names) is plain text and escaped by Jinja2's autoescape.
"""

from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


class MarkdownRenderer:
    """One Markdown converter reused for every text, with results kept by text.

    Building a converter loads its extensions (milliseconds each time), and the preview
    server renders the same bodies again and again, so both are kept for the life of a
    build or of a preview session.
    """

    def __init__(self) -> None:
        self._converter = markdown.Markdown(
            extensions=["extra", "sane_lists", "smarty", "toc"],
            extension_configs={"toc": {"slugify": _heading_id}},
            output_format="html",
        )
        self._done: dict[str, Markup] = {}

    def __call__(self, text: str) -> Markup:
        if text not in self._done:
            self._done[text] = render_markdown(text, self._converter)
        return self._done[text]


def render_markdown(text: str, converter: markdown.Markdown) -> Markup:
    """Markdown to sanitised HTML. The page title owns the <h1>, so '#' and '##' both give <h2>."""
    if not text.strip():
        return Markup("")
    html = converter.reset().convert(text)
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    return Markup(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
    )


def _heading_id(value: str, separator: str) -> str:
    from slugify import slugify

    return "section-" + (slugify(value, separator=separator) or "untitled")
