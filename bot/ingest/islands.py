"""The island gazetteer and the matcher that finds islands named in text."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from bot.models import Island

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True, slots=True)
class IslandMention:
    start: int
    end: int
    key: str


def _is_cjk(s: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" for ch in s)


class Gazetteer:
    """Canonical islands and groups with their aliases in English, Japanese and Russian."""

    def __init__(self, islands: list[Island], patterns: dict[str, list[str]] | None = None) -> None:
        self.islands = {i.key: i for i in islands}
        alternatives: list[tuple[str, str]] = []
        for island in islands:
            for alias in (island.name, *island.aliases):
                escaped = re.escape(alias).replace(r"\ ", r"\s+")
                # "the four northern islands" also matches without "the"; CJK has no word boundaries.
                body = escaped if _is_cjk(alias) else rf"(?<![\w-]){escaped}(?![\w-])"
                alternatives.append((body, island.key))
            for extra in (patterns or {}).get(island.key, []):
                alternatives.append((rf"(?<![\w-])(?:{extra})(?![\w-])", island.key))
        # Longest alternatives first so that "southern Kuril Islands" wins over "Kuril Islands".
        alternatives.sort(key=lambda a: len(a[0]), reverse=True)
        self._keys = [key for _, key in alternatives]
        self._regex = re.compile("|".join(f"({body})" for body, _ in alternatives), re.IGNORECASE)

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        """Read `data/gazetteer.toml`."""
        raw = tomllib.loads((path or DATA_DIR / "gazetteer.toml").read_text(encoding="utf-8"))
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
        return cls(islands, {key: entry.get("patterns", []) for key, entry in raw.items()})

    def find(self, text: str) -> list[IslandMention]:
        """Every island or group named in `text`, longest match first, without overlaps."""
        out = []
        for m in self._regex.finditer(text):
            key = self._keys[m.lastindex - 1] if m.lastindex else None
            if key is not None:
                out.append(IslandMention(m.start(), m.end(), key))
        return out

    def all_names(self) -> list[tuple[str, str]]:
        """(alias, island key) for every canonical name and alias."""
        return [(alias, i.key) for i in self.islands.values() for alias in (i.name, *i.aliases)]
