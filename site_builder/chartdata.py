"""The numbers behind the timeline: rows for each layer, the default time window and the
vertical geometry (in pixels from the top of the plot), all computed at build time.

Every date a reader sees in the chart (axis ticks aside) is a label made here at its own
precision; the chart plots ISO dates on a UTC scale, so no time zone moves an event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from .annotate import Anchor, Placement, place_labels, text_width
from .density import MAX_LABELS, LaneBand, key_events, landmarks, lane_cells, overview_bars
from .dodge import Extent, assign_rows
from .messages import Messages
from .model import Category, Event, Site

# Annotations are placed for the narrowest chart of each width range and hold for wider ones.
LAYOUTS = ((0, 300), (500, 500), (850, 850))  # (from chart width, placed at chart width)
FONT_SIZE = 12  # every text in the chart: 12 px at least, on a phone too
ERA_ROW = 20
LABEL_ROW = 17
LANE_LABEL_Y = 13  # baseline of a lane's name, below the lane's top rule
FIRST_ROW = 28  # centre of a lane's first row of dots, from the lane's top
DOT_ROW = 20  # between rows of dots (the largest dot is 18 px across)
SPAN_ROW = 14  # between rows of bars, which are 10 px tall
TODAY_ROW = 18
SIZE_BY_IMPORTANCE = {1: 260, 2: 130, 3: 60}
SPAN_HALF_HEIGHT = 5
# Targets beyond the window sit in a strip at the right, behind an axis break: its width is a
# share of the chart's, clamped; the same rule is written for Vega as STRIP_EXPR.
STRIP_SHARE, STRIP_MIN, STRIP_MAX, STRIP_GAP = 0.12, 84, 120, 14
STRIP_EXPR = f"clamp(width * {STRIP_SHARE}, {STRIP_MIN}, {STRIP_MAX})"


def strip_width(chart_width: float) -> float:
    return min(STRIP_MAX, max(STRIP_MIN, chart_width * STRIP_SHARE))


def time_width(chart_width: float, strip: bool) -> float:
    """The width of the chart's time axis: all of it, or what the targets strip leaves."""
    return chart_width - strip_width(chart_width) if strip else chart_width


def mark_radius(importance: int) -> float:
    return float((SIZE_BY_IMPORTANCE[importance] / 3.14159) ** 0.5)


@dataclass(frozen=True)
class Lane:
    """One category's band: rows of dots, then rows of bars (see dodge)."""

    top: int
    dot_rows: int
    span_rows: int

    def dot_y(self, row: int) -> int:
        return self.top + FIRST_ROW + row * DOT_ROW

    def span_y(self, row: int) -> int:
        return self.dot_y(self.dot_rows - 1) + 12 + row * SPAN_ROW + SPAN_ROW // 2

    @property
    def bottom(self) -> int:
        return self.dot_y(self.dot_rows - 1) + 12 + self.span_rows * SPAN_ROW + 4


@dataclass(frozen=True)
class Geometry:
    label_rows: int
    lanes: tuple[Lane, ...]
    height: int


def geometry(label_rows: int, rows_per_lane: list[tuple[int, int]]) -> Geometry:
    """Lanes stacked under the annotation band, each as tall as its rows need."""
    top = ERA_ROW + label_rows * LABEL_ROW + 6
    lanes = []
    for dot_rows, span_rows in rows_per_lane:
        lane = Lane(top, max(1, dot_rows), span_rows)
        lanes.append(lane)
        top = lane.bottom
    return Geometry(label_rows, tuple(lanes), top + TODAY_ROW)


def default_window(events: tuple[Event, ...]) -> tuple[date, date]:
    """The dense period: from the first to the last event that is not a future target."""
    happened = [event for event in events if not event.is_target] or list(events)
    start = min(event.date.first_day for event in happened)
    end = max(event.last_day for event in happened)
    pad = max(timedelta(days=12), (end - start) * 0.04)
    return start - pad, end + pad


def targets_after(events: tuple[Event, ...], day: date) -> tuple[date, date] | None:
    """The targets strip's time range: the targets that fall after `day`, padded."""
    later = [event for event in events if event.is_target and event.date.first_day > day]
    if not later:
        return None
    start, end = min(e.date.first_day for e in later), max(e.last_day for e in later)
    pad = max(timedelta(days=120), (end - start) * 0.06)
    return start - pad, end + pad


def full_window(events: tuple[Event, ...], today: date, window: tuple[date, date]) -> tuple[date, date]:
    """The overview's time axis: every event that happened and today (targets beyond go in its strip)."""
    last_target = max((e.last_day for e in events if e.is_target), default=window[1])
    start = min(event.date.first_day for event in events)
    end = max(window[1], min(today, last_target))
    pad = max(timedelta(days=30), (end - start) * 0.02)
    return start - pad, end + pad




