"""A small declarative schema kit: YAML nodes in, typed values and located problems out.

Why not plain `yaml.safe_load` plus checks: once PyYAML has built Python objects, every
line number is gone, and YAML 1.1 has already turned `no` into False and `2025-02-19` into
a date. Converting from *nodes* keeps the position of every value and lets each field say
exactly which types it accepts. The same field objects produce the JSON Schema that editors
use, so the format is described once (see `formats.event_record`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import yaml

from .model import PartialDate, Translation
from .nodes import FLOAT, INT, INVALID, NULL, STR, TIMESTAMP, Kind, Reader, describe, did_you_mean
from .textcheck import all_visible, bracket_problem, code_point, control_character, invisible_only, placeholder_host, shown
from .urls import valid_url

# Re-exported: the formats and the commands import the whole kit from here.
__all__ = [
    "INVALID", "LANGUAGE_CODE", "Choice", "DateKind", "Field", "Kind", "ListOf", "Number", "Pattern", "Reader",
    "Record", "Text", "Translated", "WebURL", "WholeNumber", "describe", "did_you_mean", "optional", "size_problem",
]


def _whole_number(text: str) -> int | None:
    """YAML 1.1 also writes integers as 0x1f, 017 or 1_000; Python's int() needs telling."""
    digits = text.replace("_", "")
    for base in (10, 0):
        try:
            return int(digits, base)
        except ValueError:
            continue
    return None


def _scalar_text(node: yaml.Node, where: str, reader: Reader, wanted: str) -> Any:
    if not isinstance(node, yaml.ScalarNode) or node.tag != STR:
        hint = " (put it in quotes)" if isinstance(node, yaml.ScalarNode) and node.tag != NULL else ""
        return reader.error(node, where, f"expected {wanted}, found {describe(node)}{hint}")
    return node.value


def size_problem(value: str, max_length: int | None, max_lines: int | None = None) -> str | None:
    """Why a text is too long to accept, or None: its length in characters, then in lines."""
    if max_length and len(value) > max_length:
        return f"is {len(value)} characters long; the limit is {max_length}"
    lines = value.count("\n") + 1
    if max_lines and lines > max_lines:
        return f"is {lines} lines long; the limit is {max_lines}"
    if max_lines:  # a Markdown body
        return bracket_problem(value)
    return None


@dataclass(frozen=True)
class Text(Kind):
    """A non-empty string; `one_line` for titles, `paragraph` for summaries; `max_lines` for
    Markdown bodies, whose rendering slows down with the number of lines (see formats.BODY_LINES)."""

    one_line: bool = True
    paragraph: bool = False
    max_length: int | None = None
    max_lines: int | None = None

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        value = _scalar_text(node, where, reader, "text")
        if value is INVALID:
            return value
        value = value.strip()
        if not value:
            return reader.error(node, where, "must not be empty")
        hidden = invisible_only(value)
        if hidden:  # a zero-width space pasted from a web page looks empty in every editor, and on the page
            return reader.error(node, where, f"must not be empty: it has only invisible characters ({', '.join(hidden)})")
        control = control_character(value)
        if control is not None:  # only a double-quoted escape ("\a", "\0") can put one here
            return reader.error(node, where, f"contains the control character {code_point(control)}; remove it")
        if self.one_line and "\n" in value:
            return reader.error(node, where, "must be a single line")
        if self.paragraph and re.search(r"\n\s*\n", value):
            return reader.error(node, where, "must be one paragraph (no blank lines); put more in 'body'")
        too_long = size_problem(value, self.max_length, self.max_lines)
        if too_long:
            return reader.error(node, where, too_long)
        reader.warn_placeholder(node, where, value)
        return value

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.one_line:
            schema["pattern"] = r"^[^\n]*$"
        if self.max_length:
            schema["maxLength"] = self.max_length
        return schema


@dataclass(frozen=True)
class Pattern(Kind):
    """A string matching a regular expression, such as a slug, a colour or a language tag."""

    regex: str
    wanted: str

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        value = _scalar_text(node, where, reader, self.wanted)
        if value is not INVALID and not re.fullmatch(self.regex, value):
            return reader.error(node, where, f"'{shown(value)}' is not {self.wanted}")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^(?:{self.regex})$"}


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
DATE_FORM = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

# The years a date may fall in. Below 1000 a year no longer fits the four digits the form
# asks for; past 2999 no plausible event or target lies, and the chart's time axes, which
# pad the period they show by a few per cent on either side, stay far inside the calendar
# Python can count (year 9999: a date there made the build fail with an OverflowError).
EARLIEST_YEAR = 1000
LATEST_YEAR = 2999


