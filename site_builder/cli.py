"""Command line: build, check, new, new-figure, init, serve, schema.

Exit codes: 0 success, 1 the site has problems (or the build could not be written),
2 the command line is wrong. Problems are reported by one `Reporter` (text on stderr, or
one JSON document, plus GitHub annotations on Actions); no traceback reaches a user
unless --debug asks for it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import pipeline
from .editions import coverage
from .errors import SiteInvalid, UsageError, count
from .invocation import command, program
from .load import display_path
from .output_folder import DEFAULT_OUTPUT
from .progress import Progress
from .reporting import Reporter, changed_since


def default_site() -> Path:
    """`python build.py` builds the folder build.py sits in; the installed script, the current one."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    return argv0.resolve().parent if argv0 is not None and argv0.name == "build.py" else Path.cwd()


def _site_folder(value: str | None) -> Path:
    root = Path(value) if value else default_site()
    if not root.is_dir():
        raise UsageError(f"--site {value}: no such folder")
    return root


def _add_site_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", metavar="DIR", help="folder holding site.yaml, events/ and content/ (default: the current folder)")
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)


def _add_strict_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="treat warnings (placeholder text, example addresses) as errors")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program(),
        description="Build, check and preview a sourced timeline site.",
        epilog="Exit codes: 0 success, 1 content or build errors, 2 usage errors.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="validate everything, then write the site",
                                description="Validate every file, render the site and swap it into the output folder. On any error nothing is written.")
    _add_site_option(build)
    _add_strict_option(build)
    build.add_argument("--output", metavar="DIR", help="where to write the site (default: output/ in the site folder)")
    build.add_argument("--base-url", metavar="URL", help="public address of the site, e.g. https://example.org/timeline/ (default: base_url in site.yaml)")
    build.add_argument("--repository-url", metavar="URL",
                       help="where contributors edit the site, e.g. https://github.com/OWNER/REPO (default: repository_url in site.yaml)")
    build.add_argument("--no-cache", action="store_true",
                       help="ignore the cache folder (.site-builder-cache/): draw every share card and write the whole site again")

    clean = commands.add_parser("clean", help="remove the built site and the cache",
                                description="Remove the output folder (only if a build made it) and the cache folder .site-builder-cache/.")
    _add_site_option(clean)
    clean.add_argument("--output", metavar="DIR", help="the built site to remove (default: output/ in the site folder)")

    check = commands.add_parser("check", help="validate everything, write nothing", description="Validate site.yaml, every event and every page; print every problem.")
    _add_site_option(check)
    _add_strict_option(check)
    check.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json for tools (one JSON document on stdout)")
    check.add_argument("--changed", metavar="BASE_REF", help="list problems in files changed since this git ref (e.g. origin/main) first")

    new = commands.add_parser("new", help="start a new event file", description="Write events/<date>-<title>.yaml from a commented template; never overwrites.")
    new.add_argument("title", metavar="TITLE", help="the event's title, e.g. \"Hải Phòng hosts regional conference\"")
    new.add_argument("--date", required=True, metavar="YYYY[-MM[-DD]]", help="the date at the precision the source gives")
    new.add_argument("--category", metavar="KEY", help="one of the categories in site.yaml")
    _add_site_option(new)

    figure = commands.add_parser("new-figure", help="start a new key figure file",
                                 description="Write figures/<title>.yaml from a commented template; never overwrites.")
    figure.add_argument("title", metavar="TITLE", help="what is measured, e.g. \"Digital economy's share of GDP\"")
    figure.add_argument("--unit", default="count", help="count (default), percent, percent-of-gdp, rank or usd-billion")
    _add_site_option(figure)

    init = commands.add_parser("init", help="start a new timeline project in an empty folder",
                               description="Write a new timeline project (site.yaml, three example events, pages, README, workflow, "
                                           "pre-commit, schema) into DIR, which must be empty or absent.")
    init.add_argument("folder", metavar="DIR", help="the new project's folder")
    init.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    serve = commands.add_parser("serve", help="build and preview with live reload", description="Build the site, serve it and rebuild when a file changes.")
    _add_site_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument("--no-livereload", action="store_true", help="do not inject the live-reload script")

    schema = commands.add_parser("schema", help="write events/schema.json (and figures/schema.json) for editors",
                                 description="Regenerate the JSON Schema of event and figure files from their formats and site.yaml.")
    _add_site_option(schema)
    return parser


