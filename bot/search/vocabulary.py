"""Words with how often they occur, and the one typo corrector.

Each full-text index has the vocabulary of its texts, and the search index (autocomplete, "did you mean")
has the union of theirs, so a word is corrected the same way wherever it is typed.

Words are kept sorted, so the words starting with a prefix are one range. Typo correction compares a
word only with vocabulary words sharing its first or last half (first or last third when two typos are
allowed): one typo leaves one half intact.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.text import typo_budget

_HIGHEST = "\U0010ffff"


class Vocabulary:
    """Sorted words, their numbers (positions) and how often each occurs."""

    def __init__(self, words: Sequence[str], freq: Sequence[int], ids: dict[str, int] | None = None) -> None:
        """`words` sorted, `freq` in the same order; `ids` maps each word to its position, when made already."""
        self.words = list(words)
        self.freq = list(freq)
        self.ids = ids if ids is not None else {w: n for n, w in enumerate(self.words)}
        self._by_length: dict[int, list[str]] | None = None
        self._reversed: dict[int, list[str]] = {}

    @classmethod
    def of(cls, counts: Mapping[str, int]) -> Vocabulary:
        """The vocabulary of words with these counts."""
        words = sorted(counts)
        return cls(words, [counts[w] for w in words])

    @classmethod
    def union(cls, vocabularies: Iterable[Vocabulary], include: Callable[[str], bool]) -> Vocabulary:
        """The words of several vocabularies that `include` accepts, their counts added up."""
        counts: dict[str, int] = {}
        for vocabulary in vocabularies:
            for word, n in zip(vocabulary.words, vocabulary.freq, strict=True):
                if include(word):
                    counts[word] = counts.get(word, 0) + n
        return cls.of(counts)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.ids

    def count(self, word: str) -> int:
        """How often `word` occurs (0 when it is not a vocabulary word)."""
        n = self.ids.get(word)
        return 0 if n is None else self.freq[n]

    def prefixed(self, prefix: str) -> range:
        """Numbers of the words starting with `prefix`."""
        lo = bisect.bisect_left(self.words, prefix)
        return range(lo, bisect.bisect_left(self.words, prefix + _HIGHEST, lo))

    def most_frequent(self, limit: int) -> list[str]:
        """The `limit` most frequent words (equals in sorted order)."""
        order = sorted(range(len(self.words)), key=lambda n: -self.freq[n])
        return [self.words[n] for n in order[:limit]]

    def nearest(self, word: str, budget: int) -> list[tuple[str, int]]:
        """Vocabulary words within `budget` edits of `word`, nearest then most frequent first.

        Only words sharing the first or last half of `word` (third, with two edits) are compared: one
        edit leaves one half intact, two edits one of the outer thirds, unless one edit is in each; so
        with two edits a few words are missed.
        """
        by_length = self._lengths()
        n = len(word)
        piece = n // 2 if budget == 1 else n // 3
        head = word[:piece]
        tail = word[piece:][::-1] if budget == 1 else word[n - piece :][::-1]
        pool: set[str] = set()
        for length in range(n - budget, n + budget + 1):
            same = by_length.get(length)
            if not same:
                continue
            lo = bisect.bisect_left(same, head)
            pool.update(same[lo : bisect.bisect_left(same, head + _HIGHEST, lo)])
            backwards = self._reversed[length]
            lo = bisect.bisect_left(backwards, tail)
            pool.update(t[::-1] for t in backwards[lo : bisect.bisect_left(backwards, tail + _HIGHEST, lo)])
        pool.discard(word)
        found = process.extract(
            word, list(pool), scorer=Levenshtein.distance, score_cutoff=budget, limit=None
        )
        freq, ids = self.freq, self.ids
        return sorted(((t, int(d)) for t, d, _ in found), key=lambda x: (x[1], -freq[ids[x[0]]], x[0]))

    def correct(self, word: str) -> str:
        """The vocabulary word `word` most likely means: itself when known (or a number, or too short to
        hold a typo), else the nearest within its typo budget, else itself."""
        if word in self.ids or word.isdigit():
            return word
        budget = typo_budget(word)
        near = self.nearest(word, budget) if budget else []
        return near[0][0] if near else word

    def similar(self, word: str, limit: int, cutoff: float) -> list[str]:
        """Words that look like `word` (rapidfuzz ratio at least `cutoff`), best first: for 'did you mean'."""
        return [
            t
            for t, _, _ in process.extract(
                word, self.words, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff
            )
        ]

    def _lengths(self) -> dict[int, list[str]]:
        """Words by length, sorted, and reversed for suffixes: made on the first correction."""
        if self._by_length is None:
            by_length: dict[int, list[str]] = {}
            for term in self.words:
                by_length.setdefault(len(term), []).append(term)  # sorted, as the words are
            self._reversed = {n: sorted(t[::-1] for t in same) for n, same in by_length.items()}
            self._by_length = by_length
        return self._by_length
