"""The preview server as an editor uses it: a real `build.py serve` process on a free port,
against a temporary copy of the site, observed with bounded polling."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.output_folder import MARKER

from conftest import BUILD_DATE_EPOCH, REPO, copy_site, open_page

LIVE_SCRIPT = re.compile(rb'<script src="/livereload.js\?port=\d+" defer></script>(?=</head>)')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class Server:
    root: Path
    port: int
    process: subprocess.Popen[str]
    log: Path

    def get(self, path: str) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)  # sent as written: no client-side normalising
            response = connection.getresponse()
            return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()

    def until(self, check: Callable[[], bool], what: str, timeout: float = 20) -> None:
        """Bounded polling: the condition must hold within the timeout, however fast it comes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"server died:\n{self.log.read_text()}"
            try:
                if check():
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise AssertionError(f"timed out waiting for {what}\n{self.log.read_text()}")


def as_from_a_terminal() -> None:
    """In the server's process, before it starts: Ctrl-C delivered and acted on, as when it
    is started from a terminal. A process inherits an ignored or blocked SIGINT from its
    parent (a test run started in the background, or by a tool that blocked it), and a
    server started so would rightly not stop on Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def start_server(tmp_path: Path, *options: str, port: int | None = None) -> Server:
    root = copy_site(tmp_path / "site")
    port = port or free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, SOURCE_DATE_EPOCH=BUILD_DATE_EPOCH)
    with open(log, "w") as sink:
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--site", str(root), "--port", str(port), *options],
                                   stdout=sink, stderr=subprocess.STDOUT, text=True, cwd=root, env=env, preexec_fn=as_from_a_terminal)
    return Server(root, port, process, log)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    yield from run_server(start_server(tmp_path))


def run_server(running: Server) -> Iterator[Server]:
    process, log = running.process, running.log
    try:
        running.until(lambda: running.get("/").status == 200, "the first build", timeout=120)
        yield running
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            raise AssertionError("Ctrl-C did not stop the server") from None
    assert process.returncode == 0, log.read_text()
    assert "Traceback" not in log.read_text()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_serves_home_with_live_reload_and_no_cache(server: Server) -> None:
    response = server.get("/")
    assert response.status == 200
    assert "<h1>Harbour Bridge: a fictional test timeline</h1>" in response.text
    assert response.headers["cache-control"] == "no-store, no-cache, must-revalidate, max-age=0"
    assert LIVE_SCRIPT.search(response.body)
    assert server.get("/livereload.js").status == 200
    assert server.get("/events/2024-11-30-harbour-bridge-opens").headers["location"] == "/events/2024-11-30-harbour-bridge-opens/"
    assert server.get("/no/such/page/").status == 404
    assert f"Serving the site in this folder at http://127.0.0.1:{server.port}/ (Ctrl-C to stop)" in server.log.read_text()


def test_edit_shows_on_event_page_and_home_list(server: Server) -> None:
    edit(server.root / "events/2024-11-30-harbour-bridge-opens.yaml",
         "title: The Harbour Bridge opens to walkers and cyclists", "title: The bridge opens at last")
    server.until(lambda: "<h1>The bridge opens at last</h1>" in server.get("/events/2024-11-30-harbour-bridge-opens/").text, "the edited page")
    assert "The bridge opens at last</a>" in server.get("/").text


def test_a_template_folder_created_while_serving_is_watched(server: Server) -> None:
    footer = server.root / "templates/partials/footer.html"
    footer.parent.mkdir(parents=True)
    footer.write_text("<footer>Our own footer</footer>\n")
    server.until(lambda: "<footer>Our own footer</footer>" in server.get("/about/").text, "the site's own footer")
    footer.write_text("<footer>Our own footer, edited</footer>\n")
    server.until(lambda: "<footer>Our own footer, edited</footer>" in server.get("/about/").text, "the edited footer")


def test_events_folder_deleted_and_made_again_is_watched_again(server: Server, tmp_path: Path) -> None:
    """Issue 13, cause 11: the watch on events/ followed the deleted folder, so the files put
    back in a new events/ were never seen and the error page stayed until a restart."""
    events = server.root / "events"
    kept = Path(shutil.copytree(events, tmp_path / "kept"))
    shutil.rmtree(events)
    server.until(lambda: "events:1:1: folder not found" in server.get("/").text, "the error page naming events/")
    events.mkdir()
    server.until(lambda: "events:1:1: no event files" in server.get("/").text, "the empty events/ folder to be seen")
    for source in kept.iterdir():
        shutil.copy(source, events / source.name)
    server.until(lambda: server.get("/").status == 200, "the site to come back")
    assert "<h1>The Harbour Bridge opens to walkers and cyclists</h1>" in server.get("/events/2024-11-30-harbour-bridge-opens/").text
    edit(events / "2024-11-30-harbour-bridge-opens.yaml",
         "title: The Harbour Bridge opens to walkers and cyclists", "title: The bridge opens again")
    server.until(lambda: "<h1>The bridge opens again</h1>" in server.get("/events/2024-11-30-harbour-bridge-opens/").text, "an edit in the new folder")


def test_a_template_folder_made_empty_then_filled_is_watched(server: Server) -> None:
    """The folder is seen first, its file later: the file comes from the folder's own watch."""
    templates = server.root / "templates"
    templates.mkdir()
    server.until(lambda: "changed: templates)" in server.log.read_text(), "the new folder to be seen")
    (templates / "partials").mkdir()
    (templates / "partials/footer.html").write_text("<footer>Footer made later</footer>\n")
    server.until(lambda: "<footer>Footer made later</footer>" in server.get("/about/").text, "the site's own footer")
    shutil.rmtree(templates)
    server.until(lambda: "<footer>Footer made later</footer>" not in server.get("/about/").text, "the theme's footer again")