class DateKind(Kind):
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the precision written is the precision kept."""

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (STR, INT, TIMESTAMP):
            return reader.error(node, where, f"expected a date (YYYY, YYYY-MM or YYYY-MM-DD), found {describe(node)}")
        text = node.value.strip()
        match = DATE_FORM.fullmatch(text)
        if not match:
            return reader.error(node, where, f"'{shown(text)}' is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(match.group(1))
        month, day = (int(part) if part else None for part in match.groups()[1:])
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            return reader.error(node, where, f"{text} is out of range: dates must fall in the years {EARLIEST_YEAR} to {LATEST_YEAR}")
        # 00 is not "unknown": left alone it became January or the 1st, a date no source gave.
        if month == 0:
            return reader.error(node, where, f"{text} is not a valid date: there is no month 00; "
                                f"if the source gives no month, write the year alone ({year:04d})")
        if day == 0:
            return reader.error(node, where, f"{text} is not a valid date: there is no day 00; "
                                f"if the source gives no day, write the year and month ({year:04d}-{month:02d})")
        try:
            date(year, month or 1, day or 1)
        except ValueError:
            return reader.error(node, where, f"{text} is not a valid date")
        return PartialDate(year, month, day)

    def json_schema(self) -> dict[str, Any]:
        # The same rules as `convert`, as far as a pattern can say them: a year 1000-2999 (EARLIEST_YEAR
        # to LATEST_YEAR: change both together), a month 01-12, a day 01-31 (whether the day exists in its
        # month is the build's to say).
        return {
            "anyOf": [
                {"type": "string", "pattern": r"^[12]\d{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"},
                {"type": "integer", "minimum": EARLIEST_YEAR, "maximum": LATEST_YEAR},
            ],
            "description": "YYYY, YYYY-MM or YYYY-MM-DD; write only the precision the source gives",
        }


class WebURL(Kind):
    """An absolute http(s) URL; anything else (javascript:, ftp:, relative) is refused."""

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        value = _scalar_text(node, where, reader, "an http(s) URL")
        if value is INVALID:
            return value
        value = value.strip()
        parts = urlsplit(value)
        hidden = not all_visible(value)  # a zero-width space or a control character
        written = valid_url(value)  # `|`, `[ ]`, a stray `%` percent-encoded, as a browser sends them
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"[\s<>\"']", value) or hidden or written is None:
            return reader.error(node, where, f"'{shown(value)}' is not an http(s) URL")
        value = written
        if placeholder_host(value):
            line, column = reader.position(node)
            reader.problems.add(reader.path, line, column, where, f"'{value}' is a placeholder address (reserved for examples); use the real one", "warning")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "uri", "pattern": r"^https?://[^\s<>\"']+$"}


@dataclass(frozen=True)
class Choice(Kind):
    """One of a fixed set of strings (or whole numbers), with 'did you mean' for near misses."""

    options: Sequence[str | int]
    what: str = "value"

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        numeric = all(isinstance(option, int) for option in self.options)
        listed = ", ".join(str(option) for option in self.options)
        if numeric:
            if not isinstance(node, yaml.ScalarNode) or node.tag != INT:
                return reader.error(node, where, f"expected one of {listed}, found {describe(node)}")
            value: str | int | None = _whole_number(node.value)
        else:
            value = _scalar_text(node, where, reader, f"one of: {listed}")
            if value is INVALID:
                return value
        if value not in self.options:
            hint = "" if numeric else did_you_mean(str(value), [str(option) for option in self.options])
            return reader.error(node, where, f"'{shown(str(value))}' is not a known {self.what}{hint}; choose one of: {listed}")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.options)}


@dataclass(frozen=True)
class WholeNumber(Kind):
    minimum: int
    maximum: int

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        if not isinstance(node, yaml.ScalarNode) or node.tag != INT:
            return reader.error(node, where, f"expected a whole number, found {describe(node)}")
        value = _whole_number(node.value)
        if value is None or not self.minimum <= value <= self.maximum:
            return reader.error(node, where, f"{value} is not between {self.minimum} and {self.maximum}")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


@dataclass(frozen=True)
class Number(Kind):
    """A number such as 18.3 or 20000 (a figure's value), never text that looks like one."""

    minimum: float = 0

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (INT, FLOAT):
            hint = " (write it without quotes, units or thousands separators, e.g. 18.3 or 20000)" if isinstance(node, yaml.ScalarNode) else ""
            return reader.error(node, where, f"expected a number, found {describe(node)}{hint}")
        value: float | int | None = _whole_number(node.value) if node.tag == INT else _decimal(node.value)
        if value is None:
            return reader.error(node, where, f"'{node.value}' is not a number")
        if value < self.minimum:
            return reader.error(node, where, f"{value} is below {self.minimum:g}")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "number", "minimum": self.minimum}


def _decimal(text: str) -> float | None:
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None  # no .nan, no .inf


