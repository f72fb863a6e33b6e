"""Speech cues: the verbs that report speech in a sentence, the phrases that say who speaks, and which cue
governs which quotation.

A sentence is read as words, punctuation and whole quotations (`Clause`). Each speech verb in it becomes a
`Cue` with the phrase that names its speaker, found by position: the subject before it ("Kremlin spokesman
Dmitry Peskov yesterday said"), after it when inverted ('"…," said the ministry'), after "according to",
or the one quoted in "Interfax quoted X as saying". A participle or a second verb ("…, calling it",
"… and expressed") has no phrase of its own and takes its clause's subject. Which cue governs a quotation
is decided here too: right after it, right before it, the verb of the clause holding a fragment, or an
attribution that ends the sentence, with relayed and embedded speech passed to the one who spoke.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from bot.ingest.segment import Paragraph, Sentence
from bot.ingest.speakers import (
    CLAUSE_WORDS,
    NEWS_HEADS,
    PREPOSITIONS,
    PRONOUNS,
    TIME_WORDS,
    TITLE_WORDS,
    Phrase,
    Speaker,
    Tok,
    analyse,
    tokenize,
    word_set,
)

# Verbs that report speech. Those that also stand before their subject ('"…," said Lavrov') are marked.
_INVERTIBLE = word_set(
    """said says added adds asked asks stressed stresses noted notes wrote writes explained explains
    continued continues replied replies answered declared declares insisted insists recalled recalls
    remarked argued argues warned warns recounted added concluded observed suggested commented
    responded countered admitted acknowledged"""
)

SPEECH_VERBS = _INVERTIBLE | word_set(
    """say told tells stated states emphasised emphasized emphasises emphasizes underlined underscored
    claimed claims announced announces urged urges reiterated reiterates confirmed confirms assured
    vowed vows promised promises predicted mentioned highlighted tweeted posted complained elaborated
    affirmed affirms maintained maintains contended conceded cautioned lamented protested quipped joked
    exclaimed boasted reported reports indicated signalled signaled proclaimed pledged pledges hailed
    praised criticised criticized condemned condemns denounced denounces decried accused accuses blamed
    blames demanded demands called calls described describes expressed expresses voiced labelled
    labeled branded characterised characterized dismissed denied denies welcomed welcomes thanked hoped
    hopes believes thinks expects spoke speaks proposed asserted asserts alleged reminded wondered
    estimated acknowledges admits observes concludes suggests comments responds counters quoted rejected
    rejects slammed blasted objected apologised apologized questioned spoken""",
)

# Participles: their subject is the subject of the clause they hang on ("…, adding that '…'").
_PARTICIPLES = word_set(
    """saying adding noting stressing calling describing citing warning insisting arguing vowing promising
    expressing accusing urging labelling labeling denouncing telling asking explaining recalling
    claiming declaring pointing branding criticising criticizing condemning emphasising emphasizing
    underlining reiterating proposing suggesting answering replying
    responding""",
)

# Verbs that only speak with a particle: "pointed out", "went on".
_PARTICLE_VERBS = {"pointed": "out", "points": "out", "went": "on", "goes": "on", "put": "it", "puts": "it"}

# Words that end the phrase after an inverted verb ('said Lavrov on Monday') or a subject's stretch.
_CLAUSE_BOUNDARY = CLAUSE_WORDS | frozenset(
    ["after", "before", "during", "following", "despite", "amid", "because", "although", "while", "whereas"]
)

_PHRASE_STOP = _CLAUSE_BOUNDARY | frozenset(
    ["in", "on", "at", "during", "after", "before", "to", "by", "as", "via"]
)

# How many words may stand between a one-word fragment and the verb that governs it.
_NEAR = 14

_UNITS = word_set("week weekend month year day morning night season spring summer autumn winter fall")

_AUXILIARIES = word_set("would will could can did does do only just also not never")

# Words that can open a clause before its subject: "Even the Japan Communist Party said …".
_FOCUS_WORDS = word_set("even only just both meanwhile now still separately instead however also")

_RELATIVES = frozenset(("who", "whose", "which"))

# Words that open a clause inside a sentence: its subject follows ("…, when Putin startled Abe by …").
_CLAUSE_OPENERS = word_set("when while as because since although though whereas if after before and but")

SPEECH_HINT = re.compile(
    r"\b(?:"
    + "|".join(sorted(SPEECH_VERBS | _PARTICIPLES | {"according", "pointed", "went"}, key=len, reverse=True))
    + r")\b"
)

_OPENERS = '"“'

_CLOSERS = '"”'

_QUOTE_MARK = re.compile(f"[{_OPENERS}{_CLOSERS}]")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """The inside of one pair of quotation marks: [start, end) excludes the marks."""

    open: int
    close: int  # index of the closing mark

    @property
    def start(self) -> int:
        return self.open + 1

    @property
    def end(self) -> int:
        return self.close


def find_quote_spans(text: str, para: Paragraph) -> list[QuoteSpan]:
    """Pairs of double quotation marks in one paragraph; a stray mark is ignored."""
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for mark in _QUOTE_MARK.finditer(text, para.start, para.end):
        i, ch = mark.start(), mark.group()
        prev = text[i - 1] if i > para.start else " "
        nxt = text[i + 1] if i + 1 < para.end else " "
        if ch == "“":
            role = "open"
        elif ch == "”":
            role = "close"
        elif (prev.isspace() or prev in "([{—–-:") and not nxt.isspace():
            role = "open"
        elif not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?)]—–-" or i + 1 == para.end):
            role = "close"
        elif not prev.isspace() and not nxt.isspace():
            # Squeezed between two words ('…Ryu."The'): it closes an open quotation, else opens one.
            role = "close" if open_at is not None else "open"
        else:
            role = "stray"  # a quotation mark with spaces on both sides
        if role == "open":
            open_at = i
        elif role == "close" and open_at is not None:
            if text[open_at + 1 : i].strip():
                spans.append(QuoteSpan(open_at, i))
            open_at = None
    if open_at is not None and text[open_at + 1 : para.end].strip():
        # Unclosed at the end of the paragraph: a quote that runs on into the next paragraph.
        spans.append(QuoteSpan(open_at, para.end))
    return spans


@dataclass(slots=True)
class Cue:
    """A speech verb of a sentence and the phrase that says who speaks."""

    verb: int  # token index of the verb
    phrase: Phrase | None
    first: int  # token index where the cue starts (its phrase or its verb, whichever comes first)
    last: int  # token index of the cue's last token (the verb or the end of an inverted phrase)
    coordinated: bool = False  # no subject of its own: "Japan insisted …, called the act …"
    participle: bool = False
    appositive: str | None = None  # "deputy chairman of the Russian Security Council"
    relative: bool = False  # in a relative clause: it governs nothing after the clause closes
    speaker: Speaker | None = None
    resolved: bool = False


@dataclass(slots=True)
class Clause:
    """A sentence as words, punctuation and whole quotations, with its speech cues."""

    sentence: Sentence
    toks: list[Tok]
    cues: list[Cue] = field(default_factory=list)
    quote_at: dict[int, int] = field(default_factory=dict)  # quote span open offset -> token index


def _tokens(text: str, sentence: Sentence, spans: list[QuoteSpan]) -> tuple[list[Tok], dict[int, int]]:
    toks: list[Tok] = []
    quote_at: dict[int, int] = {}
    pos = sentence.start
    first = bisect.bisect_left(spans, sentence.start, key=lambda sp: sp.close + 1)
    for sp in spans[first:]:
        if sp.open >= sentence.end:
            break
        if sp.open > pos:
            toks.extend(tokenize(text, pos, sp.open))
        quote_at[sp.open] = len(toks)
        toks.append(Tok(text[sp.start : sp.end], "", sp.open, min(sp.close + 1, len(text)), "q"))
        pos = max(pos, sp.close + 1)
    if pos < sentence.end:
        toks.extend(tokenize(text, pos, sentence.end))
    return toks, quote_at


def _verb_at(toks: list[Tok], i: int) -> bool:
    tok = toks[i]
    low = tok.low
    if tok.kind != "w" or not (tok.text[:1].islower() or low == "according"):
        return False
    particle = _PARTICLE_VERBS.get(low)
    if particle is not None:
        return i + 1 < len(toks) and toks[i + 1].low == particle
    return low in SPEECH_VERBS or low in _PARTICIPLES or (low == "according" and _next_is(toks, i, "to"))


def _next_is(toks: list[Tok], i: int, low: str) -> bool:
    return i + 1 < len(toks) and toks[i + 1].low == low


def _is_boundary(tok: Tok) -> bool:
    return tok.kind != "w" or tok.low in _CLAUSE_BOUNDARY


def _strip_time(toks: list[Tok], lo: int, hi: int) -> int:
    """Where the subject before toks[hi] ends once time words, adverbs and auxiliaries are left out
    ("Peskov yesterday said", "the official would only say")."""
    while hi > lo:
        tok = toks[hi - 1]
        if tok.kind == "w" and (
            tok.low in TIME_WORDS
            or tok.low in _AUXILIARIES
            or tok.low.isdigit()
            or (tok.low.endswith("ly") and tok.text[:1].islower())
        ):
            hi -= 1
        elif tok.kind == "p" and tok.text == "." and hi - 1 > lo and toks[hi - 2].low in TIME_WORDS:
            hi -= 1  # "Jan. 30"
        else:
            break
    return hi


def _strip_lead(toks: list[Tok], lo: int, hi: int) -> int:
    """Leave out a leading time phrase without a comma ("In March the ministry …")."""
    i = lo
    if i < hi and toks[i].low in PREPOSITIONS:
        j = i + 1
        while j < hi and (toks[j].low in TIME_WORDS or toks[j].low.isdigit()):
            j += 1
        if j > i + 1:
            return j
    while (
        i < hi
        and toks[i].kind == "w"
        and (toks[i].low in TIME_WORDS or toks[i].low in _FOCUS_WORDS)
        and (toks[i].low not in ("this", "last", "next") or (i + 1 < hi and toks[i + 1].low in _UNITS))
    ):
        i += 1
    return i


def _appositive(toks: list[Tok], lo: int, hi: int) -> bool:
    """Whether toks[lo:hi] reads as an appositive: an age, a description, a relative clause or a
    participle clause ("Abe, meeting Putin for the 25th time, said")."""
    if lo >= hi or hi - lo > 24 or any(t.kind == "q" for t in toks[lo:hi]):
        return False
    first = toks[lo]
    if first.low in _RELATIVES:
        return True
    if first.low in ("a", "an", "the", "then", "now", "aged", "himself", "herself", "both", "also"):
        # "a 41-year-old teacher who asked that her surname not be used": a verb after "who" describes.
        rel = next((i for i in range(lo, hi) if toks[i].low in _RELATIVES or toks[i].low == "that"), hi)
        return not any(t.low in SPEECH_VERBS for t in toks[lo:rel])
    if first.low.isdigit() and hi - lo <= 2:
        return True
    if first.kind == "w" and first.low.endswith("ing") and first.text[:1].islower():
        return not any(t.low in SPEECH_VERBS for t in toks[lo + 1 : hi])
    if (
        first.kind == "w"
        and first.text[:1].islower()
        and hi - lo <= 24
        and (first.low in PREPOSITIONS or first.low.endswith("ed"))
    ):
        # "the ministry, in a comment reported by TASS, said" / "the ministry, asked about …, said"
        return True
    phrase = analyse(toks[lo:hi]) if all(t.kind == "w" for t in toks[lo:hi]) else None
    return phrase is not None and phrase.kind in ("role", "organisation")


def _segment_before(toks: list[Tok], end: int) -> int:
    """Where the comma-delimited segment that ends at toks[end] (a comma) starts."""
    a = end
    while a > 0 and toks[a - 1].text not in (",", ";", ":") and toks[a - 1].kind != "q":
        a -= 1
    return a


def _last_phrase(toks: list[Tok], lo: int, hi: int) -> tuple[Phrase | None, int]:
    """The longest speaker phrase that ends toks[lo:hi] ("remarks by Japanese Prime Minister Fumio Kishida"
    ends in "Japanese Prime Minister Fumio Kishida")."""
    for start in range(max(lo, hi - 14), hi):
        if toks[start].low in PREPOSITIONS:
            continue
        phrase = analyse(toks[start:hi])
        if phrase is not None and phrase.kind != "pronoun":
            return phrase, start
    return None, hi


class _Subject(NamedTuple):
    phrase: Phrase | None
    start: int  # token index where the subject starts
    coordinated: bool = False  # no subject of its own: "…, called the act" / "… and expressed"
    appositive: str | None = None  # "deputy chairman of the Russian Security Council"
    relative: bool = False  # the verb of a relative clause: "the islands, which Japan calls …"


def _subject(toks: list[Tok], verb: int) -> _Subject:
    """The subject of the speech verb toks[verb]."""
    hi = verb
    if hi > 0 and toks[hi - 1].low in ("was", "is", "were", "are") and toks[verb].low == "quoted":
        hi -= 1
    hi = _strip_time(toks, 0, hi)
    if hi > 0 and toks[hi - 1].low in PRONOUNS and toks[hi - 1].kind == "w":
        relative = hi > 1 and toks[hi - 2].low in ("which", "that", "whom")  # "…, which it calls …,"
        return _Subject(analyse([toks[hi - 1]]), hi - 1, relative=relative)
    lo = hi
    while lo > 0 and not _is_boundary(toks[lo - 1]) and hi - lo < 16:
        lo -= 1
    if lo < hi:
        if lo > 0 and toks[lo - 1].low in ("and", "or", "&"):
            before = toks[lo - 2] if lo >= 2 else None
            if before is not None and before.kind == "w" and before.text[:1].isupper():
                return _Subject(None, lo)  # "Abe and Putin said": a joint statement, no one speaker
        start = _strip_lead(toks, lo, hi)
        relative = lo > 0 and toks[lo - 1].low in ("which", "that", "whom")
        return _Subject(analyse(toks[start:hi]), start, relative=relative)
    # Nothing between the boundary and the verb.
    if lo == 0:
        return _Subject(None, lo)
    boundary = toks[lo - 1]
    if boundary.text in ("—", "–") and lo >= 2:
        # "The regional prosecutor's office, represented by X — no relation to the lawyer — said": read
        # past the remark between dashes as if it were not there.
        opening = next((j for j in range(lo - 2, max(-1, lo - 24), -1) if toks[j].text in ("—", "–")), None)
        if opening is not None:
            if opening > 0 and toks[opening - 1].kind == "w":
                past = _past_appositives(toks, opening, lo)  # "…, represented by X — … — said"
                if past.phrase is not None:
                    return past
            return _subject(toks, opening)
    if boundary.low in ("and", "but", "or"):
        return _Subject(None, lo, coordinated=True)
    if boundary.low in ("who", "that") and lo >= 2 and toks[lo - 2].text == ",":
        # "… Prime Minister Fumio Kishida, who told a rally that …": the phrase before the relative.
        seg = _segment_before(toks, lo - 2)
        phrase, start = _last_phrase(toks, seg, lo - 2)
        if (phrase is None or phrase.kind == "role") and seg >= 2 and toks[seg - 1].text == ",":
            # "Dr. Mariko Saeki, a specialist in naval strategy, who warned …": the name before it.
            named, named_start = _last_phrase(toks, _segment_before(toks, seg - 1), seg - 1)
            if named is not None and named.kind == "person":
                return _Subject(
                    named, named_start, appositive=tidy(" ".join(t.text for t in toks[seg : lo - 2]))
                )
        return _Subject(phrase, start)
    if boundary.text != ",":
        return _Subject(None, lo)
    end = lo - 1
    first = _segment_before(toks, end)
    segment = toks[first:end]
    named = analyse(segment) if segment and all(t.kind == "w" for t in segment) else None
    if named is not None and named.kind == "person" and first > 0 and toks[first - 1].text == ",":
        # "Japan's prime minister, Naoto Kan, called …": the name stands in apposition to the role.
        role_from = _segment_before(toks, first - 1)
        role, _ = _last_phrase(toks, role_from, first - 1)
        described = " ".join(t.text for t in toks[role_from : first - 1]) if role is not None else None
        return _Subject(named, first, appositive=described)
    return _past_appositives(toks, end, lo)


def _past_appositives(toks: list[Tok], end: int, lo: int) -> _Subject:
    """The subject before the appositive segments that end at toks[end] (a comma, or the dash that opens a
    remark): "Dmitry Medvedev, deputy chairman of the Security Council, said" / "Kawata, 87, says"."""
    appositives: list[tuple[int, int]] = []
    while len(appositives) < 2:
        a = _segment_before(toks, end)
        if a == 0 or toks[a - 1].text != "," or not _appositive(toks, a, end):
            break
        appositives.append((a, end))
        end = a - 1
        s_lo = end
        while s_lo > 0 and not _is_boundary(toks[s_lo - 1]) and end - s_lo < 14:
            s_lo -= 1
        s_lo = _strip_lead(toks, s_lo, end)
        phrase = analyse(toks[s_lo:end]) if s_lo < end else None
        if phrase is not None and phrase.kind != "pronoun":
            a0, a1 = appositives[-1][0], appositives[0][1]
            if toks[a0].low in _RELATIVES:
                return _Subject(phrase, s_lo)  # a relative clause describes, but is no description
            return _Subject(phrase, s_lo, appositive=tidy(" ".join(t.text for t in toks[a0:a1])))
    return _Subject(None, lo, coordinated=True)


def tidy(text: str) -> str:
    return re.sub(r"\s+([,.;:)’'])", r"\1", re.sub(r"([(‘])\s+", r"\1", text)).strip()


def _inverted(toks: list[Tok], verb: int) -> tuple[Phrase | None, int, str | None]:
    """The phrase after an inverted verb ('said Russian President Boris Yeltsin, towering over …')."""
    lo = verb + 1
    hi = lo
    while hi < len(toks) and toks[hi].kind == "w" and toks[hi].low not in _PHRASE_STOP and hi - lo < 14:
        if toks[hi].low in TIME_WORDS and toks[hi].low not in TITLE_WORDS and hi > lo:
            break
        hi += 1
    # A role or a title may go on with a preposition: "said a spokesman for the ministry", "said Russian
    # Ambassador to Japan Mikhail Galuzin". The longest reading that is a speaker phrase wins.
    ends = [hi]
    while hi < len(toks) and toks[hi].low in ("of", "for", "at", "to") and hi - lo < 14:
        nxt = hi + 1
        while (
            nxt < len(toks) and toks[nxt].kind == "w" and toks[nxt].low not in _PHRASE_STOP and nxt - lo < 16
        ):
            nxt += 1
        if nxt == hi + 1:
            break
        hi = nxt
        ends.append(hi)
    if lo == ends[0]:
        return None, lo, None
    phrase = None
    for hi in reversed(ends):
        phrase = analyse(toks[lo:hi])
        if phrase is not None:
            break
    if phrase is not None and phrase.kind == "role" and hi + 1 < len(toks) and toks[hi].text == ",":
        # 'said her daughter, Emiko, who cared for her': the name in apposition is the speaker.
        end = hi + 1
        while end < len(toks) and toks[end].kind == "w" and end - hi < 6:
            end += 1
        named = analyse(toks[hi + 1 : end]) if end < len(toks) and toks[end].text in (",", ".") else None
        if named is not None and named.kind == "person":
            return named, end - 1, tidy(" ".join(t.text for t in toks[lo:hi]))
    appositive = None
    if phrase is not None and hi < len(toks) and toks[hi].text == ",":
        end = hi + 1
        while end < len(toks) and toks[end].text not in (",", ".", ";", ":") and toks[end].kind != "q":
            end += 1
        if _appositive(toks, hi + 1, end):
            appositive = tidy(" ".join(t.text for t in toks[hi + 1 : end]))
    return phrase, hi - 1, appositive


def _according(toks: list[Tok], verb: int) -> tuple[Phrase | None, int]:
    lo = verb + 2
    hi = lo
    while hi < len(toks) and toks[hi].kind == "w" and toks[hi].low not in _CLAUSE_BOUNDARY and hi - lo < 14:
        hi += 1
    # "according to the statement" / "according to Abe": the phrase runs to the next comma.
    return (analyse(toks[lo:hi]) if hi > lo else None), max(hi - 1, verb + 1)


def _quoted_as(toks: list[Tok], verb: int) -> tuple[Phrase | None, int] | None:
    """'… quoted Lavrov as saying': the one quoted speaks (a pronoun object stands for its subject form)."""
    lo = verb + 1
    hi = lo
    while hi < len(toks) and toks[hi].kind != "q" and toks[hi].low != "as" and hi - lo < 30:
        hi += 1
    if hi >= len(toks) or toks[hi].low != "as" or hi + 1 >= len(toks) or toks[hi + 1].low not in _PARTICIPLES:
        return None
    # "quoted Anatoly Grishin, deputy head of the district administration, as saying"
    end = next((i for i in range(lo, hi) if toks[i].kind != "w"), hi)
    words = toks[lo:end]
    if len(words) == 1 and words[0].low in ("him", "her"):
        pronoun = "he" if words[0].low == "him" else "she"
        return Phrase("pronoun", pronoun, words[0].text, head=pronoun), hi + 1
    return (analyse(words) if words else None), hi + 1


def _find_cues(toks: list[Tok]) -> list[Cue]:
    cues: list[Cue] = []
    taken = -1  # the last token a cue has used ("quoted X as saying" uses its "saying")
    for i, tok in enumerate(toks):
        if i <= taken or tok.kind != "w" or not _verb_at(toks, i):
            continue
        low = tok.low
        if low == "according":
            phrase, last = _according(toks, i)
            cues.append(Cue(i, phrase, i, last))
            continue
        if low == "quoted":
            found = _quoted_as(toks, i)
            if found is not None and not (i > 0 and toks[i - 1].low in ("was", "is", "were", "are")):
                # '"…," Interfax quoted Anatoly Grishin as saying': the cue starts with who quoted.
                subject = _subject(toks, i)
                cues.append(Cue(i, found[0], min(subject.start, i), found[1], relative=subject.relative))
                taken = found[1]
                continue
        if low in _PARTICIPLES:
            cues.append(Cue(i, None, i, i, participle=True))
            continue
        # Inverted: '"…," said X' — the verb right after a quotation (and perhaps a comma).
        before = i - 1
        while before >= 0 and toks[before].kind == "p" and toks[before].text in ",—–-":
            before -= 1
        if low in _INVERTIBLE and before >= 0 and toks[before].kind == "q" and before < i:
            phrase, last, appositive = _inverted(toks, i)
            if phrase is not None:
                cues.append(Cue(i, phrase, i, last, appositive=appositive))
                continue
        subject = _subject(toks, i)
        last = i + 1 if _PARTICLE_VERBS.get(low) else i
        cues.append(
            Cue(
                i,
                subject.phrase,
                min(subject.start, i),
                last,
                coordinated=subject.coordinated,
                appositive=subject.appositive,
                relative=subject.relative,
            )
        )
    return cues


class Article:
    """The sentences of one article as clauses, made when first needed."""

    def __init__(self, text: str, sentences: list[Sentence], spans: list[QuoteSpan]) -> None:
        self.text = text
        self.sentences = sentences
        self.starts = [s.start for s in sentences]
        self.spans = spans
        self.span_opens = [sp.open for sp in spans]
        self._clauses: dict[int, Clause] = {}

    def inside_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.span_opens, pos) - 1
        return i >= 0 and self.spans[i].open <= pos <= self.spans[i].close

    def index_at(self, pos: int) -> int | None:
        """The index of the sentence holding `pos` (or ending right at it)."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.sentences[i].start <= pos < self.sentences[i].end:
            return i
        if i >= 0 and self.sentences[i].end == pos and pos > self.sentences[i].start:
            return i
        return None

    def clause(self, index: int) -> Clause:
        found = self._clauses.get(index)
        if found is None:
            sentence = self.sentences[index]
            toks, quote_at = _tokens(self.text, sentence, self.spans)
            found = self._clauses[index] = Clause(sentence, toks, _find_cues(toks), quote_at)
        return found


