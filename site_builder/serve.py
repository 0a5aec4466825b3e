"""Preview server: serve the last complete build from memory, rebuild what a save touches
through the same pipeline as `build`, and reload the browser.

One server stack whatever the options: a Tornado application serving `SiteApp` (WSGI),
with python-livereload's reload protocol handlers (its WebSocket and its `livereload.js`)
mounted beside it unless `--no-livereload` is given. watchfiles does the watching, because
livereload's own watcher polls every 800 ms.

- Requests read one snapshot reference, so a rebuild in progress is never visible.
- While the sources are invalid, pages are replaced by an error page listing every
  problem; fixing the file brings the page back. Nothing a contributor writes stops it.
- Responses are never cached (livereload has served stale 304s before), paths that try
  to climb out of the site are refused, and it listens on 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import logging
import mimetypes
import os
import queue
import signal
import socket
import stat
import threading
import time
import webbrowser
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from .errors import Problem, SiteInvalid, UsageError, count
from .load import CONFIG_FILE, display_path, is_editor_litter
from .model import page_file
from .overlay import error_page
from .pipeline import Overrides
from .rebuild import LiveSite, Snapshot
from .reporting import Reporter

T = TypeVar("T")
NO_CACHE = [("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0"), ("Pragma", "no-cache"), ("Expires", "0")]
WATCH_STEP_MS = 5  # changes closer together than this are one burst
WATCH_DEBOUNCE_MS = 1000  # the longest a burst of changes is collected before a rebuild starts
WATCH_TICK_MS = 300  # how often a quiet watch checks that its folder is still the same one
REBUILD_POLL_S = 0.2  # how often the idle rebuild thread looks whether the server is stopping
FILL_AFTER_QUIET_S = 1.0  # the rebuild thread makes the pages not asked for yet only after this long without a save
OPEN_BROWSER_DELAY_S = 0.3


def reload_script(port: int) -> bytes:
    """livereload's client, loaded from this server: an external script, so that the pages'
    Content-Security-Policy (`script-src 'self'`) lets it run; it opens its WebSocket on `port`."""
    return f'<script src="/livereload.js?port={port}" defer></script>'.encode()


class SiteApp:
    """WSGI application answering from the live site's current snapshot."""

    def __init__(self, live: LiveSite, reload_script: bytes = b""):
        self.live = live
        self.reload_script = reload_script

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        snapshot = self.live.snapshot  # one build for the whole request
        method = environ.get("REQUEST_METHOD", "GET")
        raw = environ.get("PATH_INFO") or "/"
        path = raw.encode("latin-1", "replace").decode("utf-8", "replace")
        if method not in ("GET", "HEAD"):
            return self._send(start_response, "405 Method Not Allowed", b"Only GET and HEAD.\n", "text/plain", method)
        if _climbs_out(path):
            return self._send(start_response, "403 Forbidden", b"Forbidden.\n", "text/plain", method)
        try:
            return self._answer(snapshot, path, environ, start_response, method)
        except SiteInvalid as error:  # a file made on this request has a template error: shown as a rebuild's would be
            page = self._live(error_page(error.problems, self.live.root))
            return self._send(start_response, "500 Internal Server Error", page, "text/html; charset=utf-8", method)

    def _answer(self, snapshot: Snapshot, path: str, environ: dict[str, Any], start_response: Callable[..., Any],
                method: str) -> list[bytes]:
        name = path.lstrip("/")
        if name == "" or name.endswith("/"):
            name = page_file(name)
        shows_problems = bool(snapshot.problems) and name.endswith(".html")
        body = None if shows_problems else snapshot.get(name)  # made now if the last rebuild left it for later
        if body is None and not shows_problems and snapshot.get(page_file(name + "/")) is not None:
            query = environ.get("QUERY_STRING")
            location = path + "/" + (f"?{query}" if query else "")
            return self._send(start_response, "301 Moved Permanently", b"", "text/plain", method, [("Location", location)])
        if snapshot.problems and body is None:
            page = self._live(error_page(snapshot.problems, self.live.root))
            return self._send(start_response, "500 Internal Server Error", page, "text/html; charset=utf-8", method)
        if body is None:  # the edition's own 404 page when the path is under one (vi/...)
            edition = name.split("/", 1)[0] + "/404.html" if "/" in name else "404.html"
            missing = self._live(snapshot.get(edition) or snapshot.get("404.html") or b"Not found.\n")
            return self._send(start_response, "404 Not Found", missing, "text/html; charset=utf-8", method)
        if name.endswith(".html"):
            self.live.in_view = name
            body = self._live(body)
        return self._send(start_response, "200 OK", body, _content_type(name), method)

    def _live(self, html: bytes) -> bytes:
        """The page with the reload script, which opens livereload's WebSocket."""
        return html.replace(b"</head>", self.reload_script + b"</head>", 1) if self.reload_script else html

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


