"""Key figures: the page that charts each measure against its targets, the figures on event
pages and the home page, the data file, and the errors a figure file can get."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from test_validation import check_errors

from conftest import FIGURE, GOOD_EVENT, TinySite

CROSSINGS_ALT = "Daily crossings of the harbour by bicycle. December 2024: about 1,200; target for 2030: at least 5,000."


def _html(output: Path, page: str) -> str:
    return (output / page).read_text(encoding="utf-8")


def test_key_figures_page_charts_a_measure_against_its_target_and_names_its_sources(fixture_output: Path) -> None:
    html = _html(fixture_output, "figures/index.html")
    charted, others = html.split('id="baseline-title"')
    assert f'<img class="figure-chart" src="bridge-crossings.svg" alt="{CROSSINGS_ALT}"' in charted
    assert '<a href="../events/2023-02-14-bridge-plan-approved/">City council approves the Harbour Bridge plan</a>' in charted
    assert '<a href="https://news.test/2024/12/cyclists" rel="noopener noreferrer external" hreflang="en">Harbour Daily</a>' in charted
    assert '<span class="number">12th of 40</span> <span class="figure-when">2024</span>' in others  # no target: a number, not a chart
    assert "city-ranking.svg" not in html and not (fixture_output / "figures/city-ranking.svg").exists()
    svg = _html(fixture_output, "figures/bridge-crossings.svg")
    assert svg.startswith("<svg") and "<script" not in svg  # a still picture: no JavaScript needed
    assert [text for text in ("target for 2030", "at least 5,000", "December 2024", "about 1,200") if text not in svg] == []


def test_the_figures_are_linked_from_the_home_page_menu_and_their_events(fixture_output: Path) -> None:
    home = _html(fixture_output, "index.html")
    strip = home.split('class="key-numbers"')[1].split("</section>")[0]
    assert '<span class="number">about 1,200</span>' in strip
    assert "Daily bicycle crossings, December 2024" in strip and "target for 2030: at least 5,000" in strip
    assert '<a href="figures/">All key figures, with their sources →</a>' in strip
    assert "Cycling rank" not in strip  # only highlighted figures are in the strip
    assert '<li><a href="figures/">Key figures</a></li>' in home
    event = _html(fixture_output, "events/2024-11-30-harbour-bridge-opens/index.html")
    assert f'src="../../figures/bridge-crossings.svg" alt="{CROSSINGS_ALT}"' in event
    assert '<a href="../../figures/">All key figures, with their sources →</a>' in event
    assert "bridge-crossings.svg" not in _html(fixture_output, "events/2023-02-14-bridge-plan-approved/index.html")


def test_figures_csv_has_one_row_per_value(fixture_output: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_html(fixture_output, "data/figures.csv"))))
    assert [(r["figure"], r["position"], r["kind"], r["value"], r["qualifier"], r["as_of"], r["set_by"]) for r in rows] == [
        ("bridge-crossings", "1", "measurement", "1200", "about", "2024-12", ""),
        ("bridge-crossings", "2", "target", "5000", "at-least", "2030", "2023-02-14-bridge-plan-approved"),
        ("city-ranking", "1", "measurement", "12", "", "2024", ""),
    ]
    assert rows[2]["out_of"] == "40" and rows[0]["sources"] == "https://news.test/2024/12/cyclists"


def test_a_home_page_list_gives_each_event_one_line(fixture_output: Path) -> None:
    home = _html(fixture_output, "index.html")
    ledes = re.findall(r'<p class="event-lede">(.*?)</p>', home)
    assert len(ledes) == 9
    assert "The bridge opened with a public walk across the harbour, and was open to walkers and cyclists from the same afternoon." in ledes
    assert '<p class="updated">Last updated: <time datetime="2024-12-10">10 December 2024</time></p>' in home



def test_figure_errors_name_file_line_and_field(tiny_site: TinySite, run_cli) -> None:
    tiny_site.write("figures/economy.yaml", FIGURE.replace("unit: percent-of-gdp", "unit: percent-of-gpd").replace("value: 18.3", 'value: "18,3"'))
    tiny_site.write("figures/target.yaml", FIGURE + """\
  - value: 30
    as_of: 2030
    kind: target
    out_of: 193
    sources:
      - title: A report
        publisher: A publisher
        url: https://news.test/report
events: [2024-12-22-resolution-75]
""")
    check_errors(
        run_cli,
        "figures/economy.yaml:3:7: unit: 'percent-of-gpd' is not a known unit (did you mean 'percent-of-gdp'?); "
        "choose one of: count, percent, percent-of-gdp, rank, usd-billion",
        "figures/economy.yaml:5:12: values[0].value: expected a number, found text (write it without quotes, units or thousands "
        "separators, e.g. 18.3 or 20000)",
        "figures/target.yaml:11:5: values[1].set_by: a target needs set_by: the slug of the event that set it (whose target is it?)",
    )
    target = (tiny_site.root / "figures/target.yaml").read_text()
    tiny_site.write("figures/target.yaml", target.replace("kind: target", "kind: target\n    set_by: 2024-12-22-resolution-57"))
    tiny_site.write("figures/economy.yaml", FIGURE)
    check_errors(
        run_cli,
        "figures/target.yaml:15:13: values[1].out_of: out_of is for ranks; this figure's unit is percent-of-gdp",
    )
    tiny_site.write("figures/target.yaml", (tiny_site.root / "figures/target.yaml").read_text().replace("    out_of: 193\n", ""))
    check_errors(
        run_cli,
        "figures/target.yaml:19:10: events[0]: no event with slug '2024-12-22-resolution-75' (did you mean '2024-12-22-resolution-57'?)",
    )


SOURCES = """\
sources:
  - title: Hội nghị toàn quốc về đột phá phát triển khoa học
    translated_title: National conference on breakthroughs in science
    publisher: Bao Nghe An
    url: https://baonghean.vn/hoi-nghi-toan-quoc-123.html
    language: vi
  - translated_title: Ministry attends the national online conference
    publisher: Tai nguyen & Moi truong
    url: https://baotainguyenmoitruong.vn/bo-tham-du-385637.html
    language: vi
