"""Kill `build.py build` at random moments and look at what a reader would find in the
output folder: it must always be the complete previous site or the complete new one.

Used by tests/test_output_safety.py (a dozen trials) and by benchmarks/kill_publish.py
(as many as asked). Half the kills fall at a uniformly random moment of the whole build;
the other half aim at the few milliseconds of publishing: the killer waits until the build's
staging folder appears, then kills within the next 25 ms (writing, the exchange and the
removal of the previous build all fall there).
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from conftest import GOOD_EVENT
from conftest import SITE_YAML as CONFTEST_SITE_YAML

REPO = Path(__file__).resolve().parent.parent
BUILD_DATE_EPOCH = "1763856000"
WINDOW_S = 0.025

SITE_YAML = CONFTEST_SITE_YAML  # the tiny site of the other tests

EVENT = GOOD_EVENT.replace("title: Politburo issues Resolution 57", "title: {title}")
VERSIONS = {"A": "Politburo issues Resolution 57", "B": "Resolution 57 issued by the Politburo"}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` by its relative path, with a hash of its bytes."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def leftovers(output: Path) -> list[str]:
    """What a build keeps beside the output while it runs (staging, old, lock)."""
    return sorted(name for name in os.listdir(output.parent) if name.startswith(f".{output.name}."))


@dataclass
class Trial:
    aim: str  # "any moment" or "publishing"
    delay: float  # seconds after start (or after the staging folder appeared)
    found: str  # "old" (the previous site), "new" (the one being built), or what went wrong
    killed: bool  # False when the build finished first
    left: list[str]


@dataclass
class Report:
    build_seconds: float
    trials: list[Trial] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(f"{t.aim}: {t.found}" + ("" if t.killed else " (finished before the kill)") for t in self.trials)

    def summary(self) -> str:
        left = sum(1 for t in self.trials if t.left)
        lines = [f"{len(self.trials)} trials (one build: {self.build_seconds:.2f} s); after {left} of them "
                 f"the killed build had left staging/old/lock entries beside the output"]
        lines += [f"  {what}: {n}" for what, n in sorted(self.counts().items())]
        return "\n".join(lines)


class KillBench:
    """A tiny site whose one event alternates between two titles, and its output folder."""

    def __init__(self, folder: Path) -> None:
        self.site = folder / "site"
        self.output = folder / "public" / "timeline"
        (self.site / "events").mkdir(parents=True, exist_ok=True)
        (self.site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
        self.known: dict[str, dict[str, str]] = {}
        self.version = ""  # the version in the site's files now

    def use(self, version: str) -> None:
        self.version = version
        (self.site / "events/2024-12-22-resolution-57.yaml").write_text(EVENT.format(title=VERSIONS[version]), encoding="utf-8")

    def start(self) -> subprocess.Popen[bytes]:
        env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE_EPOCH}
        return subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--site", str(self.site), "--output", str(self.output)],
                                cwd=self.site, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)

    def build(self) -> float:
        """One complete build; its duration."""
        started = time.perf_counter()
        process = self.start()
        _, err = process.communicate(timeout=120)
        if process.returncode != 0:
            raise AssertionError(f"build failed ({process.returncode}): {err.decode()}")
        return time.perf_counter() - started

    def learn(self) -> float:
        """Build both versions once, completely, and remember each site's files."""
        seconds = 0.0
        for version in VERSIONS:
            self.use(version)
            seconds = max(seconds, self.build())
            self.known[version] = snapshot(self.output)
        assert self.known["A"] != self.known["B"]
        return seconds

    def published(self) -> str:
        if not self.output.is_dir():
            return "no output folder"
        files = snapshot(self.output)
        return next((version for version, known in self.known.items() if files == known), "a mixed or partial site")

    def trial(self, rng: random.Random, aim: str, build_seconds: float) -> Trial:
        before = self.published()
        assert before in VERSIONS, before
        after = "B" if before == "A" else "A"
        self.use(after)
        existing = set(os.listdir(self.output.parent))
        process = self.start()
        delay = 0.0
        if aim == "publishing":
            staging = f".{self.output.name}.staging-"
            while process.poll() is None and not any(n.startswith(staging) and n not in existing for n in os.listdir(self.output.parent)):
                time.sleep(0.0003)
            delay = rng.uniform(0, WINDOW_S)
        else:
            delay = rng.uniform(0, build_seconds * 1.1)
        time.sleep(delay)
        killed = process.poll() is None
        if killed:
            os.killpg(process.pid, signal.SIGKILL)  # the build and anything it started (Pagefind)
        process.communicate(timeout=60)
        found = self.published()
        label = ("old" if found == before else "new") if found in VERSIONS else found
        return Trial(aim, delay, label, killed, leftovers(self.output))


def run(folder: Path, trials: int, seed: int = 13) -> tuple[KillBench, Report]:
    """`trials` killed builds, alternately aimed at any moment and at publishing; then one
    complete build, which must tidy away whatever the kills left."""
    bench = KillBench(folder)
    report = Report(bench.learn())
    rng = random.Random(seed)
    for number in range(trials):
        report.trials.append(bench.trial(rng, "publishing" if number % 2 else "any moment", report.build_seconds))
    return bench, report
