"""Share cards: a 1200×630 PNG per event and one for the home page, shown by social networks
and chat apps when a page is shared (og:image, twitter:image).

A card gives the title, the date, the category's colour and where the event sits on the
whole timeline. It is a small Vega scene drawn with vl-convert (the renderer the build
already uses); cards are kept by the hash of their scene, in memory and in the site's
`.site-builder-cache/`, so a rebuild does not draw an unchanged card again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .annotate import text_width
from .model import Category, Event, Site

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
INK, MUTED, RULE = "#1a1a1a", "#585858", "#d9d9d9"
SERIF = "DejaVu Serif, Noto Serif, Times New Roman, serif"
SANS = "DejaVu Sans, Noto Sans, Arial, sans-serif"
TITLE_SIZE, TITLE_LINE, TITLE_LINES = 58, 70, 3
CACHE_DIR = ".site-builder-cache/share-cards"
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


def scene(site: Site, title: str, kicker: str, colour: str, highlight: Event | None) -> dict[str, Any]:
    """The card as a Vega spec: text, a colour band and the whole timeline with this event marked."""
    events = site.events
    span = (min(e.date.first_day for e in events), max(e.last_day for e in events)) if events else (date(2000, 1, 1), date(2001, 1, 1))
    axis_y = 540
    dots = []
    for event in events:
        mine = highlight is None or event is highlight
        category = site.config.category(event.category)
        dots.append({"x": _x(event.date.first_day, span), "size": 700 if event is highlight else 130,
                     "fill": "#ffffff" if event.is_target else (category.colour if mine else "#c4c4c4"),
                     "stroke": category.colour if mine else "#c4c4c4", "order": 1 if event is highlight else 0})
    dots.sort(key=lambda dot: dot["order"])  # the event itself on top

    def text(x: float, y: float, value: Any, size: int, font: str, fill: str, weight: str = "normal", align: str = "left") -> dict[str, Any]:
        return {"type": "text", "encode": {"enter": {
            "x": {"value": x}, "y": {"value": y}, "text": {"value": value}, "fontSize": {"value": size}, "font": {"value": font},
            "fontWeight": {"value": weight}, "fill": {"value": fill}, "baseline": {"value": "top"}, "align": {"value": align},
            "lineHeight": {"value": TITLE_LINE}}}}

    return {
        "$schema": "https://vega.github.io/schema/vega/v5.json", "width": WIDTH, "height": HEIGHT, "padding": 0, "background": "#ffffff",
        "data": [{"name": "dots", "values": dots}],
        "marks": [
            {"type": "rect", "encode": {"enter": {"x": {"value": 0}, "y": {"value": 0}, "width": {"value": WIDTH}, "height": {"value": 16},
                                                  "fill": {"value": colour}}}},
            text(MARGIN, 64, kicker.upper(), 26, SANS, MUTED, "bold"),
            text(MARGIN, 118, wrap(title, TITLE_SIZE, WIDTH - 2 * MARGIN, TITLE_LINES), TITLE_SIZE, SERIF, INK, "bold"),
            {"type": "rule", "encode": {"enter": {"x": {"value": MARGIN}, "x2": {"value": WIDTH - MARGIN}, "y": {"value": axis_y},
                                                  "stroke": {"value": RULE}, "strokeWidth": {"value": 3}}}},
            {"type": "symbol", "from": {"data": "dots"}, "encode": {"enter": {
                "x": {"field": "x"}, "y": {"value": axis_y}, "size": {"field": "size"}, "fill": {"field": "fill"},
                "stroke": {"field": "stroke"}, "strokeWidth": {"value": 3}}}},
            text(MARGIN, 570, str(span[0].year), 22, SANS, MUTED),
            text(WIDTH - MARGIN, 570, str(span[1].year), 22, SANS, MUTED, align="right"),
            text(WIDTH / 2, 570, site.config.short_title, 22, SANS, INK, "bold", align="center"),
        ],
    }


@dataclass
class CardCache:
    """Drawn cards by the hash of their scene: in memory, and on disk when a folder is given."""

    folder: Path | None = None
    drawn: dict[str, bytes] = field(default_factory=dict)

    def png(self, spec: dict[str, Any]) -> bytes:
        key = hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
        if key in self.drawn:
            return self.drawn[key]
        stored = self.folder / f"{key}.png" if self.folder else None
        if stored is not None and stored.is_file() and not stored.is_symlink():
            data = stored.read_bytes()
        else:
            import vl_convert

            data = bytes(vl_convert.vega_to_png(spec, scale=1))
            if stored is not None:
                try:  # a cache, nothing more: a read-only site folder still builds
                    stored.parent.mkdir(parents=True, exist_ok=True)
                    stored.write_bytes(data)
                except OSError:
                    pass
        self.drawn[key] = data
        return data


def event_card(site: Site, event: Event, category: Category, kicker: str, cache: CardCache) -> bytes:
    return cache.png(scene(site, event.title, kicker, category.colour, event))


def home_card(site: Site, kicker: str, cache: CardCache) -> bytes:
    return cache.png(scene(site, site.config.title, kicker, site.config.categories[0].colour, None))
