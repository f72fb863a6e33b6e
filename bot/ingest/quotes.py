"""Direct quotations and who said them.

Finds quoted spans in straight or curly double quotes, joins quotes interrupted by their attribution
("A," said X, "B.") and quotes that run over several paragraphs, and resolves the speaker from a named cue
("Abe said", "said Sergey Lavrov", "according to Abe"), a pronoun ("he said": the last compatible person)
or a role description ("the Japanese PM"). Fragments inside a sentence are kept and flagged partial;
scare quotes and titles are dropped. A quote whose speaker cannot be resolved is dropped, never guessed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from bot.ingest.needles import Needles, trie_pattern
from bot.ingest.people import ROLE_PATTERN, PeopleIndex, normalise_role
from bot.ingest.segment import Paragraph, Sentence

SPEECH_VERBS = (
    r"said|says|say|told|tells|stressed|stresses|noted|notes|added|adds|explained|explains|elaborated|"
    r"pointed out|points out|remarked|stated|states|declared|declares|emphasi[sz]ed|emphasi[sz]es|insisted|"
    r"insists|asked|asks|replied|answered|wrote|writes|commented|continued|warned|warns|claimed|claims|"
    r"argued|argues|announced|acknowledged|admitted|observed|recalled|underlined|underscored|urged|"
    r"suggested|suggests|reiterated|concluded|confirmed|assured|vowed|promised|predicted|mentioned|"
    r"highlighted|recounted|tweeted|complained|countered|responded|went on|stressing|adding|noting|saying|"
    r"was quoted as saying|is quoted as saying|told reporters|told journalists|told a news conference"
)
_VERB = rf"(?:{SPEECH_VERBS})"
_NAME = r"[A-Z][\w’'\-]+(?:\s+(?:[A-Z][\w’'\-]+|al|bin|de|van|von))*"
_WHO = rf"(?:he|she|{ROLE_PATTERN}|{_NAME}(?:,\s+(?:the\s+)?{ROLE_PATTERN},?)?)"
# After a quote: ', Abe said' / ', said Sergey Lavrov' / ', the Japanese PM pointed out' / ' Abe elaborated'
_CUE_AFTER = re.compile(
    rf"^\s*[,—–-]?\s*(?:(?P<who1>{_WHO})\s+(?:(?:also|then|later|further|again)\s+)?(?P<verb1>{_VERB})"
    rf"|(?P<verb2>said|says|added|asked|stressed|noted|wrote|explained|continued|replied)\s+(?P<who2>{_WHO}))\b",
    re.IGNORECASE,
)
# Before a quote: 'Abe said: "' / 'Lavrov told reporters, "' / 'according to Abe, ... "'
_BEFORE_TAIL = r"(?:\s+(?:that|on \w+|in [\w ]{1,30}|at [\w ]{1,30}|to [\w ]{1,30}|\w+ly))?\s*[:,]?\s*$"
_CUE_BEFORE = re.compile(
    rf"(?P<who>{_WHO})(?:,\s+[^,\"“”]{{1,60}},)?\s+(?:(?:also|then|later|further|again)\s+)?(?P<verb>{_VERB})"
    + _BEFORE_TAIL,
    re.IGNORECASE,
)
# How every match of _CUE_BEFORE ends, from its verb on: a cheap test that rules most texts out.
_CUE_BEFORE_END = re.compile(_VERB + _BEFORE_TAIL, re.IGNORECASE)
# How far before a quotation mark its cue ('Lavrov told reporters on Monday, "') can start. The cue
# pattern is anchored at the quote but tried from every position, so a window keeps long sentences linear.
_CUE_WINDOW = 300
_ACCORDING = re.compile(rf"according to\s+(?P<who>{_WHO}|(?:the\s+)?{ROLE_PATTERN})", re.IGNORECASE)
# A speech cue anywhere in a sentence, for fragments and for tracking the last speaker.
_ANY_VERB = (
    rf"{SPEECH_VERBS}|called|described|suggested|insisted|hopes|believes|thinks|expects|spoke|proposed"
)
_CUE_ANY = re.compile(
    rf"(?P<who>\b(?:he|she)\b|{ROLE_PATTERN}|{_NAME})\s+(?:(?:also|then|later|further|again|has|had|have)\s+)?"
    rf"(?P<verb>{_ANY_VERB})\b",
    re.IGNORECASE,
)
# Everything _CUE_ANY matches is made of these characters, and ends in a verb that follows a space.
_CUE_RUN = re.compile(r"[\w’'\-\s]+")
_VERB_START = re.compile(rf"(?<=\s)(?=(?:{_ANY_VERB})\b)", re.IGNORECASE)
# The verbs as plain lower-case words ("emphasi[sz]ed" twice).
_VERB_WORDS = sorted(
    {v.replace("[sz]", c) for v in _ANY_VERB.split("|") for c in "sz"}, key=lambda v: (-len(v), v)
)
assert all(re.fullmatch(r"[a-z ]+", v) for v in _VERB_WORDS), "speech verbs must be plain words"
# The same positions (and a few more) in the lower-cased text, found several times faster.
_VERB_START_FOLDED = re.compile(rf"\s(?={trie_pattern(_VERB_WORDS)})")
# The longest verb at a position of the lower-cased text (literal alternatives, longest first).
_VERB_LONGEST = re.compile("|".join(re.escape(v) for v in _VERB_WORDS))
_VERB_NEEDLES = Needles(_VERB_WORDS)
_VERB_MAX = len(_VERB_WORDS[0])
_WORD_CHAR = re.compile(r"\w")
_PARTICIPLE_CUE = re.compile(
    r",\s+(?:calling|describing|saying|adding|noting|stressing|warning|insisting|arguing|vowing|promising)\b",
    re.IGNORECASE,
)
_CONJUNCTIONS = frozenset(
    [
        "and",
        "but",
        "or",
        "so",
        "yet",
        "because",
        "although",
        "though",
        "while",
        "which",
        "who",
        "whom",
        "whose",
        "where",
        "when",
        "if",
        "unless",
        "since",
        "as",
    ]
)
_SCARE_LEAD = re.compile(
    r"(?:so-called|so called|dubbed|termed|known as|named|titled|entitled|called the)\s*$", re.IGNORECASE
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


@dataclass(frozen=True, slots=True)
class ExtractedQuote:
    """A quotation found in one article."""

    text: str
    speaker: str
    partial: bool
    spans: tuple[QuoteSpan, ...]
    excerpt_start: int
    excerpt_end: int
    cue: str  # how the speaker was found: "name", "pronoun", "role", "according", "continuation"


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


def _sentence_at(sentences: list[Sentence], pos: int) -> Sentence | None:
    for s in sentences:
        if s.start <= pos < s.end or (s.end == pos and pos > s.start):
            return s
    return None


def _is_full_sentence_start(text: str, sentence: Sentence, span: QuoteSpan) -> bool:
    lead = text[sentence.start : span.open]
    if not lead.strip():
        return True
    return bool(re.search(r"[:,]\s*$", lead)) and bool(_cue_before(lead) or _ACCORDING.search(lead))


def _verb_starts(text: str) -> tuple[list[int], str | None]:
    """Where a speech verb of `_ANY_VERB` can start in `text` (after a space): every such position, in order,
    and perhaps a few more; and the lower-cased text they were found in (None when that would not be
    exact, see bot.ingest.needles)."""
    folded = _VERB_NEEDLES.fold(text)
    if folded is not None and len(folded) == len(text):
        return [m.end() for m in _VERB_START_FOLDED.finditer(folded)], folded
    return [m.start() for m in _VERB_START.finditer(text)], None


def _speech_cues(text: str) -> list[re.Match[str]]:
    """`_CUE_ANY.finditer(text)`, searched only where a cue can be.

    Left alone, the name alternative runs to the end of the text from every position and backs off word
    by word, which is quadratic in the length of a clause. A cue lies within one run of word characters and
    spaces and ends at a speech verb, so only runs with a verb are searched, and only up to their last verb.
    (Where a verb can start is found on the lower-cased text, a superset of the true starts: a start too
    many only lets the search run a little further.)
    """
    verbs, folded = _verb_starts(text)
    if not verbs:
        return []
    out: list[re.Match[str]] = []
    for run in _CUE_RUN.finditer(text):
        start, end = run.span()
        first, after = bisect.bisect_left(verbs, start), bisect.bisect_left(verbs, end)
        if first == after:
            continue
        if folded is not None:  # no cue ends after the end of the longest verb that starts in the run
            stop = max(m.end() for v in verbs[first:after] if (m := _VERB_LONGEST.match(folded, v)))
        else:
            stop = verbs[after - 1] + _VERB_MAX
        # Stop where a word ends, so that a word boundary there reads the same as at the end of the text.
        stop = min(end, stop)
        while stop < end and _WORD_CHAR.match(text, stop):
            stop += 1
        out.extend(_CUE_ANY.finditer(text, start, stop))
    return out


def _cue_before(lead: str) -> re.Match[str] | None:
    """The speech cue that ends `lead` (offsets into `lead`), looked for in its last few hundred characters."""
    pos = 0
    if len(lead) > _CUE_WINDOW:
        pos = len(lead) - _CUE_WINDOW
        # Start at a word, so that the tail of a cut word is not read as a name.
        while pos < len(lead) and not lead[pos - 1].isspace():
            pos += 1
    # The cue's verb is followed by nothing but a short tail: without such a verb there is no cue, and
    # searching from every position of the lead only to find that out is the expensive part.
    if not any(_CUE_BEFORE_END.match(lead, v) for v in _verb_starts(lead)[0] if v > pos):
        return None
    return _CUE_BEFORE.search(lead, pos)


class _Resolver:
    def __init__(self, text: str, people: PeopleIndex, sentences: list[Sentence]) -> None:
        self.text = text
        self.people = people
        self.sentences = sentences
        self.speakers: list[tuple[int, str]] = []  # (position, name) of every resolved speech act

    def who(self, phrase: str, position: int, sentence: Sentence | None) -> tuple[str | None, str]:
        phrase = phrase.strip().strip(",")
        low = phrase.lower()
        if low in ("he", "she"):
            return self.pronoun(low, position, sentence), "pronoun"
        base = re.split(r",\s+", phrase)[0]
        if normalise_role(base):
            return self.people.resolve_role(base, position), "role"
        name = self.people.resolve_name(base)
        if name is None and "," in phrase:
            # "Dmitry Peskov, the Kremlin spokesman": the appositive is a role.
            role = re.split(r",\s+", phrase, maxsplit=1)[1]
            if normalise_role(role):
                return self.people.resolve_role(role, position), "role"
        return name, "name"

    def pronoun(self, pronoun: str, position: int, sentence: Sentence | None) -> str | None:
        def compatible(name: str) -> bool:
            g = self.people.gender(name)
            return g is None or g == ("m" if pronoun == "he" else "f")

        # 1. The subject of the same sentence, named before the pronoun.
        if sentence is not None:
            within = [m for m in self.people.mentions_between(sentence.start, position) if compatible(m.name)]
            subjects = [m for m in within if not m.after_preposition]
            if subjects:
                return subjects[0].name
        # 2. The last person heard speaking.
        for pos, name in reversed(self.speakers):
            if pos < position and compatible(name):
                return name
        # 3. The last person named outside a prepositional phrase.
        before = [m for m in self.people.mentions if m.end <= position and compatible(m.name)]
        for m in reversed(before):
            if not m.after_preposition:
                return m.name
        return before[-1].name if before else None

    def heard(self, position: int, name: str) -> None:
        self.speakers.append((position, name))
        self.speakers.sort()


def _outside_quotes(text: str, start: int, end: int, spans: list[QuoteSpan]) -> str:
    """The text of [start, end) with quoted passages blanked out, offsets preserved."""
    chars = list(text[start:end])
    # Spans are in text order: only those opening before `end` and closing after `start` overlap.
    first = bisect.bisect_left(spans, start, key=lambda sp: sp.close + 1)
    for sp in spans[first:]:
        if sp.open >= end:
            break
        for i in range(max(sp.open, start), min(sp.close + 1, end)):
            chars[i - start] = " "
    return "".join(chars)


def extract_quotes(
    text: str, paras: list[Paragraph], sentences: list[Sentence], people: PeopleIndex
) -> list[ExtractedQuote]:
    """Every attributable direct quotation in the article, in text order."""
    resolver = _Resolver(text, people, sentences)
    para_spans = {p.index: find_quote_spans(text, p) for p in paras}
    all_spans = [s for p in paras for s in para_spans[p.index]]

    # Speech acts outside quotes ("Abe said in an interview ...") tell who spoke last, for pronouns.
    speech_acts: list[tuple[int, str, Sentence]] = []
    for sent in sentences:
        bare = _outside_quotes(text, sent.start, sent.end, all_spans)
        for m in _speech_cues(bare):
            if m.group("who").lower() in ("he", "she"):
                continue
            speech_acts.append((sent.start + m.start(), m.group("who"), sent))
        acc = _ACCORDING.search(bare)
        if acc:
            speech_acts.append((sent.start + acc.start("who"), acc.group("who"), sent))
    speech_acts.sort(key=lambda a: a[0])
    act_iter = iter(speech_acts)
    pending = next(act_iter, None)

    def note_speech_acts_until(pos: int) -> None:
        nonlocal pending
        while pending is not None and pending[0] < pos:
            name, _ = resolver.who(pending[1], pending[0], pending[2])
            if name:
                resolver.heard(pending[0], name)
            pending = next(act_iter, None)

    quotes: list[ExtractedQuote] = []
    last_quote_para: int | None = None
    last_quote_speaker: str | None = None
    consumed: set[int] = set()
    flat = [(p, sp) for p in paras for sp in para_spans[p.index]]
    for k, (para, span) in enumerate(flat):
        if span.open in consumed:
            continue
        note_speech_acts_until(span.open)
        group = [span]
        # A quote running over paragraphs: each continued paragraph opens with a quotation mark.
        while group[-1].close == _para_end(paras, group[-1]) and k + len(group) < len(flat):
            nxt_para, nxt_span = flat[k + len(group)]
            lead = text[nxt_para.start : nxt_span.open]
            if nxt_para.index == _para_of(paras, group[-1]).index + 1 and not lead.strip():
                group.append(nxt_span)
            else:
                break
        last = group[-1]
        sentence_first = _sentence_at(sentences, span.open) or _sentence_at(sentences, span.start)
        sentence_last = _sentence_at(sentences, max(last.close - 1, last.start))
        after_text = text[last.close + 1 : (sentence_last.end if sentence_last else last.close + 1) + 80]
        speaker: str | None = None
        cue = ""
        cue_end = last.close + 1
        m_after = _CUE_AFTER.match(after_text)
        closed_sentence = re.search(r"[.!?…]\s*$", text[last.start : last.end]) is not None
        if m_after and closed_sentence and re.match(r"[:]", after_text[m_after.end() :].lstrip() or " "):
            m_after = None  # '"…done." He added: "…"' — the cue introduces the next quote
        if m_after:
            phrase = m_after.group("who1") or m_after.group("who2")
            speaker, cue = resolver.who(phrase, last.close + 1 + m_after.start(), sentence_last)
            cue_end = last.close + 1 + m_after.end()
            # Interrupted quote: "A," said X, "B."
            rest = after_text[m_after.end() :]
            m_cont = re.match(r"^[^\"“”.!?]{0,60}?[,:]\s*", rest)
            nxt_idx = k + len(group)
            if m_cont and nxt_idx < len(flat):
                nxt_para, nxt_span = flat[nxt_idx]
                if (
                    nxt_span.open == last.close + 1 + m_after.end() + m_cont.end()
                    and nxt_para.index == para.index
                ):
                    group.append(nxt_span)
                    sentence_last = _sentence_at(sentences, max(nxt_span.close - 1, nxt_span.start))
        lead_text = text[sentence_first.start : span.open] if sentence_first else ""
        if speaker is None and not m_after:
            m_before = _cue_before(lead_text)
            m_acc = _ACCORDING.search(lead_text)
            if m_before:
                speaker, cue = resolver.who(
                    m_before.group("who"), sentence_first.start + m_before.start(), sentence_first
                )
            elif m_acc:
                speaker, cue = resolver.who(
                    m_acc.group("who"), sentence_first.start + m_acc.start(), sentence_first
                )
                cue = "according" if speaker else cue
        partial = not _is_full_sentence_start(text, sentence_first, span) if sentence_first else False
        pieces = [text[s.start : s.end].strip() for s in group]
        for n in range(1, len(pieces)):
            # "The question of the islands," Putin said, "is not …": the comma belongs to the attribution.
            # A comma before a conjunction ("…talk," he said, "but …") was the speaker's own.
            first_word = pieces[n].split(" ", 1)[0].lower()
            if pieces[n - 1].endswith(",") and pieces[n][:1].islower() and first_word not in _CONJUNCTIONS:
                pieces[n - 1] = pieces[n - 1][:-1]
        inner = " ".join(pieces)
        inner = re.sub(r"\s+", " ", inner).strip()
        words = re.findall(r"[\w’']+", inner)
        if partial:
            bare_sentence = (
                _outside_quotes(text, sentence_first.start, sentence_first.end, all_spans)
                if sentence_first
                else ""
            )
            if speaker is None and sentence_first is not None:
                # A fragment takes the sentence's own speech cue: "..., he said." / "X suggested ... 'frag'".
                candidates = _speech_cues(bare_sentence)
                acc = _ACCORDING.search(bare_sentence)
                if acc:
                    speaker, cue = resolver.who(
                        acc.group("who"), sentence_first.start + acc.start(), sentence_first
                    )
                elif not candidates and _PARTICIPLE_CUE.search(
                    bare_sentence[: span.open - sentence_first.start]
                ):
                    # "Medvedev visited Kunashir, calling it 'a Russian region'": the sentence's subject.
                    subjects = [
                        m
                        for m in people.mentions_between(sentence_first.start, span.open)
                        if not m.after_preposition
                    ]
                    if subjects:
                        speaker, cue = subjects[0].name, "name"
                elif candidates:
                    pick = (
                        candidates[-1]
                        if candidates[-1].start() > span.open - sentence_first.start
                        else candidates[0]
                    )
                    speaker, cue = resolver.who(
                        pick.group("who"), sentence_first.start + pick.start(), sentence_first
                    )
            if len(words) < 2 or _SCARE_LEAD.search(lead_text):
                continue  # scare quotes, nicknames and titles
            if speaker is None:
                continue
            if all(w[:1].isupper() for w in words if len(w) > 3) and not re.search(r"[.,!?]$", inner):
                continue  # a title in quotation marks
        # No cue: the same speaker goes on (in this paragraph, or the quote paragraph before).
        if (
            speaker is None
            and not partial
            and last_quote_speaker
            and last_quote_para is not None
            and para.index - last_quote_para <= 1
        ):
            speaker, cue = last_quote_speaker, "continuation"
        if speaker is None or len(words) < 2:
            continue
        for s in group:
            consumed.add(s.open)
        resolver.heard(span.open, speaker)
        excerpt_start = sentence_first.start if sentence_first else span.open
        last_end = group[-1].close + 1
        excerpt_end = max(
            sentence_last.end if sentence_last else last_end,
            min(cue_end, _sentence_end(sentences, last_end)),
            last_end,
        )
        excerpt_end = min(excerpt_end, len(text))
        quotes.append(
            ExtractedQuote(inner, speaker, partial, tuple(group), excerpt_start, excerpt_end, cue or "name")
        )
        last_quote_para = _para_of(paras, group[-1]).index
        last_quote_speaker = speaker
    return quotes


def _para_of(paras: list[Paragraph], span: QuoteSpan) -> Paragraph:
    return next(p for p in paras if p.start <= span.open < p.end)


def _para_end(paras: list[Paragraph], span: QuoteSpan) -> int:
    return _para_of(paras, span).end


def _sentence_end(sentences: list[Sentence], pos: int) -> int:
    s = _sentence_at(sentences, pos)
    return s.end if s else pos
