"""The whole build, top to bottom: load -> (nothing changed? stop) -> validate -> render ->
draw -> write.

Nothing is published until everything has validated and rendered (as Zola loads the whole
site before building it), so a failed build leaves the previous output exactly as it was;
files are streamed into a staging folder that replaces the output only when complete.
A build whose inputs and output are as the last one left them stops after loading
(`buildrecord.py`), so the later stages are imported only when a build reaches them.
`check` stops after validating; the preview server (`rebuild.py`) calls the same
`validate` and `render` on the files it keeps in memory, and only adds watching and serving.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .buildrecord import CACHE_ROOT, CARDS_CACHE, CHARTS_CACHE, MARKDOWN_CACHE, TEMPLATES_CACHE, BuildRecord, BuildRecords, build_date, inputs_key
from .errors import Problem, Problems, SiteInvalid
from .invocation import command
from .load import CONFIG_FILE, EVENTS_DIR, FIGURES_DIR, SourceFile, SourceTree, display_path, read_inside, site_folders
from .output_folder import check_output_folder, made_by_us
from .progress import QUIET, Progress
from .write import OutputLock, Staging, tidy, tidy_if_idle

if TYPE_CHECKING:  # the stages after loading are imported when a build reaches them: a build with nothing changed never does
    from .model import Site, SiteConfig
    from .ondemand import OnDemand
    from .outputs import Rendering
    from .render import RenderCaches
    from .validate import ParseCache


@dataclass(frozen=True)
class Overrides:
    """Settings given on the command line (or by the deployment) that win over site.yaml."""

    base_url: str | None = None
    repository_url: str | None = None

    def apply(self, config: SiteConfig) -> SiteConfig:
        from .validate import with_slash

        changes = {name: value for name, value in (("base_url", with_slash(self.base_url)),
                                                   ("repository_url", self.repository_url)) if value}
        return dataclasses.replace(config, **changes) if changes else config  # type: ignore[arg-type]


@dataclass
class BuildReport:
    site: Site | None = None
    warnings: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the paths written
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: BuildRecord | None = None  # set when nothing changed since this record: nothing was written

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = time.perf_counter() - start

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".html"))

    def summary(self) -> str:
        seconds = sum(self.timings.values())
        if self.up_to_date is not None:
            done = self.up_to_date
            return (f"Nothing changed since the last build: {done.events} events, {done.pages} pages ({done.files} files) "
                    f"are up to date (checked in {seconds:.2f} s)")
        assert self.site is not None
        phases = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in self.timings.items())
        return f"Built {len(self.site.events)} events into {self.pages} pages ({len(self.files)} files) in {seconds:.2f} s: {phases}"


def validate(tree: SourceTree, cache: ParseCache | None = None, overrides: Overrides = Overrides(),
             strict: bool = False, progress: Progress = QUIET, editions: bool = True) -> tuple[Site, list[Problem]]:
    """The site and its warnings, or SiteInvalid with every problem (warnings too, and
    warnings count as errors when `strict`). Without `editions`, the warnings leave out the
    missing translations (`edition_warnings`), for the caller to add later."""
    from .validate import validate_site

    try:
        site, warnings = validate_site(tree.sources(), cache, progress)
    except SiteInvalid as invalid:
        raise SiteInvalid([p.as_error() if strict else p for p in invalid.problems]) from None
    site = dataclasses.replace(site, config=overrides.apply(site.config))
    warnings = warnings + interface_warnings(tree, site.config) + (edition_warnings(site) if editions or strict else [])
    stale = schema_problem(site)
    if stale or (strict and warnings):
        raise SiteInvalid(([stale] if stale else []) + [p.as_error() if strict else p for p in warnings])
    return site, warnings


def edition_warnings(site: Site) -> list[Problem]:
    """Every missing or incomplete translation (`editions.translation_warnings`), the site's own placed in site.yaml."""
    from .editions import translation_warnings

    return translation_warnings(site, display_path(site.root / CONFIG_FILE))


def interface_warnings(tree: SourceTree, config: SiteConfig) -> list[Problem]:
    """A language without an interface catalogue would show English buttons on a Vietnamese page."""
    from .messages import Messages

    shown = display_path(tree.root / CONFIG_FILE)
    return [Problem(shown, 1, 1, "language", f"no interface catalogue for '{language}'; buttons and labels stay in English "
                    f"(add site_builder/locales/{language.replace('-', '_')}/LC_MESSAGES/messages.po)", "warning")
            for language in config.editions if not Messages(language).has_catalogue]


def render(site: Site, today: date, previous: Rendering | None = None, caches: RenderCaches | None = None,
           progress: Progress = QUIET, staging: Staging | None = None, on_demand: OnDemand | None = None) -> Rendering:
    """Every registered output in every edition, reusing files of `previous` whose inputs did
    not change; a build streams each file into its `staging` folder as it is rendered, the
    preview server has each made when it is asked for (`on_demand`)."""
    from . import outputs
    from .cards import CardCache
    from .editions import editions
    from .render import RenderCaches, Renderer

    caches = caches or RenderCaches(cards=CardCache(site.root / CARDS_CACHE))  # kept between builds: a card is drawn once
    renderers = {}
    for edition in editions(site.config):
        shown = site.edition(edition.language, caches.localised)
        renderer = Renderer(shown, today, caches, edition=edition)
        kept = previous.renderers.get(edition.language) if previous is not None else None
        renderers[edition.language] = kept.with_site(shown) if kept is not None and kept.site_wide == renderer.site_wide else renderer
    if on_demand is not None:
        from .ondemand import plan

        return plan(site, renderers, on_demand)
    return outputs.render(site, renderers, previous, progress, staging.put_kept if staging is not None else None)


