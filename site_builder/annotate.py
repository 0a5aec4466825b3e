"""Place the chart's annotation labels so that none overlaps another or another's leader line.

Vega-Lite has no label-collision layout, so placement happens here, at build time, for a
few chart widths (phone, tablet, desktop). Each label hangs on a leader line above its
event and sits in one of a few rows of an annotation band; a placement found for a width
stays valid at every larger width, because anchors only move apart as the chart widens
while labels keep their size. The browser picks the placement for its width range.

Text widths are estimated from per-character advances of a bold sans-serif at the label
font size, rounded up, so real fonts render no wider than the space reserved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

FONT_SIZE = 12
GAP = 6  # horizontal space kept between labels, and between a label and a leader line
OFFSET = 4  # from the leader line to the start (or end) of its label
MAX_ROWS = 5
SEARCH_BUDGET = 2000  # placement attempts before giving up on the leader-line rule

# Advance widths in em of a bold sans (DejaVu Sans Bold, the widest common fallback).
_NARROW = set("ijlI.,:;'!|()[]ft1 ")
_WIDE = set("mwMW@%")


def text_width(text: str, font_size: int = FONT_SIZE) -> float:
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.38
        elif char in _WIDE:
            em += 1.0
        elif char.isupper() or char.isdigit():
            em += 0.76
        else:
            em += 0.68
    return em * font_size + 2


@dataclass(frozen=True)
class Anchor:
    key: str
    when: date
    text: str


@dataclass(frozen=True)
class Placement:
    row: int  # 0 is the row nearest the event lanes
    align: str  # "left": the label starts right of its leader line; "right": it ends left of it


def _x(anchor: Anchor, domain: tuple[date, date], width: float) -> float:
    start, end = domain
    span = (end - start).days or 1
    return (anchor.when - start).days / span * width


def _extent(x: float, label_width: float, align: str) -> tuple[float, float]:
    return (x + OFFSET, x + OFFSET + label_width) if align == "left" else (x - OFFSET - label_width, x - OFFSET)


Chosen = list[tuple[int, tuple[float, float]]]  # (row, extent) of each label placed so far


def _clashes(chosen: Chosen, xs: list[float], index: int, row: int, extent: tuple[float, float], width: float) -> int | None:
    """None if the label cannot go there; else how many leader lines would cross a label."""
    left, right = extent
    if left < 0 or right > width:
        return None
    crossings = 0
    for other, (other_row, (other_left, other_right)) in enumerate(chosen):
        if other_row == row and left < other_right + GAP and other_left < right + GAP:
            return None
        if 0 <= other_row < row and other_left - GAP <= xs[index] <= other_right + GAP:
            crossings += 1  # my leader line would cross the lower label
        if other_row > row and left - GAP <= xs[other] <= right + GAP:
            crossings += 1  # the higher label's leader line would cross me
    return crossings


def _best_in_rows(xs: list[float], options: list[list[tuple[str, tuple[float, float]]]], width: float, rows: int
                  ) -> list[tuple[int, str]] | None:
    """Depth-first search for a (row, align) of every label with no leader line crossing a label."""
    best: list[tuple[int, str]] | None = None
    chosen: Chosen = []
    aligns: list[str] = []
    budget = SEARCH_BUDGET

    def search(index: int, crossings: int) -> None:
        nonlocal best, budget
        if best is not None or crossings > 0:  # only a placement with no crossing is wanted
            return
        if index == len(xs):
            best = [(row, align) for (row, _), align in zip(chosen, aligns, strict=True)]
            return
        budget -= 1
        if budget < 0:
            return
        for row in range(rows):
            for align, extent in options[index]:
                added = _clashes(chosen, xs, index, row, extent, width)
                if added is not None:
                    chosen.append((row, extent))
                    aligns.append(align)
                    search(index + 1, crossings + added)
                    chosen.pop()
                    aligns.pop()

    search(0, 0)
    return best


def place_labels(anchors: Sequence[Anchor], domain: tuple[date, date], width: float, font_size: int = FONT_SIZE) -> dict[str, Placement]:
    """Rows and alignments for the labels at this plot width.

    Labels never overlap each other, never leave the plot, and no leader line crosses a
    label: a reader must be able to tell which event a label belongs to. Among placements
    with the fewest rows, the one found first wins (depth-first search in time order, with
    a budget). Labels join in priority order (`anchors`' order); one that cannot be placed
    with those before it is left out at this width, and its event keeps its tooltip and
    accessible name.
    """
    placed: dict[str, Placement] = {}
    kept: list[Anchor] = []
    for anchor in anchors:  # in priority order: a label joins only if all can still be placed
        found = _place_all([*kept, anchor], domain, width, font_size)
        if found is not None:
            kept.append(anchor)
            placed = found
    return placed


def _place_all(anchors: Sequence[Anchor], domain: tuple[date, date], width: float, font_size: int) -> dict[str, Placement] | None:
    """A placement of every label in the fewest rows, or None if there is none."""
    items = sorted(anchors, key=lambda a: (a.when, a.key))
    xs = [_x(a, domain, width) for a in items]
    options = [[(align, _extent(x, text_width(a.text, font_size), align)) for align in ("left", "right")]
               for a, x in zip(items, xs, strict=True)]
    for rows in range(1, MAX_ROWS + 1):
        best = _best_in_rows(xs, options, width, rows)
        if best is not None:
            return {item.key: Placement(row, align) for item, (row, align) in zip(items, best, strict=True)}
    return None
