"""Adversarial articles: one text pattern repeated to a given size, extracted beside a normal article of it.

Every extraction pass must be linear (or capped) in an article's size. A pattern that makes a pass rescan
what it has already read shows here as an article that takes many times longer than a normal one of the
same size. The normal article is the body text of generated articles, run together into one.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

# What a hostile or broken article can be made of, each aimed at a pass: cues, quotation marks, names and
# titles (people), relative clauses and appositions (attribution), dates and islands.
PATTERNS: dict[str, str] = {
    "speech cues": 'Putin said, "',
    "quotation marks": '" ',
    "curly openers": "“",
    "titles and names": "Russian Deputy Foreign Minister Mikhail ",
    "surnames and verbs": "Abe said Putin told Lavrov added ",
    "relative clauses": ", which Japan calls the Northern Territories, ",
    "appositions": "Kenji Sato, 80, a former resident, ",
    "dates": "on Monday, 14 November 1956, ",
    "islands": "Kunashir Iturup Shikotan Habomai ",
    "pronouns and references": '"Yes," he said. "No," she said. Mr. Abe said the "talks" went on, the ministry added. ',
}
NORMAL = "normal article"


def write_articles(folder: Path, size: int, corpus: Path) -> dict[str, Path]:
    """One file per pattern and one normal article, each `size` characters; returns them by name."""
    from bot.ingest.clean import clean

    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    paragraphs: list[str] = []
    total = 0
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for block in clean(text).blocks:
            if block.kind == "paragraph":
                paragraphs.append(text[block.start : block.end])
                total += block.end - block.start + 2
        if total > size:
            break
    normal = "\n\n".join(paragraphs)
    while len(normal) < size:  # a small corpus is repeated until the article is long enough
        normal += "\n\n" + normal
    texts = {NORMAL: normal[:size]}
    texts.update(
        {name: "Headline\n\n" + (unit * (size // len(unit) + 1))[:size] for name, unit in PATTERNS.items()}
    )
    for n, (name, text) in enumerate(texts.items()):
        # A folder each: the loader reads folders, and each article is measured on its own.
        files[name] = folder / f"{n:02d}" / "article.txt"
        files[name].parent.mkdir(exist_ok=True)
        files[name].write_text(text, encoding="utf-8")
    return files


def child_extract(payload: dict[str, Any]) -> dict[str, Any]:
    """Extract each file in this process: CPU seconds, and what came out."""
    from bot.ingest.islands import Gazetteer
    from bot.ingest.loader import load_corpus
    from bot.ingest.people import Directory
    from bot.ingest.pipeline import extract_article

    directory, gazetteer = Directory.load(), Gazetteer.load()
    out: dict[str, Any] = {}
    for name, path in payload["files"].items():
        article = load_corpus([Path(path).parent]).articles[0]
        started = time.process_time()
        facts = extract_article(article, directory, gazetteer)
        seconds = time.process_time() - started
        out[name] = {
            "chars": len(article.text),
            "seconds": round(seconds, 3),
            "quotes": len(facts.quotes),
            "events": len(facts.events),
            "island_facts": len(facts.island_facts),
        }
    return out


def summarise(figures: dict[str, Any]) -> dict[str, Any]:
    """Each article's time as a multiple of the normal article's, and the worst."""
    normal = figures[NORMAL]["seconds"] or 1e-9
    for f in figures.values():
        f["times_normal"] = round(f["seconds"] / normal, 2)
    worst = max((k for k in figures if k != NORMAL), key=lambda k: figures[k]["seconds"])
    return {"articles": figures, "worst": worst, "worst_times_normal": figures[worst]["times_normal"]}


def markdown(section: dict[str, Any]) -> list[str]:
    """The section's table."""
    rows = [
        f"| {name} | {f['chars']:,} | {f['seconds']:.2f} | {f['times_normal']:.2f} | {f['quotes']:,} | "
        f"{f['events']:,} |"
        for name, f in section["articles"].items()
    ]
    return [
        "Each article is one pattern repeated to the size of a normal article (generated body text run "
        "together) and extracted in one process; CPU seconds, so other load on the machine does not count.",
        "",
        "| article | characters | CPU s | × normal | quotes | events |",
        "|---|---|---|---|---|---|",
        *rows,
    ]
