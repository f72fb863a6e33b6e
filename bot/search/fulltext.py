"""In-memory full-text search over the store's quotes and events, built when the store is opened.

The store never changes once built, so its texts are tokenised once into one inverted index per kind of
fact. Each word (normalised as `normalise` does: case-folded, NFKC, without accents) has a posting array:
one int32 code per occurrence, `document << POS_BITS | position`, sorted; beside it, in a byte, BM25's
term-frequency part for the word in that document, held by its first occurrence there (0 for the others),
so that scoring is one scatter-add over the query words' postings. Stop words have no postings but count
in positions.

Phrases: users type words they remember together, so a document where two consecutive query words stand
at the same distance as in the query gets a bonus. A forward index (each document's words in order, term
ids, stop words included) answers "which word is at this position" for the occurrences of the rarer of
the two words, so a phrase costs a few array operations over that word's postings.

A second field (a quote's speaker) is indexed at positions from FIELD_POS, after any text position, so a
speaker's name matches like the text's words but never forms a phrase with them.

Words are numbered in sorted order, so the postings of all words starting with a prefix are one slice;
the words with their frequencies are the index's `Vocabulary`, which also corrects typos.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

from bot.search import Correction
from bot.search.vocabulary import Vocabulary
from bot.text import MAX_QUERY_CHARS, STOP_WORDS, WORD, combining, normalise, typo_budget

T = TypeVar("T")
# Posting codes, `document << POS_BITS | position`: int32, or int64 for a corpus too large for that.
Codes = NDArray[np.signedinteger[Any]]

POS_BITS = 10
POS_MASK = (1 << POS_BITS) - 1
MAX_TEXT_POS = 900  # words past this position in a text are found, but not in phrases
FIELD_POS = 960  # the second field's words are at FIELD_POS, FIELD_POS + 1, …
MAX_GAP = 4  # query words further apart (more stop words between) make no phrase

# Ranking: BM25 over the query's words (a corrected or completed word weighs less than a word as typed),
# plus, for each pair of consecutive query words found at the same distance in a text, a bonus of
# PHRASE_WEIGHT times the pair's mean word weight.
K1, B = 1.2, 0.75
TYPO_WEIGHT = 0.85  # a word read as the nearest vocabulary word
ALSO_WEIGHT = 0.6  # other vocabulary words as near as that one
PREFIX_WEIGHT = 0.7  # a word read as the words it starts
PHRASE_WEIGHT = 1.2
MAX_ALTERNATIVES = 3
MAX_QUERY_WORDS = 16  # distinct words a query is searched with; the rest are ignored
RELEVANT = 0.3  # a text matches when it scores at least this share of the best text's score
_READING_CACHE = 4096

# Printable ASCII tokenises as normalise + \w runs do with one translate: lower-case, and every character
# that is neither a letter, a digit nor "_" becomes a space. Typographic quotes and dashes are not word
# characters either and normalising keeps them, so they become spaces first.
_ASCII_TABLE = str.maketrans({c: " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")} | {1: 1})
_TYPOGRAPHIC = ("\u2018", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014")
_PLAIN_SEP = "\x01"  # between printable ASCII texts, which hold none: a token of its own after translating
_OTHER_SEP = "\n"  # between other texts: normalising keeps it, and no word holds it
_TOKEN_OR_SEP = re.compile(r"\w+|\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_CHUNK = 4096  # texts tokenised at a time: bounds the memory of the words in flight


# ---- tokenising ---------------------------------------------------------------------------------------


def _plain(text: str) -> str | None:
    """`text` as printable ASCII that tokenises like it, or None when it needs full normalisation."""
    if text.isascii():
        return text if text.isprintable() else None
    for ch in _TYPOGRAPHIC:
        text = text.replace(ch, " ")
    return text if text.isascii() and text.isprintable() else None


def _normalised_words(texts: Sequence[str]) -> list[str]:
    """The words of printable texts with a newline between texts: `normalise` on each, in a few passes.

    Each step of `normalise` (NFKC, dropping control and format characters, NFKD, dropping combining
    marks, case-folding) acts on one character, or one base character and its marks, so it may run on
    the texts joined by newlines.
    """
    parts = unicodedata.normalize("NFKC", _OTHER_SEP.join(texts)).split(_OTHER_SEP)
    if len(parts) != len(texts):  # NFKC made no newline of a printable character; never mix texts up
        words = ([*WORD.findall(normalise(t)), _OTHER_SEP] for t in texts)
        return list(itertools.chain.from_iterable(words))[:-1]
    kept = [
        p if p.isprintable() else "".join(c for c in p if unicodedata.category(c)[0] != "C" or c in " \t")
        for p in parts
    ]
    blob = unicodedata.normalize("NFKD", _OTHER_SEP.join(kept))
    if not blob.isascii():
        blob = combining(_ASTRAL.search(blob) is not None).sub("", blob)
    return _TOKEN_OR_SEP.findall(blob.casefold())


def _word_streams(texts: Sequence[str]) -> Iterator[tuple[list[int], list[str], str]]:
    """(indexes of some texts, their words with `sep` between texts, sep), a chunk of texts at a time.

    The words are exactly `WORD.findall(normalise(text))`: printable ASCII texts are split together
    after one translate, other printable texts normalised together, the rest one by one.
    """
    for first in range(0, len(texts), _CHUNK):
        plain_at: list[int] = []
        plain: list[str] = []
        other_at: list[int] = []
        other: list[str] = []
        odd_at: list[int] = []
        odd: list[str] = []
        for n, text in enumerate(texts[first : first + _CHUNK], first):
            simple = text if text.isascii() and text.isprintable() else _plain(text)
            if simple is not None:
                plain_at.append(n)
                plain.append(simple)
            elif text.isprintable():
                other_at.append(n)
                other.append(text)
            else:
                odd_at.append(n)
                odd.extend([*WORD.findall(normalise(text)), _OTHER_SEP])
        if plain:
            yield plain_at, f" {_PLAIN_SEP} ".join(plain).lower().translate(_ASCII_TABLE).split(), _PLAIN_SEP
        if other:
            yield other_at, _normalised_words(other), _OTHER_SEP
        if odd:
            yield odd_at, odd[:-1], _OTHER_SEP


def tokenise_all(texts: Sequence[str]) -> list[list[str]]:
    """The words of each text, stop words included: `bot.text.words(text)` for each, in a few passes."""
    out: list[list[str]] = [[] for _ in texts]
    for at, words, sep in _word_streams(texts):
        start = 0
        for n in at:
            end = words.index(sep, start) if n != at[-1] else len(words)
            out[n] = words[start:end]
            start = end + 1
    return out


class _Vocabulary:
    """Term numbers of words while indexing: 0 for the separators, then in order of first occurrence."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {_PLAIN_SEP: 0, _OTHER_SEP: 0}
        self.words: list[str] = [""]

    def numbers(self, words: list[str]) -> NDArray[np.int32]:
        ids = self.ids
        for word in dict.fromkeys(words):
            if word not in ids:
                ids[word] = len(self.words)
                self.words.append(word)
        return np.fromiter(map(ids.__getitem__, words), dtype=np.int32, count=len(words))

    def compact(self) -> list[str]:
        """The words, copied into fresh memory.

        The first occurrence of each word is kept: those are scattered over all the memory that held the
        texts' words while tokenising, and would keep every bit of it from being given back.
        """
        packed = "\0".join(self.words)  # \0 is in no word
        self.ids.clear()
        self.words.clear()
        return packed.split("\0")


