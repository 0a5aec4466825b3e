"""Preview server speed: cold build time, and the time from saving an event until the
rebuilt page is served, on synthetic sites of N events (deterministic seed).

    python benchmarks/serve_latency.py --events 1000 10000 [--edits 15] [--no-build]

For each N: writes the site (benchmarks/synthetic.py), times `build.py build`, starts
`build.py serve` on a free port, then repeatedly rewrites one event's title and polls its
page every millisecond until the new title is served. Reports median, 90th percentile and
worst edit.

With --via-reload it waits instead as a browser does: it keeps the live-reload WebSocket
open with the event's page, and on each reload message asks for the page once. The polling
competes with the server's rebuild for its interpreter (the rebuild takes about 1.7 times
as long at 10,000 events); a browser does not poll.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import write_site  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until(check, timeout: float) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            if check():
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.001)
    raise TimeoutError("the server did not serve the change in time")


async def reloaded(port: int, page: str, saves: list[tuple[Path, str, bytes]]) -> list[float]:
    """Save to served as a browser sees it: each save, then the live-reload message, then one
    request for the page (a reload for an earlier save is waited past)."""
    from tornado.websocket import websocket_connect

    socket = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    await socket.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    await socket.read_message()
    await socket.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}{page}", "plugins": {}}))
    times = []
    for target, text, expected in saves:
        await asyncio.sleep(0.15)  # the next write is a separate save
        target.write_text(text)
        written = time.perf_counter()
        while True:
            message = await asyncio.wait_for(socket.read_message(), timeout=60)
            if message is not None and json.loads(message).get("command") == "reload" and expected in get(port, page)[1]:
                break
        times.append(time.perf_counter() - written)
    socket.close()
    return times


def measure(events: int, edits: int, build: bool = True, via_reload: bool = False) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        files = write_site(site, events)
        started = time.perf_counter()
        if build:  # the preview server does not need it: --no-build skips drawing every share card
            subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site", str(site), "--output", str(Path(scratch) / "out")],
                           check=True, capture_output=True)
        cold = time.perf_counter() - started

        port = free_port()
        log = open(Path(scratch) / "serve.log", "w")
        server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--site", str(site), "--port", str(port)],
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            first = wait_until(lambda: get(port, "/")[0] == 200, timeout=600)
            target = files[len(files) // 2]
            slug = target.stem
            original = target.read_text()
            times = []
            page = f"/events/{slug}/"
            get(port, page)  # the page in view
            saves = [(target, original.replace(original.split("\n")[1], f'title: "Edited title number {number}"', 1),
                      f"<h1>Edited title number {number}</h1>".encode()) for number in range(edits)]
            if via_reload:
                times = asyncio.run(reloaded(port, page, saves))
            for target, text, expected in [] if via_reload else saves:
                target.write_text(text)
                written = time.perf_counter()
                wait_until(lambda want=expected: want in get(port, page)[1], timeout=60)
                times.append(time.perf_counter() - written)
                time.sleep(0.15)  # let the server settle; the next write is a separate save
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()
            print((Path(scratch) / "serve.log").read_text()[-1500:]) if "--verbose" in sys.argv else None
        times_ms = sorted(t * 1000 for t in times)
        p90 = times_ms[max(0, int(len(times_ms) * 0.9) - 1)]
        built = (f"cold build {cold:6.2f} s" if build else "no build") + (" | via reload" if via_reload else "")
        print(f"N = {events:>6}: {built} | server ready in {first:6.2f} s | "
              f"edit to served: median {statistics.median(times_ms):6.1f} ms, p90 {p90:6.1f} ms, worst {times_ms[-1]:6.1f} ms "
              f"({len(times_ms)} edits)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--verbose", action="store_true", help="print the end of the server's log")
    parser.add_argument("--no-build", action="store_true", help="measure the preview server only, without a cold build first")
    parser.add_argument("--via-reload", action="store_true", help="wait for the live-reload message, then ask once, as a browser does")
    args = parser.parse_args()
    for events in args.events:
        measure(events, args.edits, build=not args.no_build, via_reload=args.via_reload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
