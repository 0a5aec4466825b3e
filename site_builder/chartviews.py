"""The home page timeline's two views as Altair charts: imported only when a chart must be
compiled (Altair takes about 0.3 s to import, and a build whose charts are in the cache
never needs it).

The main timeline (annotated landmarks, lanes by category, spans as bars, eras as bands,
zoom and pan on time) framing the dense period, and an overview strip of the whole range,
targets to 2045 included, whose brush sets the main view's window (the page script keeps
brush and zoom in step).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, cast

import altair as alt
import vl_convert

from .chartdata import FONT_SIZE, LABEL_ROW, SIZE_BY_IMPORTANCE, TimelineData
from .charts import FONT, INK, IS_TARGET, LAYOUT, MUTED, RULE
from .chartwindow import SHOWN
from .messages import Messages
from .model import Site

VEGA_LITE_VERSION = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]


def to_vega(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """Vega-Lite compiled to Vega by vl-convert, at the Vega-Lite version Altair writes."""
    compiled: dict[str, Any] = vl_convert.vegalite_to_vega(chart.to_dict(validate=False), vl_version=VEGA_LITE_VERSION)
    return compiled


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