def rebuild_and_report(live: LiveSite, changed: set[Path] | None, reporter: Reporter, reload: Callable[[], None] = lambda: None) -> None:
    """One rebuild, making only the page in view; whatever happens, the server keeps running
    and says what it did. The browsers `reload` as soon as the new build is served: working
    out which warnings are new takes 80 ms at 10,000 events, and they need not wait for it."""
    report = guarded(lambda: live.rebuild(changed, complete=False), live, reporter)
    reload()
    if report is None:
        return
    what = ", ".join(sorted(display_path(p) for p in changed)[:3]) if changed else "everything"
    new = report.new_warnings()
    reporter.problems(new)  # not the thousands a large site may have after every save
    standing = len(report.warnings) - len(new)
    reporter.note(f"Rebuilt in {report.seconds * 1000:.0f} ms ({count(report.rendered, 'page')} made now, the others when asked for; "
                  f"{report.removed} removed; changed: {what})" + (f"; {count(standing, 'earlier warning')} not shown again" if standing else ""))


@contextmanager
def collection_deferred() -> Iterator[None]:
    """No garbage collection during a rebuild; what it leaves is set aside afterwards.

    At 10,000 events the site in memory is about a million objects that live from one edit
    to the next, and each rebuild allocates a few hundred thousand more: Python's collector
    scanned them all during the rebuild, which was half of its time. Nothing the engine
    keeps refers to itself, so a replaced snapshot is freed by reference counting, frozen
    or not; `collect_when_idle` finds whatever a library left in a cycle."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def collect_when_idle() -> None:
    """A full collection, once the server has nothing else to do (0.3 s at 10,000 events)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def fill_and_report(live: LiveSite, stop: Callable[[], bool], reporter: Reporter) -> bool:
    """Make files the last rebuild left for later until `stop()`; True if any problem was found."""
    return guarded(lambda: live.fill(stop), live, reporter) is None


def guarded(work: Callable[[], T], live: LiveSite, reporter: Reporter) -> T | None:
    """`work`'s result, or None once its problems are reported and on the snapshot."""
    try:
        return work()
    except SiteInvalid as error:
        reporter.problems(error.problems, tail="; the browser shows them. Still watching for changes.")
    except Exception as error:  # a bug in the generator: show it like a problem, keep serving
        problem = Problem("(site builder)", 1, 1, "", f"internal error: {type(error).__name__}: {error}")
        live.snapshot = Snapshot(live.snapshot.rendering, [problem], live.snapshot.version + 1)
        reporter.problems([problem], tail="; the browser shows it. Still watching for changes.")
    return None


class ChangeWatcher:
    """Watches the site's folders and site.yaml; hands bursts of changes to one rebuild thread.

    Each source folder has its own recursive watch, tied to the folder itself (device and
    inode), not to its name: a folder deleted and made again, or created while serving (a
    first templates/ override), gets a new watch. The site's root is watched on its own, not
    recursively (it may hold .venv or output/), to see site.yaml and those folders come and go.
    A watch that starts late asks for its folder to be read again once it is live, so a file
    written between the folder's creation and the watch is not missed.
    """

    def __init__(self, live: LiveSite, on_rebuilt: Callable[[], None], reporter: Reporter):
        self.live = live
        self.on_rebuilt = on_rebuilt
        self.reporter = reporter
        self.stop = threading.Event()
        self.changes: queue.Queue[set[Path]] = queue.Queue()
        self.folders = {folder.path.resolve() for folder in live.tree.folders}
        self.watching: dict[Path, FolderIdentity] = {}
        self.lock = threading.Lock()

    def _watch(self, path: Path, recursive: bool, keep: Callable[[Path], bool], identity: FolderIdentity | None,
               read_again: bool) -> None:
        """Report changes under `path` until the server stops or, for a source folder, until
        `identity` is no longer the folder at that path (then a new watch takes over)."""
        import watchfiles

        def replaced() -> bool:
            return identity is not None and folder_identity(path) != identity

        stop = StopWhen(lambda: self.stop.is_set() or (identity is not None and self.watching.get(path) != identity))
        try:
            for batch in watchfiles.watch(path, recursive=recursive, stop_event=stop, step=WATCH_STEP_MS,
                                          debounce=WATCH_DEBOUNCE_MS, watch_filter=None, raise_interrupt=False,
                                          yield_on_timeout=True, rust_timeout=WATCH_TICK_MS):
                if read_again:  # the watch is live now: read what was written before it was
                    self.changes.put({path})
                    read_again = False
                if replaced():
                    break
                found = {Path(name) for _, name in batch}
                found = {changed for changed in found if keep(changed) and not is_editor_litter(changed.name)}
                for folder in found & self.folders:
                    self._watch_folder(folder)
                if found:
                    self.changes.put(found)
        except (OSError, RuntimeError):  # the folder went away: watched again when it comes back
            pass
        if identity is not None:
            with self.lock:
                if self.watching.get(path) == identity:
                    del self.watching[path]
            if not self.stop.is_set():
                self.changes.put({path})  # gone or replaced: read it as it is now
                self._watch_folder(path)

    def _watch_folder(self, folder: Path, read_again: bool = True) -> None:
        identity = folder_identity(folder)
        if identity is None:
            return
        with self.lock:
            if self.watching.get(folder) == identity:
                return
            self.watching[folder] = identity
        threading.Thread(target=self._watch, args=(folder, True, lambda path: True, identity, read_again), daemon=True).start()

    def _busy(self) -> bool:
        """A change is waiting, or the server is stopping."""
        return self.stop.is_set() or not self.changes.empty()

    def _rebuild_loop(self) -> None:
        quiet_since, untidy = time.monotonic(), True  # untidy: files left to make or garbage to collect
        while not self.stop.is_set():
            try:
                changed = self.changes.get(timeout=REBUILD_POLL_S)
            except queue.Empty:
                if untidy and time.monotonic() - quiet_since > FILL_AFTER_QUIET_S:
                    if fill_and_report(self.live, self._busy, self.reporter):
                        self.on_rebuilt()  # the browsers show the problems
                    if not self._busy():
                        collect_when_idle()
                        untidy = False
                continue
            while True:  # fold everything already waiting into this rebuild
                try:
                    changed |= self.changes.get_nowait()
                except queue.Empty:
                    break
            with collection_deferred():
                rebuild_and_report(self.live, changed, self.reporter, self.on_rebuilt)
            quiet_since, untidy = time.monotonic(), True

    def start_watching(self) -> None:
        """Before the first build, so that nothing saved while it runs is missed."""
        root = self.live.root
        config = root / CONFIG_FILE
        for folder in sorted(self.folders):
            self._watch_folder(folder, read_again=False)

        def keep(path: Path) -> bool:
            return path == config or path in self.folders

        threading.Thread(target=self._watch, args=(root, False, keep, None, False), daemon=True).start()

    def start_rebuilding(self) -> None:
        threading.Thread(target=self._rebuild_loop, daemon=True).start()


