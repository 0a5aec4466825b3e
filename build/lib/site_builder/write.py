"""Put a rendered site on disk so that the output folder is only ever a complete build.

Everything is written into a staging folder beside the output; only when every file is
written is the old output moved aside and the new one renamed into place (as Lektor does
per artifact, here for the whole tree). A failure leaves the previous output untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import UsageError

SOURCE_MARKERS = ("site.yaml", ".git", "pyproject.toml", "build.py")


def check_output_folder(output: Path, site_root: Path) -> None:
    """Refuse folders whose replacement would destroy sources: the output is deleted and rebuilt."""
    output, site_root = output.resolve(), site_root.resolve()
    if output == site_root or output in site_root.parents:
        raise UsageError(f"output folder {output} contains the site itself; choose another folder")
    if output.is_dir() and any((output / marker).exists() for marker in SOURCE_MARKERS):
        raise UsageError(f"output folder {output} looks like a source folder (it has site.yaml, build.py or .git); refusing to replace it")
    if output.exists() and not output.is_dir():
        raise UsageError(f"output path {output} exists and is not a folder")


def write_site(files: dict[str, bytes], output: Path) -> None:
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))
    try:
        os.chmod(staging, 0o755)
        made: set[Path] = {staging}
        for name in sorted(files):
            target = staging / name
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(files[name])
        _swap_in(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap_in(staging: Path, output: Path) -> None:
    if not output.exists():
        os.rename(staging, output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.rename(output, retired / output.name)
    try:
        os.rename(staging, output)
    except BaseException:
        os.rename(retired / output.name, output)  # put the previous build back
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)
