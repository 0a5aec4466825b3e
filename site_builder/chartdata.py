"""The numbers behind the timeline: rows for each layer, the default time window and the
vertical geometry (in pixels from the top of the plot), all computed at build time.

Every date a reader sees in the chart (axis ticks aside) is a label made here at its own
precision; the chart plots ISO dates on a UTC scale, so no time zone moves an event.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from .annotate import Anchor, Placement, place_labels
from .messages import Messages
from .model import Category, Event, Site

# Placement is computed for the narrowest plot of each width range and holds for wider ones.
LAYOUTS = ((0, 270, 11), (500, 500, 12), (850, 850, 12))  # (from plot width, placed at, font size)
ERA_ROW = 20
LABEL_ROW = 17
LANE = 42
LANE_LABEL_Y = 12  # baseline of a lane's name, below the lane's top rule
LANE_MARK_Y = 28  # centre of the lane's marks
TODAY_ROW = 16
SIZE_BY_IMPORTANCE = {1: 260, 2: 130, 3: 60}
SPAN_HALF_HEIGHT = 5


def build_date() -> date:
    """Today for the chart's 'today' rule: SOURCE_DATE_EPOCH when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return datetime.now(tz=UTC).date()


def mark_radius(importance: int) -> float:
    return float((SIZE_BY_IMPORTANCE[importance] / 3.14159) ** 0.5)


@dataclass(frozen=True)
class Geometry:
    label_rows: int
    lanes: int

    @property
    def band_bottom(self) -> int:
        return ERA_ROW + self.label_rows * LABEL_ROW

    def lane_top(self, index: int) -> int:
        return self.band_bottom + 6 + index * LANE

    @property
    def height(self) -> int:
        return self.lane_top(self.lanes) + TODAY_ROW


def default_window(events: tuple[Event, ...]) -> tuple[date, date]:
    """The dense period: from the first to the last event that is not a future target."""
    happened = [event for event in events if not event.is_target] or list(events)
    start = min(event.date.first_day for event in happened)
    end = max(event.last_day for event in happened)
    pad = max(timedelta(days=12), (end - start) * 0.04)
    return start - pad, end + pad


def full_window(events: tuple[Event, ...], today: date) -> tuple[date, date]:
    start = min(event.date.first_day for event in events)
    end = max(max(event.last_day for event in events), today)
    pad = max(timedelta(days=30), (end - start) * 0.02)
    return start - pad, end + pad


MAX_LABELS = 24  # a chart carries a handful of annotations; the rest keep their tooltips


@lru_cache(maxsize=64)
def _placements(anchors: tuple[Anchor, ...], window: tuple[date, date]) -> tuple[dict[str, Placement], ...]:
    return tuple(place_labels(anchors, window, width, font) for _, width, font in LAYOUTS)


def placements(site: Site, window: tuple[date, date]) -> tuple[dict[str, Placement], ...]:
    """Label placement for each layout; recomputed only when a landmark or the window changes."""
    landmarks = [event for event in site.events if event.is_landmark]
    landmarks.sort(key=lambda event: event.label is None)  # stable: explicit labels first, then by date
    return _placements(tuple(Anchor(e.slug, e.date.first_day, e.chart_label) for e in landmarks[:MAX_LABELS]), window)


@dataclass(frozen=True)
class TimelineData:
    events: list[dict[str, Any]]
    eras: list[dict[str, Any]]
    lanes: list[dict[str, Any]]
    today: list[dict[str, Any]]
    geometry: Geometry
    window: tuple[date, date]
    full: tuple[date, date]
    events_json: str = "[]"  # the same rows, already encoded for a <script> element
    overview_json: str = "[]"


OVERVIEW_FIELDS = ("start", "category", "kind")


def event_row(event: Event, category: Category, lane_y: int, spots: tuple[Placement | None, ...], messages: Messages) -> dict[str, Any]:
    when = messages.span(event.date, event.end_date)
    row: dict[str, Any] = {
        "slug": event.slug,
        "title": event.title,
        "start": event.date.first_day.isoformat(),
        "end": (event.end_date.last_day if event.end_date else event.date.first_day).isoformat(),
        "span": event.is_span,
        "when": messages.gettext("%(date)s (target)", date=when) if event.is_target else when,
        "category": category.label,
        "importance": event.importance,
        "kind": event.kind,
        "href": event.url,
        "aria": f"{event.title}. {when}. {category.label}.",
        "y": lane_y,
        "y_top": lane_y - SPAN_HALF_HEIGHT,
        "y_bottom": lane_y + SPAN_HALF_HEIGHT,
        "label": event.chart_label if event.is_landmark else None,
        "leader_end": lane_y - (SPAN_HALF_HEIGHT if event.is_span else mark_radius(event.importance)) - 2,
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
    placed = placements(site, window)
    rows_used = max([p.row + 1 for layout in placed for p in layout.values()], default=0)
    geometry = Geometry(label_rows=rows_used, lanes=len(config.categories))
    lane_index = {category.key: index for index, category in enumerate(config.categories)}
    categories = {category.key: category for category in config.categories}

    events, encoded, overview = [], [], []
    for event in site.events:
        lane_y = geometry.lane_top(lane_index[event.category]) + LANE_MARK_Y
        spots = tuple(layout.get(event.slug) for layout in placed)
        row, row_json, overview_json = rows.get(event, categories[event.category], lane_y, spots, messages)
        events.append(row)
        encoded.append(row_json)
        overview.append(overview_json)

    eras = [
        {"label": era.label, "start": era.start.first_day.isoformat(), "end": era.end.last_day.isoformat(), "shade": "#f4f3ef" if i % 2 == 0 else "#fbfaf7"}
        for i, era in enumerate(config.eras)
    ]
    lanes = [
        {"label": category.label, "key": category.key, "colour": category.colour,
         "y_top": geometry.lane_top(index), "y_label": geometry.lane_top(index) + LANE_LABEL_Y}
        for index, category in enumerate(config.categories)
    ]
    today_rows = [{"date": today.isoformat(), "label": messages.gettext("Today"), "y": geometry.height - 4}]
    return TimelineData(events, eras, lanes, today_rows, geometry, window, full_window(site.events, today),
                        "[" + ",".join(encoded) + "]", "[" + ",".join(overview) + "]")
