"""Share cards: a 1200×630 PNG per event and one for the home page, shown by social networks
and chat apps when a page is shared (og:image, twitter:image).

An event's card gives the title, the date, the category's colour and where the event sits
on the whole timeline; the home page's card is the site's title over the still picture of
the timeline (the chart readers without JavaScript see). A card is a small Vega scene drawn
with vl-convert (the renderer the build already uses); an event's card, made only of
bands, rules, dots and text, is written as SVG here (its timeline's dots as three paths)
and only rasterised by vl-convert, which gives the same picture in about a quarter of the
time; cards are kept by the hash of their scene and the drawing library's version, in the
site's `.site-builder-cache/` (in memory with --no-cache), so a rebuild does not draw an
unchanged card again; a build draws the missing ones on every core before writing.
"""

from __future__ import annotations

import base64
import collections
import functools
import hashlib
import itertools
import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from html import escape
from importlib import metadata
from pathlib import Path
from typing import Any

from .annotate import text_width
from .buildrecord import has_entry, read_entry, store
from .model import Category, Event, Site
from .progress import QUIET, Progress

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
INK, MUTED, RULE = "#1a1a1a", "#585858", "#d9d9d9"
SERIF = "DejaVu Serif, Noto Serif, Times New Roman, serif"
SANS = "DejaVu Sans, Noto Sans, Arial, sans-serif"
TITLE_SIZE, TITLE_LINE, TITLE_LINES = 58, 70, 3
HOME_TITLE_SIZES, HOME_TITLE_LINES = (44, 40, 36), 2  # the largest size that fits the title whole
DOT_STEP = 4  # px: marks closer than this on a card's timeline are drawn once
CARDS_DIR = "cards/"


def wrap(text: str, size: int, width: float, lines: int) -> list[str]:
    """Greedy word wrap by estimated advance widths; the last line ends in … if cut."""
    out: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and text_width(trial, size) > width:
            out.append(current)
            current = word
        else:
            current = trial
    out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1].rstrip(" ,;:") + "…"
    return out


def _x(day: date, span: tuple[date, date]) -> float:
    start, end = span
    return MARGIN + (day - start).days / max(1, (end - start).days) * (WIDTH - 2 * MARGIN)


def _text(x: float, y: float, value: Any, size: int, font: str, fill: str, weight: str = "normal", align: str = "left",
          line: int = TITLE_LINE) -> dict[str, Any]:
    return {"type": "text", "encode": {"enter": {
        "x": {"value": x}, "y": {"value": y}, "text": {"value": value}, "fontSize": {"value": size}, "font": {"value": font},
        "fontWeight": {"value": weight}, "fill": {"value": fill}, "baseline": {"value": "top"}, "align": {"value": align},
        "lineHeight": {"value": line}}}}