FolderIdentity = tuple[int, int]  # (device, inode)


def folder_identity(path: Path) -> FolderIdentity | None:
    """Which folder is at `path` now; None when there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino) if stat.S_ISDIR(found.st_mode) else None


class StopWhen:
    """A stop event for watchfiles, which only ever asks `is_set()`."""

    def __init__(self, condition: Callable[[], bool]):
        self.is_set = condition


def bind(host: str, port: int) -> list[socket.socket]:
    """Take the port before anything is built or announced, or say plainly why not."""
    from tornado.netutil import bind_sockets

    try:
        return bind_sockets(port, address=host)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is already in use (is another preview server running?); "
                             f"choose another with --port {port + 1} (or: make serve PORT={port + 1})") from None
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def make_application(live: LiveSite, livereload: bool, port: int) -> Any:
    from tornado import web, wsgi

    handlers: list[Any] = []
    if livereload:
        from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler

        handlers += [(r"/livereload", LiveReloadHandler), (r"/livereload.js", LiveReloadJSHandler)]
    app = SiteApp(live, reload_script(port) if livereload else b"")
    handlers.append((r".*", web.FallbackHandler, {"fallback": wsgi.WSGIContainer(app)}))
    return web.Application(handlers)


def reload_browsers() -> None:
    """Tell every connected page to reload (livereload's protocol; on the server's thread)."""
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher

    if LiveReloadHandler.watcher is None:  # its log line names the watcher's last file
        LiveReloadHandler.watcher = Watcher()
    LiveReloadHandler.reload_waiters("*")


def _show_livereload_log() -> None:
    """livereload says when a browser connects and how many it reloads: worth seeing.
    Tornado's access log (a line per 404 for a favicon) is not."""
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    log = logging.getLogger("livereload")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def stop_on_interrupt(loop: Any) -> None:
    """Ctrl-C stops the loop from inside it: Python's KeyboardInterrupt, raised wherever the main
    thread is, was lost when it landed in a finalizer (`Popen.__del__`), and the server ran on."""
    with contextlib.suppress(AttributeError, NotImplementedError, RuntimeError):  # else (Windows) Python's default
        loop.asyncio_loop.add_signal_handler(signal.SIGINT, loop.stop)


def serve(root: Path, host: str, port: int, open_browser: bool, livereload: bool, reporter: Reporter) -> int:
    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop

    root = root.resolve()
    sockets = bind(host, port)
    _show_livereload_log()
    url = f"http://{host}:{port}/"
    live = LiveSite(root, Overrides(base_url=url))
    loop = IOLoop.current()
    watcher = ChangeWatcher(live, (lambda: loop.add_callback(reload_browsers)) if livereload else (lambda: None), reporter)
    watcher.start_watching()
    started = time.perf_counter()
    with collection_deferred():
        rebuild_and_report(live, None, reporter)
    reporter.note(f"First build took {time.perf_counter() - started:.2f} s")
    watcher.start_rebuilding()
    server = HTTPServer(make_application(live, livereload, sockets[0].getsockname()[1]))
    server.add_sockets(sockets)
    shown = display_path(root)
    reporter.note(f"Serving {'the site in this folder' if shown == '.' else shown} at {url} (Ctrl-C to stop)")
    if open_browser:
        loop.call_later(OPEN_BROWSER_DELAY_S, webbrowser.open, url)
    stop_on_interrupt(loop)
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop.set()
        server.stop()
    reporter.note("Stopped.")
    return 0
