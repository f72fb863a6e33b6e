"""One article in, its cited facts out: clean → segment → extract (quotes, dated events, island facts)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.ingest.dates import find_dates
from bot.ingest.islands import Gazetteer
from bot.ingest.loader import RawArticle
from bot.ingest.people import Directory, PeopleIndex
from bot.ingest.quotes import extract_quotes
from bot.ingest.segment import Sentence, paragraphs, split_sentences
from bot.models import ArticleMeta, Citation, PartialDate


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence of the article with its offsets."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class QuoteFact:
    text: str
    speaker: str
    partial: bool
    date: PartialDate | None
    citation: Citation


@dataclass(frozen=True, slots=True)
class EventFact:
    date: PartialDate
    text: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class IslandFactRow:
    island: str  # gazetteer key
    text: str
    date: PartialDate | None
    citation: Citation


@dataclass(slots=True)
class ArticleFacts:
    """Everything extracted from one article."""

    meta: ArticleMeta
    text: str
    passages: list[Passage] = field(default_factory=list)
    quotes: list[QuoteFact] = field(default_factory=list)
    events: list[EventFact] = field(default_factory=list)
    island_facts: list[IslandFactRow] = field(default_factory=list)
    unresolved_dates: int = 0


def display_text(raw: str) -> str:
    """A passage as shown to users: whitespace collapsed, dangling quotation marks removed."""
    text = re.sub(r"\s+", " ", raw).strip()
    if text.count('"') % 2 == 1:
        text = text.strip('"').strip()
    if text.count("“") != text.count("”"):
        text = text.strip("“”").strip()
    return text


def cite(meta: ArticleMeta, text: str, start: int, end: int) -> Citation:
    """A citation of text[start:end] of the article."""
    return Citation(
        article_id=meta.article_id,
        title=meta.title,
        outlet=meta.outlet,
        url=meta.url,
        published=meta.published.iso() if meta.published else None,
        excerpt=text[start:end],
        start=start,
        end=end,
    )


def extract_article(raw: RawArticle, directory: Directory, gazetteer: Gazetteer) -> ArticleFacts:
    """Extract quotes, dated events and island facts from one article, each cited to its exact passage."""
    text, meta = raw.text, raw.meta
    facts = ArticleFacts(meta, text)
    paras = paragraphs(text, raw.cleaned.blocks)
    sentences = split_sentences(text, paras)
    facts.passages = [Passage(s.start, s.end, text[s.start : s.end]) for s in sentences]

    people = PeopleIndex(text, directory, meta.published)
    for q in extract_quotes(text, paras, sentences, people):
        when = _quote_date(text, q.excerpt_start, q.excerpt_end, meta.published)
        facts.quotes.append(
            QuoteFact(
                q.text.rstrip(", "),
                q.speaker,
                q.partial,
                when,
                cite(meta, text, q.excerpt_start, q.excerpt_end),
            )
        )

    anchor: PartialDate | None = None
    for s in sentences:
        sentence_text = text[s.start : s.end]
        mentions = find_dates(sentence_text, meta.published, anchor=anchor)
        sentence_dates: list[PartialDate] = []
        for m in mentions:
            if m.date is None:
                facts.unresolved_dates += 1
                continue
            if m.date not in sentence_dates:
                sentence_dates.append(m.date)
                facts.events.append(
                    EventFact(m.date, display_text(sentence_text), cite(meta, text, s.start, s.end))
                )
            if not m.relative:
                anchor = m.date
        _island_facts(facts, gazetteer, s, sentence_text, sentence_dates)
    return facts


def _island_facts(
    facts: ArticleFacts, gazetteer: Gazetteer, s: Sentence, sentence_text: str, dates: list[PartialDate]
) -> None:
    keys: list[str] = []
    for mention in gazetteer.find(sentence_text):
        if mention.key not in keys:
            keys.append(mention.key)
    for key in keys:
        facts.island_facts.append(
            IslandFactRow(
                key,
                display_text(sentence_text),
                dates[0] if dates else None,
                cite(facts.meta, facts.text, s.start, s.end),
            )
        )


def _quote_date(text: str, start: int, end: int, published: PartialDate | None) -> PartialDate | None:
    """When the words were said: a day named in the attribution ("Abe said on Friday"), else publication."""
    passage = text[start:end]
    outside = re.sub(r"[\"“][^\"”]*[\"”]", lambda m: " " * len(m.group(0)), passage)
    for m in find_dates(outside, published):
        if m.date is not None and m.date.granularity == "day":
            return m.date
    return published
