"""`/check`: is a quotation someone pasted in the sources, word for word, changed, cut, or someone else's?

Candidates come from the quote index (the words of the claim, ranked as `/quote` ranks them), never from a
scan of every quote; each candidate is then aligned with the claim word by word. The verdicts:

- **verbatim**: the claim is a stored quotation, word for word (case, punctuation, quotation marks and
  spacing ignored);
- **trimmed**: the claim is a part of a longer stored quotation; the words left out around it are shown;
- **altered**: a stored quotation says nearly this; the words added, dropped or changed are listed, and a
  negation that was added or dropped is flagged, because it turns the meaning around;
- **other speaker**: the words are in the sources, but someone other than the claimed speaker said them;
- **not in the sources**: nothing close among the articles searched. That is all it says: a quotation can
  be real and simply not in these articles.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein, Opcode

from bot.answers.base import Facts, QueryError, clean_text_option
from bot.ingest.people import Directory
from bot.ingest.segment import Paragraph
from bot.ingest.speakers import word_set
from bot.models import Quote

Verdict = Literal["verbatim", "trimmed", "altered", "other speaker", "not in the sources"]
VERDICTS: tuple[Verdict, ...] = ("verbatim", "trimmed", "altered", "other speaker", "not in the sources")

MAX_CLAIM_CHARS = 1000  # a quotation to check; longer text is cut (a pasted article is no quotation)
MAX_CLAIMS = 5  # quotations checked from one message
CANDIDATES = 30  # stored quotations aligned with a claim (and as many more of the claimed speaker's)
_QUERY_WORDS = 16
_AROUND_WORDS = 6  # words around unattributed quotation marks in a text still read as "these are quotes"
# Words that turn a statement around when added or dropped.
NEGATIONS = word_set(
    """not no never nothing nobody none neither nor cannot can't won't don't doesn't didn't isn't aren't
    wasn't weren't hasn't haven't hadn't shouldn't wouldn't couldn't mustn't without"""
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Characters that take no room on screen (zero-width spaces and joiners, soft hyphens, direction marks): a
# pasted quotation may carry them inside its words.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


@dataclass(frozen=True, slots=True)
class CheckQuery:
    """Checked options of a check request: the quotation and, if the user says, whose it is."""

    text: str
    speaker: str | None = None
    private: bool = False

    @classmethod
    def parse(cls, text: str | None, speaker: str | None = None, private: bool = False) -> CheckQuery:
        cleaned = clean_text_option(text, MAX_CLAIM_CHARS)
        if not cleaned or not words(cleaned):
            raise QueryError(
                "Give the words of the quotation to check, e.g. `/check text:We will not give up`."
            )
        return cls(cleaned, clean_text_option(speaker, 100), bool(private))


@dataclass(frozen=True, slots=True)
class WordChange:
    """One difference between the claim and what the source says."""

    op: Literal["added", "dropped", "changed"]
    claimed: str  # the claim's words ("" when it dropped the source's)
    said: str  # the source's words ("" when the claim added words)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdict on one claim, with the stored quotation it rests on."""

    verdict: Verdict
    claimed: str
    claimed_speaker: str | None  # the speaker the claim names, resolved against the store's speakers
    quote: Quote | None = None
    changes: tuple[WordChange, ...] = ()
    flips_meaning: bool = False  # a negation added or dropped
    left_out_before: str = ""  # trimmed: the source's words before the claimed part
    left_out_after: str = ""
    similarity: float = 0.0  # 0..100, how much of the claim the source says word for word


@dataclass(frozen=True, slots=True)
class CheckAnswer:
    query: CheckQuery
    results: list[CheckResult]
    articles: int  # how many articles were searched
    suggestions: list[str] = field(default_factory=list)


