"""Every kind of bad input gets one exact, located message and exit code 1."""

from __future__ import annotations

import pytest
import yaml

from conftest import GOOD_EVENT, TinySite


def check_errors(run_cli, *expected: str) -> None:
    result = run_cli("check", "--site", ".")
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert lines[:-1] == list(expected)
    files = len({line.split(":", 1)[0] for line in expected})
    assert lines[-1] == f"{files} file{'s' if files > 1 else ''}, {len(expected)} error{'s' if len(expected) > 1 else ''}"


def test_valid_site_passes(tiny_site: TinySite, run_cli) -> None:
    result = run_cli("check", "--site", ".")
    assert (result.code, result.err) == (0, "")
    assert result.out == "1 event, 1 page: no problems found\n"


def test_yaml_syntax_error(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("bad", "title: A\ndate: 2025-01-01\nsummary: [unclosed\ncategory: party\n")
    message = "did not find expected ',' or ']'" if yaml.__with_libyaml__ else "expected ',' or ']', but got ':'"
    check_errors(run_cli, f"events/bad.yaml:4:9: YAML syntax error: {message}")


def test_not_utf8(tiny_site: TinySite, run_cli) -> None:
    tiny_site.write("events/latin1.yaml", "title: Caf\xe9\n".encode("latin-1"))
    check_errors(run_cli, "events/latin1.yaml:1:11: file is not valid UTF-8 (byte 0xe9); save it as UTF-8")


def test_empty_file(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("empty", "# only a comment\n")
    check_errors(run_cli, "events/empty.yaml:1:1: file is empty; an event needs title, date, category, summary and sources")


def test_top_level_must_be_a_mapping(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("list", "- title: A\n- date: 2025\n")
    check_errors(run_cli, "events/list.yaml:1:1: expected a mapping of fields (key: value), found a list")


def test_missing_required_fields(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("missing", "title: A\ndate: 2025\ncategory: party\n")
    check_errors(
        run_cli,
        "events/missing.yaml:1:1: sources: required field is missing",
        "events/missing.yaml:1:1: summary: required field is missing",
    )


def test_wrong_types(tiny_site: TinySite, run_cli) -> None:
    text = GOOD_EVENT.replace("title: Politburo issues Resolution 57", "title: 2025").replace(
        "importance: 1", "importance: yes\ntags: science"
    )
    tiny_site.event("types", text)
    check_errors(
        run_cli,
        "events/types.yaml:1:8: title: expected text, found a whole number (put it in quotes)",
        "events/types.yaml:4:13: importance: expected one of 1, 2, 3, found yes/no (a boolean)",
        "events/types.yaml:5:7: tags: expected a list, found text",
    )


def test_impossible_date(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("feb", GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-02-30"))
    check_errors(run_cli, "events/feb.yaml:2:7: date: 2025-02-30 is not a valid date")


def test_date_in_another_form(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("form", GOOD_EVENT.replace("date: 2024-12-22", "date: 22 December 2024"))
    check_errors(run_cli, "events/form.yaml:2:7: date: '22 December 2024' is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")


def test_month_precision_date_is_kept(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("month", GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-08"))
    assert run_cli("check", "--site", ".").code == 0


def test_end_date_before_date(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("span", GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-03-01\nend_date: 2025-02"))
    check_errors(run_cli, "events/span.yaml:3:11: end_date: 2025-02 is before date 2025-03-01")


def test_unknown_category(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("cat", GOOD_EVENT.replace("category: party", "category: goverment"))
    check_errors(
        run_cli,
        "events/cat.yaml:3:11: category: 'goverment' is not a known category (did you mean 'government'?); choose one of: party, government",
    )


def test_duplicate_slug(tiny_site: TinySite, run_cli) -> None:
    tiny_site.write("events/2025/2024-12-22-resolution-57.yml", GOOD_EVENT)
    check_errors(
        run_cli,
        "events/2025/2024-12-22-resolution-57.yml:1:1: slug: '2024-12-22-resolution-57' is already used by events/2024-12-22-resolution-57.yaml; rename one of the files",
    )


def test_invalid_slug(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("Hải Phòng conference")
    check_errors(
        run_cli,
        "events/Hải Phòng conference.yaml:1:1: slug: file name 'Hải Phòng conference' is not a valid slug; "
        "use lowercase letters, digits and hyphens, e.g. 'hai-phong-conference'",
    )


def test_related_must_exist(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("rel", GOOD_EVENT + "related:\n  - 2024-12-22-resolution-57\n  - 2024-12-22-resolution-75\n")
    check_errors(
        run_cli,
        "events/rel.yaml:12:5: related[1]: no event with slug '2024-12-22-resolution-75' (did you mean '2024-12-22-resolution-57'?)",
    )


def test_source_url_must_be_http(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("url", GOOD_EVENT.replace("https://news.test/article", "javascript:alert(1)"))
    check_errors(run_cli, "events/url.yaml:9:10: sources[0].url: 'javascript:alert(1)' is not an http(s) URL")


def test_at_least_one_source(tiny_site: TinySite, run_cli) -> None:
    text = GOOD_EVENT.split("sources:")[0] + "sources: []\n"
    tiny_site.event("nosource", text)
    check_errors(run_cli, "events/nosource.yaml:6:10: sources: needs at least 1 item")


def test_bad_importance(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("imp", GOOD_EVENT.replace("importance: 1", "importance: 5"))
    check_errors(run_cli, "events/imp.yaml:4:13: importance: '5' is not a known importance; choose one of: 1, 2, 3")


def test_unknown_key(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("typo", GOOD_EVENT.replace("title:", "titel:", 1))
    check_errors(
        run_cli,
        "events/typo.yaml:1:1: titel: unknown field (did you mean 'title'?)",
        "events/typo.yaml:1:1: title: required field is missing",
    )


def test_duplicate_key(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("twice", GOOD_EVENT + "date: 2025-01-01\n")
    check_errors(run_cli, "events/twice.yaml:10:1: date: duplicate field (first given on line 2)")


def test_summary_is_one_paragraph(tiny_site: TinySite, run_cli) -> None:
    text = GOOD_EVENT.replace("summary: The Politburo issued Resolution No. 57-NQ/TW.", "summary: |\n  One.\n\n  Two.")
    tiny_site.event("para", text)
    check_errors(run_cli, "events/para.yaml:5:10: summary: must be one paragraph (no blank lines); put more in 'body'")


def test_stray_file_in_events_is_reported(tiny_site: TinySite, run_cli) -> None:
    tiny_site.write("events/notes.txt", "remember to add the law\n")
    check_errors(run_cli, "events/notes.txt:1:1: not an event file: event files are YAML and end in .yaml (found 'notes.txt')")


def test_page_needs_front_matter(tiny_site: TinySite, run_cli) -> None:
    tiny_site.write("content/methodology.md", "# Methodology\n")
    check_errors(run_cli, "content/methodology.md:1:1: a page must start with front matter: '---', 'title: ...', '---'")


def test_page_front_matter_lines_count_from_the_file_start(tiny_site: TinySite, run_cli) -> None:
    tiny_site.write("content/methodology.md", "---\ntitle: Methodology\nordre: 2\n---\nText\n")
    check_errors(run_cli, "content/methodology.md:3:1: ordre: unknown field (did you mean 'order'?)")


def test_site_yaml_errors_have_lines(tiny_site: TinySite, run_cli) -> None:
    text = (tiny_site.root / "site.yaml").read_text().replace('"#1f5f9e"', "blue").replace("base_url:", "base_ulr:").replace(
        "standfirst:", "standfrist:")
    tiny_site.write("site.yaml", text)
    check_errors(
        run_cli,
        "site.yaml:1:1: standfirst: required field is missing",
        "site.yaml:2:1: standfrist: unknown field (did you mean 'standfirst'?)",
        "site.yaml:4:1: base_ulr: unknown field (did you mean 'base_url'?)",
        "site.yaml:11:13: categories[1].colour: 'blue' is not a colour such as #1f5f9e",
    )


def test_all_errors_of_all_files_in_one_run_sorted(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("b-second", GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-13").replace("party", "partyy"))
    tiny_site.event("a-first", GOOD_EVENT.replace("https://news.test/article", "ftp://example"))
    check_errors(
        run_cli,
        "events/a-first.yaml:9:10: sources[0].url: 'ftp://example' is not an http(s) URL",
        "events/b-second.yaml:2:7: date: 2025-13 is not a valid date",
        "events/b-second.yaml:3:11: category: 'partyy' is not a known category (did you mean 'party'?); choose one of: party, government",
    )


def test_json_format_for_tools(tiny_site: TinySite, run_cli) -> None:
    import json

    tiny_site.event("feb", GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-02-30"))
    result = run_cli("check", "--site", ".", "--format", "json")
    assert result.code == 1
    assert json.loads(result.out) == {
        "ok": False,
        "problems": [{"path": "events/feb.yaml", "line": 2, "column": 7, "field": "date", "message": "2025-02-30 is not a valid date",
                      "severity": "error"}],
    }


@pytest.mark.parametrize("value", ["no", "1e3", "2025-02-19T10:00:00"])
def test_yaml_11_surprises_are_refused_as_titles_or_dates(tiny_site: TinySite, run_cli, value: str) -> None:
    tiny_site.event("odd", GOOD_EVENT.replace("date: 2024-12-22", f"date: {value}"))
    result = run_cli("check", "--site", ".")
    assert result.code == 1
    assert result.err.startswith("events/odd.yaml:2:7: date: ")


# -- Warnings, --strict and plain-language YAML errors ---------------------------------------
def test_placeholder_text_warns_and_strict_refuses(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("todo", GOOD_EVENT.replace("summary: The Politburo issued Resolution No. 57-NQ/TW.", "summary: TODO"))
    result = run_cli("check", "--site", ".")
    assert result.code == 0
    assert result.err == "events/todo.yaml:5:10: warning: summary: placeholder text 'TODO' left in the file; replace it before publishing\n1 file, 1 warning\n"
    assert result.out == "2 events, 1 page: no errors, 1 warning (--strict makes warnings errors)\n"
    strict = run_cli("check", "--site", ".", "--strict")
    assert strict.code == 1
    assert strict.err == "events/todo.yaml:5:10: summary: placeholder text 'TODO' left in the file; replace it before publishing\n1 file, 1 error\n"
    assert run_cli("build", "--site", ".", "--strict").code == 1
    assert not (tiny_site.root / "output").exists()
    assert run_cli("build", "--site", ".").code == 0


def test_placeholders_are_found_where_they_sit(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("spots", GOOD_EVENT.replace("https://news.test/article", "https://www.example.com/story") + (
        "body: |\n  A first paragraph.\n\n  More to come, FIXME before Friday.\n"))
    tiny_site.write("content/about.md", "---\ntitle: About\ndescription: TBD\n---\nAbout.\n\nLorem ipsum dolor.\n")
    tiny_site.write("site.yaml", (tiny_site.root / "site.yaml").read_text().replace("https://news.test/timeline/", "https://example.org/t/"))
    result = run_cli("check", "--site", ".")
    assert result.code == 0
    assert result.err.splitlines() == [
        "content/about.md:3:14: warning: description: placeholder text 'TBD' left in the file; replace it before publishing",
        "content/about.md:7:1: warning: placeholder text 'Lorem ipsum' left in the file; replace it before publishing",
        "events/spots.yaml:9:10: warning: sources[0].url: 'https://www.example.com/story' is a placeholder address (reserved for examples); use the real one",
        "events/spots.yaml:13:17: warning: body: placeholder text 'FIXME' left in the file; replace it before publishing",
        "site.yaml:4:11: warning: base_url: 'https://example.org/t/' is a placeholder address (reserved for examples); use the real one",
        "3 files, 5 warnings",
    ]


def test_no_base_or_repository_url_is_not_a_warning(tiny_site: TinySite, run_cli) -> None:
    tiny_site.write("site.yaml", (tiny_site.root / "site.yaml").read_text().replace("base_url: https://news.test/timeline/\n", ""))
    result = run_cli("check", "--site", ".", "--strict")
    assert (result.code, result.err) == (0, "")


def test_json_stays_pure_json_on_github_actions(tiny_site: TinySite, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    tiny_site.event("feb", GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-02-30").replace("summary: The", "summary: TODO The"))
    result = run_cli("check", "--site", ".", "--format", "json")
    assert result.code == 1 and result.err == ""
    document = json.loads(result.out)  # one document and nothing else: json.loads refuses trailing text
    assert [(p["line"], p["severity"]) for p in document["problems"]] == [(2, "error"), (5, "warning")]
    tiny_site.event("feb", GOOD_EVENT.replace("summary: The", "summary: TODO The"))
    result = run_cli("check", "--site", ".", "--format", "json")
    assert result.code == 0 and result.err == ""
    assert json.loads(result.out) == {"ok": True, "events": 2, "pages": 1, "translations": {}, "problems": [
        {"path": "events/feb.yaml", "line": 5, "column": 10, "field": "summary", "severity": "warning",
         "message": "placeholder text 'TODO' left in the file; replace it before publishing"}]}


def test_cross_file_problems_come_in_the_same_run_as_the_file_s_own(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("2025-01-01-broken", GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-02-30").replace(
        "category: party", "category: partie") + "related: [2024-12-22-resolution-75]\n")
    check_errors(
        run_cli,
        "events/2025-01-01-broken.yaml:2:7: date: 2025-02-30 is not a valid date",
        "events/2025-01-01-broken.yaml:3:11: category: 'partie' is not a known category (did you mean 'party'?); choose one of: party, government",
        "events/2025-01-01-broken.yaml:10:11: related[0]: no event with slug '2024-12-22-resolution-75' (did you mean '2024-12-22-resolution-57'?)",
    )


@pytest.mark.parametrize("text, expected", [
    ("title: Resolution 57: the first year\n",
     "1:21: YAML syntax error: the value of 'title' contains ': ', which YAML reads as a new field; put the whole value in quotes, e.g. title: \"…: …\""),
    ("title: A\n\tdate: 2025\n", "2:1: YAML syntax error: a tab is used for indentation here; YAML needs spaces (indent with two spaces)"),
    ("title: A\n  date: 2025\n",
     "2:7: YAML syntax error: this line is indented more than the field above it; fields at the same level must start in the same column"),
    ("title: A\nsources:\n  - title: x\n   publisher: y\n",
     "4:4: YAML syntax error: the indentation of this line does not match the lines above it; fields of the same item must start in the same column"),
    ("title: \"unclosed\ndate: 2025\n", "3:1: YAML syntax error: a quoted value that starts on line 1 is never closed; add the closing quotation mark"),
])
def test_yaml_syntax_errors_in_plain_words(tiny_site: TinySite, run_cli, text: str, expected: str) -> None:
    tiny_site.event("syntax", text)
    check_errors(run_cli, f"events/syntax.yaml:{expected}")
