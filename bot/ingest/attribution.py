"""Who a speech cue's phrase is: pronouns, surnames, roles and phrases that refer back, resolved against
what the article said before.

"he"/"she" go to the subject named earlier in the sentence, else to the one who acts in the sentence
before, else to the last person heard; "it"/"they" to an institution or group. "the ministry", "the
official", "the diplomat", "the 80-year-old" refer back to the one heard or described that way; a definite
role ("the Japanese PM") resolves through the article or the directory's terms of office. What cannot be
resolved is None, and its quotation is left out.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from bot.ingest.cues import Article, Clause, Cue, QuoteSpan, clause_subject, ends_clause, sentence_subject
from bot.ingest.people import PeopleIndex, normalise_role
from bot.ingest.segment import Paragraph, Sentence
from bot.ingest.speakers import (
    CLAUSE_WORDS,
    DETERMINERS,
    DOCUMENT_HEADS,
    NATIONALITIES,
    PREPOSITIONS,
    PRONOUNS,
    Phrase,
    Speaker,
    analyse,
    tokenize,
)

# How far back a reference ("the ministry", "the diplomat", "it") is looked for: in speech acts heard, and
# in characters of text. News refers back a few paragraphs; a bound keeps a long article linear.
_REACH = 200
_LOOKBACK = 20_000


class Resolver:
    """Turns speaker phrases into speakers, with what the article said so far."""

    def __init__(self, text: str, people: PeopleIndex, article: Article | None = None) -> None:
        self.text = text
        self.people = people
        self.article = article
        # The opening of the quotation being attributed: a pronoun after a quotation of several sentences
        # looks for its antecedent before the quotation, not inside it.
        self.anchor: int | None = None
        self.heard: list[tuple[int, Speaker, Phrase]] = []  # every resolved speech act, in text order
        self._descriptions: dict[str, str | None] = {}
        self._heard_persons: list[tuple[int, str]] = []  # (position, name) of persons heard, in text order

    def hear(self, position: int, speaker: Speaker, phrase: Phrase) -> None:
        bisect.insort(self.heard, (position, speaker, phrase), key=lambda h: h[0])
        if speaker.kind == "person":
            bisect.insort(self._heard_persons, (position, speaker.name))

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
            if phrase.definite and AGE_IN.search(phrase.text.lower()):
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
        if name is None and len(phrase.name.split()) == 1:
            institution = self._institution_named(phrase.name, appositive)
            if institution is not None:
                return institution
        if name is None:
            # A surname the article never gave in full, or a name it gives only once, alone: a person still
            # when a title or a description says so ("Mr. Igeta", "a grateful Igeta", "Kawata, 87").
            if len(phrase.name.split()) >= 2 or phrase.descriptor or appositive:
                name = phrase.name
            else:
                return None
        return Speaker("person", name, self.describe(name, phrase, appositive))

    def _institution_named(self, word: str, appositive: str | None) -> Speaker | None:
        """A one-word name that is an institution's: "Ostrov said" after "Ostrov Seafood", "Zvezda, the
        Defence Ministry's television channel, showed"."""
        if appositive:
            described = analyse(tokenize(appositive, 0, len(appositive)))
            if described is not None and described.kind == "organisation":
                return Speaker("organisation", word, appositive)
        full = re.search(rf"\b{re.escape(word)}((?:\s+[A-Z][\w&'’-]*){{1,3}})", self.text)
        if full is not None:
            named = analyse(tokenize(full.group(0), 0, len(full.group(0))))
            if named is not None and named.kind == "organisation":
                return Speaker("organisation", named.name)
        return None

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
                self._heard_persons,
                self._previous(context),
                self.article.inside_quote if self.article is not None else None,
            )
            if name is None:
                return None
            return Speaker("person", name, self.describe(name, None, None))
        for _, speaker, phrase in self._recent(position):
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
            phrase = sentence_subject(clause, len(clause.toks), kinds=("organisation", "role"))
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

    def _recent(self, position: int) -> Iterator[tuple[int, Speaker, Phrase]]:
        """What was heard before `position`, nearest first, as far back as a reference reaches."""
        end = bisect.bisect_left(self.heard, position, key=lambda h: h[0])
        for i in range(end - 1, max(-1, end - 1 - _REACH), -1):
            yield self.heard[i]

    def _antecedent(self, phrase: Phrase, position: int) -> Speaker | None:
        """What "the ministry", "the official" or "the spokesman" refers to: the last one heard speaking."""
        head = phrase.head
        for _, speaker, earlier in self._recent(position):
            if head in DOCUMENT_HEADS:
                if speaker.kind == "organisation" and speaker.name not in DOCUMENT_HEADS:
                    return speaker  # "the statement said": the institution heard last
                continue
            if earlier.head == head or head in speaker.name.lower().split():
                return speaker
        if head in DOCUMENT_HEADS:
            return self._org_opening(position)
        return self._named_before(phrase, position)

    def _org_opening(self, position: int) -> Speaker | None:
        """The institution that opens one of the last few sentences before `position`."""
        if self.article is None:
            return None
        index = self.article.index_at(position)
        if index is None:
            return None
        for i in range(index, max(-1, index - 4), -1):
            clause = self.article.clause(i)
            phrase = sentence_subject(clause, len(clause.toks), kinds=("organisation",))
            if phrase is not None and not phrase.plural and phrase.name not in DOCUMENT_HEADS:
                return Speaker("organisation", phrase.name)
        return None

    def _named_before(self, phrase: Phrase, position: int) -> Speaker | None:
        """ "the reserve" for the "Kurilsky nature reserve" named earlier, "the institute" for the "Institute
        of Marine Geology and Geophysics": the last phrase of the article before with the same head."""
        if self.article is None or phrase.kind != "organisation":
            return None  # a role that refers back means a person: see _described_as
        window = max(0, position - _LOOKBACK)
        pattern = re.compile(rf"\b{re.escape(phrase.head)}\b", re.I)
        for m in reversed(list(pattern.finditer(self.text, window, position))):
            if self.article.inside_quote(m.start()):
                continue
            found = _phrase_around(self.text, m.start(), m.end())
            if found is not None and found.lower() != phrase.head:
                return Speaker("organisation", found)
        return None

    def _described_as(self, phrase: Phrase, position: int) -> Speaker | None:
        """The person a definite role refers back to by the description the article gave them: "the
        deputy minister" or "the diplomat" after "Russian Deputy Foreign Minister Mikhail Galuzin"."""
        if not phrase.definite or phrase.plural:
            return None
        wanted = _role_words(phrase)
        if wanted is None:
            return None
        age = next((int(m.group(1)) for w in phrase.text.split() if (m := AGE_IN.match(w.lower()))), None)
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
        heard = [(pos, s, p) for pos, s, p in self._recent(position) if s.kind == "person"]
        inside = self.article.inside_quote if self.article is not None else (lambda _: False)
        latest: dict[str, tuple[int, Speaker | None]] = {}
        for m in self.people.mentions_between(max(0, position - _LOOKBACK), position):
            if m.start < position and not inside(m.start):  # names said inside quotations do not count
                latest[m.name] = max(latest.get(m.name, (-1, None)), (m.start, None), key=lambda x: x[0])
        said: dict[str, list[str]] = {}
        for pos, speaker, phrase in heard:
            if pos >= latest.get(speaker.name, (-1, None))[0]:
                latest[speaker.name] = (pos, speaker)
            said.setdefault(speaker.name, []).extend(filter(None, (speaker.description, phrase.descriptor)))
        for name, (_, known) in sorted(latest.items(), key=lambda item: item[1][0], reverse=True):
            who = known or Speaker("person", name, self.describe(name, None, None))
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