@lru_cache(maxsize=64)
def _placements(anchors: tuple[Anchor, ...], window: tuple[date, date], strip: bool) -> tuple[dict[str, Placement], ...]:
    return tuple(place_labels(anchors, window, time_width(width, strip), FONT_SIZE) for _, width in LAYOUTS)


def placements(site: Site, window: tuple[date, date], strip: bool) -> tuple[dict[str, Placement], ...]:
    """Label placement for each layout; recomputed only when a landmark or the window changes."""
    anchors = tuple(Anchor(e.slug, e.date.first_day, e.chart_label) for e in landmarks(site)[:MAX_LABELS])
    return _placements(anchors, window, strip)


def lane_rows(site: Site, window: tuple[date, date], strip: bool) -> tuple[list[tuple[int, int]], dict[str, int]]:
    """Rows of dots and of bars in each lane, and each event's row (see dodge), at the
    narrowest layout's width."""
    width = time_width(LAYOUTS[0][1], strip)
    per_lane: list[tuple[int, int]] = []
    row_of: dict[str, int] = {}
    for category in site.config.categories:
        events = [event for event in site.events if event.category == category.key]
        dots = assign_rows([Extent(e.slug, e.date.first_day, e.date.first_day, mark_radius(e.importance))
                            for e in events if not e.is_span], window, width)
        bars = assign_rows([Extent(e.slug, e.date.first_day, e.last_day, 0) for e in events if e.is_span], window, width)
        per_lane.append((max(dots.values(), default=0) + 1, max(bars.values(), default=-1) + 1))
        row_of.update(dots)
        row_of.update(bars)
    return per_lane, row_of


@dataclass(frozen=True)
class TimelineData:
    events: list[dict[str, Any]]
    eras: list[dict[str, Any]]
    lanes: list[dict[str, Any]]
    today: list[dict[str, Any]]
    geometry: Geometry
    window: tuple[date, date]
    full: tuple[date, date]
    strip: tuple[date, date] | None  # the main view's targets strip (after the default window)
    overview_strip: tuple[date, date] | None  # the overview's (after everything that happened, and today)
    strip_ticks: tuple[str, ...]  # ticks on the strip's axis: the first and the last year with a target there
    events_json: str = "[]"  # the same rows, already encoded for a <script> element
    overview_json: str = "[]"
    # A large site (see density): counts of the events not drawn as marks, and their rows by year.
    cells: list[dict[str, Any]] = field(default_factory=list)
    overview_bars: list[dict[str, Any]] = field(default_factory=list)
    detail: dict[int, str] = field(default_factory=dict)

    @property
    def counted(self) -> bool:
        """Whether some events are drawn as counts (a large site), not all as marks."""
        return bool(self.detail)


OVERVIEW_FIELDS = ("start", "category", "kind")


def event_row(event: Event, category: Category, y: int, spots: tuple[Placement | None, ...], messages: Messages) -> dict[str, Any]:
    when = messages.span(event.date, event.end_date)
    when = messages.gettext("%(date)s (target)", date=when) if event.is_target else when
    label = event.chart_label if event.is_landmark else None
    row: dict[str, Any] = {
        "slug": event.slug,
        "title": event.title,
        "start": event.date.first_day.isoformat(),
        "end": (event.end_date.last_day if event.end_date else event.date.first_day).isoformat(),
        "span": event.is_span,
        "when": when,
        "category": category.label,
        "importance": event.importance,
        "kind": event.kind,
        "href": event.url,
        "aria": f"{event.title}, {when}",
        "y": y,
        "y_top": y - SPAN_HALF_HEIGHT,
        "y_bottom": y + SPAN_HALF_HEIGHT,
        "label": label,
        "label_w": round(text_width(label, FONT_SIZE)) if label else 0,
        "leader_end": y - (SPAN_HALF_HEIGHT if event.is_span else mark_radius(event.importance)) - 2,
    }
    for index, spot in enumerate(spots):
        row[f"row_{index}"] = spot.row if spot else -1
        row[f"align_{index}"] = spot.align if spot else "none"
    return row


