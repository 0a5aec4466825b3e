"""Checks on the characters a contributor typed, before any field-specific rule.

Text arrives from editors, word processors and web pages. Besides what a person writes
on purpose it can carry what nobody sees: a zero-width space pasted from a web page (a
"title" that looks empty in the editor yet passes a plain emptiness check), a control
character from a copy out of a terminal, placeholder text left to fill in later. These
functions only inspect strings; `fields` and `validate` decide what each finding means
for a field and where to report it.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

PLACEHOLDER_CASED = re.compile(r"\b(TODO|TBD|FIXME)\b|\b[Ll]orem ipsum\b")  # 'todo' in prose is left alone
PLACEHOLDER_HOSTS = re.compile(r"(^|\.)example\.(org|com|net)$|\.example$", re.IGNORECASE)

# What YAML 1.1 refuses anywhere in a file (PyYAML's and libyaml's reader both stop at it).
# libyaml reports where in *bytes*, PyYAML in characters; finding it ourselves gives the
# line and column an editor shows, whichever parser is in use.
YAML_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
NOT_ALLOWED_IN_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Letters that render as nothing: Hangul fillers and the Braille blank. Unicode files them as
# letters or symbols, so a category test alone would count them as something to read.
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")
VISIBLE_CATEGORIES = ("L", "N", "P", "S")  # letters, numbers, punctuation, symbols

# Unicode's control characters (category Cc) but tab and line breaks, which a block scalar
# holds; a pattern, not a loop over characters, as a body can be megabytes long.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def placeholder_in(text: str) -> re.Match[str] | None:
    """Text an editor leaves to fill in later: TODO, TBD, FIXME, lorem ipsum."""
    return PLACEHOLDER_CASED.search(text)


def placeholder_host(url: str) -> bool:
    """Addresses reserved for examples (example.org, example.com ...): never a real source."""
    return bool(PLACEHOLDER_HOSTS.search(urlsplit(url).hostname or ""))


def code_point(character: str) -> str:
    """How a message names a character a reader may not be able to see: U+200B."""
    return f"U+{ord(character):04X}"


def is_visible(character: str) -> bool:
    """Whether a character puts ink on the page: not a space, format or control character,
    combining mark on its own, private-use or unassigned code point, or blank letter."""
    return unicodedata.category(character).startswith(VISIBLE_CATEGORIES) and character not in BLANK_LOOKING


def all_visible(text: str) -> bool:
    """Whether every character puts ink on the page. Plain ASCII is decided at C speed (a
    printable ASCII character other than the space is visible): every URL of 10,000
    events went through is_visible one character at a time."""
    if text.isascii():
        return text.isprintable() and " " not in text
    return all(is_visible(character) for character in text)


def invisible_only(text: str) -> list[str]:
    """For non-empty text with nothing visible in it, the invisible characters that are not
    plain whitespace (at most three, as U+XXXX, to name in a message); otherwise []."""
    if not text or any(is_visible(character) for character in text):
        return []
    named = dict.fromkeys(code_point(character) for character in text if not character.isspace())
    return list(named)[:3]


def control_character(text: str) -> str | None:
    """The first control character other than tab and line breaks: YAML's double-quoted
    escapes (`"\\a"`, `"\\0"`) can put one in a value even though the file itself has none."""
    found = CONTROL.search(text)
    return found.group(0) if found else None


def not_allowed_in_yaml(text: str) -> tuple[int, int, str] | None:
    """The 1-based line and column of the first character YAML refuses, and the character,
    counting lines as YAML does (so as every other position in a report)."""
    found = NOT_ALLOWED_IN_YAML.search(text)
    if found is None:
        return None
    breaks = list(YAML_LINE_BREAK.finditer(text, 0, found.start()))
    line_start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, found.start() - line_start + 1, found.group(0)


def describe_character(character: str) -> str:
    """'the control character U+0007' or 'the character U+FFFE', for messages."""
    kind = "control character" if unicodedata.category(character) == "Cc" else "character"
    return f"the {kind} {code_point(character)}"


def shown(text: str) -> str:
    """A value quoted back in a message, with what cannot be seen written as <U+XXXX>: a
    zero-width space becomes findable, and an escape sequence cannot reach the terminal."""
    if text.isascii() and text.isprintable():  # as it is: every key of every record is quoted this way
        return text
    return "".join(character if is_visible(character) or character == " " else f"<{code_point(character)}>" for character in text)


BRACKET_STEPS = 250_000  # about 0.3 s of Python-Markdown's link matching at its slowest
BRACKET_TOKEN = re.compile(r"\\.|\]\(|[\[\]()]|\n[ \t]*\n")


def bracket_problem(body: str) -> str | None:
    """Why a Markdown body would take Python-Markdown seconds to render, or None.

    Its link, image and footnote patterns look for the `]` that closes each `[` they meet,
    and for the `)` that ends a link's address after `](`, scanning to the end of the
    paragraph when there is none: 10,000 `[` in a row took 15 s, `[a](` repeated 2 s. Those
    steps are counted here in one pass (from each opening to its match, or to the end of its
    paragraph) and a body over BRACKET_STEPS is refused: real prose is far below it.
    """
    openings = body.count("[") + body.count("](")
    if openings * len(body) <= BRACKET_STEPS:  # the usual case, decided at C speed
        return None
    steps, paragraph_line = 0, 1
    squares: list[int] = []
    parentheses: list[int] = []  # inside a link's address, where nested ( ) count
    for token in BRACKET_TOKEN.finditer(body + "\n\n"):  # the last paragraph ends too
        text, at = token.group(), token.start()
        if text in ("]", "](") and squares:
            steps += at - squares.pop()
        if text == "[":
            squares.append(at)
        elif text == "](" or (text == "(" and parentheses):
            parentheses.append(at)
        elif text == ")" and parentheses:
            steps += at - parentheses.pop()
        elif text[0] == "\n":  # a blank line: every bracket still open was scanned to here
            steps += sum(at - start for start in squares + parentheses)
            if steps > BRACKET_STEPS:
                break
            squares, parentheses = [], []
            paragraph_line = body.count("\n", 0, token.end()) + 1
    if steps <= BRACKET_STEPS:
        return None
    return (f"has too many [ or ]( left open, or nested too deeply, in the paragraph at line {paragraph_line} of the "
            "text for it to be rendered in time; close each [ and (, or write \\[ for a bracket shown as it is")
