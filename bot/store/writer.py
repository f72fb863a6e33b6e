"""Write a new fact store: rows into a temporary file beside the store, then one atomic swap.

The new store is written to `<store>.tmp-<pid>` and renamed over the store only when complete, so a
reader (or a crash) only ever sees the whole old store or the whole new one. What a killed build left
behind is removed by the next one (`remove_stale_tmp_files`). The store's bytes are sealed with a checksum
(`integrity`) before the swap, and checked whenever the store is opened.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import glob
import json
import logging
import os
import re
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import aiosqlite

from bot.ingest.loader import Skipped
from bot.models import ArticleMeta, Citation, Event, IslandFact, Quote
from bot.store import integrity
from bot.store.schema import EXTRACTOR_VERSION, SCHEMA, SCHEMA_VERSION

log = logging.getLogger(__name__)

_TMP_SUFFIX = re.compile(r"\.tmp-(\d+)(?:-wal|-shm|-journal)?")
Row = tuple[object, ...]
_SOURCES = "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)"


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """An article as the store keeps it: metadata, text and the offsets of its passages (sentences)."""

    meta: ArticleMeta
    text: str
    passages: Sequence[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class StoredSummary:
    """What an existing store holds, for a build that leaves it as it is."""

    articles: int
    quotes: int
    events: int
    island_facts: int
    skipped: list[Skipped]


async def stored_key(db_path: Path) -> str | None:
    """The key recorded in an existing store, or None when there is no usable store."""
    if not db_path.is_file():
        return None
    try:
        # Immutable: a store never changes once built, and a read-only folder must not stop the check.
        async with aiosqlite.connect(f"file:{db_path}?immutable=1", uri=True) as db:
            async with db.execute("SELECT value FROM meta WHERE key = 'store_key'") as cur:
                row = await cur.fetchone()
            return str(row[0]) if row else None
    except aiosqlite.Error:
        return None


async def damage(db_path: Path) -> str | None:
    """Why the store at `db_path` cannot be trusted (damaged, unreadable), or None when it is as built."""
    try:
        await asyncio.to_thread(integrity.check, db_path)
    except integrity.DamagedStore as exc:
        return str(exc)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or type(exc).__name__})"
    return None


async def stored_summary(db_path: Path) -> StoredSummary:
    """The counts and skipped files of an existing store."""
    async with aiosqlite.connect(f"file:{db_path}?immutable=1", uri=True) as db:
        counts = []
        for name in ("articles", "quotes", "events", "island_facts"):
            async with db.execute(f"SELECT count(*) FROM {name}") as cur:
                row = await cur.fetchone()
            counts.append(int(row[0]) if row else 0)
        async with db.execute("SELECT path, reason FROM skipped") as cur:
            skipped = [Skipped(p, r) for p, r in await cur.fetchall()]
    articles, quotes, events, island_facts = counts
    return StoredSummary(articles, quotes, events, island_facts, skipped)


class StoreWriter:
    """Writes one new store into a temporary file; `finish` seals it and swaps it in.

    Facts are written as they come: each `quotes`, `events` or `island_facts` call queues its statements
    to the database thread and returns, so that the caller prepares the next kind while one is written.
    Whatever happens, the temporary files are gone when the writer is left.
    """

    def __init__(
        self, db_path: Path, db: aiosqlite.Connection, tmp: Path, indexes: dict[str, list[str]]
    ) -> None:
        self.db_path = db_path
        self._db = db
        self._tmp = tmp
        self._indexes = indexes  # table -> its CREATE INDEX statements, run once the table is written
        self._queued: list[asyncio.Task[None]] = []

    @classmethod
    @contextlib.asynccontextmanager
    async def create(cls, db_path: Path) -> AsyncIterator[StoreWriter]:
        """A writer of a new store to be swapped in at `db_path`."""
        for folder in (db_path.parent, *db_path.parent.parents):
            if folder.exists():
                if not folder.is_dir():  # mkdir would only say "File exists"
                    raise NotADirectoryError(errno.ENOTDIR, f"{folder} is a file, not a folder")
                break
        db_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")
        for leftover in _tmp_family(tmp):
            leftover.unlink(missing_ok=True)
        statements = [s.strip() for s in SCHEMA.split(";") if s.strip()]
        indexes: dict[str, list[str]] = {}
        for statement in statements:
            m = re.match(r"CREATE INDEX \w+ ON (\w+)", statement, re.IGNORECASE)
            if m:
                indexes.setdefault(m.group(1), []).append(statement)
        try:
            async with aiosqlite.connect(tmp) as db:
                # The file is private until it is renamed into place, and a build that dies leaves it
                # unused: no journal and no syncing while it is written; it is synced once, whole, at the end.
                await db.execute("PRAGMA journal_mode = OFF")
                await db.execute("PRAGMA synchronous = OFF")
                await db.execute("PRAGMA cache_size = -32768")
                for statement in statements:
                    if not re.match(r"CREATE INDEX", statement, re.IGNORECASE):
                        await db.execute(statement)
                writer = cls(db_path, db, tmp, indexes)
                async with writer:
                    yield writer
        finally:
            for leftover in _tmp_family(tmp):
                with contextlib.suppress(
                    OSError
                ):  # e.g. a read-only folder: the error that matters is raised
                    leftover.unlink(missing_ok=True)

    async def __aenter__(self) -> StoreWriter:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for task in self._queued:
            task.cancel()  # only those not done: after an error
        await asyncio.gather(*self._queued, return_exceptions=True)

    async def articles(self, articles: Sequence[ArticleRecord], skipped: Sequence[Skipped]) -> None:
        """The articles, their passages and the files skipped."""
        rows: list[Row] = []
        passages: list[Row] = []
        for n, a in enumerate(articles):
            m = a.meta
            published = m.published.iso() if m.published else None
            rows.append(
                (
                    m.article_id,
                    n,
                    m.title,
                    m.outlet,
                    m.url,
                    published,
                    m.published_note,
                    m.sha256,
                    Path(m.path).name,
                    a.text,
                )
            )
            passages.extend((m.article_id, start, end) for start, end in a.passages)
        await self._db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        await self._db.executemany(
            'INSERT INTO passages (article_id, start, "end") VALUES (?, ?, ?)', passages
        )
        await self._db.executemany("INSERT INTO skipped VALUES (?, ?)", [(s.path, s.reason) for s in skipped])
        await self._index("passages")

    async def quotes(self, quotes: Sequence[Quote]) -> None:
        """Queue the quotes, their sources and the speakers."""
        facts: list[Row] = []
        sources: list[Row] = []
        for fid, q in enumerate(quotes, 1):
            date = q.date
            facts.append(
                (
                    fid,
                    q.text,
                    q.speaker,
                    int(q.partial),
                    date.iso() if date else None,
                    date.sort_key() if date else None,
                    q.speaker_kind,
                    q.speaker_description,
                )
            )
            _add_sources(sources, "quote", fid, q.sources)
        kinds = {q.speaker: q.speaker_kind for q in quotes}
        speakers: list[Row] = [
            (name, n, kinds[name]) for name, n in sorted(Counter(q.speaker for q in quotes).items())
        ]
        await self._queue(
            "quotes", "INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?)", facts, sources, speakers
        )

    async def events(self, events: Sequence[Event]) -> None:
        """Queue the events and their sources."""
        facts: list[Row] = []
        sources: list[Row] = []
        for fid, e in enumerate(events, 1):
            d = e.date
            facts.append((fid, d.iso(), d.granularity, d.sort_key(), d.year, d.month, d.day, e.text))
            _add_sources(sources, "event", fid, e.sources)
        await self._queue("events", "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", facts, sources)

    async def island_facts(self, island_facts: Sequence[IslandFact]) -> None:
        """Queue the island facts and their sources."""
        facts: list[Row] = []
        sources: list[Row] = []
        for fid, f in enumerate(island_facts, 1):
            date = f.date
            facts.append(
                (fid, f.island, f.text, date.iso() if date else None, date.sort_key() if date else None)
            )
            _add_sources(sources, "island", fid, f.sources)
        await self._queue("island_facts", "INSERT INTO island_facts VALUES (?, ?, ?, ?, ?)", facts, sources)

    async def finish(self, key: str, built_at: str, folders: Sequence[Path]) -> None:
        """Wait for the queued rows, record what the store was built from, seal it and swap it in."""
        await asyncio.gather(*self._queued)
        for table in list(self._indexes):
            await self._index(table)
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "extractor_version": str(EXTRACTOR_VERSION),
            "store_key": key,
            "built_at": built_at,
            "folders": json.dumps([str(f) for f in folders]),
        }
        await self._db.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
        await self._db.commit()
        await self._db.close()
        # A rollback-journal file, not WAL: the store is only ever read, and reading a WAL file needs a
        # writable folder for its -shm file. Sealed, so that any later change to a byte is seen on open.
        await asyncio.to_thread(integrity.seal, self._tmp)
        _fsync(self._tmp)
        os.replace(
            self._tmp, self.db_path
        )  # atomic: readers see the old store or the new one, never half of one
        _fsync_dir(self.db_path.parent)

    async def _queue(
        self,
        table: str,
        insert: str,
        facts: list[Row],
        sources: list[Row],
        speakers: list[Row] | None = None,
    ) -> None:
        db = self._db
        statements = [
            _run(db, insert, facts),
            _run(db, _SOURCES, sources),
            *([_run(db, "INSERT INTO speakers VALUES (?, ?, ?)", speakers)] if speakers is not None else []),
            *(_run(db, statement) for statement in self._indexes.pop(table, [])),
        ]
        self._queued += [asyncio.create_task(statement) for statement in statements]
        await asyncio.sleep(0)  # the tasks queue their statements to the database thread, in order

    async def _index(self, table: str) -> None:  # built once over the rows, not row by row
        for statement in self._indexes.pop(table, []):
            await self._db.execute(statement)


def _add_sources(rows: list[Row], kind: str, fact_id: int, citations: Sequence[Citation]) -> None:
    rows += [(kind, fact_id, n, c.article_id, c.start, c.end, c.excerpt) for n, c in enumerate(citations)]


async def _run(db: aiosqlite.Connection, sql: str, rows: list[Row] | None = None) -> None:
    # The cursor is closed on the database thread, in turn. Dropped on this thread instead, it would reset
    # its statement from here, and SQLite caches one statement per SQL text: the next kind's rows may be
    # being inserted through that same statement right then (the sources inserts repeat), and the insert
    # fails ("bad parameter or other API misuse"), about one build in twenty.
    if rows is None:
        cursor = await db.execute(sql)
    elif rows:
        cursor = await db.executemany(sql, rows)
    else:
        return
    await cursor.close()


def _tmp_family(tmp: Path) -> tuple[Path, ...]:
    return (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal"))


def remove_stale_tmp_files(db_path: Path) -> list[Path]:
    """Delete the temporary files (`<store>.tmp-<pid>` and its -wal/-shm/-journal) that builds of this
    store left when they were killed: those of processes that no longer run. Returns what was deleted."""
    removed: list[Path] = []
    if not db_path.parent.is_dir():
        return removed
    for path in db_path.parent.glob(f"{glob.escape(db_path.name)}.tmp-*"):
        m = _TMP_SUFFIX.fullmatch(path.name[len(db_path.name) :])
        if m is None or _process_alive(int(m.group(1))):
            continue
        with contextlib.suppress(OSError):  # gone already, or a folder we may not write to
            path.unlink()
            removed.append(path)
    if removed:
        log.info("removed %d stale temporary file(s) of %s", len(removed), db_path.name)
    return removed


def _process_alive(pid: int) -> bool:
    """Whether a process with this id runs (a process we may not signal runs too)."""
    if pid <= 0:
        return True  # not a process id we could have written: leave the file alone
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # e.g. PermissionError: it exists but belongs to someone else
        return True
    return True


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
