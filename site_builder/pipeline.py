"""The whole build, top to bottom: load -> validate -> render -> write.

Nothing is written until everything has validated and rendered (as Zola loads the whole
site before building it), so a failed build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import dataclasses
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from . import formats
from .errors import Problem, Problems, SiteInvalid
from .load import CONFIG_FILE, EVENTS_DIR, display_path, read_sources, read_static
from .model import Site, SiteConfig
from .chartdata import build_date
from .render import OutputFiles, render_site
from .validate import ParseCache, read_config, validate_site
from .write import check_output_folder, write_site


@dataclass
class BuildReport:
    site: Site | None = None
    files: OutputFiles = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = time.perf_counter() - start

    def summary(self) -> str:
        assert self.site is not None
        pages = sum(1 for name in self.files if name.endswith(".html"))
        phases = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in self.timings.items())
        return f"Built {len(self.site.events)} events into {pages} pages ({len(self.files)} files) in {sum(self.timings.values()):.2f} s: {phases}"


def load_and_validate(
    root: Path, report: BuildReport, cache: ParseCache | None = None, base_url: str | None = None, check_schema: bool = True
) -> Site:
    with report.phase("load"):
        sources = read_sources(root)
    with report.phase("validate"):
        site = validate_site(sources, cache)
        stale = schema_problem(site) if check_schema else None
        if stale:
            raise SiteInvalid([stale])
        if base_url:
            site = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=base_url.rstrip("/") + "/"))
    report.site = site
    return site


def build(root: Path, output: Path, base_url: str | None = None, cache: ParseCache | None = None) -> BuildReport:
    report = BuildReport()
    check_output_folder(output, root)
    site = load_and_validate(root, report, cache, base_url)
    with report.phase("render"):
        report.files = render_site(site, read_static(root), build_date())
    with report.phase("write"):
        write_site(report.files, output)
    return report


def load_config(root: Path) -> SiteConfig:
    """Only site.yaml: for commands such as `new` that must work while an event is unfinished."""
    path = root / CONFIG_FILE
    problems = Problems()
    if not path.is_file():
        problems.add(display_path(path), 1, 1, "", "site configuration file not found")
    config = read_config(display_path(path), path.read_bytes(), problems) if not problems else None
    if config is None:
        raise SiteInvalid(problems.items)
    return config


def check(root: Path) -> BuildReport:
    report = BuildReport()
    load_and_validate(root, report)
    return report


def schema_text(site: Site) -> str:
    return json.dumps(formats.event_json_schema(site.config.category_keys), indent=2, ensure_ascii=False) + "\n"


def schema_problem(site: Site) -> Problem | None:
    """A stale events/schema.json would give contributors wrong hints in their editor."""
    path = site.root / EVENTS_DIR / formats.SCHEMA_FILE
    if path.is_file() and path.read_text(encoding="utf-8") != schema_text(site):

        return Problem(display_path(path), 1, 1, "", "out of date with the event format or site.yaml categories; run 'python build.py schema'")
    return None
