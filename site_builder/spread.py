"""Pages rendered on every core: a large build hands its event pages to helper processes.

Jinja and Python-Markdown hold Python's lock while they work, so threads would take
turns; processes do not. Each helper is spawned (not forked: the parent may already run
vl-convert's threads, which a fork would copy half-way), receives the validated site of
every edition once, pickled (0.3 s for 10,000 events), and renders the pages it is given
by their place in their output's list of targets, so no page's subject is sent twice.
A page is the same bytes whichever process renders it: it depends only on the site, the
edition and the build date, which the helper receives whole. Rendered Markdown goes both
ways, so the cache folder keeps what the helpers converted.

The parent goes on with every other output while the helpers work, and takes their pages
back in order. Helpers are spawned, so they import the main module: a script that builds a
large site must guard its entry point (`if __name__ == "__main__":`), as cards already require.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .editions import Edition
from .markup import MarkdownRenderer
from .model import Site

SPREAD_FROM = 600  # pages from which rendering is spread: a helper costs about a second to start
CHUNK = 100  # pages per task: small enough to share the work out evenly, large enough to cost little to send


@dataclass(frozen=True)
class Job:
    """One page for a helper: which output, in which edition, and its place in that output's targets."""

    output: str
    language: str
    index: int
    path: str


Chunk = tuple[list[bytes], dict[str, str]]  # pages, and the Markdown the helper converted for them


def spreading(pages: int) -> bool:
    """Whether this many pages are worth the helpers' start-up, on this machine."""
    return pages >= SPREAD_FROM and (os.cpu_count() or 1) > 1


def _task_list(jobs: list[Job], workers: int) -> list[list[Job]]:
    size = max(10, min(CHUNK, len(jobs) // (workers * 4) or 1))
    return [jobs[start:start + size] for start in range(0, len(jobs), size)]


class Helpers:
    """The helper processes of one render, started with the work already handed out."""

    def __init__(self, renderers: dict[str, Any], jobs: list[Job]) -> None:
        import multiprocessing

        self.jobs = jobs
        first = next(iter(renderers.values()))  # every edition's renderer shares the build's caches and date
        self.markdown: MarkdownRenderer = first.caches.markdown
        workers = os.cpu_count() or 1
        sites = {language: (renderer.site, renderer.edition) for language, renderer in renderers.items()}
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_start, initargs=(sites, first.today, self.markdown.known(), first.caches.templates.folder))
        self.tasks: list[tuple[list[Job], Future[Chunk]]] = [(task, self.pool.submit(_render, task)) for task in _task_list(jobs, workers)]

    def results(self) -> Iterator[tuple[str, bytes]]:
        """Every page as (path, bytes), in the order handed out; the first error raised by a
        helper (a SiteInvalid for a broken page) is raised here."""
        for task, future in self.tasks:
            pages, converted = future.result()
            self.markdown.adopt(converted)
            yield from zip((job.path for job in task), pages, strict=True)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Helpers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_renderers: dict[str, Any] = {}
_outputs: dict[str, Any] = {}
_targets: dict[tuple[str, str], list[Any]] = {}


def _start(sites: dict[str, tuple[Site, Edition]], today: date, known: dict[str, str], templates: Path | None) -> None:
    """In a helper: one renderer per edition, sharing one Markdown renderer that knows the
    parent's results, and the compiled templates the build keeps (`templates`, a folder)."""
    from .outputs import OUTPUTS
    from .render import RenderCaches, Renderer
    from .templatecache import CompiledTemplates

    _outputs.update({output.name: output for output in OUTPUTS})
    caches = RenderCaches(markdown=MarkdownRenderer.knowing(known), templates=CompiledTemplates(templates))
    _renderers.update({language: Renderer(site, today, caches, edition=edition) for language, (site, edition) in sites.items()})


def _render(task: list[Job]) -> Chunk:
    pages = []
    for (name, language), jobs in itertools.groupby(task, key=lambda job: (job.output, job.language)):
        renderer, output = _renderers[language], _outputs[name]
        targets = _targets.get((name, language))
        if targets is None:
            targets = _targets[(name, language)] = list(output.targets(renderer.site))
        pages += [bytes(output.render(renderer, targets[job.index][1])) for job in jobs]
    return pages, next(iter(_renderers.values())).caches.markdown.handed_over()