def _index_words(
    texts: Sequence[str], vocabulary: _Vocabulary
) -> tuple[NDArray[np.int32], NDArray[np.int64], NDArray[np.int64]]:
    """Term number, text index and position of every word of the texts (stop words included)."""
    terms, docs, positions = [], [], []
    for at, words, _sep in _word_streams(texts):
        ids = vocabulary.numbers(words)
        separator = ids == 0
        text_of = np.cumsum(separator)  # which of `at` each word is in
        keep = ~separator
        ids, text_of = ids[keep], text_of[keep]
        counts = np.bincount(text_of, minlength=len(at))
        position = np.arange(len(ids), dtype=np.int64) - (np.cumsum(counts) - counts)[text_of]
        terms.append(ids)
        docs.append(np.asarray(at, dtype=np.int64)[text_of])
        positions.append(position)
    if not terms:
        return np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(terms), np.concatenate(docs), np.concatenate(positions)


# ---- queries ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueryWord:
    """One searchable word of a query, at its position among all the query's words."""

    word: str  # as typed, normalised
    position: int
    reading: str  # the word it was read as: itself, or the nearest vocabulary word
    terms: tuple[tuple[int, float], ...]  # (term number, weight) of the vocabulary words it matches


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query's searchable words, in order."""

    words: tuple[QueryWord, ...]

    @property
    def correction(self) -> Correction:
        return Correction(tuple(w.word for w in self.words), tuple(w.reading for w in self.words))


