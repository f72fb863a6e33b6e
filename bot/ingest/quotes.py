"""Direct quotations and who said them.

Quoted spans are found in straight or curly double quotes; a quote interrupted by its attribution
("A," said X, "B.") is joined, and so is a quote that runs over several paragraphs. Its speaker comes from
the speech cue that governs it in the same sentence:

- right after it: `"…," Kremlin spokesman Dmitry Peskov said` / `"…," said the ministry` /
  `"…," Dmitry Medvedev, deputy chairman of the Security Council, said` / `"…," according to Abe`;
- right before it: `Lavrov told reporters: "…"` / `Abe said that "…"`;
- for a fragment inside a sentence, the verb whose clause holds it (`Japan called the act "unacceptable"`,
  `Russian officials expressed "regret"`), a participle of that clause (`…, citing the "impossibility"`) or
  the attribution that ends the sentence (`…, including its "sovereignty," it said.`);
- with no cue at all, the speaker of the quotation just before (the same paragraph or the one before).

The phrase next to the verb must be a speaker by the grammar of `bot.ingest.speakers`: a person, a role or
an organisation. A pronoun ("he", "it", "they") or a phrase that refers back ("the ministry", "the official",
"the Japanese PM") is resolved against the article; a surname against the full name the article introduced.
A quotation whose speaker cannot be resolved is dropped, never guessed. Scare quotes, titles and names in
quotation marks are dropped too: a fragment is speech only when a speech verb governs it.

How: `bot.ingest.cues` reads each sentence's speech cues and picks the one that governs a quotation;
`bot.ingest.attribution` resolves its phrase; this module pairs the quotation marks, joins the pieces of
one quotation and keeps or drops it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.ingest.attribution import Resolver, paragraph_intro, speaker_of
from bot.ingest.cues import (
    SPEECH_HINT,
    Article,
    Clause,
    Cue,
    QuoteSpan,
    cue_after,
    cue_for,
    ends_sentence,
    find_quote_spans,
    governing,
    is_full_sentence_start,
    relays,
)
from bot.ingest.people import PeopleIndex
from bot.ingest.segment import Paragraph, Sentence
from bot.ingest.speakers import Phrase, Speaker, word_set
from bot.text import words_as_written

_SCARE_LEAD = re.compile(
    r"(?:so-called|so called|dubbed|termed|known as|named|titled|entitled|called the|nicknamed|"
    r"referred to as|labell?ed as)\s*$",
    re.IGNORECASE,
)

_CONJUNCTIONS = word_set(
    """and but or so yet because although though while which who whom whose where when if unless since as"""
)

# A lead before a quotation that says nothing itself ("Now, “…”", "But “…”").
_TRIVIAL_LEAD = re.compile(
    r"^\s*(?:(?:and|but|now|still|yet|so|then|also|however|later|again|\w+ly)\b[\s,]*)*$", re.I
)


@dataclass(frozen=True, slots=True)
class ExtractedQuote:
    """A quotation found in one article."""

    text: str
    speaker: Speaker
    partial: bool
    spans: tuple[QuoteSpan, ...]
    excerpt_start: int
    excerpt_end: int
    cue: str  # how the speaker was found: "after", "before", "clause", "participle", "continuation", ...


@dataclass(slots=True)
class _Said:
    """The last quotation kept: who said it, in which paragraph."""

    speaker: Speaker
    phrase: Phrase
    paragraph: int


class _QuoteFinder:
    """One pass over an article's quotations, in text order, attributing each or leaving it out."""

    def __init__(self, text: str, paras: list[Paragraph], sentences: list[Sentence], people: PeopleIndex):
        self.text = text
        self.paras = paras
        self.sentences = sentences
        para_spans = {p.index: find_quote_spans(text, p) for p in paras}
        self.flat = [(p, sp) for p in paras for sp in para_spans[p.index]]
        self.para_of = {sp.open: p for p, sp in self.flat}
        self.article = Article(text, sentences, [sp for _, sp in self.flat])
        self.resolver = Resolver(text, people, self.article)
        self.consumed: set[int] = set()
        self.last: _Said | None = None
        # Speech acts outside quotations ("Abe said in an interview …") tell who spoke last, for pronouns.
        quoted = {i for _, sp in self.flat if (i := self.article.index_at(sp.open)) is not None}
        self._acts = iter(
            i for i, s in enumerate(sentences) if i not in quoted and SPEECH_HINT.search(text, s.start, s.end)
        )
        self._pending = next(self._acts, None)

    def run(self) -> list[ExtractedQuote]:
        quotes = []
        for k, (para, span) in enumerate(self.flat):
            if span.open in self.consumed:
                continue
            self._hear_until(span.open)
            quote = self._quote(k, para, span)
            if quote is not None:
                quotes.append(quote)
        return quotes

    def _hear_until(self, pos: int) -> None:
        while self._pending is not None and self.sentences[self._pending].start < pos:
            clause = self.article.clause(self._pending)
            for cue in clause.cues:
                speaker_of(cue, clause, self.resolver)
            self._pending = next(self._acts, None)

    def _group(self, k: int) -> list[QuoteSpan]:
        """The quotation at flat[k] with the paragraphs it runs on into (each opening with a quote mark)."""
        group = [self.flat[k][1]]
        while k + len(group) < len(self.flat) and group[-1].close == self.para_of[group[-1].open].end:
            nxt_para, nxt_span = self.flat[k + len(group)]
            prev_para = self.flat[k + len(group) - 1][0]
            if nxt_para.index != prev_para.index + 1 or self.text[nxt_para.start : nxt_span.open].strip():
                break
            group.append(nxt_span)
        return group

    def _quote(self, k: int, para: Paragraph, span: QuoteSpan) -> ExtractedQuote | None:
        text, article = self.text, self.article
        group = self._group(k)
        first_idx = article.index_at(span.open)
        if first_idx is None:
            first_idx = article.index_at(span.start)
        if first_idx is None:
            return None
        clause = article.clause(first_idx)
        q_first = clause.quote_at.get(span.open)
        if q_first is None:
            return None
        last = group[-1]
        last_idx = article.index_at(max(last.close - 1, last.start))
        last_clause = article.clause(last_idx) if last_idx is not None else clause
        q_last = last_clause.quote_at.get(last.open)

        chosen: Cue | None = None
        cue_name, cue_end = "", last.close + 1
        after = cue_after(last_clause, q_last) if q_last is not None else None
        if after is not None and relays(after, last_clause) and governing(clause, q_first) is not None:
            # 'Kishida told the rally that Japan "will not change …," according to Kyodo News': the one who
            # spoke is before the quotation; the agency only passes it on.
            after = None
        if after is not None:
            chosen, cue_name = after, "after"
            cue_end = last_clause.toks[after.last].end
            self._join_interrupted(k, group, last_clause, after)
        lead_text = text[clause.sentence.start : span.open]
        partial = not is_full_sentence_start(clause, q_first)
        if chosen is None:
            chosen, cue_name = cue_for(clause, q_first, len(words_as_written(text[span.start : span.end])))
            if chosen is None and last_clause is not clause and q_last is not None:
                chosen, cue_name = cue_for(last_clause, q_last, 2)

        speaker: Speaker | None = None
        if chosen is not None:
            self.resolver.anchor = span.open
            speaker = speaker_of(chosen, clause if chosen in clause.cues else last_clause, self.resolver)
            self.resolver.anchor = None
            if speaker is None:
                return None  # the cue names no one the article lets us resolve: leave the quote out
        inner = _joined(text, group)
        words = words_as_written(inner)
        if not words:
            return None
        if partial and _not_speech(lead_text, inner, words):
            return None
        phrase = chosen.phrase if chosen is not None else None
        if speaker is None:
            standalone = not partial or (
                _TRIVIAL_LEAD.match(lead_text) is not None and ends_sentence(last_clause, q_last)
            )
            if standalone and self._continues(para) and len(words) >= 2:
                assert self.last is not None
                speaker, phrase, cue_name = self.last.speaker, self.last.phrase, "continuation"
            else:
                intro = None if partial else paragraph_intro(article, para, self.paras, span, self.resolver)
                if intro is None:
                    return None
                speaker, cue_name = intro, "intro"
        phrase = phrase or Phrase(speaker.kind, speaker.name, speaker.name)
        self.consumed.update(s.open for s in group)
        self.resolver.hear(span.open, speaker, phrase)
        self.last = _Said(speaker, phrase, self.para_of[group[-1].open].index)
        end = self._excerpt_end(group, cue_end)
        return ExtractedQuote(inner, speaker, partial, tuple(group), clause.sentence.start, end, cue_name)

    def _join_interrupted(self, k: int, group: list[QuoteSpan], clause: Clause, cue: Cue) -> None:
        """'"A," said X, "B."': the quotation goes on after its cue."""
        toks = clause.toks
        nxt = cue.last + 1
        if nxt < len(toks) and toks[nxt].text in (",", ":"):
            nxt += 1
        following = k + len(group)
        if (
            nxt < len(toks)
            and toks[nxt].kind == "q"
            and following < len(self.flat)
            and self.flat[following][1].open == toks[nxt].start
        ):
            group.append(self.flat[following][1])

    def _continues(self, para: Paragraph) -> bool:
        """Whether a quotation with no cue of its own is the last speaker's (same or next paragraph)."""
        return self.last is not None and para.index - self.last.paragraph <= 1

    def _excerpt_end(self, group: list[QuoteSpan], cue_end: int) -> int:
        last_end = group[-1].close + 1
        end_idx = self.article.index_at(max(group[-1].close - 1, group[-1].start))
        sentence_last_end = self.sentences[end_idx].end if end_idx is not None else last_end
        end = max(sentence_last_end, min(cue_end, _sentence_end(self.article, last_end)), last_end)
        return min(end, len(self.text))


