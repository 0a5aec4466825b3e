"""The preview server never serves a stale or missing file: after every edit of a random
sequence (events, content pages, site.yaml, templates, static files; valid and invalid),
every file it serves equals what a fresh `build` makes, for every registered output.

The test knows no output by name: a new output in `outputs.OUTPUTS` is covered as soon
as it is declared. Hypothesis draws the sequences (derandomized: the same ones every run).
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

from site_builder import pipeline
from site_builder.errors import Problem, SiteInvalid
from site_builder.load import SourceTree
from site_builder.outputs import OUTPUTS
from site_builder.rebuild import LiveSite
from site_builder.render import RenderCaches
from site_builder.serve import SiteApp

from conftest import EDITIONS_FIXTURE as EDITIONS
from conftest import copy_site

TODAY = date(2025, 11, 23)
BASE = "http://127.0.0.1:8000/"
OVERRIDES = pipeline.Overrides(base_url=BASE)
SHARED = RenderCaches()  # compiled charts and Markdown are pure functions of their keys: share them
STEPS: list[str] = []  # every edit applied, for the report at the end
STATES: list[bool] = []  # after each edit: was the site valid?

EVENT = """\
title: {title}
date: {date}
category: {category}
importance: {importance}
summary: {summary}
sources:
  - title: A headline
    publisher: A paper
    url: https://news.test/{slug}
