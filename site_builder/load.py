"""Find and read a site's files (bytes only, no parsing): site.yaml, events/, figures/, content/,
and the theme: the generator's default templates and static files overridden by the
site's own templates/ and static/.

Reading is separate from validation so that the build can time the two, and so that the
preview server can hand validation only what changed. Files that cannot be read, or that
sit in events/ without being YAML, are problems here rather than silently skipped.

Nothing is read through a symlink that leads out of the site folder (a pull request adding
`static/x -> /etc/passwd` would otherwise publish the runner's files): such a link, a loop,
a dangling link and a FIFO or other special file are each a problem naming the link, and
the target is never opened or quoted. Links that stay inside the site are followed.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, Problems
from .invocation import command
from .theme import STATIC_DIR, TEMPLATES_DIR, THEME_ROOT, THEME_STATIC, THEME_TEMPLATES

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
    """Paths as a contributor types them: relative to the current folder when inside it.

    Only the folders above the file are resolved, never the file itself: a link is named as
    the link, so an error never shows (or leaks) where a link out of the site points. Each
    folder is resolved once per build (`_shown_folder`): 10,000 events share one folder."""
    cwd = os.getcwd()
    absolute = Path(os.path.normpath(path.absolute()))
    if absolute.name and str(absolute) != cwd:
        folder = _shown_folder(str(absolute.parent), cwd)
        if folder is not None:
            return absolute.name if folder == "." else f"{folder}/{absolute.name}"
    for candidate in (absolute, absolute.parent.resolve() / absolute.name):
        if candidate.is_relative_to(cwd):
            return candidate.relative_to(cwd).as_posix() or "."
    return path.as_posix()


@functools.lru_cache(maxsize=4096)
def _shown_folder(folder: str, cwd: str) -> str | None:
    """A folder as display_path names what it holds, or None when that is not relative to `cwd`."""
    for candidate in (Path(folder), Path(folder).resolve()):
        if candidate.is_relative_to(cwd):
            return candidate.relative_to(cwd).as_posix() or "."
    return None


def _shown_in(folder: str | None, path: Path) -> str:
    """display_path of a file given `_shown_folder` of its folder (worked out once per folder)."""
    if folder is None:  # outside the current folder: named as given
        return path.as_posix()
    return path.name if folder == "." else f"{folder}/{path.name}"


def _whole_file(path: Path, message: str) -> Problem:
    return Problem(display_path(path), 1, 1, "", message)


def _link_out(path: Path, base: Path, boundary: Path) -> Problem:
    """Name the link that leads out of `boundary`: the first symlink on the way from `base`
    down to `path` whose target lies outside (the path itself when none is found)."""
    link = path
    if path.is_relative_to(base):
        step = base
        for part in path.relative_to(base).parts:
            step = step / part
            if step.is_symlink() and not step.resolve().is_relative_to(boundary):
                link = step
                break
    kind = "folder" if link.is_dir() else "file"
    return _whole_file(link, f"symlink to a {kind} outside the site is not followed")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


Inspected = Path | Problem | None  # the real path to read, why it may not be read, or gone


def inspect(path: Path, base: Path, boundary: Path) -> Inspected:
    """Where `path` really is, if reading it stays inside `boundary` (the resolved site or
    theme folder): links out of it, loops and dangling links are problems, so that nothing
    outside the site is ever read, published or quoted. `base` is the lexical folder the
    path was found under (the site folder), from which the offending link is named."""
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            return _whole_file(path, "broken symlink: its target does not exist; fix or remove the link")
        parent = next((p for p in path.parents if p.is_symlink() and not p.exists()), None)
        if parent is not None and parent.is_relative_to(base):
            return _whole_file(parent, "broken symlink: its target does not exist; fix or remove the link")
        return None
    except (RuntimeError, OSError) as error:  # RuntimeError: Python 3.11's report of a loop
        if isinstance(error, RuntimeError) or error.errno == errno.ELOOP:
            return _whole_file(path, "symlink loop: the link leads back to itself; fix or remove it")
        return _whole_file(path, f"cannot read file: {error.strerror or error}")
    if not real.is_relative_to(boundary):
        return _link_out(path, base, boundary)
    return real


def _read_regular(path: Path, real: Path, shown: str | None = None) -> Entry | None:
    """Open without following a last-moment link and without blocking (a FIFO would hang the
    build); only a regular file is read, and a special file is never even opened. `shown`:
    the path's display_path, when the caller knows it."""
    try:
        mode = os.stat(real, follow_symlinks=False).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return _whole_file(path, f"cannot read file: {error.strerror or error}")
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        return _whole_file(path, f"not a regular file: {_kind(mode)} is never read; remove it")
    try:
        descriptor = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:  # swapped for a link since it was inspected
            return _whole_file(path, "symlink changed while reading; build again")
        return _whole_file(path, f"cannot read file: {error.strerror or error}")
    mode = os.fstat(descriptor).st_mode  # what was opened, not what was inspected a moment ago
    if not stat.S_ISREG(mode):
        os.close(descriptor)  # a folder (a problem located at one) cannot go through fdopen
        if stat.S_ISDIR(mode):
            return _whole_file(path, "cannot read file: Is a directory")
        return _whole_file(path, f"not a regular file: {_kind(mode)} is never read; remove it")
    with os.fdopen(descriptor, "rb") as handle:
        try:
            return SourceFile(path, shown or display_path(path), handle.read())
        except OSError as error:
            return _whole_file(path, f"cannot read file: {error.strerror or error}")


