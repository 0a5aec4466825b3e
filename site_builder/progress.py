"""Progress bars for long builds, on a terminal only.

A build of a few events ends before a bar would be read, and a CI log wants one summary
line, not carriage returns: so bars appear only when standard error is a terminal and only
once the build has run for `AFTER` seconds (tqdm's `delay`), and each bar is wiped when its
phase ends, leaving the summary line alone on the screen.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

Item = TypeVar("Item")
AFTER = 2.0  # seconds into a build before any bar is shown


class Progress:
    """One build's bars, one per phase."""

    def __init__(self, shown: bool) -> None:
        self.shown = shown
        self.start = time.monotonic()

    @classmethod
    def on_terminal(cls) -> Progress:
        return cls(sys.stderr.isatty())

    def over(self, items: Iterable[Item], phase: str, total: int | None = None, unit: str = " files") -> Iterator[Item]:
        """`items`, counted on a bar named after the phase."""
        if not self.shown:
            yield from items
            return
        from tqdm import tqdm

        delay = max(0.0, AFTER - (time.monotonic() - self.start))
        with tqdm(items, desc=phase, total=total, unit=unit, delay=delay, leave=False, file=sys.stderr, dynamic_ncols=True) as bar:
            yield from bar


QUIET = Progress(False)
