"""`/timeline`: dated events in date order, optionally within years and about a topic."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.answers.base import Facts, QueryError, clean_text_option, parse_limit, parse_year
from bot.models import Event
from bot.search import fts_query, normalise

CANDIDATES = 400


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
            raise QueryError(f"`to` ({end}) is before `from` ({start}); swap them to see {end}–{start}.")
        return cls(start, end, clean_text_option(about), parse_limit(limit))


@dataclass(frozen=True, slots=True)
class TimelineAnswer:
    query: TimelineQuery
    events: list[Event]
    total: int
    corrected: str | None = None  # the topic as understood, when typos were corrected
    suggestions: list[str] = field(default_factory=list)


async def _island_terms(facts: Facts, about: str) -> list[str] | None:
    """A topic that names an island (in any script or alias) searches for its English names."""
    key, _ = facts.index.match_island(about, cutoff=88)
    if key is None:
        return None
    island = facts.index.gazetteer.islands[key]
    return [island.name, *(a for a in island.aliases if a.isascii())]


async def timeline(facts: Facts, query: TimelineQuery) -> TimelineAnswer:
    """Events in date order within the query's years and about its topic."""
    if not query.about:
        events = await facts.store.events(from_year=query.from_year, to_year=query.to_year)
        return TimelineAnswer(query, events[: query.limit], len(events))

    correction = facts.index.correct(query.about)
    ids: list[int] = []
    island_terms = await _island_terms(facts, query.about)
    if island_terms:
        for name in island_terms:
            ids.extend(
                fid
                for fid, _, _ in await facts.store.match(
                    "events", fts_query(normalise(name).split()), CANDIDATES
                )
            )
    elif correction.corrected:
        candidates = await facts.store.match("events", fts_query(correction.corrected, "AND"), CANDIDATES)
        if not candidates:
            candidates = await facts.store.match("events", fts_query(correction.corrected, "OR"), CANDIDATES)
            ids = [fid for fid, _ in facts.index.rank(correction.text, candidates, threshold=60)]
        else:
            ids = [fid for fid, _, _ in candidates]
    events = await facts.store.events(
        from_year=query.from_year, to_year=query.to_year, ids=list(dict.fromkeys(ids))
    )
    suggestions = [] if events else facts.index.suggest_words(query.about)
    corrected = correction.text if correction.changed and events else None
    return TimelineAnswer(query, events[: query.limit], len(events), corrected, suggestions)
