"""Find and read a site's files (bytes only, no parsing): site.yaml, events/, figures/, content/,
and the theme: the generator's default templates and static files overridden by the
site's own templates/ and static/.

Reading is separate from validation so that the build can time the two, and so that the
preview server can hand validation only what changed. Files that cannot be read, or that
sit in events/ without being YAML, are problems here rather than silently skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, Problems
from .theme import STATIC_DIR, TEMPLATES_DIR, THEME_STATIC, THEME_TEMPLATES

CONFIG_FILE = "site.yaml"
EVENTS_DIR = "events"
FIGURES_DIR = "figures"
CONTENT_DIR = "content"
EVENT_SUFFIXES = (".yaml", ".yml")
NOT_EVENTS = {"schema.json", "README.md"}
RESERVED_PAGE_SLUGS = {"events", "categories", "years", "figures", "static", "index", "404", "timeline", "data", "embed", "cards", "pagefind"}


@dataclass(frozen=True)
class SourceFile:
    path: Path
    shown: str  # how error messages name it
    data: bytes

    @property
    def slug(self) -> str:
        return self.path.stem

    def file(self, root: Path) -> str:
        """Its path in the site folder, as edit links and data name it (events/x.yaml)."""
        return self.path.relative_to(root).as_posix() if self.path.is_relative_to(root) else self.path.name


@dataclass
class SiteSources:
    """What validation reads: every source file, and the problems found while reading."""

    root: Path
    config: SourceFile | None
    events: list[SourceFile] = field(default_factory=list)
    figures: list[SourceFile] = field(default_factory=list)
    pages: list[SourceFile] = field(default_factory=list)
    templates: dict[str, SourceFile] = field(default_factory=dict)  # by template name, site's over theme's
    static: dict[str, SourceFile] = field(default_factory=dict)  # by name under static/, site's over theme's
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
    found: list[Path] = []
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


def _yaml_entry(what: str, plural: str) -> Callable[[Path], Entry | None]:
    """Files of a folder of YAML records (events/, figures/): anything else there is a mistake."""
    def entry(path: Path) -> Entry | None:
        if is_editor_litter(path.name) or path.name in NOT_EVENTS or path.is_dir():
            return None
        if path.suffix not in EVENT_SUFFIXES:
            if not path.exists():
                return None
            return Problem(display_path(path), 1, 1, "", f"not {what} file: {plural} files are YAML and end in .yaml (found '{path.name}')")
        return _read(path)
    return entry


def _page_entry(path: Path) -> Entry | None:
    if is_editor_litter(path.name) or path.suffix != ".md" or path.is_dir():
        return None
    if path.stem in RESERVED_PAGE_SLUGS:
        return Problem(display_path(path), 1, 1, "slug", f"'{path.stem}' is a name the generator uses; rename the page") if path.exists() else None
    return _read(path)


def _any_entry(path: Path) -> Entry | None:
    if is_editor_litter(path.name) or path.is_dir():
        return None
    return _read(path)


@dataclass(frozen=True)
class Folder:
    """A folder of source files and which of its files count, e.g. YAML files in events/."""

    name: str
    path: Path
    entry: Callable[[Path], Entry | None]
    recursive: bool = True

    def holds(self, path: Path) -> bool:
        if self.recursive:
            return path == self.path or self.path in path.parents
        return path == self.path or path.parent == self.path

    def walk(self) -> list[Path]:
        if not self.path.is_dir():
            return []
        return _walk(self.path) if self.recursive else sorted(p for p in self.path.iterdir() if not is_editor_litter(p.name))


def site_folders(root: Path) -> tuple[Folder, ...]:
    """Every folder a build reads. Theme folders come before the site's own, which override them."""
    return (
        Folder("events", root / EVENTS_DIR, _yaml_entry("an event", "event")),
        Folder("figures", root / FIGURES_DIR, _yaml_entry("a figure", "figure"), recursive=False),
        Folder("pages", root / CONTENT_DIR, _page_entry, recursive=False),
        Folder("theme-templates", THEME_TEMPLATES, _any_entry),
        Folder("theme-static", THEME_STATIC, _any_entry),
        Folder("templates", root / TEMPLATES_DIR, _any_entry),
        Folder("static", root / STATIC_DIR, _any_entry),
    )


@dataclass
class SourceTree:
    """The site's source files, kept between rebuilds so that only changed files are read again."""

    root: Path
    config: Entry | None = None
    folders: tuple[Folder, ...] = ()
    files: dict[str, dict[Path, Entry]] = field(default_factory=dict)  # by folder name

    @classmethod
    def read(cls, root: Path) -> SourceTree:
        folders = site_folders(root)
        tree = cls(root, _read(root / CONFIG_FILE), folders, {folder.name: {} for folder in folders})
        for folder in folders:
            for path in folder.walk():
                tree._put(folder, path, folder.entry(path))
        return tree

    def _put(self, folder: Folder, path: Path, entry: Entry | None) -> None:
        entries = self.files[folder.name]
        if entry is None:
            entries.pop(path, None)
        else:
            entries[path] = entry

    def refresh(self, changed: set[Path]) -> None:
        """Re-read what changed, as reported by the watcher (files or whole folders)."""
        for path in changed:
            if path == self.root / CONFIG_FILE:
                self.config = _read(path)
            for folder in self.folders:
                if folder.holds(path):
                    self._refresh(folder, path)

    def _refresh(self, folder: Folder, path: Path) -> None:
        entries = self.files[folder.name]
        if path in entries or path.is_file():
            self._put(folder, path, folder.entry(path))
        elif path.is_dir():  # a folder created or moved in: read what it holds
            for found in (_walk(path) if folder.recursive else folder.walk() if path == folder.path else []):
                self._put(folder, found, folder.entry(found))
        else:  # gone: a file, or a folder deleted or moved away with its files
            for key in [key for key in entries if key == path or path in key.parents]:
                del entries[key]

    def sources(self) -> SiteSources:
        problems = Problems()
        config = self.config if isinstance(self.config, SourceFile) else None
        if self.config is None:
            problems.add(display_path(self.root / CONFIG_FILE), 1, 1, "", "site configuration file not found")
        elif isinstance(self.config, Problem):
            problems.items.append(self.config)
        result = SiteSources(root=self.root, config=config, problems=problems)
        for folder in self.folders:
            for path in sorted(self.files[folder.name]):
                entry = self.files[folder.name][path]
                if isinstance(entry, Problem):
                    problems.items.append(entry)
                elif folder.name == "events":
                    result.events.append(entry)
                elif folder.name == "figures":
                    result.figures.append(entry)
                elif folder.name == "pages":
                    result.pages.append(entry)
                else:  # theme first, then the site's own files under the same names
                    by_name = result.templates if folder.name.endswith("templates") else result.static
                    by_name[path.relative_to(folder.path).as_posix()] = entry
        return result
