"""Read-only access to a built fact store.

A store file never changes once built (a rebuild swaps in a new file), so the facts are read once, when
the store is opened, into lists already in the order every question asks for: years, speakers and islands
are then a bisection or a dictionary look-up, never a query that materialises thousands of rows.

Citations are the exception: at 10,000 articles there are 345k of them, with their passages more than
the facts themselves, and an answer shows a handful. A fact reads its citations from the store when they
are asked for (one indexed look-up of a few rows), and recently used ones are kept.
"""

from __future__ import annotations

import asyncio
import bisect
import gc
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self, cast

import aiosqlite

from bot.models import ArticleMeta, Citation, Event, IslandFact, PartialDate, Quote
from bot.store import integrity
from bot.store.schema import SCHEMA_VERSION

log = logging.getLogger(__name__)


class StoreError(RuntimeError):
    """The store is missing, unreadable or of another schema version; the message is one line."""


class StoreDamaged(StoreError):
    """The store's bytes are not those its build wrote."""


@dataclass(frozen=True, slots=True)
class StoreCounts:
    articles: int
    quotes: int
    events: int
    island_facts: int
    sources: int


_FETCH = 20_000  # rows per fetch while loading: bounds the memory of the rows in flight
# A fact's citations, each with whether its excerpt is exactly the article's text at its offsets (SQLite's
# substr counts characters, as Python's slices do).
_CITED = (
    'SELECT s.article_id, s.start, s."end", s.excerpt, '
    's.start >= 0 AND s."end" >= s.start AND substr(a.text, s.start + 1, s."end" - s.start) = s.excerpt '
    "FROM sources s JOIN articles a ON a.id = s.article_id WHERE s.fact_kind = ? AND s.fact_id = ?"
)
_LAST_ORD = "SELECT ord FROM sources WHERE fact_kind = ? AND fact_id = ? ORDER BY ord DESC LIMIT 1"
_CITED_CACHE = 8_192  # facts whose citations are kept after use
_HEADS_CACHED = 2_048  # facts with many citations whose first few are kept after use