class RowCache:
    """Chart rows and their encoded JSON by event: after an edit only that event's row is
    made again. Keyed by identity, as parsed events are kept while their file is unchanged."""

    def __init__(self) -> None:
        self._rows: dict[tuple[int, Category, int, tuple[Placement | None, ...], str], tuple[Event, dict[str, Any], str, str]] = {}

    def get(self, event: Event, category: Category, lane_y: int, spots: tuple[Placement | None, ...], messages: Messages
            ) -> tuple[dict[str, Any], str, str]:
        key = (id(event), category, lane_y, spots, messages.language)
        kept = self._rows.get(key)
        if kept is None or kept[0] is not event:
            row = event_row(event, category, lane_y, spots, messages)
            kept = (event, row, script_json(row), script_json({name: row[name] for name in OVERVIEW_FIELDS}))
            self._rows[key] = kept
        return kept[1], kept[2], kept[3]


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '</script>' or '<!--' can close or confuse it."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def timeline_data(site: Site, today: date, messages: Messages, rows: RowCache | None = None) -> TimelineData:
    config = site.config
    rows = rows if rows is not None else RowCache()
    window = default_window(site.events)
    strip = targets_after(site.events, window[1])
    placed = placements(site, window, strip is not None)
    per_lane, row_of = lane_rows(site, window, strip is not None)
    shape = geometry(max([p.row + 1 for layout in placed for p in layout.values()], default=0), per_lane)
    lane_of = {category.key: (index, category) for index, category in enumerate(config.categories)}

    keys = key_events(site)
    events, encoded, overview, rest = [], [], [], []
    detail: dict[int, list[str]] = {}
    for event in site.events:
        index, category = lane_of[event.category]
        lane = shape.lanes[index]
        y = lane.span_y(row_of[event.slug]) if event.is_span else lane.dot_y(row_of[event.slug])
        spots = tuple(layout.get(event.slug) for layout in placed)
        row, row_json, overview_json = rows.get(event, category, y, spots, messages)
        if keys is None or event.slug in keys:
            events.append(row)
            encoded.append(row_json)
            overview.append(overview_json)
        else:  # counted in the chart, drawn when the reader zooms in
            rest.append(event)
            detail.setdefault(event.date.first_day.year, []).append(row_json)
    if keys is not None:
        overview = []  # the overview draws counts only
    bands = {category.key: LaneBand(category.label, lane.top + FIRST_ROW - 10, lane.bottom - 4)
             for lane, category in zip(shape.lanes, config.categories, strict=True)}
    cells = lane_cells(rest, bands, messages)
    bars = overview_bars(rest, {c.key: c.label for c in config.categories}, [c.key for c in config.categories])

    era_rows = []
    for i, era in enumerate(config.eras):
        following = [other.start.first_day for other in config.eras if other.start.first_day > era.start.first_day]
        end = min([era.end.last_day, *following])  # a label never runs into the next era's
        era_rows.append({"label": era.label, "start": era.start.first_day.isoformat(), "end": era.end.last_day.isoformat(),
                         "label_end": end.isoformat(), "label_w": round(text_width(era.label, FONT_SIZE)),
                         "shade": "#f4f3ef" if i % 2 == 0 else "#fbfaf7"})
    lanes = [
        {"label": category.label, "key": category.key, "colour": category.colour,
         "y_top": lane.top, "y_label": lane.top + LANE_LABEL_Y}
        for lane, category in zip(shape.lanes, config.categories, strict=True)
    ]
    today_label = messages.gettext("Today")
    today_rows = [{"date": today.isoformat(), "label": today_label, "label_w": round(text_width(today_label, FONT_SIZE)),
                   "y": shape.height - 5}]
    full = full_window(site.events, today, window)
    years = sorted({e.date.year for e in site.events if e.is_target and e.date.first_day > window[1]})  # the strip's
    ticks = tuple(date(year, 1, 1).isoformat() for year in sorted({years[0], years[-1]})) if years else ()
    return TimelineData(events, era_rows, lanes, today_rows, shape, window, full, strip, targets_after(site.events, full[1]),
                        ticks, "[" + ",".join(encoded) + "]", "[" + ",".join(overview) + "]", cells, bars,
                        {year: "[" + ",".join(found) + "]" for year, found in sorted(detail.items())})


@dataclass(frozen=True)
class Period:
    """A button under the chart that shows one period."""

    label: str
    start: str
    end: str


def periods(site: Site, data: TimelineData, messages: Messages) -> list[Period]:
    """The period buttons: each era, all the events (the default window), and out to the
    last target when targets lie beyond."""
    buttons = []
    for era in site.config.eras:
        pad = max(timedelta(days=7), (era.end.last_day - era.start.first_day) * 0.03)
        buttons.append(Period(era.label, (era.start.first_day - pad).isoformat(), (era.end.last_day + pad).isoformat()))
    buttons.append(Period(messages.gettext("All events"), data.window[0].isoformat(), data.window[1].isoformat()))
    if data.strip:
        last = max(e.last_day for e in site.events if e.is_target)
        buttons.append(Period(messages.gettext("To %(year)s", year=str(last.year)), data.full[0].isoformat(), data.strip[1].isoformat()))
    return buttons


def limits(data: TimelineData) -> tuple[date, date]:
    """How far a reader can pan or zoom out: everything, targets included."""
    return data.full[0], max(data.full[1], data.strip[1] if data.strip else data.full[1])
