"""How problems reach people: one `Reporter` for the terminal, for tools (JSON) and for
GitHub's pull-request annotations, so that every command reports the same way.

- text: one `path:line:col: [warning: ]field: message` per problem on stderr, then a
  summary line; on GitHub Actions each problem is also written to stdout as a workflow
  command (`::error file=…` or `::warning file=…`), which GitHub shows on the changed line.
- json: exactly one JSON document on stdout and nothing else there, whatever the
  environment, so a tool can parse it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

from .errors import Problem, UsageError, summary_line

Format = Literal["text", "json"]


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """`::error file=…,line=…,col=…::field: message`, escaped as GitHub's workflow commands need."""
    return (f"::{problem.severity} file={_escape_property(problem.path)},line={problem.line},col={problem.column}"
            f"::{_escape_data(problem.text)}")


def on_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def changed_since(root: Path, base_ref: str) -> set[Path]:
    """Files that differ from `base_ref` (committed or not) plus untracked ones, resolved."""
    def git(*args: str) -> str:
        try:
            result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True)
        except FileNotFoundError as error:
            raise UsageError("--changed needs git, which is not installed") from error
        except subprocess.CalledProcessError as error:
            raise UsageError(f"--changed {base_ref}: git says: {error.stderr.strip() or error}") from error
        return result.stdout

    top = Path(git("rev-parse", "--show-toplevel").strip())
    names = git("diff", "--name-only", base_ref, "--").splitlines()
    names += git("ls-files", "--others", "--exclude-standard").splitlines()
    return {(top / name).resolve() for name in names if name}


@dataclass
class Reporter:
    """Reports problems and results of one command in one format."""

    format: Format = "text"
    github: bool = field(default_factory=on_github_actions)
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)

    def problems(self, problems: list[Problem], tail: str = "", changed: set[Path] | None = None,
                 base_ref: str = "", **result: Any) -> None:
        """Every problem, sorted; with `changed`, those in changed files come first."""
        problems = sorted(problems)
        if self.format == "json":
            ok = not any(problem.is_error for problem in problems)
            self._json({"ok": ok, **result, "problems": [problem.to_dict() for problem in problems]})
            return
        if not problems:
            return
        if changed is None:
            groups = [("", problems)]
        else:
            mine = [p for p in problems if Path(p.path).resolve() in changed]
            others = [p for p in problems if p not in mine]
            groups = [(f"In files changed since {base_ref}:", mine), ("In other files:", others)]
        for heading, group in groups:
            if heading and group:
                print(heading, file=self.err)
            for problem in group:
                print(problem, file=self.err)
        print(summary_line(problems) + tail, file=self.err)
        self.err.flush()
        if self.github:
            for problem in problems:
                print(github_annotation(problem), file=self.out)
            self.out.flush()

    def done(self, message: str, warnings: list[Problem] | None = None, **result: Any) -> None:
        """A command that succeeded: its warnings, then one line (or the JSON document)."""
        warnings = warnings or []
        if self.format == "json":
            self.problems(warnings, **result)
            return
        self.problems(warnings)
        print(message, file=self.out)
        self.out.flush()

    def note(self, message: str) -> None:
        """Progress for people (the preview server's rebuilds): never part of the JSON."""
        print(message, file=self.err if self.format == "json" else self.out, flush=True)

    def _json(self, document: dict[str, Any]) -> None:
        print(json.dumps(document, ensure_ascii=False), file=self.out)
        self.out.flush()
