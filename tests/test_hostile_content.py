"""Content that is empty, invented, invisible or repeated ends in one located error, never in
"internal error" (issue 13, causes 3, 5, 7 and 9).

Each error is asserted as the exact line a contributor sees: `path:line:col: field: message`.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from site_builder import formats
from site_builder.fields import Record

from conftest import FIGURE, GOOD_EVENT, REPO, SITE_YAML, TinySite

PAGE = "---\ntitle: About\n---\nAbout this site.\n"


def check_errors(run_cli, *expected: str) -> None:
    """`check` fails with exactly these lines, then the summary line."""
    result = run_cli("check", "--site", ".")
    assert result.code == 1, result.err
    assert "internal error" not in result.err and "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert lines[:-1] == list(expected)
    files = len({line.split(":", 1)[0] for line in expected})
    assert lines[-1] == f"{files} file{'s' if files > 1 else ''}, {len(expected)} error{'s' if len(expected) > 1 else ''}"


def check_passes(run_cli) -> None:
    result = run_cli("check", "--site", ".")
    assert (result.code, result.err) == (0, ""), result.err


def with_empty(text: str, name: str, indent: str = "") -> str:
    """`text` with the field `name` given empty (`name:`), in place of any value it had."""
    kept = [line for line in text.splitlines() if not line.startswith(f"{indent}{name}:")]
    return "\n".join(kept) + f"\n{indent}{name}:\n"


def optional_fields(record: Record) -> list[str]:
    return [spec.name for spec in record.fields if not spec.required]


# -- Cause 3: an empty optional field is the same as leaving it out ------------------------
def test_the_reported_empty_fields_build_as_if_absent(tiny_site: TinySite, run_cli) -> None:
    tiny_site.write("site.yaml", SITE_YAML + "eras:\n")
    tiny_site.event("2025-01-01-empty", GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-01-01") + "location:\nactors:\nend_date:\n")
    result = run_cli("build", "--site", ".")
    assert (result.code, result.err) == (0, ""), result.err
    page = (tiny_site.root / "output/events/2025-01-01-empty/index.html").read_text(encoding="utf-8")
    assert "Politburo issues Resolution 57" in page


@pytest.mark.parametrize("name", optional_fields(formats.event_record(("party", "government"))))
def test_every_optional_event_field_may_be_empty(tiny_site: TinySite, run_cli, name: str) -> None:
    tiny_site.event("2024-12-22-resolution-57", with_empty(GOOD_EVENT, name))
    check_passes(run_cli)


@pytest.mark.parametrize("name", optional_fields(formats.SITE))
def test_every_optional_site_field_may_be_empty(tiny_site: TinySite, run_cli, name: str) -> None:
    tiny_site.write("site.yaml", with_empty(SITE_YAML, name))
    check_passes(run_cli)


@pytest.mark.parametrize("name", optional_fields(formats.figure_record()))
def test_every_optional_figure_field_may_be_empty(tiny_site: TinySite, run_cli, name: str) -> None:
    tiny_site.write("figures/economy.yaml", with_empty(FIGURE, name))
    check_passes(run_cli)


@pytest.mark.parametrize("name", optional_fields(formats.PAGE))
def test_every_optional_page_field_may_be_empty(tiny_site: TinySite, run_cli, name: str) -> None:
    tiny_site.write("content/about.md", PAGE.replace("title: About\n", f"title: About\n{name}:\n"))
    check_passes(run_cli)


@pytest.mark.parametrize("file, text", [
    ("events/2024-12-22-resolution-57.yaml", GOOD_EVENT + "    date:\n    language:\n    translated_title:\n"),
    ("events/2024-12-22-resolution-57.yaml", GOOD_EVENT + "corrections:\n  - date: 2025-01-02\n    text: A date was wrong.\n"
     "legislation:\n  identifier: 57-NQ/TW\n  passed_by: Politburo\n"),
    ("site.yaml", SITE_YAML + "    description:\n    translations:\n"
     "eras:\n  - label: First\n    start: 2024\n    end: 2025\n    translations:\n"),
    ("figures/economy.yaml", FIGURE.replace("    as_of: 2024\n", "    as_of: 2024\n    kind:\n    qualifier:\n    out_of:\n    set_by:\n")),
], ids=["source", "correction-and-legislation", "category-and-era", "figure-value"])
def test_empty_optional_fields_inside_lists_and_mappings(tiny_site: TinySite, run_cli, file: str, text: str) -> None:
    tiny_site.write(file, text)
    check_passes(run_cli)


def test_an_empty_required_field_is_still_a_located_error(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("2024-12-22-resolution-57", with_empty(GOOD_EVENT, "title"))
    check_errors(run_cli, "events/2024-12-22-resolution-57.yaml:9:7: title: expected text, found nothing (null)")
    tiny_site.write("site.yaml", SITE_YAML + "eras:\n  - label: First\n    start:\n    end: 2025\n")
    check_errors(run_cli, "site.yaml:14:11: eras[0].start: expected a date (YYYY, YYYY-MM or YYYY-MM-DD), found nothing (null)")


# -- Cause 5: no invented dates, no dates the build cannot draw ----------------------------
@pytest.mark.parametrize("text, expected", [
    ("date: 2025-00", "2:7: date: 2025-00 is not a valid date: there is no month 00; if the source gives no month, write the year alone (2025)"),
    ("date: 2025-06-00", "2:7: date: 2025-06-00 is not a valid date: there is no day 00; "
                         "if the source gives no day, write the year and month (2025-06)"),
    ("date: 2025-00-00", "2:7: date: 2025-00-00 is not a valid date: there is no month 00; if the source gives no month, write the year alone (2025)"),
    ("date: 9999-12-31", "2:7: date: 9999-12-31 is out of range: dates must fall in the years 1000 to 2999"),
    ("date: 0001-01-01", "2:7: date: 0001-01-01 is out of range: dates must fall in the years 1000 to 2999"),
    ("date: 0999", "2:7: date: 0999 is out of range: dates must fall in the years 1000 to 2999"),
    ("date: 3000-01", "2:7: date: 3000-01 is out of range: dates must fall in the years 1000 to 2999"),
    ("date: 2024-12-22\nend_date: 9999", "3:11: end_date: 9999 is out of range: dates must fall in the years 1000 to 2999"),
    ("date: 2024-12-22\nupdated: 2025-13-01", "3:10: updated: 2025-13-01 is not a valid date"),
], ids=["month-00", "day-00", "month-and-day-00", "9999-12-31", "0001-01-01", "year-999", "year-3000", "end-9999", "month-13"])
def test_dates_that_do_not_exist_or_cannot_be_drawn(tiny_site: TinySite, run_cli, text: str, expected: str) -> None:
    tiny_site.event("dates", GOOD_EVENT.replace("date: 2024-12-22", text))
    check_errors(run_cli, f"events/dates.yaml:{expected}")


def test_zero_months_and_days_are_refused_in_every_date_field(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("dates", GOOD_EVENT.replace("    url: https://news.test/article", "    url: https://news.test/article\n    date: 2024-00"))
    tiny_site.write("figures/economy.yaml", FIGURE.replace("as_of: 2024", "as_of: 2024-00"))
    check_errors(
        run_cli,
        "events/dates.yaml:10:11: sources[0].date: 2024-00 is not a valid date: there is no month 00; "
        "if the source gives no month, write the year alone (2024)",
        "figures/economy.yaml:6:12: values[0].as_of: 2024-00 is not a valid date: there is no month 00; "
        "if the source gives no month, write the year alone (2024)",
    )
    tiny_site.write("site.yaml", SITE_YAML + "eras:\n  - label: First\n    start: 2024-06-00\n    end: 2025\n")
    check_errors(run_cli, "site.yaml:14:12: eras[0].start: 2024-06-00 is not a valid date: there is no day 00; "
                          "if the source gives no day, write the year and month (2024-06)")


def test_the_first_and_last_days_of_the_supported_years_build(tiny_site: TinySite, run_cli) -> None:
    from site_builder.fields import EARLIEST_YEAR, LATEST_YEAR

    assert f"years {EARLIEST_YEAR} to {LATEST_YEAR}" in (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    tiny_site.write("site.yaml", SITE_YAML + "eras:\n  - label: All of it\n    start: 1000\n    end: 2999-12-31\n")
    tiny_site.event("1000-01-01-first", GOOD_EVENT.replace("2024-12-22", "1000-01-01"))
    tiny_site.event("2999-last", GOOD_EVENT.replace("date: 2024-12-22", "date: 2999-12-31\nend_date: 2999\nkind: target"))
    result = run_cli("build", "--site", ".")
    assert (result.code, result.err) == (0, ""), result.err
    assert (tiny_site.root / "output/events/2999-last/index.html").exists()


# -- Cause 7: a character YAML refuses is reported where it is ----------------------------
@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\ufffe"], ids=["NUL", "BEL", "ESC", "U+FFFE"])
def test_a_forbidden_character_is_reported_at_its_line_and_column(tiny_site: TinySite, run_cli, character: str) -> None:
    tiny_site.event("control", GOOD_EVENT.replace("summary: The Politburo", f"summary: The Polit{character}buro"))
    kind = "character" if character == "\ufffe" else "control character"
    check_errors(run_cli, f"events/control.yaml:5:19: the {kind} U+{ord(character):04X} is not allowed in a YAML file; "
                          "delete it (most editors do not show it)")


def test_the_column_counts_characters_not_bytes(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("control", GOOD_EVENT + "location: Hải Phòng, Việt Nam\x07\n")
    tiny_site.write("content/about.md", "---\ntitle: Giới thiệu\ndescription: Về trang\x00\n---\nText.\n")
    check_errors(
        run_cli,
        "content/about.md:3:22: the control character U+0000 is not allowed in a YAML file; delete it (most editors do not show it)",
        "events/control.yaml:10:30: the control character U+0007 is not allowed in a YAML file; delete it (most editors do not show it)",
    )
    tiny_site.write("site.yaml", SITE_YAML.replace("title: Test timeline", "title: Dòng thời gian\x07"))
    check_errors(run_cli, "site.yaml:1:22: the control character U+0007 is not allowed in a YAML file; delete it (most editors do not show it)")


def test_lines_are_counted_as_yaml_counts_them(tiny_site: TinySite, run_cli) -> None:
    """Windows line ends are one break, not two, as in every other position reported."""
    text = (GOOD_EVENT + "location: Hanoi\x07\n").replace("\n", "\r\n")
    tiny_site.write("events/crlf.yaml", text.encode("utf-8"))
    check_errors(run_cli, "events/crlf.yaml:10:16: the control character U+0007 is not allowed in a YAML file; delete it (most editors do not show it)")


def test_a_control_character_written_as_an_escape_is_refused(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("escape", GOOD_EVENT.replace("title: Politburo issues Resolution 57", 'title: "Politburo\\a issues\\e[31m"'))
    check_errors(run_cli, "events/escape.yaml:1:8: title: contains the control character U+0007; remove it")


def test_a_refused_file_leaves_the_previous_output_untouched(tiny_site: TinySite, run_cli) -> None:
    assert run_cli("build", "--site", ".").code == 0
    home = tiny_site.root / "output/index.html"
    before = home.read_bytes()
    tiny_site.event("control", GOOD_EVENT.replace("summary: The Politburo", "summary: The Polit\x00buro"))
    result = run_cli("build", "--site", ".")
    assert result.code == 1
    assert result.err.splitlines()[0].startswith("events/control.yaml:5:19: the control character U+0000")
    assert home.read_bytes() == before


# -- Cause 9: text nobody can see, and a related event listed twice -----------------------
@pytest.mark.parametrize("invisible, named", [
    ("\u200b", "U+200B"),  # zero-width space
    ("\u200b \u200c\u200d", "U+200B, U+200C, U+200D"),  # and joiners, with a space between
    ("\u2060\ufeff", "U+2060, U+FEFF"),  # word joiner, zero-width no-break space
    ("\u00ad", "U+00AD"),  # soft hyphen
    ("\u3164", "U+3164"),  # Hangul filler, a 'letter' that draws nothing
    ("\u2800\u2800", "U+2800"),  # Braille blank
    ("\u202e\u200f", "U+202E, U+200F"),  # direction marks
], ids=["zwsp", "zwsp-zwnj-zwj", "wj-bom", "soft-hyphen", "hangul-filler", "braille-blank", "bidi"])
def test_a_title_of_invisible_characters_is_empty(tiny_site: TinySite, run_cli, invisible: str, named: str) -> None:
    tiny_site.event("blank", GOOD_EVENT.replace("Politburo issues Resolution 57", invisible))
    check_errors(run_cli, f"events/blank.yaml:1:8: title: must not be empty: it has only invisible characters ({named})")


def test_invisible_text_is_refused_in_every_text_field(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("blank", GOOD_EVENT.replace("publisher: A publisher", 'publisher: "\\u200B"')
                    .replace("url: https://news.test/article", "url: https://news.test/\u200barticle") + "actors:\n  - \u200b\u200b\n")
    tiny_site.write("content/about.md", PAGE.replace("title: About", "title: \u2060"))
    check_errors(
        run_cli,
        "content/about.md:2:8: title: must not be empty: it has only invisible characters (U+2060)",
        "events/blank.yaml:8:16: sources[0].publisher: must not be empty: it has only invisible characters (U+200B)",
        "events/blank.yaml:9:10: sources[0].url: 'https://news.test/<U+200B>article' is not an http(s) URL",
        "events/blank.yaml:11:5: actors[0]: must not be empty: it has only invisible characters (U+200B)",
    )


def test_text_with_something_visible_is_kept(tiny_site: TinySite, run_cli) -> None:
    """Decomposed Vietnamese (a letter and its combining marks) and a joiner inside a word are text."""
    tiny_site.event("2024-12-22-resolution-57", GOOD_EVENT.replace("Politburo issues Resolution 57", "Nghi\u0323 quye\u0302\u0301t 57")
                    + "location: Hà\u200bNội\n")
    check_passes(run_cli)


def test_a_related_event_listed_twice_is_an_error_at_the_second(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("2025-01-01-follow-up", GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-01-01") + (
        "related:\n  - 2024-12-22-resolution-57\n  - 2024-12-22-resolution-75\n  - 2024-12-22-resolution-57\n"
        "  - 2024-12-22-resolution-75\n"))
    check_errors(
        run_cli,
        "events/2025-01-01-follow-up.yaml:12:5: related[1]: no event with slug '2024-12-22-resolution-75' (did you mean '2024-12-22-resolution-57'?)",
        "events/2025-01-01-follow-up.yaml:13:5: related[2]: '2024-12-22-resolution-57' is listed twice (first given as related[0] on line 11)",
        "events/2025-01-01-follow-up.yaml:14:5: related[3]: '2024-12-22-resolution-75' is listed twice (first given as related[1] on line 12)",
    )


def test_a_value_quoted_in_a_message_shows_what_cannot_be_seen(tiny_site: TinySite, run_cli) -> None:
    """A zero-width space becomes findable, and an escape sequence never reaches the terminal."""
    tiny_site.event("quoted", GOOD_EVENT.replace("category: party", 'category: "\\e[31mparty"')
                    .replace("date: 2024-12-22", "date: 2024-12-22\u200b") + "summary\u200b: x\n")
    check_errors(
        run_cli,
        "events/quoted.yaml:2:7: date: '2024-12-22<U+200B>' is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD",
        "events/quoted.yaml:3:11: category: '<U+001B>[31mparty' is not a known category (did you mean 'party'?); choose one of: party, government",
        "events/quoted.yaml:10:1: summary<U+200B>: unknown field (did you mean 'summary'?)",
    )


# -- Sources: what the Nu HTML Checker would refuse on the page -----------------------------
def test_a_source_language_that_is_no_language_is_refused(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("2024-12-22-resolution-57", GOOD_EVENT + "    language: zz\n")
    check_errors(run_cli, "events/2024-12-22-resolution-57.yaml:10:15: sources[0].language: "
                          "'zz' is not a known language code; use one such as en, vi or fr")


def test_a_source_url_is_written_as_a_valid_address(tiny_site: TinySite, run_cli) -> None:
    pasted = "https://news.test/search?q=a|b&tag=[57]#part{2}"
    tiny_site.event("2024-12-22-resolution-57", GOOD_EVENT.replace("https://news.test/article", f'"{pasted}"'))
    result = run_cli("build", "--site", ".")
    assert (result.code, result.err) == (0, ""), result.err
    page = (tiny_site.root / "output/events/2024-12-22-resolution-57/index.html").read_text(encoding="utf-8")
    assert 'href="https://news.test/search?q=a%7Cb&amp;tag=%5B57%5D#part%7B2%7D"' in page
    assert pasted not in page


def test_a_source_url_with_an_impossible_host_is_refused(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("2024-12-22-resolution-57", GOOD_EVENT.replace("https://news.test/article", "https://news..test/article"))
    check_errors(run_cli, "events/2024-12-22-resolution-57.yaml:9:10: sources[0].url: 'https://news..test/article' is not an http(s) URL")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.text(alphabet=st.characters(max_codepoint=0x7f), max_size=12)
       | st.text(alphabet=st.sampled_from(" a~\t\x7f\u200b\u00a0é")))  # a space or one odd character among printable ones
@example("a b")
@example("a\tb")
@example("a\u200bb")
@example("https://news.test/a")
def test_plain_ascii_is_judged_visible_and_quoted_as_character_by_character(text: str) -> None:
    """all_visible and shown decide plain ASCII at C speed; they must agree with the rule
    applied one character at a time (what every other text goes through)."""
    from site_builder.textcheck import all_visible, code_point, is_visible, shown

    assert all_visible(text) == all(is_visible(character) for character in text)
    assert shown(text) == "".join(character if is_visible(character) or character == " " else f"<{code_point(character)}>" for character in text)