def _site_args(root: Path) -> tuple[str, ...]:
    """'--site DIR' when the site is not where the command would look by default."""
    return () if root.resolve() == default_site().resolve() else ("--site", display_path(root))


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    if args.command == "init":
        from .starter import init_project

        folder = Path(args.folder)
        written = init_project(folder)
        reporter.note(f"Wrote a new timeline in {display_path(folder)} ({count(len(written), 'file')}).")
        reporter.note(f"Next: cd {display_path(folder)} && make serve   (or: {command('serve', '--site', display_path(folder))})")
        return 0
    root = _site_folder(args.site)
    if args.command == "build":
        output = Path(args.output) if args.output else root / DEFAULT_OUTPUT
        overrides = pipeline.Overrides(base_url=args.base_url, repository_url=args.repository_url)
        report = pipeline.build(root, output, overrides, strict=args.strict, on_wait=reporter.note, use_cache=not args.no_cache,
                                progress=Progress.on_terminal())
        reporter.done(report.summary(), report.warnings)
        return 0
    if args.command == "clean":
        output = Path(args.output) if args.output else root / DEFAULT_OUTPUT
        removed = pipeline.clean(root, output)
        reporter.note(f"Removed {' and '.join(display_path(path) for path in removed)}." if removed else "Nothing to remove.")
        return 0
    if args.command == "check":
        changed = changed_since(root, args.changed) if args.changed else None
        try:
            report = pipeline.check(root, strict=args.strict)
        except SiteInvalid as error:
            reporter.problems(error.problems, changed=changed, base_ref=args.changed or "")
            return 1
        assert report.site is not None
        site, warnings = report.site, report.warnings
        found = "no problems found" if not warnings else f"no errors, {count(len(warnings), 'warning')} (--strict makes warnings errors)"
        translated = coverage(site)
        figures = f", {count(len(site.figures), 'figure')}" if site.figures else ""
        lines = [f"{count(len(site.events), 'event')}, {count(len(site.pages), 'page')}{figures}: {found}"]
        lines += [f"{language}: {done} of {total} events translated" + (f" ({total - done} missing)" if done < total else "")
                  for language, (done, total) in translated.items()]
        reporter.done("\n".join(lines), warnings, events=len(site.events), pages=len(site.pages),
                      translations={language: {"translated": done, "events": total} for language, (done, total) in translated.items()})
        return 0
    if args.command == "new":
        from .scaffold import ask_category, new_event

        config = pipeline.load_config(root)
        category = args.category
        if category is None and sys.stdin.isatty():
            category = ask_category(config)
        check = command("check", *_site_args(root))
        path = new_event(root, config, args.title, args.date, category, check)
        reporter.note(f"Wrote {display_path(path)}")
        reporter.note(f"Fill in the fields marked REQUIRED (and the sources), then run: {check}")
        return 0
    if args.command == "new-figure":
        from .scaffold import new_figure

        check = command("check", *_site_args(root))
        path = new_figure(root, pipeline.load_config(root), args.title, args.unit, check)
        reporter.note(f"Wrote {display_path(path)}")
        reporter.note(f"Fill in the fields marked REQUIRED (and the sources), then run: {check}")
        return 0
    if args.command == "schema":
        config = pipeline.load_config(root)
        for schema, kind in pipeline.schema_files(root):
            schema.parent.mkdir(parents=True, exist_ok=True)
            schema.write_text(pipeline.schema_text(config, kind), encoding="utf-8")
            reporter.note(f"Wrote {display_path(schema)}")
        return 0
    if args.command == "serve":
        from .serve import serve

        return serve(root, host=args.host, port=args.port, open_browser=args.open, livereload=not args.no_livereload, reporter=reporter)
    raise UsageError(f"unknown command {args.command}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    debug = args.debug or os.environ.get("SITE_BUILDER_DEBUG") == "1"
    reporter = Reporter(format=getattr(args, "format", "text"))
    try:
        return run(args, reporter)
    except SiteInvalid as error:
        reporter.problems(error.problems, tail="; nothing was written" if args.command == "build" else "")
        return 1
    except UsageError as error:
        print(f"{parser.prog} {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except OSError as error:
        if debug:
            raise
        print(f"error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except Exception as error:  # a bug in the generator, not in the site
        if debug:
            raise
        print(f"internal error: {type(error).__name__}: {error}\nThis is a bug in the site builder; run again with --debug for details.", file=sys.stderr)
        return 1
