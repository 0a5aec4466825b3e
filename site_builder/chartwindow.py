"""What Vega-Lite cannot say about the timeline, written into the compiled Vega.

- **The window is two signals**, `ws` and `we` (milliseconds), that the page script sets as
  the reader zooms and pans; the still picture keeps the values chosen at build time. So the
  chart never listens to the wheel itself: the page scrolls, and zooming is the script's
  business (Ctrl or ⌘ with the wheel, pinch, buttons, the overview's brush).
- **Targets beyond the window sit in a strip at the right, behind an axis break.** The x
  scale is piecewise: the window takes the width the strip leaves, a gap marks the break,
  and the strip's years take the rest. Marks falling in the gap are clipped away; once the
  window reaches the targets, the break closes.
- **Text hides rather than clips.** An annotation is shown only while the whole of it fits
  inside the window and the view is no wider than the one its place was computed for; era
  names and "Today" likewise show only where they fit whole. No label is ever cut mid-word,
  and none overprints another.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from .chartdata import STRIP_EXPR, STRIP_GAP, TimelineData

INK, MUTED = "#1a1a1a", "#585858"
STRIP_SHADE = "#f1efe8"
TIME_WIDTH = "(width - strip)"
SHOWN = "indexof(shown, datum.category) >= 0"


def millis(day: date | str) -> int:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def named_marks(spec: dict[str, Any], name: str) -> list[dict[str, Any]]:
    found = []
    for mark in spec.get("marks", []):
        if mark.get("name") == name:
            found.append(mark)
        found.extend(named_marks(mark, name))
    return found


def _scale(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return next(scale for scale in spec["scales"] if scale["name"] == name)


def _piecewise(scale: dict[str, Any], start: str, end: str, strip: tuple[date, date] | None, open_: str) -> None:
    """The x scale: [start, end] over the time part, then the targets strip while `open_` holds."""
    for key in ("domainRaw", "nice", "zero", "padding"):
        scale.pop(key, None)
    if strip is None:
        scale["domain"] = {"signal": f"[{start}, {end}]"}
        scale["range"] = [0, {"signal": "width"}]
        return
    first, last = millis(strip[0]), millis(strip[1])
    scale["domain"] = {"signal": f"{open_} ? [{start}, {end}, {first}, {last}] : [{start}, {end}]"}
    scale["range"] = {"signal": f"{open_} ? [0, {TIME_WIDTH}, {TIME_WIDTH} + {STRIP_GAP}, width] : [0, width]"}


def _clip_out_the_gap(mark: dict[str, Any]) -> None:
    """Clip a mark to the time part and the strip, leaving out the break between them."""
    mark["clip"] = {"path": {"signal": (
        f"'M0,-30H' + {TIME_WIDTH} + 'V' + (height + 4) + 'H0Z' + (strip > 0 ? 'M' + ({TIME_WIDTH} + {STRIP_GAP}) + ',-30H' + width + "
        "'V' + (height + 4) + 'H' + (" + TIME_WIDTH + f" + {STRIP_GAP}) + 'Z' : '')")}}


def _strip_marks(heading: str, axis_y: str) -> list[dict[str, Any]]:
    """The strip's shading and heading, and the break drawn on the axis."""
    left = f"({TIME_WIDTH} + {STRIP_GAP})"
    return [
        {"type": "rect", "name": "targets_strip", "aria": False, "interactive": False, "encode": {"update": {
            "x": {"signal": left}, "x2": {"signal": "width"}, "y": {"value": 0}, "y2": {"signal": axis_y},
            "fill": {"value": STRIP_SHADE}, "opacity": {"signal": "strip > 0 ? 1 : 0"}}}},
        {"type": "text", "name": "targets_heading", "aria": False, "interactive": False, "encode": {"update": {
            "x": {"signal": f"{left} + 5"}, "y": {"value": 14}, "text": {"signal": f"strip > 0 ? {heading!r} : ''"},
            "fontSize": {"value": 12}, "fontStyle": {"value": "italic"}, "fill": {"value": MUTED},
            "limit": {"signal": "max(0, strip - 20)"}}}},
        {"type": "path", "name": "axis_break", "aria": False, "interactive": False, "encode": {"update": {
            "path": {"signal": f"strip > 0 ? 'M' + ({TIME_WIDTH} + 2) + ',' + ({axis_y} + 6) + 'l5,-12M' + ({TIME_WIDTH} + 7) + ',' + "
                               f"({axis_y} + 6) + 'l5,-12' : ''"},
            "stroke": {"value": INK}, "strokeWidth": {"value": 1.5}}}},
    ]


def _strip_axis(ticks: tuple[str, ...], open_: str) -> dict[str, Any]:
    values = ", ".join(str(millis(tick)) for tick in ticks)
    return {"scale": "x", "orient": "bottom", "values": {"signal": f"{open_} ? [{values}] : []"}, "format": "%Y", "formatType": "utc",
            "grid": False, "domain": False, "tickColor": "#9a9a9a", "labelColor": MUTED, "labelFontSize": 12, "labelPadding": 4,
            "aria": False, "zindex": 0,
            # the first year's label starts at its tick, the last ends at it: clear of the time axis and the edge
            "encode": {"labels": {"update": {"align": {"signal": f"+datum.value == {values.split(', ')[-1]} && {len(ticks)} > 1 ? 'right' : 'left'"}}}}}