def is_full_sentence_start(clause: Clause, q: int) -> bool:
    """Whether the quotation at token q starts its sentence, or follows only its attribution ('X said: "')."""
    toks = clause.toks
    if q == 0:
        return True
    if toks[q - 1].text not in (":", ",") and not (toks[q - 1].low == "that" and q >= 2):
        return False
    cue = _cue_before(clause, q)
    return cue is not None and toks[q - 1].text in (":", ",")


def cue_after(clause: Clause, q: int) -> Cue | None:
    """The cue that starts right after the quotation at token q ('"…," Abe said' / '"…," said Abe')."""
    toks = clause.toks
    start = q + 1
    while start < len(toks) and toks[start].kind == "p" and toks[start].text in ",—–-":
        start += 1
    for cue in clause.cues:
        starts_here = cue.first == start or (cue.first == q + 1 and cue.verb == start)
        if starts_here and (cue.phrase is not None or cue.coordinated):
            return cue
    return None


def _cue_before(clause: Clause, q: int) -> Cue | None:
    """The cue that ends right before the quotation at token q ('Lavrov told reporters: "…"')."""
    toks = clause.toks
    best = None
    for cue in clause.cues:
        if cue.verb >= q or cue.participle or cue.phrase is None:
            continue
        between = toks[cue.last + 1 : q]
        if cue.relative and any(t.text == "," for t in between):
            continue  # the verb of a relative clause that closed before the quotation
        if len(between) > 10 or any(
            t.kind == "q" or (t.low in _CLAUSE_BOUNDARY and t.low != "that") for t in between
        ):
            continue
        if any(t.kind == "p" and t.text not in (",", ":", ".") for t in between):
            continue
        best = _outer(clause, cue) or cue if cue.relative else cue
    return best


