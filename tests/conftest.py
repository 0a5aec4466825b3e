"""Shared fixtures: small throwaway sites, the CLI run in-process, the real site built once."""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, PageWatch, http_server, require_chromium
from site_builder.cli import main

REPO = Path(__file__).resolve().parent.parent

SITE_YAML = """\
title: Test timeline
standfirst: A small site for tests.
language: en-GB
base_url: https://example.org/timeline/
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
    url: https://example.org/article
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


@pytest.fixture(scope="session")
def real_site_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site, built once for all tests that only read the output."""
    output = tmp_path_factory.mktemp("real") / "output"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
        assert main(["build", "--site", str(REPO), "--output", str(output)]) == 0
    return output


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
def site_url(real_site_output: Path) -> Iterator[str]:
    with http_server(real_site_output) as url:
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


def copy_real_site(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    for name in ("site.yaml", "events", "content"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy2(source, destination / name)
    return destination
