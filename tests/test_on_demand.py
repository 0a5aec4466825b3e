"""The preview server makes pages on demand, as Hugo's server does: after an edit it makes
the page in front of the editor at once and every other changed page when it is asked for
or when the server is idle, and what it serves is still what a fresh build makes."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from test_registry import served

from site_builder import pipeline
from site_builder.errors import SiteInvalid
from site_builder.rebuild import LiveSite
from site_builder.reporting import Reporter
from site_builder.serve import SiteApp, rebuild_and_report

from conftest import EDITIONS_FIXTURE, copy_site

TODAY = date(2025, 11, 23)
OVERRIDES = pipeline.Overrides(base_url="http://127.0.0.1:8000/")
EVENT = "events/2024-01-10-construction-works-tendered.yaml"
PAGE = "events/2024-01-10-construction-works-tendered/index.html"
OLD_TITLE = "City council puts the bridge construction works out to tender"


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LiveSite:
    root = copy_site(tmp_path / "site", EDITIONS_FIXTURE).resolve()
    monkeypatch.chdir(root)
    site = LiveSite(root, OVERRIDES, today=TODAY)
    site.rebuild(None, complete=False)
    return site


def fresh(root: Path, path: str) -> bytes:
    site, _ = pipeline.validate(pipeline.SourceTree.read(root), overrides=OVERRIDES)
    made = pipeline.render(site, TODAY).get(path)
    assert made is not None
    return made


def test_an_edit_makes_the_page_in_view_at_once_and_the_rest_when_asked_for(live: LiveSite) -> None:
    app = SiteApp(live)
    assert served(app, PAGE)[0] == 200  # the editor is looking at the event
    source = live.root / EVENT
    source.write_text(source.read_text(encoding="utf-8").replace(OLD_TITLE, "Bridge works put out to tender"), encoding="utf-8")
    terminal = io.StringIO()
    told_when_reloaded: list[str] = []
    rebuild_and_report(live, {source}, Reporter(out=terminal, err=terminal), lambda: told_when_reloaded.append(terminal.getvalue()))
    assert told_when_reloaded == [""]  # the browsers reload first; the terminal's report comes after

    [note] = terminal.getvalue().splitlines()  # the warning the first build printed is not printed again
    assert re.fullmatch(rf"Rebuilt in \d+ ms \(1 page made now, the others when asked for; 0 removed; "
                        rf"changed: {EVENT}\); 1 earlier warning not shown again", note)
    assert served(app, PAGE) == (200, fresh(live.root, PAGE))
    assert "vi/index.html" in live.pending  # left for later
    status, home = served(app, "vi/index.html")  # never viewed: made as it is asked for
    assert status == 200 and home == fresh(live.root, "vi/index.html")
    assert live.fill() is True and not live.pending


def test_a_template_error_on_a_page_not_in_view_shows_when_it_is_asked_for_or_when_idle(live: LiveSite) -> None:
    app = SiteApp(live)
    assert served(app, "index.html")[0] == 200
    template = live.root / "templates/page.html"
    template.parent.mkdir()
    template.write_text("{% extends 'base.html' %}\n{% block main %}\n{{ page.title }\n{% endblock %}\n", encoding="utf-8")
    live.rebuild({template.parent, template}, complete=False)  # the home page does not use it
    assert live.snapshot.problems == []

    status, body = served(app, "about/index.html")
    assert status == 500 and b"templates/page.html:3:1: template error: unexpected &#x27;}&#x27;" in body
    with pytest.raises(SiteInvalid) as raised:
        live.fill()
    assert [str(p) for p in raised.value.problems] == ["templates/page.html:3:1: template error: unexpected '}'"]
    status, body = served(app, "index.html")  # from then on every page shows it, as after a failed rebuild
    assert status == 500 and b"The site has errors" in body


def test_filling_in_stops_as_soon_as_a_change_is_waiting(live: LiveSite) -> None:
    waiting = len(live.pending)
    asked: list[int] = []

    def change_waiting() -> bool:  # asked before each page: a change comes after two
        asked.append(1)
        return len(asked) > 2

    assert live.fill(change_waiting) is False
    assert len(live.pending) == waiting - 2 and len(asked) == 3


def test_a_page_of_the_last_build_made_late_never_passes_for_one_made_with_new_templates(live: LiveSite) -> None:
    before = live.snapshot  # a request that began before the save still holds it
    footer = live.root / "templates/partials/footer.html"
    footer.parent.mkdir(parents=True)
    footer.write_text("<footer>Our own footer</footer>\n", encoding="utf-8")
    live.rebuild({live.root / "templates"}, complete=False)
    old = before.get("about/index.html")
    assert old is not None and b"Our own footer" not in old
    assert b"<footer>Our own footer</footer>" in (live.snapshot.get("about/index.html") or b"")
