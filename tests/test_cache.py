"""The build's cache: a build with nothing changed writes nothing; an unchanged file keeps
its modification time; --no-cache and `clean`; a damaged cache entry is never published.
(That a cached build equals an uncached one after any sequence of edits is tested in
test_registry.py.)"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIGURE, GOOD_EVENT, TinySite

CACHE = ".site-builder-cache"
UP_TO_DATE = re.compile(r"Nothing changed since the last build: 1 events, 10 pages \((\d+) files\) are up to date \(checked in \d+\.\d\d s\)\n")
BUILT = re.compile(r"Built 1 events into 10 pages \((\d+) files\) in ")


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def times_of(folder: Path) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_mtime_ns for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_build_with_nothing_changed_writes_nothing(tiny_site: TinySite, run_cli) -> None:
    first = run_cli("build", "--site", ".")
    assert first.code == 0 and BUILT.match(first.out)
    output = tiny_site.root / "output"
    times = times_of(output)
    again = run_cli("build", "--site", ".")
    assert again.code == 0
    found = UP_TO_DATE.fullmatch(again.out)
    assert found and int(found.group(1)) == int(BUILT.match(first.out).group(1))  # type: ignore[union-attr]
    assert times_of(output) == times


def test_the_warnings_of_the_last_build_are_shown_again(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("2025-01-01-unfinished", GOOD_EVENT.replace("summary:", "summary: TODO", 1))
    first, again = run_cli("build", "--site", "."), run_cli("build", "--site", ".")
    assert "up to date" in again.out and "TODO" in first.err
    assert again.err == first.err


def test_after_an_edit_unchanged_files_keep_their_time_and_changed_ones_are_new(tiny_site: TinySite, run_cli) -> None:
    assert run_cli("build", "--site", ".").code == 0
    output = tiny_site.root / "output"
    times = times_of(output)
    event = next((tiny_site.root / "events").glob("*.yaml"))
    event.write_text(event.read_text(encoding="utf-8").replace("summary: ", "summary: Newly, ", 1), encoding="utf-8")
    result = run_cli("build", "--site", ".")
    assert result.code == 0 and result.out.startswith("Built 1 events")
    now = times_of(output)
    page = f"events/{event.stem}/index.html"
    assert b"Newly, " in (output / page).read_bytes() and now[page] != times[page]
    kept = [name for name in times if now.get(name) == times[name]]
    assert "static/css/site.css" in kept and "robots.txt" in kept and "data/events.csv" not in kept


def test_a_file_changed_in_the_output_by_hand_is_put_back(tiny_site: TinySite, run_cli) -> None:
    assert run_cli("build", "--site", ".").code == 0
    output = tiny_site.root / "output"
    built = files_of(output)
    (output / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    (output / "extra.html").write_text("<p>left by hand</p>", encoding="utf-8")
    result = run_cli("build", "--site", ".")
    assert result.code == 0 and result.out.startswith("Built 1 events")
    assert files_of(output) == built


def test_no_cache_builds_the_same_site_and_leaves_no_cache(tiny_site: TinySite, run_cli, tmp_path: Path) -> None:
    assert run_cli("build", "--site", ".", "--no-cache", "--output", str(tmp_path / "plain")).code == 0
    assert not (tiny_site.root / CACHE).exists()
    assert run_cli("build", "--site", ".", "--output", str(tmp_path / "cached")).code == 0
    assert (tiny_site.root / CACHE / "share-cards").is_dir()
    again = run_cli("build", "--site", ".", "--no-cache", "--output", str(tmp_path / "cached"))
    assert again.out.startswith("Built 1 events")  # not "up to date": the record is not read either
    assert files_of(tmp_path / "plain") == files_of(tmp_path / "cached")


def test_a_damaged_cached_card_is_drawn_again(tiny_site: TinySite, run_cli, tmp_path: Path) -> None:
    assert run_cli("build", "--site", ".", "--output", str(tmp_path / "first")).code == 0
    cards = sorted((tiny_site.root / CACHE / "share-cards").glob("*.png"))
    assert len(cards) == 2  # the event's and the home page's
    whole = cards[0].read_bytes()
    cards[0].write_bytes(whole[: len(whole) // 2])  # truncated, as by a full disk
    cards[1].write_bytes(b"")
    assert run_cli("build", "--site", ".", "--output", str(tmp_path / "second")).code == 0
    assert files_of(tmp_path / "second") == files_of(tmp_path / "first")
    assert cards[0].read_bytes() == whole


def test_a_damaged_build_record_is_ignored(tiny_site: TinySite, run_cli) -> None:
    assert run_cli("build", "--site", ".").code == 0
    output = tiny_site.root / "output"
    built = files_of(output)
    for record in (tiny_site.root / CACHE / "builds").glob("*.json"):
        record.write_text(record.read_text(encoding="utf-8")[:40], encoding="utf-8")
    (output / "index.html").write_text("changed by hand", encoding="utf-8")
    result = run_cli("build", "--site", ".")
    assert result.code == 0 and result.out.startswith("Built 1 events")
    assert files_of(output) == built


def test_clean_removes_the_built_site_and_the_cache(tiny_site: TinySite, run_cli) -> None:
    assert run_cli("build", "--site", ".").code == 0
    result = run_cli("clean", "--site", ".")
    assert (result.code, result.out) == (0, "Removed output and .site-builder-cache.\n")
    assert sorted(os.listdir(tiny_site.root)) == ["content", "events", "site.yaml"]
    assert run_cli("clean", "--site", ".").out == "Nothing to remove.\n"


def test_clean_leaves_a_folder_no_build_made(tiny_site: TinySite, run_cli) -> None:
    mine = tiny_site.write("output/notes.txt", "mine")
    result = run_cli("clean", "--site", ".")
    assert result.code == 2
    assert "was not made by site-builder" in result.err
    assert mine.read_text() == "mine"


def test_damaged_or_foreign_converted_markdown_is_converted_again(tiny_site: TinySite, run_cli, tmp_path: Path) -> None:
    assert run_cli("build", "--site", ".", "--output", str(tmp_path / "first")).code == 0
    kept = tiny_site.root / CACHE / "markdown.json"
    assert kept.is_file()
    html = json.loads(kept.read_text(encoding="utf-8"))["html"]
    assert html and all(isinstance(value, str) for value in html.values())
    for damaged in ('{"generator": "another version", "html": {}}', kept.read_text(encoding="utf-8")[:-9], "[]"):
        kept.write_text(damaged.replace("<p>", "<p>INJECTED "), encoding="utf-8")
        (tiny_site.root / CACHE / "builds").rename(tmp_path / "records")  # so that the build does not stop at "up to date"
        shutil.rmtree(tmp_path / "records")
        assert run_cli("build", "--site", ".", "--output", str(tmp_path / "again")).code == 0
        assert files_of(tmp_path / "again") == files_of(tmp_path / "first")


def test_markdown_kept_from_the_last_build_is_used(tiny_site: TinySite, run_cli, tmp_path: Path) -> None:
    tiny_site.event("2025-01-01-with-body", GOOD_EVENT + "body: |\n  A *first* account.\n")
    assert run_cli("build", "--site", ".", "--output", str(tmp_path / "first")).code == 0
    kept = tiny_site.root / CACHE / "markdown.json"
    data = json.loads(kept.read_text(encoding="utf-8"))
    data["html"] = {key: value.replace("<em>first</em>", "<em>kept</em>") for key, value in data["html"].items()}
    kept.write_text(json.dumps(data), encoding="utf-8")
    (tiny_site.root / "site.yaml").write_text((tiny_site.root / "site.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run_cli("build", "--site", ".", "--output", str(tmp_path / "first")).code == 0
    assert b"A <em>kept</em> account." in (tmp_path / "first/events/2025-01-01-with-body/index.html").read_bytes()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_long_build_shows_a_bar_per_phase(tiny_site: TinySite, monkeypatch) -> None:
    from site_builder import progress
    from site_builder.cli import main

    monkeypatch.setattr(progress, "AFTER", 0.0)  # as if the build had already run for two seconds
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert main(["build", "--site", "."]) == 0
    shown = screen.getvalue()
    assert re.search(r"\rvalidate: +\d+%\|[^\r]*\| *\d/1 \[", shown)  # counting the events (this site has one)
    assert re.search(r"\rrender: +\d+%\|[^\r]*\| *\d+/21 \[", shown)  # every page and feed (cards and downloads are made after)
    assert re.search(r"\rdraw: +\d+%\|[^\r]*\| *\d/2 \[", shown)  # the event's card and the home page's
    assert re.search(r"\rwrite: \d+ files \[", shown)
    assert shown.endswith(" \r")  # each bar is wiped when its phase ends


def test_off_a_terminal_a_build_prints_only_its_summary(tiny_site: TinySite, run_cli, monkeypatch) -> None:
    from site_builder import progress

    monkeypatch.setattr(progress, "AFTER", 0.0)
    result = run_cli("build", "--site", ".")
    assert (result.code, result.err) == (0, "")
    assert BUILT.match(result.out) and result.out.count("\n") == 1


def test_a_site_folder_where_the_cache_cannot_be_written_still_builds(tiny_site: TinySite, run_cli, tmp_path: Path) -> None:
    assert run_cli("build", "--site", ".", "--no-cache", "--output", str(tmp_path / "plain")).code == 0
    tiny_site.write(CACHE, "not a folder")  # as a read-only checkout would refuse it (tests run as root, so chmod would not)
    result = run_cli("build", "--site", ".", "--output", str(tmp_path / "cached"))
    assert (result.code, result.err) == (0, "")
    assert files_of(tmp_path / "cached") == files_of(tmp_path / "plain")
    assert (tiny_site.root / CACHE).read_text() == "not a folder"


CHARTED_TARGET = """\
  - value: 30
    as_of: 2030
    kind: target
    set_by: 2024-12-22-resolution-57
    sources:
      - title: A plan
        publisher: A publisher
        url: https://news.test/plan
