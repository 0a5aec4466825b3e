"""Problems found in a site's files, and the one exception that carries them.

Every stage collects problems instead of raising on the first one, so a contributor sees
all mistakes from all files in one run (as MkDocs' config validation does). The CLI turns
a `SiteInvalid` into exit code 1; anything else escaping is a bug in the generator.

A problem is an error (nothing may be published) or a warning (publishable, but probably
not what the editor wants, such as placeholder text); `--strict` treats warnings as errors.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, located at the offending value (1-based line and column)."""

    path: str
    line: int
    column: int
    field: str = ""
    message: str = ""
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def text(self) -> str:
        """'field: message', or the message alone for problems with the whole file."""
        return f"{self.field}: {self.message}" if self.field else self.message

    def __str__(self) -> str:
        kind = "" if self.is_error else "warning: "
        return f"{self.path}:{self.line}:{self.column}: {kind}{self.text}"

    def as_error(self) -> Problem:
        """A warning promoted by --strict."""
        return dataclasses.replace(self, severity="error")

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass
class Problems:
    """An append-only collection of problems (SiteInvalid sorts them by file and position)."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, column: int, field_name: str, message: str, severity: Severity = "error") -> None:
        self.items.append(Problem(path, line, column, field_name, message, severity))

    @property
    def error_count(self) -> int:
        return sum(1 for problem in self.items if problem.is_error)

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.items if problem.severity != "error"]  # not `is_error`: 40,000 warnings at 10,000 events

    def extend(self, other: Problems | list[Problem]) -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    def __bool__(self) -> bool:
        """True when there is an error: warnings alone do not stop a build."""
        return any(problem.is_error for problem in self.items)

    def __len__(self) -> int:
        return len(self.items)


def count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def summary_line(problems: list[Problem]) -> str:
    """The closing line of a report, e.g. '2 files, 4 errors, 1 warning'."""
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    parts = [count(len({p.path for p in problems}), "file")]
    if errors or not warnings:
        parts.append(count(errors, "error"))
    if warnings:
        parts.append(count(warnings, "warning"))
    return ", ".join(parts)


class SiteInvalid(Exception):
    """The site's content or configuration has problems; nothing may be written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = sorted(set(problems))


class UsageError(Exception):
    """The command line itself is wrong (exit code 2), e.g. a missing site folder."""