def cue_for(clause: Clause, q: int, n_words: int) -> tuple[Cue | None, str]:
    """The cue that governs the quotation at token q when none stands right next to it."""
    before = _cue_before(clause, q)
    if before is not None:
        return before, "before"
    toks = clause.toks
    final = _final_cue(clause, q)
    # '"…" at the summit, the ministry said in a statement.' — unless the sentence only ends with who
    # reported it ('Kishida said the trip was "regrettable", Kyodo reported'): then the verb before governs.
    if final is not None and final.first - q <= 8 and not relays(final, clause):
        return final, "final"
    # The verb of the clause that holds the fragment, nearest first.
    for cue in reversed(clause.cues):
        if cue.verb >= q:
            continue
        between = toks[cue.last + 1 : q]
        if cue.relative and any(t.text == "," for t in between):
            continue  # "the islands, which Japan calls the Northern Territories, 'are …'": not Japan's words
        if cue.relative and _outer(clause, cue) is not None:
            # "Kurata told the Mainichi that Japan had asked Russia to resume talks 'as soon as possible'":
            # a verb inside what someone reports is part of the report, the words the reporter's.
            return _outer(clause, cue), "clause"
        if n_words < 2 and (
            len(between) > _NEAR or any(t.kind == "p" and t.text not in ("’", "'", "-") for t in between)
        ):
            break  # a word in quotation marks far from any verb: a scare quote
        if cue.participle:
            return cue, "participle"
        if cue.phrase is not None or cue.coordinated:
            return cue, "clause"
    if final is not None:
        return final, "final"  # '…, including its "sovereignty," it said.'
    return None, ""


