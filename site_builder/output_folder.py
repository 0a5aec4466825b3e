"""Which folders a build may use as its output, checked before anything is read or written.

Every build replaces the whole output folder, so a wrong `--output` would destroy whatever
is there: once, `--output events` replaced the events with the built site. So the rules are
strict (as Hugo, Zola and MkDocs learnt). The output may not be:

- a filesystem root or a system folder (`/usr`, `/etc`, `/var`, ...), nor the user's home
  folder or a folder that contains it;
- the site folder, a folder that contains it, or a folder that is, holds or sits inside a
  folder the build reads (`events/`, `content/`, `templates/`, `static/`, `figures/`, the
  theme, the card cache, `.git`);
- a file, or a mount point (a build swaps the folder by renaming, which a mount point refuses);
- a folder that is not empty and that this tool did not create. Every build writes the
  marker file `MARKER` into the folder; one without it is refused and left untouched.
  The one exception is the site's own default `output/` written by versions before the
  marker: accepted when it looks like our build (`index.html`, `404.html` and
  `static/css/site.css`, which every version wrote, and no source files).

Refusals are `UsageError`s (exit 2) naming the path. Paths are compared after resolving
links, so a link to `events/` is refused like `events/` itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError
from .load import display_path

DEFAULT_OUTPUT = "output"  # in the site folder
MARKER = ".site-builder-output"
MARKER_TEXT = ("This folder is written by site-builder. Every build replaces all of it:\n"
               "keep no files of your own here.\n")
SOURCE_MARKERS = ("site.yaml", ".git", "pyproject.toml", "build.py")
EARLIER_BUILD = ("index.html", "404.html", "static/css/site.css")  # what every version wrote
# A system folder may not be the output; one of these trees may not even hold it. /var,
# /srv, /opt and /tmp are only refused themselves: /var/www/site or /tmp/site are fine.
SYSTEM_FOLDERS = ("/usr", "/usr/local", "/usr/src", "/var", "/var/lib", "/var/log", "/var/cache", "/var/tmp", "/var/www",
                  "/opt", "/srv", "/tmp", "/home", "/root", "/mnt", "/media", "/run", "/snap", "/Users", "/Volumes",
                  "/private", "/private/var", "/private/tmp", "/Applications")
SYSTEM_TREES = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/dev", "/proc", "/sys", "/etc",
                "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libexec", "/usr/include",
                "/usr/share", "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib", "/System", "/Library", "/private/etc")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no HOME and no password entry
        return None


def _system_problem(output: Path) -> str | None:
    if output == Path(output.anchor):
        return "is the root of the filesystem"
    folders = {Path(name).resolve() for name in SYSTEM_FOLDERS} | {Path(name) for name in SYSTEM_FOLDERS}
    trees = {Path(name).resolve() for name in SYSTEM_TREES} | {Path(name) for name in SYSTEM_TREES}
    if output in folders or output in trees:
        return "is a system folder"
    tree = next((tree for tree in sorted(trees) if _inside(output, tree)), None)
    return f"is inside the system folder {tree}" if tree is not None else None


def _source_problem(output: Path, inputs: Iterable[Path]) -> str | None:
    for folder in inputs:
        folder = folder.resolve()
        shown = display_path(folder) + "/"
        if _inside(output, folder):
            return f"is inside the source folder {shown}" if output != folder else f"is the source folder {shown}"
        if folder in output.parents:
            return f"contains the source folder {shown}"
    return None


def made_by_us(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def looks_like_earlier_build(folder: Path) -> bool:
    """An output/ written before the marker existed: every version wrote these files."""
    return all((folder / name).is_file() for name in EARLIER_BUILD) and not any(
        (folder / name).exists() for name in SOURCE_MARKERS)


def check_output_folder(output: Path, site_root: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse, before anything is read or written, any output whose replacement could
    destroy something that is not a build of ours. `inputs` are the folders the build reads."""
    given, output, site_root = output, output.resolve(), site_root.resolve()
    default = site_root / DEFAULT_OUTPUT
    shown = display_path(output)
    if os.path.abspath(given) != str(output):  # a link: name what was typed and what it leads to
        shown = f"{given} (a link to {shown})"
    such_as = f", such as {display_path(default)}" if output != default else ""
    choose = f"choose a folder of its own for the built site{such_as}"

    def refuse(why: str, advice: str = choose) -> UsageError:
        return UsageError(f"output folder {shown} {why}; {advice}")

    home = _home()
    if home is not None and output == home:
        raise refuse("is your home folder")
    if (why := _system_problem(output)) is not None:
        raise refuse(why)
    if home is not None and output in home.parents:
        raise refuse(f"contains your home folder {home}")
    if output == site_root:
        raise refuse("is the site folder itself")
    if output in site_root.parents:
        raise refuse(f"contains the site folder {site_root}")
    if (why := _source_problem(output, inputs)) is not None:
        raise refuse(why)
    if output.exists() and not output.is_dir():
        raise UsageError(f"output path {shown} exists and is not a folder; {choose}")
    if not output.exists():
        return
    if os.path.ismount(output):
        raise refuse("is a mount point, which the build cannot replace", f"choose a folder inside it, such as {display_path(output / 'site')}")
    found = next((name for name in SOURCE_MARKERS if (output / name).exists()), None)
    if found is not None:
        raise refuse(f"looks like a source folder (it has {found})")
    if made_by_us(output) or not any(output.iterdir()) or (output == default and looks_like_earlier_build(output)):
        return
    raise UsageError(f"output folder {shown} is not empty and was not made by site-builder (it has no {MARKER} file); "
                     f"nothing in it was changed. Every build replaces the whole output folder: empty the folder "
                     f"if its files can go, or choose a new or empty folder")
