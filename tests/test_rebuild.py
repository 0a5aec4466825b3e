"""Incremental rebuilds give the same bytes as a full build, touching only affected pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import copy_real_site
from site_builder.errors import SiteInvalid
from site_builder.load import read_static
from site_builder.pipeline import BuildReport, load_and_validate
from site_builder.rebuild import LiveSite
from site_builder.render import render_all, Renderer

TODAY = date(2025, 11, 23)
BASE = "http://127.0.0.1:8000/"


def full_render(root: Path) -> dict[str, bytes]:
    site = load_and_validate(root, BuildReport(), base_url=BASE)
    files, deferred = render_all(Renderer(site, read_static(root), TODAY))
    return files


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LiveSite:
    root = copy_real_site(tmp_path / "site").resolve()
    monkeypatch.chdir(root)
    site = LiveSite(root, BASE, today=TODAY)
    site.rebuild(None)
    return site


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_editing_one_event_renders_only_what_shows_it(live: LiveSite) -> None:
    path = live.root / "events/2025-02-19-ict-spring-meeting.yaml"
    edit(path, "title: ICT associations hold spring meeting on Resolution 57", "title: ICT associations meet in Hanoi")
    report = live.rebuild({path})
    assert not report.full
    # its own page; the merger (previous, and lists it as related), resolution 193 (next, and
    # related), To Lam's speech (related); the community category; the home page
    assert report.rendered == 6
    assert b"<h1>ICT associations meet in Hanoi</h1>" in live.snapshot.files["events/2025-02-19-ict-spring-meeting/index.html"]
    assert live.snapshot.files == full_render(live.root)


def test_added_moved_and_deleted_events_match_a_full_build(live: LiveSite) -> None:
    source = live.root / "events/2025-02-19-ict-spring-meeting.yaml"
    added = live.root / "events/2026/2026-01-01-a-new-event.yaml"
    added.parent.mkdir()
    added.write_text(source.read_text().replace("date: 2025-02-19", "date: 2026-01-01"))
    live.rebuild({added.parent})
    assert "events/2026-01-01-a-new-event/index.html" in live.snapshot.files
    assert live.snapshot.files == full_render(live.root)

    moved = live.root / "events/2026-01-01-renamed-event.yaml"
    added.rename(moved)
    live.rebuild({added, moved})
    assert "events/2026-01-01-a-new-event/index.html" not in live.snapshot.files
    assert live.snapshot.files == full_render(live.root)

    moved.unlink()
    (live.root / "events/2026").rmdir()
    live.rebuild({moved, live.root / "events/2026"})
    assert live.snapshot.files == full_render(live.root)


def test_invalid_edit_keeps_last_good_build_and_lists_problems(live: LiveSite) -> None:
    path = live.root / "events/2025-01-09-government-action-program.yaml"
    good = dict(live.snapshot.files)
    edit(path, "date: 2025-01-09", "date: 2025-01-32")
    with pytest.raises(SiteInvalid):
        live.rebuild({path})
    assert live.snapshot.files == good
    assert [str(p) for p in live.snapshot.problems] == ["events/2025-01-09-government-action-program.yaml:3:7: date: 2025-01-32 is not a valid date"]
    edit(path, "date: 2025-01-32", "date: 2025-01-09")
    live.rebuild({path})
    assert live.snapshot.problems == []
    assert live.snapshot.files == good


def test_a_file_that_vanished_before_it_was_read_is_simply_gone(live: LiveSite) -> None:
    ghost = live.root / "events/2025-05-05-ghost.yaml"
    report = live.rebuild({ghost})
    assert not report.full and live.snapshot.problems == []


def test_template_change_renders_everything(live: LiveSite) -> None:
    templates = live.root / "templates"
    templates.mkdir()
    (templates / "404.html").write_text("{% extends 'base.html' %}{% block main %}<p>Nothing here.</p>{% endblock %}")
    report = live.rebuild({templates / "404.html"})
    assert report.full
    assert b"<p>Nothing here.</p>" in live.snapshot.files["404.html"]


def test_broken_template_is_reported_with_its_line(live: LiveSite) -> None:
    templates = live.root / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{{ page.title }\n{% endblock %}\n")
    with pytest.raises(SiteInvalid) as raised:
        live.rebuild({templates / "page.html"})
    assert [str(p) for p in raised.value.problems] == [
        "templates/page.html:3:1: template error: unexpected '}'"]


def test_a_failed_full_render_is_owed_until_it_succeeds(live: LiveSite) -> None:
    templates = live.root / "templates"
    templates.mkdir()
    (templates / "404.html").write_text("{{ broken }\n")
    with pytest.raises(SiteInvalid):
        live.rebuild({templates / "404.html"})
    event = live.root / "events/2025-02-19-ict-spring-meeting.yaml"
    edit(event, "title: ICT associations hold spring meeting on Resolution 57", "title: ICT associations meet in Hanoi")
    with pytest.raises(SiteInvalid) as raised:  # an unrelated edit must not hide the broken template
        live.rebuild({event})
    assert [str(p) for p in raised.value.problems] == ["templates/404.html:1:1: template error: unexpected '}'"]
    (templates / "404.html").unlink()
    assert live.rebuild({templates / "404.html"}).full
    assert live.snapshot.files == full_render(live.root)
