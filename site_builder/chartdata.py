"""The numbers behind the timeline: rows for each layer, the default time window and the
vertical geometry (in pixels from the top of the plot), all computed at build time.

Every date a reader sees in the chart (axis ticks aside) is a label made here at its own
precision; the chart plots ISO dates on a UTC scale, so no time zone moves an event.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from .annotate import Anchor, Placement, place_labels
from .dates import span_label
from .model import Event, Site

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
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return datetime.now(tz=timezone.utc).date()


def mark_radius(importance: int) -> float:
    return (SIZE_BY_IMPORTANCE[importance] / 3.14159) ** 0.5


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

    def label_baseline(self, row: int) -> int:
        return self.band_bottom - row * LABEL_ROW - 5


def default_window(events: tuple[Event, ...]) -> tuple[date, date]:
    """The dense period: from the first to the last event that is not a future target."""
    happened = [event for event in events if event.kind != "target"] or list(events)
    start = min(event.date.first_day for event in happened)
    end = max((event.end_date or event.date).last_day for event in happened)
    pad = max(timedelta(days=12), (end - start) * 0.04)
    return start - pad, end + pad


def full_window(events: tuple[Event, ...], today: date) -> tuple[date, date]:
    start = min(event.date.first_day for event in events)
    end = max(max((event.end_date or event.date).last_day for event in events), today)
    pad = max(timedelta(days=30), (end - start) * 0.02)
    return start - pad, end + pad


def placements(site: Site, window: tuple[date, date]) -> list[dict[str, Placement]]:
    anchors = [Anchor(event.slug, event.date.first_day, event.chart_label) for event in site.events if event.importance == 1]
    return [place_labels(anchors, window, width, font) for _, width, font in LAYOUTS]


@dataclass(frozen=True)
class TimelineData:
    events: list[dict[str, Any]]
    eras: list[dict[str, Any]]
    lanes: list[dict[str, Any]]
    today: list[dict[str, Any]]
    geometry: Geometry
    window: tuple[date, date]
    full: tuple[date, date]


def timeline_data(site: Site, today: date) -> TimelineData:
    config = site.config
    language = config.language
    window = default_window(site.events)
    placed = placements(site, window)
    rows_used = max([p.row + 1 for layout in placed for p in layout.values()], default=0)
    geometry = Geometry(label_rows=rows_used, lanes=len(config.categories))
    lane_index = {category.key: index for index, category in enumerate(config.categories)}

    events = []
    for event in site.events:
        category = config.category(event.category)
        lane_y = geometry.lane_top(lane_index[event.category]) + LANE_MARK_Y
        when = span_label(event.date, event.end_date, language)
        row: dict[str, Any] = {
            "slug": event.slug,
            "title": event.title,
            "start": event.date.first_day.isoformat(),
            "end": (event.end_date.last_day if event.end_date else event.date.first_day).isoformat(),
            "span": event.end_date is not None,
            "when": f"{when} (target)" if event.kind == "target" else when,
            "category": category.label,
            "importance": event.importance,
            "kind": event.kind,
            "href": event.url,
            "aria": f"{event.title}. {when}. {category.label}.",
            "y": lane_y,
            "y_top": lane_y - SPAN_HALF_HEIGHT,
            "y_bottom": lane_y + SPAN_HALF_HEIGHT,
            "label": event.chart_label if event.importance == 1 else None,
            "leader_end": lane_y - (SPAN_HALF_HEIGHT if event.end_date else mark_radius(event.importance)) - 2,
        }
        for index, layout in enumerate(placed):
            spot = layout.get(event.slug)
            row[f"row_{index}"] = spot.row if spot else -1
            row[f"align_{index}"] = spot.align if spot else "none"
        events.append(row)

    eras = [
        {"label": era.label, "start": era.start.first_day.isoformat(), "end": era.end.last_day.isoformat(), "shade": "#f4f3ef" if i % 2 == 0 else "#fbfaf7"}
        for i, era in enumerate(config.eras)
    ]
    lanes = [
        {"label": category.label, "key": category.key, "colour": category.colour,
         "y_top": geometry.lane_top(index), "y_label": geometry.lane_top(index) + LANE_LABEL_Y}
        for index, category in enumerate(config.categories)
    ]
    today_rows = [{"date": today.isoformat(), "label": "Today", "y": geometry.height - 4}]
    return TimelineData(events, eras, lanes, today_rows, geometry, window, full_window(site.events, today))
