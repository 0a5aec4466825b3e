"""Command line: build, check, new, serve, schema.

Exit codes: 0 success, 1 the site has problems (or the build could not be written),
2 the command line is wrong. Problems go to stderr, one per line, as
`path:line:col: field: message`, then one summary line. No traceback reaches a user
unless --debug asks for it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

from . import pipeline
from .errors import SiteInvalid, UsageError
from .load import display_path
from .reporting import changed_since, print_problems

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent


def _site_folder(value: str | None) -> Path:
    root = Path(value) if value else REPOSITORY_ROOT
    if not root.is_dir():
        raise UsageError(f"--site {value}: no such folder")
    return root


def _add_site_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", metavar="DIR", help="folder holding site.yaml, events/ and content/ (default: the repository root)")
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build, check and preview a sourced timeline site.",
        epilog="Exit codes: 0 success, 1 content or build errors, 2 usage errors.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="validate everything, then write the site", description="Validate every file, render the site and swap it into the output folder. On any error nothing is written.")
    _add_site_option(build)
    build.add_argument("--output", metavar="DIR", help="where to write the site (default: output/ in the site folder)")
    build.add_argument("--base-url", metavar="URL", help="public address of the site, e.g. https://example.org/timeline/ (default: base_url in site.yaml)")

    check = commands.add_parser("check", help="validate everything, write nothing", description="Validate site.yaml, every event and every page; print every problem.")
    _add_site_option(check)
    check.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json for tools")
    check.add_argument("--changed", metavar="BASE_REF", help="list problems in files changed since this git ref (e.g. origin/main) first")

    new = commands.add_parser("new", help="start a new event file", description="Write events/<date>-<title>.yaml from a commented template; never overwrites.")
    new.add_argument("title", metavar="TITLE", help="the event's title, e.g. \"Hải Phòng hosts regional conference\"")
    new.add_argument("--date", required=True, metavar="YYYY[-MM[-DD]]", help="the date at the precision the source gives")
    new.add_argument("--category", metavar="KEY", help="one of the categories in site.yaml")
    _add_site_option(new)

    serve = commands.add_parser("serve", help="build and preview with live reload", description="Build the site, serve it and rebuild when a file changes.")
    _add_site_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument("--no-livereload", action="store_true", help="do not inject the live-reload script")

    schema = commands.add_parser("schema", help="write events/schema.json for editors", description="Regenerate the JSON Schema of event files from the event format and site.yaml.")
    _add_site_option(schema)
    return parser


def run(args: argparse.Namespace) -> int:
    root = _site_folder(args.site)
    if args.command == "build":
        output = Path(args.output) if args.output else root / "output"
        report = pipeline.build(root, output, base_url=args.base_url)
        print(report.summary())
        return 0
    if args.command == "check":
        changed = changed_since(root, args.changed) if args.changed else None
        try:
            report = pipeline.check(root)
        except SiteInvalid as error:
            if args.format == "json":
                print(json.dumps({"ok": False, "problems": [p.to_dict() for p in error.problems]}, ensure_ascii=False))
            print_problems(error.problems, changed=changed, base_ref=args.changed or "")
            return 1
        assert report.site is not None
        if args.format == "json":
            print(json.dumps({"ok": True, "events": len(report.site.events), "problems": []}))
        else:
            print(f"{len(report.site.events)} events, {len(report.site.pages)} pages: no problems found")
        return 0
    if args.command == "new":
        from .scaffold import ask_category, new_event

        config = pipeline.load_config(root)
        category = args.category
        if category is None and sys.stdin.isatty():
            category = ask_category(config)
        path = new_event(root, config, args.title, args.date, category)
        print(f"Wrote {display_path(path)}")
        print("Fill in the fields marked REQUIRED (and the sources), then run: python build.py check")
        return 0
    if args.command == "schema":
        report = pipeline.BuildReport()
        site = pipeline.load_and_validate(root, report, check_schema=False)
        path = root / "events" / "schema.json"
        path.write_text(pipeline.schema_text(site), encoding="utf-8")
        print(f"Wrote {display_path(path)}")
        return 0
    if args.command == "serve":
        from .serve import serve

        return serve(root, host=args.host, port=args.port, open_browser=args.open, livereload=not args.no_livereload)
    raise UsageError(f"unknown command {args.command}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    debug = args.debug or os.environ.get("SITE_BUILDER_DEBUG") == "1"
    try:
        return run(args)
    except SiteInvalid as error:
        print_problems(error.problems, tail="; nothing was written" if args.command == "build" else "")
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
