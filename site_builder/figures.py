"""Key figures: measured values and targets, each with its date and its sources.

A figure file (`figures/<slug>.yaml`) is one measure, such as Vietnam's rank in the
E-Government Development Index, with its readings over time: measurements and the targets
someone set for it. Keeping a measure's baseline and its targets in one file is what lets a
chart draw "where it stands against its target" without guessing which numbers belong
together, and keeps each number next to the source that reports it.

Numbers are written for readers the way their language writes them ("18.3% of GDP",
"18,3 % du PIB"), with the qualifier the source used ("about", "at least", "top 50"), because a
figure stripped of "about" claims a precision nobody reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from babel.numbers import format_percent

from .messages import Messages
from .model import PartialDate, Source, Translations

Unit = Literal["count", "percent", "percent-of-gdp", "rank", "usd-billion"]
UNITS: tuple[Unit, ...] = ("count", "percent", "percent-of-gdp", "rank", "usd-billion")
QUALIFIERS = ("about", "nearly", "more-than", "at-least", "at-most")
VALUE_KINDS = ("measurement", "target")
DIRECTIONS = ("higher", "lower")
FIGURE_TEXT = ("title", "label", "description")  # what a figure's translations give
FIGURES_DIR = "figures/"


@dataclass(frozen=True)
class Reading:
    """One value of a measure: measured as of a date, or a target to reach by a date."""

    value: float | int
    as_of: PartialDate
    sources: tuple[Source, ...]
    kind: str = "measurement"
    qualifier: str | None = None
    out_of: int | None = None  # for a rank: of how many countries
    set_by: str | None = None  # for a target: the slug of the event that set it

    @property
    def is_target(self) -> bool:
        return self.kind == "target"


@dataclass(frozen=True)
class Figure:
    """A measure and its readings, oldest first."""

    slug: str
    path: str
    title: str
    label: str
    unit: Unit
    readings: tuple[Reading, ...]
    better: str = "higher"
    description: str = ""
    highlight: int | None = None  # its place among the home page's key numbers
    events: tuple[str, ...] = ()  # slugs of the event pages that show it
    file: str = ""
    translations: Translations = ()
    text_language: str | None = None  # as Event.text_language
    marks: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def url(self) -> str:
        return f"{FIGURES_DIR}#{self.slug}"

    @property
    def chart_file(self) -> str:
        return f"{FIGURES_DIR}{self.slug}.svg"

    @property
    def measurements(self) -> tuple[Reading, ...]:
        return tuple(r for r in self.readings if not r.is_target)

    @property
    def targets(self) -> tuple[Reading, ...]:
        return tuple(r for r in self.readings if r.is_target)

    @property
    def latest(self) -> Reading | None:
        """The most recent measurement: the number a reader is shown first."""
        return self.measurements[-1] if self.measurements else None

    @property
    def has_target(self) -> bool:
        return bool(self.targets)

    @property
    def set_by(self) -> tuple[str, ...]:
        """The slugs of the events that set its targets, once each, in order."""
        return tuple(dict.fromkeys(r.set_by for r in self.targets if r.set_by))

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source of every reading, once each, in order of first use."""
        seen: dict[str, Source] = {}
        for reading in self.readings:
            for source in reading.sources:
                seen.setdefault(source.url, source)
        return tuple(seen.values())


def sort_key(figure: Figure) -> tuple[int, int, str]:
    """Highlighted figures first, in their stated order; then measures with targets; then the rest."""
    return (figure.highlight or 10, 0 if figure.has_target else 1, figure.slug)


# -- numbers as readers read them ---------------------------------------------------------

def ordinal(number: int, messages: Messages) -> str:
    """44th, 44e, thứ 44: Babel has no ordinals, and a rank written '44' reads as a count."""
    language = messages.locale.language
    if language == "en":
        suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        return f"{number}{suffix}"
    if language == "fr":
        return "1er" if number == 1 else f"{number}e"
    return messages.gettext("No. %(num)s", num=messages.number(number))


def amount(reading: Reading, unit: Unit, messages: Messages) -> str:
    """The number with its unit, without qualifier: '18.3% of GDP', '71st of 193', 'USD 152 billion'."""
    value = reading.value
    if unit == "rank":
        place = ordinal(int(value), messages)
        return messages.gettext("%(rank)s of %(total)s", rank=place, total=messages.number(reading.out_of)) if reading.out_of else place
    if unit in ("percent", "percent-of-gdp"):
        percent = format_percent(value / 100, format="#,##0.#%", locale=messages.locale)
        return messages.gettext("%(percent)s of GDP", percent=percent) if unit == "percent-of-gdp" else percent
    if unit == "usd-billion":
        return messages.gettext("USD %(amount)s billion", amount=messages.number(value))
    return messages.number(value)


def value_text(reading: Reading, unit: Unit, messages: Messages) -> str:
    """The number as the source put it: 'about 4,000', 'at least 30% of GDP', 'top 50'."""
    if unit == "rank" and reading.qualifier == "at-most":
        return messages.gettext("top %(num)s", num=messages.number(reading.value))
    text = amount(reading, unit, messages)
    phrases = {
        "about": messages.gettext("about %(value)s", value=text),
        "nearly": messages.gettext("nearly %(value)s", value=text),
        "more-than": messages.gettext("more than %(value)s", value=text),
        "at-least": messages.gettext("at least %(value)s", value=text),
        "at-most": messages.gettext("at most %(value)s", value=text),
    }
    return phrases[reading.qualifier] if reading.qualifier else text


def when_text(reading: Reading, messages: Messages) -> str:
    """'2024', or 'target for 2030'."""
    when = messages.date(reading.as_of)
    return messages.gettext("target for %(date)s", date=when) if reading.is_target else when


def describe(figure: Figure, messages: Messages) -> str:
    """One sentence for a chart's text alternative: every reading, in order."""
    parts = [f"{when_text(r, messages)}: {value_text(r, figure.unit, messages)}" for r in figure.readings]
    return f"{figure.title}. " + "; ".join(parts) + "."