"""
TITLES = st.sampled_from(["A bridge inspection", "Cầu Bến Thủy delegation visits", "Tolls are debated", "Lights switched on"])
DATES = st.sampled_from(["2023-03-01", "2023-11", "2024", "2024-07-19", "2030", "2024-02-20", "2025-02-30"])  # the last is invalid
CATEGORIES = st.sampled_from(["council", "court", "public", "nowhere"])  # the last is invalid
MOSTLY_VALID = st.sampled_from([True, True, True, False])  # invalid edits are tested, but the site is mostly valid
BROKEN = ["title: [unclosed\n", "", "- a list\n", "title: A\ndate: 2024-01-01\n"]


def served(app: SiteApp, path: str) -> tuple[int, bytes]:
    """What the preview server answers for `path`, exactly as a browser would receive it."""
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"] = int(status.split()[0])

    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/" + path}, start_response))
    return answer["status"], body


def fresh_build(root: Path) -> dict[str, bytes] | list[Problem]:
    """A build from scratch of the site as it is on disk: its files, or its problems."""
    try:
        site, _ = pipeline.validate(SourceTree.read(root), overrides=OVERRIDES)
        return pipeline.render(site, TODAY, caches=SHARED).materialize()
    except SiteInvalid as error:
        return error.problems


class EditSequence(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="edits-"))
        self.root = copy_site(self.tmp / "site", EDITIONS).resolve()
        self.changed: set[Path] = set()

    @initialize()
    def start(self) -> None:
        self.live = LiveSite(self.root, OVERRIDES, today=TODAY)
        self.live.caches = SHARED
        self.live.rebuild(None)
        self.app = SiteApp(self.live)

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- helpers -------------------------------------------------------------------------
    def events(self) -> list[Path]:
        return sorted((self.root / "events").rglob("*.yaml"))

    def write(self, relative: str, text: str, what: str) -> None:
        path = self.root / relative
        if not path.parent.exists():
            path.parent.mkdir(parents=True)
            self.changed.add(path.parent)
        path.write_text(text, encoding="utf-8")
        self.changed.add(path)
        STEPS.append(what)

    def remove(self, path: Path, what: str) -> None:
        path.unlink()
        self.changed.add(path)
        STEPS.append(what)

    # -- events ---------------------------------------------------------------------------
    @rule(title=TITLES, day=DATES, category=CATEGORIES, importance=st.sampled_from([1, 2, 3]), n=st.integers(0, 99))
    def add_event(self, title: str, day: str, category: str, importance: int, n: int) -> None:
        slug = f"{day}-added-{n}"
        self.write(f"events/{slug}.yaml", EVENT.format(title=f'"{title}"', date=day, category=category, importance=importance,
                                                      summary="Something happened.", slug=slug), "add event")

    @precondition(lambda self: self.events())
    @rule(data=st.data(), edit=st.sampled_from(["title", "translation", "landmark", "span", "related", "body", "date", "category", "todo", "broken"]))
    def change_event(self, data: st.DataObject, edit: str) -> None:
        path = data.draw(st.sampled_from(self.events()))
        text = path.read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if not line.startswith(("importance:", "end_date:", "related:", "body:"))]
        if edit == "title":
            text = "\n".join(f'title: "{data.draw(TITLES)}"' if line.startswith("title:") else line for line in lines) + "\n"
        elif edit == "date":
            text = "\n".join(f"date: {data.draw(DATES)}" if line.startswith("date:") else line for line in lines) + "\n"
        elif edit == "category":
            text = "\n".join(f"category: {data.draw(CATEGORIES)}" if line.startswith("category:") else line for line in lines) + "\n"
        elif edit == "landmark":
            text = "\n".join(lines) + f"\nimportance: {data.draw(st.sampled_from([1, 2]))}\n"
        elif edit == "span":
            text = "\n".join(lines) + f"\nend_date: {data.draw(st.sampled_from(['2024-12-31', '2031']))}\n"
        elif edit == "related":
            other = data.draw(st.sampled_from([p.stem for p in self.events()] + ["2020-01-01-nothing"]))
            text = "\n".join(lines) + f"\nrelated: [{other}]\n"
        elif edit == "body":
            text = "\n".join(lines) + "\nbody: |\n  ## More\n\n  A *longer* account.\n"
        elif edit == "translation":
            text = text.split("translations:")[0] + f"translations:\n  fr:\n    title: {data.draw(TITLES)} (fr)\n"
        elif edit == "broken":
            text = data.draw(st.sampled_from(BROKEN))
        else:
            text = text.replace("summary:", "summary: TODO", 1)
        self.write(path.relative_to(self.root).as_posix(), text, f"change event: {edit}")

    @precondition(lambda self: self.events())
    @rule(data=st.data(), folder=st.sampled_from(["", "2024/"]))
    def rename_event(self, data: st.DataObject, folder: str) -> None:
        path = data.draw(st.sampled_from(self.events()))
        target = self.root / "events" / folder / f"{path.stem}-moved.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)
        self.changed |= {path, target, target.parent}
        STEPS.append("rename event")

    @precondition(lambda self: len(self.events()) > 1)
    @rule(data=st.data())
    def delete_event(self, data: st.DataObject) -> None:
        self.remove(data.draw(st.sampled_from(self.events())), "delete event")

    # -- content pages, site.yaml, theme ----------------------------------------------------
    @rule(name=st.sampled_from(["about", "methodology", "press"]), order=st.integers(1, 5), valid=MOSTLY_VALID)
    def write_page(self, name: str, order: int, valid: bool) -> None:
        text = f"---\ntitle: {name.title()} page\norder: {order}\n---\nText of *{name}*.\n" if valid else "# no front matter\n"
        self.write(f"content/{name}.md", text, "write page" if valid else "write broken page")

    @precondition(lambda self: (self.root / "content/press.md").exists())
    @rule()
    def delete_page(self) -> None:
        self.remove(self.root / "content/press.md", "delete page")

    @rule(edit=st.sampled_from(["label", "colour", "fix", "title", "era", "fix", "language", "broken"]))
    def change_site_yaml(self, edit: str) -> None:
        path = self.root / "site.yaml"
        text = path.read_text(encoding="utf-8")
        text = {
            "label": text.replace("label: Courts", "label: Law courts").replace("label: Law courtss", "label: Courts"),
            "colour": text.replace('"#6a3d9a"', '"#2e6b30"', 1),
            "title": text.replace('title: "Harbour Bridge', 'title: "The Harbour Bridge', 1),
            "era": text + "  - label: Opening\n    start: 2024-11-01\n    end: 2024-12-31\n" if text.rstrip().endswith("2024-12-31") else text,
            "broken": text.replace("categories:\n", "categories: [\n", 1),
            "fix": text.replace("categories: [\n", "categories:\n", 1),
            "language": text.replace("languages: [en-GB, vi, fr]", "languages: [en-GB, fr, vi]") if "[en-GB, vi, fr]" in text
            else text.replace("languages: [en-GB, fr, vi]", "languages: [en-GB, vi, fr]"),
        }[edit]
        self.write("site.yaml", text, f"change site.yaml: {edit}")

    @rule(name=st.sampled_from(["partials/footer.html", "404.html", "partials/event_item.html"]), valid=MOSTLY_VALID)
    def write_template(self, name: str, valid: bool) -> None:
        if name == "partials/event_item.html":
            text = ("{% macro event_item(event, url, config) %}<li class=\"event-item\" data-category=\"{{ event.category }}\">"
                    "<a href=\"{{ url(event.url) }}\">{{ event.title }}</a> ({{ _('Event') }})</li>{% endmacro %}\n")
        else:
            text = "<footer>{{ config.short_title }} · {{ site.pages|length }} pages</footer>\n" if name.endswith("footer.html") else \
                "{% extends 'base.html' %}{% block main %}<p>Nothing here.</p>{% endblock %}\n"
        self.write(f"templates/{name}", text if valid else "{{ broken }\n", f"write template{'' if valid else ' (broken)'}")

    @precondition(lambda self: any((self.root / "templates").rglob("*.html")) if (self.root / "templates").exists() else False)
    @rule(data=st.data())
    def delete_template(self, data: st.DataObject) -> None:
        self.remove(data.draw(st.sampled_from(sorted((self.root / "templates").rglob("*.html")))), "delete template")

    @rule(name=st.sampled_from(["css/extra.css", "img/logo.svg", "img/favicon.svg"]), n=st.integers(0, 3))
    def write_static(self, name: str, n: int) -> None:
        text = f":root {{ --accent: #{n}{n}0000; }}\n" if name.endswith(".css") else f"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{n + 1}\"/>\n"
        self.write(f"static/{name}", text, "write static file")

    @precondition(lambda self: (self.root / "static").exists() and any(p.is_file() for p in (self.root / "static").rglob("*")))
    @rule(data=st.data())
    def delete_static(self, data: st.DataObject) -> None:
        files = sorted(p for p in (self.root / "static").rglob("*") if p.is_file())
        self.remove(data.draw(st.sampled_from(files)), "delete static file")

    # -- the property ---------------------------------------------------------------------------
    @invariant()
    def served_equals_a_fresh_build(self) -> None:
        if not hasattr(self, "live"):
            return
        changed, self.changed = self.changed, set()
        try:  # as the server does: the page asked for last now, the rest when it is idle
            self.live.rebuild(changed, complete=False)
            self.live.fill()
        except SiteInvalid:
            pass
        expected = fresh_build(self.root)
        STATES.append(not isinstance(expected, list))
        if isinstance(expected, list):  # the sources are invalid: every page shows the same problems
            assert sorted(self.live.snapshot.problems) == sorted(expected)
            status, body = served(self.app, "index.html")
            assert status == 500 and b"The site has errors" in body
            return
        assert self.live.snapshot.problems == []
        assert sorted(self.live.snapshot.rendering.materialize()) == sorted(expected)
        for path, data in expected.items():
            assert served(self.app, path) == (200, data), path


def run_sequences(machine: type[EditSequence], examples: int, steps: int) -> None:
    """Run the edit sequences Hypothesis draws (the same ones every run), counting them afresh."""
    STEPS.clear()
    STATES.clear()
    run_state_machine_as_test(machine, settings=settings(
        max_examples=examples, stateful_step_count=steps, deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))


def test_every_output_is_served_as_a_fresh_build_makes_it() -> None:
    assert {output.name for output in OUTPUTS} >= {"home", "event", "category", "page", "static", "not-found"}
    run_sequences(EditSequence, examples=12, steps=10)
    print(f"\n{len(STEPS)} edits applied; {len(STATES)} comparisons with a fresh build, {STATES.count(True)} of a valid site "
          f"and {STATES.count(False)} of an invalid one: "
          + ", ".join(f"{STEPS.count(kind)} {kind}" for kind in sorted(set(STEPS))))
    assert len(STEPS) >= 90 and STATES.count(True) >= 40 and STATES.count(False) >= 15
    touched = {thing for thing in ("event", "page", "site.yaml", "template", "static file") if any(thing in kind for kind in STEPS)}
    assert touched == {"event", "page", "site.yaml", "template", "static file"}
    assert {"add event", "delete event"} <= set(STEPS) and any(kind.startswith("change event") for kind in STEPS)


def folder_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


class CachedBuildSequence(EditSequence):
    """The same edits, checked through `build` itself: after every edit, a build that uses
    the cache (records, cards, files kept from the previous output) writes the same files
    as a --no-cache build, and a second cached build finds nothing to do."""

    @invariant()
    def served_equals_a_fresh_build(self) -> None:
        if not hasattr(self, "live"):
            return
        self.changed = set()
        outcomes: list[list[Problem] | None] = []
        for folder, use_cache in (("cached", True), ("uncached", False)):
            try:
                pipeline.build(self.root, self.tmp / folder, OVERRIDES, use_cache=use_cache)
                outcomes.append(None)
            except SiteInvalid as error:
                outcomes.append(sorted(error.problems))
        STATES.append(outcomes[0] is None)
        assert outcomes[0] == outcomes[1]
        if outcomes[0] is None:
            assert folder_files(self.tmp / "cached") == folder_files(self.tmp / "uncached")
            assert pipeline.build(self.root, self.tmp / "cached", OVERRIDES).up_to_date is not None


def test_a_cached_build_equals_an_uncached_one_after_every_edit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763856000")
    run_sequences(CachedBuildSequence, examples=4, steps=6)
    print(f"\n{len(STEPS)} edits ({', '.join(sorted(set(STEPS)))}); {STATES.count(True)} builds of a valid site compared, "
          f"{STATES.count(False)} of an invalid one")
    assert len(STEPS) >= 12 and len(set(STEPS)) >= 5 and STATES.count(True) >= 8 and STATES.count(False) >= 2


def test_a_broken_template_is_reported_with_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_site(tmp_path / "site")
    monkeypatch.chdir(root)
    live = LiveSite(root.resolve(), OVERRIDES, today=TODAY)
    live.rebuild(None)
    page = root.resolve() / "templates/page.html"
    page.parent.mkdir()
    page.write_text("{% extends 'base.html' %}\n{% block main %}\n{{ page.title }\n{% endblock %}\n")
    with pytest.raises(SiteInvalid) as raised:
        live.rebuild({page.parent, page})
    assert [str(p) for p in raised.value.problems] == ["templates/page.html:3:1: template error: unexpected '}'"]
