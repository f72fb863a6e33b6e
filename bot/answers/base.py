"""What every answer function needs: the store and the in-memory search index, and option checking."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from bot.ingest.islands import Gazetteer
from bot.models import Event, IslandFact, Quote
from bot.search import SearchIndex
from bot.search.fulltext import TextIndex, release_free_memory
from bot.search.vocabulary import Vocabulary
from bot.store.reader import FactStore, StoreError

DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
MIN_YEAR, MAX_YEAR = 1, 9999


class QueryError(ValueError):
    """A user's option values cannot be answered; the message says why in one friendly line.

    The message is English with `{placeholders}` filled from `params`; a surface that speaks the user's
    language looks `template` up in its catalogue and fills in the same `params`.
    """

    def __init__(self, template: str, /, **params: object) -> None:
        super().__init__(template.format(**params) if params else template)
        self.template = template
        self.params = params


@dataclass(slots=True)
class Facts:
    """The open fact store, its search index and the full-text indexes of its quotes and events."""

    store: FactStore
    index: SearchIndex
    quote_index: TextIndex[Quote]  # quotes in the store's order (undated first, then by date)
    event_index: TextIndex[Event]  # events in date order
    event_years: NDArray[np.int32]  # the year of each event above, ascending
    # The facts of a group shown on a member island's page, by (island key, group name): picked out of
    # the group's once while the store is open (`bot.answers.islands`).
    derived_island_facts: dict[tuple[str, str], list[IslandFact]] = field(default_factory=dict)

    @classmethod
    async def open(cls, path: Path, gazetteer: Gazetteer | None = None) -> Facts:
        """Open the store and build its in-memory index."""
        store = await FactStore.open(path)
        try:
            quotes = await store.quotes()
            events = await store.events()
            quote_index = TextIndex(quotes, [q.text for q in quotes], [q.speaker for q in quotes])
            event_index = TextIndex(events, [e.text for e in events])
            index = SearchIndex(
                # Autocomplete and "did you mean" offer the words a search can find.
                Vocabulary.union((quote_index.vocabulary, event_index.vocabulary), _offered),
                await store.speakers(),
                gazetteer or Gazetteer.load(),
                await store.articles(),
                await store.speaker_kinds(),
            )
            facts = cls(
                store,
                index,
                quote_index,
                event_index,
                np.fromiter((e.date.year for e in events), dtype=np.int32, count=len(events)),
            )
        except BaseException as exc:
            await store.close()  # an open store's thread would keep the process from exiting
            if isinstance(exc, StoreError) or not isinstance(exc, Exception):
                raise
            raise StoreError(f"cannot read the fact store at {path}: {type(exc).__name__}: {exc}") from exc
        release_free_memory()
        return facts

    async def close(self) -> None:
        await self.store.close()


def _offered(word: str) -> bool:
    """Whether autocomplete offers a word: not a number, and long enough to be worth completing."""
    return len(word) >= 3 and not word.isdigit()


def parse_year(value: str | int | None, option: str) -> int | None:
    """A year option: an integer from 1 to 9999, or None when not given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        raise QueryError(
            "`{option}` must be a year such as 1956, not {value}.", option=option, value=repr(str(value)[:40])
        ) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise QueryError(
            "`{option}` must be a year between {first} and {last}.",
            option=option,
            first=MIN_YEAR,
            last=MAX_YEAR,
        )
    return year


def parse_limit(value: str | int | None, default: int = DEFAULT_LIMIT) -> int:
    """A result limit: a positive integer (capped), or the default."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    try:
        limit = int(str(value).strip())
    except ValueError:
        raise QueryError(
            "`limit` must be a whole number, not {value}.", value=repr(str(value)[:40])
        ) from None
    if limit < 1:
        raise QueryError("`limit` must be at least 1.")
    return min(limit, MAX_LIMIT)


def clean_text_option(value: str | None, max_chars: int = 200) -> str | None:
    """A free-text option without control characters, trimmed to a sane length; None when empty."""
    if value is None:
        return None
    text = value if value.isprintable() else "".join(ch for ch in value if ch.isprintable() or ch == " ")
    text = " ".join(text.split())[:max_chars]
    return text or None
