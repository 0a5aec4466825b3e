"""The home page timeline compiled to Vega at build time: the compiler and its cache, the
charts' data and locale, and the still pictures. The views themselves, Altair charts, are
in `chartviews`, imported only when a chart must be compiled. Readers get compiled Vega
and the Vega runtime only.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.numbers import get_decimal_symbol, get_group_symbol

from .buildrecord import engine_fingerprint, read_entry, store
from .chartdata import LAYOUTS, OVERVIEW_FIELDS, TimelineData, script_json
from .chartwindow import finish_main, finish_overview
from .messages import Messages
from .model import Site

if TYPE_CHECKING:  # Altair and vl-convert are imported only when a chart is compiled or drawn (chartviews)
    import altair as alt

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
INK, MUTED, RULE = "#1a1a1a", "#585858", "#e2e2e2"
LAYOUT = " : ".join(f"width >= {start} ? {i}" for i, (start, _) in reversed(list(enumerate(LAYOUTS))) if start) + " : 0"
IS_TARGET = "datum.kind == 'target'"  # targets are drawn hollow (model.Event.is_target)
KEPT_PICTURES = 12  # still pictures kept by the preview server (each edition: wide, narrow and the share card's)


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
            self._drawn[key] = self._kept("svg", key, lambda: _renumber_clip_ids(_vega_to_svg(spec)),
                                          lambda text: text.startswith("<svg") and text.rstrip().endswith("</svg>"))
        return self._drawn[key]

    def vega(self, key: Hashable, chart: Callable[[], alt.TopLevelMixin], datasets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
        """`key` names everything the chart depends on except its datasets (its repr names it
        on disk: the model's dataclasses show every field that the output depends on)."""
        if key not in self._compiled:
            self._compiled[key] = self._kept(
                "json", repr(key), lambda: json.dumps(_to_vega(chart())),
                _is_json_object)
        spec: dict[str, Any] = json.loads(self._compiled[key])
        for entry in spec.get("data", []):
            if entry.get("name") in datasets:
                entry["values"] = datasets[entry["name"]]
        return spec


def _to_vega(chart: alt.TopLevelMixin) -> dict[str, Any]:
    from .chartviews import to_vega

    return to_vega(chart)


def _vega_to_svg(spec: dict[str, Any]) -> str:
    import vl_convert

    svg: str = vl_convert.vega_to_svg(spec)
    return svg


def _main_view(site: Site, data: TimelineData, messages: Messages, width: int | str = "container") -> alt.LayerChart:
    from .chartviews import main_view

    return main_view(site, data, messages, width)


def _overview(site: Site, data: TimelineData, messages: Messages) -> alt.LayerChart:
    from .chartviews import overview

    return overview(site, data, messages)


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
    main = compiler.vega(("main",) + key, lambda: _main_view(site, data, messages), values)
    strip = compiler.vega(("overview",) + key, lambda: _overview(site, data, messages), values)
    return localize(finish_main(main, data, heading), messages), localize(finish_overview(strip, data, heading), messages)


def still_spec(site: Site, data: TimelineData, messages: Messages, compiler: ChartCompiler, width: int) -> dict[str, Any]:
    """The main view in its default window at a fixed width, without links: the picture
    readers without JavaScript see."""
    key = ("still", width, site.config, messages.language, data.geometry, data.window, data.full, data.strip, data.counted)
    spec = compiler.vega(key, lambda: _main_view(site, data, messages, width), datasets(data))
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
