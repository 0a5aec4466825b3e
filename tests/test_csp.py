"""The Content Security Policy: every page the generator writes carries one (a <meta> early in
its head, from the theme's partials/content_security_policy.html) that lets scripts come only
from the site's own files: no inline script, no event-handler attribute, no eval or new
Function. Every page kind of the three-language fixture then works under it in Debian's
chromium without a single violation: the chart draws and answers (Vega's expressions run in
its interpreter), search finds, a large site's chart fetches its years."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_builder import density, model

from browser import http_server
from conftest import EDITIONS_FIXTURE, build_once, open_page

MOUNT = "editions/"  # the path of the fixture's base_url: the 404 page's absolute links need it
EVENT = "events/2024-11-30-harbour-bridge-opens/"
CHART_PAGES = ["", "vi/", "fr/", "embed/", "embed/court/", "vi/embed/"]
PAGES = [*CHART_PAGES, EVENT, f"vi/{EVENT}", f"fr/{EVENT}", "categories/court/", "fr/categories/court/", "about/",
         "methodology/", "vi/about/", "data/", "fr/data/", "404.html", "vi/404.html"]
MARKS = "#timeline svg .event_marks_marks path"

# Run before any page script: every violation the page reports, kept for the test to read.
RECORD_VIOLATIONS = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  [e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber, (e.sample || '').slice(0, 80)].join(' ')));"""
# From a timer, as page code: code that page.evaluate runs itself is exempt from the page's CSP.
TRY_EVAL = """() => new Promise(done => setTimeout(() => {
  const refused = [];
  try { eval('1'); } catch (e) { refused.push(e instanceof EvalError); }
  try { new Function('return 1')(); } catch (e) { refused.push(e instanceof EvalError); }
  done(refused);
}, 0))"""


def directives(policy: str) -> dict[str, list[str]]:
    """A policy's directives by name, each with its source list."""
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        assert name not in found, f"{name} given twice"
        found[name] = sources
    return found


def assert_strict(policy: str) -> None:
    """Scripts from the site's own files only; 'wasm-unsafe-eval' (WebAssembly, for Pagefind)
    is the one addition, and 'unsafe-inline' is allowed for style attributes only."""
    rules = directives(policy)
    assert set(rules["script-src"]) <= {"'self'", "'wasm-unsafe-eval'"} and "'self'" in rules["script-src"], rules["script-src"]
    assert not any(name.startswith("script-src-") for name in rules)  # nothing loosens script-src for elements or attributes
    for name, sources in rules.items():
        assert "'unsafe-eval'" not in sources and ("'unsafe-inline'" not in sources or name == "style-src"), name
    assert rules["default-src"] == ["'self'"] and rules["object-src"] == ["'none'"] and rules["base-uri"] == ["'self'"]
    assert "frame-ancestors" not in rules  # ignored in a <meta>; the embeds are made to be framed anyway


