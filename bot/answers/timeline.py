"""`/timeline`: dated events in date order, optionally within years and about a topic."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from bot.answers.base import Facts, QueryError, clean_text_option, parse_limit, parse_year
from bot.models import Event
from bot.search.fulltext import TextIndex
from bot.text import query_words

# When no event holds every word of the topic, those scoring at least this share of the best one.
ANY_WORDS = 0.5


@dataclass(frozen=True, slots=True)
class TimelineQuery:
    """Checked options of a timeline request."""

    from_year: int | None = None
    to_year: int | None = None
    about: str | None = None
    limit: int = 10

    @classmethod
    def parse(
        cls,
        from_year: str | int | None = None,
        to_year: str | int | None = None,
        about: str | None = None,
        limit: str | int | None = None,
    ) -> TimelineQuery:
        """Check raw option values; QueryError with a friendly message when they make no sense."""
        start, end = parse_year(from_year, "from"), parse_year(to_year, "to")
        if start is not None and end is not None and end < start:
            raise QueryError(
                "`to` ({end}) is before `from` ({start}); swap them to see {end}–{start}.",
                start=start,
                end=end,
            )
        return cls(start, end, clean_text_option(about), parse_limit(limit))


@dataclass(frozen=True, slots=True)
class TimelineAnswer:
    query: TimelineQuery
    events: list[Event]
    total: int
    corrected: str | None = None  # the topic as understood, when typos were corrected
    suggestions: list[str] = field(default_factory=list)


def _island_words(facts: Facts, about: str) -> list[list[str]] | None:
    """A topic that names an island (in any script or alias) searches for its English names' words."""
    key, _ = facts.index.match_island(about, cutoff=88)
    if key is None:
        return None
    island = facts.index.gazetteer.islands[key]
    names = [island.name, *(a for a in island.aliases if a.isascii())]
    return [found for name in names if (found := query_words(name))]


def _holding(index: TextIndex[Event], word: str, terms: Sequence[int] = ()) -> NDArray[np.bool_]:
    """Events holding the word (or a word it starts, from four letters) or one of `terms`."""
    mask = index.docs_with_prefix(word) if len(word) >= 4 else index.docs_with(index.exact(word))
    if terms:
        mask |= index.docs_with(terms)
    return mask


def _all_of(masks: Iterable[NDArray[np.bool_]], size: int) -> NDArray[np.bool_]:
    out = np.ones(size, dtype=bool)
    for mask in masks:
        out &= mask
    return out


async def timeline(facts: Facts, query: TimelineQuery) -> TimelineAnswer:
    """Events in date order within the query's years and about its topic."""
    if not query.about:
        events = await facts.store.events(from_year=query.from_year, to_year=query.to_year)
        return TimelineAnswer(query, events[: query.limit], len(events))

    index = facts.event_index
    parsed = index.parse(query.about)
    correction = parsed.correction
    about = np.zeros(index.size, dtype=bool)
    names = _island_words(facts, query.about)
    if names:
        for name in names:
            about |= _all_of((_holding(index, w) for w in name), index.size)
    elif parsed.words:
        if all(w.terms or w.reading in index.ids for w in parsed.words):
            about = _all_of(
                (_holding(index, w.reading, [t for t, _ in w.terms]) for w in parsed.words), index.size
            )
        if not about.any():
            # No event holds every word: those matching the most telling ones.
            scores, bar = index.matches(parsed, ANY_WORDS)
            about = scores >= bar
    years = facts.event_years
    lo = 0 if query.from_year is None else int(np.searchsorted(years, query.from_year, "left"))
    hi = len(years) if query.to_year is None else int(np.searchsorted(years, query.to_year, "right"))
    at = np.flatnonzero(about[lo:hi]) + lo
    events = [index.items[p] for p in at[: query.limit].tolist()]
    suggestions = [] if events else facts.index.suggest_words(query.about)
    corrected = correction.text if correction.changed and events else None
    return TimelineAnswer(query, events, len(at), corrected, suggestions)