def input_folders(root: Path) -> list[Path]:
    """Every folder a build reads (or keeps for itself): none of them may hold the output."""
    return [folder.path for folder in site_folders(root)] + [root / CACHE_ROOT, root / ".git"]


def build(root: Path, output: Path, overrides: Overrides = Overrides(), strict: bool = False,
          on_wait: Callable[[str], None] | None = None, use_cache: bool = True, progress: Progress = QUIET) -> BuildReport:
    """Check the output folder before reading anything, tidy up after a killed build, then
    load; stop there if nothing changed since the last build of this output. Otherwise
    validate; render into a staging folder, draw the share cards, write them and the rest
    (downloads, search index), and only then publish (`on_wait` hears if another build of
    the same output is under way and this one waits its turn).
    `use_cache` False ignores the cache folder, reading and writing nothing there;
    `progress` shows bars for the long phases (on a terminal)."""
    report = BuildReport()
    check_output_folder(output, root, input_folders(root))
    tidy_if_idle(output)
    today = build_date()
    records = BuildRecords(root) if use_cache else None
    with report.phase("load"):
        tree = SourceTree.read(root)
        inputs = inputs_key(tree, {"overrides": dataclasses.asdict(overrides), "strict": strict}, today)
        report.up_to_date = records.unchanged(output, inputs) if records else None
    if report.up_to_date is not None:
        report.warnings = report.up_to_date.problems
        return report
    with report.phase("validate"):
        report.site, report.warnings = validate(tree, overrides=overrides, strict=strict, progress=progress)
    from .cards import CardCache
    from .charts import ChartCompiler
    from .markup import MarkdownRenderer
    from .render import RenderCaches
    from .templatecache import CompiledTemplates

    caches = RenderCaches(cards=CardCache(root / CARDS_CACHE if use_cache else None),
                          markdown=MarkdownRenderer(root / MARKDOWN_CACHE if use_cache else None),
                          compiler=ChartCompiler(root / CHARTS_CACHE if use_cache else None),
                          templates=CompiledTemplates(root / TEMPLATES_CACHE if use_cache else None))
    with Staging(output, on_wait) as staging:
        with report.phase("render"):
            rendering = render(report.site, today, caches=caches, progress=progress, staging=staging)
        with report.phase("draw"):
            caches.cards.draw_missing(*rendering.scenes_ahead(), progress)
        with report.phase("write"):
            for name, data in progress.over(rendering.stream(), "write"):
                staging.put(name, data)
    report.files = sorted(staging.written)
    caches.markdown.save()
    caches.compiler.forget_unused()
    caches.templates.forget_stale()
    if records is not None:
        records.save(output, inputs, report.warnings, len(report.site.events), report.pages, len(report.files))
    return report


def clean(root: Path, output: Path) -> list[Path]:
    """Remove the built site (only one our builds made, by the output rules) and the cache
    folder; returns what was removed. Under the output's lock, so no build is publishing."""
    removed = []
    if output.exists():
        check_output_folder(output, root, input_folders(root))
        if made_by_us(output):
            with OutputLock(output.resolve()):
                tidy(output.resolve())
                shutil.rmtree(output)
            removed.append(output)
    cache = root / CACHE_ROOT
    if cache.is_dir() and not cache.is_symlink():
        shutil.rmtree(cache)
        removed.append(cache)
    return removed


def check(root: Path, strict: bool = False) -> BuildReport:
    report = BuildReport()
    report.site, report.warnings = validate(SourceTree.read(root), strict=strict)
    return report


def load_config(root: Path) -> SiteConfig:
    """Only site.yaml: for commands such as `new` that must work while an event is unfinished."""
    from .validate import read_config

    path = root / CONFIG_FILE
    problems = Problems()
    found = read_inside(path, root)  # by the build's rules: no link out of the site, no pipe
    if isinstance(found, Problem):
        problems.items.append(found)
    elif found is None:
        problems.add(display_path(path), 1, 1, "", "site configuration file not found")
    config = read_config(display_path(path), found.data, problems) if isinstance(found, SourceFile) else None
    if config is None:
        raise SiteInvalid(problems.items)
    return config


def schema_text(config: SiteConfig, folder: str = EVENTS_DIR) -> str:
    """The JSON Schema editors use for the files of `folder` (events/ or figures/)."""
    from . import formats

    schema = formats.figure_json_schema(config.editions[1:]) if folder == FIGURES_DIR else \
        formats.event_json_schema(config.category_keys, config.editions[1:])
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_files(root: Path) -> list[tuple[Path, str]]:
    """(schema file, folder) for events/ always, and figures/ when the site has one."""
    from .formats import SCHEMA_FILE

    return [(root / folder / SCHEMA_FILE, folder) for folder in (EVENTS_DIR, FIGURES_DIR)
            if folder == EVENTS_DIR or (root / folder).is_dir()]


def schema_problem(site: Site) -> Problem | None:
    """A stale schema.json would give contributors wrong hints in their editor."""
    for path, folder in schema_files(site.root):
        if path.is_file() and path.read_text(encoding="utf-8") != schema_text(site.config, folder):
            where = () if site.root.resolve() == Path.cwd().resolve() else ("--site", display_path(site.root))
            return Problem(display_path(path), 1, 1, "",
                           f"out of date with the {folder[:-1]} format or site.yaml categories and languages; run: {command('schema', *where)}")
    return None