def words(text: str) -> list[str]:
    """The words of a quotation as compared: case, punctuation, quote marks and spacing ignored, and
    contractions spelt out ("I've" is "I have", "don't" is "do not")."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)).lower()
    out: list[str] = []
    for word in _WORD.findall(text):
        out.extend(_CONTRACTIONS[word] if "'" in word else (word,))
    return out


@functools.lru_cache(maxsize=50_000)
def _stored_words(text: str) -> tuple[str, ...]:
    """The words of a stored quotation, kept: the same quotations are candidates of check after check."""
    return tuple(words(text))


def _spelt_out(word: str) -> tuple[str, ...]:
    special = {"can't": ("can", "not"), "won't": ("will", "not"), "shan't": ("shall", "not")}
    if word in special:
        return special[word]
    for ending, full in (("n't", "not"), ("'ve", "have"), ("'re", "are"), ("'ll", "will"), ("'m", "am")):
        if word.endswith(ending) and len(word) > len(ending):
            return (word[: -len(ending)], full)
    return (word,)


class _Contractions(dict[str, tuple[str, ...]]):
    def __missing__(self, word: str) -> tuple[str, ...]:
        self[word] = found = _spelt_out(word)
        return found


_CONTRACTIONS = _Contractions()


@dataclass(frozen=True, slots=True)
class _Match:
    rank: int  # 0 verbatim, 1 trimmed, 2 altered: lower is a closer match
    similarity: float
    quote: Quote
    result: CheckResult


async def check(facts: Facts, query: CheckQuery) -> CheckAnswer:
    """The verdict on a quotation; on each quotation when the text quotes several ('Putin said "…"').

    A speaker given with the text counts for every quotation in it; otherwise a quotation counts as said
    by whoever the text itself says said it, if anyone.
    """
    speaker = _resolve_speaker(facts, query.speaker)
    results = []
    for text, who in claims_in(query.text, spans_first=False):
        claimed = speaker if query.speaker else _resolve_speaker(facts, who)
        results.append(_verdict(facts, text, claimed))
    articles = (await facts.store.counts()).articles
    suggestions = []
    if query.speaker and _stored_speaker(facts, query.speaker) is None:
        suggestions = [name for name, _ in facts.index.match_speakers(query.speaker, limit=3, cutoff=50)]
    return CheckAnswer(query, results, articles, suggestions)


async def check_message(facts: Facts, message: str) -> CheckAnswer:
    """The verdicts on the quotations in a message (its quoted spans, or all of it when it has none)."""
    claims = claims_in(message)
    results = [_verdict(facts, text, _resolve_speaker(facts, who)) for text, who in claims]
    articles = (await facts.store.counts()).articles
    return CheckAnswer(CheckQuery(message[:MAX_CLAIM_CHARS]), results, articles)


def claims_in(message: str, *, spans_first: bool = True) -> list[tuple[str, str | None]]:
    """The quotations of a message to check, each with the speaker the message gives it, if any: the spans
    in quotation marks as ingest finds them (at most five), else the whole message.

    Without `spans_first` (a text given as one quotation) the spans count only when they are plainly the
    quotations of the text: attributed ('Putin said "…"'), or with a few words around them at most. Else a
    quotation that quotes someone itself ("We call it ‘unacceptable’ and …") would lose all but its inner
    quote.
    """
    from bot.ingest.cues import find_quote_spans

    text = message[: MAX_CLAIM_CHARS * MAX_CLAIMS]
    spans = [
        sp
        for para in _paragraphs(text)
        for sp in find_quote_spans(text, para)
        if len(words(text[sp.start : sp.end])) >= 1
    ]
    attributed = _attributed(text) if spans else {}
    if spans and not spans_first and not any(sp.open in attributed for sp in spans):
        inside = sum(len(words(text[sp.start : sp.end])) for sp in spans)
        if len(words(text)) - inside > _AROUND_WORDS:
            spans = []
    claims: list[tuple[str, str | None]] = []
    for sp in spans[:MAX_CLAIMS]:
        inner = text[sp.start : sp.end].strip()
        claims.append((inner[:MAX_CLAIM_CHARS], attributed.get(sp.open)))
    if not claims:
        whole = " ".join(message.split())[:MAX_CLAIM_CHARS]
        if words(whole):
            claims.append((whole, None))
    return claims


def _paragraphs(text: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    start = 0
    for m in re.finditer(r"\n\s*\n", text):
        if text[start : m.start()].strip():
            out.append(Paragraph(start, m.start(), len(out)))
        start = m.end()
    if text[start:].strip():
        out.append(Paragraph(start, len(text), len(out)))
    return out


def _attributed(text: str) -> dict[int, str]:
    """The speaker the message gives each quotation ('Putin said "…"'), by the quotation's opening mark, as
    the articles' own attribution reads it."""
    from bot.ingest.clean import clean
    from bot.ingest.people import PeopleIndex
    from bot.ingest.quotes import extract_quotes
    from bot.ingest.segment import paragraphs, split_sentences

    paras = paragraphs(text, clean(text).blocks)
    sentences = split_sentences(text, paras)
    found = extract_quotes(text, paras, sentences, PeopleIndex(text, _directory(), None))
    return {span.open: q.speaker.name for q in found for span in q.spans}