class HeadAndScripts(HTMLParser):
    """What a page says about itself: the tags of its head in order, its script elements and
    every attribute that could run script."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.head: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []
        self.script_urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif self.in_head:
            self.head.append((tag, values))
        if tag == "script":
            self.scripts.append(values)
        self.handlers += [f"<{tag} {name}>" for name, _ in attrs if name.startswith("on")]
        self.script_urls += [f"<{tag} {name}={value}>" for name, value in attrs
                             if name in ("href", "src", "action", "formaction") and value and value.strip().lower().startswith("javascript:")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


@pytest.fixture(scope="module")
def pages(editions_output: Path) -> dict[str, HeadAndScripts]:
    found = {}
    for path in sorted(editions_output.rglob("*.html")):
        parser = HeadAndScripts()
        parser.feed(path.read_text(encoding="utf-8"))
        found[path.relative_to(editions_output).as_posix()] = parser
    assert {"index.html", "404.html", "embed/index.html", "vi/index.html", "fr/data/index.html", f"{EVENT}index.html"} <= set(found)
    return found


def test_every_page_carries_the_policy_right_after_its_charset(pages: dict[str, HeadAndScripts]) -> None:
    """First thing after <meta charset>: a <meta> policy covers only what comes after it."""
    policies = set()
    for name, page in pages.items():
        (first, _), (second, meta) = page.head[:2]
        assert first == "meta" and second == "meta" and meta.get("http-equiv") == "Content-Security-Policy", name
        assert sum(values.get("http-equiv") == "Content-Security-Policy" for _, values in page.head) == 1, name
        policies.add(meta["content"] or "")
    assert len(policies) == 1  # written once, in the theme
    assert_strict(policies.pop())


def test_no_page_has_an_inline_script_an_event_handler_or_a_javascript_url(pages: dict[str, HeadAndScripts]) -> None:
    """Scripts are files; the only script elements with content are data blocks, which CSP
    lets through because they never run."""
    for name, page in pages.items():
        for script in page.scripts:
            assert script.get("src") or script.get("type") in ("application/json", "application/ld+json"), (name, script)
        assert page.handlers == [] and page.script_urls == [], name


def test_the_theme_and_the_sites_templates_keep_to_it() -> None:
    """The same rules read in the sources, for pages no fixture renders: the theme's templates
    and scripts, and the templates this site and the fixture sites add."""
    root = Path(__file__).resolve().parent.parent
    templates = [*(root / "site_builder/theme/templates").rglob("*.html"), *(root / "templates").rglob("*.html"),
                 *(root / "tests/sites").glob("*/templates/**/*.html")]
    assert templates
    for path in templates:
        text = path.read_text(encoding="utf-8")
        inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", text)
        assert inline == [], path
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", text) and "javascript:" not in text.lower(), path
    for path in (root / "site_builder/theme/static/js").glob("*.js"):
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"\beval\(|\bFunction\(|set(?:Timeout|Interval)\(\s*[\"'`]|javascript:", code), path


# -- In the browser --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(editions_output: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture site served at its base_url's path, as it would be published."""
    root = tmp_path_factory.mktemp("csp-served")
    (root / MOUNT.rstrip("/")).symlink_to(editions_output, target_is_directory=True)
    with http_server(root) as url:
        yield url + MOUNT


def open_watched(browser, url: str, **options):  # type: ignore[no-untyped-def]
    """A page that records CSP violations and the console's complaints about the policy."""
    context, page = open_page(browser, url, **options)
    page.add_init_script(RECORD_VIOLATIONS)
    page.csp_console = []
    page.on("console", lambda message: "Content Security Policy" in message.text and page.csp_console.append(message.text))
    return context, page


def wait_for_chart(page) -> None:  # type: ignore[no-untyped-def]
    """Until the chart is drawn, or at once when the policy refused something on the way."""
    page.wait_for_function("() => document.querySelector('#timeline[data-ready=true] svg') || window.__violations.length")
    assert_no_violation(page)