def _hide_unless(mark: dict[str, Any], fits: str, field: str = "label") -> None:
    mark["encode"]["update"]["text"] = {"signal": f"({fits}) ? datum.{field} : ''"}


def finish_main(spec: dict[str, Any], data: TimelineData, heading: str) -> dict[str, Any]:
    """The main view's window, strip and label rules (see the module's docstring)."""
    window = (millis(data.window[0]), millis(data.window[1]))
    spec["signals"] = [*spec.get("signals", []),
                       {"name": "ws", "value": window[0]}, {"name": "we", "value": window[1]},
                       {"name": "strip", "update": f"we < {millis(data.strip[0])} ? {STRIP_EXPR} : 0" if data.strip else "0"}]
    _piecewise(_scale(spec, "x"), "ws", "we", data.strip, "strip > 0")
    spec["scales"].append({"name": "x_time", "type": "utc", "domain": {"signal": "[ws, we]"}, "range": [0, {"signal": TIME_WIDTH}]})
    for axis in spec.get("axes", []):
        if axis.get("scale") == "x":
            axis["scale"] = "x_time"
    if data.strip:
        spec["axes"].append(_strip_axis(data.strip_ticks, "strip > 0"))
        spec["marks"][0:0] = _strip_marks(heading, "height")
    for mark in spec["marks"]:
        if mark.get("encode", {}).get("update", {}).get("x", {}).get("scale") == "x" or mark.get("name", "").startswith(("era_", "today_")):
            _clip_out_the_gap(mark)

    x, right = "scale('x', datum.start)", TIME_WIDTH
    as_placed = f"we - ws <= {(window[1] - window[0]) * 1.001}"  # zoomed in or panned: labels keep clear of each other
    _hide_unless(named_marks(spec, "event_labels_left_marks")[0], f"{as_placed} && {x} >= 0 && {x} + 4 + datum.label_w <= {right}")
    _hide_unless(named_marks(spec, "event_labels_right_marks")[0], f"{as_placed} && {x} - 4 - datum.label_w >= 0 && {x} <= {right}")
    for name in ("event_labels_left_marks", "event_labels_right_marks"):
        named_marks(spec, name)[0]["encode"]["update"]["opacity"] = {"signal": f"{SHOWN} ? 1 : 0.3"}
    for leader in named_marks(spec, "event_leaders_marks"):
        leader["encode"]["update"]["opacity"] = {"signal": f"{as_placed} && {x} >= 0 && {x} <= {right} ? ({SHOWN} ? 1 : 0.25) : 0"}

    for mark in named_marks(spec, "era_labels_marks"):
        left = "max(0, scale('x', datum.start))"
        mark["encode"]["update"]["x"] = {"signal": left}
        _hide_unless(mark, f"min(scale('x', toDate(datum.label_end)), {right}) - {left} - 10 >= datum.label_w")
    for mark in named_marks(spec, "today_label_marks"):
        _hide_unless(mark, f"scale('x', datum.date) <= {right} && scale('x', datum.date) - 4 - datum.label_w >= 0")
    for mark in named_marks(spec, "lane_labels_marks"):
        mark["interactive"] = True  # the legend: a click filters (the page script)
        mark["encode"]["update"]["cursor"] = {"value": "pointer"}
    return spec


def overview_ticks(data: TimelineData, most: int) -> list[int]:
    """Year ticks on the overview's time part (whole years, at most `most`), then the strip's."""
    start, end = data.full
    years = [year for year in range(start.year, end.year + 1) if start <= date(year, 1, 1) <= end]
    step = max(1, -(-len(years) // most))
    return [millis(date(year, 1, 1)) for year in years[::step]] + [millis(tick) for tick in _beyond(data)]


def _beyond(data: TimelineData) -> list[str]:
    return [tick for tick in data.strip_ticks if date.fromisoformat(tick) > data.full[1]]


def finish_overview(spec: dict[str, Any], data: TimelineData, heading: str) -> dict[str, Any]:
    """The overview: everything that happened, then the targets strip; fixed, so the break
    is always open. The brush is a pointer tool; keyboard users have the buttons and the list."""
    full = (millis(data.full[0]), millis(data.full[1]))
    strip = data.overview_strip
    spec["signals"] = [*spec.get("signals", []), {"name": "strip", "update": STRIP_EXPR if strip else "0"}]
    _piecewise(_scale(spec, "x"), str(full[0]), str(full[1]), strip, "strip > 0")
    narrow, wide = (", ".join(map(str, overview_ticks(data, most))) for most in (4, 8))
    for axis in spec.get("axes", []):
        if axis.get("scale") == "x":
            axis["values"] = {"signal": f"width < 500 ? [{narrow}] : [{wide}]"}
            axis["formatType"] = "utc"
            beyond = [millis(tick) for tick in _beyond(data)]
            if beyond:  # the strip's years: the first starts at its tick, the last ends at it
                align = f"+datum.value == {beyond[-1]} && {len(beyond)} > 1 ? 'right' : +datum.value >= {beyond[0]} ? 'left' : 'center'"
                axis.setdefault("encode", {}).setdefault("labels", {}).setdefault("update", {})["align"] = {"signal": align}
    if strip:
        shading, _, axis_break = _strip_marks(heading, "height")
        spec["marks"][0:0] = [shading, axis_break]
    for name in ("brush_brush_bg", "brush_brush"):
        for mark in named_marks(spec, name):
            mark["aria"] = False
    return spec
