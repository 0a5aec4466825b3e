"""How the person at the keyboard started this program, so that every command the
generator suggests ("now run: ... check") works exactly as written.

`python build.py` outside the project's virtual environment fails on the first import, so
a hint that says `python build.py` sends people into a ModuleNotFoundError. We name the
interpreter that is running now (`.venv/bin/python build.py`), or the installed
`site-builder` script as it was called.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

SCRIPT = "site-builder"


def _shown(path: Path) -> str:
    """A path as typed from the current folder: relative inside it, absolute outside."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path.absolute())


def _python() -> str:
    executable = Path(sys.executable)
    for name in ("python3", "python"):
        found = shutil.which(name)
        if found and Path(found).absolute() == executable.absolute():
            return name
    return _shown(executable)


def program() -> str:
    """'.venv/bin/python build.py', 'site-builder', 'python3 -m site_builder' ..."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == "build.py":
        return f"{_python()} {_shown(argv0)}"
    if argv0 is not None and argv0.name == "__main__.py" and argv0.parent.name == "site_builder":
        return f"{_python()} -m site_builder"
    if argv0 is not None and argv0.name == SCRIPT:
        found = shutil.which(SCRIPT)
        return SCRIPT if found and Path(found).absolute() == argv0.absolute() else _shown(argv0)
    return SCRIPT


def command(name: str, *args: str) -> str:
    """A full command line, e.g. command('check') -> '.venv/bin/python build.py check'."""
    return " ".join([program(), name, *args])
