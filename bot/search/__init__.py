"""Typo-tolerant search: an in-memory index of words, speakers, islands and articles.

Speakers, island aliases and article ids are held in memory, so autocomplete never touches the database,
and every lookup that could grow with the corpus has its own index built once: a sorted vocabulary for
prefixes, pools of words by length for typo correction, and trigram postings that pick the few hundred
article titles worth a fuzzy comparison. The full text of quotes and events is searched by
`bot.search.fulltext`, which shares the normalisation, stop words and typo budget defined here.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.ingest.islands import Gazetteer
from bot.models import ArticleMeta

_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "and",
        "or",
        "but",
        "as",
        "is",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "that",
        "this",
        "which",
        "who",
        "it",
        "its",
        "from",
        "about",
        "what",
        "did",
        "does",
        "do",
        "said",
        "say",
        "says",
    ]
)
# Typo budget by word length, as search engines users know behave: 1 from 5 letters, 2 from 9.
MAX_TYPOS = ((9, 2), (5, 1), (0, 0))
MAX_QUERY_CHARS = 200


# Printable ASCII plus typographic quotes and dashes: NFKC and NFKD leave these unchanged, none is a
# control or combining character and case-folding only lowers ASCII letters, so for text made only of them
# normalising reduces to collapsing spaces and lower-casing. Most article text is such text.
_PLAIN = re.compile("[\t\x20-\x7e\u2018\u2019\u201c\u201d\u2013\u2014]*")
# Fuzzy title matching compares at most this many titles, those sharing the most trigrams with the query.
FUZZY_CANDIDATES = 400
_CORRECTION_CACHE = 4096


@cache
def _combining(astral: bool) -> re.Pattern[str]:
    """Characters with a combining class, as one character class built on first need.

    Only the Basic Multilingual Plane unless `astral`: a class within it compiles to a bitmap, which `re`
    tests in constant time, while ranges beyond it are tested one by one.
    """
    top = 0x110000 if astral else 0x10000
    marks = [c for c in range(top) if unicodedata.combining(chr(c))]
    ranges, start = [], marks[0]
    for prev, cur in itertools.pairwise([*marks, -1]):
        if cur != prev + 1:
            ranges.append(
                f"{re.escape(chr(start))}-{re.escape(chr(prev))}" if prev > start else re.escape(chr(start))
            )
            start = cur
    return re.compile("[" + "".join(ranges) + "]+")


def normalise(text: str) -> str:
    """Case-folded, NFKC, without control/format characters (zero-width, bidi) and extra spaces."""
    if _PLAIN.fullmatch(text):
        return " ".join(text.split()).lower()
    text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():  # printable text has no control, format or unassigned character to drop
        text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t")
    text = unicodedata.normalize("NFKD", text)
    if text and max(text) >= "\u0300":  # the first combining character is U+0300
        text = _combining(max(text) > "\uffff").sub("", text)
    return " ".join(text.split()).casefold()


def words(text: str) -> list[str]:
    """The searchable words of a query: normalised, without stop words."""
    return [w for w in _WORD.findall(normalise(text)[:MAX_QUERY_CHARS]) if w not in _STOP]


def typo_budget(word: str) -> int:
    return next(budget for length, budget in MAX_TYPOS if len(word) >= length)


def _trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


class _TitleIndex:
    """Normalised article keys with a substring scan in C and trigram postings for fuzzy candidates."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = list(keys)
        self.blob = "\n".join(self.keys)  # normalised keys hold no newline, so no match spans two keys
        self.starts: list[int] = []
        pos = 0
        for key in self.keys:
            self.starts.append(pos)
            pos += len(key) + 1
        postings: dict[str, array[int]] = defaultdict(lambda: array("I"))
        for n, key in enumerate(self.keys):
            for gram in _trigrams(key):
                postings[gram].append(n)
        self.postings = dict(postings)

    def containing(self, q: str, limit: int | None = None) -> list[int]:
        """Indexes of the keys containing `q`, in order; the first `limit` of them."""
        out: list[int] = []
        pos = self.blob.find(q)
        while pos >= 0 and (limit is None or len(out) < limit):
            n = bisect.bisect_right(self.starts, pos) - 1
            out.append(n)
            pos = self.blob.find(q, self.starts[n + 1] if n + 1 < len(self.starts) else len(self.blob))
        return out

    def candidates(self, q: str) -> list[int]:
        """Indexes (in order) of the keys that share the most trigrams with `q`: what fuzzy matching scores."""
        grams = _trigrams(q)
        if not grams or len(self.keys) <= FUZZY_CANDIDATES:
            return list(range(len(self.keys)))
        shared: Counter[int] = Counter()
        for gram in grams:
            shared.update(self.postings.get(gram, ()))
        return sorted(n for n, _ in shared.most_common(FUZZY_CANDIDATES))

    def fuzzy(self, q: str, scorer: object, limit: int, cutoff: float) -> list[tuple[str, float, int]]:
        """(key, score, index) of the best fuzzy matches among the candidates, best first."""
        picked = self.candidates(q)
        found = process.extract(
            q, [self.keys[n] for n in picked], scorer=scorer, limit=limit, score_cutoff=cutoff
        )
        return [(key, score, picked[i]) for key, score, i in found]


