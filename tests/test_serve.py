"""The preview server as an editor uses it: a real `build.py serve` process on a free port,
against a temporary copy of the site, observed with bounded polling."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

from conftest import BUILD_DATE_EPOCH, REPO, copy_real_site, open_page
from site_builder.cli import main

LIVE_SCRIPT = re.compile(rb'<script type="text/javascript">\(function\(\)\{var s=document.createElement\("script"\);.*?</script>')


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


def start_server(tmp_path: Path, *options: str) -> Server:
    root = copy_real_site(tmp_path / "site")
    port = free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, SOURCE_DATE_EPOCH=BUILD_DATE_EPOCH)
    with open(log, "w") as sink:
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--site", str(root), "--port", str(port), *options],
                                   stdout=sink, stderr=subprocess.STDOUT, text=True, cwd=root, env=env)
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
            raise AssertionError("Ctrl-C did not stop the server")
    assert process.returncode == 0, log.read_text()
    assert "Traceback" not in log.read_text()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_serves_home_with_live_reload_and_no_cache(server: Server) -> None:
    response = server.get("/")
    assert response.status == 200
    assert "<h1>Resolution 57: Vietnam" in response.text
    assert response.headers["cache-control"] == "no-store, no-cache, must-revalidate, max-age=0"
    assert LIVE_SCRIPT.search(response.body)
    assert server.get("/events/2025-01-13-national-conference").headers["location"] == "/events/2025-01-13-national-conference/"
    assert server.get("/no/such/page/").status == 404
    assert "Serving" in server.log.read_text() and "127.0.0.1" in server.log.read_text()


def test_edit_shows_on_event_page_and_home_list(server: Server) -> None:
    edit(server.root / "events/2025-01-09-government-action-program.yaml",
         "title: Government issues Resolution 03/NQ-CP, its Action Program for Resolution 57",
         "title: Government adopts its Action Program (Resolution 03/NQ-CP)")
    server.until(lambda: "<h1>Government adopts its Action Program (Resolution 03/NQ-CP)</h1>"
                 in server.get("/events/2025-01-09-government-action-program/").text, "the edited page")
    assert "Government adopts its Action Program (Resolution 03/NQ-CP)</a>" in server.get("/").text


def test_new_renamed_and_deleted_files(server: Server) -> None:
    source = (server.root / "events/2025-02-19-ict-spring-meeting.yaml").read_text()
    new = server.root / "events/2025-03-01-new-ministry-starts.yaml"
    new.write_text(source.replace("date: 2025-02-19", "date: 2025-03-01").replace(
        "title: ICT associations hold spring meeting on Resolution 57", "title: New ministry starts work"))
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
    path = server.root / "events/2025-01-13-national-conference.yaml"
    good = path.read_text()
    path.write_text(good.replace("category: conference", "category: [conference", 1))
    server.until(lambda: server.get("/events/2025-01-13-national-conference/").status == 500, "the error page")
    page = server.get("/").text
    assert "The site has errors" in page
    assert "events/2025-01-13-national-conference.yaml:6:11: YAML syntax error" in page
    assert '<span class="line"><span class="number">5</span>category: [conference</span>' in page
    assert '<span class="line bad"><span class="number">6</span>importance: 1</span>' in page
    assert "events/2025-01-13-national-conference.yaml:6:11: YAML syntax error" in server.log.read_text()
    path.write_text(good)
    server.until(lambda: server.get("/events/2025-01-13-national-conference/").status == 200, "the fixed page")
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
        if file.is_file():
            name = file.relative_to(output).as_posix()
            served = server.get("/" + name).body
            assert LIVE_SCRIPT.sub(b"", served) == file.read_bytes(), name


@pytest.mark.browser
def test_open_page_reloads_itself_after_an_edit(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    origin = f"http://127.0.0.1:{server.port}"
    context, page = open_page(browser, origin)
    page.goto(origin + "/events/2024-09-02-to-lam-speech/")
    server.until(lambda: "Browser Connected" in server.log.read_text(), "the page to connect for live reload")
    edit(server.root / "events/2024-09-02-to-lam-speech.yaml",
         "title: General Secretary To Lam's speech of 2 September 2024", "title: To Lam speaks on 2 September 2024")
    page.wait_for_function("document.querySelector('h1').textContent === 'To Lam speaks on 2 September 2024'", timeout=20000)
    context.close()


def test_without_live_reload_pages_are_served_unchanged(tmp_path: Path) -> None:
    for running in run_server(start_server(tmp_path, "--no-livereload")):
        page = running.get("/about/")
        assert page.status == 200 and b"livereload" not in page.body
        edit(running.root / "content/about.md", "title: About this timeline", "title: About the timeline")
        running.until(lambda: "<h1>About the timeline</h1>" in running.get("/about/").text, "the edited page")
