"""A small declarative schema kit: YAML nodes in, typed values and located problems out.

Why not plain `yaml.safe_load` plus checks: once PyYAML has built Python objects, every
line number is gone, and YAML 1.1 has already turned `no` into False and `2025-02-19` into
a date. Converting from *nodes* keeps the position of every value and lets each field say
exactly which types it accepts. The same field objects produce the JSON Schema that editors
use, so the format is described once (see `model.event_record`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import Problems
from .model import PartialDate, Translation

INVALID: Any = object()  # a value that failed conversion; its problem is already recorded

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
NULL = "tag:yaml.org,2002:null"
FLOAT = "tag:yaml.org,2002:float"

_TAG_NAMES = {
    STR: "text",
    INT: "a whole number",
    FLOAT: "a number",
    "tag:yaml.org,2002:bool": "yes/no (a boolean)",
    NULL: "nothing (null)",
    TIMESTAMP: "a date",
}


def describe(node: yaml.Node) -> str:
    """How a contributor would name what they wrote, for 'expected X, found Y' messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value pairs)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return _TAG_NAMES.get(node.tag, "a value")


def did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


PLACEHOLDER_CASED = re.compile(r"\b(TODO|TBD|FIXME)\b|\b[Ll]orem ipsum\b")  # 'todo' in prose is left alone
PLACEHOLDER_HOSTS = re.compile(r"(^|\.)example\.(org|com|net)$|\.example$", re.IGNORECASE)


def placeholder_in(text: str) -> re.Match[str] | None:
    """Text an editor leaves to fill in later: TODO, TBD, FIXME, lorem ipsum."""
    return PLACEHOLDER_CASED.search(text)


def placeholder_host(url: str) -> bool:
    """Addresses reserved for examples (example.org, example.com ...): never a real source."""
    return bool(PLACEHOLDER_HOSTS.search(urlsplit(url).hostname or ""))


@dataclass
class Reader:
    """Conversion state for one file: where problems go and where each value sat."""

    path: str
    problems: Problems
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0
    text: str = ""  # the file's text, to place warnings inside long values
    partial: dict[str, Any] = field(default_factory=dict)  # top-level values that converted, even in an invalid file

    def position(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def error(self, node: yaml.Node, where: str, message: str) -> Any:
        line, column = self.position(node)
        self.problems.add(self.path, line, column, where, message)
        return INVALID

    def warn_placeholder(self, node: yaml.Node, where: str, value: str) -> None:
        """A warning at the placeholder itself, inside a long value if need be."""
        found = placeholder_in(value)
        if found is None:
            return
        line, column = self.position(node)
        source = self.text[node.start_mark.index:node.end_mark.index] if self.text else ""
        inside = source.find(found.group(0))
        if inside > 0:
            before = source[:inside]
            line += before.count("\n")
            column = inside - before.rfind("\n") if "\n" in before else column + inside
        self.problems.add(self.path, line, column, where, f"placeholder text '{found.group(0)}' left in the file; replace it before publishing", "warning")

    def remember(self, where: str, node: yaml.Node) -> None:
        self.marks[where] = self.position(node)


class Kind:
    """One type of value: how to convert it from a node and how to describe it in JSON Schema."""

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError


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


@dataclass(frozen=True)
class Text(Kind):
    """A non-empty string; `one_line` for titles, `paragraph` for summaries."""

    one_line: bool = True
    paragraph: bool = False
    max_length: int | None = None

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        value = _scalar_text(node, where, reader, "text")
        if value is INVALID:
            return value
        value = value.strip()
        if not value:
            return reader.error(node, where, "must not be empty")
        if self.one_line and "\n" in value:
            return reader.error(node, where, "must be a single line")
        if self.paragraph and re.search(r"\n\s*\n", value):
            return reader.error(node, where, "must be one paragraph (no blank lines); put more in 'body'")
        if self.max_length and len(value) > self.max_length:
            return reader.error(node, where, f"is {len(value)} characters long; the limit is {self.max_length}")
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
            return reader.error(node, where, f"'{value}' is not {self.wanted}")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^(?:{self.regex})$"}


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
DATE_FORM = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class DateKind(Kind):
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the precision written is the precision kept."""

    def convert(self, node: yaml.Node, where: str, reader: Reader) -> Any:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (STR, INT, TIMESTAMP):
            return reader.error(node, where, f"expected a date (YYYY, YYYY-MM or YYYY-MM-DD), found {describe(node)}")
        text = node.value.strip()
        match = DATE_FORM.fullmatch(text)
        if not match:
            return reader.error(node, where, f"'{text}' is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(match.group(1))
        month, day = (int(part) if part else None for part in match.groups()[1:])
        try:
            date(year, month or 1, day or 1)
        except ValueError:
            return reader.error(node, where, f"{text} is not a valid date")
        return PartialDate(year, month, day)

    def json_schema(self) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
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
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"[\s<>\"']", value):
            return reader.error(node, where, f"'{value}' is not an http(s) URL")
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
            return reader.error(node, where, f"'{value}' is not a known {self.what}{hint}; choose one of: {listed}")
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
            child_where = f"{where}.{key}" if where else str(key)
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
            if spec.name not in values and spec.name not in seen:
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
            child = f"{where}.{key}"
            if key is None or (key not in self.languages if self.languages is not None else not LANGUAGE_CODE.fullmatch(key)):
                others = ", ".join(self.languages or ()) or "none: site.yaml lists one language"
                reader.error(key_node, child, f"'{key}' is not one of this site's other languages ({others})")
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