class TextIndex(Generic[T]):
    """An inverted index over the texts of `items` (and an optional second field), searched in memory."""

    def __init__(self, items: Sequence[T], texts: Sequence[str], fields: Sequence[str] | None = None) -> None:
        self.items = list(items)
        self.size = len(self.items)
        enabled = gc.isenabled()
        gc.disable()  # building makes no cycles; collections would only walk the store's facts again
        try:
            self._build(texts, fields)
        finally:
            if enabled:
                gc.enable()
        self._readings: dict[str, tuple[str, tuple[tuple[int, float], ...]]] = {}
        self._idf = self.idf.tolist()
        self._offsets = self.offsets.tolist()
        self._freq = self.freq.tolist()
        self.vocabulary = Vocabulary(self.terms, self._freq, self.ids)

    def _build(self, texts: Sequence[str], fields: Sequence[str] | None) -> None:
        n_docs = self.size
        vocabulary = _Vocabulary()
        term_of, doc_of, position = _index_words(texts, vocabulary)
        # The forward index: each text's first MAX_TEXT_POS words in order, with MAX_GAP unused slots
        # before and after each, so that looking a few words before or after any word needs no bounds.
        text_len = np.minimum(np.bincount(doc_of, minlength=n_docs), MAX_TEXT_POS)
        base = np.zeros(n_docs, dtype=np.int64)
        if n_docs:
            base[1:] = np.cumsum(text_len[:-1] + MAX_GAP)
            base += MAX_GAP
        self.base = base.astype(np.int32) if not n_docs or base[-1] < 1 << 30 else base
        forward = position < MAX_TEXT_POS
        size = int(base[-1] + text_len[-1] + MAX_GAP) if n_docs else 0
        self.forward = np.zeros(size, dtype=np.int32)  # 0: no word (the separators' number, for now)
        self.forward[base[doc_of[forward]] + position[forward]] = term_of[forward]
        del text_len, forward, base
        np.minimum(position, MAX_TEXT_POS, out=position)
        # The second field: few distinct values (speakers), each tokenised once.
        if fields is not None:
            names = list(dict.fromkeys(fields))
            self.field_id = {name: n for n, name in enumerate(names)}
            self.field_of = np.fromiter(map(self.field_id.__getitem__, fields), dtype=np.int32, count=n_docs)
            f_terms, f_name, f_pos = _index_words(names, vocabulary)
            f_terms = f_terms[np.lexsort((f_pos, f_name))]  # by value, then position
            # Each document gets its field value's words: gather them by (value, word) for every document.
            per_name = np.bincount(f_name, minlength=len(names))
            name_start = np.cumsum(per_name) - per_name
            count = per_name[self.field_of]
            f_doc = np.repeat(np.arange(n_docs, dtype=np.int64), count)
            within = np.arange(len(f_doc), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
            term_of = np.concatenate([term_of, f_terms[name_start[self.field_of[f_doc]] + within]])
            doc_of = np.concatenate([doc_of, f_doc])
            position = np.concatenate([position, FIELD_POS + np.minimum(within, POS_MASK - FIELD_POS)])
            del f_terms, f_name, f_pos, f_doc, within
        else:
            self.field_id = {}
            self.field_of = np.zeros(n_docs, dtype=np.int32)

        # Number the words in sorted order (so that a prefix is a range of numbers), in fresh memory.
        words = vocabulary.compact()
        order = sorted(range(1, len(words)), key=words.__getitem__)
        self.terms: list[str] = [words[n] for n in order]
        del words
        self.ids: dict[str, int] = {t: n for n, t in enumerate(self.terms)}
        n_terms = len(self.terms)
        narrow = n_terms < (1 << 16) - 1
        renumber = np.zeros(len(order) + 1, dtype=np.int32)
        renumber[np.asarray(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int32)
        renumber[0] = (1 << 16) - 1 if narrow else -1  # no word: the forward index's unused slots
        term_of = renumber[term_of]
        self.forward = renumber[self.forward].astype(np.uint16 if narrow else np.int32)

        # How often each word occurs: ties between equally near corrections go to the most frequent.
        self.freq = np.bincount(term_of, minlength=n_terms).astype(np.int32)
        stop = np.zeros(n_terms, dtype=bool)
        for word in STOP_WORDS:
            if word in self.ids:
                stop[self.ids[word]] = True
        keep = ~stop[term_of]
        term_of, doc_of, position = term_of[keep], doc_of[keep], position[keep]
        # Document lengths in searchable words, for BM25's length normalisation.
        doc_len = np.bincount(doc_of, minlength=n_docs).astype(np.float32)
        avg = max(float(doc_len.mean()), 1.0) if n_docs else 1.0
        length_norm = (K1 * (1 - B + B * doc_len / avg)).astype(np.float32)
        wide = n_docs >= 1 << (31 - POS_BITS)
        codes: Codes = ((doc_of << POS_BITS) | position).astype(np.int64 if wide else np.int32)
        del doc_of, position, doc_len
        # Group by term, codes ascending within each: the codes come in a few sorted runs, which a stable
        # sort merges; then a stable sort by term keeps that order.
        order_codes = np.argsort(codes, kind="stable")
        codes, term_of = codes[order_codes], term_of[order_codes]
        del order_codes
        by_term = np.argsort(term_of.astype(np.uint16) if n_terms <= 1 << 16 else term_of, kind="stable")
        codes, term_of = codes[by_term], term_of[by_term]
        del by_term
        if len(codes) > 1:  # positions clipped at the end of very long texts repeat a code: keep one
            keep = np.ones(len(codes), dtype=bool)
            keep[1:] = (codes[1:] != codes[:-1]) | (term_of[1:] != term_of[:-1])
            codes, term_of = codes[keep], term_of[keep]
        self.codes = codes
        # Words with occurrences outside the forward index (in the second field, or far into a long text).
        outside = (codes & POS_MASK) >= MAX_TEXT_POS
        self._outside = frozenset(np.unique(term_of[outside]).tolist())
        del outside
        self.offsets = np.searchsorted(term_of, np.arange(n_terms + 1)).astype(np.int64)
        # Documents per term, and BM25's tf part of each term in each document, (k1 + 1) tf / (tf + k1 *
        # length norm), held by the term's first occurrence in the document (the others hold 0).
        docs = codes >> POS_BITS
        first = np.ones(len(docs), dtype=bool)
        if len(docs) > 1:
            first[1:] = (docs[1:] != docs[:-1]) | (term_of[1:] != term_of[:-1])
        self.df = np.bincount(term_of[first], minlength=n_terms).astype(np.int32)
        firsts = np.flatnonzero(first)
        tf = np.diff(np.append(firsts, len(docs))).astype(np.float32)
        part = (K1 + 1) * tf / (tf + length_norm[docs[firsts]])
        # Kept in a byte each: 1/255 of the largest part is finer than any difference that matters.
        self.impact_step = float(part.max()) / 255 if len(part) else 1.0
        self.impact = np.zeros(len(docs), dtype=np.uint8)
        self.impact[firsts] = np.rint(part / self.impact_step).astype(np.uint8)
        self.idf = np.log1p((n_docs - self.df + 0.5) / (self.df + 0.5)).astype(np.float32)

    # ---- query words --------------------------------------------------------------------------------

    def _postings(self, term: int) -> Codes:
        return self.codes[self._offsets[term] : self._offsets[term + 1]]

    def prefixed(self, prefix: str) -> range:
        """Term numbers of the words starting with `prefix` (a slice of the sorted vocabulary)."""
        return self.vocabulary.prefixed(prefix)

    def read(self, word: str) -> tuple[str, tuple[tuple[int, float], ...]]:
        """What a query word is read as, and the (term number, weight) of the words it matches."""
        cached = self._readings.get(word)
        if cached is not None:
            return cached
        term = self.ids.get(word)
        reading: tuple[str, tuple[tuple[int, float], ...]] = (word, ())
        if term is not None:
            if self.df[term]:
                reading = (word, ((term, 1.0),))
        elif not word.isdigit():
            budget = typo_budget(word)
            near = self.vocabulary.nearest(word, budget) if budget else []
            if near:
                # The nearest words, the most frequent first; a stop word among them is read but not searched.
                ties = [t for t, d in near if d == near[0][1]][:MAX_ALTERNATIVES]
                searched = [self.ids[t] for t in ties if self.df[self.ids[t]]]
                weights = [TYPO_WEIGHT] + [ALSO_WEIGHT] * MAX_ALTERNATIVES
                reading = (ties[0], tuple(zip(searched, weights, strict=False)))
            elif len(word) >= 4:
                completions = sorted(
                    (t for t in self.prefixed(word) if self.df[t]), key=lambda t: -self._freq[t]
                )
                reading = (word, tuple((t, PREFIX_WEIGHT) for t in completions[:MAX_ALTERNATIVES]))
        if len(self._readings) >= _READING_CACHE:
            self._readings.clear()
        self._readings[word] = reading
        return reading

    def parse(self, query: str) -> ParsedQuery:
        """The query's searchable words (stop words only count in positions), each read against the vocabulary."""
        out: list[QueryWord] = []
        distinct: set[str] = set()
        for position, word in enumerate(WORD.findall(normalise(query)[:MAX_QUERY_CHARS])):
            if word in STOP_WORDS:
                continue
            if word not in distinct:
                if len(distinct) >= MAX_QUERY_WORDS:
                    continue
                distinct.add(word)
            reading, terms = self.read(word)
            out.append(QueryWord(word, position, reading, terms))
        return ParsedQuery(tuple(out))

    # ---- ranking ------------------------------------------------------------------------------------

    def scores(self, query: ParsedQuery) -> NDArray[np.float32]:
        """Every document's score for the query (zero for those matching none of its words)."""
        acc = np.zeros(self.size, dtype=np.float32)
        idf, offsets = self._idf, self._offsets
        # BM25, all the query's terms in one go (a term read from two query words counts once).
        weight_of: dict[int, float] = {}
        for w in query.words:
            for term, weight in w.terms:
                weight_of[term] = max(weight, weight_of.get(term, 0.0))
        if not weight_of:
            return acc
        spans = [(offsets[term], offsets[term + 1]) for term in weight_of]
        weights = [weight * idf[term] * self.impact_step for term, weight in weight_of.items()]
        codes = _gather(self.codes, spans)
        scale = np.asarray(weights, dtype=np.float32).repeat([hi - lo for lo, hi in spans])
        np.add.at(acc, codes >> POS_BITS, _gather(self.impact, spans) * scale)
        # Phrases: pairs of consecutive query words at the same distance in a text, one go for all pairs.
        rare: list[tuple[int, int]] = []
        expect: list[tuple[int, int, float]] = []  # (word expected, at what distance, bonus)
        outside = False
        for a, b in itertools.pairwise([w for w in query.words if w.terms]):
            gap = b.position - a.position
            if gap > MAX_GAP:
                continue
            for ta, wa in a.terms[:2]:
                for tb, wb in b.terms[:2]:
                    bonus = PHRASE_WEIGHT * (wa * idf[ta] + wb * idf[tb]) / 2
                    # Look from the occurrences of the rarer word at the forward index.
                    if offsets[ta + 1] - offsets[ta] <= offsets[tb + 1] - offsets[tb]:
                        rare.append((offsets[ta], offsets[ta + 1]))
                        expect.append((tb, gap, bonus))
                        outside = outside or ta in self._outside
                    else:
                        rare.append((offsets[tb], offsets[tb + 1]))
                        expect.append((ta, -gap, bonus))
                        outside = outside or tb in self._outside
        if rare:
            self._add_phrases(acc, rare, expect, outside)
        return acc

    def _add_phrases(
        self,
        acc: NDArray[np.float32],
        spans: list[tuple[int, int]],
        expect: list[tuple[int, int, float]],
        outside: bool,
    ) -> None:
        """Add each bonus to the documents where its word stands at its distance from an occurrence.

        `outside`: whether some of the occurrences are outside the forward index, to be left out.
        """
        codes = _gather(self.codes, spans)
        words, shifts, bonuses = zip(*expect, strict=True)
        if len(spans) == 1:
            wanted, shift, bonus = words[0], shifts[0], bonuses[0]
        else:
            lengths = [hi - lo for lo, hi in spans]
            wanted = np.asarray(words, dtype=self.forward.dtype).repeat(lengths)
            shift = np.asarray(shifts, dtype=codes.dtype).repeat(lengths)
            bonus = np.asarray(bonuses, dtype=np.float32).repeat(lengths)
        if outside:
            inside = (codes & POS_MASK) < MAX_TEXT_POS
            codes = codes[inside]
            if len(spans) > 1:
                wanted, shift, bonus = wanted[inside], shift[inside], bonus[inside]
        docs = codes >> POS_BITS
        hit = self.forward[self.base[docs] + ((codes & POS_MASK) + shift)] == wanted
        docs = docs[hit]
        once: slice | NDArray[np.bool_]
        if len(docs) < 2:
            once = slice(None)
        else:  # a phrase found twice in a text counts once: drop a hit in the same text as the one before
            first = np.ones(len(docs), dtype=bool)
            np.not_equal(docs[1:], docs[:-1], out=first[1:])
            if len(spans) > 1:
                first[1:] |= bonus[hit][1:] != bonus[hit][:-1]  # …for the same pair of words
            once = first
        if len(spans) == 1:
            np.add.at(acc, docs[once], np.full(len(docs[once]), bonus, dtype=np.float32))
        else:
            np.add.at(acc, docs[once], bonus[hit][once])

    def matches(
        self, query: ParsedQuery, share: float, *, field: str | None = None
    ) -> tuple[NDArray[np.float32], float]:
        """Every document's score (zero for those not allowed) and the score a match reaches.

        A match scores at least `share` of the best score (and more than zero). With `field`, only
        documents whose second field is `field` (a quote's speaker) are allowed.
        """
        acc = self.scores(query)
        if field is not None:
            fid = self.field_id.get(field)
            if fid is None:
                return np.zeros(self.size, dtype=np.float32), 1.0
            acc[self.field_of != fid] = 0
        best = float(acc.max()) if self.size else 0.0
        return acc, share * best if best > 0 else 1.0

    def rank(self, query: ParsedQuery, limit: int, *, field: str | None = None) -> tuple[list[T], int]:
        """The `limit` best items for the query, best first (equals in the items' order), and how many match."""
        acc, bar = self.matches(query, RELEVANT, field=field)
        above = acc >= bar
        total = int(np.count_nonzero(above))
        if not total:
            return [], 0
        if total > 4 * limit:
            # The best few are above a higher bar too: listing those is quicker than listing all.
            best = bar / RELEVANT
            for share in (0.9, 0.7, 0.5):
                higher = acc >= share * best
                if np.count_nonzero(higher) >= limit:
                    above = higher
                    break
        hits = above.nonzero()[0]
        values = acc[hits]
        if len(hits) > 4 * limit:  # those at least as good as the limit-th best, all of its equals included
            keep = values >= values[values.argpartition(len(values) - limit)[len(values) - limit]]
            hits, values = hits[keep], values[keep]
        order = np.lexsort((hits, -values))[:limit]  # equal scores: in the items' order
        items = self.items
        return [items[i] for i in hits[order].tolist()], total

    # ---- boolean matching ---------------------------------------------------------------------------

    def exact(self, word: str) -> list[int]:
        """The term number of `word` in a list: empty when no text holds it."""
        term = self.ids.get(word)
        return [term] if term is not None and self.df[term] else []

    def docs_with(self, terms: Iterable[int]) -> NDArray[np.bool_]:
        """A mask of the documents holding any of the terms."""
        mask = np.zeros(self.size, dtype=bool)
        for term in terms:
            mask[self._postings(term) >> POS_BITS] = True
        return mask

    def docs_with_prefix(self, prefix: str) -> NDArray[np.bool_]:
        """A mask of the documents holding a word starting with `prefix` (one slice of the postings)."""
        ids = self.prefixed(prefix)
        mask = np.zeros(self.size, dtype=bool)
        if ids:
            mask[self.codes[self._offsets[ids.start] : self._offsets[ids.stop]] >> POS_BITS] = True
        return mask


A = TypeVar("A", bound=np.generic)


def _gather(values: NDArray[A], spans: list[tuple[int, int]]) -> NDArray[A]:
    """The slices of `values`, one after the other."""
    if len(spans) == 1:
        return values[spans[0][0] : spans[0][1]]
    return np.concatenate([values[lo:hi] for lo, hi in spans])


def release_free_memory() -> None:
    """Give the memory freed after building back to the system (glibc keeps it otherwise); else nothing.

    Building allocates and frees large temporary arrays; glibc serves later ones from its heap and keeps
    what they freed, so the process would stay tens of MB larger than what it holds.
    """
    try:
        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