def _outer(clause: Clause, cue: Cue) -> Cue | None:
    """The speech verb whose that-clause holds `cue` ('X told reporters that Y had asked …')."""
    if cue.first == 0 or clause.toks[cue.first - 1].low != "that":
        return None
    for outer in reversed(clause.cues):
        if outer.verb < cue.first - 1 and not outer.participle and outer.phrase is not None:
            between = clause.toks[outer.last + 1 : cue.first - 1]
            if len(between) <= 8 and not any(t.kind != "w" for t in between):
                return outer
    return None


def _reporting(cue: Cue) -> bool:
    """'…, TASS reported': a news outlet that passes on what someone else said."""
    phrase = cue.phrase
    return phrase is not None and (phrase.head in NEWS_HEADS or phrase.name.lower() in NEWS_HEADS)


def relays(cue: Cue, clause: Clause) -> bool:
    """A cue that passes on what another said: a news outlet, or "according to" anyone."""
    return _reporting(cue) or clause.toks[cue.verb].low in ("according", "reported", "reports")


def governing(clause: Clause, q: int) -> Cue | None:
    """A speech verb before the quotation at token q, in its sentence, with a speaker phrase."""
    for cue in reversed(clause.cues):
        if cue.verb < q and not cue.participle and cue.phrase is not None and not _reporting(cue):
            return cue
    return None