def extract_quotes(
    text: str, paras: list[Paragraph], sentences: list[Sentence], people: PeopleIndex
) -> list[ExtractedQuote]:
    """Every attributable direct quotation in the article, in text order."""
    return _QuoteFinder(text, paras, sentences, people).run()


def _joined(text: str, group: list[QuoteSpan]) -> str:
    """The words of a quotation, over the pieces its attribution interrupts."""
    pieces = [text[s.start : s.end].strip() for s in group]
    for n in range(1, len(pieces)):
        # "The question of the islands," Putin said, "is not …": the comma belongs to the attribution.
        # A comma before a conjunction ("…talk," he said, "but …") was the speaker's own.
        first_word = pieces[n].split(" ", 1)[0].lower()
        if pieces[n - 1].endswith(",") and pieces[n][:1].islower() and first_word not in _CONJUNCTIONS:
            pieces[n - 1] = pieces[n - 1][:-1]
    return re.sub(r"\s+", " ", " ".join(pieces)).strip()


def _not_speech(lead: str, inner: str, words: list[str]) -> bool:
    """A fragment in quotation marks that is a scare quote, a nickname or a title, not speech."""
    if _SCARE_LEAD.search(lead):
        return True
    return all(w[:1].isupper() for w in words if len(w) > 3) and not re.search(r"[.,!?]$", inner)


def _sentence_end(article: Article, pos: int) -> int:
    i = article.index_at(pos)
    return article.sentences[i].end if i is not None else pos
