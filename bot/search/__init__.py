"""Typo-tolerant search: an in-memory index of words, speakers, islands and articles.

Speakers, island aliases and article ids are held in memory, so autocomplete never touches the database,
and every lookup that could grow with the corpus has its own index built once: a sorted vocabulary for
prefixes and typo correction, and trigram postings that pick the few hundred
article titles worth a fuzzy comparison. The full text of quotes and events is searched by
`bot.search.fulltext`; words, stop words and the typo budget are `bot.text`'s, and the vocabulary (with
the typo corrector) is the union of the full-text indexes' (`bot.search.vocabulary`).
"""

from __future__ import annotations

import bisect
import heapq
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.ingest.islands import Gazetteer
from bot.models import ArticleMeta
from bot.search.vocabulary import Vocabulary
from bot.text import normalise, query_words

Scorer = Callable[..., float]  # a rapidfuzz scorer, such as fuzz.partial_ratio
# Fuzzy title matching compares at most this many titles, those sharing the most trigrams with the query.
FUZZY_CANDIDATES = 400
SPEAKER_MATCHES_KEPT = 1024  # speaker queries whose matches are kept


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

    def fuzzy(self, q: str, scorer: Scorer, limit: int, cutoff: float) -> list[tuple[str, float, int]]:
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
        vocabulary: Vocabulary | Mapping[str, int],
        speakers: Mapping[str, int],
        gazetteer: Gazetteer,
        articles: Mapping[str, ArticleMeta],
        speaker_kinds: Mapping[str, str] | None = None,
    ) -> None:
        self.vocabulary = vocabulary if isinstance(vocabulary, Vocabulary) else Vocabulary.of(vocabulary)
        self._top_terms: list[str] | None = None
        self.speakers = dict(speakers)
        self.speaker_kinds = dict(speaker_kinds or {})  # "person", "role" or "organisation"
        self._speaker_keys: list[str] = []
        self._speaker_of: list[str] = []
        self._speaker_names: list[tuple[str, str, list[str]]] = []  # (name, normalised, its parts)
        # (normalised query, limit, cutoff) → its matches, oldest first.
        self._speaker_matches: dict[tuple[str, int, float], list[tuple[str, float]]] = {}
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

    def suggest_words(self, query: str, limit: int = 3) -> list[str]:
        """Close vocabulary words for a query that matched nothing ('did you mean')."""
        out: list[str] = []
        for w in query_words(query):
            if len(out) >= limit:
                break
            for term in self.vocabulary.similar(w, limit=2, cutoff=60):
                if term != w and term not in out:
                    out.append(term)
        return out[:limit]

    # ---- speakers -----------------------------------------------------------------------------------

    def match_speakers(self, query: str, limit: int = 5, cutoff: float = 75.0) -> list[tuple[str, float]]:
        """Speakers whose full name or surname is close to `query` ('Lavrow' → 'Sergey Lavrov').

        A fuzzy pass over every speaker (a millisecond in a large store); the answers to the most recent
        queries are kept, since askers and keystrokes repeat the same few names.
        """
        q = normalise(query)
        if not q:
            return []
        key = (q, limit, cutoff)
        kept = self._speaker_matches.get(key)
        if kept is None:
            kept = self._speaker_matches[key] = self._match_speakers(q, limit, cutoff)
            if len(self._speaker_matches) > SPEAKER_MATCHES_KEPT:
                del self._speaker_matches[next(iter(self._speaker_matches))]
        return list(kept)

    def _match_speakers(self, q: str, limit: int, cutoff: float) -> list[tuple[str, float]]:
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
        ws = query_words(prefix)
        vocabulary = self.vocabulary
        if not ws:
            if self._top_terms is None or len(self._top_terms) < limit:
                self._top_terms = vocabulary.most_frequent(max(limit, 25))
            return self._top_terms[:limit]
        head, last = ws[:-1], ws[-1]
        pool = [vocabulary.words[n] for n in vocabulary.prefixed(last)]  # sorted, so equals stay in order
        if not pool:
            corrected = vocabulary.correct(last)
            pool = [corrected] if corrected in vocabulary else []
        best = heapq.nsmallest(limit, pool, key=lambda t: -vocabulary.count(t))
        return [" ".join([*head, t]) for t in best]
