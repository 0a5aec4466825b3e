"""What the load stage does with links and special files in a site's folders (issue 13,
causes 2, 6 and 8): nothing outside the site is read, published or quoted, a loop, a dangling
link or a FIFO is an error naming its path, and a failed build leaves output/ as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_builder.invocation import program
from site_builder.load import SourceTree

from conftest import TinySite

SECRET = "secret-from-outside-the-site"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site with a private file, as /etc would be."""
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "passwd").write_text(f"title: {SECRET}\n")
    (folder / "passwd.yaml").write_text(f"title: {SECRET}\n")
    return folder


@pytest.fixture
def built(tiny_site: TinySite, run_cli) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """A first good build: every failing build after it must leave this output untouched."""
    assert run_cli("build", "--site", ".").code == 0
    return snapshot(tiny_site.root / "output")


def failing_build(tiny_site: TinySite, run_cli, built: dict[str, bytes], *errors: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build", "--site", ".")
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[:-1] == list(errors)
    assert lines[-1] == "1 file, 1 error; nothing was written"
    assert SECRET not in result.err + result.out and "internal error" not in result.err and "Traceback" not in result.err
    assert snapshot(tiny_site.root / "output") == built


@pytest.mark.parametrize("link, message", [
    ("static/x", "static/x:1:1: symlink to a file outside the site is not followed"),
    ("static/css/x.css", "static/css/x.css:1:1: symlink to a file outside the site is not followed"),
    ("templates/base.html", "templates/base.html:1:1: symlink to a file outside the site is not followed"),
    ("events/2025-01-01-leak.yaml", "events/2025-01-01-leak.yaml:1:1: symlink to a file outside the site is not followed"),
    ("figures/leak.yaml", "figures/leak.yaml:1:1: symlink to a file outside the site is not followed"),
    ("content/leak.md", "content/leak.md:1:1: symlink to a file outside the site is not followed"),
])
def test_a_link_to_a_file_outside_the_site_is_an_error_naming_the_link(
        tiny_site: TinySite, run_cli, built: dict[str, bytes], outside: Path, link: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tiny_site.root / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(outside / ("passwd.yaml" if link.endswith(".yaml") else "passwd"))
    failing_build(tiny_site, run_cli, built, message)


@pytest.mark.parametrize("link", ["static", "static/private", "templates", "events/more"])
def test_a_link_to_a_folder_outside_the_site_is_an_error_naming_the_link(
        tiny_site: TinySite, run_cli, built: dict[str, bytes], outside: Path, link: str) -> None:  # type: ignore[no-untyped-def]
    path = tiny_site.root / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(outside, target_is_directory=True)
    failing_build(tiny_site, run_cli, built, f"{link}:1:1: symlink to a folder outside the site is not followed")


def test_a_linked_events_folder_outside_the_site_is_not_read(tiny_site: TinySite, run_cli, built: dict[str, bytes], outside: Path) -> None:  # type: ignore[no-untyped-def]
    events = tiny_site.root / "events"
    events.rename(tiny_site.root / "kept-events")
    events.symlink_to(outside, target_is_directory=True)
    failing_build(tiny_site, run_cli, built, "events:1:1: symlink to a folder outside the site is not followed")


def test_site_yaml_linked_from_outside_is_not_read(tiny_site: TinySite, run_cli, built: dict[str, bytes], outside: Path) -> None:  # type: ignore[no-untyped-def]
    (tiny_site.root / "site.yaml").unlink()
    (tiny_site.root / "site.yaml").symlink_to(outside / "passwd.yaml")
    failing_build(tiny_site, run_cli, built, "site.yaml:1:1: symlink to a file outside the site is not followed")


def test_links_that_stay_inside_the_site_keep_working(tiny_site: TinySite, run_cli) -> None:  # type: ignore[no-untyped-def]
    tiny_site.write("assets/logo.txt", "a logo")
    tiny_site.write("static/notes/readme.txt", "notes")
    (tiny_site.root / "static/logo.txt").symlink_to("../assets/logo.txt")
    (tiny_site.root / "static/shared").symlink_to("../assets", target_is_directory=True)
    assert run_cli("build", "--site", ".").code == 0
    out = tiny_site.root / "output/static"
    assert (out / "logo.txt").read_text() == "a logo" and (out / "shared/logo.txt").read_text() == "a logo"


@pytest.mark.parametrize("link, target, message", [
    ("events/2025-01-01-gone.yaml", "nowhere.yaml", "events/2025-01-01-gone.yaml:1:1: broken symlink: its target does not exist; fix or remove the link"),
    ("static/gone.css", "nowhere.css", "static/gone.css:1:1: broken symlink: its target does not exist; fix or remove the link"),
    ("events/2025-01-01-loop.yaml", "2025-01-01-loop.yaml", "events/2025-01-01-loop.yaml:1:1: symlink loop: the link leads back to itself; fix or remove it"),
    ("static/up", "..", "static/up:1:1: symlink loop: the link leads back to a folder that holds it; fix or remove it"),
])
def test_loops_and_dangling_links_are_errors_with_their_path(
        tiny_site: TinySite, run_cli, built: dict[str, bytes], link: str, target: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tiny_site.root / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    failing_build(tiny_site, run_cli, built, message)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("name", ["events/2025-01-01-pipe.yaml", "static/pipe.css", "content/pipe.md", "templates/base.html"])
def test_a_fifo_is_an_error_and_never_opened(tiny_site: TinySite, run_cli, built: dict[str, bytes], name: str) -> None:  # type: ignore[no-untyped-def]
    path = tiny_site.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)  # opened for reading without a writer, it would block the build forever
    failing_build(tiny_site, run_cli, built, f"{name}:1:1: not a regular file: a named pipe (FIFO) is never read; remove it")


def test_a_missing_events_folder_says_how_to_add_a_first_event(tiny_site: TinySite, run_cli, built: dict[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    for path in (tiny_site.root / "events").iterdir():
        path.unlink()
    (tiny_site.root / "events").rmdir()
    failing_build(tiny_site, run_cli, built, "events:1:1: folder not found: a site keeps its events there; add a first event with: "
                  f"{program()} new \"TITLE\" --date YYYY-MM-DD")


def test_an_empty_events_folder_is_an_error_too(tiny_site: TinySite, run_cli, built: dict[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    (tiny_site.root / "events/2024-12-22-resolution-57.yaml").unlink()
    tiny_site.write("events/schema.json", "{}")  # not an event
    result = run_cli("check", "--site", ".")
    assert result.code == 1
    assert result.err.splitlines()[0].startswith("events:1:1: no event files: a timeline needs at least one; add one with: ")
    assert result.err.splitlines()[0].endswith(' new "TITLE" --date YYYY-MM-DD')
    assert snapshot(tiny_site.root / "output") == built


def test_the_preview_server_sees_links_and_fifos_that_appear_later(tiny_site: TinySite, outside: Path) -> None:
    tree = SourceTree.read(tiny_site.root)
    assert not tree.sources().problems
    leak = tiny_site.root / "static/leak"
    leak.parent.mkdir()
    leak.symlink_to(outside, target_is_directory=True)
    pipe = tiny_site.root / "events/2025-01-01-pipe.yaml"
    os.mkfifo(pipe)
    tree.refresh({leak.parent, pipe})
    assert [str(p) for p in sorted(tree.sources().problems.items)] == [
        "events/2025-01-01-pipe.yaml:1:1: not a regular file: a named pipe (FIFO) is never read; remove it",
        "static/leak:1:1: symlink to a folder outside the site is not followed",
    ]
    leak.unlink()
    pipe.unlink()
    tree.refresh({leak, pipe})
    assert not tree.sources().problems


def test_the_error_page_never_shows_a_file_from_outside_the_site(tiny_site: TinySite, tmp_path: Path) -> None:
    from site_builder.errors import Problem
    from site_builder.overlay import excerpt

    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    (tiny_site.root / "events/leak.yaml").symlink_to(secret)
    os.mkfifo(tiny_site.root / "events/pipe.yaml")
    assert excerpt(tiny_site.root, Problem("events/leak.yaml", 1, 1, "", "symlink to a file outside the site is not followed")) == ""
    assert excerpt(tiny_site.root, Problem("events/pipe.yaml", 1, 1, "", "not a regular file")) == ""  # returns: never opened
    shown = excerpt(tiny_site.root, Problem("events/2024-12-22-resolution-57.yaml", 2, 7, "date", "a problem"))
    assert "2024-12-22" in shown  # a file of the site is still quoted


def test_new_reads_site_yaml_by_the_same_rules(tiny_site: TinySite, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "elsewhere.yaml"
    outside.write_bytes((tiny_site.root / "site.yaml").read_bytes())
    (tiny_site.root / "site.yaml").unlink()
    (tiny_site.root / "site.yaml").symlink_to(outside)
    result = run_cli("new", "A new event", "--date", "2025-01-01")
    assert result.code == 1
    assert "site.yaml:1:1: symlink to a file outside the site is not followed" in result.err
    assert sorted(path.name for path in (tiny_site.root / "events").iterdir()) == ["2024-12-22-resolution-57.yaml"]
