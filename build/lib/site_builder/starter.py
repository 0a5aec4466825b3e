"""`init`: a new timeline project that builds at once, from the files in `starter/`
(package data, so an installed wheel can do it with nothing else at hand).

The project gets site.yaml with example categories, three example events whose sources
are marked as placeholders (so `check --strict` refuses to publish them until replaced),
About and Methodology pages, a README with its two commands, a Makefile, the GitHub
workflow, the pre-commit hook, a contributor guide, editor settings and the event schema.
"""

from __future__ import annotations

from pathlib import Path

from . import __version__, formats
from .errors import UsageError
from .load import EVENTS_DIR, is_editor_litter
from .pipeline import load_config, schema_text

STARTER = Path(__file__).resolve().parent / "starter"
# Stored without their leading dot: wheels and sdists drop or hide dotfiles too easily.
RENAMED = {"gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml", "github": ".github", "vscode": ".vscode"}
FILLED_IN = {"requirements.txt"}  # carry the generator's version: '{version}'


def starter_files() -> dict[str, bytes]:
    """Every file of a new project by its path in the project."""
    files = {}
    for path in sorted(STARTER.rglob("*")):
        if path.is_file() and not is_editor_litter(path.name) and "__pycache__" not in path.parts:
            parts = path.relative_to(STARTER).parts
            name = "/".join([RENAMED.get(parts[0], parts[0]), *parts[1:]])
            data = path.read_bytes()
            if name in FILLED_IN:
                data = data.decode("utf-8").replace("{version}", __version__).encode("utf-8")
            files[name] = data
    return files


def init_project(folder: Path) -> list[Path]:
    """Write a new project into `folder`, which must be empty or not exist yet."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(f"{folder} is not empty; init writes a new project only into an empty or new folder")
    written = []
    for name, data in starter_files().items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    schema = folder / EVENTS_DIR / formats.SCHEMA_FILE
    schema.write_text(schema_text(load_config(folder)), encoding="utf-8")
    written.append(schema)
    return written
