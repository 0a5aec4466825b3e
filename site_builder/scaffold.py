"""`new`: start an event file from a commented template, named after its date and title.

The template carries the yaml-language-server line so that editors complete and check the
fields while the contributor types, and fails `check` until the required fields are filled.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from slugify import slugify

from . import formats
from .errors import Problems, UsageError
from .fields import DateKind, Reader
from .load import EVENTS_DIR
from .model import SiteConfig

MAX_SLUG_LENGTH = 70

TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A new event. Fill in every REQUIRED field, then run: {check}
# Every fact must come from a source listed under `sources`. If the source gives no day,
# write the date as YYYY-MM (or YYYY): never guess a day.

title: {title}  # REQUIRED, sentence case
date: {date}  # REQUIRED: YYYY, YYYY-MM or YYYY-MM-DD
category: {category}  # REQUIRED, one of: {categories}
importance: 2  # 1 = landmark (labelled on the chart), 2 = normal, 3 = minor
summary: >-  # REQUIRED: one plain-text paragraph, in your own words
  TODO
sources:  # REQUIRED: at least one
  - title: TODO headline of the article
    publisher: TODO
    url: TODO https://...
    # date: 2025-02-20
    # language: en

# Optional fields: uncomment what the sources support.
# end_date: 2025-03-01      # for something that lasted: when it ended
# kind: target              # for a future goal rather than something that happened
# body: |
#   A longer account in Markdown.
# actors:
#   - Name (role)
# location: Hanoi
# documents:
#   - Resolution No. 57-NQ/TW
# tags: [digital transformation]
# related:
#   - 2024-12-22-politburo-issues-resolution-57
"""


def ask_category(config: SiteConfig) -> str | None:
    """Asked only when a person is typing: a number or a key; empty leaves it to fill in."""
    choices = list(config.categories)
    for number, category in enumerate(choices, 1):
        print(f"  {number}. {category.key}: {category.label}")
    while True:
        answer = input(f"Category (1-{len(choices)}, or Enter to decide later): ").strip()
        if not answer:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1].key
        if answer in config.category_keys:
            return answer
        print(f"  '{answer}' is not one of the categories above.")


def event_slug(title: str, date: str) -> str:
    """'2025-08-21' + 'Hội nghị tại Hải Phòng' -> '2025-08-21-hoi-nghi-tai-hai-phong'."""
    words = slugify(title, max_length=MAX_SLUG_LENGTH - len(date) - 1, word_boundary=True, save_order=True)
    if not words:
        raise UsageError(f"the title {title!r} has no letters or digits to make a file name from")
    return f"{date}-{words}"


def check_date(text: str) -> None:
    """The date by the same rule `check` applies to the file's `date` field."""
    problems = Problems()
    node = yaml.compose(json.dumps(text))
    assert node is not None
    DateKind().convert(node, "date", Reader("--date", problems))
    if problems:
        raise UsageError(f"--date {problems.items[0].message}")


def new_event(root: Path, config: SiteConfig, title: str, date: str, category: str | None, check: str) -> Path:
    check_date(date)
    if category is not None and category not in config.category_keys:
        raise UsageError(f"--category {category!r} is not one of: {', '.join(config.category_keys)}")
    path = root / EVENTS_DIR / f"{event_slug(title, date)}.yaml"
    if path.exists():
        raise UsageError(f"{path} already exists; not overwriting it")
    text = TEMPLATE.format(
        check=check,
        schema=formats.SCHEMA_FILE,
        title=_yaml_string(title),
        date=date,
        category=category or "TODO",
        categories=", ".join(config.category_keys),
    )
    text += translation_stubs(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # 'x': never clobber a file that appeared meanwhile
        handle.write(text)
    return path


FIGURE_TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A new key figure: one measure, its measured values and any targets set for it.
# Every value must come from a source listed under its `sources`. Fill in every REQUIRED
# field, then run: {check}

title: {title}  # REQUIRED: what is measured, e.g. The digital economy's share of GDP
label: TODO  # REQUIRED: a short name for charts and the home page (at most 40 characters)
unit: {unit}  # REQUIRED, one of: {units}
# better: lower  # for a rank: a lower number is better (charts put 'better' to the right)
# highlight: 1  # show it among the home page's key numbers (1 first)
# events: [2025-01-13-national-conference]  # the event pages that show it
values:  # REQUIRED, oldest first
  - value: 0  # REQUIRED: the number alone, e.g. 18.3 (no units, no separators)
    as_of: YYYY  # REQUIRED: the date the value refers to, at the precision the source gives
    # qualifier: about  # as the source words it: {qualifiers}
    # out_of: 193  # for a rank: of how many
    sources:
      - title: TODO headline of the article, as published
        publisher: TODO
        url: TODO https://...
  # A target: the same, with kind and the event that set it.
  # - value: 50
  #   qualifier: at-least
  #   as_of: 2030
  #   kind: target
  #   set_by: 2024-12-22-politburo-issues-resolution-57
  #   sources: [...]
"""


def new_figure(root: Path, config: SiteConfig, title: str, unit: str, check: str) -> Path:
    """figures/<title>.yaml from a commented template; never overwrites."""
    from .figures import QUALIFIERS, UNITS
    from .load import FIGURES_DIR

    if unit not in UNITS:
        raise UsageError(f"--unit {unit!r} is not one of: {', '.join(UNITS)}")
    words = slugify(title.replace("'", "").replace("’", ""), max_length=MAX_SLUG_LENGTH, word_boundary=True, save_order=True)
    if not words:
        raise UsageError(f"the title {title!r} has no letters or digits to make a file name from")
    path = root / FIGURES_DIR / f"{words}.yaml"
    if path.exists():
        raise UsageError(f"{path} already exists; not overwriting it")
    text = FIGURE_TEMPLATE.format(schema=formats.SCHEMA_FILE, check=check, title=_yaml_string(title), unit=unit,
                                  units=", ".join(UNITS), qualifiers=", ".join(QUALIFIERS))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
    return path


def translation_stubs(config: SiteConfig) -> str:
    """One stub per other language: placeholders that `check` points at until translated."""
    others = config.editions[1:]
    if not others:
        return ""
    lines = ["", "# The same text in the site's other languages (translate faithfully: add or drop no fact).",
             "# Add label, body, location, actors, documents and tags here too when the event has them.", "translations:"]
    for language in others:
        lines += [f"  {language}:", "    title: TODO", "    summary: >-", "      TODO"]
    return "\n".join(lines) + "\n"


def _yaml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
