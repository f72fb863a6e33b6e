"""Which fact a channel gets on a given day, the snippet made of it, and `/daily preview`.

`choose_snippet` is pure; `snippet_candidates` and `daily_snippet` read the fact store. The daily runner
(`bot.daily`) posts with them, and `daily_preview` answers `/daily preview [date] [timezone]` on every
surface with the same choice the runner makes for that date.
"""

from __future__ import annotations

import datetime as dt
import math
import types
import weakref
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.answers.base import Facts, QueryError
from bot.models import Event
from bot.store.reader import FactStore

# Abbreviations people type instead of IANA names. The US ones deliberately map to the DST-observing
# city zones: IANA's own "EST"/"MST" are fixed offsets and would post an hour off all summer.
TIMEZONE_ALIASES: Mapping[str, str] = types.MappingProxyType(
    {
        "UTC": "UTC",
        "GMT": "UTC",
        "Z": "UTC",
        "JST": "Asia/Tokyo",
        "MSK": "Europe/Moscow",
        "EST": "America/New_York",
        "EDT": "America/New_York",
        "CST": "America/Chicago",
        "CDT": "America/Chicago",
        "MST": "America/Denver",
        "MDT": "America/Denver",
        "PST": "America/Los_Angeles",
        "PDT": "America/Los_Angeles",
    }
)
TIMEZONE_HELP = (
    "Use an IANA name such as Asia/Tokyo, Europe/Moscow or America/New_York, or one of UTC, JST, MSK."
)
# The same advice after an unknown zone, as one sentence to translate.
UNKNOWN_ZONE = "{value} is not a timezone I know. " + TIMEZONE_HELP


def find_zone(name: str) -> ZoneInfo | None:
    """An IANA timezone name (any case) or a common abbreviation such as JST or MSK; None when unknown."""
    cleaned = name.strip()
    alias = TIMEZONE_ALIASES.get(cleaned.upper())
    if alias is not None:
        return ZoneInfo(alias)
    wanted = cleaned.replace(" ", "_").casefold()
    # Only names from the tz database are accepted: ZoneInfo would also open arbitrary relative paths.
    for known in zoneinfo.available_timezones():
        if known.casefold() == wanted:
            return ZoneInfo(known)
    return None


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


@dataclass(frozen=True, slots=True)
class DailyPreviewQuery:
    """Checked options of `/daily preview`: a local date (None: today there) and a timezone."""

    date: dt.date | None
    timezone: str = "UTC"
    now: dt.datetime | None = None  # the moment "today" is taken at (None: the real now)

    @classmethod
    def parse(
        cls, date: object = None, timezone: object = None, now: dt.datetime | None = None
    ) -> DailyPreviewQuery:
        """Check raw option values; QueryError with a friendly message when they make no sense."""
        zone_name = "UTC"
        if timezone is not None and str(timezone).strip():
            zone = find_zone(str(timezone))
            if zone is None:
                raise QueryError(UNKNOWN_ZONE, value=_echo(timezone))
            zone_name = zone.key
        day = None
        if date is not None and str(date).strip():
            try:
                day = dt.date.fromisoformat(str(date).strip())
            except ValueError:
                raise QueryError(
                    "{value} is not a date I understand. Use YYYY-MM-DD, for example 2026-10-19.",
                    value=_echo(date),
                ) from None
        return cls(day, zone_name, now)

    def local_date(self) -> dt.date:
        """The date asked for, or today in the query's timezone."""
        if self.date is not None:
            return self.date
        now = self.now or dt.datetime.now(dt.UTC)
        return now.astimezone(ZoneInfo(self.timezone)).date()


def _echo(value: object, limit: int = 40) -> str:
    shown = " ".join(str(value).split())
    return repr(shown if len(shown) <= limit else shown[: limit - 1] + "…")


@dataclass(frozen=True, slots=True)
class DailyPreviewAnswer:
    """The snippet a channel without posting history would get on a date (None: no dated events)."""

    query: DailyPreviewQuery
    local_date: dt.date
    snippet: DailySnippet | None


async def daily_preview(facts: Facts, query: DailyPreviewQuery) -> DailyPreviewAnswer:
    """The snippet for a local date, chosen as the daily runner chooses it for a channel on that date."""
    local_date = query.local_date()
    chosen = choose_snippet(await snippet_candidates(facts), local_date, {})
    snippet = await daily_snippet(facts, chosen.key, local_date) if chosen else None
    return DailyPreviewAnswer(query, local_date, snippet)