AGE_IN = re.compile(r"^(\d{1,3})-year-old$")

_NUMBER = re.compile(r"\b(\d{1,3})\b")


def _fits(wanted: tuple[tuple[str, ...], list[str]], described: str, *, ignore_age: bool = False) -> bool:
    names, others = wanted
    padded = f" {described} "
    if ignore_age:
        others = [w for w in others if not AGE_IN.match(w)]
    return any(f" {n} " in padded for n in names) and all(f" {w} " in padded for w in others)


def _phrase_around(text: str, start: int, end: int) -> str | None:
    """The speaker phrase whose head is text[start:end]: with its modifiers before ("Kurilsky nature
    reserve") or a capitalised name around it ("Institute of Marine Geology and Geophysics")."""
    toks = tokenize(text, max(0, start - 80), min(len(text), end + 80))
    at = next((i for i, t in enumerate(toks) if t.start == start), None)
    if at is None:
        return None
    lo = at
    while (
        lo > 0
        and at - lo < 4
        and toks[lo - 1].kind == "w"
        and toks[lo - 1].low not in DETERMINERS
        and toks[lo - 1].low not in PREPOSITIONS
        and toks[lo - 1].low not in CLAUSE_WORDS
    ):
        lo -= 1
    hi = at + 1
    if toks[at].text[:1].isupper():
        # A capitalised name goes on with "of X and Y": "Institute of Marine Geology and Geophysics".
        while hi + 1 < len(toks) and toks[hi].low in ("of", "and", "for") and toks[hi + 1].text[:1].isupper():
            hi += 2
            while hi < len(toks) and toks[hi].kind == "w" and toks[hi].text[:1].isupper():
                hi += 1
    while lo < at:
        phrase = analyse(toks[lo:hi])
        if phrase is not None and phrase.kind == "organisation" and not phrase.bare:
            return phrase.name
        lo += 1
    return None


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


def speaker_of(cue: Cue, clause: Clause, resolver: Resolver) -> Speaker | None:
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
                cue.speaker = speaker_of(c, clause, resolver)
                if cue.speaker is not None and c.phrase is not None:
                    cue.phrase = c.phrase
                return cue.speaker
        # "Medvedev visited Kunashir, calling it '…'" / "when Putin startled Abe by proposing '…'" / "The
        # foreign minister, Seiji Maehara, summoned the ambassador and expressed '…'": the subject of the
        # clause, else the one that opens the sentence, if it is a speaker.
        subject = clause_subject(clause, cue.verb) or sentence_subject(
            clause, cue.verb, kinds=("person", "organisation", "pronoun", "role")
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
                cue.speaker = speaker_of(c, clause, resolver)
                return cue.speaker
    position = clause.toks[cue.first].start
    cue.speaker = resolver.resolve(cue.phrase, position, clause.sentence, cue.appositive)
    if cue.speaker is not None:
        resolver.hear(position, cue.speaker, cue.phrase)
    return cue.speaker


def paragraph_intro(
    article: Article, para: Paragraph, paras: list[Paragraph], span: QuoteSpan, resolver: Resolver
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
        if (cue.phrase is not None or cue.participle or cue.coordinated) and ends_clause(clause, cue):
            # "Wakimoto paused before answering:" — a participle's speaker is its clause's subject.
            return speaker_of(cue, clause, resolver)
    return None
