"""Shared fixtures: small throwaway sites, the CLI run in-process, the fixture site under
tests/sites/basic built once. Engine tests never read the live events/ (test_content.py
is where the real site is tested)."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_builder.cli import main

from browser import CHROMIUM, CHROMIUM_ARGS, PageWatch, http_server, require_chromium

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "sites" / "basic"

SITE_YAML = """\
title: Test timeline
standfirst: A small site for tests.
language: en-GB
base_url: https://news.test/timeline/
categories:
  - key: party
    label: Party
    colour: "#b3261e"
  - key: government
    label: Government
    colour: "#1f5f9e"
"""

GOOD_EVENT = """\
title: Politburo issues Resolution 57
date: 2024-12-22
category: party
importance: 1
summary: The Politburo issued Resolution No. 57-NQ/TW.
sources:
  - title: An article
    publisher: A publisher
    url: https://news.test/article
"""

# A key figure with one sourced value, for tests of figures/.
FIGURE = """\
title: Digital economy's share of GDP
label: Digital economy
unit: percent-of-gdp
values:
  - value: 18.3
    as_of: 2024
    sources:
      - title: A report
        publisher: A publisher
        url: https://news.test/report
"""


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class TinySite:
    root: Path

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def event(self, slug: str, text: str = GOOD_EVENT) -> Path:
        return self.write(f"events/{slug}.yaml", text)


@pytest.fixture
def tiny_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TinySite:
    """A valid one-event site in a temporary folder, which is also the current folder,
    so that error messages name files as a contributor would type them."""
    root = tmp_path / "site"
    root.mkdir()
    site = TinySite(root)
    site.write("site.yaml", SITE_YAML)
    site.event("2024-12-22-resolution-57")
    site.write("content/about.md", "---\ntitle: About\n---\nAbout this site.\n")
    monkeypatch.chdir(root)
    return site


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Run `python build.py ARGS` in-process and capture exit code, stdout and stderr."""

    def run(*args: str) -> Result:
        try:
            code = main(list(args))
        except SystemExit as exit:  # argparse usage errors and --help
            code = int(exit.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


BUILD_DATE_EPOCH = "1763856000"  # 2025-11-23: a fixed 'today' so chart output is reproducible


EDITIONS_FIXTURE = Path(__file__).resolve().parent / "sites" / "editions"  # three languages


def build_once(tmp_path_factory: pytest.TempPathFactory, name: str, site: Path, *options: str) -> Path:
    """`site` built with the fixed 'today' into a fresh folder named `name`/timeline."""
    output = tmp_path_factory.mktemp(name) / "timeline"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
        assert main(["build", "--site", str(site), "--output", str(output), *options]) == 0
    return output


@pytest.fixture(scope="session")
def fixture_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built once for all tests that only read the output."""
    return build_once(tmp_path_factory, "fixture", FIXTURE)


@pytest.fixture(scope="session")
def editions_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-language fixture site, built once (editions and search tests read it)."""
    return build_once(tmp_path_factory, "editions", EDITIONS_FIXTURE)


def fixture_events() -> dict[str, dict[str, object]]:
    """The fixture's events as plain data, by slug, for tests that count or look them up."""
    import yaml

    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((FIXTURE / "events").glob("*.yaml"))}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium through Playwright; skipped without it, except in CI where it fails."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def site_url(fixture_output: Path) -> Iterator[str]:
    with http_server(fixture_output) as url:
        yield url


def open_page(browser, origin: str, **context_options):  # type: ignore[no-untyped-def]
    """A fresh browser context and page that records console errors and foreign requests."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options})
    page = context.new_page()
    page.watch = PageWatch(origin=origin.rstrip("/"))
    page.watch.attach(page)
    return context, page


@pytest.fixture
def page(browser, site_url: str):  # type: ignore[no-untyped-def]
    context, page = open_page(browser, site_url)
    yield page
    context.close()
    assert page.watch.errors == [], "console errors"
    assert page.watch.foreign_requests == [], "requests left the local origin"


def copy_site(destination: Path, source: Path = FIXTURE) -> Path:
    """A throwaway copy of a site (the fixture site unless told otherwise) to edit freely."""
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns("output", ".*"))
    return destination


# -- Browser tests without Chromium: say so loudly, at the top and at the end ---------------
def pytest_report_header(config: pytest.Config) -> str | None:
    if CHROMIUM.exists() or os.environ.get("CI"):
        return None
    return BROWSER_NOTICE


def pytest_unconfigure(config: pytest.Config) -> None:
    """After pytest's own last line, so that a green summary cannot hide the skipped tests."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and not CHROMIUM.exists() and not os.environ.get("CI"):
        skipped = len(reporter.stats.get("skipped", []))
        reporter.write_line(f"{BROWSER_NOTICE} ({skipped} tests skipped)", yellow=True, bold=True)


BROWSER_NOTICE = (f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing. Install Debian's chromium "
                  "(sudo apt-get install chromium) or run ./.ci/run, which installs it.")
