"""Publish a rendered site so that the output folder is, at every instant, either the
complete previous build or the complete new one, even if the build is killed.

- Staging: every file goes into `.NAME.staging-XXXX` beside the output, the marker file
  (`output_folder.MARKER`) last, so a staging folder with the marker is complete.
- Exchange: on Linux, renameat2(RENAME_EXCHANGE) swaps the staging folder and the output in
  one step, so there is no instant without an output (two renames left none, in 2 of 10
  kills). The staging name then holds the previous build, which is deleted. The first build
  needs one rename. Where the exchange is missing (other systems, a filesystem without it),
  the output is renamed to `.NAME.old-XXXX` and the staging folder into its place; a kill
  between those two renames leaves no output, and the next build puts the old one back
  before doing anything else.
- Leftovers: a kill leaves staging and old folders (and the lock file); the next build
  removes them, under the lock, so it never deletes the staging folder of a build running
  beside it.
- Lock: `flock` on `.NAME.lock` beside the output, so two builds of one output publish one
  after the other instead of tidying away each other's staging folders.

It protects against a killed process, not a power cut: files are not fsynced (thousands of
syncs would slow every build, and a rebuild restores the site).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import platform
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from .load import display_path
from .output_folder import MARKER, MARKER_TEXT

if sys.platform != "win32":
    import fcntl

Notify = Callable[[str], None]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_RENAMEAT2_SYSCALL = {"x86_64": 316, "aarch64": 276}  # for a C library without renameat2 (glibc < 2.28)
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP}


def _renameat2() -> Callable[[bytes, bytes], int] | None:
    """The system call, found once; None where it does not exist (not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    function = getattr(libc, "renameat2", None)
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
        return lambda a, b: int(function(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE))
    number = _RENAMEAT2_SYSCALL.get(platform.machine())
    syscall = getattr(libc, "syscall", None)
    if number is None or syscall is None:
        return None
    syscall.restype = ctypes.c_long
    return lambda a, b: int(syscall(ctypes.c_long(number), ctypes.c_int(_AT_FDCWD), ctypes.c_char_p(a),
                                    ctypes.c_int(_AT_FDCWD), ctypes.c_char_p(b), ctypes.c_uint(_RENAME_EXCHANGE)))


_RENAMEAT2 = _renameat2()


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing folders in one atomic step; False where this system cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(os.fsencode(first), os.fsencode(second)) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


class OutputLock:
    """An exclusive lock on one output folder, held by one build at a time.

    The lock file is removed on release, so that a build leaves nothing beside its output.
    A build that was waiting then holds a lock on a removed file; it checks that the file
    it locked is still the one at the path, and tries again if not.
    """

    def __init__(self, output: Path, on_wait: Notify | None = None) -> None:
        self.output = output
        self.path = output.parent / f".{output.name}.lock"
        self.on_wait = on_wait
        self.fd: int | None = None

    def acquire(self, wait: bool = True) -> bool:
        if sys.platform == "win32":
            return True
        told = False
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if not wait:
                        os.close(fd)
                        return False
                    if self.on_wait is not None and not told:
                        self.on_wait(f"Waiting for another build of {display_path(self.output)} to finish ...")
                        told = True
                    fcntl.flock(fd, fcntl.LOCK_EX)
                if _same_file(fd, self.path):
                    self.fd = fd
                    return True
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        finally:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.release()


def _same_file(fd: int, path: Path) -> bool:
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    there = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def leftovers(output: Path) -> tuple[list[Path], list[Path]]:
    """Staging and old folders that builds of `output` left when killed (or written by
    versions before this one, which used the same names)."""
    if not output.parent.is_dir():
        return [], []
    found = {kind: sorted(p for p in output.parent.glob(f".{output.name}.{kind}-*") if p.is_dir() and not p.is_symlink())
             for kind in ("staging", "old")}
    return found["staging"], found["old"]


def tidy(output: Path) -> None:
    """Under the lock: put back an output a kill left out of place, then remove leftovers."""
    staging, old = leftovers(output)
    kept = [folder for folder in old if any(folder.iterdir())]  # an empty one was made just before a kill
    if kept and not output.exists() and not output.is_symlink():
        newest = max(kept, key=lambda folder: folder.stat().st_mtime)
        nested = os.listdir(newest) == [output.name]  # versions before this one kept it one level down
        os.rename(newest / output.name if nested else newest, output)
    for folder in staging + old:
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)


def tidy_if_idle(output: Path) -> None:
    """At the start of a build: tidy up after a killed build, unless a build is writing now."""
    output = output.resolve()
    if not output.parent.is_dir():
        return
    lock = OutputLock(output)
    if lock.acquire(wait=False):
        try:
            tidy(output)
        finally:
            lock.release()


@dataclass(frozen=True)
class Written:
    """A file already in the staging folder (a build streams its pages there as they are
    rendered, so that they are never all in memory): where, and the hash of its bytes."""

    path: Path
    digest: bytes


class Staging:
    """The next output, written file by file into a staging folder under the output's lock,
    and swapped into place when the `with` block ends without an error (removed if it
    raises: the previous output stays exactly as it was). A file whose bytes are those of
    the previous build is linked to it instead of written again, so it keeps its
    modification time (what `rsync` and upload tools compare) and costs no space while
    both builds exist."""

    def __init__(self, output: Path, on_wait: Notify | None = None) -> None:
        self.output = output.resolve()
        self.lock = OutputLock(self.output, on_wait)
        self.folder = self.output
        self.written: list[str] = []
        self._made: set[Path] = set()

    def __enter__(self) -> Staging:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.lock.acquire()
        try:
            tidy(self.output)
            self.folder = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.staging-", dir=self.output.parent))
            os.chmod(self.folder, 0o755)
        except BaseException:
            self.lock.release()
            raise
        self._made = {self.folder}
        return self

    def put(self, name: str, data: bytes) -> Path:
        target = self.folder / name
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        if not _keep_previous(self.output / name, target, data):
            target.write_bytes(data)
        self.written.append(name)
        return target

    def put_kept(self, name: str, data: bytes) -> Written:
        """`put`, and what a rendering keeps of the file instead of its bytes: where it went
        and their hash (the search index's key). Only rendered files are hashed, not the
        cards and downloads written after them (1.3 GB of cards at 10,000 events)."""
        return Written(self.put(name, data), hashlib.sha256(data).digest())

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        try:
            if kind is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
                return
            try:
                (self.folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")  # last: the folder is complete
            except BaseException:
                shutil.rmtree(self.folder, ignore_errors=True)
                raise
            _publish(self.folder, self.output)
        finally:
            self.lock.release()


def _keep_previous(previous: Path, target: Path, data: bytes) -> bool:
    """Link `target` to the previous build's file when that holds exactly `data`."""
    try:
        info = os.lstat(previous)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data) or previous.read_bytes() != data:
            return False
        os.link(previous, target)
    except OSError:  # no previous file, or a filesystem without links: write it
        return False
    return True


def _publish(staging: Path, output: Path) -> None:
    if not output.exists():
        os.rename(staging, output)
        return
    if exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # now the previous build
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    try:
        os.rename(output, retired)  # onto the empty folder just made
        os.rename(staging, output)
    except BaseException:
        if not output.exists():
            os.rename(retired, output)  # put the previous build back
        with contextlib.suppress(OSError):
            os.rmdir(retired)  # only ever removes it empty
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