def _final_cue(clause: Clause, q: int) -> Cue | None:
    """An attribution after the quotation at token q that ends the sentence (', the ministry said.')."""
    toks = clause.toks
    for cue in clause.cues:
        if cue.first <= q or cue.participle or cue.phrase is None or not ends_clause(clause, cue):
            continue
        lead = toks[cue.first - 1] if cue.first > 0 else None
        if lead is not None and (lead.kind == "q" or (lead.kind == "p" and lead.text in ",—–-(")):
            return cue
    return None


def ends_clause(clause: Clause, cue: Cue) -> bool:
    rest = clause.toks[cue.last + 1 :]
    return len(rest) <= 14 and not any(t.kind == "q" or t.low in ("that", "which", "who") for t in rest)


def ends_sentence(clause: Clause, q: int | None) -> bool:
    if q is None:
        return True
    rest = clause.toks[q + 1 :]
    return all(t.kind == "p" for t in rest)


def clause_subject(clause: Clause, verb: int) -> Phrase | None:
    """The speaker phrase that opens the clause holding toks[verb] (commas do not end a clause here)."""
    toks = clause.toks
    lo = verb
    while lo > 0 and toks[lo - 1].kind != "q" and toks[lo - 1].text not in (";", ":", "(", ")"):
        if toks[lo - 1].low in _CLAUSE_OPENERS and toks[lo - 1].text[:1].islower():
            break
        lo -= 1
    if lo == 0:
        return None  # the clause is the sentence: sentence_subject knows its stamps and appositions
    lo = _strip_lead(toks, lo, verb)
    for n in range(min(verb, lo + 8), lo, -1):
        if any(t.kind != "w" for t in toks[lo:n]):
            continue
        phrase = analyse(toks[lo:n])
        if phrase is not None and phrase.kind in ("person", "organisation", "pronoun"):
            return phrase
    return None


