"""The Resolution 57 site itself: it builds, passes the strict check, and every event page
shows its sources. Written for any set of events, so adding, editing or removing an
ordinary event in events/ fails none of these (engine tests use tests/sites/ instead)."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import REPO, build_once
from linkcheck import broken_links, parse

SCHEMA_PATH = REPO / "events/schema.json"


@pytest.fixture(scope="module")
def real_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_once(tmp_path_factory, "real", REPO, "--strict", "--base-url", "https://timeline.test/resolution-57/")


def event_files() -> list[Path]:
    return sorted((REPO / "events").rglob("*.yaml"))


def test_strict_check_passes(run_cli) -> None:
    result = run_cli("check", "--site", str(REPO), "--strict")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[0].endswith(": no problems found")


def editions() -> dict[str, str]:
    """Each language of the site and the folder its edition is published in."""
    languages = yaml.safe_load((REPO / "site.yaml").read_text(encoding="utf-8"))["languages"]
    return {language: "" if index == 0 else f"{language}/" for index, language in enumerate(languages)}


def test_every_event_page_in_every_edition_cites_its_sources(real_output: Path) -> None:
    assert event_files()
    for path in event_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for prefix in editions().values():
            html = (real_output / prefix / "events" / path.stem / "index.html").read_text(encoding="utf-8")
            cited = re.findall(r'<li id="source-\d+">.*?<a href="(https?://[^"]+)"', html, re.S)
            assert cited == [source["url"] for source in data["sources"]], (prefix, path.name)
            assert len(cited) >= 1


def test_every_internal_link_resolves(real_output: Path) -> None:
    assert broken_links(real_output, mount="/resolution-57/") == []


def test_every_page_names_its_language(real_output: Path) -> None:
    folders = {prefix.rstrip("/"): language for language, prefix in editions().items() if prefix}
    default = next(iter(editions()))
    for page in real_output.rglob("*.html"):
        top = page.relative_to(real_output).parts[0]
        assert f'<html lang="{folders.get(top, default)}">' in page.read_text(encoding="utf-8"), page
        assert parse(page).links  # every page links somewhere (the masthead at least)


def test_every_event_matches_the_editor_schema() -> None:
    validator = jsonschema.Draft202012Validator(yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8")))
    for path in event_files():
        # YAML 1.2 as editors read it: dates stay strings
        text = re.sub(r"^(\s*(?:- )?(?:date|end_date|updated): )(\d{4}-\d{2}-\d{2})(\s*#.*)?$", r'\1"\2"', path.read_text(encoding="utf-8"), flags=re.M)
        assert list(validator.iter_errors(yaml.safe_load(text))) == [], path.name


def test_this_site_keeps_only_its_own_theme_files() -> None:
    """The theme lives in the engine; the site's templates/ and static/ hold only what is its own."""
    theme = REPO / "site_builder/theme"
    for folder in ("templates", "static"):
        for path in (REPO / folder).rglob("*"):
            if path.is_file():
                twin = theme / folder / path.relative_to(REPO / folder)
                assert not twin.exists() or twin.read_bytes() != path.read_bytes(), f"{path} is a copy of {twin}"