"""


def test_a_translated_headline_is_shown_as_one(tiny_site: TinySite, run_cli) -> None:
    tiny_site.event("2024-12-22-resolution-57", GOOD_EVENT.split("sources:")[0] + SOURCES)
    assert run_cli("build", "--site", ".").code == 0
    html = (tiny_site.root / "output/events/2024-12-22-resolution-57/index.html").read_text(encoding="utf-8")
    sources = html.split('id="sources-title"')[1].split("</section>")[0]
    assert ('<a href="https://baonghean.vn/hoi-nghi-toan-quoc-123.html" rel="noopener noreferrer external" hreflang="vi" lang="vi">'
            'Hội nghị toàn quốc về đột phá phát triển khoa học</a>') in sources
    assert ('[<span lang="en-GB">National conference on breakthroughs in science</span>] <span class="note">(translated headline)</span>'
            in sources)
    assert ('<span lang="en-GB">Ministry attends the national online conference</span></a>\n'
            '<span class="note">(translated headline; the original could not be checked)</span>') in sources


def test_a_source_needs_a_headline_and_its_pages_language(tiny_site: TinySite, run_cli) -> None:
    text = GOOD_EVENT.replace("  - title: An article\n", "  - publisher: Somebody\n    language: en\n").replace(
        "    publisher: A publisher\n    url: https://news.test/article\n", "    url: https://vietnamnet.vn/hanh-dong-2373069.html\n")
    tiny_site.event("2024-12-22-resolution-57", text)
    check_errors(run_cli, "events/2024-12-22-resolution-57.yaml:7:5: sources[0].title: required field is missing: give the headline as "
                          "published (or, if it cannot be read, translated_title, shown as a translation)")
    tiny_site.event("2024-12-22-resolution-57", text.replace("  - publisher: Somebody", "  - title: First action\n    publisher: Somebody"))
    result = run_cli("check", "--site", ".", "--strict")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "events/2024-12-22-resolution-57.yaml:9:15: sources[0].language: 'en' but vietnamnet.vn publishes this page in Vietnamese; "
        "cite the version you read: its own URL, or language: vi with the headline as published in 'title' and yours in 'translated_title'")
    english = text.replace("  - publisher: Somebody", "  - title: First action\n    publisher: Somebody").replace("vietnamnet.vn/", "vietnamnet.vn/en/")
    tiny_site.event("2024-12-22-resolution-57", english)
    assert run_cli("check", "--site", ".", "--strict").code == 0  # the /en/ edition is English


def test_events_on_the_same_day_follow_their_stated_order(tiny_site: TinySite, run_cli) -> None:
    morning = GOOD_EVENT.replace("Politburo issues Resolution 57", "Assembly votes in the morning").replace("date: 2024-12-22", "date: 2025-02-19")
    tiny_site.event("2025-02-19-a-evening-meeting", morning.replace("Assembly votes in the morning", "Associations meet in the evening") + "order: 2\n")
    tiny_site.event("2025-02-19-z-assembly-vote", morning + "order: 1\n")
    assert run_cli("build", "--site", ".").code == 0
    home = (tiny_site.root / "output/index.html").read_text(encoding="utf-8")
    assert home.index("Assembly votes in the morning") < home.index("Associations meet in the evening")
    vote = (tiny_site.root / "output/events/2025-02-19-z-assembly-vote/index.html").read_text(encoding="utf-8")
    assert 'href="../2025-02-19-a-evening-meeting/" rel="next"' in vote


def test_new_figure_writes_a_template_that_check_points_at(tiny_site: TinySite, run_cli) -> None:
    result = run_cli("new-figure", "Digital economy's share of GDP", "--unit", "percent-of-gdp", "--site", ".")
    assert (result.code, result.out.splitlines()[0]) == (0, "Wrote figures/digital-economys-share-of-gdp.yaml")
    text = (tiny_site.root / "figures/digital-economys-share-of-gdp.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schema.json\n") and "unit: percent-of-gdp" in text
    errors = run_cli("check", "--site", ".").err.splitlines()
    assert "figures/digital-economys-share-of-gdp.yaml:14:12: values[0].as_of: 'YYYY' is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD" in errors
    again = run_cli("new-figure", "Digital economy's share of GDP", "--site", ".")
    assert again.code == 2 and "already exists; not overwriting it" in again.err
