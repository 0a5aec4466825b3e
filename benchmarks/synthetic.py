"""Write a synthetic site of N events in the real event format (deterministic for a seed).

    python benchmarks/synthetic.py DIR --events 1000 [--seed 57]

The site has the repository's site.yaml and content pages, and N events spread over
2015-2035 with realistic field sizes: a mix of day, month and year precision, spans,
targets, Markdown bodies, two sources each and related links to earlier events.
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CATEGORIES = ("party", "government", "legislature", "conference", "community")
WORDS = ("science technology innovation digital transformation resolution conference ministry law data "
         "national assembly government party province startup research fund platform semiconductor "
         "network infrastructure talent university enterprise policy pilot programme strategy").split()


def phrase(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def event_text(rng: random.Random, index: int, day: date, earlier: list[str]) -> tuple[str, str]:
    precision = rng.choices(("day", "month", "year"), weights=(80, 15, 5))[0]
    written = day.isoformat() if precision == "day" else day.isoformat()[:7] if precision == "month" else str(day.year)
    title = phrase(rng, 4, 9).capitalize() + f" ({index})"
    slug_words = "-".join(title.lower().replace("(", "").replace(")", "").split()[:5])
    slug = f"{written}-{slug_words}-{index}"
    lines = [
        "# yaml-language-server: $schema=schema.json",
        f'title: "{title}"',
        f"date: {written}",
    ]
    if precision == "day" and rng.random() < 0.05:
        lines.append(f"end_date: {(day + timedelta(days=rng.randint(3, 120))).isoformat()}")
    if rng.random() < 0.03:
        lines.append("kind: target")
    lines += [
        f"category: {rng.choice(CATEGORIES)}",
        f"importance: {rng.choices((1, 2, 3), weights=(2, 60, 38))[0]}",
        "summary: >-",
        f"  {phrase(rng, 25, 45).capitalize()}.",
        "body: |",
        f"  {phrase(rng, 40, 80).capitalize()}.",
        "",
        f"  - {phrase(rng, 6, 12)}",
        f"  - {phrase(rng, 6, 12)}",
        f"actors: [{phrase(rng, 2, 3).title()}, {phrase(rng, 2, 3).title()}]",
        f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]",
    ]
    if earlier and rng.random() < 0.5:
        lines.append("related:")
        lines += [f"  - {slug}" for slug in rng.sample(earlier, min(len(earlier), rng.randint(1, 3)))]
    lines.append("sources:")
    for number in range(2):
        lines += [
            f'  - title: "{phrase(rng, 5, 10).capitalize()}"',
            f"    publisher: {rng.choice(('VietNamNet', 'Nhan Dan', 'Tuoi Tre', 'VnExpress', 'Lao Dong'))}",
            f"    url: https://example.org/{index}/{number}",
            f"    date: {day.isoformat()}",
            "    language: en",
        ]
    return slug, "\n".join(lines) + "\n"


def write_site(folder: Path, events: int, seed: int = 57) -> list[Path]:
    rng = random.Random(seed)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "events").mkdir(parents=True)
    shutil.copy2(REPO / "site.yaml", folder / "site.yaml")
    shutil.copytree(REPO / "content", folder / "content")
    start = date(2015, 1, 1)
    written, slugs = [], []
    for index in range(events):
        day = start + timedelta(days=rng.randint(0, 365 * 20))
        slug, text = event_text(rng, index, day, slugs[-200:])
        path = folder / "events" / f"{slug}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
        slugs.append(slug)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=57)
    args = parser.parse_args()
    write_site(args.folder, args.events, args.seed)
    print(f"Wrote {args.events} events to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
