"""Find and read a site's files: site.yaml, events/ and content/ (bytes only, no parsing).

Reading is separate from validation so that the build can time the two, and so that the
preview server can hand validation only what changed. Files that cannot be read, or that
sit in events/ without being YAML, are problems here rather than silently skipped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problems

CONFIG_FILE = "site.yaml"
EVENTS_DIR = "events"
CONTENT_DIR = "content"
EVENT_SUFFIXES = (".yaml", ".yml")
NOT_EVENTS = {"schema.json", "README.md"}
RESERVED_PAGE_SLUGS = {"events", "categories", "static", "index", "404"}
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STATIC = PACKAGE_ROOT / "static"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    shown: str  # how error messages name it
    data: bytes

    @property
    def slug(self) -> str:
        return self.path.stem


@dataclass
class SiteSources:
    root: Path
    config: SourceFile | None
    events: list[SourceFile] = field(default_factory=list)
    pages: list[SourceFile] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)


def display_path(path: Path) -> str:
    """Paths as a contributor types them: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def is_editor_litter(name: str) -> bool:
    """Lock, swap and backup files that editors leave beside the file being edited."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


def _walk(folder: Path) -> list[Path]:
    found = []
    for directory, subdirs, names in os.walk(folder):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]
        found.extend(Path(directory) / name for name in names if not is_editor_litter(name))
    return sorted(found)


def _read(path: Path, problems: Problems) -> SourceFile | None:
    shown = display_path(path)
    try:
        return SourceFile(path, shown, path.read_bytes())
    except OSError as error:  # vanished between listing and reading, or unreadable
        problems.add(shown, 1, 1, "", f"cannot read file: {error.strerror or error}")
        return None


def read_sources(root: Path) -> SiteSources:
    problems = Problems()
    config_path = root / CONFIG_FILE
    if config_path.is_file():
        config = _read(config_path, problems)
    else:
        config = None
        problems.add(display_path(config_path), 1, 1, "", "site configuration file not found")
    sources = SiteSources(root=root, config=config, problems=problems)

    events_dir = root / EVENTS_DIR
    for path in _walk(events_dir) if events_dir.is_dir() else []:
        if path.name in NOT_EVENTS:
            continue
        if path.suffix not in EVENT_SUFFIXES:
            problems.add(display_path(path), 1, 1, "", f"not an event file: event files are YAML and end in .yaml (found '{path.name}')")
            continue
        if (source := _read(path, problems)) is not None:
            sources.events.append(source)

    content_dir = root / CONTENT_DIR
    for path in sorted(content_dir.glob("*.md")) if content_dir.is_dir() else []:
        if is_editor_litter(path.name):
            continue
        if path.stem in RESERVED_PAGE_SLUGS:
            problems.add(display_path(path), 1, 1, "slug", f"'{path.stem}' is a name the generator uses; rename the page")
            continue
        if (source := _read(path, problems)) is not None:
            sources.pages.append(source)
    return sources


def read_static(root: Path) -> dict[str, bytes]:
    """The default static files, then the site's own, which win on the same path."""
    files: dict[str, bytes] = {}
    for folder in (DEFAULT_STATIC, root / "static"):
        for path in _walk(folder) if folder.is_dir() else []:
            files["static/" + path.relative_to(folder).as_posix()] = path.read_bytes()
    return files
