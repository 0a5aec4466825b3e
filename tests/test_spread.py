"""Pages rendered by helper processes (a large build's event pages, spread.py) are the same
bytes as pages rendered by the build itself, and a broken page is reported the same way.
Spreading is forced here on small sites by lowering the threshold."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder import spread
from site_builder.cli import main

from conftest import BUILD_DATE_EPOCH, EDITIONS_FIXTURE, GOOD_EVENT, TinySite, copy_site


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def handed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages handed to helpers in this test's builds."""
    pages: list[str] = []
    start = spread.Helpers.__init__

    def counting(self: spread.Helpers, renderers, jobs) -> None:  # type: ignore[no-untyped-def]
        pages.extend(job.path for job in jobs)
        start(self, renderers, jobs)

    monkeypatch.setattr(spread.Helpers, "__init__", counting)
    monkeypatch.setattr(spread.os, "cpu_count", lambda: 2)  # a one-core machine would never spread
    return pages


def test_pages_rendered_by_helpers_are_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handed: list[str]) -> None:
    site = copy_site(tmp_path / "site", EDITIONS_FIXTURE)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
    assert main(["build", "--site", str(site), "--output", str(tmp_path / "alone"), "--no-cache"]) == 0
    assert handed == []
    monkeypatch.setattr(spread, "SPREAD_FROM", 1)
    assert main(["build", "--site", str(site), "--output", str(tmp_path / "helped"), "--no-cache"]) == 0
    alone, helped = files_of(tmp_path / "alone"), files_of(tmp_path / "helped")
    event_pages = sorted(path for path in alone if "events/" in path and path.endswith("/index.html"))
    assert len(event_pages) >= 3 * 9  # three languages
    assert sorted(handed) == event_pages
    assert helped == alone


def test_markdown_converted_by_helpers_is_kept_for_the_next_build(tiny_site: TinySite, run_cli, monkeypatch: pytest.MonkeyPatch,
                                                                  handed: list[str]) -> None:
    tiny_site.event("2024-12-22-resolution-57", "body: Converted **once**.\n" + GOOD_EVENT)
    monkeypatch.setattr(spread, "SPREAD_FROM", 1)
    assert run_cli("build", "--output", "out").code == 0 and handed
    kept = (tiny_site.root / ".site-builder-cache/markdown.json").read_text(encoding="utf-8")
    assert "Converted <strong>once</strong>." in kept


def test_a_broken_page_in_a_helper_is_reported_as_in_the_build(tiny_site: TinySite, run_cli, monkeypatch: pytest.MonkeyPatch,
                                                               handed: list[str]) -> None:
    tiny_site.write("templates/event.html", '{% extends "base.html" %}\n{% block main %}\n{{ 1 // 0 }}\n{% endblock %}\n')
    alone = run_cli("build", "--output", "out")
    monkeypatch.setattr(spread, "SPREAD_FROM", 1)
    helped = run_cli("build", "--output", "out")
    assert handed == ["events/2024-12-22-resolution-57/index.html"]
    assert (helped.code, helped.err) == (alone.code, alone.err)
    assert helped.err.splitlines()[0] == "templates/event.html:3:1: template error: ZeroDivisionError: integer division or modulo by zero"
    assert "Traceback" not in helped.err and not (tiny_site.root / "out").exists()