@dataclass(frozen=True)
class ListOf(Kind):
    item: Kind
    min_items: int = 0

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return reader.error(node, where, f"expected a list, found {describe(node)}")
        if len(node.value) < self.min_items:
            return reader.error(node, where, f"needs at least {self.min_items} item{'s' if self.min_items > 1 else ''}")
        values = []
        for index, child in enumerate(node.value):
            child_where = f"{where}[{index}]"
            reader.remember(child_where, child)
            values.append(self.item.convert(child, child_where, reader))
        return INVALID if any(value is INVALID for value in values) else tuple(values)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: bool = False
    default: Any = None
    description: str = ""


@dataclass(frozen=True)
class Record(Kind):
    """A mapping with known fields: unknown keys, duplicates and missing fields are errors."""

    fields: tuple[Field, ...]
    title: str = ""
    check: Callable[[dict[str, Any], yaml.MappingNode, str, Reader], None] | None = None

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return reader.error(node, where, f"expected a mapping (key: value pairs), found {describe(node)}")
        known = {f.name: f for f in self.fields}
        seen: dict[str, yaml.Node] = {}
        values: dict[str, Any] = {}
        failed = False
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            child_where = f"{where}.{shown(str(key))}" if where else shown(str(key))  # a key is quoted back as well
            if key is None or key_node.tag != STR:
                reader.error(key_node, where or "(top level)", f"field names must be text, found {describe(key_node)}")
                failed = True
            elif key in seen:
                first_line = reader.position(seen[key])[0]
                reader.error(key_node, child_where, f"duplicate field (first given on line {first_line})")
                failed = True
            elif key not in known:
                reader.error(key_node, child_where, f"unknown field{did_you_mean(key, known)}")
                failed = True
            else:
                seen[key] = key_node
                reader.remember(child_where, value_node)
                if isinstance(value_node, yaml.ScalarNode) and value_node.tag == NULL and not known[key].required:
                    continue  # an empty optional field is the same as leaving it out
                values[key] = known[key].kind.convert(value_node, child_where, reader)
                failed = failed or values[key] is INVALID
        for spec in self.fields:
            if spec.name not in values:  # absent, or given empty (`location:`): the same thing
                if spec.required:
                    child_where = f"{where}.{spec.name}" if where else spec.name
                    reader.error(node, child_where, "required field is missing")
                    failed = True
                else:
                    values[spec.name] = spec.default
        if not where:
            reader.partial = {key: value for key, value in values.items() if value is not INVALID}
        if failed:
            return INVALID
        if self.check:
            before = reader.problems.error_count
            self.check(values, node, where, reader)
            if reader.problems.error_count > before:
                return INVALID
        return values

    def json_schema(self) -> dict[str, Any]:
        properties = {}
        for spec in self.fields:
            prop = dict(spec.kind.json_schema())
            if spec.description:
                prop["description"] = spec.description
            if spec.default not in (None, ()):
                prop["default"] = spec.default
            properties[spec.name] = prop
        schema: dict[str, Any] = {"type": "object"}
        if self.title:
            schema["title"] = self.title
        schema["properties"] = properties
        schema["required"] = [spec.name for spec in self.fields if spec.required]
        schema["additionalProperties"] = False
        return schema


@dataclass(frozen=True)
class Translated(Kind):
    """Translations by language: `{vi: {title: …}, fr: {title: …}}`, each checked by `record`,
    as (language, Translation) pairs. `languages` are the ones a translation may be in."""

    record: Record
    languages: tuple[str, ...] | None = None  # None: any language code (site.yaml checks its own)

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return reader.error(node, where, f"expected a mapping of languages (vi: …, fr: …), found {describe(node)}")
        pairs: list[tuple[str, Translation]] = []
        failed = False
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) and key_node.tag == STR else None
            child = f"{where}.{shown(str(key))}"
            if key is None or (key not in self.languages if self.languages is not None else not LANGUAGE_CODE.fullmatch(key)):
                others = ", ".join(self.languages or ()) or "none: site.yaml lists one language"
                reader.error(key_node, child, f"'{shown(str(key))}' is not one of this site's other languages ({others})")
                failed = True
                continue
            if any(code == key for code, _ in pairs):
                reader.error(key_node, child, "duplicate language")
                failed = True
                continue
            reader.remember(child, key_node)
            values = self.record.convert(value_node, child, reader)
            if values is INVALID:
                failed = True
            else:
                pairs.append((key, Translation(**{name: value for name, value in values.items() if value is not None})))
        return INVALID if failed else tuple(pairs)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object", "additionalProperties": self.record.json_schema()}
        if self.languages is not None:
            schema["propertyNames"] = {"enum": list(self.languages)}
        return schema


def optional(fields: tuple[Field, ...], names: tuple[str, ...]) -> tuple[Field, ...]:
    """The named fields, none required and none with a default: what a translation may give."""
    return tuple(Field(spec.name, spec.kind, description=spec.description) for spec in fields if spec.name in names)
