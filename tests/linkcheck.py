"""Find every internal link in a built site and report those that lead nowhere."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name) and not (tag == "link" and values.get("rel") in ("canonical",)):
                self.links.append(values[name])


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(root: Path, mount: str = "/") -> list[str]:
    """Links in root/**/*.html that do not resolve, as if root were served at `mount`."""
    broken = []
    for page in sorted(root.rglob("*.html")):
        page_url = mount + page.relative_to(root).as_posix()
        parsed = parse(page)
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external
            if not parts.path:
                if parts.fragment and parts.fragment not in parsed.ids:
                    broken.append(f"{page_url}: {link} (no such id)")
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page_url), unquote(parts.path)))
            if parts.path.endswith("/") and not target.endswith("/"):
                target += "/"
            if not target.startswith(mount):
                broken.append(f"{page_url}: {link} (outside the site)")
                continue
            file = root / target[len(mount):]
            if target.endswith("/"):
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{page_url}: {link}")
    return broken
