"""Preview server: serve the last complete build from memory, rebuild what a save touches,
and reload the browser (python-livereload's server and protocol; watchfiles for changes).

- Requests read one snapshot reference, so a rebuild in progress is never visible.
- While the sources are invalid, pages are replaced by an error page listing every
  problem; fixing the file brings the page back. Nothing a contributor writes stops it.
- Responses are never cached (livereload has served stale 304s before), paths that try
  to climb out of the site are refused, and it listens on 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import mimetypes
import queue
import sys
import threading
import time
import webbrowser
from pathlib import Path
from typing import Any, Callable, Iterable

from .errors import Problem, SiteInvalid
from .load import CONFIG_FILE, display_path, is_editor_litter
from .overlay import error_page
from .rebuild import LiveSite
from .reporting import print_problems

NO_CACHE = [("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0"), ("Pragma", "no-cache"), ("Expires", "0")]
QUIET_MS = 5  # changes closer together than this are one burst; later ones fold into the next rebuild


class SiteApp:
    """WSGI application answering from the live site's current snapshot."""

    def __init__(self, live: LiveSite):
        self.live = live

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        snapshot = self.live.snapshot  # one build for the whole request
        method = environ.get("REQUEST_METHOD", "GET")
        raw = environ.get("PATH_INFO") or "/"
        path = raw.encode("latin-1", "replace").decode("utf-8", "replace")
        if method not in ("GET", "HEAD"):
            return self._send(start_response, "405 Method Not Allowed", b"Only GET and HEAD.\n", "text/plain", method)
        if _climbs_out(path):
            return self._send(start_response, "403 Forbidden", b"Forbidden.\n", "text/plain", method)
        name = path.lstrip("/")
        if name == "" or name.endswith("/"):
            name += "index.html"
        body = snapshot.get(name)
        if body is None and snapshot.get(name + "/index.html") is not None:
            query = environ.get("QUERY_STRING")
            location = path + "/" + (f"?{query}" if query else "")
            return self._send(start_response, "301 Moved Permanently", b"", "text/plain", method, [("Location", location)])
        if snapshot.problems and (body is None or name.endswith(".html")):
            page = error_page(snapshot.problems, self.live.root)
            return self._send(start_response, "500 Internal Server Error", page, "text/html; charset=utf-8", method)
        if body is None:
            missing = snapshot.get("404.html") or b"Not found.\n"
            return self._send(start_response, "404 Not Found", missing, "text/html; charset=utf-8", method)
        return self._send(start_response, "200 OK", body, _content_type(name), method)

    @staticmethod
    def _send(start_response: Callable[..., Any], status: str, body: bytes, content_type: str, method: str,
              extra: list[tuple[str, str]] | None = None) -> list[bytes]:
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))] + NO_CACHE + (extra or [])
        start_response(status, headers)
        return [] if method == "HEAD" else [body]


def _climbs_out(path: str) -> bool:
    segments = path.replace("\\", "/").split("/")
    return ".." in segments or "\x00" in path


