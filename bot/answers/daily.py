"""The daily history snippet: which facts can be posted, and the snippet for one of them."""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass

from bot.answers.base import Facts
from bot.daily.snippets import CandidatePool, SnippetCandidate
from bot.models import Event
from bot.store.reader import FactStore


@dataclass(frozen=True, slots=True)
class DailySnippet:
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
