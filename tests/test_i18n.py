"""Every word of the interface comes from the message catalogue: a new language is one
catalogue file. Tested with a pseudo-translation that wraps every string in ⟦…⟧: after a
build, no interface text is left outside the brackets, in the page, in its attributes, in
the page script's messages or in the chart."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from babel import Locale
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from site_builder import messages
from site_builder.cli import main

from conftest import FIXTURE, REPO, copy_site

LOCALES = REPO / "site_builder/locales"


def extracted() -> set[str]:
    """The msgids in the code and templates now, extracted as `make messages` does."""
    from babel.messages.frontend import parse_mapping_cfg

    with open(REPO / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(REPO), method_map, options_map):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalogue_ids(path: Path) -> set[str]:
    with path.open("rb") as source:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source) if m.id}


def test_the_catalogues_hold_every_string_of_the_code_and_templates() -> None:
    wanted = extracted()
    assert len(wanted) > 40
    assert catalogue_ids(LOCALES / "messages.pot") == wanted, "run `make messages`"
    for po in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        assert catalogue_ids(po) == wanted, f"{po}: run `make messages`"


class VisibleText(HTMLParser):
    """Text a reader sees or hears: text nodes outside scripts and styles, and the
    attributes that are read aloud or shown."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "pre", "textarea"):  # code (BibTeX, the embed snippet) is not interface text
            self.hidden += 1
        for name, value in attrs:
            if name in ("alt", "aria-label", "title", "content") and value and not (tag == "meta" and name == "content"):
                self.chunks.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "pre", "textarea"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.chunks.append(data)


def content_strings(site: Path) -> list[str]:
    """Everything the site's own files say (titles, summaries, labels, Markdown bodies as
    rendered), longest first: what is left of a page without them is the interface."""
    from site_builder.markup import MarkdownRenderer
    from site_builder.model import LEDE_END

    markdown = MarkdownRenderer()
    found: list[str] = []

    def add(text: str) -> None:
        found.append(" ".join(text.split()))
        found.append(LEDE_END.split(" ".join(text.split()), maxsplit=1)[0])  # a summary's first sentence, as lists show it
        parser = VisibleText()
        parser.feed(str(markdown(text)))
        found.extend(chunk.strip() for chunk in parser.chunks if chunk.strip())

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            add(value)

    for path in [site / "site.yaml", *sorted((site / "events").glob("*.yaml")), *sorted((site / "figures").glob("*.yaml"))]:
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    for path in sorted((site / "content").glob("*.md")):
        front, body = path.read_text(encoding="utf-8").split("---", 2)[1:]
        walk(yaml.safe_load(front))
        add(body)
    return sorted({item for item in found if item}, key=len, reverse=True)


TECHNICAL = {"events", "figures", "csv", "sources", "json", "datapackage", "ics", "Atom", "BibTeX", "misc", "author", "title", "howpublished",
             "year", "url", "https", "news", "test", "timeline"}  # file names, formats and BibTeX keys are not words
GERMAN = {*Locale.parse("de").months["format"]["wide"].values(), *Locale.parse("de").languages.values()}


@pytest.fixture(scope="module")
def pseudo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site in German, with a catalogue that wraps every string in ⟦…⟧."""
    root = tmp_path_factory.mktemp("pseudo")
    with (LOCALES / "messages.pot").open("rb") as source:
        catalog = read_po(source, locale="de")
    for message in catalog:
        if message.id:
            message.string = tuple(f"⟦{part}⟧" for part in message.id) if isinstance(message.id, tuple) else f"⟦{message.id}⟧"
    target = root / "locales/de/LC_MESSAGES/messages.po"
    target.parent.mkdir(parents=True)
    with target.open("wb") as out:
        write_po(out, catalog)
    site = copy_site(root / "site", FIXTURE)
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en-GB", "language: de"), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(messages, "LOCALES", root / "locales")
        assert main(["build", "--site", str(site)]) == 0
    return site


def test_no_interface_text_escapes_the_catalogue(pseudo_site: Path) -> None:
    content = content_strings(pseudo_site)
    pages = sorted((pseudo_site / "output").rglob("*.html"))
    assert len(pages) == 22  # the fixture's 21 pages and its Key figures page
    for page in pages:
        parser = VisibleText()
        parser.feed(page.read_text(encoding="utf-8"))
        text = "\n".join(parser.chunks)
        text = re.sub(r"⟦[^⟧]*⟧", " ", text)  # translated
        text = re.sub(r"https?://\S+", " ", text)  # addresses (in citations)
        for item in content:
            text = text.replace(item, " ")
        # what is left: dates and language names by Babel in German, numbers, punctuation
        leftover = [word for word in re.findall(r"[A-Za-z]{3,}", text) if word not in GERMAN | TECHNICAL]
        assert leftover == [], (page, leftover)


def test_the_page_script_and_the_chart_speak_the_catalogue(pseudo_site: Path) -> None:
    home = (pseudo_site / "output/index.html").read_text(encoding="utf-8")
    script_messages = json.loads(re.search(r'<script type="application/json" id="timeline-messages">(.*?)</script>', home, re.S).group(1))
    assert script_messages == {"field": "⟦{name}: {value}⟧", "showing": "⟦Showing {shown} of 9 events: {categories}.⟧"}
    spec = re.search(r'<script type="application/json" id="timeline-spec">(.*?)</script>', home, re.S).group(1)
    for word in ("Event", "Date", "Category", "Today"):
        assert f"⟦{word}⟧" in spec, word
    assert '"when":"⟦2030 (target)⟧"' in spec
    assert '"when":"14. Februar 2023"' in spec  # Babel's German date


def test_a_language_without_a_catalogue_is_a_warning(tiny_site, run_cli) -> None:  # type: ignore[no-untyped-def]
    tiny_site.write("site.yaml", (tiny_site.root / "site.yaml").read_text().replace("language: en-GB", "language: de"))
    result = run_cli("check", "--site", ".")
    assert result.code == 0
    assert result.err.splitlines() == [
        "site.yaml:1:1: warning: language: no interface catalogue for 'de'; buttons and labels stay in English "
        "(add site_builder/locales/de/LC_MESSAGES/messages.po)",
        "1 file, 1 warning",
    ]
