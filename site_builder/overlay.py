"""The page the preview server shows while the site has errors: every problem, as the
terminal prints it, with the offending lines of its file.

Built with plain escaping rather than the site's templates, because a broken template may
be the very problem being shown.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from .errors import Problem, summary_line
from .load import SourceFile, read_inside

CONTEXT_LINES = 2

STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #fff; color: #1a1a1a; }
header { background: #8b1a1a; color: #fff; padding: 1rem 1.5rem; }
header h1 { margin: 0; font-size: 1.25rem; }
header p { margin: 0.25rem 0 0; }
main { padding: 1rem 1.5rem; max-width: 60rem; }
section { margin: 0 0 1.5rem; }
h2 { font: 600 0.95rem/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; margin: 0 0 0.4rem; overflow-wrap: anywhere; }
pre { margin: 0; padding: 0.5rem 0; background: #f6f5f1; border-left: 3px solid #b3261e; overflow-x: auto; font: 13px/1.5 ui-monospace, Menlo, monospace; }
.line { display: block; padding: 0 0.75rem; white-space: pre; }
.line.bad { background: #fbe3e1; }
.number { display: inline-block; min-width: 3em; color: #6b6b6b; user-select: none; }
.caret { color: #b3261e; font-weight: 700; }
"""


def excerpt(root: Path, problem: Problem) -> str:
    """The problem's line with a little context, the column marked; empty if unreadable."""
    path = Path(problem.path)
    path = path if path.is_absolute() else Path.cwd() / path
    found = read_inside(path, root)  # never a file outside the site, never a pipe that would hang
    if not isinstance(found, SourceFile):
        return ""
    lines = found.data.decode("utf-8", errors="replace").splitlines()
    if not lines:
        return ""
    first = max(1, problem.line - CONTEXT_LINES)
    last = min(len(lines), problem.line + CONTEXT_LINES)
    rows = []
    for number in range(first, last + 1):
        text = escape(lines[number - 1])
        bad = number == problem.line
        rows.append(f'<span class="line{" bad" if bad else ""}"><span class="number">{number}</span>{text}</span>')
        if bad:
            pad = " " * (max(problem.column, 1) - 1)
            rows.append(f'<span class="line bad"><span class="number"></span><span class="caret">{pad}^</span></span>')
    return "<pre>" + "".join(rows) + "</pre>"


def error_page(problems: list[Problem], root: Path) -> bytes:
    sections = "\n".join(
        f"<section><h2>{escape(str(problem))}</h2>{excerpt(root, problem)}</section>" for problem in problems
    )
    html = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Site errors ({len(problems)})</title>
<style>{STYLE}</style>
</head>
<body>
<header><h1>The site has errors</h1><p>{escape(summary_line(problems))}. Fix them and save: this page reloads by itself.</p></header>
<main id="errors">
{sections}
</main>
</body>
</html>
"""
    return html.encode("utf-8")
