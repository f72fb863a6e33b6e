"""One article in, its cited facts out: clean → segment → extract (quotes, dated events, island facts)."""

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
class QuoteFact:
    text: str
    speaker: str
    partial: bool
    date: PartialDate | None
    citation: Citation
    speaker_kind: SpeakerKind = "person"
    speaker_description: str | None = None


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
                q.speaker.name,
                q.partial,
                when,
                cite(meta, text, q.excerpt_start, q.excerpt_end),
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
                facts.events.append(EventFact(m.date, sentence.shown(), sentence.citation()))
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
            meta, p = self.meta, self.passage
            self._citation = Citation(
                article_id=meta.article_id,
                title=meta.title,
                outlet=meta.outlet,
                url=meta.url,
                published=meta.published.iso() if meta.published else None,
                excerpt=p.text,
                start=p.start,
                end=p.end,
            )
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
            IslandFactRow(key, sentence.shown(), dates[0] if dates else None, sentence.citation())
        )


def _quote_date(text: str, start: int, end: int, published: PartialDate | None) -> PartialDate | None:
    """When the words were said: a day named in the attribution ("Abe said on Friday"), else publication."""
    passage = text[start:end]
    outside = re.sub(r"[\"“][^\"”]*[\"”]", lambda m: " " * len(m.group(0)), passage)
    for m in find_dates(outside, published):
        if m.date is not None and m.date.granularity == "day":
            return m.date
    return published


# ---- transport between processes ---------------------------------------------------------------------
# Frozen slotted dataclasses pickle through Python-level state functions, which made sending an article's
# facts from a worker process cost more than half of extracting them. Packed, they are plain tuples of
# strings and numbers; citations are rebuilt from the article text and their offsets.

DateTuple = tuple[int, int | None, int | None]
PackedFacts = tuple  # see pack_facts


def _date_tuple(date: PartialDate | None) -> DateTuple | None:
    return None if date is None else (date.year, date.month, date.day)


def pack_facts(facts: ArticleFacts) -> PackedFacts:
    """`facts` as plain tuples, cheap to pickle; a `FactsUnpacker` turns them back into equal facts."""
    m = facts.meta
    meta = (
        m.article_id,
        m.title,
        m.outlet,
        m.url,
        _date_tuple(m.published),
        m.published_note,
        m.sha256,
        m.path,
    )
    return (
        meta,
        facts.text,
        [(p.start, p.end) for p in facts.passages],
        [
            (
                q.text,
                q.speaker,
                q.partial,
                _date_tuple(q.date),
                q.citation.start,
                q.citation.end,
                q.speaker_kind,
                q.speaker_description,
            )
            for q in facts.quotes
        ],
        [(_date_tuple(e.date), e.text, e.citation.start, e.citation.end) for e in facts.events],
        [
            (f.island, f.text, _date_tuple(f.date), f.citation.start, f.citation.end)
            for f in facts.island_facts
        ],
        facts.unresolved_dates,
    )


class FactsUnpacker:
    """Turns packed facts back into `ArticleFacts`, sharing equal dates between articles (without the
    passages when `passages` is false: a caller that only needs the facts saves making them)."""

    def __init__(self, *, passages: bool = True) -> None:
        self._dates: dict[DateTuple, PartialDate] = {}
        self._passages = passages

    def _date(self, value: DateTuple | None) -> PartialDate | None:
        if value is None:
            return None
        return self._dates.get(value) or self._new_date(value)

    def _new_date(self, value: DateTuple) -> PartialDate:
        date = self._dates[value] = PartialDate(*value)
        return date

    def __call__(self, packed: PackedFacts) -> ArticleFacts:
        meta_t, text, passages, quotes, events, islands, unresolved = packed
        meta = ArticleMeta(*meta_t[:4], self._date(meta_t[4]), *meta_t[5:])
        published = meta.published.iso() if meta.published else None
        excerpts: dict[tuple[int, int], str] = {}
        out = ArticleFacts(meta, text, unresolved_dates=unresolved)
        if self._passages:
            for start, end in passages:
                excerpt = excerpts[start, end] = text[start:end]
                out.passages.append(Passage(start, end, excerpt))
        citations: dict[tuple[int, int], Citation] = {}

        def citation(start: int, end: int) -> Citation:
            c = citations.get((start, end))
            if c is None:
                excerpt = excerpts.get((start, end)) or text[start:end]
                c = citations[start, end] = Citation(
                    meta.article_id, meta.title, meta.outlet, meta.url, published, excerpt, start, end
                )
            return c

        date = self._date
        out.quotes = [
            QuoteFact(t, sp, pa, date(d), citation(s, e), kind, described)
            for t, sp, pa, d, s, e, kind, described in quotes
        ]
        dates = self._dates
        out.events = [
            EventFact(dates.get(d) or self._new_date(d), t, citation(s, e)) for d, t, s, e in events
        ]
        out.island_facts = [IslandFactRow(k, t, date(d), citation(s, e)) for k, t, d, s, e in islands]
        return out
