"""One article in, its cited facts out: clean → segment → extract (quotes, dated events, island facts).

The facts of one article (`ArticleQuote`, `ArticleEvent`, `ArticleIslandFact`) each cite one passage;
corroboration (`bot.ingest.corroborate`) turns them into the facts of the store (`bot.models`), each
citing every passage that states it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.ingest.dates import find_dates
from bot.ingest.islands import Gazetteer
from bot.ingest.loader import RawArticle
from bot.ingest.people import Directory, PeopleIndex
from bot.ingest.quotes import extract_quotes
from bot.ingest.segment import paragraphs, split_sentences
from bot.models import ArticleMeta, Citation, PartialDate, SpeakerKind


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence of the article with its offsets."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ArticleQuote:
    """A direct quotation found in one article, with the passage that holds it and its attribution."""

    text: str
    speaker: str
    partial: bool
    date: PartialDate | None
    citation: Citation
    speaker_kind: SpeakerKind = "person"
    speaker_description: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleEvent:
    """A dated event found in one article: the sentence that holds the date."""

    date: PartialDate
    text: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class ArticleIslandFact:
    """A sentence of one article that speaks of an island or island group."""

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
    quotes: list[ArticleQuote] = field(default_factory=list)
    events: list[ArticleEvent] = field(default_factory=list)
    island_facts: list[ArticleIslandFact] = field(default_factory=list)
    unresolved_dates: int = 0


def display_text(raw: str) -> str:
    """A passage as shown to users: whitespace collapsed, dangling quotation marks removed."""
    text = re.sub(r"\s+", " ", raw).strip()
    if text.count('"') % 2 == 1:
        text = text.strip('"').strip()
    if text.count("“") != text.count("”"):
        text = text.strip("“”").strip()
    return text


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
            ArticleQuote(
                q.text.rstrip(", "),
                q.speaker.name,
                q.partial,
                when,
                Citation.of(meta, q.excerpt_start, q.excerpt_end, text[q.excerpt_start : q.excerpt_end]),
                q.speaker.kind,
                q.speaker.description,
            )
        )

    anchor: PartialDate | None = None
    for passage in facts.passages:
        # The facts of one sentence share its shown text and its citation (one object each, not copies).
        sentence = _SentenceFacts(meta, passage)
        mentions = find_dates(passage.text, meta.published, anchor=anchor)
        sentence_dates: list[PartialDate] = []
        for m in mentions:
            if m.date is None:
                facts.unresolved_dates += 1
                continue
            if m.date not in sentence_dates:
                sentence_dates.append(m.date)
                facts.events.append(ArticleEvent(m.date, sentence.shown(), sentence.citation()))
            if not m.relative:
                anchor = m.date
        _island_facts(facts, gazetteer, sentence, sentence_dates)
    return facts


class _SentenceFacts:
    """A sentence's display text and citation, made once when a fact of the sentence first needs them."""

    __slots__ = ("_citation", "_shown", "meta", "passage")

    def __init__(self, meta: ArticleMeta, passage: Passage) -> None:
        self.meta, self.passage = meta, passage
        self._shown: str | None = None
        self._citation: Citation | None = None

    def shown(self) -> str:
        if self._shown is None:
            self._shown = display_text(self.passage.text)
        return self._shown

    def citation(self) -> Citation:
        if self._citation is None:
            p = self.passage
            self._citation = Citation.of(self.meta, p.start, p.end, p.text)
        return self._citation


def _island_facts(
    facts: ArticleFacts, gazetteer: Gazetteer, sentence: _SentenceFacts, dates: list[PartialDate]
) -> None:
    keys: list[str] = []
    for mention in gazetteer.find(sentence.passage.text):
        if mention.key not in keys:
            keys.append(mention.key)
    for key in keys:
        facts.island_facts.append(
            ArticleIslandFact(key, sentence.shown(), dates[0] if dates else None, sentence.citation())
        )


def _quote_date(text: str, start: int, end: int, published: PartialDate | None) -> PartialDate | None:
    """When the words were said: a day named in the attribution ("Abe said on Friday"), else publication."""
    passage = text[start:end]
    outside = re.sub(r"[\"“][^\"”]*[\"”]", lambda m: " " * len(m.group(0)), passage)
    for m in find_dates(outside, published):
        if m.date is not None and m.date.granularity == "day":
            return m.date
    return published
