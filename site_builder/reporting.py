"""How problems reach people: the terminal, GitHub's pull-request annotations, and a
split between files a pull request changed and the rest.

The human form goes to stderr, one `path:line:col: field: message` per line. On GitHub
Actions each problem is also written to stdout as a workflow command, which GitHub shows
on the changed line of the pull request.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .errors import Problem, UsageError, summary_line


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """`::error file=…,line=…,col=…::field: message`, escaped as GitHub's workflow commands need."""
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return (f"::error file={_escape_property(problem.path)},line={problem.line},col={problem.column}"
            f"::{_escape_data(message)}")


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


def print_problems(problems: list[Problem], tail: str = "", changed: set[Path] | None = None, base_ref: str = "") -> None:
    """Every problem, sorted; with `changed`, those in changed files come first."""
    if changed is None:
        groups = [("", problems)]
    else:
        mine = [p for p in problems if Path(p.path).resolve() in changed]
        others = [p for p in problems if p not in mine]
        groups = [(f"In files changed since {base_ref}:", mine), ("In other files:", others)]
    for heading, group in groups:
        if heading and group:
            print(heading, file=sys.stderr)
        for problem in group:
            print(problem, file=sys.stderr)
    print(summary_line(problems) + tail, file=sys.stderr)
    if on_github_actions():
        for problem in problems:
            print(github_annotation(problem))
        sys.stdout.flush()
