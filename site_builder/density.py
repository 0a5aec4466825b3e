"""Timelines too large to draw event by event: counts per month, key events, detail by year.

A site that lists its events on the home page (model.Site.list_on_home) draws every event
as a mark. A larger one would put thousands of overlapping marks and megabytes of data on
the home page, so its chart carries instead:

- the key events as marks: the annotated landmarks first, then the other landmarks and the
  targets, at most KEY_LIMIT of them;
- for every other event, a count per category and month, drawn in the category's lane as a
  shaded cell (darker for more events) and in the overview as a stacked bar per month;
- the rows of every other event in one file per year (`timeline/<year>.json`, beside the
  home page), which the page script fetches when the reader zooms in far enough to see
  single events: a window holding at most DETAIL_LIMIT of them.

So the home page weighs the same for 1,000 events or 10,000, and the chart stays readable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .messages import Messages
from .model import LIST_ON_HOME_LIMIT, Event, PartialDate, Site

MAX_LABELS = 24  # a chart carries a handful of annotations; the rest keep their tooltips
KEY_LIMIT = 100  # marks on a large site's home page before the reader zooms in
DETAIL_LIMIT = LIST_ON_HOME_LIMIT  # events in the window: at most this many, they are drawn one by one
DETAIL_DIR = "timeline/"
OVERVIEW_BASE, OVERVIEW_BAR = 40, 30  # the overview's bars: their baseline and the tallest bar, in pixels
LIGHTEST, DARKEST = 0.07, 0.5  # a cell's opacity for one event and for the busiest month


def detail_file(year: int) -> str:
    return f"{DETAIL_DIR}{year}.json"


def spread(events: list[Event], count: int) -> list[Event]:
    """`count` of these events (in date order) evenly spaced in that order, so that a chart's
    few annotations or marks cover the whole period instead of its first years."""
    if len(events) <= count:
        return list(events)
    step = (len(events) - 1) / max(1, count - 1)
    return [events[round(index * step)] for index in range(count)]


def landmarks(site: Site) -> list[Event]:
    """The landmarks in the order their labels are placed: explicit labels first, then by date;
    when there are more than MAX_LABELS landmarks, those without a label are picked spread
    over the period before the others."""
    labelled = [event for event in site.events if event.is_landmark and event.label is not None]
    unlabelled = [event for event in site.events if event.is_landmark and event.label is None]
    first = spread(unlabelled, max(0, MAX_LABELS - len(labelled)))
    chosen = {event.slug for event in first}
    return [*labelled, *first, *(event for event in unlabelled if event.slug not in chosen)]


def key_events(site: Site) -> frozenset[str] | None:
    """The events a large site's chart draws as marks from the start (slugs): the landmarks
    that may be annotated, then other landmarks and targets spread over the period,
    at most KEY_LIMIT in all. None for a site small enough to draw every event."""
    if site.list_on_home:
        return None
    annotated = landmarks(site)[:MAX_LABELS]
    taken = {event.slug for event in annotated}
    others = [event for event in site.events if (event.is_landmark or event.is_target) and event.slug not in taken]
    return frozenset(event.slug for event in [*annotated, *spread(others, KEY_LIMIT - len(annotated))])


def detail_years(site: Site) -> list[int]:
    """The years with a file of events drawn on demand (none for a small site)."""
    keys = key_events(site)
    return [] if keys is None else sorted({event.date.first_day.year for event in site.events if event.slug not in keys})


def month_of(event: Event) -> tuple[int, int]:
    first = event.date.first_day
    return first.year, first.month


def _month_range(year: int, month: int) -> tuple[str, str]:
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, 1).isoformat(), following.isoformat()


def _shade(count: int, most: int) -> float:
    """Opacity in proportion to the count, from LIGHTEST for one event (which still shows)."""
    return round(LIGHTEST + (DARKEST - LIGHTEST) * (count - 1) / max(1, most - 1), 3)


@dataclass(frozen=True)
class LaneBand:
    """Where a category's cells are drawn in the main view (pixels from the plot's top)."""

    label: str
    top: int
    bottom: int


def lane_cells(events: Iterable[Event], bands: dict[str, LaneBand], messages: Messages) -> list[dict[str, object]]:
    """One cell per category and month holding any of `events`: the main view's counts."""
    counts = Counter((event.category, *month_of(event)) for event in events)
    most = max(counts.values(), default=1)
    cells = []
    for (category, year, month), count in sorted(counts.items()):
        band = bands[category]
        start, end = _month_range(year, month)
        cells.append({"start": start, "end": end, "year": year, "category": band.label, "count": count,
                      "shade": _shade(count, most), "y_top": band.top, "y_bottom": band.bottom,
                      "title": messages.ngettext("%(num)s event", "%(num)s events", count),
                      "when": messages.date(PartialDate(year, month))})
    return cells


def overview_bars(events: Iterable[Event], labels: dict[str, str], order: list[str]) -> list[dict[str, object]]:
    """The overview's bars: per month, the categories stacked in lane order, the busiest
    month OVERVIEW_BAR pixels tall."""
    counts = Counter((*month_of(event), event.category) for event in events)
    totals = Counter({(year, month): 0 for year, month, _ in counts})
    for (year, month, _), count in counts.items():
        totals[(year, month)] += count
    most = max(totals.values(), default=1)
    bars = []
    for year, month in sorted(totals):
        bottom = float(OVERVIEW_BASE)
        for category in order:
            count = counts.get((year, month, category), 0)
            if not count:
                continue
            top = bottom - OVERVIEW_BAR * count / most
            start, end = _month_range(year, month)
            bars.append({"start": start, "end": end, "category": labels[category], "y_top": round(top, 2), "y_bottom": round(bottom, 2)})
            bottom = top
    return bars
