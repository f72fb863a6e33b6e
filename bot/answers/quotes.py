"""`/quote`: the best matching direct quotes, optionally by one speaker."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.answers.base import Facts, clean_text_option, parse_limit
from bot.models import Quote


@dataclass(frozen=True, slots=True)
class QuoteQuery:
    """Checked options of a quote request."""

    text: str | None = None
    speaker: str | None = None
    limit: int = 5

    @classmethod
    def parse(
        cls, text: str | None = None, speaker: str | None = None, limit: str | int | None = None
    ) -> QuoteQuery:
        """Check raw option values."""
        return cls(clean_text_option(text), clean_text_option(speaker, 100), parse_limit(limit, 5))


@dataclass(frozen=True, slots=True)
class QuoteAnswer:
    query: QuoteQuery
    quotes: list[Quote]
    total: int
    speaker: str | None = None  # the speaker as resolved from the query
    corrected: str | None = None
    suggestions: list[str] = field(default_factory=list)


async def quotes(facts: Facts, query: QuoteQuery) -> QuoteAnswer:
    """Quotes best matching the text (most relevant first), or a speaker's quotes in date order."""
    speaker: str | None = None
    if query.speaker:
        matches = facts.index.match_speakers(query.speaker, limit=3)
        if not matches:
            close = [name for name, _ in facts.index.match_speakers(query.speaker, limit=3, cutoff=50)]
            return QuoteAnswer(query, [], 0, None, None, close or list(facts.index.speakers)[:3])
        speaker = matches[0][0]

    if not query.text:
        found = await facts.store.quotes(speaker=speaker)
        return QuoteAnswer(query, found[: query.limit], len(found), speaker)

    parsed = facts.quote_index.parse(query.text)
    if not parsed.words:  # nothing searchable (only stop words, symbols): the text does not narrow
        found = await facts.store.quotes(speaker=speaker)
        return QuoteAnswer(query, found[: query.limit], len(found), speaker)
    found, total = facts.quote_index.rank(parsed, query.limit, field=speaker)
    correction = parsed.correction
    suggestions = [] if found else facts.index.suggest_words(query.text)
    corrected = correction.text if correction.changed and found else None
    return QuoteAnswer(query, found, total, speaker, corrected, suggestions)
