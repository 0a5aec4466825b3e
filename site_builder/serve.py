"""Preview server: build, serve the output with live reload, rebuild on change."""

from __future__ import annotations

import sys
from pathlib import Path

from . import pipeline
from .errors import SiteInvalid

WATCHED = ("site.yaml", "events", "content", "templates", "static")


def serve(root: Path, host: str, port: int, open_browser: bool, livereload: bool) -> int:
    from livereload import Server

    output = root / "output"
    base_url = f"http://{host}:{port}/"

    def rebuild() -> None:
        try:
            report = pipeline.build(root, output, base_url=base_url)
            print(report.summary(), flush=True)
        except SiteInvalid as error:
            for problem in error.problems:
                print(problem, file=sys.stderr)
            print("The site has errors; still serving the last good build.", file=sys.stderr, flush=True)

    rebuild()
    server = Server()
    for name in WATCHED:
        if (root / name).exists():
            server.watch(str(root / name), rebuild, delay=0.2)
    print(f"Serving {root} at {base_url} (Ctrl-C to stop)", flush=True)
    server.serve(host=host, port=port, root=str(output), open_url_delay=0.5 if open_browser else None)
    return 0
