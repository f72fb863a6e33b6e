"""The island gazetteer and the matcher that finds islands named in text."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from bot.bundled import data_file
from bot.ingest.needles import Needles, required_literal
from bot.models import Island

# Compiled narrowed expressions kept per gazetteer: a few dozen sets of alternatives cover real text.
_NARROWED_MAX = 1024
# Texts whose islands a gazetteer remembers.
_FOUND_MAX = 50_000


@dataclass(frozen=True, slots=True)
class IslandMention:
    start: int
    end: int
    key: str


def _is_cjk(s: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" for ch in s)


# Words nearly every sentence of this corpus holds: an alias is looked for only where its name word is.
_COMMON_WORDS = frozenset({"island", "islands", "islet", "islets", "the", "остров"})


def _needle_word(alias: str) -> str | None:
    """The word of `alias` that texts are tested for: its longest word, but not a word like "Island"."""
    words = alias.split()
    return max((w for w in words if w.lower() not in _COMMON_WORDS), key=len, default=None) or max(
        words, key=len, default=None
    )


class Gazetteer:
    """Canonical islands and groups with their aliases in English, Japanese and Russian."""

    def __init__(
        self,
        islands: list[Island],
        patterns: dict[str, list[str]] | None = None,
        islets: dict[str, list[str]] | None = None,
    ) -> None:
        self.islands = {i.key: i for i in islands}
        # Islets are matched and looked up like aliases but are not shown as other names of their group.
        self._islets = {key: tuple(names) for key, names in (islets or {}).items()}
        # (pattern, island key, a word every match contains or None)
        alternatives: list[tuple[str, str, str | None]] = []
        for island in islands:
            for alias in (island.name, *island.aliases, *self._islets.get(island.key, ())):
                escaped = re.escape(alias).replace(r"\ ", r"\s+")
                # "the four northern islands" also matches without "the"; CJK has no word boundaries.
                body = escaped if _is_cjk(alias) else rf"(?<![\w-]){escaped}(?![\w-])"
                alternatives.append((body, island.key, _needle_word(alias)))
            for extra in (patterns or {}).get(island.key, []):
                alternatives.append((rf"(?<![\w-])(?:{extra})(?![\w-])", island.key, required_literal(extra)))
        # Longest alternatives first so that "southern Kuril Islands" wins over "Kuril Islands".
        alternatives.sort(key=lambda a: len(a[0]), reverse=True)
        self._bodies = [body for body, _, _ in alternatives]
        self._keys = [key for _, key, _ in alternatives]
        self._regex = re.compile("|".join(f"({body})" for body in self._bodies), re.IGNORECASE)
        # A text is only searched with the alternatives whose word it contains (see bot.ingest.needles).
        self._needles = Needles(word for _, _, word in alternatives if word)
        self._words = [word.lower() if word else None for _, _, word in alternatives]
        # Which words a text holds, tested cheaply: a word holding a shorter one ("kurils", "shibotsu-to")
        # only where the shorter is, and words in other scripts only in a text that is not all ASCII.
        distinct = sorted({w for w in self._words if w}, key=len)
        self._within: dict[str, list[str]] = {}
        roots: list[str] = []
        for i, word in enumerate(distinct):
            inner = next((v for v in reversed(distinct[:i]) if v in word), None)
            (self._within.setdefault(inner, []) if inner else roots).append(word)
        self._ascii_roots = tuple(w for w in roots if w.isascii())
        self._other_roots = tuple(w for w in roots if not w.isascii())
        self._narrowed: dict[frozenset[str], tuple[re.Pattern[str], list[str]] | None] = {}
        self._found: dict[str, tuple[IslandMention, ...]] = {}

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        """Read `data/gazetteer.toml`."""
        raw = tomllib.loads((path or data_file("gazetteer.toml")).read_text(encoding="utf-8"))
        islands = [
            Island(
                key=key,
                name=entry["name"],
                kind=entry.get("kind", "island"),
                aliases=tuple(a for a in entry.get("aliases", []) if a != entry["name"]),
                summary=entry.get("summary", ""),
                members=tuple(entry.get("members", [])),
            )
            for key, entry in raw.items()
        ]
        return cls(
            islands,
            {key: entry.get("patterns", []) for key, entry in raw.items()},
            {key: entry.get("islets", []) for key, entry in raw.items()},
        )

    def find(self, text: str) -> list[IslandMention]:
        """Every island or group named in `text`, longest match first, without overlaps."""
        # News repeats sentences (agency copy, background paragraphs): the answer for a sentence is kept.
        found = self._found.get(text)
        if found is None:
            if len(self._found) >= _FOUND_MAX:
                self._found.clear()
            found = self._found[text] = tuple(self._find(text))
        return list(found)

    def _find(self, text: str) -> list[IslandMention]:
        regex, keys = self._regex, self._keys
        folded = self._needles.fold(text)
        if folded is not None:
            # Alternatives whose word is not in the text cannot match, so leaving them out changes nothing.
            present = self._present(folded)
            try:
                narrowed = self._narrowed[present]
            except KeyError:
                narrowed = self._narrowed[present] = self._narrow(present)
            if narrowed is None:
                return []
            regex, keys = narrowed
        out = []
        for m in regex.finditer(text):
            key = keys[m.lastindex - 1] if m.lastindex else None
            if key is not None:
                out.append(IslandMention(m.start(), m.end(), key))
        return out

    def _present(self, folded: str) -> frozenset[str]:
        """The needle words that the lower-cased text holds."""
        found = [w for w in self._ascii_roots if w in folded]
        if not folded.isascii():
            found += [w for w in self._other_roots if w in folded]
        within = self._within
        for word in found:  # grows while it is read: words within words
            longer = within.get(word)
            if longer:
                found += [w for w in longer if w in folded]
        return frozenset(found)

    def _narrow(self, present: frozenset[str]) -> tuple[re.Pattern[str], list[str]] | None:
        """The expression of the alternatives that can match a text containing just the words `present`."""
        if len(self._narrowed) >= _NARROWED_MAX:
            self._narrowed.clear()
        chosen = [i for i, word in enumerate(self._words) if word is None or word in present]
        if not chosen:
            return None
        regex = re.compile("|".join(f"({self._bodies[i]})" for i in chosen), re.IGNORECASE)
        return regex, [self._keys[i] for i in chosen]

    def all_names(self) -> list[tuple[str, str]]:
        """(alias, island key) for every canonical name, alias and islet of a group."""
        return [
            (alias, i.key)
            for i in self.islands.values()
            for alias in (i.name, *i.aliases, *self._islets.get(i.key, ()))
        ]
