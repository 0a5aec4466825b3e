"""The home page timeline: an Altair chart, compiled to Vega at build time.

Readers get the compiled Vega spec and the Vega runtime only; the Vega-Lite compiler never
leaves the build machine. Dates are plotted on a UTC scale and every date a reader sees
(axis ticks aside) is a label computed here at its own precision, so no time zone can
shift an event by a day.
"""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import vl_convert

from .dates import span_label
from .model import Site

VEGA_LITE_VERSION = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
LANE_HEIGHT = 46
SIZE_BY_IMPORTANCE = {1: 320, 2: 150, 3: 70}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def timeline_rows(site: Site) -> list[dict[str, Any]]:
    """One row per event: only what the chart draws or shows in its tooltip."""
    language = site.config.language
    rows = []
    for event in site.events:
        category = site.config.category(event.category)
        rows.append({
            "slug": event.slug,
            "title": event.title,
            "start": event.date.first_day.isoformat(),
            "end": (event.end_date.last_day if event.end_date else event.date.first_day).isoformat(),
            "when": span_label(event.date, event.end_date, language),
            "category": category.label,
            "importance": event.importance,
            "kind": event.kind,
            "href": event.url,
            "aria": f"{event.title}. {span_label(event.date, event.end_date, language)}. {category.label}.",
        })
    return rows


def timeline_chart(site: Site) -> alt.Chart:
    categories = site.config.categories
    labels = [category.label for category in categories]
    legend_filter = alt.selection_point(name="category_filter", fields=["category"], bind="legend")
    zoom = alt.selection_interval(name="zoom", bind="scales", encodings=["x"])
    return (
        alt.Chart(alt.Data(values=timeline_rows(site)))
        .mark_point(filled=True, strokeWidth=1.5, cursor="pointer")
        .encode(
            x=alt.X("start:T", title=None, scale=alt.Scale(type="utc", nice=True),
                    axis=alt.Axis(grid=True, gridDash=[2, 3], labelFlush=False, tickCount=8)),
            y=alt.Y("category:N", title=None, sort=labels, scale=alt.Scale(domain=labels),
                    axis=alt.Axis(labelLimit=160, domain=False, ticks=False, labelPadding=8)),
            color=alt.Color("category:N", title="Category", scale=alt.Scale(domain=labels, range=[c.colour for c in categories]),
                            legend=alt.Legend(orient="top", direction="horizontal", symbolType="circle", labelLimit=220)),
            size=alt.Size("importance:O", scale=alt.Scale(domain=[1, 2, 3], range=list(SIZE_BY_IMPORTANCE.values())), legend=None),
            opacity=alt.condition(legend_filter, alt.value(0.9), alt.value(0.12)),
            href=alt.Href("href:N"),
            description=alt.Description("aria:N"),
            tooltip=[
                alt.Tooltip("title:N", title="Event"),
                alt.Tooltip("when:N", title="Date"),
                alt.Tooltip("category:N", title="Category"),
            ],
        )
        .add_params(legend_filter, zoom)
        .properties(
            name="event",
            width="container",
            height=LANE_HEIGHT * len(categories),
            description=f"Timeline of {len(site.events)} events; the same events are listed below the chart.",
        )
        .configure(font=FONT, background="transparent")
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, labelColor="#3d3d3d", gridColor="#dedede", domainColor="#9a9a9a")
        .configure_legend(labelFontSize=12, titleFontSize=12, labelColor="#3d3d3d")
    )


def compile_timeline(site: Site) -> dict[str, Any]:
    """Vega-Lite to Vega on the build machine (a few milliseconds with vl-convert)."""
    spec = timeline_chart(site).to_dict(validate=False)
    return vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE_VERSION)


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '</script>' or '<!--' can close or confuse it."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )
