"""YAML nodes and where they sit: the per-file `Reader` that records located problems,
how a node is named in messages, and the `Kind` interface every field type implements.

Kept apart from the field types themselves (`fields`) so that each stays small enough to
read at once; `fields` re-exports what its users import from it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problems
from .textcheck import placeholder_in

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
