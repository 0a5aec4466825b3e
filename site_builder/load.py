"""Find and read a site's files: site.yaml, events/ and content/ (bytes only, no parsing).

Reading is separate from validation so that the build can time the two, and so that the
preview server can hand validation only what changed. Files that cannot be read, or that
sit in events/ without being YAML, are problems here rather than silently skipped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, Problems

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


Entry = SourceFile | Problem  # a readable source file, or why a file cannot be one


def _read(path: Path) -> Entry | None:
    """None when the file has gone (deleted, or renamed away mid-save): it is simply not there."""
    shown = display_path(path)
    try:
        return SourceFile(path, shown, path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError as error:  # unreadable, or a folder where a file was
        return Problem(shown, 1, 1, "", f"cannot read file: {error.strerror or error}")


def _event_entry(path: Path) -> Entry | None:
    if is_editor_litter(path.name) or path.name in NOT_EVENTS or path.is_dir():
        return None
    if path.suffix not in EVENT_SUFFIXES:
        if not path.exists():
            return None
        return Problem(display_path(path), 1, 1, "", f"not an event file: event files are YAML and end in .yaml (found '{path.name}')")
    return _read(path)


def _page_entry(path: Path) -> Entry | None:
    if is_editor_litter(path.name) or path.suffix != ".md":
        return None
    if path.stem in RESERVED_PAGE_SLUGS:
        return Problem(display_path(path), 1, 1, "slug", f"'{path.stem}' is a name the generator uses; rename the page") if path.exists() else None
    return _read(path)


@dataclass
class SourceTree:
    """The site's source files, kept between rebuilds so that only changed files are read again."""

    root: Path
    config: Entry | None = None
    events: dict[Path, Entry] = field(default_factory=dict)
    pages: dict[Path, Entry] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path) -> "SourceTree":
        tree = cls(root)
        tree.config = _read(root / CONFIG_FILE)
        folder = root / EVENTS_DIR
        for path in _walk(folder) if folder.is_dir() else []:
            tree._put(tree.events, path, _event_entry(path))
        content = root / CONTENT_DIR
        for path in sorted(content.glob("*.md")) if content.is_dir() else []:
            tree._put(tree.pages, path, _page_entry(path))
        return tree

    @staticmethod
    def _put(entries: dict[Path, Entry], path: Path, entry: Entry | None) -> None:
        if entry is None:
            entries.pop(path, None)
        else:
            entries[path] = entry

    def refresh(self, changed: set[Path]) -> None:
        """Re-read what changed, as reported by the watcher (files or whole folders)."""
        events, content = self.root / EVENTS_DIR, self.root / CONTENT_DIR
        for path in changed:
            if path == self.root / CONFIG_FILE:
                self.config = _read(path)
            elif events in path.parents:
                if path in self.events or path.is_file():
                    self._put(self.events, path, _event_entry(path))
                elif path.is_dir():  # a folder created or moved in: read what it holds
                    for found in _walk(path):
                        self._put(self.events, found, _event_entry(found))
                else:  # gone: a file, or a folder deleted or moved away with its files
                    for key in [key for key in self.events if key == path or path in key.parents]:
                        del self.events[key]
            elif path.parent == content:
                self._put(self.pages, path, _page_entry(path))

    def sources(self) -> SiteSources:
        problems = Problems()
        config = self.config if isinstance(self.config, SourceFile) else None
        if self.config is None:
            problems.add(display_path(self.root / CONFIG_FILE), 1, 1, "", "site configuration file not found")
        elif isinstance(self.config, Problem):
            problems.items.append(self.config)
        result = SiteSources(root=self.root, config=config, problems=problems)
        for entries, target in ((self.events, result.events), (self.pages, result.pages)):
            for path in sorted(entries):
                entry = entries[path]
                if isinstance(entry, Problem):
                    problems.items.append(entry)
                else:
                    target.append(entry)
        return result


def read_sources(root: Path) -> SiteSources:
    return SourceTree.read(root).sources()


def read_static(root: Path) -> dict[str, bytes]:
    """The default static files, then the site's own, which win on the same path."""
    files: dict[str, bytes] = {}
    for folder in (DEFAULT_STATIC, root / "static"):
        for path in _walk(folder) if folder.is_dir() else []:
            files["static/" + path.relative_to(folder).as_posix()] = path.read_bytes()
    return files
