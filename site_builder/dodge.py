"""Rows within a lane, so that no event's mark covers another's.

Marks sit on a time axis, so two events a few days apart in one lane would be drawn on top
of each other (and two events on the same day exactly so). Each lane therefore has a few
rows: a mark goes into the first row where it keeps clear of every mark already there,
measured in pixels at the narrowest chart the page is laid out for, in the default window.
Zooming in only moves marks apart, so what is clear there stays clear at every width and
every closer view. Spans (bars) get rows of their own below the dots, so a dot never
hides a bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

MAX_ROWS = 3  # beyond this a lane is dense: the last row takes the overflow (see chartdata's bins)
CLEARANCE = 2.0  # pixels kept between two marks in one row


@dataclass(frozen=True)
class Extent:
    key: str
    start: date
    end: date
    radius: float  # half the mark's width for a dot; 0 for a bar, which covers start..end


def assign_rows(extents: Sequence[Extent], window: tuple[date, date], width: float) -> dict[str, int]:
    """The row of every mark of one lane (and one kind: dots or bars), by first fit in time order."""
    first, last = window
    per_day = width / max(1, (last - first).days)
    row_ends: list[float] = []
    rows: dict[str, int] = {}
    for extent in sorted(extents, key=lambda e: (e.start, e.key)):
        centre = (extent.start - first).days * per_day
        left = centre - extent.radius if extent.radius else centre
        right = centre + extent.radius if extent.radius else max(centre + 6, (extent.end - first).days * per_day)
        row = next((i for i, end in enumerate(row_ends) if left >= end + CLEARANCE), None)
        if row is None:
            if len(row_ends) < MAX_ROWS:
                row_ends.append(right)
                row = len(row_ends) - 1
            else:  # dense: the row that frees up first
                row = min(range(len(row_ends)), key=row_ends.__getitem__)
        row_ends[row] = max(row_ends[row], right)
        rows[extent.key] = row
    return rows