@functools.cache
def _directory() -> Directory:
    return Directory.load()


def _resolve_speaker(facts: Facts, claimed: str | None) -> str | None:
    """The stored speaker a claimed name means; the name as given when it matches nobody quoted (the
    words may still be in the sources, said by someone else)."""
    if not claimed:
        return None
    return _stored_speaker(facts, claimed) or claimed


def _stored_speaker(facts: Facts, claimed: str) -> str | None:
    """The quoted speaker a name means, or None: exact names at once, others fuzzily, remembered."""
    index = facts.index
    if claimed in index.speakers:
        return claimed
    key = (id(index), claimed)
    if key not in _SPEAKERS_SEEN:
        if len(_SPEAKERS_SEEN) >= _SPEAKERS_KEPT:
            _SPEAKERS_SEEN.pop(next(iter(_SPEAKERS_SEEN)))
        matches = index.match_speakers(claimed, limit=1)
        _SPEAKERS_SEEN[key] = matches[0][0] if matches else None
    return _SPEAKERS_SEEN[key]


# Names people typed and the stored speaker each means, per search index (a store's, while it is open):
# matching a name against every speaker of a large store takes milliseconds, and people check the same few.
_SPEAKERS_SEEN: dict[tuple[int, str], str | None] = {}
_SPEAKERS_KEPT = 1024


def _verdict(facts: Facts, claim: str, speaker: str | None) -> CheckResult:
    cw = words(claim)
    if not cw:
        return CheckResult("not in the sources", claim, speaker)
    candidates = _candidates(facts, claim, speaker)
    matches = []
    for q in candidates:  # the best ranked first: the source of a quotation word for word is usually there
        m = _align(claim, cw, q, speaker)
        if m is None:
            continue
        matches.append(m)
        if m.rank == 0 and (speaker is None or q.speaker == speaker):
            break  # word for word, and by whom the claim says: nothing can be closer
    if not matches:
        return CheckResult("not in the sources", claim, speaker)
    best = min(matches, key=lambda m: (m.rank, -m.similarity))
    if speaker is None or best.quote.speaker == speaker:
        return best.result
    own = [m for m in matches if m.quote.speaker == speaker]
    if own:
        mine = min(own, key=lambda m: (m.rank, -m.similarity))
        if (mine.rank, -mine.similarity) <= (best.rank, -best.similarity + 5):
            return mine.result  # the claimed speaker said it too (or nearly as closely)
    r = best.result
    return CheckResult(
        "other speaker",
        claim,
        speaker,
        best.quote,
        r.changes,
        r.flips_meaning,
        r.left_out_before,
        r.left_out_after,
        r.similarity,
    )