def assert_no_violation(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("window.__violations") == []
    assert page.csp_console == []


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_every_page_kind_loads_without_a_violation(browser, site: str, path: str) -> None:  # type: ignore[no-untyped-def]
    context, page = open_watched(browser, site)
    page.goto(site + path)
    if path in CHART_PAGES:
        wait_for_chart(page)
    else:
        page.wait_for_selector("#site-search:not([hidden])")  # search.js ran and Pagefind's box is up
    page.wait_for_load_state("networkidle")
    assert_strict(page.get_attribute("meta[http-equiv='Content-Security-Policy']", "content") or "")
    assert_no_violation(page)
    assert page.watch.errors == [] and page.watch.foreign_requests == []
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "embed/"])
def test_the_chart_draws_and_answers_with_eval_forbidden(browser, site: str, path: str) -> None:  # type: ignore[no-untyped-def]
    """Without Vega's interpreter this fails: Vega compiles every expression with new Function,
    which the policy refuses, so the chart would neither draw nor answer."""
    context, page = open_watched(browser, site)
    page.goto(site + path)
    wait_for_chart(page)
    assert page.locator(MARKS).count() >= 5 and page.locator("#timeline-overview svg path").count() > 0
    before = page.evaluate("[timeline.main.signal('ws'), timeline.main.signal('we')]")
    page.locator(".chart-periods button", has_text="Construction").click()  # the era 2024, through signals and expressions
    page.wait_for_function("() => document.querySelector('[aria-pressed=true]')?.textContent === 'Construction'")
    assert page.evaluate("timeline.main.signal('ws')") > before[0] + 300 * 86_400_000
    page.locator(f"{MARKS}[aria-label^='Court dismisses']").hover()  # a tooltip: Vega expressions at work
    page.wait_for_selector("#timeline-tooltip:not([hidden])")
    assert_no_violation(page)
    assert page.watch.errors == []

    assert page.evaluate(TRY_EVAL) == [True, True]  # the policy did forbid eval: the chart ran without it
    assert [v.split()[:2] for v in page.evaluate("window.__violations")] == [["script-src", "eval"]] * 2
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("worker", [True, False], ids=["worker", "main-thread"])
def test_search_finds_events_under_the_policy(browser, site: str, worker: bool) -> None:  # type: ignore[no-untyped-def]
    """Pagefind runs its WebAssembly in a web worker; when the worker cannot start it falls
    back to the page, where compiling WebAssembly needs 'wasm-unsafe-eval'."""
    context, page = open_watched(browser, site)
    started: list[str] = []
    warnings: list[str] = []
    page.on("worker", lambda started_worker: started.append(started_worker.url))
    page.on("console", lambda message: message.type == "warning" and warnings.append(message.text))
    if not worker:
        page.route("**/pagefind-worker.js", lambda route: route.fulfill(status=503, body="unavailable"))
    page.goto(site + "fr/about/")
    page.fill("#site-search input", "jumelage")
    page.wait_for_selector(".pagefind-ui__result-link")
    assert "/editions/fr/events/2024-02-20-public-forum-on-cau-ben-thuy-twinning/" in \
        page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => a.getAttribute('href'))")
    if worker:
        assert any(url.endswith("pagefind-worker.js") for url in started)
    else:
        assert any("falling back to main thread" in text for text in warnings), warnings
    assert_no_violation(page)
    context.close()


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture as a large site (limits lowered to a handful): pages per year, and a chart
    that fetches the events of the years its window shows."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model, "LIST_ON_HOME_LIMIT", 5)
        patch.setattr(density, "DETAIL_LIMIT", 4)
        output = build_once(tmp_path_factory, "csp-large", EDITIONS_FIXTURE)
    assert (output / "years/2023/index.html").is_file() and (output / "timeline/2023.json").is_file()
    root = tmp_path_factory.mktemp("csp-large-served")
    (root / MOUNT.rstrip("/")).symlink_to(output, target_is_directory=True)
    with http_server(root) as url:
        yield url + MOUNT


@pytest.mark.browser
def test_a_large_sites_year_pages_and_fetched_events_under_the_policy(browser, large_site: str) -> None:  # type: ignore[no-untyped-def]
    context, page = open_watched(browser, large_site)
    page.goto(large_site + "vi/years/2024/")
    page.wait_for_selector("#site-search:not([hidden])")
    assert_no_violation(page)

    with page.expect_response(lambda response: response.url.endswith("/timeline/2023.json")) as fetched:
        page.goto(large_site)  # its default window holds few enough events: their years are fetched (connect-src)
    assert fetched.value.ok
    wait_for_chart(page)
    page.wait_for_selector(f"{MARKS}[aria-label^='Residents discuss the bridge route']")  # a fetched event, drawn
    assert_no_violation(page)
    assert page.watch.errors == [] and page.watch.foreign_requests == []
    context.close()
