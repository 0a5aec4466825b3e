"""The output folder: which folders `--output` may name (issue 13, cause 1), and publishing
that leaves either the complete old site or the complete new one, whatever moment the
build is killed at (cause 4).

Builds are killed for real: subprocesses of `build.py build`, SIGKILLed at random moments
(tests/killtrials.py, a larger run in benchmarks/kill_publish.py) and at the exact steps
of publishing (a wrapper that kills the build from inside at one step).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from killtrials import leftovers, run, snapshot

from site_builder import output_folder, write
from site_builder.output_folder import MARKER, MARKER_TEXT

from conftest import BUILD_DATE_EPOCH, GOOD_EVENT, REPO, TinySite

CHOOSE = "choose a folder of its own for the built site, such as output"
PREFIX = "site-builder build: error: output folder "


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def everything(folder: Path) -> list[str]:
    """Every name under `folder` (files, folders, links), to show nothing was added or removed."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


# -- Refused output folders: exit 2, the path named, nothing touched ---------------------------

@pytest.mark.parametrize(("typed", "why"), [
    (".", "is the site folder itself"),
    ("events", "is the source folder events/"),
    ("events/built", "is inside the source folder events/"),
    ("content", "is the source folder content/"),
    ("content/pages/out", "is inside the source folder content/"),
    ("static/out", "is inside the source folder static/"),
    ("templates", "is the source folder templates/"),
    ("figures/site", "is inside the source folder figures/"),
    (".site-builder-cache", "is the source folder .site-builder-cache/"),
    (".git/site", "is inside the source folder .git/"),
])
def test_output_in_or_at_the_sources_is_refused(tiny_site: TinySite, run_cli, typed: str, why: str) -> None:
    tiny_site.write("static/css/extra.css", "body { color: black }\n")
    tiny_site.write("templates/partials/note.html", "<p>note</p>\n")
    before = files(tiny_site.root)
    listing = everything(tiny_site.root.parent)
    result = run_cli("build", "--site", ".", "--output", typed)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"{PREFIX}{typed} {why}; {CHOOSE}\n"
    assert files(tiny_site.root) == before
    assert everything(tiny_site.root.parent) == listing  # no lock file, no staging folder


def test_a_folder_around_the_site_is_refused(tiny_site: TinySite, run_cli) -> None:
    parent, site = tiny_site.root.parent.resolve(), tiny_site.root.resolve()
    for typed in ("..", str(parent)):
        result = run_cli("build", "--site", ".", "--output", typed)
        assert (result.code, result.err) == (2, f"{PREFIX}{parent} contains the site folder {site}; {CHOOSE}\n")


def test_a_link_to_a_source_folder_is_refused_and_named(tiny_site: TinySite, run_cli) -> None:
    (tiny_site.root / "public").symlink_to("events")
    before = files(tiny_site.root / "events")
    result = run_cli("build", "--site", ".", "--output", "public")
    assert (result.code, result.err) == (2, f"{PREFIX}public (a link to events) is the source folder events/; {CHOOSE}\n")
    assert files(tiny_site.root / "events") == before


@pytest.mark.parametrize(("typed", "why"), [
    ("/", "is the root of the filesystem"),
    ("/usr", "is a system folder"),
    ("/etc", "is a system folder"),
    ("/var", "is a system folder"),
    ("/tmp", "is a system folder"),
    ("/usr/share/timeline", "is inside the system folder /usr/share"),
    ("/etc/timeline", "is inside the system folder /etc"),
    ("/usr/lib/timeline", "is inside the system folder /usr/lib"),
])
def test_system_folders_are_refused(tiny_site: TinySite, run_cli, typed: str, why: str) -> None:
    if Path(typed).resolve().as_posix() != typed:
        pytest.skip(f"{typed} is a link on this system")
    result = run_cli("build", "--site", ".", "--output", typed)
    assert (result.code, result.err) == (2, f"{PREFIX}{typed} {why}; {CHOOSE}\n")