def _candidates(facts: Facts, claim: str, speaker: str | None) -> list[Quote]:
    index = facts.quote_index
    # A few of the claim's words find the quotation it comes from; all of a long claim's only cost time.
    # Its start and its end: officials repeat their openings, what follows tells one quotation from another.
    cw = words(claim)
    if len(cw) > _QUERY_WORDS:
        cw = cw[: _QUERY_WORDS // 2] + cw[-_QUERY_WORDS // 2 :]
    parsed = index.parse(" ".join(cw))
    if not parsed.words:
        return []
    found, _ = index.rank(parsed, CANDIDATES)
    if speaker is not None:
        seen = {q.fact_id for q in found}
        own, _ = index.rank(parsed, CANDIDATES, field=speaker)
        found += [q for q in own if q.fact_id not in seen]
    return found


def _align(claim: str, cw: list[str], quote: Quote, speaker: str | None) -> _Match | None:
    qw = list(_stored_words(quote.text))
    if not qw:
        return None
    at = _find(cw, qw)
    if at is not None:
        if len(cw) == len(qw):
            return _Match(0, 100.0, quote, CheckResult("verbatim", claim, speaker, quote, similarity=100.0))
        before, after = _left_out(quote.text, at, at + len(cw), qw)
        result = CheckResult("trimmed", claim, speaker, quote, (), False, before, after, 100.0)
        return _Match(1, 100.0, quote, result)
    if len(cw) < 3:
        return None  # a word or two that the source does not have as they are: nothing to compare
    distinct = set(cw)
    if len(distinct.intersection(qw)) * 2 < len(distinct):
        return None  # not half of the claim's words: no wording this far off counts as "altered"
    window = _window(cw, qw)
    ops = [op for op in Levenshtein.opcodes(cw, window) if op.tag != "equal"]
    # Source words left out at either end are trimming, not a change of wording.
    while ops and ops[0].tag == "insert" and ops[0].src_end == 0:
        ops.pop(0)
    while ops and ops[-1].tag == "insert" and ops[-1].src_start == len(cw):
        ops.pop()
    changes: list[WordChange] = []
    edited = 0
    for group in _touching(ops):
        src_start, src_end = group[0].src_start, group[-1].src_end
        dest_start, dest_end = group[0].dest_start, group[-1].dest_end
        claimed, said = " ".join(cw[src_start:src_end]), " ".join(window[dest_start:dest_end])
        kind: Literal["added", "dropped", "changed"] = (
            "added" if not said else "dropped" if not claimed else "changed"
        )
        changes.append(WordChange(kind, claimed, said))
        edited += max(src_end - src_start, dest_end - dest_start)
    similarity = 100.0 * max(0, len(cw) - edited) / len(cw)
    if not changes or edited > max(3, len(cw) // 3) or similarity < 60:
        return None
    flips = any((set(c.claimed.split()) ^ set(c.said.split())) & NEGATIONS for c in changes)
    result = CheckResult(
        "altered", claim, speaker, quote, tuple(changes), flips, similarity=round(similarity, 1)
    )
    return _Match(2, similarity, quote, result)


def _left_out(text: str, first: int, end: int, qw: list[str]) -> tuple[str, str]:
    """The source's words before word `first` and from word `end` on, as the source writes them (its case
    and punctuation); as compared when the source's text does not line up with its words."""
    shown = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    folded = shown.translate(_APOSTROPHES).lower()
    starts: list[int] = []
    ends: list[int] = []
    for m in _WORD.finditer(folded):
        parts = len(_CONTRACTIONS[m.group()]) if "'" in m.group() else 1
        starts += [m.start()] * parts
        ends += [m.end()] * parts
    if len(folded) != len(shown) or len(starts) != len(qw):
        return " ".join(qw[:first]), " ".join(qw[end:])
    before = shown[: starts[first]].rstrip(" ,;:—–-") if first else ""
    after = shown[ends[end - 1] :].lstrip(" ,;:—–-") if end < len(qw) else ""
    return before.strip(), after.strip()


def _touching(ops: list[Opcode]) -> list[list[Opcode]]:
    """Edits that follow one another with nothing equal between, as one change ("the next" for "another")."""
    groups: list[list[Opcode]] = []
    for op in ops:
        if groups and groups[-1][-1].src_end == op.src_start and groups[-1][-1].dest_end == op.dest_start:
            groups[-1].append(op)
        else:
            groups.append([op])
    return groups


def _find(needle: list[str], hay: list[str]) -> int | None:
    """Where `needle` occurs in `hay` as a run of whole words."""
    if len(needle) > len(hay):
        return None
    joined, target = " ".join(hay), " ".join(needle)
    i = (" " + joined + " ").find(" " + target + " ")
    if i < 0:
        return None
    return joined[:i].count(" ") if i else 0


def _window(cw: list[str], qw: list[str]) -> list[str]:
    """The run of the source's words that lines up best with the claim (a claim can be part of a long quote)."""
    if len(qw) <= len(cw) + 3:
        return qw
    alignment = fuzz.partial_ratio_alignment(" ".join(cw), " ".join(qw))
    if alignment is None:
        return qw
    joined = " ".join(qw)
    start = joined.count(" ", 0, alignment.dest_start)
    end = joined.count(" ", 0, alignment.dest_end) + 1
    # Let an added or dropped word at either end count: widen by a word on each side.
    return qw[max(0, start - 1) : min(len(qw), end + 1)]
