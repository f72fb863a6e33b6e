"""Which fact a channel gets on a given day, and the snippet made of it.

`choose_snippet` is pure; `snippet_candidates` and `daily_snippet` read the fact store.
"""

from __future__ import annotations

import datetime as dt
import math
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from bot.answers import Facts
from bot.models import Event
from bot.store.reader import FactStore


@dataclass(frozen=True, slots=True)
class SnippetCandidate:
    """A fact that can be posted: a stable key (e.g. 'event:12') and its month-day if it has one."""

    key: str
    month_day: tuple[int, int] | None = None


class CandidatePool(Sequence[SnippetCandidate]):
    """Candidates sorted by key and grouped by month-day, so a day's choice needs no scan of them all."""

    __slots__ = ("_by_day", "_items")

    def __init__(self, candidates: Iterable[SnippetCandidate]) -> None:
        self._items = sorted(candidates, key=lambda c: c.key)
        self._by_day: dict[tuple[int, int], list[SnippetCandidate]] = {}
        for c in self._items:
            if c.month_day is not None:
                self._by_day.setdefault(c.month_day, []).append(c)

    def on_day(self, month_day: tuple[int, int]) -> list[SnippetCandidate]:
        return self._by_day.get(month_day, [])

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, n: int) -> SnippetCandidate:  # type: ignore[override]
        return self._items[n]

    def __iter__(self) -> Iterator[SnippetCandidate]:
        return iter(self._items)


def choose_snippet(
    candidates: Sequence[SnippetCandidate],
    local_date: dt.date,
    last_posted: Mapping[str, dt.datetime],
) -> SnippetCandidate | None:
    """Pick the day's fact: an on-this-day fact if any, else the least recently posted one.

    Within either group, facts never posted come first, then the one posted longest ago; ties go to the
    smaller key so the choice is deterministic. Cycling least-recently-posted means no fact repeats until
    every fact has been used.
    """
    today = (local_date.month, local_date.day)
    if isinstance(candidates, CandidatePool):
        pool: Sequence[SnippetCandidate] = candidates.on_day(today) or candidates
        # Sorted by key: the first never posted is the choice, found without looking at the rest.
        fresh = next((c for c in pool if c.key not in last_posted), None)
        if fresh is not None:
            return fresh
    else:
        pool = [c for c in candidates if c.month_day == today] or list(candidates)
    if not pool:
        return None

    def staleness(candidate: SnippetCandidate) -> tuple[float, str]:
        posted = last_posted.get(candidate.key)
        return (-math.inf if posted is None else posted.timestamp(), candidate.key)

    return min(pool, key=staleness)


@dataclass(frozen=True, slots=True)
class DailySnippet:
    """The fact posted for one local date; `on_this_day` when it happened on that month and day."""

    event: Event
    on_this_day: bool
    local_date: dt.date
    key: str


_POOLS: weakref.WeakKeyDictionary[FactStore, CandidatePool] = weakref.WeakKeyDictionary()


async def snippet_candidates(facts: Facts) -> CandidatePool:
    """Every dated event; day-precise ones carry their month-day for "on this day".

    A store never changes once opened, so its candidates are gathered once and indexed by day.
    """
    pool = _POOLS.get(facts.store)
    if pool is None:
        pool = CandidatePool(
            SnippetCandidate(f"event:{fid}", (month, day) if month and day else None)
            for fid, month, day in await facts.store.event_keys()
        )
        _POOLS[facts.store] = pool
    return pool


async def daily_snippet(facts: Facts, key: str, local_date: dt.date) -> DailySnippet | None:
    """The snippet for a chosen candidate key, or None when the fact is gone (the store was rebuilt)."""
    kind, _, raw_id = key.partition(":")
    if kind != "event" or not raw_id.isdigit():
        return None
    found = await facts.store.events(ids=[int(raw_id)])
    if not found:
        return None
    event = found[0]
    on_this_day = event.date.day is not None and (event.date.month, event.date.day) == (
        local_date.month,
        local_date.day,
    )
    return DailySnippet(event, on_this_day, local_date, key)