"""


def test_a_build_whose_charts_did_not_change_does_not_compile_or_draw_them(tiny_site: TinySite, run_cli, monkeypatch,
                                                                            tmp_path: Path) -> None:
    import vl_convert

    tiny_site.write("figures/digital-economy.yaml", FIGURE + CHARTED_TARGET)  # a figure's chart, as well as the timeline
    assert run_cli("build", "--site", ".", "--output", str(tmp_path / "first")).code == 0
    assert b"<svg" in files_of(tmp_path / "first")["figures/digital-economy.svg"]
    event = next((tiny_site.root / "events").glob("*.yaml"))
    event.write_text(event.read_text(encoding="utf-8") + "body: |\n  A longer account.\n", encoding="utf-8")  # not shown by the chart

    def refuse(*args: object, **options: object) -> None:
        raise AssertionError("vl-convert was asked to compile or draw a chart that did not change")

    with monkeypatch.context() as patch:
        patch.setattr(vl_convert, "vegalite_to_vega", refuse)
        patch.setattr(vl_convert, "vega_to_svg", refuse)
        result = run_cli("build", "--site", ".", "--output", str(tmp_path / "second"))
    assert (result.code, result.err) == (0, "")
    first, second = files_of(tmp_path / "first"), files_of(tmp_path / "second")
    for name in ("index.html", "timeline.svg", "figures/digital-economy.svg"):
        assert second[name] == first[name], name


def test_damaged_kept_charts_are_compiled_and_drawn_again(tiny_site: TinySite, run_cli, tmp_path: Path) -> None:
    assert run_cli("build", "--site", ".", "--output", str(tmp_path / "first")).code == 0
    kept = sorted((tiny_site.root / CACHE / "charts").iterdir())
    assert {path.suffix for path in kept} == {".json", ".svg"}
    for path in kept:
        path.write_text(path.read_text(encoding="utf-8")[: len(path.read_text(encoding="utf-8")) // 2], encoding="utf-8")
    shutil.rmtree(tiny_site.root / CACHE / "builds")
    assert run_cli("build", "--site", ".", "--output", str(tmp_path / "second")).code == 0
    assert files_of(tmp_path / "second") == files_of(tmp_path / "first")
    assert sorted(path.name for path in (tiny_site.root / CACHE / "charts").iterdir()) == [path.name for path in kept]


def test_a_build_with_its_charts_and_templates_kept_does_not_import_altair_or_compile_a_template(tiny_site: TinySite,
                                                                                                    tmp_path: Path) -> None:
    """What a build with the cache skips is measured in seconds on a small site (Altair's
    import, Jinja's compiler): checked in a fresh interpreter, as a user runs a build."""
    tiny_site.write("figures/digital-economy.yaml", FIGURE + CHARTED_TARGET)
    probe = ("import sys, jinja2\n"
             "from site_builder.cli import main\n"
             "compiled = []\n"
             "original = jinja2.Environment.compile\n"
             "jinja2.Environment.compile = lambda self, *a, **k: compiled.append(1) or original(self, *a, **k)\n"
             "code = main(['build', '--site', '.', '--output', sys.argv[1]])\n"
             "print(code, 'altair' in sys.modules, len(compiled))\n")

    def build(output: str) -> str:
        done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / output)], capture_output=True, text=True, check=True)
        assert done.stderr == ""
        return done.stdout.splitlines()[-1]

    code, altair, compiled = build("first").split()
    assert (code, altair) == ("0", "True") and int(compiled) > 20  # every template the site uses
    assert build("second") == "0 False 0"
    assert files_of(tmp_path / "second") == files_of(tmp_path / "first")
    page = tiny_site.root / "templates/page.html"
    page.parent.mkdir(exist_ok=True)
    theme_page = Path(__file__).parent.parent / "site_builder/theme/templates/page.html"
    page.write_text(theme_page.read_text(encoding="utf-8").replace("</article>", "<p>Edited.</p></article>", 1), encoding="utf-8")
    kept = len(list((tiny_site.root / CACHE / "templates").iterdir()))
    assert build("third") == "0 False 1"  # only the edited template
    assert len(list((tiny_site.root / CACHE / "templates").iterdir())) == kept + 1  # the theme's page.html, and the site's


def test_damaged_kept_templates_are_compiled_again(tiny_site: TinySite, run_cli, tmp_path: Path) -> None:
    assert run_cli("build", "--site", ".", "--output", str(tmp_path / "first")).code == 0
    kept = sorted((tiny_site.root / CACHE / "templates").iterdir())
    assert len(kept) > 10
    entries = [path.read_bytes() for path in kept]
    for number, path in enumerate(kept):  # truncated, zeroed, another template's entry, not code at all
        data = entries[number]
        path.write_bytes([data[: len(data) // 2], data[:32] + b"\0" * (len(data) - 32), entries[number - 1], b"not code"][number % 4])
    shutil.rmtree(tiny_site.root / CACHE / "builds")
    result = run_cli("build", "--site", ".", "--output", str(tmp_path / "second"))
    assert (result.code, result.err) == (0, "")
    assert files_of(tmp_path / "second") == files_of(tmp_path / "first")
    assert [path.read_bytes() for path in sorted((tiny_site.root / CACHE / "templates").iterdir())] == entries  # made again
