"""Templates as Jinja gets them: read from the theme held in memory (never from a folder),
and compiled to Python code once, kept so that a build does not compile them again.

Jinja compiles each template of each edition: 83 compiles for the Resolution 57 site's
three editions, 1.2 s of a 6.5 s build under the profiler. A compiled template is kept by its name, its source
text and the edition's language, in memory for the preview server and in the build's cache
folder between builds, named also by the generator's fingerprint (its code and the
versions of Python and Jinja, which the code depends on).

Why the language is in the key: when Jinja compiles, it applies a filter to a constant
(`{{ 1234|number }}`) once and keeps the result, and the date and number filters speak the
edition's language. A damaged entry is ignored and compiled again.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable
from pathlib import Path
from types import CodeType

from jinja2 import BaseLoader, Environment, TemplateNotFound
from jinja2.bccache import Bucket, BytecodeCache

from .buildrecord import engine_fingerprint, read_entry, store
from .theme import Theme

DIGEST = 32  # bytes of SHA-256 in front of each entry, of its name and code: a damaged or misplaced entry is not used


def _digest(name: str, payload: bytes) -> bytes:
    return hashlib.sha256(name.encode("ascii") + b"\0" + payload).digest()


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache for the theme's templates: in memory, and in `folder` if given.

    An entry's file name is `<template>-<version>`: the template (language, name and file)
    and the version of it (source text and generator). `forget_stale` removes the other
    versions of the templates this process loaded, so the folder does not grow as templates
    are edited.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.compiled: dict[tuple[str, str], CodeType] = {}
        self.loaded: dict[str, str] = {}  # template -> the version this process used

    @staticmethod
    def _names(bucket: Bucket) -> tuple[str, str]:
        language = getattr(bucket.environment, "language", "")
        return _hex(f"{language}\0{bucket.key}")[:24], _hex(f"{engine_fingerprint()}\0{bucket.checksum}")[:40]

    def load_bytecode(self, bucket: Bucket) -> None:
        names = self._names(bucket)
        self.loaded[names[0]] = names[1]
        code = self.compiled.get(names)
        if code is None and self.folder is not None:
            name = "-".join(names)
            data = read_entry(self.folder / name, lambda data: data[:DIGEST] == _digest(name, data[DIGEST:]))
            try:
                found = marshal.loads(data[DIGEST:]) if data is not None else None
            except (EOFError, ValueError, TypeError):
                found = None
            if isinstance(found, CodeType):
                code = self.compiled[names] = found
        bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        names = self._names(bucket)
        self.compiled[names] = bucket.code
        if self.folder is not None:
            name, payload = "-".join(names), marshal.dumps(bucket.code)
            store(self.folder / name, _digest(name, payload) + payload)

    def forget_stale(self) -> None:
        """Remove older versions of the templates loaded here (templates no build loads are
        left until `clean`)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            template, _, version = path.name.partition("-")
            if template in self.loaded and self.loaded[template] != version:
                path.unlink(missing_ok=True)


class ThemeLoader(BaseLoader):
    """Jinja2 loader over the theme held in memory."""

    def __init__(self, theme: Theme):
        self.theme = theme

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        found = self.theme.templates.get(template)
        if found is None:
            raise TemplateNotFound(template)
        return found.text, found.shown, lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.theme.templates)
