"""`init` starts a new timeline that builds at once, and the built wheel alone can do it:
no file of this repository is needed (the theme, catalogues and starter are package data)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from browser import http_server
from conftest import REPO, open_page

STARTER_FILES = [
    ".github/workflows/site.yml", ".gitignore", ".pre-commit-config.yaml", ".vscode/settings.json", "CONTRIBUTING.md",
    "Makefile", "README.md", "content/about.md", "content/methodology.md", "events/2025-01-15-example-law-passed.yaml",
    "events/2025-03-example-month-precision-event.yaml", "events/2030-example-target.yaml", "events/schema.json",
    "requirements.txt", "site.yaml",
]


def files_under(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def test_init_writes_a_project_that_builds_at_once(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("init", "my-timeline")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "Wrote a new timeline in my-timeline (15 files)."
    assert files_under(tmp_path / "my-timeline") == STARTER_FILES
    requirements = (tmp_path / "my-timeline/requirements.txt").read_text()
    assert re.search(r"^site-builder==\d+\.\d+\.\d+$", requirements, re.M)

    built = run_cli("build", "--site", "my-timeline")
    assert built.code == 0, built.err
    assert (tmp_path / "my-timeline/output/events/2025-01-15-example-law-passed/index.html").is_file()
    # The examples' sources are placeholders: warned about, and refused by --strict.
    assert built.err.splitlines()[-1] == "3 files, 3 warnings"
    assert "sources[0].url: 'https://example.org/replace-with-the-article-address' is a placeholder address" in built.err
    assert run_cli("check", "--site", "my-timeline", "--strict").code == 1


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken/notes.txt").write_text("keep me\n")
    result = run_cli("init", "taken")
    assert (result.code, result.err) == (2, "site-builder init: error: taken is not empty; init writes a new project only into an empty or new folder\n")
    assert files_under(tmp_path / "taken") == ["notes.txt"]
    (tmp_path / "empty").mkdir()
    assert run_cli("init", "empty").code == 0


def test_the_new_project_runs_only_its_readme_commands() -> None:
    from site_builder.starter import STARTER

    readme = (STARTER / "README.md").read_text()
    documented = set(re.findall(r"^(make \w+)", "\n".join(re.findall(r"```sh\n(.*?)```", readme, re.S)), re.M))
    assert {"make serve", "make test", "make check", "make build", "make new"} <= documented
    workflow = yaml.safe_load((STARTER / "github/workflows/site.yml").read_text())
    runs = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    assert runs and all(re.match(r"make \w+", run).group(0) in documented for run in runs), runs  # type: ignore[union-attr]
    hook = yaml.safe_load((STARTER / "pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    assert hook["entry"] == "make check"  # actionlint checks the workflow: test_contributing.py


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(folder), str(REPO)],
                   check=True, capture_output=True)
    [built] = folder.glob("site_builder-*.whl")
    return built


def test_the_wheel_carries_theme_catalogues_and_starter(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ["site_builder/theme/templates/index.html", "site_builder/theme/templates/partials/macros.html",
                     "site_builder/theme/static/vendor/vega-runtime.min.js", "site_builder/theme/static/js/timeline.js",
                     "site_builder/theme/static/css/site.css", "site_builder/locales/en/LC_MESSAGES/messages.po",
                     "site_builder/starter/github/workflows/site.yml", "site_builder/starter/gitignore", "site_builder/py.typed"]:
        assert expected in names, expected
    assert not [name for name in names if name.startswith(("events/", "content/", "tests/", "templates/", "static/"))]


@pytest.mark.browser
def test_a_fresh_venv_with_only_the_wheel_makes_a_working_site(wheel: Path, tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin/python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True, timeout=900)
    work = tmp_path / "elsewhere"
    work.mkdir()
    clean_env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    script = env_dir / "bin/site-builder"
    init = subprocess.run([str(script), "init", "my-timeline"], cwd=work, capture_output=True, text=True, env=clean_env)
    assert init.returncode == 0, init.stderr
    build = subprocess.run([str(script), "build", "--site", "my-timeline"], cwd=work, capture_output=True, text=True, env=clean_env)
    assert build.returncode == 0, build.stderr
    assert build.stdout.startswith("Built 3 events into ")
    where = subprocess.run([str(python), "-c", "import site_builder; print(site_builder.__file__)"], capture_output=True, text=True,
                           cwd=work, env=clean_env)
    assert where.stdout.startswith(str(env_dir)), "the package must come from the wheel, not this repository"
    output = work / "my-timeline/output"
    assert str(REPO) not in "".join(path.read_text(errors="replace") for path in output.rglob("*.html"))
    with http_server(output) as url:
        context, page = open_page(browser, url)
        page.goto(url)
        page.wait_for_selector("#timeline[data-ready=true] svg")
        assert page.locator("#timeline svg .event_marks_marks path").count() == 3  # one mark per example event
        assert page.locator(".all-events .event-item").count() == 3
        assert page.watch.errors == [] and page.watch.foreign_requests == []
        context.close()
