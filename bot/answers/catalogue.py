"""`/source` and `/about`: the articles behind every citation, and what the bot is."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.answers.base import Facts, clean_text_option
from bot.ingest.clean import clean
from bot.models import ArticleMeta
from bot.store.reader import StoreCounts


@dataclass(frozen=True, slots=True)
class SourceAnswer:
    query: str
    article: ArticleMeta | None
    paragraphs: list[str] = field(default_factory=list)  # the cleaned article text, paragraph by paragraph
    suggestions: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AboutAnswer:
    counts: StoreCounts
    articles: list[ArticleMeta]
    skipped: list[tuple[str, str]]
    speakers: int
    built_at: str | None


async def source(facts: Facts, article: str | None) -> SourceAnswer:
    """An article's metadata and its cleaned text, found by id (as citations name it), id prefix or title."""
    query = clean_text_option(article, 120) or ""
    article_id, suggestions = facts.index.match_article(query)
    if article_id is None:
        return SourceAnswer(query, None, [], suggestions)
    meta = (await facts.store.articles())[article_id]
    text = await facts.store.article_text(article_id) or ""
    blocks = clean(text).blocks
    paragraphs = [" ".join(b.text.split()) for b in blocks if b.kind != "title"]
    return SourceAnswer(query, meta, paragraphs)


async def about(facts: Facts) -> AboutAnswer:
    """Corpus size, the list of articles and how the store was built."""
    return AboutAnswer(
        await facts.store.counts(),
        list((await facts.store.articles()).values()),
        await facts.store.skipped(),
        len(facts.index.speakers),
        await facts.store.meta_value("built_at"),
    )
