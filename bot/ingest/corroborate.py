"""Merge the same fact found in several articles into one fact with every source.

Events are the same when they have the same date and similar text; quotes when the speaker is the same
and the words are (nearly) the same; island facts when the island and date match and the sentence is
(nearly) the same. Comparison only happens inside those blocks, so it stays cheap as the corpus grows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

from rapidfuzz import fuzz

from bot.ingest.pipeline import ArticleFacts
from bot.models import Citation, Event, IslandFact, Quote

EVENT_THRESHOLD = 60.0
EVENT_MIN_SHARED = 4  # shared word stems: short generic sentences never merge on the date alone
QUOTE_THRESHOLD = 90.0
ISLAND_THRESHOLD = 90.0

_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "and",
        "or",
        "but",
        "as",
        "is",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "that",
        "this",
        "which",
        "who",
        "it",
        "its",
        "from",
        "into",
        "over",
        "between",
        "both",
        "two",
        "said",
        "says",
        "also",
        "would",
        "will",
        "not",
        "no",
    ]
)

T = TypeVar("T")


def content_words(text: str) -> str:
    """Lower-case words without stop words or punctuation: what similarity is measured on."""
    return " ".join(w for w in re.findall(r"[\w’']+", text.lower()) if w not in _STOP)


def _group(
    items: Sequence[T],
    block: Callable[[T], Hashable],
    text: Callable[[T], str],
    similar: Callable[[str, str], bool],
) -> list[list[T]]:
    groups: list[list[T]] = []
    by_block: dict[Hashable, list[tuple[str, list[T]]]] = {}
    for item in items:
        key = block(item)
        norm = content_words(text(item))
        for rep, members in by_block.get(key, []):
            if similar(rep, norm):
                members.append(item)
                break
        else:
            members = [item]
            by_block.setdefault(key, []).append((norm, members))
            groups.append(members)
    return groups


def _sources(citations: Iterable[Citation]) -> tuple[Citation, ...]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for c in citations:
        if (c.article_id, c.start, c.end) not in seen:
            seen.add((c.article_id, c.start, c.end))
            out.append(c)
    return tuple(out)


def _stems(text: str) -> str:
    # A crude stem (the first five letters) lets "voted"/"voting" and "Security"/"security" agree.
    return " ".join(w[:5] for w in text.split())


def _event_similar(a: str, b: str) -> bool:
    if not a or not b:
        return a == b
    sa, sb = _stems(a), _stems(b)
    shared = set(sa.split()) & set(sb.split())
    return len(shared) >= EVENT_MIN_SHARED and fuzz.token_set_ratio(sa, sb) >= EVENT_THRESHOLD


def merge(articles: Sequence[ArticleFacts]) -> tuple[list[Quote], list[Event], list[IslandFact]]:
    """Corroborated quotes, events and island facts over all articles, in a stable order."""
    all_quotes = [q for a in articles for q in a.quotes]
    all_events = [e for a in articles for e in a.events]
    all_islands = [f for a in articles for f in a.island_facts]

    quotes = []
    for group in _group(
        all_quotes, lambda q: q.speaker, lambda q: q.text, lambda a, b: fuzz.ratio(a, b) >= QUOTE_THRESHOLD
    ):
        best = max(group, key=lambda q: (not q.partial, len(q.text)))
        dated = [q.date for q in group if q.date is not None]
        quotes.append(
            Quote(
                best.text,
                best.speaker,
                best.partial,
                min(dated) if dated else None,
                _sources(q.citation for q in group),
            )
        )

    events = []
    for group in _group(all_events, lambda e: e.date, lambda e: e.text, _event_similar):
        best = max(group, key=lambda e: len(e.text))
        events.append(Event(best.date, best.text, _sources(e.citation for e in group)))

    islands = []
    for group in _group(
        all_islands,
        lambda f: (f.island, f.date),
        lambda f: f.text,
        lambda a, b: fuzz.ratio(a, b) >= ISLAND_THRESHOLD,
    ):
        best = group[0]
        islands.append(IslandFact(best.island, best.text, best.date, _sources(f.citation for f in group)))
    return quotes, events, islands
