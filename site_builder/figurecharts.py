"""A key figure against its targets, as a small Altair chart drawn to SVG at build time.

One chart per measure, because the measures share no unit: a rank, a share of GDP and a
count of base stations cannot sit on one axis without misleading. Each is a track from the
baseline to the targets: measurements as filled dots labelled below, targets as hollow
rings labelled above, "better" always to the right (so a rank's axis runs from the last
place to first). The picture is a plain SVG file: it needs no JavaScript, and the page
gives its text alternative and names its sources beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .charts import FONT, INK, MUTED, ChartCompiler, localize
from .figures import Figure, value_text, when_text
from .messages import Messages

if TYPE_CHECKING:  # imported when a chart is compiled: a build whose charts are kept never needs it
    import altair as alt

WIDTH, LINE = 300, 14  # pixels: the chart's drawing width, a label's line height
BLOCK = 2 * LINE + 4  # a two-line label and the gap to the next
CHARACTER = 6.6  # the average width of a label's character at 12 px, to find labels that would overlap
EDGE = 0.18  # labels of points this close to either end are aligned inward, so none is cut


def charted(figure: Figure) -> bool:
    """A chart shows a change or a gap: at least two values, one of them measured (a target
    alone, or one measurement alone, is a number, not a chart)."""
    return len(figure.readings) > 1 and bool(figure.measurements)


def domain(figure: Figure) -> list[float]:
    """From worst to best: 0 to a little past the highest value, or last place to first."""
    values = [float(r.value) for r in figure.readings]
    if figure.unit == "rank":
        last = max([float(r.out_of or 0) for r in figure.readings] + values)
        return [last, 1.0]
    top = max(values) * 1.12
    return [0.0, top] if figure.better == "higher" else [top, 0.0]


def rows(figure: Figure, messages: Messages) -> list[dict[str, Any]]:
    """One row per value, with its label's alignment and its level: labels that would overlap
    on one side of the track (targets above, measurements below) are stacked, never drawn over
    each other."""
    start, end = domain(figure)
    found = []
    taken: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for reading in figure.readings:
        where = (float(reading.value) - start) / (end - start)
        align = "left" if where < EDGE else "right" if where > 1 - EDGE else "center"
        label = f"{when_text(reading, messages)}\n{value_text(reading, figure.unit, messages)}"
        width = max(len(line) for line in label.split("\n")) * CHARACTER
        left = where * WIDTH - {"left": 0, "center": width / 2, "right": width}[align]
        level = 0
        while any(left < other_right + 6 and other_left < left + width + 6 for other_left, other_right in taken.get((reading.kind, level), [])):
            level += 1
        taken.setdefault((reading.kind, level), []).append((left, left + width))
        found.append({"value": reading.value, "kind": reading.kind, "align": align, "level": level, "label": label})
    return found


def chart(figure: Figure, data: list[dict[str, Any]]) -> alt.LayerChart:
    """The chart of `figure` whose values and labels are `data` (its rows)."""
    import altair as alt

    worst, best = domain(figure)
    scale = alt.Scale(domain=sorted([worst, best]), reverse=worst > best, nice=False, zero=False)
    axis = alt.Axis(tickCount=4, grid=False, labelColor=MUTED, domainColor=MUTED, tickColor=MUTED, labelFontSize=11,
                    labelFlush=True, format=",~r" if figure.unit != "rank" else "d")
    x = alt.X("value:Q", scale=scale, title=None, axis=axis)
    base = alt.Chart(alt.InlineData(values=data)).encode(x=x)
    low, high = min(float(r.value) for r in figure.readings), max(float(r.value) for r in figure.readings)
    above = 1 + max((row["level"] for row in data if row["kind"] == "target"), default=-1)
    below = 1 + max((row["level"] for row in data if row["kind"] == "measurement"), default=-1)
    middle = 6 + above * BLOCK + 6
    height = middle + 10 + below * BLOCK + 4
    track = alt.Chart(alt.InlineData(values=[{"from": low, "to": high}])).mark_rule(
        strokeDash=[4, 3], color=MUTED, strokeWidth=1.5).encode(
        x=alt.X("from:Q", scale=scale, title=None, axis=axis), x2="to:Q", y=alt.value(middle))
    measured = base.transform_filter("datum.kind == 'measurement'")
    targets = base.transform_filter("datum.kind == 'target'")
    dots = measured.mark_circle(size=110, color=INK, opacity=1).encode(y=alt.value(middle))
    rings = targets.mark_point(size=110, shape="circle", filled=True, fill="#ffffff", stroke=INK, strokeWidth=2,
                               opacity=1).encode(y=alt.value(middle))
    text: dict[str, Any] = {"font": FONT, "fontSize": 12, "lineBreak": "\n", "lineHeight": LINE, "color": INK}
    labels = []
    for kind, align, level in sorted({(row["kind"], row["align"], row["level"]) for row in data}):
        # Vega-Lite has no align channel: one layer per alignment and level
        here = base.transform_filter(f"datum.kind == '{kind}' && datum.align == '{align}' && datum.level == {level}")
        if kind == "target":  # above the track; Vega sets a block's first line on y
            labels.append(here.mark_text(baseline="bottom", align=align, **text).encode(
                y=alt.value(middle - 10 - LINE - level * BLOCK), text="label:N"))
        else:
            labels.append(here.mark_text(baseline="top", align=align, **text).encode(
                y=alt.value(middle + 10 + level * BLOCK), text="label:N"))
    layered: alt.LayerChart = alt.layer(track, dots, rings, *labels).properties(width=WIDTH, height=height).configure(
        font=FONT, padding={"left": 6, "right": 10, "top": 4, "bottom": 4}, view=alt.ViewConfig(stroke=None))
    return layered


def figure_svg(figure: Figure, messages: Messages, compiler: ChartCompiler) -> str:
    """The chart as an SVG document; its text alternative is the page's (figures.describe).
    Compiled once for its rows, scale and unit, all the chart is made of: a build with the
    cache does not start Altair or vl-convert for a figure that did not change."""
    data = rows(figure, messages)
    spec = compiler.vega(("figure", repr((figure.unit, domain(figure), data))), lambda: chart(figure, data), {})
    spec.pop("description", None)
    return compiler.svg(localize(spec, messages))