class _Citations:
    """Reads a fact's citations from the store on demand; a small cache keeps the recently used ones.

    A plain `sqlite3` connection: the look-up is a primary-key range of a few rows (tens of
    microseconds), cheaper than a hop to aiosqlite's thread, and it is needed from synchronous code
    (the renderers). The file is immutable while open, so reads need no coordination beyond the lock
    that keeps the connection to one thread at a time.
    """

    def __init__(self, path: Path, articles: dict[str, ArticleMeta]) -> None:
        self._db = sqlite3.connect(f"file:{path}?immutable=1", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._articles = articles
        self._cache: OrderedDict[tuple[str, int], tuple[Citation, ...]] = OrderedDict()
        # The first k citations and the count of facts with more than k, by (kind, fact id, k): the facts
        # many articles repeat are the ones most answers show.
        self._heads: OrderedDict[tuple[str, int, int], tuple[tuple[Citation, ...], int]] = OrderedDict()

    def of(self, kind: str, fact_id: int) -> tuple[Citation, ...]:
        key = (kind, fact_id)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
            rows = self._db.execute(_CITED + " ORDER BY s.ord", key).fetchall()
            found = self._exact(rows)
            self._cache[key] = found
            if len(self._cache) > _CITED_CACHE:
                self._cache.popitem(last=False)
            return found

    def first(self, kind: str, fact_id: int, k: int) -> tuple[tuple[Citation, ...], int]:
        """The first `k` citations of a fact and how many it has, without reading all of them."""
        with self._lock:
            found = self._cache.get((kind, fact_id))
            if found is not None:
                return found[:k], len(found)
            head = self._heads.get((kind, fact_id, k))
            if head is not None:
                self._heads.move_to_end((kind, fact_id, k))
                return head
            # A build numbers a fact's citations 0, 1, 2, … (`ord`), so the last number tells how many there
            # are: one step down the primary key, where count(*) reads every row (thousands of excerpts for
            # an event many articles cite).
            last = self._db.execute(_LAST_ORD, (kind, fact_id)).fetchone()
            total = last[0] + 1 if last is not None else 0
            if total <= k:
                pass  # all of them: read (and cache) below
            else:
                rows = self._db.execute(_CITED + " ORDER BY s.ord LIMIT ?", (kind, fact_id, k)).fetchall()
                head = self._exact(rows), total
                self._heads[(kind, fact_id, k)] = head
                if len(self._heads) > _HEADS_CACHED:
                    self._heads.popitem(last=False)
                return head
        return self.of(kind, fact_id), total

    def _exact(self, rows: list[tuple[str, int, int, str, int]]) -> tuple[Citation, ...]:
        """The citations whose excerpt is exactly their article's text at their offsets; any other is
        dropped and logged (the store was checked when opened, so this means it changed on disk since)."""
        out = []
        for article_id, start, end, excerpt, exact in rows:
            if exact and article_id in self._articles:
                out.append(Citation.of(self._articles[article_id], start, end, excerpt))
            else:
                log.error(
                    "citation of %s at %d-%d does not match its article; not shown", article_id, start, end
                )
        return tuple(out)

    def close(self) -> None:
        with self._lock:
            self._db.close()


# The store's facts: the same fields as the models, with `sources` read when asked for. Each keeps the
# slot of the field it replaces empty, so it costs one pointer more than a fact holding a tuple.


class _ReadsItsSources:
    """What the stored facts share: `sources` and `first_sources` read through the store's `_Citations`."""

    __slots__ = ()
    _KIND: str
    _cited: _Citations
    fact_id: int

    def _set(self, **fields: object) -> None:
        for name, value in fields.items():
            object.__setattr__(self, name, value)  # the models are frozen

    @property
    def sources(self) -> tuple[Citation, ...]:
        return self._cited.of(self._KIND, self.fact_id)

    def first_sources(self, k: int) -> tuple[tuple[Citation, ...], int]:
        return self._cited.first(self._KIND, self.fact_id, k)


class _StoredEvent(_ReadsItsSources, Event):
    __slots__ = ("_cited",)
    _KIND = "event"

    def __init__(self, date: PartialDate, text: str, fact_id: int, cited: _Citations) -> None:
        self._set(date=date, text=text, fact_id=fact_id, _cited=cited)


class _StoredQuote(_ReadsItsSources, Quote):
    __slots__ = ("_cited",)
    _KIND = "quote"

    def __init__(
        self,
        text: str,
        speaker: str,
        partial: bool,
        date: PartialDate | None,
        fact_id: int,
        cited: _Citations,
        speaker_kind: str,
        speaker_description: str | None,
    ) -> None:
        self._set(
            text=text,
            speaker=speaker,
            partial=partial,
            date=date,
            fact_id=fact_id,
            _cited=cited,
            speaker_kind=speaker_kind,
            speaker_description=speaker_description,
        )


class _StoredIslandFact(_ReadsItsSources, IslandFact):
    __slots__ = ("_cited",)
    _KIND = "island"

    def __init__(
        self, island: str, text: str, date: PartialDate | None, fact_id: int, cited: _Citations
    ) -> None:
        self._set(island=island, text=text, date=date, fact_id=fact_id, _cited=cited)


@dataclass(slots=True)
class _Facts:
    """Every fact of the store, in the orders the questions need."""

    events: list[Event] = field(default_factory=list)  # by (sort_key, id)
    event_years: list[int] = field(default_factory=list)  # year of each event above
    event_at: dict[int, int] = field(default_factory=dict)  # event id -> position above
    on_day: dict[tuple[int, int], list[int]] = field(default_factory=dict)  # (month, day) -> positions
    event_keys: list[tuple[int, int | None, int | None]] = field(default_factory=list)  # by id
    quotes: list[Quote] = field(default_factory=list)  # by (sort_key, id), undated first
    quote_by_id: dict[int, Quote] = field(default_factory=dict)
    by_speaker: dict[str, list[Quote]] = field(default_factory=dict)
    islands: dict[str, list[IslandFact]] = field(default_factory=dict)  # dated by date, then undated
    speakers: dict[str, int] = field(default_factory=dict)
    speaker_kinds: dict[str, str] = field(default_factory=dict)  # "person", "role" or "organisation"


def freeze_loaded_facts() -> None:
    """Move every object alive now (the facts just loaded) out of the garbage collector's reach.

    Call once, after opening the store in a long-running process. The facts never change while the
    store is open; without this each full collection walks all of them (~0.2 s at 10,000 articles)
    while every interaction waits.
    """
    gc.collect()
    gc.freeze()


class FactStore:
    """A read-only connection to the fact store.

    The file is opened immutable: builds never change it in place (they swap in a new file), so readers
    need no locks, and a reader keeps the store it opened until it reopens.
    """

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path
        self._articles: dict[str, ArticleMeta] | None = None
        self._facts: _Facts | None = None
        self._counts: StoreCounts | None = None
        self._loading = asyncio.Lock()
        self._cited: _Citations | None = None
        self.store_id = ""  # the checksum its build sealed into it (`integrity.seal_id`), read when opened

    @classmethod
    async def open(cls, path: Path) -> FactStore:
        """Open the store at `path`; StoreError when it is missing, damaged or of another schema version.

        Every byte is checked against the checksum the build sealed it with before anything is read: a
        damaged store is refused, never served (the build rebuilds it; see `build_store`).
        """
        if not path.is_file():
            raise StoreError(f"no fact store at {path}; run `factbot build` first")
        try:
            await asyncio.to_thread(integrity.check, path)
        except integrity.DamagedStore as exc:
            raise StoreDamaged(
                f"the fact store at {path} is damaged: {exc}; rebuild it with `factbot build --force`"
            ) from exc
        except OSError as exc:
            raise StoreError(f"cannot read the fact store at {path}: {exc.strerror or exc}") from exc
        try:
            db = await aiosqlite.connect(f"file:{path}?immutable=1", uri=True)
        except aiosqlite.Error as exc:
            raise StoreError(f"cannot open the fact store at {path}: {exc}") from exc
        store = cls(db, path)
        try:
            # Read through this connection, not the path: the file there may be another build by now.
            user_version = (await store._all("PRAGMA user_version"))[0][0]
            application_id = (await store._all("PRAGMA application_id"))[0][0]
            store.store_id = integrity.seal_of(user_version, application_id)
            version = await store.meta_value("schema_version")
            if version != str(SCHEMA_VERSION):
                raise StoreError(
                    f"{path} has schema version {version}, expected {SCHEMA_VERSION}; rebuild it"
                )
            await store._loaded()
        except BaseException as exc:
            # Closed on every failure: an open connection's thread would keep the process from exiting.
            await store.close()
            if isinstance(exc, StoreError) or not isinstance(exc, Exception):
                raise
            raise StoreError(f"cannot read the fact store at {path}: {type(exc).__name__}: {exc}") from exc
        return store

    async def close(self) -> None:
        if self._cited is not None:
            self._cited.close()
        await self._db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        async with self._db.execute(sql, params) as cur:
            return cast("list[tuple[Any, ...]]", await cur.fetchall())  # no row factory: plain tuples

    async def meta_value(self, key: str) -> str | None:
        rows = await self._all("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    async def counts(self) -> StoreCounts:
        """How many articles and facts the store holds."""
        if self._counts is None:
            rows = await self._all(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM quotes), (SELECT count(*) FROM events),"
                " (SELECT count(*) FROM island_facts), (SELECT count(*) FROM sources)"
            )
            self._counts = StoreCounts(*rows[0])
        return self._counts

    # ---- articles -----------------------------------------------------------------------------------

    async def articles(self) -> dict[str, ArticleMeta]:
        """Every article's metadata, by article id, in build order."""
        if self._articles is None:
            rows = await self._all(
                "SELECT id, title, outlet, url, published, published_note, sha256, path FROM articles ORDER BY ord"
            )
            self._articles = {
                r[0]: ArticleMeta(
                    r[0], r[1], r[2], r[3], PartialDate.parse(r[4]) if r[4] else None, r[5], r[6], r[7]
                )
                for r in rows
            }
        return self._articles

    async def article_text(self, article_id: str) -> str | None:
        rows = await self._all("SELECT text FROM articles WHERE id = ?", (article_id,))
        return rows[0][0] if rows else None

    async def passages(self, article_id: str) -> list[tuple[int, int]]:
        """The offsets of the article's sentences, in order."""
        return [
            (r[0], r[1])
            for r in await self._all(
                'SELECT start, "end" FROM passages WHERE article_id = ? ORDER BY start', (article_id,)
            )
        ]

    async def skipped(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in await self._all("SELECT path, reason FROM skipped")]

    # ---- loading ------------------------------------------------------------------------------------

    async def _loaded(self) -> _Facts:
        """Every fact, read once; the store file never changes while it is open."""
        if self._facts is None:
            async with self._loading:
                if self._facts is None:
                    self._facts = await self._load()
        return self._facts

    async def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        async with self._db.execute(sql) as cur:
            while batch := await cur.fetchmany(_FETCH):
                out.extend(cast("list[tuple[Any, ...]]", batch))  # no row factory: plain tuples
        return out

    async def _load(self) -> _Facts:
        articles = await self.articles()
        dates: dict[str, PartialDate] = {}

        def date(value: str | None) -> PartialDate | None:
            if value is None:
                return None
            if value not in dates:
                dates[value] = PartialDate.parse(value)
            return dates[value]

        self._cited = cited = _Citations(self.path, articles)
        facts = _Facts()
        for n, (fid, day, text, month, dom) in enumerate(
            await self._rows("SELECT id, date, text, month, day FROM events ORDER BY sort_key, id")
        ):
            event = _StoredEvent(date(day), text, fid, cited)  # type: ignore[arg-type]
            facts.events.append(event)
            facts.event_years.append(event.date.year)
            facts.event_at[fid] = n
            if month is not None and dom is not None:
                facts.on_day.setdefault((month, dom), []).append(n)
        facts.event_keys = [
            (fid, month, dom)
            for fid, month, dom in await self._rows("SELECT id, month, day FROM events ORDER BY id")
        ]
        for fid, text, speaker, partial, when, kind, described in await self._rows(
            "SELECT id, text, speaker, partial, date, speaker_kind, speaker_description FROM quotes"
            " ORDER BY sort_key, id"
        ):
            quote = _StoredQuote(text, speaker, bool(partial), date(when), fid, cited, kind, described)
            facts.quotes.append(quote)
            facts.quote_by_id[fid] = quote
            facts.by_speaker.setdefault(speaker, []).append(quote)
        for fid, key, text, when in await self._rows(
            "SELECT id, island, text, date FROM island_facts ORDER BY sort_key IS NULL, sort_key, id"
        ):
            fact = _StoredIslandFact(key, text, date(when), fid, cited)
            facts.islands.setdefault(key, []).append(fact)
        for name, n, kind in await self._rows(
            "SELECT name, quotes, kind FROM speakers ORDER BY quotes DESC, name"
        ):
            facts.speakers[name] = n
            facts.speaker_kinds[name] = kind
        return facts

    # ---- events -------------------------------------------------------------------------------------

    async def events(
        self,
        *,
        from_year: int | None = None,
        to_year: int | None = None,
        ids: Sequence[int] | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        """Events in date order, optionally within years and restricted to `ids`."""
        facts = await self._loaded()
        lo = 0 if from_year is None else bisect.bisect_left(facts.event_years, from_year)
        hi = len(facts.events) if to_year is None else bisect.bisect_right(facts.event_years, to_year)
        if ids is None:
            found = facts.events[lo:hi]
        else:
            positions = sorted(p for p in {facts.event_at.get(fid, -1) for fid in ids} if lo <= p < hi)
            found = [facts.events[p] for p in positions]
        return found[:limit] if limit is not None else found

    async def events_on(self, month: int, day: int) -> list[Event]:
        """Day-precise events on this month and day, any year."""
        facts = await self._loaded()
        return [facts.events[p] for p in facts.on_day.get((month, day), [])]

    async def event_keys(self) -> list[tuple[int, int | None, int | None]]:
        """(id, month, day) of every event: the daily snippet's candidates."""
        return list((await self._loaded()).event_keys)

    # ---- quotes -------------------------------------------------------------------------------------

    async def quotes(
        self, *, ids: Sequence[int] | None = None, speaker: str | None = None, limit: int | None = None
    ) -> list[Quote]:
        """Quotes by id (kept in the given order) or by speaker in date order."""
        facts = await self._loaded()
        if ids is not None:
            order = {fid: n for n, fid in enumerate(ids)}
            found = [facts.quote_by_id[fid] for fid in order if fid in facts.quote_by_id]
            found.sort(key=lambda q: order[q.fact_id])
            return found
        found = facts.quotes if speaker is None else facts.by_speaker.get(speaker, [])
        return found[:limit] if limit is not None else list(found)

    async def speakers(self) -> dict[str, int]:
        """Every speaker and how many quotes the store holds from each."""
        return dict((await self._loaded()).speakers)

    async def speaker_kinds(self) -> dict[str, str]:
        """Every speaker's kind: "person", "role" or "organisation"."""
        return dict((await self._loaded()).speaker_kinds)

    # ---- islands ------------------------------------------------------------------------------------

    async def island_facts(self, island: str) -> list[IslandFact]:
        """Facts about one island (gazetteer key): dated ones in date order, then undated ones."""
        return list((await self._loaded()).islands.get(island, []))

    async def island_counts(self) -> dict[str, int]:
        islands = (await self._loaded()).islands
        return {key: len(islands[key]) for key in sorted(islands)}