def test_home_folder_and_what_holds_it_are_refused(tiny_site: TinySite, run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "people" / "reporter"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    result = run_cli("build", "--site", ".", "--output", str(home))
    assert (result.code, result.err) == (2, f"{PREFIX}{home.resolve()} is your home folder; {CHOOSE}\n")
    result = run_cli("build", "--site", ".", "--output", str(home.parent))
    assert (result.code, result.err) == (2, f"{PREFIX}{home.parent.resolve()} contains your home folder {home.resolve()}; {CHOOSE}\n")
    assert everything(home.parent) == ["reporter"]


def test_a_file_is_refused(tiny_site: TinySite, run_cli) -> None:
    tiny_site.write("notes.txt", "mine\n")
    result = run_cli("build", "--site", ".", "--output", "notes.txt")
    assert (result.code, result.err) == (2, f"site-builder build: error: output path notes.txt exists and is not a folder; {CHOOSE}\n")
    assert (tiny_site.root / "notes.txt").read_text() == "mine\n"


def test_a_mount_point_is_refused(tiny_site: TinySite, run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mounted = tmp_path / "volume"
    mounted.mkdir()
    monkeypatch.setattr(output_folder.os.path, "ismount", lambda path: Path(path) == mounted.resolve())
    result = run_cli("build", "--site", ".", "--output", str(mounted))
    shown = mounted.resolve()
    assert (result.code, result.err) == (2, f"{PREFIX}{shown} is a mount point, which the build cannot replace; "
                                            f"choose a folder inside it, such as {shown}/site\n")


def test_a_folder_this_tool_did_not_make_is_refused_and_left_alone(tiny_site: TinySite, run_cli, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "drafts").mkdir(parents=True)
    (docs / "index.html").write_text("<p>my own page</p>\n")
    (docs / "drafts/plan.md").write_text("plan\n")
    before, listing = files(docs), everything(tmp_path)
    result = run_cli("build", "--site", ".", "--output", str(docs))
    assert result.code == 2
    assert result.err == (f"{PREFIX}{docs.resolve()} is not empty and was not made by site-builder (it has no {MARKER} file); "
                          "nothing in it was changed. Every build replaces the whole output folder: empty the folder if its "
                          "files can go, or choose a new or empty folder\n")
    assert files(docs) == before
    assert everything(tmp_path) == listing


def test_a_folder_holding_sources_is_refused(tiny_site: TinySite, run_cli, tmp_path: Path) -> None:
    other = tmp_path / "other-site"
    other.mkdir()
    (other / "site.yaml").write_text("title: Another\n")
    (other / MARKER).write_text(MARKER_TEXT)  # even with our marker
    result = run_cli("build", "--site", ".", "--output", str(other))
    assert (result.code, result.err) == (2, f"{PREFIX}{other.resolve()} looks like a source folder (it has site.yaml); {CHOOSE}\n")
    assert files(other) == {"site.yaml": b"title: Another\n", MARKER: MARKER_TEXT.encode()}


# -- Accepted output folders --------------------------------------------------------------------

def test_new_or_empty_folder_is_used_and_marked_as_ours(tiny_site: TinySite, run_cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (empty, tmp_path / "new" / "deeper"):
        assert run_cli("build", "--site", ".", "--output", str(folder)).code == 0
        assert (folder / MARKER).read_text() == MARKER_TEXT
        assert (folder / "index.html").is_file()
    (empty / "stray.txt").write_text("put here by hand\n")  # the folder is ours: the next build replaces all of it
    assert run_cli("build", "--site", ".", "--output", str(empty)).code == 0
    assert not (empty / "stray.txt").exists()
    assert sorted(os.listdir(tmp_path)) == ["empty", "new", "site"]


def test_default_output_of_an_earlier_version_is_accepted(tiny_site: TinySite, run_cli) -> None:
    """Before the marker, builds wrote index.html, 404.html and static/css/site.css: such an
    output/ in the site folder is taken as ours, replaced, and marked."""
    for name in ("index.html", "404.html", "static/css/site.css", "events/2020-01-01-gone/index.html"):
        tiny_site.write(f"output/{name}", "old build\n")
    result = run_cli("build", "--site", ".")
    assert (result.code, result.err) == (0, "")
    assert (tiny_site.root / "output" / MARKER).is_file()
    assert not (tiny_site.root / "output/events/2020-01-01-gone").exists()


def test_an_earlier_build_elsewhere_or_an_unrecognised_output_is_refused(tiny_site: TinySite, run_cli) -> None:
    for name in ("index.html", "404.html", "static/css/site.css"):
        tiny_site.write(f"public/{name}", "old build\n")
    result = run_cli("build", "--site", ".", "--output", "public")
    assert result.code == 2 and result.err.startswith(f"{PREFIX}public is not empty and was not made by site-builder")
    tiny_site.write("output/notes.txt", "not a build\n")
    result = run_cli("build", "--site", ".")
    assert result.code == 2 and result.err.startswith(f"{PREFIX}output is not empty and was not made by site-builder")
    assert files(tiny_site.root / "output") == {"notes.txt": b"not a build\n"}


# -- Publishing -------------------------------------------------------------------------------------

def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text("a")
    (second / "b.txt").write_text("b")
    if not write.exchange(first, second):
        pytest.skip("no renameat2(RENAME_EXCHANGE) here; publishing uses two renames")
    assert (os.listdir(first), os.listdir(second)) == (["b.txt"], ["a.txt"])


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(tiny_site: TinySite, run_cli) -> None:
    assert run_cli("build", "--site", ".").code == 0
    tiny_site.write(".output.staging-k1lled/index.html", "half")  # a kill while writing
    tiny_site.write(".output.old-0ld/output/index.html", "old")  # left by a version before this one
    tiny_site.write(".output.lock", "")
    tiny_site.event("2025-01-01-broken", GOOD_EVENT.replace("2024-12-22", "2025-02-30"))
    assert run_cli("build", "--site", ".").code == 1  # even a build that stops on an error tidies up
    assert sorted(os.listdir(tiny_site.root)) == [".site-builder-cache", "content", "events", "output", "site.yaml"]


def test_a_build_that_fails_after_writing_some_pages_leaves_the_previous_output(tiny_site: TinySite, run_cli,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages are streamed into the staging folder as they are rendered: a template error in
    the event page comes after the home page and static files are written there."""
    assert run_cli("build", "--output", "out").code == 0
    out = tiny_site.root / "out"
    before, names = files(out), everything(out)
    put = write.Staging.put
    written: list[str] = []
    monkeypatch.setattr(write.Staging, "put", lambda staging, name, data: (written.append(name), put(staging, name, data))[1])
    tiny_site.write("templates/event.html", "{% extends 'base.html' %}\n{% block main %}{{ 1 // 0 }}{% endblock %}\n")
    result = run_cli("build", "--output", "out")
    assert (result.code, result.err.splitlines()[0]) == (
        1, "templates/event.html:2:1: template error: ZeroDivisionError: integer division or modulo by zero")
    assert "index.html" in written  # written, then thrown away with the staging folder
    assert (files(out), everything(out)) == (before, names)
    assert leftovers(out) == []


def test_without_exchange_a_kill_between_the_renames_is_repaired(tiny_site: TinySite, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the exchange is missing, the output is renamed away, then the new one in: a
    kill between the two leaves no output/, and the next build puts the old one back."""
    monkeypatch.setattr(write, "exchange", lambda first, second: False)
    assert run_cli("build", "--site", ".").code == 0
    old = files(tiny_site.root / "output")
    tiny_site.event("2025-01-01-extra")
    assert run_cli("build", "--site", ".").code == 0  # the two-rename path, completed
    assert "events/2025-01-01-extra/index.html" in files(tiny_site.root / "output")
    (tiny_site.root / "events/2025-01-01-extra.yaml").unlink()
    assert run_cli("build", "--site", ".").code == 0
    assert files(tiny_site.root / "output") == old
    os.rename(tiny_site.root / "output", tiny_site.root / ".output.old-x1")  # as a kill after the first rename leaves it
    tiny_site.write(".output.staging-x2/index.html", "complete or not")
    tiny_site.event("2025-01-01-broken", GOOD_EVENT.replace("2024-12-22", "2025-02-30"))
    assert run_cli("build", "--site", ".").code == 1
    assert files(tiny_site.root / "output") == old
    assert sorted(os.listdir(tiny_site.root)) == [".site-builder-cache", "content", "events", "output", "site.yaml"]


KILL_AT = """
import os, signal, sys
import site_builder.write as write
step, real_exchange, real_rename = sys.argv.pop(1), write.exchange, os.rename
def die(*_):
    os.kill(os.getpid(), signal.SIGKILL)
def after_exchange(first, second):
    real_exchange(first, second)
    die()
def rename(source, target):
    real_rename(source, target)
    if ".old-" in str(target):
        die()
if step == "before exchange":
    write.exchange = die
elif step == "after exchange":
    write.exchange = after_exchange
else:
    write.exchange = lambda first, second: False
    write.os.rename = rename
from site_builder.cli import main
sys.argv[0] = "build.py"
raise SystemExit(main())
"""


def _build(site: Path, output: Path, step: str | None = None) -> subprocess.CompletedProcess[str]:
    code = ["-c", KILL_AT, step] if step else [str(REPO / "build.py")]
    return subprocess.run([sys.executable, *code, "build", "--site", str(site), "--output", str(output)], capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE_EPOCH}, timeout=120, cwd=site)


def test_killed_at_each_step_of_publishing_then_tidied(tiny_site: TinySite, tmp_path: Path) -> None:
    """Each kill leaves exactly its own leftovers: the next build removed the previous ones."""
    output = tmp_path / "public"
    assert _build(tiny_site.root, output).returncode == 0
    first = files(output)
    extra = tiny_site.event("2025-01-01-extra")

    killed = _build(tiny_site.root, output, "before exchange")  # the new site complete, not yet in place
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert files(output) == first
    assert _kinds(leftovers(output)) == [".public.lock", ".public.staging-"]

    killed = _build(tiny_site.root, output, "after exchange")  # the staging name now holds the old site
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    second = files(output)
    assert "events/2025-01-01-extra/index.html" in second
    assert _kinds(leftovers(output)) == [".public.lock", ".public.staging-"]

    extra.unlink()
    killed = _build(tiny_site.root, output, "between renames")  # only where the exchange is missing
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not output.exists()
    assert _kinds(leftovers(output)) == [".public.lock", ".public.old-", ".public.staging-"]
    assert files(next(output.parent.glob(".public.old-*"))) == second

    assert _build(tiny_site.root, output).returncode == 0
    assert files(output) == first
    assert leftovers(output) == []


def _kinds(names: list[str]) -> list[str]:
    return [name.split("-")[0] + "-" if "-" in name else name for name in names]


def test_builds_killed_at_random_moments_leave_the_old_or_the_new_site(tmp_path: Path) -> None:
    bench, report = run(tmp_path, trials=int(os.environ.get("KILL_TRIALS", "8")))
    print(report.summary())
    assert [t.found for t in report.trials if t.found not in ("old", "new")] == [], report.summary()
    assert sum(t.killed and t.aim == "publishing" for t in report.trials) >= 2, report.summary()
    bench.build()
    assert leftovers(bench.output) == []
    assert snapshot(bench.output) == bench.known[bench.version]


def test_a_second_build_waits_for_the_first_to_publish(tiny_site: TinySite, tmp_path: Path) -> None:
    output = tmp_path / "public"
    lock = write.OutputLock(output)  # as if another build were publishing now
    assert lock.acquire(wait=False)
    try:
        waiting = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--site", str(tiny_site.root), "--output", "public"],
                                   cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE_EPOCH})
        assert waiting.stdout is not None
        assert waiting.stdout.readline() == "Waiting for another build of public to finish ...\n"
        assert waiting.poll() is None and not output.exists()
    finally:
        lock.release()
    out, err = waiting.communicate(timeout=120)
    assert (waiting.returncode, err) == (0, "")
    assert out.startswith("Built 1 events")
    assert (output / MARKER).is_file()
    assert sorted(os.listdir(tmp_path)) == ["public", "site"]
