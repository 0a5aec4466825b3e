"""YAML syntax errors in words a contributor understands.

PyYAML reports the parser's view ("mapping values are not allowed in this context"). The
few mistakes people actually make in event files (a colon inside an unquoted title, a
wrong indent, a tab, an unclosed quote) get a plain sentence saying what to do; anything
else keeps the parser's own wording.
"""

from __future__ import annotations

import re

import yaml

KEY_AT_START = re.compile(r"\s*(?:-\s+)?[^\s:#][^:#]*?:(?:\s|$)")


def _line(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


def plain_yaml_message(error: yaml.MarkedYAMLError, text: str, line_index: int) -> str:
    """The message for a syntax error whose mark is on line `line_index` (0-based) of `text`."""
    problem = (error.problem or str(error)).strip()
    context = error.context or ""
    mark = error.problem_mark
    line = _line(text, line_index)
    at = line[mark.column] if mark is not None and mark.column < len(line) else ""

    if "expected a single document" in context:
        return "expected one YAML document, found more (remove the extra '---')"
    if "tab" in problem or at == "\t":
        return "a tab is used for indentation here; YAML needs spaces (indent with two spaces)"
    if problem.startswith("mapping values are not allowed"):
        key = KEY_AT_START.match(line)
        if key and mark is not None and mark.column >= key.end() - 1 and line.find(":") < mark.column:
            field = key.group(0).strip().lstrip("-").strip().rstrip(":")
            return (f"the value of '{field}' contains ': ', which YAML reads as a new field; "
                    f"put the whole value in quotes, e.g. {field}: \"…: …\"")
        return ("this line is indented more than the field above it; "
                "fields at the same level must start in the same column")
    if problem.startswith(("did not find expected key", "did not find expected '-' indicator", "expected <block end>")):
        return ("the indentation of this line does not match the lines above it; "
                "fields of the same item must start in the same column")
    if "quoted scalar" in context and "end of stream" in problem:
        opened = error.context_mark.line + 1 if error.context_mark is not None else None
        where = f" on line {opened}" if opened else ""
        return f"a quoted value that starts{where} is never closed; add the closing quotation mark"
    if problem.startswith("could not find expected ':'"):
        return "this line is neither 'field: value' nor a list item ('- …'); a ':' or a '-' is missing"
    return problem
