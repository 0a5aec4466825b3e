"""The home page timeline as Altair charts, compiled to Vega at build time.

Two views: the main timeline (annotated landmarks, lanes by category, spans as bars, eras
as bands, zoom and pan on time) framing the dense period, and an overview strip of the
whole range, targets to 2045 included, whose brush sets the main view's window (the page
script keeps brush and zoom in step). Readers get compiled Vega and the Vega runtime only.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Hashable
from datetime import date
from pathlib import Path
from typing import Any, Literal, cast

import altair as alt
import vl_convert
from babel.numbers import get_decimal_symbol, get_group_symbol

from .buildrecord import engine_fingerprint, read_entry, store
from .chartdata import FONT_SIZE, LABEL_ROW, LAYOUTS, OVERVIEW_FIELDS, SIZE_BY_IMPORTANCE, TimelineData, script_json
from .chartwindow import SHOWN, finish_main, finish_overview
from .messages import Messages
from .model import Site

VEGA_LITE_VERSION = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
INK, MUTED, RULE = "#1a1a1a", "#585858", "#e2e2e2"
LAYOUT = " : ".join(f"width >= {start} ? {i}" for i, (start, _) in reversed(list(enumerate(LAYOUTS))) if start) + " : 0"
IS_TARGET = "datum.kind == 'target'"  # targets are drawn hollow (model.Event.is_target)
KEPT_PICTURES = 12  # still pictures kept by the preview server (each edition: wide, narrow and the share card's)


def utc(day: date | str) -> alt.DateTime:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def _x(window: tuple[date, date] | None, axis: alt.Axis | Any = alt.Undefined, field: str = "start") -> alt.X:
    """The shared time scale; only one layer defines the axis (the others leave it unset)."""
    scale = alt.Scale(type="utc", domain=[utc(window[0]), utc(window[1])]) if window else alt.Scale(type="utc")
    return alt.X(f"{field}:T", title=None, scale=scale, axis=axis)


def _pixels(height: int) -> alt.Scale:
    return alt.Scale(domain=[0, height], range=[0, height], nice=False, zero=False)


def _colours(site: Site) -> alt.Scale:
    return alt.Scale(domain=[c.label for c in site.config.categories], range=[c.colour for c in site.config.categories])


def _event_encodings(messages: Messages) -> dict[str, Any]:
    _ = messages.gettext
    return {
        "href": alt.Href("href:N"),
        "description": alt.Description("aria:N"),
        "tooltip": [alt.Tooltip("title:N", title=_("Event")), alt.Tooltip("when:N", title=_("Date")),
                    alt.Tooltip("category:N", title=_("Category"))],
        "opacity": alt.condition(SHOWN, alt.value(0.95), alt.value(0.12)),
    }


def main_view(site: Site, data: TimelineData, messages: Messages, width: int | str = "container") -> alt.LayerChart:
    """The main view, in the window chosen at build time; `finish_main` makes its window and
    targets strip follow the page script's signals. Only the events' marks are read out by
    screen readers (by title and date); every other layer is drawing, marked aria=False."""
    height = data.geometry.height

    def y(field: str) -> alt.Y:
        """Vertical positions are pixels computed at build time (chartdata.Geometry)."""
        return alt.Y(f"{field}:Q", scale=_pixels(height), axis=None)

    events = alt.NamedData("events")
    x_axis = alt.Axis(grid=True, gridColor="#ececec", tickCount=alt.expr("width < 500 ? 4 : 8"), labelFlush=True,
                      domainColor="#9a9a9a", tickColor="#9a9a9a", labelColor=MUTED, labelFontSize=FONT_SIZE, labelPadding=4)
    window = data.window

    eras = alt.Chart(alt.NamedData("eras"), name="era_bands").mark_rect(aria=False).encode(
        x=_x(window, x_axis), x2="end:T", fill=alt.Fill("shade:N", scale=None))
    era_labels = alt.Chart(alt.NamedData("eras"), name="era_labels").mark_text(
        align="left", baseline="alphabetic", dx=5, fontSize=FONT_SIZE, fontStyle="italic", color=MUTED, aria=False
    ).encode(x=_x(window), y=alt.value(14), text="label:N")
    lane_rules = alt.Chart(alt.NamedData("lanes"), name="lane_rules").mark_rule(color=RULE, aria=False).encode(y=y("y_top"))
    lane_labels = alt.Chart(alt.NamedData("lanes"), name="lane_labels").mark_text(
        align="left", baseline="alphabetic", fontSize=FONT_SIZE, fontWeight="bold", dx=2, aria=False
    ).encode(x=alt.value(0), y=y("y_label"), text="label:N", fill=alt.Fill("colour:N", scale=None),
             opacity=alt.condition("indexof(shown, datum.label) >= 0", alt.value(1), alt.value(0.35)))
    today = alt.Chart(alt.NamedData("today"), name="today_rule").mark_rule(color=INK, strokeDash=[3, 3], aria=False).encode(
        x=_x(window, field="date"))
    today_label = alt.Chart(alt.NamedData("today"), name="today_label").mark_text(
        align="right", dx=-4, fontSize=FONT_SIZE, fontWeight="bold", color=INK, aria=False).encode(x=_x(window, field="date"), y=y("y"), text="label:N")

    labelled = (alt.Chart(events).transform_filter("datum.label != null")
                .transform_calculate(layout=LAYOUT)
                .transform_calculate(row="[datum.row_0, datum.row_1, datum.row_2][datum.layout]",
                                     align="[datum.align_0, datum.align_1, datum.align_2][datum.layout]")
                .transform_filter("datum.row >= 0")
                .transform_calculate(label_y=f"{data.geometry.lanes[0].top - 6} - datum.row * {LABEL_ROW} - 5")
                .transform_calculate(leader_start="datum.label_y + 4"))
    leaders = labelled.mark_rule(color="#8c8c8c", strokeWidth=1, aria=False).encode(
        x=_x(window), y=y("leader_start"), y2="leader_end:Q").properties(name="event_leaders")
    label_layers = [
        labelled.transform_filter(f"datum.align == '{align}'").mark_text(
            align=cast(Literal["left", "right"], align), baseline="alphabetic", dx=4 if align == "left" else -4, fontWeight="bold", color=INK,
            fontSize=FONT_SIZE, aria=False,
        ).encode(x=_x(window), y=y("label_y"), text="label:N").properties(name=f"event_labels_{align}")
        for align in ("left", "right")
    ]

    colour = alt.Fill("category:N", scale=_colours(site), legend=None)  # the lane names are the legend
    counts = alt.Chart(alt.NamedData("cells"), name="event_counts").transform_filter("indexof(detail_years, datum.year) < 0").mark_rect(
        aria=False).encode(x=_x(window), x2="end:T", y=y("y_top"), y2="y_bottom:Q", fill=colour,
                           opacity=alt.condition(SHOWN, alt.Opacity("shade:Q", scale=None), alt.value(0.05)),
                           tooltip=[alt.Tooltip("title:N", title=messages.gettext("Events")), alt.Tooltip("when:N", title=messages.gettext("Date")),
                                    alt.Tooltip("category:N", title=messages.gettext("Category"))],
                           ).add_params(alt.param(name="detail_years", value=[]))  # years whose events are drawn one by one
    spans = alt.Chart(events, name="event_spans").transform_filter("datum.span").mark_rect(cornerRadius=3, cursor="pointer").encode(
        x=_x(window), x2="end:T", y=y("y_top"), y2="y_bottom:Q", fill=colour, **_event_encodings(messages))
    points = alt.Chart(events, name="event_marks").transform_filter("!datum.span").mark_point(
        filled=False, strokeWidth=2, cursor="pointer", shape="circle"
    ).encode(
        x=_x(window, x_axis),
        y=y("y"),
        fill=alt.condition(IS_TARGET, alt.value("#ffffff"), colour),
        stroke=alt.Stroke("category:N", scale=_colours(site), legend=None),
        size=alt.Size("importance:O", scale=alt.Scale(domain=[1, 2, 3], range=list(SIZE_BY_IMPORTANCE.values())), legend=None),
        **_event_encodings(messages),
    ).add_params(alt.param(name="shown", value=[c.label for c in site.config.categories]))

    counted = [counts] if data.counted else []  # a small site draws every event: no counts layer to run
    layers = [eras, era_labels, lane_rules, *counted, today, today_label, leaders, lane_labels, spans, points, *label_layers]
    return cast(alt.LayerChart, alt.layer(*layers).properties(
        width=width, height=height,
        description=messages.gettext("Timeline of the events by category; every event is also listed below the chart."),
    ).configure(font=FONT, background="transparent", padding={"left": 4, "right": 4, "top": 4, "bottom": 4}).configure_view(stroke=None))


def overview(site: Site, data: TimelineData, messages: Messages) -> alt.LayerChart:
    events = alt.NamedData("overview_events")
    axis = alt.Axis(format="%Y", labelColor=MUTED, labelFontSize=FONT_SIZE, domainColor="#9a9a9a", tickColor="#9a9a9a", grid=False)
    brush = alt.selection_interval(name="brush", encodings=["x"], value={"x": [utc(data.window[0]), utc(data.window[1])]},
                                   translate=False, zoom=False,  # drag always draws; the wheel scrolls the page
                                   mark=alt.BrushConfig(fill=INK, fillOpacity=0.07, stroke=INK, strokeOpacity=0.8))
    eras = alt.Chart(alt.NamedData("eras"), name="overview_eras").mark_rect(aria=False).encode(
        x=_x(None, axis), x2="end:T", fill=alt.Fill("shade:N", scale=None))
    today = alt.Chart(alt.NamedData("today"), name="overview_today").mark_rule(color=INK, strokeDash=[3, 3], aria=False).encode(
        x=_x(None, field="date"))
    marks = alt.Chart(events, name="overview_marks").mark_point(filled=False, strokeWidth=1.5, size=36, shape="circle", aria=False).encode(
        x=_x(None, axis),
        y=alt.value(22),
        fill=alt.condition(IS_TARGET, alt.value("#ffffff"), alt.Fill("category:N", scale=_colours(site), legend=None)),
        stroke=alt.Color("category:N", scale=_colours(site), legend=None),
        opacity=alt.condition(SHOWN, alt.value(0.95), alt.value(0.15)),
    ).add_params(brush, alt.param(name="shown", value=[c.label for c in site.config.categories]))
    bars = alt.Chart(alt.NamedData("overview_bars"), name="overview_counts").mark_rect(aria=False).encode(
        x=_x(None, axis), x2="end:T", y=alt.Y("y_top:Q", scale=_pixels(44), axis=None), y2="y_bottom:Q",
        fill=alt.Fill("category:N", scale=_colours(site), legend=None), opacity=alt.condition(SHOWN, alt.value(0.8), alt.value(0.12)))
    return cast(alt.LayerChart, alt.layer(eras, today, *([bars] if data.counted else []), marks).properties(
        width="container", height=44,
        description=messages.gettext("Overview of the whole period; drag across it to choose the period shown in the timeline above."),
    ).configure(font=FONT, background="transparent", padding={"left": 4, "right": 4, "top": 4, "bottom": 4}).configure_view(stroke=None))


class ChartCompiler:
    """Compiles chart skeletons (specs without their data) once, then fills in the data.

    The data are the only part that changes when an event is edited, and keeping them out
    of Altair and vl-convert makes a compile cost the same for 10 events or 10,000. Given a
    folder (the build's cache), compiled skeletons and still pictures are also kept between
    builds, named by the hash of what they are made from and of the generator (its code and
    libraries), so a build whose charts did not change never starts vl-convert for them.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self._compiled: dict[Hashable, str] = {}
        self._drawn: dict[str, str] = {}
        self._folder = folder
        self._used: set[str] = set()

    def _kept(self, kind: str, made_of: str, make: Callable[[], str], whole: Callable[[str], bool]) -> str:
        """`make()`, or what an earlier build kept of it (ignored unless `whole`)."""
        if self._folder is None:
            return make()
        name = hashlib.sha256(f"{engine_fingerprint()}\0{kind}\0{made_of}".encode("utf-8", "surrogatepass")).hexdigest() + "." + kind
        self._used.add(name)
        kept = read_entry(self._folder / name, lambda data: whole(_utf8(data) or ""))
        if kept is not None:
            return kept.decode("utf-8")
        made = make()
        store(self._folder / name, made.encode("utf-8"))
        return made

    def forget_unused(self) -> None:
        """Remove what this build did not use, so the folder holds one build's charts."""
        if self._folder is None or not self._folder.is_dir():
            return
        for path in self._folder.iterdir():
            if path.name not in self._used and path.suffix in (".svg", ".json"):
                path.unlink(missing_ok=True)

    def svg(self, spec: dict[str, Any]) -> str:
        """The still picture of a Vega spec, drawn once per distinct spec (drawing is slow)."""
        key = json.dumps(spec, sort_keys=True)
        if key not in self._drawn:
            if len(self._drawn) >= KEPT_PICTURES:  # keep memory flat: forget the oldest
                del self._drawn[next(iter(self._drawn))]
            self._drawn[key] = self._kept("svg", key, lambda: _renumber_clip_ids(vl_convert.vega_to_svg(spec)),
                                          lambda text: text.startswith("<svg") and text.rstrip().endswith("</svg>"))
        return self._drawn[key]

    def vega(self, key: Hashable, chart: Callable[[], alt.TopLevelMixin], datasets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
        """`key` names everything the chart depends on except its datasets (its repr names it
        on disk: the model's dataclasses show every field that the output depends on)."""
        if key not in self._compiled:
            self._compiled[key] = self._kept(
                "json", repr(key), lambda: json.dumps(vl_convert.vegalite_to_vega(chart().to_dict(validate=False), vl_version=VEGA_LITE_VERSION)),
                _is_json_object)
        spec: dict[str, Any] = json.loads(self._compiled[key])
        for entry in spec.get("data", []):
            if entry.get("name") in datasets:
                entry["values"] = datasets[entry["name"]]
        return spec


def _utf8(data: bytes) -> str | None:
    """The text of a kept entry; None if it is not UTF-8 (damaged)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


SLOTS = {"events": "@@events@@", "overview_events": "@@overview_events@@"}  # filled with pre-encoded rows


def datasets(data: TimelineData, slots: bool = False) -> dict[str, Any]:
    """The charts' data by dataset name; with `slots`, the event rows are left as markers
    that `page_json` fills with rows encoded once per event (see chartdata.RowCache)."""
    return {
        "events": SLOTS["events"] if slots else data.events,
        "overview_events": SLOTS["overview_events"] if slots else [] if data.counted else [
            {key: row[key] for key in OVERVIEW_FIELDS} for row in data.events],
        "cells": data.cells,
        "overview_bars": data.overview_bars,
        "eras": data.eras,
        "lanes": data.lanes,
        "today": data.today,
    }


def page_json(spec: dict[str, Any], data: TimelineData) -> str:
    """The spec as JSON for a <script> element, event rows spliced in already encoded."""
    text = script_json(spec)
    text = text.replace(f'"{SLOTS["events"]}"', data.events_json, 1)
    return text.replace(f'"{SLOTS["overview_events"]}"', data.overview_json, 1)


# Axis labels by time unit, the same in every language; the words come from the locale.
TICK_FORMATS = {"year": "%Y", "quarter": "%B", "month": "%B", "week": "%-d %b", "date": "%-d %b",
                "hours": "%H:%M", "minutes": "%H:%M", "seconds": "%H:%M:%S", "milliseconds": "%H:%M:%S"}


def vega_locale(messages: Messages) -> dict[str, Any]:
    """Month and day names and number symbols of the page's language, from Babel, in the
    form Vega's `config.locale` takes (d3-time-format and d3-format definitions)."""
    locale = messages.locale
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # Babel counts from Monday, d3 from Sunday
    months, days = locale.months["stand-alone"], locale.days["format"]
    return {
        "number": {"decimal": get_decimal_symbol(locale), "thousands": get_group_symbol(locale), "grouping": [3], "currency": ["", ""]},
        "time": {
            "dateTime": "%x %X", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
            "days": [days["wide"][i] for i in sunday_first], "shortDays": [days["abbreviated"][i] for i in sunday_first],
            "months": [months["wide"][i] for i in range(1, 13)], "shortMonths": [months["abbreviated"][i] for i in range(1, 13)],
        },
    }


def localize(spec: dict[str, Any], messages: Messages) -> dict[str, Any]:
    """The spec speaking the page's language: Vega's locale, and axis labels by time unit."""
    spec.setdefault("config", {})["locale"] = vega_locale(messages)
    for axis in spec.get("axes", []):
        if axis.get("scale") in ("x", "x_time") and axis.get("labels", True) and "format" not in axis:
            axis["format"] = TICK_FORMATS
    return spec


def timeline_specs(site: Site, data: TimelineData, messages: Messages, compiler: ChartCompiler) -> tuple[dict[str, Any], dict[str, Any]]:
    """The compiled Vega of the main view and of the overview strip (rows as slots, see page_json)."""
    values = datasets(data, slots=True)
    key = (site.config, messages.language, data.geometry, data.window, data.full, data.strip, data.counted)
    heading = messages.gettext("Targets")
    main = compiler.vega(("main",) + key, lambda: main_view(site, data, messages), values)
    strip = compiler.vega(("overview",) + key, lambda: overview(site, data, messages), values)
    return localize(finish_main(main, data, heading), messages), localize(finish_overview(strip, data, heading), messages)


def still_spec(site: Site, data: TimelineData, messages: Messages, compiler: ChartCompiler, width: int) -> dict[str, Any]:
    """The main view in its default window at a fixed width, without links: the picture
    readers without JavaScript see."""
    key = ("still", width, site.config, messages.language, data.geometry, data.window, data.full, data.strip, data.counted)
    spec = compiler.vega(key, lambda: main_view(site, data, messages, width=width), datasets(data))
    spec = localize(finish_main(spec, data, messages.gettext("Targets")), messages)
    spec["background"] = "#ffffff"
    for mark in spec.get("marks", []):
        mark.get("encode", {}).get("update", {}).pop("href", None)
    return spec


def static_svg(site: Site, data: TimelineData, messages: Messages, compiler: ChartCompiler, width: int) -> str:
    return compiler.svg(still_spec(site, data, messages, compiler, width))


def _renumber_clip_ids(svg: str) -> str:
    """vl-convert numbers clip paths with a counter that lives as long as the process; number
    them per image instead, so the same chart always gives the same bytes."""
    numbers: dict[str, str] = {}

    def renumber(match: re.Match[str]) -> str:
        return numbers.setdefault(match.group(1), f"clip{len(numbers) + 1}")

    return re.sub(r"\b(clip\d+)\b", renumber, svg)