def sentence_subject(
    clause: Clause, before: int, kinds: tuple[str, ...] = ("person", "organisation")
) -> Phrase | None:
    """The speaker phrase that opens the sentence (after a stamp or a fronted phrase with its comma) and
    is followed by its verb; a name in apposition to it wins ("The foreign minister, Seiji Maehara, …")."""
    toks = clause.toks
    stop = min(before, 24)
    starts = [0]
    starts += [i + 1 for i in range(min(stop, 12)) if toks[i].text == ","]
    starts += [i for i in range(min(stop, 8)) if toks[i].kind == "w" and toks[i].text[:1].isupper()][:1]
    for start in sorted(set(starts)):
        end = start
        while end < stop and toks[end].kind == "w" and end - start < 10:
            end += 1
        for n in range(end, start, -1):
            nxt = toks[n] if n < len(toks) else None
            if nxt is not None and not (nxt.text == "," or (nxt.kind == "w" and nxt.text[:1].islower())):
                continue
            phrase = analyse(toks[start:n])
            if phrase is None or phrase.bare or phrase.kind not in (*kinds, "role"):
                continue
            if phrase.kind == "role" and "role" in kinds and (nxt is None or nxt.text != ","):
                return phrase  # "Japan's top government spokesman declined …, but said …"
            if nxt is not None and nxt.text == ",":
                # "The foreign minister, Seiji Maehara, summoned …": the name is the subject.
                close = next((i for i in range(n + 1, min(n + 8, stop)) if toks[i].text == ","), None)
                named = analyse(toks[n + 1 : close]) if close is not None else None
                if named is not None and named.kind == "person" and "person" in kinds:
                    return named
                continue
            if phrase.kind in kinds:
                return phrase
    return None