def test_new_renamed_and_deleted_files(server: Server) -> None:
    source = (server.root / "events/2024-11-30-harbour-bridge-opens.yaml").read_text()
    new = server.root / "events/2025-03-01-new-ministry-starts.yaml"
    new.write_text(source.replace("date: 2024-11-30", "date: 2025-03-01").replace(
        "title: The Harbour Bridge opens to walkers and cyclists", "title: New ministry starts work"))
    server.until(lambda: server.get("/events/2025-03-01-new-ministry-starts/").status == 200, "the new page")
    assert "New ministry starts work" in server.get("/").text

    # An editor that saves through a temporary file and renames it over the original.
    temporary = server.root / "events/.2025-03-01-new-ministry-starts.yaml.tmp"
    temporary.write_text(new.read_text().replace("title: New ministry starts work", "title: New ministry opens"))
    os.replace(temporary, new)
    server.until(lambda: "<h1>New ministry opens</h1>" in server.get("/events/2025-03-01-new-ministry-starts/").text, "the saved page")

    new.unlink()
    server.until(lambda: server.get("/events/2025-03-01-new-ministry-starts/").status == 404, "the page to go")
    assert "New ministry opens" not in server.get("/").text


def test_invalid_yaml_shows_overlay_and_fix_restores(server: Server) -> None:
    path = server.root / "events/2024-11-30-harbour-bridge-opens.yaml"
    good = path.read_text()
    path.write_text(good.replace("category: public", "category: [public", 1))
    server.until(lambda: server.get("/events/2024-11-30-harbour-bridge-opens/").status == 500, "the error page")
    page = server.get("/").text
    assert "The site has errors" in page
    assert "events/2024-11-30-harbour-bridge-opens.yaml:6:11: YAML syntax error" in page
    assert '<span class="line"><span class="number">5</span>category: [public</span>' in page
    assert '<span class="line bad"><span class="number">6</span>importance: 1</span>' in page
    assert "events/2024-11-30-harbour-bridge-opens.yaml:6:11: YAML syntax error" in server.log.read_text()
    path.write_text(good)
    server.until(lambda: server.get("/events/2024-11-30-harbour-bridge-opens/").status == 200, "the fixed page")
    assert "The site has errors" not in server.get("/").text


@pytest.mark.parametrize("path", ["/../site.yaml", "/static/../../site.yaml", "/%2e%2e/site.yaml", "/..%2fsite.yaml", "/static/..%5c..%5csite.yaml"])
def test_path_traversal_is_refused(server: Server, path: str) -> None:
    assert server.get(path).status in (403, 404)
    assert b"title:" not in server.get(path).body


def test_served_bytes_equal_build_output(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
    output = tmp_path / "built"
    assert main(["build", "--site", str(server.root), "--output", str(output), "--base-url", f"http://127.0.0.1:{server.port}/"]) == 0
    for file in sorted(output.rglob("*")):
        if file.is_file() and file.name != MARKER:  # the build's mark on its own folder, not part of the site
            name = file.relative_to(output).as_posix()
            served = server.get("/" + name).body
            assert LIVE_SCRIPT.sub(b"", served) == file.read_bytes(), name


@pytest.mark.browser
def test_open_page_reloads_itself_after_an_edit(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    origin = f"http://127.0.0.1:{server.port}"
    context, page = open_page(browser, origin)
    page.goto(origin + "/events/2023-02-14-bridge-plan-approved/")
    server.until(lambda: "Browser Connected" in server.log.read_text(), "the page to connect for live reload")
    edit(server.root / "events/2023-02-14-bridge-plan-approved.yaml",
         "title: City council approves the Harbour Bridge plan", "title: Council says yes to the bridge")
    # a locator, not wait_for_function: the page's CSP forbids the eval that a string predicate needs
    page.get_by_role("heading", level=1, name="Council says yes to the bridge", exact=True).wait_for(timeout=20000)
    context.close()


def test_without_live_reload_pages_are_served_unchanged(tmp_path: Path) -> None:
    for running in run_server(start_server(tmp_path, "--no-livereload")):
        page = running.get("/about/")
        assert page.status == 200 and b"livereload" not in page.body
        assert running.get("/livereload.js").status == 404
        edit(running.root / "content/about.md", "title: About this test site", "title: About the test site")
        running.until(lambda r=running: "<h1>About the test site</h1>" in r.get("/about/").text, "the edited page")


def test_a_busy_port_is_named_before_anything_is_announced(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--site", str(copy_site(tmp_path / "site")),
                                 "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.endswith(f"serve: error: port {port} on 127.0.0.1 is already in use (is another preview server running?); "
                                  f"choose another with --port {port + 1} (or: make serve PORT={port + 1})\n")
