"""Problems found in a site's files, and the one exception that carries them.

Every stage collects problems instead of raising on the first one, so a contributor sees
all mistakes from all files in one run (as MkDocs' config validation does). The CLI turns
a `SiteInvalid` into exit code 1; anything else escaping is a bug in the generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, located at the offending value (1-based line and column)."""

    path: str
    line: int
    column: int
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}:"
        return f"{where} {self.field}: {self.message}" if self.field else f"{where} {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class Problems:
    """An append-only collection of problems (SiteInvalid sorts them by file and position)."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, column: int, field_name: str, message: str) -> None:
        self.items.append(Problem(path, line, column, field_name, message))

    def extend(self, other: "Problems | list[Problem]") -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


def summary_line(problems: list[Problem]) -> str:
    """The closing line of an error report, e.g. '2 files, 4 errors; nothing was written'."""
    files = len({p.path for p in problems})
    return (
        f"{files} file{'s' if files != 1 else ''}, "
        f"{len(problems)} error{'s' if len(problems) != 1 else ''}"
    )


class SiteInvalid(Exception):
    """The site's content or configuration has problems; nothing may be written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = sorted(set(problems))


class UsageError(Exception):
    """The command line itself is wrong (exit code 2), e.g. a missing site folder."""