def read_inside(path: Path, root: Path) -> SourceFile | Problem | None:
    """One file of the site read by the same rules as the build (inside the site, a regular
    file, never blocking): for the commands and the error page that read a file on their own."""
    found = inspect(path, root, root.resolve())
    return _read_regular(path, found) if isinstance(found, Path) else found


def is_editor_litter(name: str) -> bool:
    """Lock, swap and backup files that editors leave beside the file being edited."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


Entry = SourceFile | Problem  # a readable source file, or why a file cannot be one
Wanted = bool | Problem  # whether a folder reads a file of this name, or why the name is wrong


def _yaml_file(what: str, plural: str) -> Callable[[Path], Wanted]:
    """Files of a folder of YAML records (events/, figures/): anything else there is a mistake."""
    def wanted(path: Path) -> Wanted:
        if is_editor_litter(path.name) or path.name in NOT_EVENTS:
            return False
        if path.suffix not in EVENT_SUFFIXES:
            return Problem(display_path(path), 1, 1, "", f"not {what} file: {plural} files are YAML and end in .yaml (found '{path.name}')")
        return True
    return wanted


def _page_file(path: Path) -> Wanted:
    if is_editor_litter(path.name) or path.suffix != ".md":
        return False
    if path.stem in RESERVED_PAGE_SLUGS:
        return Problem(display_path(path), 1, 1, "slug", f"'{path.stem}' is a name the generator uses; rename the page")
    return True


def _any_file(path: Path) -> Wanted:
    return not is_editor_litter(path.name)


def _read(path: Path, base: Path, boundary: Path) -> Entry | None:
    """A file where a file is expected: None when it has gone (deleted, or renamed away mid-save)."""
    real = inspect(path, base, boundary)
    if real is None or isinstance(real, Problem):
        return real
    return _read_regular(path, real)


@dataclass(frozen=True)
class Folder:
    """A folder of source files and which of its files count, e.g. YAML files in events/.
    Nothing is read through a link that leaves `boundary` (the resolved site or theme folder)."""

    name: str
    path: Path
    wanted: Callable[[Path], Wanted]
    base: Path  # the site (or theme) folder as given, from which links are named
    boundary: Path
    recursive: bool = True

    def holds(self, path: Path) -> bool:
        if self.recursive:
            return path == self.path or self.path in path.parents
        return path == self.path or path.parent == self.path

    def entry(self, path: Path) -> Entry | None:
        """The file at `path`, why it cannot be read, or None (not one of ours, a folder, gone)."""
        wanted = self.wanted(path)
        if wanted is False:
            return None
        real = inspect(path, self.base, self.boundary)
        if real is None or isinstance(real, Problem):
            return real
        if real.is_dir():
            return None
        return wanted if isinstance(wanted, Problem) else _read_regular(path, real)

    def scan(self, start: Path) -> dict[Path, Entry]:
        """Every entry at or under `start` (the folder itself, or a folder created in it)."""
        found: dict[Path, Entry] = {}
        real = inspect(start, self.base, self.boundary)
        if isinstance(real, Problem):
            found[start] = real
        elif real is not None and real.is_dir():
            self._scan(start, [real], found)
        return found

    def _scan(self, directory: Path, chain: list[Path], found: dict[Path, Entry]) -> None:
        """`chain`: the real folders walked down to `directory`, to stop a link that leads back up."""
        try:
            with os.scandir(directory) as listing:
                items = sorted(listing, key=lambda item: item.name)
        except OSError as error:
            found[directory] = _whole_file(directory, f"cannot read folder: {error.strerror or error}")
            return
        shown = _shown_folder(os.path.normpath(directory.absolute()), os.getcwd())
        for item in items:
            name = item.name
            path = directory / name
            if is_editor_litter(name):
                continue
            if not item.is_symlink() and item.is_file(follow_symlinks=False):
                # A plain file in a folder already found inside the site is inside it too (its
                # real path is the folder's, plus its name): 10,000 events resolved one by one
                # took most of a build that stops because nothing changed. Opening it refuses a
                # link put there since.
                wanted = self.wanted(path)
                if wanted is False:
                    continue
                read = wanted if isinstance(wanted, Problem) else _read_regular(path, chain[-1] / name, _shown_in(shown, path))
                if read is not None:
                    found[path] = read
                continue
            if self.recursive and path.is_dir():
                real = inspect(path, self.base, self.boundary)
                if isinstance(real, Problem):
                    found[path] = real
                elif real is not None and any(walked.is_relative_to(real) for walked in chain):
                    found[path] = _whole_file(path, "symlink loop: the link leads back to a folder that holds it; fix or remove it")
                elif real is not None:
                    self._scan(path, [*chain, real], found)
            elif (entry := self.entry(path)) is not None:
                found[path] = entry

def site_folders(root: Path) -> tuple[Folder, ...]:
    """Every folder a build reads. Theme folders come before the site's own, which override them."""
    site = root.resolve()
    return (
        Folder("events", root / EVENTS_DIR, _yaml_file("an event", "event"), root, site),
        Folder("figures", root / FIGURES_DIR, _yaml_file("a figure", "figure"), root, site, recursive=False),
        Folder("pages", root / CONTENT_DIR, _page_file, root, site, recursive=False),
        Folder("theme-templates", THEME_TEMPLATES, _any_file, THEME_ROOT, THEME_ROOT),
        Folder("theme-static", THEME_STATIC, _any_file, THEME_ROOT, THEME_ROOT),
        Folder("templates", root / TEMPLATES_DIR, _any_file, root, site),
        Folder("static", root / STATIC_DIR, _any_file, root, site),
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
        _shown_folder.cache_clear()  # a folder may have become a link since the last read
        folders = site_folders(root)
        tree = cls(root, _read(root / CONFIG_FILE, root, root.resolve()), folders, {folder.name: {} for folder in folders})
        for folder in folders:
            tree.files[folder.name] = folder.scan(folder.path)
        return tree

    def refresh(self, changed: set[Path]) -> None:
        """Re-read what changed, as reported by the watcher (files or whole folders)."""
        for path in changed:
            if path == self.root / CONFIG_FILE:
                self.config = _read(path, self.root, self.root.resolve())
            for folder in self.folders:
                if folder.holds(path):
                    self._refresh(folder, path)

    def _refresh(self, folder: Folder, path: Path) -> None:
        """Forget what was at or under `path`, then read what is there now: a file, a folder
        created or moved in (with what it holds), or nothing when it has gone."""
        entries = self.files[folder.name]
        under = os.path.join(str(path), "")  # a string test: `path in key.parents` for 10,000 events took 0.3 s an edit
        for key in [key for key in entries if key == path or str(key).startswith(under)]:
            del entries[key]
        if path == folder.path or (folder.recursive and path.is_dir()):
            entries.update(folder.scan(path))
        elif (entry := folder.entry(path)) is not None:
            entries[path] = entry

    def sources(self) -> SiteSources:
        problems = Problems()
        config = self.config if isinstance(self.config, SourceFile) else None
        if self.config is None:
            problems.add(display_path(self.root / CONFIG_FILE), 1, 1, "", "site configuration file not found")
        elif isinstance(self.config, Problem):
            problems.items.append(self.config)
        result = SiteSources(root=self.root, config=config, problems=problems)
        for folder in self.folders:
            for path in sorted(self.files[folder.name], key=lambda path: path.parts):  # Path's own order, compared in C
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
        if not self.files["events"]:
            problems.items.append(self._no_events())
        return result

    def _no_events(self) -> Problem:
        """A timeline needs an event (the chart's span is drawn from them): say how to add one."""
        folder = self.root / EVENTS_DIR
        where = () if self.root.resolve() == Path.cwd().resolve() else ("--site", display_path(self.root))
        first = command("new", '"TITLE"', "--date", "YYYY-MM-DD", *where)
        if not os.path.lexists(folder):
            return _whole_file(folder, f"folder not found: a site keeps its events there; add a first event with: {first}")
        return _whole_file(folder, f"no event files: a timeline needs at least one; add one with: {first}")
