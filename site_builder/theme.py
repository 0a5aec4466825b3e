"""The theme a site is drawn with: the generator's default templates and static files
(package data under `site_builder/theme/`), overridden file by file by the site's own
`templates/` and `static/`.

Both are read into memory by the load stage, like events, so that templates are served to
Jinja from here (never from an arbitrary folder), a template or asset change is just
another input change for the preview server, and a built wheel carries everything a new
site needs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

THEME_ROOT = Path(__file__).resolve().parent / "theme"
THEME_TEMPLATES = THEME_ROOT / "templates"
THEME_STATIC = THEME_ROOT / "static"
TEMPLATES_DIR = "templates"  # a site's own overrides, beside site.yaml
STATIC_DIR = "static"
STATIC_PREFIX = "static/"  # where static files are published
EXTRA_CSS = "css/extra.css"  # a site's additions to the theme's stylesheet, linked when present


@dataclass(frozen=True)
class TemplateFile:
    text: str
    shown: str  # how error messages name the file


@dataclass(frozen=True)
class Theme:
    """Templates by name ('partials/header.html') and static files by name ('css/site.css')."""

    templates: dict[str, TemplateFile] = field(default_factory=dict)
    static: dict[str, bytes] = field(default_factory=dict)

    @cached_property
    def fingerprints(self) -> dict[str, str]:
        """A short hash per static file, appended to its URL so that browsers never keep a stale copy."""
        return {name: fingerprint(data) for name, data in self.static.items()}

    @cached_property
    def digest(self) -> str:
        """Changes whenever any template or static file does: every page depends on it."""
        whole = hashlib.sha256()
        for name in sorted(self.templates):
            whole.update(f"t:{name}\0{self.templates[name].text}\0".encode())
        for name in sorted(self.fingerprints):
            whole.update(f"s:{name}\0{self.fingerprints[name]}\0".encode())
        return whole.hexdigest()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Theme) and (self is other or self.digest == other.digest)

    def __hash__(self) -> int:
        return hash(self.digest)


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]
