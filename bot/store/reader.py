"""Read-only access to a built fact store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite

from bot.models import ArticleMeta, Citation, Event, IslandFact, PartialDate, Quote
from bot.store.schema import SCHEMA_VERSION


class StoreError(RuntimeError):
    """The store is missing, unreadable or of another schema version."""


@dataclass(frozen=True, slots=True)
class StoreCounts:
    articles: int
    quotes: int
    events: int
    island_facts: int
    sources: int


class FactStore:
    """A read-only connection to the fact store.

    The file is opened immutable: builds never change it in place (they swap in a new file), so readers
    need no locks, and a reader keeps the store it opened until it reopens.
    """

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path
        self._articles: dict[str, ArticleMeta] | None = None

    @classmethod
    async def open(cls, path: Path) -> FactStore:
        """Open the store at `path`; StoreError when it is missing or of another schema version."""
        if not path.is_file():
            raise StoreError(f"no fact store at {path}; run `factbot build` first")
        try:
            db = await aiosqlite.connect(f"file:{path}?immutable=1", uri=True)
        except aiosqlite.Error as exc:
            raise StoreError(f"cannot open the fact store at {path}: {exc}") from exc
        store = cls(db, path)
        try:
            version = await store.meta_value("schema_version")
        except aiosqlite.Error as exc:
            await db.close()
            raise StoreError(f"{path} is not a fact store ({exc})") from exc
        if version != str(SCHEMA_VERSION):
            await db.close()
            raise StoreError(f"{path} has schema version {version}, expected {SCHEMA_VERSION}; rebuild it")
        return store

    async def close(self) -> None:
        await self._db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        async with self._db.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def meta_value(self, key: str) -> str | None:
        rows = await self._all("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    async def counts(self) -> StoreCounts:
        """How many articles and facts the store holds."""
        rows = await self._all(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM quotes), (SELECT count(*) FROM events),"
            " (SELECT count(*) FROM island_facts), (SELECT count(*) FROM sources)"
        )
        return StoreCounts(*rows[0])

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

    # ---- sources ------------------------------------------------------------------------------------

    async def _sources(self, kind: str, ids: Iterable[int]) -> dict[int, tuple[Citation, ...]]:
        ids = list(ids)
        if not ids:
            return {}
        articles = await self.articles()
        out: dict[int, list[Citation]] = defaultdict(list)
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            rows = await self._all(
                f'SELECT fact_id, article_id, start, "end", excerpt FROM sources WHERE fact_kind = ? '
                f"AND fact_id IN ({marks}) ORDER BY fact_id, ord",
                (kind, *chunk),
            )
            for fact_id, article_id, start, end, excerpt in rows:
                a = articles[article_id]
                out[fact_id].append(
                    Citation(
                        article_id,
                        a.title,
                        a.outlet,
                        a.url,
                        a.published.iso() if a.published else None,
                        excerpt,
                        start,
                        end,
                    )
                )
        return {k: tuple(v) for k, v in out.items()}

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
        where, params = ["1 = 1"], []
        if from_year is not None:
            where.append("year >= ?")
            params.append(from_year)
        if to_year is not None:
            where.append("year <= ?")
            params.append(to_year)
        if ids is not None:
            if not ids:
                return []
            where.append(f"id IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        sql = f"SELECT id, date, text FROM events WHERE {' AND '.join(where)} ORDER BY sort_key, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = await self._all(sql, params)
        sources = await self._sources("event", (r[0] for r in rows))
        return [Event(PartialDate.parse(r[1]), r[2], sources.get(r[0], ()), r[0]) for r in rows]

    async def events_on(self, month: int, day: int) -> list[Event]:
        """Day-precise events on this month and day, any year."""
        rows = await self._all(
            "SELECT id FROM events WHERE month = ? AND day = ? ORDER BY sort_key", (month, day)
        )
        return await self.events(ids=[r[0] for r in rows])

    async def event_keys(self) -> list[tuple[int, int | None, int | None]]:
        """(id, month, day) of every event: the daily snippet's candidates."""
        return [(r[0], r[1], r[2]) for r in await self._all("SELECT id, month, day FROM events ORDER BY id")]

    # ---- quotes -------------------------------------------------------------------------------------

    async def quotes(
        self, *, ids: Sequence[int] | None = None, speaker: str | None = None, limit: int | None = None
    ) -> list[Quote]:
        """Quotes by id (kept in the given order) or by speaker in date order."""
        params: list[Any] = []
        if ids is not None:
            if not ids:
                return []
            sql = f"SELECT id, text, speaker, partial, date FROM quotes WHERE id IN ({','.join('?' * len(ids))})"
            params.extend(ids)
        else:
            sql = "SELECT id, text, speaker, partial, date FROM quotes"
            if speaker is not None:
                sql += " WHERE speaker = ?"
                params.append(speaker)
            sql += " ORDER BY sort_key, id"
            if limit is not None:
                sql += " LIMIT ?"
                params.append(limit)
        rows = await self._all(sql, params)
        if ids is not None:
            order = {fid: n for n, fid in enumerate(ids)}
            rows.sort(key=lambda r: order[r[0]])
        sources = await self._sources("quote", (r[0] for r in rows))
        return [
            Quote(
                r[1], r[2], bool(r[3]), PartialDate.parse(r[4]) if r[4] else None, sources.get(r[0], ()), r[0]
            )
            for r in rows
        ]

    async def speakers(self) -> dict[str, int]:
        """Every speaker and how many quotes the store holds from each."""
        return {
            r[0]: r[1]
            for r in await self._all("SELECT name, quotes FROM speakers ORDER BY quotes DESC, name")
        }

    # ---- islands ------------------------------------------------------------------------------------

    async def island_facts(self, island: str) -> list[IslandFact]:
        """Facts about one island (gazetteer key): dated ones in date order, then undated ones."""
        rows = await self._all(
            "SELECT id, island, text, date FROM island_facts WHERE island = ? "
            "ORDER BY sort_key IS NULL, sort_key, id",
            (island,),
        )
        sources = await self._sources("island", (r[0] for r in rows))
        return [
            IslandFact(r[1], r[2], PartialDate.parse(r[3]) if r[3] else None, sources.get(r[0], ()), r[0])
            for r in rows
        ]

    async def island_counts(self) -> dict[str, int]:
        return {
            r[0]: r[1] for r in await self._all("SELECT island, count(*) FROM island_facts GROUP BY island")
        }

    # ---- search support -----------------------------------------------------------------------------

    async def vocabulary(self) -> dict[str, int]:
        """Every indexed word (3+ letters) with its frequency: the typo-correction dictionary."""
        return {r[0]: r[1] for r in await self._all("SELECT term, freq FROM vocab")}

    async def match(self, table: str, fts_query: str, limit: int = 200) -> list[tuple[int, str, float]]:
        """(id, text, bm25) of the best full-text candidates in `table` ('quotes', 'events', 'island_facts')."""
        if table not in ("quotes", "events", "island_facts"):
            raise ValueError(table)
        fts = f"{table}_fts"
        columns = "f.text" if table != "quotes" else "f.text || ' — ' || f.speaker"
        sql = (
            f"SELECT f.rowid, {columns}, bm25({fts}) FROM {fts} f WHERE {fts} MATCH ? "
            f"ORDER BY bm25({fts}) LIMIT ?"
        )
        try:
            return [(r[0], r[1], r[2]) for r in await self._all(sql, (fts_query, limit))]
        except aiosqlite.OperationalError:
            return []  # a query FTS5 cannot parse matches nothing; callers build safe queries anyway
