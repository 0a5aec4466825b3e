"""Markdown bodies have a documented size (issue 13): one over it is refused with a located
error and nothing is written; one at it builds, and renders in well under a second.

Python-Markdown's passes are quadratic in a body's blocks and inline marks (a 100,000-line
body took minutes), so the limits in `formats` are set where the slowest shapes found still
render in about 0.3 s; the bound asserted here is 1 s.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from site_builder.formats import BODY_LENGTH, BODY_LINES
from site_builder.markup import MarkdownRenderer
from site_builder.textcheck import bracket_problem

from conftest import GOOD_EVENT, TinySite

BODY_LINE = GOOD_EVENT.count("\n") + 1  # `body: |` comes after the good event's fields


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def with_body(body: str) -> str:
    return GOOD_EVENT + "body: |\n" + "".join(f"  {line}\n" if line else "\n" for line in body.split("\n"))


def padded(lines: list[str], filler: str = " *a*") -> str:
    """The lines, the last one lengthened with `filler` to exactly BODY_LENGTH characters."""
    text = "\n".join(lines)
    room = BODY_LENGTH - len(text)
    assert room >= 0
    return text + (filler * (room // len(filler) + 1))[:room]


# The slowest shapes measured, each at both limits where it can reach them.
AT_THE_LIMIT = {
    "paragraphs": padded(["p" if index % 2 == 0 else "" for index in range(BODY_LINES - 1)] + ["p"]),
    "table": padded(["|a|b|", "|-|-|"] + ["|1|2|"] * (BODY_LINES - 2), " `a`"),
    "list": padded(["- x"] * BODY_LINES),
    "emphasis": padded([""], "*a* ").lstrip("\n"),
    "abbreviations": padded([f"*[A{index}]: a" for index in range(200)] + ["A1"], " A1"),
}


# Brackets Python-Markdown scans for a match to the end of the paragraph (15 s for 10,000 `[`):
# each unit repeated as often as `bracket_problem` accepts, the rest of the body filled with text.
BRACKET_UNITS = ["[", "[ ", "![", "[^", "[a](", "[x][", "[a](b", "[[]"]


def bracket_body(unit: str, count: int) -> str:
    return padded([unit * count], " a")


def largest_accepted(unit: str) -> int:
    low, high = 0, BODY_LENGTH // len(unit)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if bracket_problem(bracket_body(unit, middle)) is None else (low, middle - 1)
    return low


def bracket_message(line: int) -> str:
    return (f"body: has too many [ or ]( left open, or nested too deeply, in the paragraph at line {line} of the text for "
            "it to be rendered in time; close each [ and (, or write \\[ for a bracket shown as it is")


@pytest.fixture
def built(tiny_site: TinySite, run_cli) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """A first good build: a refused body must leave this output as it is."""
    assert run_cli("build", "--site", ".").code == 0
    return snapshot(tiny_site.root / "output")


def refused(tiny_site: TinySite, run_cli, built: dict[str, bytes], error: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build", "--site", ".")
    assert result.code == 1
    assert result.err.splitlines() == [error, "1 file, 1 error; nothing was written"]
    assert snapshot(tiny_site.root / "output") == built


def test_the_shapes_are_at_the_limits() -> None:
    for name, body in AT_THE_LIMIT.items():
        assert len(body) == BODY_LENGTH, name
        assert body.count("\n") + 1 <= BODY_LINES, name
    assert {name for name, body in AT_THE_LIMIT.items() if body.count("\n") + 1 == BODY_LINES} == {"paragraphs", "table", "list"}


def test_an_event_body_one_character_over_is_refused(tiny_site: TinySite, run_cli, built: dict[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    tiny_site.event("2024-12-22-resolution-57", with_body("a" * (BODY_LENGTH + 1)))
    refused(tiny_site, run_cli, built,
            f"events/2024-12-22-resolution-57.yaml:{BODY_LINE}:7: body: is 10001 characters long; the limit is 10000")


def test_an_event_body_one_line_over_is_refused(tiny_site: TinySite, run_cli, built: dict[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    tiny_site.event("2024-12-22-resolution-57", with_body("\n".join(["- x"] * (BODY_LINES + 1))))
    refused(tiny_site, run_cli, built,
            f"events/2024-12-22-resolution-57.yaml:{BODY_LINE}:7: body: is 1001 lines long; the limit is 1000")


def test_a_page_one_character_over_is_refused(tiny_site: TinySite, run_cli, built: dict[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    tiny_site.write("content/about.md", "---\ntitle: About\n---\n" + "a" * (BODY_LENGTH + 1) + "\n")
    refused(tiny_site, run_cli, built, "content/about.md:4:1: body: is 10001 characters long; the limit is 10000")


def test_a_page_one_line_over_is_refused(tiny_site: TinySite, run_cli, built: dict[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    tiny_site.write("content/about.md", "---\ntitle: About\n---\n" + "x\n\n" * (BODY_LINES // 2) + "x\n")
    refused(tiny_site, run_cli, built, "content/about.md:4:1: body: is 1001 lines long; the limit is 1000")


def test_bodies_at_the_limits_build(tiny_site: TinySite, run_cli) -> None:  # type: ignore[no-untyped-def]
    for name, body in AT_THE_LIMIT.items():
        tiny_site.event(f"2024-12-22-{name}", with_body(body))
    tiny_site.write("content/about.md", "---\ntitle: About\n---\n" + AT_THE_LIMIT["paragraphs"] + "\n")
    result = run_cli("build", "--site", ".")
    assert (result.code, result.err) == (0, ""), result.err
    assert "<table>" in (tiny_site.root / "output/events/2024-12-22-table/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", AT_THE_LIMIT)
def test_a_body_at_the_limits_renders_in_under_a_second(name: str) -> None:
    render = MarkdownRenderer()
    render("A first *body*, so that loading the extensions is not timed.")
    started = time.perf_counter()
    html = render(AT_THE_LIMIT[name])
    elapsed = time.perf_counter() - started
    assert html
    assert elapsed < 1.0, f"{name}: {elapsed:.2f} s"


@pytest.mark.parametrize("unit", BRACKET_UNITS)
def test_the_most_brackets_accepted_render_in_under_a_second(unit: str) -> None:
    count = largest_accepted(unit)
    assert count >= 20, "a few brackets left open in the longest paragraph are accepted"
    assert bracket_problem(bracket_body(unit, count + 1)) is not None
    render = MarkdownRenderer()
    render("A first *body*, so that loading the extensions is not timed.")
    started = time.perf_counter()
    render(bracket_body(unit, count))
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{unit!r} x {count}: {elapsed:.2f} s"


def test_an_event_body_of_open_brackets_is_refused(tiny_site: TinySite, run_cli, built: dict[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    tiny_site.event("2024-12-22-resolution-57", with_body("An opening.\n\n" + "[" * 5000))
    refused(tiny_site, run_cli, built, f"events/2024-12-22-resolution-57.yaml:{BODY_LINE}:7: {bracket_message(3)}")


def test_a_page_of_unclosed_link_addresses_is_refused(tiny_site: TinySite, run_cli, built: dict[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    tiny_site.write("content/about.md", "---\ntitle: About\n---\n" + "[a](" * 2000 + "\n")
    refused(tiny_site, run_cli, built, f"content/about.md:4:1: {bracket_message(1)}")


def test_links_and_escaped_brackets_in_a_long_body_are_accepted() -> None:
    prose = "See [the decree](https://example.com/a_(b)) and [its annex][1] (in Vietnamese), \\[sic\\].\n\n"
    body = prose * (BODY_LENGTH // len(prose)) + "[1]: https://example.com/annex"
    assert bracket_problem(body[:BODY_LENGTH]) is None
    assert bracket_problem("\\[" * 3000) is None
