"""How an article's facts travel from the worker process that extracted them to the build's process.

Frozen slotted dataclasses pickle through Python-level state functions, which made sending an article's
facts from a worker process cost more than half of extracting them. Packed, they are plain tuples of
strings and numbers; citations are rebuilt from the article text and their offsets. The packed form never
leaves the build.
"""

from __future__ import annotations

from bot.ingest.pipeline import ArticleEvent, ArticleFacts, ArticleIslandFact, ArticleQuote, Passage
from bot.models import ArticleMeta, Citation, PartialDate, SpeakerKind

DateTuple = tuple[int, int | None, int | None]
# article id, title, outlet, url, published, published note, sha256, path
PackedMeta = tuple[str, str, str | None, str | None, DateTuple | None, str | None, str, str]
# text, speaker, partial, date, start, end, speaker kind, speaker description
PackedQuote = tuple[str, str, bool, DateTuple | None, int, int, SpeakerKind, str | None]
PackedEvent = tuple[DateTuple, str, int, int]  # date, text, start, end
PackedIslandFact = tuple[str, str, DateTuple | None, int, int]  # island, text, date, start, end
# meta, text, passages (start, end), quotes, events, island facts, unresolved dates
PackedFacts = tuple[
    PackedMeta,
    str,
    list[tuple[int, int]],
    list[PackedQuote],
    list[PackedEvent],
    list[PackedIslandFact],
    int,
]


def _date_tuple(date: PartialDate) -> DateTuple:
    return (date.year, date.month, date.day)


def _maybe_date_tuple(date: PartialDate | None) -> DateTuple | None:
    return None if date is None else _date_tuple(date)


def pack_facts(facts: ArticleFacts) -> PackedFacts:
    """`facts` as plain tuples, cheap to pickle; a `FactsUnpacker` turns them back into equal facts."""
    m = facts.meta
    meta = (
        m.article_id,
        m.title,
        m.outlet,
        m.url,
        _maybe_date_tuple(m.published),
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
                _maybe_date_tuple(q.date),
                q.citation.start,
                q.citation.end,
                q.speaker_kind,
                q.speaker_description,
            )
            for q in facts.quotes
        ],
        [(_date_tuple(e.date), e.text, e.citation.start, e.citation.end) for e in facts.events],
        [
            (f.island, f.text, _maybe_date_tuple(f.date), f.citation.start, f.citation.end)
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
        (article_id, title, outlet, url, published, note, sha256, path), text, passages, *_ = packed
        quotes, events, islands, unresolved = packed[3:]
        meta = ArticleMeta(article_id, title, outlet, url, self._date(published), note, sha256, path)
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
                c = citations[start, end] = Citation.of(meta, start, end, excerpt)
            return c

        date = self._date
        out.quotes = [
            ArticleQuote(t, sp, pa, date(d), citation(s, e), kind, described)
            for t, sp, pa, d, s, e, kind, described in quotes
        ]
        dates = self._dates
        out.events = [
            ArticleEvent(dates.get(d) or self._new_date(d), t, citation(s, e)) for d, t, s, e in events
        ]
        out.island_facts = [ArticleIslandFact(k, t, date(d), citation(s, e)) for k, t, d, s, e in islands]
        return out
