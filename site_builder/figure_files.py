"""Read figures/<slug>.yaml into `Figure`s, with the same file:line:column problems as events.

A figure names events twice over: the pages that show it (`events`) and, for each target,
the event that set it (`set_by`). Both are checked against the events that exist, after
every file is read, so a renamed event is reported where it is still named.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import formats
from .errors import Problems
from .fields import did_you_mean
from .figures import Figure, Reading
from .load import SourceFile
from .model import SiteConfig, Source
from .validate import check_slug, read_record


def read_figure(source: SourceFile, config: SiteConfig, problems: Problems, file: str) -> Figure | None:
    if not check_slug(source.shown, source.slug, problems):
        return None
    record = formats.figure_record(config.editions[1:])
    values, reader = read_record(source.shown, source.data, problems, record, "a figure needs title, label, unit and values")
    if values is None or reader is None:
        return None
    readings = tuple(Reading(value=r["value"], as_of=r["as_of"], kind=r["kind"], qualifier=r["qualifier"], out_of=r["out_of"],
                             set_by=r["set_by"], sources=tuple(Source(**s) for s in r["sources"]))
                     for r in values["values"])
    return Figure(slug=source.slug, path=source.shown, title=values["title"], label=values["label"], unit=values["unit"],
                  better=values["better"], description=" ".join(values["description"].split()), highlight=values["highlight"],
                  events=values["events"], readings=readings, file=file, translations=values["translations"] or (), marks=reader.marks)


def check_figure_links(figures: Iterable[Figure], event_slugs: set[str], problems: Problems) -> None:
    """Every event a figure names exists (a figure in a file with errors is not read, so not checked)."""
    for figure in figures:
        named = [(f"events[{i}]", slug) for i, slug in enumerate(figure.events)]
        named += [(f"values[{i}].set_by", r.set_by) for i, r in enumerate(figure.readings) if r.set_by]
        for where, slug in named:
            if slug not in event_slugs:
                line, column = figure.marks.get(where, (1, 1))
                problems.add(figure.path, line, column, where, f"no event with slug '{slug}'{did_you_mean(slug, event_slugs)}")
