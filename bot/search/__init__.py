"""Typo-tolerant search: an in-memory index of words, speakers, islands and articles.

The candidate step is SQLite FTS5 (bm25) over a query whose words were first corrected against the
store's vocabulary; only those few hundred candidates are re-ranked with rapidfuzz. Speakers, island
aliases and article ids are small lists held in memory, so autocomplete never touches the database.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

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


def normalise(text: str) -> str:
    """Case-folded, NFKC, without control/format characters (zero-width, bidi) and extra spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t")
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip().casefold()


def words(text: str) -> list[str]:
    """The searchable words of a query: normalised, without stop words."""
    return [w for w in _WORD.findall(normalise(text)[:MAX_QUERY_CHARS]) if w not in _STOP]


def typo_budget(word: str) -> int:
    return next(budget for length, budget in MAX_TYPOS if len(word) >= length)


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


def fts_query(terms: Iterable[str], mode: str = "AND") -> str:
    """An FTS5 query that matches the terms literally: each is quoted, so no user input is FTS syntax."""
    parts = []
    for t in terms:
        escaped = t.replace('"', '""')
        parts.append(f'"{escaped}"*' if len(t) >= 4 else f'"{escaped}"')
    return f" {mode} ".join(parts)


class SearchIndex:
    """What autocomplete and query correction need, in memory."""

    def __init__(
        self,
        vocabulary: Mapping[str, int],
        speakers: Mapping[str, int],
        gazetteer: Gazetteer,
        articles: Mapping[str, ArticleMeta],
    ) -> None:
        self.vocabulary = dict(vocabulary)
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for term in self.vocabulary:
            self._by_length[len(term)].append(term)
        self.speakers = dict(speakers)
        self._speaker_keys: list[str] = []
        self._speaker_of: list[str] = []
        for name in self.speakers:
            for key in {normalise(name), normalise(name.split()[-1])}:
                self._speaker_keys.append(key)
                self._speaker_of.append(name)
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

    # ---- words --------------------------------------------------------------------------------------

    def correct_word(self, word: str) -> str:
        """The vocabulary word closest to `word` within its typo budget, or `word` itself."""
        if word in self.vocabulary or word.isdigit():
            return word
        budget = typo_budget(word)
        if budget == 0:
            return word
        pool = [
            t for n in range(len(word) - budget, len(word) + budget + 1) for t in self._by_length.get(n, ())
        ]
        best = process.extractOne(word, pool, scorer=Levenshtein.distance, score_cutoff=budget)
        if best is None:
            return word
        # Several at the same distance: the most frequent one.
        ties = (
            [t for t in pool if Levenshtein.distance(word, t, score_cutoff=best[1]) <= best[1]]
            if best[1]
            else [best[0]]
        )
        return max(ties, key=lambda t: (self.vocabulary.get(t, 0), t))

    def correct(self, query: str) -> Correction:
        """Each query word read as the vocabulary word it most likely means."""
        original = tuple(words(query))
        return Correction(original, tuple(self.correct_word(w) for w in original))

    def suggest_words(self, query: str, limit: int = 3) -> list[str]:
        """Close vocabulary words for a query that matched nothing ('did you mean')."""
        out: list[str] = []
        for w in words(query):
            for term, _score, _ in process.extract(
                w, list(self.vocabulary), scorer=fuzz.ratio, limit=2, score_cutoff=60
            ):
                if term != w and term not in out:
                    out.append(term)
        return out[:limit]

    # ---- ranking ------------------------------------------------------------------------------------

    @staticmethod
    def rank(
        query: str,
        candidates: Sequence[tuple[int, str, float]],
        *,
        threshold: float = 50.0,
    ) -> list[tuple[int, float]]:
        """Re-rank full-text candidates by how well they match the whole query; best first."""
        q_words = [w for w in words(query)]
        q = " ".join(q_words)
        scored = []
        for n, (fid, text, _bm25) in enumerate(candidates):
            t = normalise(text)
            t_words = set(_WORD.findall(t))
            covered = sum(
                1 for w in q_words if w in t_words or any(tw.startswith(w) for tw in t_words if len(w) >= 4)
            )
            coverage = covered / len(q_words) if q_words else 0.0
            score = 0.55 * coverage * 100 + 0.45 * fuzz.partial_token_set_ratio(q, t) - n * 0.01
            if score >= threshold:
                scored.append((fid, score))
        scored.sort(key=lambda x: -x[1])
        return scored

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

    def complete_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        """Autocomplete: speakers by prefix of any name part, then by fuzzy match; most quoted first."""
        q = normalise(prefix)
        if not q:
            return list(self.speakers)[:limit]
        starts = [
            n
            for n in self.speakers
            if any(part.startswith(q) for part in normalise(n).split()) or normalise(n).startswith(q)
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
        for aid in self._article_ids:
            if normalise(aid) == q:
                return aid, []
        prefixed = [aid for aid in self._article_ids if normalise(aid).startswith(q)]
        if len(prefixed) == 1:
            return prefixed[0], []
        best = process.extract(q, self._article_keys, scorer=fuzz.partial_ratio, limit=3, score_cutoff=50)
        if best and best[0][1] >= 90 and (len(best) == 1 or best[0][1] - best[1][1] >= 5):
            return self._article_ids[best[0][2]], []
        return None, [self._article_ids[i] for _, _, i in best] or prefixed[:3]

    def complete_articles(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """Autocomplete: (label, article id) by id prefix or title words."""
        q = normalise(prefix)
        out = []
        for aid, key in zip(self._article_ids, self._article_keys, strict=True):
            if not q or q in key:
                out.append(aid)
        if len(out) < limit and q:
            for _, _, idx in process.extract(
                q, self._article_keys, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=60
            ):
                if self._article_ids[idx] not in out:
                    out.append(self._article_ids[idx])
        return [(f"{aid} · {self.articles[aid].title}", aid) for aid in out[:limit]]

    def complete_topics(self, prefix: str, limit: int = 25) -> list[str]:
        """Autocomplete for free-text topics: frequent vocabulary words that complete the last word typed."""
        ws = words(prefix)
        if not ws:
            return [t for t, _ in sorted(self.vocabulary.items(), key=lambda x: -x[1])[:limit]]
        head, last = ws[:-1], ws[-1]
        pool = [t for t in self.vocabulary if t.startswith(last)]
        if not pool:
            pool = [self.correct_word(last)] if self.correct_word(last) in self.vocabulary else []
        pool.sort(key=lambda t: -self.vocabulary[t])
        return [" ".join([*head, t]) for t in pool[:limit]]
