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
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from bot.ingest.people import PeopleIndex, normalise_role
from bot.ingest.segment import Paragraph, Sentence
from bot.ingest.speakers import (
    CLAUSE_WORDS,
    NATIONALITIES,
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
    underlining reiterating proposing suggesting""",
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
_SCARE_LEAD = re.compile(
    r"(?:so-called|so called|dubbed|termed|known as|named|titled|entitled|called the|nicknamed|"
    r"referred to as|labell?ed as)\s*$",
    re.IGNORECASE,
)
_OPENERS = '"“'
_CLOSERS = '"”'
_QUOTE_MARK = re.compile(f"[{_OPENERS}{_CLOSERS}]")
_CONJUNCTIONS = word_set(
    """and but or so yet because although though while which who whom whose where when if unless since as"""
)
# A lead before a quotation that says nothing itself ("Now, “…”", "But “…”").
_TRIVIAL_LEAD = re.compile(
    r"^\s*(?:(?:and|but|now|still|yet|so|then|also|however|later|again|\w+ly)\b[\s,]*)*$", re.I
)
# How many words may stand between a one-word fragment and the verb that governs it.
_NEAR = 14


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


# ---- the sentence as tokens ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Cue:
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
class _Clause:
    """A sentence as words, punctuation and whole quotations, with its speech cues."""

    sentence: Sentence
    toks: list[Tok]
    cues: list[_Cue] = field(default_factory=list)
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


_UNITS = word_set("week weekend month year day morning night season spring summer autumn winter fall")
_AUXILIARIES = word_set("would will could can did does do only just also not never")
# Words that can open a clause before its subject: "Even the Japan Communist Party said …".
_FOCUS_WORDS = word_set("even only just both meanwhile now still separately instead however also")


_RELATIVES = frozenset(("who", "whose", "which"))


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
        return _Subject(analyse([toks[hi - 1]]), hi - 1)
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
                    named, named_start, appositive=_tidy(" ".join(t.text for t in toks[seg : lo - 2]))
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
    # "Dmitry Medvedev, deputy chairman of the Security Council, said" / "Kawata, 87, says"
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
            return _Subject(phrase, s_lo, appositive=_tidy(" ".join(t.text for t in toks[a0:a1])))
    return _Subject(None, lo, coordinated=True)


def _tidy(text: str) -> str:
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
            return named, end - 1, _tidy(" ".join(t.text for t in toks[lo:hi]))
    appositive = None
    if phrase is not None and hi < len(toks) and toks[hi].text == ",":
        end = hi + 1
        while end < len(toks) and toks[end].text not in (",", ".", ";", ":") and toks[end].kind != "q":
            end += 1
        if _appositive(toks, hi + 1, end):
            appositive = _tidy(" ".join(t.text for t in toks[hi + 1 : end]))
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


def _find_cues(toks: list[Tok]) -> list[_Cue]:
    cues: list[_Cue] = []
    for i, tok in enumerate(toks):
        if tok.kind != "w" or not _verb_at(toks, i):
            continue
        low = tok.low
        if low == "according":
            phrase, last = _according(toks, i)
            cues.append(_Cue(i, phrase, i, last))
            continue
        if low == "quoted":
            found = _quoted_as(toks, i)
            if found is not None and not (i > 0 and toks[i - 1].low in ("was", "is", "were", "are")):
                # '"…," Interfax quoted Anatoly Grishin as saying': the cue starts with who quoted.
                cues.append(_Cue(i, found[0], min(_subject(toks, i).start, i), found[1]))
                continue
        if low in _PARTICIPLES:
            cues.append(_Cue(i, None, i, i, participle=True))
            continue
        # Inverted: '"…," said X' — the verb right after a quotation (and perhaps a comma).
        before = i - 1
        while before >= 0 and toks[before].kind == "p" and toks[before].text in ",—–-":
            before -= 1
        if low in _INVERTIBLE and before >= 0 and toks[before].kind == "q" and before < i:
            phrase, last, appositive = _inverted(toks, i)
            if phrase is not None:
                cues.append(_Cue(i, phrase, i, last, appositive=appositive))
                continue
        subject = _subject(toks, i)
        last = i + 1 if _PARTICLE_VERBS.get(low) else i
        cues.append(
            _Cue(
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


# ---- resolution ------------------------------------------------------------------------------------------


class _Resolver:
    """Turns speaker phrases into speakers, with what the article said so far."""

    def __init__(self, text: str, people: PeopleIndex, article: _Article | None = None) -> None:
        self.text = text
        self.people = people
        self.article = article
        # The opening of the quotation being attributed: a pronoun after a quotation of several sentences
        # looks for its antecedent before the quotation, not inside it.
        self.anchor: int | None = None
        self.heard: list[tuple[int, Speaker, Phrase]] = []  # every resolved speech act, in text order
        self._descriptions: dict[str, str | None] = {}

    def hear(self, position: int, speaker: Speaker, phrase: Phrase) -> None:
        if self.heard and self.heard[-1][0] > position:
            self.heard.append((position, speaker, phrase))
            self.heard.sort(key=lambda h: h[0])
        else:
            self.heard.append((position, speaker, phrase))

    def resolve(
        self, phrase: Phrase, position: int, sentence: Sentence, appositive: str | None
    ) -> Speaker | None:
        if phrase.kind == "pronoun":
            return self._pronoun(phrase.name, position, sentence)
        if phrase.kind == "person":
            return self._person(phrase, appositive)
        if phrase.bare or (phrase.definite and phrase.kind == "role" and not self._has_modifier(phrase)):
            found = self._antecedent(phrase, position)
            if found is not None:
                return found
        if phrase.kind == "role":
            person = self._role_person(phrase, position) or self._described_as(phrase, position)
            if person is not None:
                return person
            if phrase.bare or (phrase.definite and not self._has_modifier(phrase)):
                return None  # "the minister", and nobody named before: who it is cannot be told
            if phrase.definite and _AGE_IN.search(phrase.text.lower()):
                return None  # "the 45-year-old researcher" is someone already named, but not found
            # "an official at the Japanese Embassy in Moscow" says more than "Japanese Embassy official".
            written = re.sub(r"^(?:the|a|an|one|two|three|several|some)\s+", "", phrase.text, flags=re.I)
            described = written if written.lower() != phrase.name.lower() else None
            return Speaker("role", phrase.name, _description(described, phrase.name))
        if phrase.bare:
            return None  # "the ministry" with no ministry named before
        return Speaker("organisation", phrase.name)

    @staticmethod
    def _has_modifier(phrase: Phrase) -> bool:
        return len(phrase.name.split()) > 1

    def _person(self, phrase: Phrase, appositive: str | None) -> Speaker | None:
        name = self.people.resolve_name(phrase.name)
        if name is None:
            # "Svetlana said" after "said Svetlana, a 41-year-old teacher": someone already heard.
            name = next(
                (s.name for _, s, _ in reversed(self.heard) if s.kind == "person" and s.name == phrase.name),
                None,
            )
        if name is None:
            # A surname the article never gave in full, or a name it gives only once, alone: a person still
            # when a title or a description says so ("Mr. Igeta", "a grateful Igeta", "Kawata, 87").
            if len(phrase.name.split()) >= 2 or phrase.descriptor or appositive:
                name = phrase.name
            else:
                return None
        return Speaker("person", name, self.describe(name, phrase, appositive))

    def describe(self, name: str, phrase: Phrase | None, appositive: str | None) -> str | None:
        """How the article introduced the person: the first description it gives, else this cue's."""
        if name not in self._descriptions:
            self._descriptions[name] = self.people.description(name)
        found = self._descriptions[name]
        if found:
            return found
        local = appositive or (phrase.descriptor if phrase else None)
        return _description(local, name)

    def _pronoun(self, pronoun: str, position: int, sentence: Sentence) -> Speaker | None:
        want = PRONOUNS[pronoun]
        if want in ("m", "f"):
            context = sentence
            if self.article is not None and self.anchor is not None and self.anchor < sentence.start:
                index = self.article.index_at(self.anchor)
                if index is not None:
                    context = self.article.sentences[index]
            name = self.people.pronoun_antecedent(
                want,
                position,
                context.start,
                self._heard_people(position),
                self._previous(context),
                self.article.inside_quote if self.article is not None else None,
            )
            if name is None:
                return None
            return Speaker("person", name, self.describe(name, None, None))
        for pos, speaker, phrase in reversed(self.heard):
            if pos >= position:
                continue
            if want == "org" and speaker.kind == "organisation":
                return speaker
            if want == "plural" and (phrase.plural or speaker.kind == "organisation"):
                return speaker
        return self._subject_before(want, position, sentence)

    def _subject_before(self, want: str, position: int, sentence: Sentence) -> Speaker | None:
        """ "It" or "they" for the institution or group that opens one of the last few sentences ("The Russian
        Foreign Ministry summoned the ambassador. '…,' it said.")."""
        if self.article is None:
            return None
        index = self.article.index_at(sentence.start)
        if index is None:
            return None
        for i in range(index, max(-1, index - 4), -1):
            clause = self.article.clause(i)
            if clause.toks and clause.toks[0].start >= position:
                continue
            phrase = _sentence_subject(clause, len(clause.toks), kinds=("organisation", "role"))
            if phrase is None:
                continue
            if want == "org" and phrase.kind == "organisation" and not phrase.plural:
                return Speaker("organisation", phrase.name)
            if want == "plural" and phrase.plural:
                return Speaker(phrase.kind, phrase.name)  # type: ignore[arg-type]
        return None

    def _previous(self, sentence: Sentence) -> tuple[int, int] | None:
        """The sentence before, when it is in the same paragraph or the one just before."""
        if self.article is None:
            return None
        index = self.article.index_at(sentence.start)
        if not index:
            return None
        before = self.article.sentences[index - 1]
        if sentence.paragraph - before.paragraph > 1:
            return None
        return before.start, before.end

    def _heard_people(self, position: int) -> list[tuple[int, str]]:
        return [(pos, s.name) for pos, s, _ in self.heard if s.kind == "person" and pos < position]

    def _antecedent(self, phrase: Phrase, position: int) -> Speaker | None:
        """What "the ministry", "the official" or "the spokesman" refers to: the last one heard speaking."""
        head = phrase.head
        for pos, speaker, earlier in reversed(self.heard):
            if pos >= position:
                continue
            if earlier.head == head or head in speaker.name.lower().split():
                return speaker
            if head in ("statement", "report") and speaker.kind == "organisation":
                return speaker
        return None

    def _described_as(self, phrase: Phrase, position: int) -> Speaker | None:
        """The person a definite role refers back to by the description the article gave them: "the
        deputy minister" or "the diplomat" after "Russian Deputy Foreign Minister Mikhail Galuzin"."""
        if not phrase.definite or phrase.plural:
            return None
        wanted = _role_words(phrase)
        if wanted is None:
            return None
        age = next((int(m.group(1)) for w in phrase.text.split() if (m := _AGE_IN.match(w.lower()))), None)
        ageless: Speaker | None = None  # the nearest person the article gives no age, for "the 69-year-old"
        for speaker, described in self._people_before(position):
            ages = {int(n) for n in _NUMBER.findall(described)}
            if age is not None and age in ages and (phrase.bare or _fits(wanted, described, ignore_age=True)):
                return speaker
            if (
                not (phrase.bare and age is not None)
                and described
                and _fits(wanted, described, ignore_age=not ages)
            ):
                return speaker
            if age is not None and not ages and ageless is None:
                ageless = speaker
        return ageless if phrase.bare or age is not None else None

    def _people_before(self, position: int) -> Iterator[tuple[Speaker, str]]:
        """Persons heard or named before `position`, nearest first, with all the article said of them."""
        heard = [(pos, s, p) for pos, s, p in self.heard if pos < position and s.kind == "person"]
        inside = self.article.inside_quote if self.article is not None else (lambda _: False)
        latest: dict[str, tuple[int, Speaker | None]] = {}
        for m in self.people.mentions:
            if m.start < position and not inside(m.start):  # names said inside quotations do not count
                latest[m.name] = max(latest.get(m.name, (-1, None)), (m.start, None), key=lambda x: x[0])
        said: dict[str, list[str]] = {}
        for pos, speaker, phrase in heard:
            if pos >= latest.get(speaker.name, (-1, None))[0]:
                latest[speaker.name] = (pos, speaker)
            said.setdefault(speaker.name, []).extend(filter(None, (speaker.description, phrase.descriptor)))
        for name, (_, speaker) in sorted(latest.items(), key=lambda item: item[1][0], reverse=True):
            who = speaker or Speaker("person", name, self.describe(name, None, None))
            parts = [*said.get(name, []), who.description or "", self.people.description(name) or ""]
            yield who, " ".join(p for p in parts if p).lower()

    def _role_person(self, phrase: Phrase, position: int) -> Speaker | None:
        """The person a definite role means ("the Japanese PM"): named in the article or in office then."""
        if not phrase.definite or phrase.plural or normalise_role(phrase.text) is None:
            return None
        name = self.people.resolve_role(phrase.text, position)
        if name is None:
            return None
        return Speaker("person", name, self.describe(name, None, None))


# What a role noun can stand for in a person's description ("the diplomat" for a deputy foreign minister).
_ROLE_SYNONYMS = {
    "diplomat": ("diplomat", "ambassador", "envoy", "consul", "foreign minister", "foreign ministry"),
    "premier": ("premier", "prime minister"),
    "leader": ("leader", "president", "premier", "prime minister", "chairman"),
    "spokesman": ("spokesman", "spokeswoman", "spokesperson", "press secretary"),
    "spokeswoman": ("spokeswoman", "spokesperson", "spokesman", "press secretary"),
    "spokesperson": ("spokesperson", "spokesman", "spokeswoman", "press secretary"),
    "aide": ("aide", "adviser", "advisor"),
    "adviser": ("adviser", "advisor", "aide"),
    "lawmaker": ("lawmaker", "legislator", "deputy", "senator", "member of parliament"),
}
_HEAD_OF = {"government": ("premier", "prime minister"), "state": ("president",)}


def _role_words(phrase: Phrase) -> tuple[tuple[str, ...], list[str]] | None:
    """What a definite role asks of a description: one of its head's names, and its other words."""
    words = [
        w
        for w in re.findall(r"[\w’'-]+", phrase.text.lower())
        if w not in ("the", "this", "its", "his", "her")
    ]
    if not words:
        return None
    head = phrase.head
    if head == "head":
        owner = next((k for k in _HEAD_OF if k in words), None)
        if owner is None:
            return None
        return _HEAD_OF[owner], []  # "the head of the Russian government" is its prime minister
    others = [w for w in words if w != head and w not in NATIONALITIES and not w.endswith(("’s", "'s"))]
    return _ROLE_SYNONYMS.get(head, (head,)), others


_AGE_IN = re.compile(r"^(\d{1,3})-year-old$")
_NUMBER = re.compile(r"\b(\d{1,3})\b")


def _fits(wanted: tuple[tuple[str, ...], list[str]], described: str, *, ignore_age: bool = False) -> bool:
    names, others = wanted
    padded = f" {described} "
    if ignore_age:
        others = [w for w in others if not _AGE_IN.match(w)]
    return any(f" {n} " in padded for n in names) and all(f" {w} " in padded for w in others)


def _description(text: str | None, name: str) -> str | None:
    if not text:
        return None
    text = text.strip().strip(",").strip()
    if not text or text.lower() == name.lower():
        return None
    if re.fullmatch(r"\d{1,3}", text):
        return f"aged {text}"
    if not any(ch.isalpha() for ch in text):
        return None
    return text


# ---- extraction ----------------------------------------------------------------------------------------


_SPEECH_HINT = re.compile(
    r"\b(?:"
    + "|".join(sorted(SPEECH_VERBS | _PARTICIPLES | {"according", "pointed", "went"}, key=len, reverse=True))
    + r")\b"
)


class _Article:
    """The sentences of one article as clauses, made when first needed."""

    def __init__(self, text: str, sentences: list[Sentence], spans: list[QuoteSpan]) -> None:
        self.text = text
        self.sentences = sentences
        self.starts = [s.start for s in sentences]
        self.spans = spans
        self.span_opens = [sp.open for sp in spans]
        self._clauses: dict[int, _Clause] = {}

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

    def clause(self, index: int) -> _Clause:
        found = self._clauses.get(index)
        if found is None:
            sentence = self.sentences[index]
            toks, quote_at = _tokens(self.text, sentence, self.spans)
            found = self._clauses[index] = _Clause(sentence, toks, _find_cues(toks), quote_at)
        return found


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
        self.article = _Article(text, sentences, [sp for _, sp in self.flat])
        self.resolver = _Resolver(text, people, self.article)
        self.consumed: set[int] = set()
        self.last: _Said | None = None
        # Speech acts outside quotations ("Abe said in an interview …") tell who spoke last, for pronouns.
        quoted = {i for _, sp in self.flat if (i := self.article.index_at(sp.open)) is not None}
        self._acts = iter(
            i
            for i, s in enumerate(sentences)
            if i not in quoted and _SPEECH_HINT.search(text, s.start, s.end)
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
                _speaker_of(cue, clause, self.resolver)
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

        chosen: _Cue | None = None
        cue_name, cue_end = "", last.close + 1
        after = _cue_after(last_clause, q_last) if q_last is not None else None
        if after is not None and _relays(after, last_clause) and _governing(clause, q_first) is not None:
            # 'Kishida told the rally that Japan "will not change …," according to Kyodo News': the one who
            # spoke is before the quotation; the agency only passes it on.
            after = None
        if after is not None:
            chosen, cue_name = after, "after"
            cue_end = last_clause.toks[after.last].end
            self._join_interrupted(k, group, last_clause, after)
        lead_text = text[clause.sentence.start : span.open]
        partial = not _is_full_sentence_start(clause, q_first)
        if chosen is None:
            chosen, cue_name = _cue_for(clause, q_first, len(_words(text[span.start : span.end])))
            if chosen is None and last_clause is not clause and q_last is not None:
                chosen, cue_name = _cue_for(last_clause, q_last, 2)

        speaker: Speaker | None = None
        if chosen is not None:
            self.resolver.anchor = span.open
            speaker = _speaker_of(chosen, clause if chosen in clause.cues else last_clause, self.resolver)
            self.resolver.anchor = None
            if speaker is None:
                return None  # the cue names no one the article lets us resolve: leave the quote out
        inner = _joined(text, group)
        words = _words(inner)
        if not words:
            return None
        if partial and _not_speech(lead_text, inner, words):
            return None
        phrase = chosen.phrase if chosen is not None else None
        if speaker is None:
            standalone = not partial or (
                _TRIVIAL_LEAD.match(lead_text) is not None and _ends_sentence(last_clause, q_last)
            )
            if standalone and self._continues(para) and len(words) >= 2:
                assert self.last is not None
                speaker, phrase, cue_name = self.last.speaker, self.last.phrase, "continuation"
            else:
                intro = None if partial else _paragraph_intro(article, para, self.paras, span, self.resolver)
                if intro is None:
                    return None
                speaker, cue_name = intro, "intro"
        phrase = phrase or Phrase(speaker.kind, speaker.name, speaker.name)
        self.consumed.update(s.open for s in group)
        self.resolver.hear(span.open, speaker, phrase)
        self.last = _Said(speaker, phrase, self.para_of[group[-1].open].index)
        end = self._excerpt_end(group, cue_end)
        return ExtractedQuote(inner, speaker, partial, tuple(group), clause.sentence.start, end, cue_name)

    def _join_interrupted(self, k: int, group: list[QuoteSpan], clause: _Clause, cue: _Cue) -> None:
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


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’']+", text)


def _sentence_end(article: _Article, pos: int) -> int:
    i = article.index_at(pos)
    return article.sentences[i].end if i is not None else pos


def _is_full_sentence_start(clause: _Clause, q: int) -> bool:
    """Whether the quotation at token q starts its sentence, or follows only its attribution ('X said: "')."""
    toks = clause.toks
    if q == 0:
        return True
    if toks[q - 1].text not in (":", ",") and not (toks[q - 1].low == "that" and q >= 2):
        return False
    cue = _cue_before(clause, q)
    return cue is not None and toks[q - 1].text in (":", ",")


def _cue_after(clause: _Clause, q: int) -> _Cue | None:
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


def _cue_before(clause: _Clause, q: int) -> _Cue | None:
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


def _cue_for(clause: _Clause, q: int, n_words: int) -> tuple[_Cue | None, str]:
    """The cue that governs the quotation at token q when none stands right next to it."""
    before = _cue_before(clause, q)
    if before is not None:
        return before, "before"
    toks = clause.toks
    final = _final_cue(clause, q)
    # '"…" at the summit, the ministry said in a statement.' — unless the sentence only ends with who
    # reported it ('Kishida said the trip was "regrettable", Kyodo reported'): then the verb before governs.
    if final is not None and final.first - q <= 8 and not _relays(final, clause):
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
            return _outer(clause, cue), "clause"  # type: ignore[return-value]
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


def _outer(clause: _Clause, cue: _Cue) -> _Cue | None:
    """The speech verb whose that-clause holds `cue` ('X told reporters that Y had asked …')."""
    if cue.first == 0 or clause.toks[cue.first - 1].low != "that":
        return None
    for outer in reversed(clause.cues):
        if outer.verb < cue.first - 1 and not outer.participle and outer.phrase is not None:
            between = clause.toks[outer.last + 1 : cue.first - 1]
            if len(between) <= 8 and not any(t.kind != "w" for t in between):
                return outer
    return None


def _reporting(cue: _Cue) -> bool:
    """'…, TASS reported': a news outlet that passes on what someone else said."""
    phrase = cue.phrase
    return phrase is not None and (phrase.head in NEWS_HEADS or phrase.name.lower() in NEWS_HEADS)


def _relays(cue: _Cue, clause: _Clause) -> bool:
    """A cue that passes on what another said: a news outlet, or "according to" anyone."""
    return _reporting(cue) or clause.toks[cue.verb].low in ("according", "reported", "reports")


def _governing(clause: _Clause, q: int) -> _Cue | None:
    """A speech verb before the quotation at token q, in its sentence, with a speaker phrase."""
    for cue in reversed(clause.cues):
        if cue.verb < q and not cue.participle and cue.phrase is not None and not _reporting(cue):
            return cue
    return None


def _final_cue(clause: _Clause, q: int) -> _Cue | None:
    """An attribution after the quotation at token q that ends the sentence (', the ministry said.')."""
    toks = clause.toks
    for cue in clause.cues:
        if cue.first <= q or cue.participle or cue.phrase is None or not _ends_clause(clause, cue):
            continue
        lead = toks[cue.first - 1] if cue.first > 0 else None
        if lead is not None and (lead.kind == "q" or (lead.kind == "p" and lead.text in ",—–-(")):
            return cue
    return None


def _ends_clause(clause: _Clause, cue: _Cue) -> bool:
    rest = clause.toks[cue.last + 1 :]
    return len(rest) <= 14 and not any(t.kind == "q" or t.low in ("that", "which", "who") for t in rest)


def _ends_sentence(clause: _Clause, q: int | None) -> bool:
    if q is None:
        return True
    rest = clause.toks[q + 1 :]
    return all(t.kind == "p" for t in rest)


def _speaker_of(cue: _Cue, clause: _Clause, resolver: _Resolver) -> Speaker | None:
    """The speaker of a cue, resolved once; coordinated verbs and participles take their clause's subject."""
    if cue.resolved:
        return cue.speaker
    cue.resolved = True
    if cue.coordinated or cue.participle:
        earlier = [c for c in clause.cues if c.verb < cue.verb and not c.participle]
        for c in reversed(earlier):
            if c.relative and any(t.text == "," for t in clause.toks[c.last + 1 : cue.verb]):
                continue  # "…, which Japan calls Suisho, saying …": the participle is the main clause's
            if c.phrase is not None or c.coordinated:
                cue.speaker = _speaker_of(c, clause, resolver)
                if cue.speaker is not None and c.phrase is not None:
                    cue.phrase = c.phrase
                return cue.speaker
        # "Medvedev visited Kunashir, calling it '…'" / "when Putin startled Abe by proposing '…'" / "The
        # foreign minister, Seiji Maehara, summoned the ambassador and expressed '…'": the subject of the
        # clause, else the one that opens the sentence, if it is a speaker.
        subject = _clause_subject(clause, cue.verb) or _sentence_subject(
            clause, cue.verb, kinds=("person", "organisation", "pronoun")
        )
        if subject is not None:
            cue.phrase = subject
            cue.speaker = resolver.resolve(subject, clause.toks[0].start, clause.sentence, None)
        return cue.speaker
    if cue.phrase is None:
        return None
    if cue.phrase.kind == "pronoun" and cue.phrase.name in ("it", "they"):
        # "The Japan Coast Guard's Nemuro office said it had warned skippers …": "it" is the office.
        for c in reversed([c for c in clause.cues if c.verb < cue.verb and c.phrase is not None]):
            if c.phrase is not None and c.phrase.kind == "organisation" and not c.relative:
                cue.speaker = _speaker_of(c, clause, resolver)
                return cue.speaker
    position = clause.toks[cue.first].start
    cue.speaker = resolver.resolve(cue.phrase, position, clause.sentence, cue.appositive)
    if cue.speaker is not None:
        resolver.hear(position, cue.speaker, cue.phrase)
    return cue.speaker


# Words that open a clause inside a sentence: its subject follows ("…, when Putin startled Abe by …").
_CLAUSE_OPENERS = word_set("when while as because since although though whereas if after before and but")


def _clause_subject(clause: _Clause, verb: int) -> Phrase | None:
    """The speaker phrase that opens the clause holding toks[verb] (commas do not end a clause here)."""
    toks = clause.toks
    lo = verb
    while lo > 0 and toks[lo - 1].kind != "q" and toks[lo - 1].text not in (";", ":", "(", ")"):
        if toks[lo - 1].low in _CLAUSE_OPENERS and toks[lo - 1].text[:1].islower():
            break
        lo -= 1
    if lo == 0:
        return None  # the clause is the sentence: _sentence_subject knows its stamps and appositions
    lo = _strip_lead(toks, lo, verb)
    for n in range(min(verb, lo + 8), lo, -1):
        if any(t.kind != "w" for t in toks[lo:n]):
            continue
        phrase = analyse(toks[lo:n])
        if phrase is not None and phrase.kind in ("person", "organisation", "pronoun"):
            return phrase
    return None


def _sentence_subject(
    clause: _Clause, before: int, kinds: tuple[str, ...] = ("person", "organisation")
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


def _paragraph_intro(
    article: _Article, para: Paragraph, paras: list[Paragraph], span: QuoteSpan, resolver: _Resolver
) -> Speaker | None:
    """A quotation that opens a paragraph after one ending in 'X said:' is X's."""
    if article.text[para.start : span.open].strip() or para.index == 0:
        return None
    prev = next((p for p in paras if p.index == para.index - 1), None)
    if prev is None or not article.text[prev.start : prev.end].rstrip().endswith(":"):
        return None
    idx = article.index_at(max(prev.end - 1, prev.start))
    if idx is None:
        return None
    clause = article.clause(idx)
    for cue in reversed(clause.cues):
        if cue.phrase is not None and _ends_clause(clause, cue):
            return _speaker_of(cue, clause, resolver)
    return None