def _content_type(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml") else kind


def show_problems(problems: list[Problem]) -> None:
    print_problems(problems, tail="; the browser shows them. Still watching for changes.")
    sys.stderr.flush()


def rebuild_and_report(live: LiveSite, changed: set[Path] | None) -> None:
    """One rebuild; whatever happens, the server keeps running and says what it did."""
    try:
        report = live.rebuild(changed)
    except SiteInvalid as error:
        show_problems(error.problems)
        return
    except Exception as error:  # a bug in the generator: show it like a problem, keep serving
        problem = Problem("(site builder)", 1, 1, "", f"internal error: {type(error).__name__}: {error}")
        live.snapshot = type(live.snapshot)(live.snapshot.files, live.snapshot.deferred, [problem], live.snapshot.version + 1)
        show_problems([problem])
        return
    what = ", ".join(sorted(display_path(p) for p in changed)[:3]) if changed else "everything"
    kind = "full render" if report.full else f"{report.rendered} pages re-rendered"
    print(f"Rebuilt in {report.seconds * 1000:.0f} ms ({kind}; changed: {what})", flush=True)


class ChangeWatcher:
    """Watches the site's folders and site.yaml; hands bursts of changes to one rebuild thread."""

    def __init__(self, live: LiveSite, on_rebuilt: Callable[[], None]):
        self.live = live
        self.on_rebuilt = on_rebuilt
        self.stop = threading.Event()
        self.changes: queue.Queue[set[Path]] = queue.Queue()

    def _watch(self, paths: list[Path], recursive: bool, keep: Callable[[Path], bool]) -> None:
        import watchfiles

        for batch in watchfiles.watch(*paths, recursive=recursive, stop_event=self.stop, step=QUIET_MS,
                                      debounce=1000, watch_filter=None, raise_interrupt=False):
            found = {Path(name) for _, name in batch}
            found = {path for path in found if keep(path) and not is_editor_litter(path.name)}
            if found:
                self.changes.put(found)

    def _rebuild_loop(self) -> None:
        while not self.stop.is_set():
            try:
                changed = self.changes.get(timeout=0.2)
            except queue.Empty:
                continue
            while True:  # fold everything already waiting into this rebuild
                try:
                    changed |= self.changes.get_nowait()
                except queue.Empty:
                    break
            rebuild_and_report(self.live, changed)
            self.on_rebuilt()

    def start_watching(self) -> None:
        """Before the first build, so that nothing saved while it runs is missed."""
        root = self.live.root
        config = root / CONFIG_FILE
        for paths, recursive, keep in ((self.live.watched_paths(), True, lambda path: True),
                                       ([root], False, lambda path: path == config)):
            threading.Thread(target=self._watch, args=(paths, recursive, keep), daemon=True).start()

    def start_rebuilding(self) -> None:
        threading.Thread(target=self._rebuild_loop, daemon=True).start()


def quiet_watcher() -> Any:
    """livereload's own watcher polls every 800 ms; ChangeWatcher does the watching instead,
    so livereload gets one that reports nothing and starts no polling timer."""
    from livereload.watcher import Watcher

    class QuietWatcher(Watcher):
        def __init__(self) -> None:
            super().__init__()
            self._tasks = {"(site builder)": {"func": None, "delay": None, "ignore": None, "mtimes": {}}}

        def start(self, callback: Callable[..., Any]) -> bool:
            return True

        def examine(self) -> tuple[None, None]:
            return None, None

    return QuietWatcher()


def serve(root: Path, host: str, port: int, open_browser: bool, livereload: bool) -> int:
    from tornado.ioloop import IOLoop

    root = root.resolve()
    url = f"http://{host}:{port}/"
    live = LiveSite(root, base_url=url)
    loop = IOLoop.current()
    if livereload:
        from livereload import Server
        from livereload.handlers import LiveReloadHandler

        watcher = ChangeWatcher(live, lambda: loop.add_callback(LiveReloadHandler.reload_waiters, "*"))
    else:
        watcher = ChangeWatcher(live, lambda: None)
    watcher.start_watching()
    started = time.perf_counter()
    rebuild_and_report(live, None)
    print(f"First build took {time.perf_counter() - started:.2f} s", flush=True)
    watcher.start_rebuilding()
    app = SiteApp(live)
    print(f"Serving {display_path(root)} at {url} (Ctrl-C to stop)", flush=True)
    if open_browser:
        loop.call_later(0.3, webbrowser.open, url)
    try:
        if livereload:
            server = Server(app=app, watcher=quiet_watcher())
            server.serve(host=host, port=port, debug=False, restart_delay=0)
        else:
            from tornado import web, wsgi

            web.Application([(r".*", web.FallbackHandler, {"fallback": wsgi.WSGIContainer(app)})]).listen(port, address=host)
            loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop.set()
    print("Stopped.", flush=True)
    return 0
