"""Shared fixtures: small throwaway sites, the CLI run in-process, the real site built once."""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def real_site_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site, built once for all tests that only read the output."""
    output = tmp_path_factory.mktemp("real") / "output"
    assert main(["build", "--site", str(REPO), "--output", str(output)]) == 0
    return output


def copy_real_site(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    for name in ("site.yaml", "events", "content"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy2(source, destination / name)
    return destination