def _card(colour: str, marks: list[dict[str, Any]], data: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A white card with the colour band along its top."""
    band = {"type": "rect", "encode": {"enter": {"x": {"value": 0}, "y": {"value": 0}, "width": {"value": WIDTH},
                                                 "height": {"value": 16}, "fill": {"value": colour}}}}
    return {"$schema": "https://vega.github.io/schema/vega/v5.json", "width": WIDTH, "height": HEIGHT, "padding": 0,
            "background": "#ffffff", "data": data or [], "marks": [band, *marks]}


DotKey = tuple[float, str, str, int]  # place, fill, stroke, 1 for the event the card is about


@dataclass(frozen=True)
class Backdrop:
    """The whole timeline as every card of a site draws it, before one event is marked: one
    grey dot per place and look, and how many events each stands for. Computed once per
    site, not once per card (each card walking every event made cards O(n²): 19 s of a
    1,000-event build went to it)."""

    span: tuple[date, date]
    dots: dict[DotKey, dict[str, Any]]
    counts: dict[DotKey, int]
    digest: str  # of `dots`: a card's cache key names its backdrop by this, not by its hundreds of dots
    ordered: tuple[tuple[DotKey, dict[str, Any]], ...]  # `dots` in drawing order, sorted once (sorting per card took 5 s at 10,000)


def backdrop(site: Site) -> Backdrop:
    events = site.events
    span = (min(e.date.first_day for e in events), max(e.last_day for e in events))
    dots: dict[DotKey, dict[str, Any]] = {}
    counts: dict[DotKey, int] = {}
    for event in events:  # one dot per place and look: a card costs the same for 100 events or 10,000
        key, dot = _dot(site, event, span, mine=False)
        dots.setdefault(key, dot)
        counts[key] = counts.get(key, 0) + 1
    digest = hashlib.sha256(json.dumps(sorted(dots.items())).encode("utf-8")).hexdigest()
    return Backdrop(span, dots, counts, digest, tuple(sorted(dots.items(), key=lambda item: _drawing_order(item[1]))))


def _drawing_order(dot: dict[str, Any]) -> tuple[int, float, str, str]:
    return dot["order"], dot["x"], dot["fill"], dot["stroke"]  # the event itself last, on top


def _dot(site: Site, event: Event, span: tuple[date, date], mine: bool) -> tuple[DotKey, dict[str, Any]]:
    category = site.config.category(event.category)
    x = round(_x(event.date.first_day, span) / DOT_STEP) * DOT_STEP
    fill = "#ffffff" if event.is_target else (category.colour if mine else "#c4c4c4")
    stroke = category.colour if mine else "#c4c4c4"
    return (x, fill, stroke, int(mine)), {"x": x, "size": 700 if mine else 130, "fill": fill, "stroke": stroke, "order": int(mine)}


def scene(site: Site, title: str, kicker: str, colour: str, highlight: Event, behind: Backdrop | None = None) -> dict[str, Any]:
    """An event's card as a Vega spec: text, a colour band and the whole timeline with this event marked."""
    behind = behind or backdrop(site)
    span = behind.span
    axis_y = 540
    grey, _ = _dot(site, highlight, span, mine=False)
    alone = behind.counts[grey] == 1  # then the event's own grey dot, which no other event shares, goes
    key, dot = _dot(site, highlight, span, mine=True)
    dots_made_of = {"backdrop": behind.digest, "without": list(grey) if alone else None, "with": list(key)}
    dots = [shown for place, shown in behind.ordered if not (alone and place == grey)] + [dot]  # the event itself on top
    return _card(colour, [
        _text(MARGIN, 64, kicker.upper(), 26, SANS, MUTED, "bold"),
        _text(MARGIN, 118, wrap(title, TITLE_SIZE, WIDTH - 2 * MARGIN, TITLE_LINES), TITLE_SIZE, SERIF, INK, "bold"),
        {"type": "rule", "encode": {"enter": {"x": {"value": MARGIN}, "x2": {"value": WIDTH - MARGIN}, "y": {"value": axis_y},
                                              "stroke": {"value": RULE}, "strokeWidth": {"value": 3}}}},
        {"type": "symbol", "from": {"data": "dots"}, "encode": {"enter": {
            "x": {"field": "x"}, "y": {"value": axis_y}, "size": {"field": "size"}, "fill": {"field": "fill"},
            "stroke": {"field": "stroke"}, "strokeWidth": {"value": 3}}}},
        _text(MARGIN, 570, str(span[0].year), 22, SANS, MUTED),
        _text(WIDTH - MARGIN, 570, str(span[1].year), 22, SANS, MUTED, align="right"),
        _text(WIDTH / 2, 570, site.config.short_title, 22, SANS, INK, "bold", align="center"),
    ], [{"name": "dots", "values": dots}]) | {"usermeta": {"dots": dots_made_of}}


def home_scene(title: str, kicker: str, colour: str, still_svg: str) -> dict[str, Any]:
    """The home page's card: the site's title over the still picture of the timeline, scaled
    to the room the title leaves (never stretched)."""
    size, lines = next(((size, lines) for size in HOME_TITLE_SIZES
                        if not (lines := wrap(title, size, WIDTH - 2 * MARGIN, HOME_TITLE_LINES))[-1].endswith("…")),
                       (HOME_TITLE_SIZES[-1], wrap(title, HOME_TITLE_SIZES[-1], WIDTH - 2 * MARGIN, HOME_TITLE_LINES)))
    line = round(size * 1.2)
    top = 84 + len(lines) * line + 16
    found = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', still_svg)
    picture_w, picture_h = (float(found.group(1)), float(found.group(2))) if found else (WIDTH, HEIGHT)
    scale = min((WIDTH - 2 * MARGIN + 20) / picture_w, (HEIGHT - 12 - top) / picture_h)
    # The card is drawn without a browser: name fonts the drawing library has, with Vietnamese and French letters.
    still_svg = re.sub(r'font-family="[^"]*"', f'font-family="{SANS}"', still_svg)
    url = "data:image/svg+xml;base64," + base64.b64encode(still_svg.encode("utf-8")).decode("ascii")
    return _card(colour, [
        _text(MARGIN, 40, kicker.upper(), 22, SANS, MUTED, "bold"),
        _text(MARGIN, 84, lines, size, SERIF, INK, "bold", line=line),
        {"type": "image", "encode": {"enter": {"url": {"value": url}, "x": {"value": MARGIN - 10}, "y": {"value": top},
                                               "width": {"value": round(picture_w * scale, 2)}, "height": {"value": round(picture_h * scale, 2)},
                                               "aspect": {"value": False}}}},
    ])


PNG_START, PNG_END = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"
POOL_FROM = 8  # missing cards from which drawing is spread over every core (a worker costs a start-up)
AHEAD = 8  # scenes queued per worker while cards are drawn
BATCH = 2000  # cards drawn by one pool of workers: a worker grows by about 0.17 MB a card, so each pool is replaced


def whole_png(data: bytes) -> bool:
    """A kept card that is not a whole PNG (truncated, overwritten) is drawn again, never published."""
    return data.startswith(PNG_START) and data.endswith(PNG_END)


def draw(spec: dict[str, Any]) -> bytes:
    """A card's PNG. An event's card is written as SVG here and only rasterised by
    vl-convert (about a quarter of the time of running Vega on its scene, the same picture); a
    scene with other marks (the home card's picture) goes through Vega."""
    import vl_convert

    svg = scene_svg(spec)
    return bytes(vl_convert.svg_to_png(svg, scale=1) if svg is not None else vl_convert.vega_to_png(spec, scale=1))


def _number(value: float) -> str:
    """As Vega writes numbers into SVG: whole numbers without a point, others to 3 decimals."""
    rounded = round(float(value), 3)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


def _mark_svg(mark: dict[str, Any], data: dict[str, list[dict[str, Any]]]) -> str | None:
    """One mark of a card scene as Vega's SVG renderer draws it, or None if cards do not use it."""
    kind = mark["type"]
    if kind == "symbol":
        return _dots_svg(mark, data[mark["from"]["data"]])
    enter = {name: value["value"] for name, value in mark["encode"]["enter"].items()}
    if kind == "rect":
        x, y, w, h = (_number(enter[name]) for name in ("x", "y", "width", "height"))
        return f'<path d="M{x},{y}h{w}v{h}h-{w}Z" fill="{enter["fill"]}"/>'
    if kind == "rule":
        return (f'<line transform="translate({_number(enter["x"])},{_number(enter["y"])})" x2="{_number(enter["x2"] - enter["x"])}" '
                f'y2="0" stroke="{enter["stroke"]}" stroke-width="{_number(enter["strokeWidth"])}"/>')
    if kind == "text" and enter.get("baseline") == "top":
        anchor = {"left": "start", "center": "middle", "right": "end"}[enter.get("align", "left")]
        lines = enter["text"] if isinstance(enter["text"], list) else [enter["text"]]
        size = enter["fontSize"]
        step = f' x="0" dy="{_number(enter["lineHeight"])}"'
        spans = escape(str(lines[0])) if len(lines) == 1 else "".join(
            f"<tspan{step if n else ''}>{escape(str(line))}</tspan>" for n, line in enumerate(lines))
        return (f'<text text-anchor="{anchor}" transform="translate({_number(enter["x"])},{_number(round(enter["y"] + 0.79 * size))})" '
                f'font-family="{escape(enter["font"])}" font-size="{_number(size)}px" font-weight="{enter.get("fontWeight", "normal")}" '
                f'fill="{enter["fill"]}">{spans}</text>')
    return None


def _circle(x: float, y: float, r: float) -> str:
    return f"M{_number(x + r)},{_number(y)}a{_number(r)},{_number(r)},0,1,1,{_number(-2 * r)},0a{_number(r)},{_number(r)},0,1,1,{_number(2 * r)},0Z"


def _dots_svg(mark: dict[str, Any], values: list[dict[str, Any]]) -> str:
    """A card's timeline in three paths, not one per dot (the rasteriser pays for every
    path: with the 456 dots of a 10,000-event site a card took 53 ms, now 28): every solid
    dot as one disc of its outer size (its fill and stroke are one colour), then the hollow
    ones (targets) as rings, then the event's own dot on top. Only where dots overlap do
    the anti-aliased edges differ, faintly, from Vega's picture of the same scene."""
    enter = mark["encode"]["enter"]
    y, width = enter["y"]["value"], enter["strokeWidth"]["value"]
    layers: dict[tuple[int, str, str], list[str]] = {}
    for dot in values:
        radius = math.sqrt(dot["size"]) / 2
        solid = dot["fill"] == dot["stroke"]
        look = (dot["order"], "" if solid else dot["fill"], dot["stroke"])
        layers.setdefault(look, []).append(_circle(dot["x"], y, radius + width / 2 if solid else radius))
    return "".join(f'<path d="{"".join(circles)}" fill="{fill or stroke}"'
                   + ("" if not fill else f' stroke="{stroke}" stroke-width="{_number(width)}"') + "/>"
                   for (_, fill, stroke), circles in sorted(layers.items(), key=lambda item: (item[0][0], item[0][1] != "")))


def scene_svg(spec: dict[str, Any]) -> str | None:
    """The SVG of a card scene made only of bands, rules, dots and top-aligned text (every
    event card); None for any other scene."""
    data = {table["name"]: table["values"] for table in spec.get("data", [])}
    marks = [_mark_svg(mark, data) for mark in spec["marks"]]
    if any(mark is None for mark in marks):
        return None
    width, height = _number(spec["width"]), _number(spec["height"])
    return (f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'<rect width="{width}" height="{height}" fill="{spec["background"]}"/>' + "".join(str(mark) for mark in marks) + "</svg>")


OWN_SVG = "2"  # how scene_svg draws a scene: raised when that changes, so kept cards are drawn again


@functools.cache
def _drawing_version() -> str:
    try:
        return metadata.version("vl-convert-python") + "/" + OWN_SVG
    except metadata.PackageNotFoundError:
        return "-/" + OWN_SVG


def scene_key(spec: dict[str, Any]) -> str:
    """A card's name in the cache: its scene and the versions of what draws it.
    An event card's dots are named by what they are made of (`usermeta`, Vega's place for
    such notes): serialising hundreds of dots for every card cost 14 s at 10,000 events."""
    named = "dots" in spec.get("usermeta", {})
    text = json.dumps({name: value for name, value in spec.items() if not (named and name == "data")}, sort_keys=True,
                      ensure_ascii=False) + "\0" + _drawing_version()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class CardCache:
    """Drawn cards by the hash of their scene: on disk when a folder is given (read back
    when asked for, so a build of 10,000 cards does not hold them all), else in memory."""

    folder: Path | None = None
    drawn: dict[str, bytes] = field(default_factory=dict)
    backdrops: dict[int, tuple[Any, Backdrop]] = field(default_factory=dict)  # by the identity of a site's event list

    def backdrop(self, site: Site) -> Backdrop:
        kept = self.backdrops.get(id(site.events))
        if kept is None or kept[0] is not site.events:
            kept = (site.events, backdrop(site))
            self.backdrops = {id(site.events): kept}  # only the current site's
        return kept[1]

    def _kept(self, key: str) -> bytes | None:
        if key in self.drawn:
            return self.drawn[key]
        return read_entry(self.folder / f"{key}.png", whole_png) if self.folder else None

    def _has(self, key: str) -> bool:
        """Whether a card is kept, without reading it: `png` checks it is whole when it is written."""
        return key in self.drawn or (self.folder is not None and has_entry(self.folder / f"{key}.png"))

    def _keep(self, key: str, data: bytes) -> None:
        if self.folder is None or not store(self.folder / f"{key}.png", data):  # no folder, or one that cannot be written
            self.drawn[key] = data

    def png(self, spec: dict[str, Any]) -> bytes:
        key = scene_key(spec)
        data = self._kept(key)
        if data is None:
            data = draw(spec)
            self._keep(key, data)
        return data

    def draw_missing(self, scenes: Iterable[dict[str, Any]], count: int, progress: Progress = QUIET) -> int:
        """Draw every card of `scenes` (`count` of them) not kept yet, on every core when there
        are many (vl-convert holds Python's lock while it draws, so threads would take turns);
        returns how many were drawn. Each card is drawn in a worker process from its scene
        alone, so the bytes are the same as when drawn here; the workers are replaced every
        BATCH cards, which bounds their memory (963 MB for one pool over 10,000 cards).
        Scenes are made as the workers take them, a few ahead. The workers are spawned, so
        they import the main module: a script that calls the build must guard its entry
        point with `if __name__ == "__main__":` (build.py and `python -m site_builder` do)."""
        missing = ((key, spec) for spec in progress.over(scenes, "draw", count, " cards") if not self._has(key := scene_key(spec)))
        workers = os.cpu_count() or 1
        first = list(itertools.islice(missing, POOL_FROM))
        if len(first) < POOL_FROM or workers < 2:
            drawn = 0
            for key, spec in itertools.chain(first, missing):
                self._keep(key, draw(spec))
                drawn += 1
            return drawn
        import multiprocessing
        from concurrent.futures import Future, ProcessPoolExecutor

        drawn = 0
        pending = itertools.chain(first, missing)
        while True:  # a fresh pool for every BATCH cards: vl-convert's memory grows with every card a worker draws
            queued: collections.deque[tuple[str, Future[bytes]]] = collections.deque()
            batch = 0
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                for key, spec in itertools.islice(pending, BATCH):
                    batch += 1
                    queued.append((key, pool.submit(draw, spec)))
                    while len(queued) > AHEAD * workers or (queued and queued[0][1].done()):
                        done_key, future = queued.popleft()
                        self._keep(done_key, future.result())
                        drawn += 1
                for done_key, future in queued:
                    self._keep(done_key, future.result())
                    drawn += 1
            if batch < BATCH:  # nothing is left (a pool given no work starts no process)
                return drawn


def cards_per_event(site: Site) -> bool:
    """Whether each event has a card of its own: not when site.yaml says `share_cards: site`
    (10,000 cards are 1.3 GB and 80% of a cold build)."""
    return site.config.share_cards == "events"


def card_subjects(site: Site) -> list[Event | None]:
    """What has a card of its own: the home page (None), and each event if cards_per_event."""
    return [None, *site.events] if cards_per_event(site) else [None]


def card_file(site: Site, subject: Event | None) -> str:
    """The card a page shows: its event's own, or else the home page's."""
    return f"{CARDS_DIR}{subject.slug}.png" if subject is not None and cards_per_event(site) else f"{CARDS_DIR}home.png"


def event_card(site: Site, event: Event, category: Category, kicker: str, kept: CardCache) -> dict[str, Any]:
    """The scene of an event's card."""
    return scene(site, event.title, kicker, category.colour, event, kept.backdrop(site))


def home_card(site: Site, kicker: str, still_svg: str) -> dict[str, Any]:
    """The scene of the home page's card."""
    return home_scene(site.config.title, kicker, site.config.categories[0].colour, still_svg)