@dataclass(frozen=True, slots=True)
class Correction:
    """A query's words and the vocabulary words they were read as."""

    original: tuple[str, ...]
    corrected: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.original != self.corrected

    @property
    def text(self) -> str:
        return " ".join(self.corrected)


class SearchIndex:
    """What autocomplete and query correction need, in memory."""

    def __init__(
        self,
        vocabulary: Mapping[str, int],
        speakers: Mapping[str, int],
        gazetteer: Gazetteer,
        articles: Mapping[str, ArticleMeta],
        speaker_kinds: Mapping[str, str] | None = None,
    ) -> None:
        self.vocabulary = dict(vocabulary)
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for term in self.vocabulary:
            self._by_length[len(term)].append(term)
        self._pools: dict[tuple[int, int], list[str]] = {}
        self._corrections: dict[str, str] = {}
        self._terms = list(self.vocabulary)
        self._sorted_terms = sorted(self.vocabulary)
        self._top_terms: list[str] | None = None
        self.speakers = dict(speakers)
        self.speaker_kinds = dict(speaker_kinds or {})  # "person", "role" or "organisation"
        self._speaker_keys: list[str] = []
        self._speaker_of: list[str] = []
        self._speaker_names: list[tuple[str, str, list[str]]] = []  # (name, normalised, its parts)
        for name in self.speakers:
            for key in {normalise(name), normalise(name.split()[-1])}:
                self._speaker_keys.append(key)
                self._speaker_of.append(name)
            full = normalise(name)
            self._speaker_names.append((name, full, full.split()))
        self.gazetteer = gazetteer
        self._alias_keys: list[str] = []
        self._alias_of: list[tuple[str, str]] = []  # (island key, alias as written)
        for alias, key in gazetteer.all_names():
            self._alias_keys.append(normalise(alias))
            self._alias_of.append((key, alias))
        self.articles = dict(articles)
        self._article_keys = [
            normalise(f"{a.article_id} {a.title} {a.outlet or ''}") for a in articles.values()
        ]
        self._article_ids = list(articles)
        self._titles = _TitleIndex(self._article_keys)
        self._id_of: dict[str, str] = {}
        for aid in self._article_ids:
            self._id_of.setdefault(normalise(aid), aid)
        self._sorted_ids = sorted((normalise(aid), n) for n, aid in enumerate(self._article_ids))

    # ---- words --------------------------------------------------------------------------------------

    def correct_word(self, word: str) -> str:
        """The vocabulary word closest to `word` within its typo budget, or `word` itself."""
        if word in self.vocabulary or word.isdigit():
            return word
        budget = typo_budget(word)
        if budget == 0:
            return word
        cached = self._corrections.get(word)
        if cached is not None:
            return cached
        found = process.extract(
            word, self._pool(len(word), budget), scorer=Levenshtein.distance, score_cutoff=budget, limit=None
        )
        best = word
        if found:
            # Several at the same distance: the most frequent one.
            nearest = min(d for _, d, _ in found)
            ties = [t for t, d, _ in found if d == nearest]
            best = max(ties, key=lambda t: (self.vocabulary.get(t, 0), t))
        if len(self._corrections) >= _CORRECTION_CACHE:
            self._corrections.clear()
        self._corrections[word] = best
        return best

    def _pool(self, length: int, budget: int) -> list[str]:
        """Vocabulary words whose length is within `budget` of `length`: the only ones that can be close."""
        key = (length, budget)
        if key not in self._pools:
            self._pools[key] = [
                t for n in range(length - budget, length + budget + 1) for t in self._by_length.get(n, ())
            ]
        return self._pools[key]

    def suggest_words(self, query: str, limit: int = 3) -> list[str]:
        """Close vocabulary words for a query that matched nothing ('did you mean')."""
        out: list[str] = []
        for w in words(query):
            if len(out) >= limit:
                break
            for term, _score, _ in process.extract(
                w, self._terms, scorer=fuzz.ratio, limit=2, score_cutoff=60
            ):
                if term != w and term not in out:
                    out.append(term)
        return out[:limit]

    # ---- speakers -----------------------------------------------------------------------------------

    def match_speakers(self, query: str, limit: int = 5, cutoff: float = 75.0) -> list[tuple[str, float]]:
        """Speakers whose full name or surname is close to `query` ('Lavrow' → 'Sergey Lavrov')."""
        q = normalise(query)
        if not q:
            return []
        hits: dict[str, float] = {}
        for key, score, idx in process.extract(
            q, self._speaker_keys, scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=cutoff
        ):
            # WRatio is lenient; confirm with a plain ratio on the best-aligned part.
            strict = max(fuzz.ratio(q, key), fuzz.partial_ratio(q, key) if len(q) >= 4 else 0)
            if strict >= cutoff:
                name = self._speaker_of[idx]
                hits[name] = max(hits.get(name, 0.0), min(score, strict))
        return sorted(hits.items(), key=lambda x: (-x[1], -self.speakers.get(x[0], 0)))[:limit]

    def speaker_label(self, name: str) -> str:
        """How autocomplete shows a speaker: 'Sergey Lavrov (12 quotes)', 'Russian Foreign Ministry
        (organisation, 3 quotes)'."""
        n = self.speakers.get(name, 0)
        count = f"{n} quote" + ("" if n == 1 else "s")
        kind = self.speaker_kinds.get(name, "person")
        return f"{name} ({count})" if kind == "person" else f"{name} ({kind}, {count})"

    def complete_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        """Autocomplete: speakers by prefix of any name part, then by fuzzy match; most quoted first."""
        q = normalise(prefix)
        if not q:
            return list(self.speakers)[:limit]
        starts = [
            n
            for n, full, parts in self._speaker_names
            if full.startswith(q) or any(p.startswith(q) for p in parts)
        ]
        fuzzy = [n for n, _ in self.match_speakers(prefix, limit=limit, cutoff=60) if n not in starts]
        return (starts + fuzzy)[:limit]

    # ---- islands ------------------------------------------------------------------------------------

    def match_island(self, query: str, cutoff: float = 80.0) -> tuple[str | None, list[str]]:
        """(island key, []) for a name or alias, typos allowed; (None, suggestions) when nothing is close."""
        q = normalise(query)
        if not q:
            return None, [i.name for i in self.gazetteer.islands.values()][:5]
        stripped = re.sub(r"\b(?:island|islands|isl|is|the)\b\.?", "", q).strip() or q
        for candidate in (q, stripped):
            if candidate in self._alias_keys:
                return self._alias_of[self._alias_keys.index(candidate)][0], []
        best = process.extract(stripped, self._alias_keys, scorer=fuzz.ratio, limit=8)
        if best and best[0][1] >= cutoff:
            return self._alias_of[best[0][2]][0], []
        suggestions: list[str] = []
        for _, score, idx in best:
            name = self.gazetteer.islands[self._alias_of[idx][0]].name
            if score >= 40 and name not in suggestions:
                suggestions.append(name)
        return None, suggestions[:3]

    def complete_islands(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """Autocomplete: (label, island key) over canonical names and every alias in any script."""
        q = normalise(prefix)
        out: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()

        def add(key: str, alias: str) -> None:
            island = self.gazetteer.islands[key]
            label = island.name if normalise(alias) == normalise(island.name) else f"{alias} → {island.name}"
            if (label, key) not in seen:
                seen.add((label, key))
                out.append((label, key))

        if not q:
            for island in self.gazetteer.islands.values():
                add(island.key, island.name)
            return out[:limit]
        for alias_key, (key, alias) in zip(self._alias_keys, self._alias_of, strict=True):
            if alias_key.startswith(q) or any(part.startswith(q) for part in alias_key.split()):
                add(key, alias)
        for _, _score, idx in process.extract(
            q, self._alias_keys, scorer=fuzz.ratio, limit=10, score_cutoff=60
        ):
            add(*self._alias_of[idx])
        return out[:limit]

    # ---- articles -----------------------------------------------------------------------------------

    def match_article(self, query: str) -> tuple[str | None, list[str]]:
        """An article id from an id, an id prefix or a title; suggestions when nothing is close."""
        q = normalise(query)
        if not q:
            return None, self._article_ids[:5]
        if q in self._id_of:
            return self._id_of[q], []
        prefixed = self._prefixed_ids(q)
        if len(prefixed) == 1:
            return prefixed[0], []
        best = self._titles.fuzzy(q, fuzz.partial_ratio, 3, 50)
        if best and best[0][1] >= 90 and (len(best) == 1 or best[0][1] - best[1][1] >= 5):
            return self._article_ids[best[0][2]], []
        return None, [self._article_ids[i] for _, _, i in best] or prefixed[:3]

    def _prefixed_ids(self, q: str) -> list[str]:
        """Article ids starting with `q`, in article order."""
        lo = bisect.bisect_left(self._sorted_ids, (q,))
        hits = []
        for key, n in self._sorted_ids[lo:]:
            if not key.startswith(q):
                break
            hits.append(n)
        return [self._article_ids[n] for n in sorted(hits)]

    def complete_articles(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """Autocomplete: (label, article id) by id prefix or title words."""
        q = normalise(prefix)
        if not q:
            out = self._article_ids[:limit]
        else:
            out = [self._article_ids[n] for n in self._titles.containing(q, limit)]
        if len(out) < limit and q:
            for _, _, idx in self._titles.fuzzy(q, fuzz.partial_ratio, limit, 60):
                if self._article_ids[idx] not in out:
                    out.append(self._article_ids[idx])
        return [(f"{aid} · {self.articles[aid].title}", aid) for aid in out[:limit]]

    def complete_topics(self, prefix: str, limit: int = 25) -> list[str]:
        """Autocomplete for free-text topics: frequent vocabulary words that complete the last word typed."""
        ws = words(prefix)
        if not ws:
            if self._top_terms is None or len(self._top_terms) < limit:
                ranked = sorted(self.vocabulary.items(), key=lambda x: -x[1])
                self._top_terms = [t for t, _ in ranked[: max(limit, 25)]]
            return self._top_terms[:limit]
        head, last = ws[:-1], ws[-1]
        # The vocabulary comes sorted by term, so taking the prefix range of the sorted list keeps its order.
        lo = bisect.bisect_left(self._sorted_terms, last)
        hi = bisect.bisect_left(self._sorted_terms, last + "\U0010ffff")
        pool = self._sorted_terms[lo:hi]
        if not pool:
            pool = [self.correct_word(last)] if self.correct_word(last) in self.vocabulary else []
        best = heapq.nsmallest(limit, pool, key=lambda t: -self.vocabulary[t])
        return [" ".join([*head, t]) for t in best]
