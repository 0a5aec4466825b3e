"""Find every internal link in a built site and report those that lead nowhere.

A link is internal when it is relative, starts with the path the site is served at (the
mount), or is an absolute URL under the site's base URL (the canonical link of its home
page, when it has one). It is looked for in `href`, `src`, `srcset`, `poster` and
`xlink:href`, and in the `content` of the `og:url`, `og:image` and `twitter:image` meta tags.
It must lead to a file of the output (a folder URL to its `index.html`), and its `#fragment`,
on an HTML page, to an element of that page with that id (or an `<a name>`).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

URL_ATTRIBUTES = ("href", "src", "poster", "xlink:href")
URL_METAS = ("og:url", "og:image", "twitter:image")
TOP = ("", "top")  # a fragment that needs no id: the top of the page (HTML's "scroll to the fragment")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical = values.get("href")
        self.links += [values[name] for name in URL_ATTRIBUTES if values.get(name)]
        if values.get("srcset"):  # "url 2x, url 640w": the URL is each candidate's first word
            self.links += [candidate.split()[0] for candidate in values["srcset"].split(",") if candidate.strip()]
        if tag == "meta" and (values.get("property") or values.get("name")) in URL_METAS and values.get("content"):
            self.links.append(values["content"])

    handle_startendtag = handle_starttag


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


@dataclass
class _Site:
    root: Path
    mount: str
    base_url: str | None
    pages: dict[Path, _Links] = field(default_factory=dict)

    def page(self, file: Path) -> _Links:
        if file not in self.pages:
            self.pages[file] = parse(file)
        return self.pages[file]


def broken_links(root: Path, mount: str = "/", base_url: str | None = None) -> list[str]:
    """Links in root/**/*.html that do not resolve, as if root were served at `mount`, each
    as 'page: link (why)'. `base_url` defaults to the home page's canonical link."""
    site = _Site(root, mount, base_url)
    if site.base_url is None and (root / "index.html").is_file():
        site.base_url = site.page(root / "index.html").canonical
    broken = []
    for page in sorted(root.rglob("*.html")):
        page_url = mount + page.relative_to(root).as_posix()
        broken += [f"{page_url}: {link} ({why})" for link in site.page(page).links if (why := _problem(site, page, page_url, link))]
    return broken


def _problem(site: _Site, page: Path, page_url: str, link: str) -> str | None:
    """Why `link` on `page` leads nowhere, or None when it resolves (or leaves the site)."""
    if site.base_url and link.startswith(site.base_url):
        link = site.mount + link[len(site.base_url):]
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None  # another site
    if not parts.path:  # "#fragment" or "?query": this page
        return _missing_fragment(site.page(page), parts.fragment)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_url), unquote(parts.path)))
    if parts.path.endswith("/") and not target.endswith("/"):
        target += "/"
    if not target.startswith(site.mount) and target + "/" != site.mount:
        return "outside the site"
    file = site.root / target[len(site.mount):]
    if target.endswith("/") or target + "/" == site.mount:
        file = file / "index.html"
    if not file.is_file():
        return "no such file"
    if file.suffix == ".html":
        return _missing_fragment(site.page(file), parts.fragment)
    return None


def _missing_fragment(target: _Links, fragment: str) -> str | None:
    name = unquote(fragment)
    return None if name in TOP or name in target.ids else f"no id '{name}' there"
