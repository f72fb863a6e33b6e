"""Build the fact store: articles → facts → a new SQLite file, swapped in atomically.

The new store is written to a temporary file beside the target and renamed over it only when complete,
so a reader (or a crash) only ever sees the whole old store or the whole new one. A store whose recorded
content hash matches the articles, the curated data and the code versions is left alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import errno
import gc
import glob
import hashlib
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import re
import sqlite3
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeVar

import aiosqlite

from bot.bundled import data_file
from bot.ingest.corroborate import EVENTS, ISLANDS, QUOTES, BlockTask, MergePlan, run_blocks
from bot.ingest.islands import Gazetteer
from bot.ingest.loader import (
    ArticleFile,
    Skipped,
    content_hash,
    corpus_plan,
    duplicate_reason,
    load_article,
    sources_hash,
)
from bot.ingest.people import Directory
from bot.ingest.pipeline import FactsUnpacker, PackedFacts, extract_article, pack_facts
from bot.models import Citation, PartialDate
from bot.store import integrity
from bot.store.reader import StoreError
from bot.store.schema import EXTRACTOR_VERSION, SCHEMA, SCHEMA_VERSION

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
T = TypeVar("T")

# Extraction is pure Python, so it runs in worker processes, one per core. Below this many articles,
# starting the workers (each imports the extractor) costs more than it saves. The same workers then
# group the facts of each block (corroboration) while the build writes the articles.
PARALLEL_MIN_ARTICLES = 64
CHUNK_ARTICLES = 32
# Small corroboration blocks go to the workers in bundles of about this many facts.
MERGE_BUNDLE_FACTS = 4000
# The order the kinds of fact are grouped and written in: the biggest first, so that the workers group the
# others while it is written.
_KINDS = (ISLANDS, QUOTES, EVENTS)


@dataclass(slots=True)
class BuildReport:
    """What a build did: counts, what was skipped and why."""

    db_path: str
    rebuilt: bool
    articles: int = 0
    quotes: int = 0
    events: int = 0
    island_facts: int = 0
    unresolved_dates: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds spent extracting, merging, writing


def store_key(folders: Sequence[Path]) -> str:
    """What the store is built from: article files, manifests, curated data and code versions."""
    code = Path(__file__).resolve().parents[1]
    # The code that decides what the store holds is part of the key too: a store built by other
    # extraction or writing code is rebuilt. The reader is not: it changes how a store is read, not
    # what is in it, so changing it must not cost a rebuild of a large archive.
    files = [
        data_file("gazetteer.toml"),
        data_file("people.toml"),
        *sorted((code / "ingest").glob("*.py")),
        *sorted(p for p in (code / "store").glob("*.py") if p.name != "reader.py"),
    ]
    h = hashlib.sha256(sources_hash(folders).encode())
    h.update(content_hash(files).encode())
    h.update(f"schema={SCHEMA_VERSION};extractor={EXTRACTOR_VERSION}".encode())
    return h.hexdigest()


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


async def _intact(db_path: Path) -> str | None:
    """Why the store at `db_path` cannot be trusted (damaged, unreadable), or None when it is as built."""
    try:
        await asyncio.to_thread(integrity.check, db_path)
    except integrity.DamagedStore as exc:
        return str(exc)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or type(exc).__name__})"
    return None


@dataclass(frozen=True, slots=True)
class _Failure:
    """An article whose extraction raised: the error in one line and its traceback."""

    message: str
    details: str


@dataclass(frozen=True, slots=True)
class _Unreadable:
    """A file that could not be read as an article, and why."""

    reason: str


@dataclass(frozen=True, slots=True)
class _Extracted:
    """One article read and extracted: its facts (or why extraction failed) and its metadata warnings."""

    article_id: str
    path: str
    facts: PackedFacts | _Failure  # packed: plain tuples pickle several times faster than the dataclasses
    warnings: list[str]


def extraction_workers(articles: int) -> int:
    """How many processes extract `articles` articles: one per usable core, or none for a few articles."""
    if articles < PARALLEL_MIN_ARTICLES:
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores if cores > 1 else 0


def _init_worker() -> None:
    # One process per core already: numerical libraries must not start a thread per core on top.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    # A worker waits for work on a pipe that it holds open itself, so it would wait forever once the build
    # is killed (kill -9, out of memory): it ends when the build's process does.
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), name="build-watch", daemon=True).start()


def _exit_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


@contextlib.contextmanager
def _workers(count: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of `count` worker processes for one build, or None to work in this process."""
    if not count:
        yield None
        return
    # "spawn": forking a process that runs an event loop and database threads is not safe.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_init_worker) as pool:
        yield pool


@cache
def _worker_extractors() -> tuple[Directory, Gazetteer]:
    # Worker processes live for one build, so caching the curated data here never serves a stale copy.
    return Directory.load(), Gazetteer.load()


def _extract_file(file: ArticleFile, directory: Directory, gazetteer: Gazetteer) -> _Extracted | _Unreadable:
    """Read, clean and extract one article file."""
    warnings: list[str] = []
    try:
        raw = load_article(file, warnings)
    except ValueError as exc:
        return _Unreadable(str(exc))
    facts: PackedFacts | _Failure
    try:
        facts = pack_facts(extract_article(raw, directory, gazetteer))
    except Exception as exc:  # one broken article must not cost the others
        facts = _Failure(f"{type(exc).__name__}: {exc}", traceback.format_exc())
    return _Extracted(raw.meta.article_id, raw.meta.path, facts, warnings)


def _extract_chunk(chunk: list[ArticleFile]) -> list[_Extracted | _Unreadable]:
    directory, gazetteer = _worker_extractors()
    return [_extract_file(file, directory, gazetteer) for file in chunk]


def _extracted(
    files: list[ArticleFile], progress: Progress | None, pool: ProcessPoolExecutor | None
) -> Iterator[_Extracted | _Unreadable]:
    """Every file read and extracted, in order: by the workers, which read the files themselves, so that
    neither the reading nor the article text has to go through this process."""
    total = len(files)
    if pool is None:
        directory, gazetteer = Directory.load(), Gazetteer.load()
        for n, file in enumerate(files, 1):
            result = _extract_file(file, directory, gazetteer)
            if progress:
                progress(n, total)
            yield result
        return
    chunks = [files[i : i + CHUNK_ARTICLES] for i in range(0, total, CHUNK_ARTICLES)]
    done = 0
    for chunk, results in zip(chunks, pool.map(_extract_chunk, chunks), strict=True):
        done += len(chunk)
        if progress:
            progress(done, total)
        yield from results


def _extract_planned(
    plan: list[ArticleFile | Skipped | str],
    progress: Progress | None,
    pool: ProcessPoolExecutor | None,
    keep: Callable[[PackedFacts], T],
) -> tuple[list[T], list[Skipped], list[str]]:
    files = [item for item in plan if isinstance(item, ArticleFile)]
    with contextlib.closing(_extracted(files, progress, pool)) as results:
        return _assemble(plan, results, keep)


def _bundles(tasks: list[BlockTask]) -> list[list[int]]:
    """The tasks in bundles for the workers: the big blocks alone and first, the small ones together."""
    bundles: list[list[int]] = []
    small: list[int] = []
    small_facts = 0
    for i in sorted(range(len(tasks)), key=lambda i: len(tasks[i][1]), reverse=True):
        if len(tasks[i][1]) >= MERGE_BUNDLE_FACTS:
            bundles.append([i])
            continue
        small.append(i)
        small_facts += len(tasks[i][1])
        if small_facts >= MERGE_BUNDLE_FACTS:
            bundles.append(small)
            small, small_facts = [], 0
    if small:
        bundles.append(small)
    return bundles


async def _group_blocks(tasks: list[BlockTask], pool: ProcessPoolExecutor | None) -> list[list[int]]:
    """`block_groups` of every task, in the workers (or a thread)."""
    if pool is None:
        return await asyncio.to_thread(run_blocks, tasks)
    bundles = _bundles(tasks)
    futures = [asyncio.wrap_future(pool.submit(run_blocks, [tasks[i] for i in bundle])) for bundle in bundles]
    results: list[list[int]] = [[] for _ in tasks]
    for bundle, grouped in zip(bundles, await asyncio.gather(*futures), strict=True):
        for i, founders in zip(bundle, grouped, strict=True):
            results[i] = founders
    return results


def _assemble(
    plan: list[ArticleFile | Skipped | str],
    results: Iterator[_Extracted | _Unreadable],
    keep: Callable[[PackedFacts], T],
) -> tuple[list[T], list[Skipped], list[str]]:
    out: list[T] = []
    skipped: list[Skipped] = []
    failed: list[Skipped] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for item in plan:
        if isinstance(item, str):
            warnings.append(item)
            continue
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        result = next(results)
        name = item.path.name
        if isinstance(result, _Unreadable):
            skipped.append(Skipped(name, result.reason))
            continue
        if result.article_id in seen:
            skipped.append(Skipped(name, duplicate_reason(result.article_id)))
            continue
        seen.add(result.article_id)
        warnings.extend(result.warnings)
        if isinstance(result.facts, _Failure):
            log.error("extraction failed for %s\n%s", result.article_id, result.facts.details)
            failed.append(Skipped(Path(result.path).name, f"extraction failed: {result.facts.message}"))
        else:
            out.append(keep(result.facts))  # as the results come in, while the workers go on
    return out, skipped + failed, warnings


async def build_store(
    folders: Sequence[Path],
    db_path: Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the store at `db_path` from `folders` unless it is already up to date."""
    started = dt.datetime.now(dt.UTC)
    key = store_key(folders)
    report = BuildReport(str(db_path), rebuilt=False)
    if not force and await stored_key(db_path) == key:
        damage = await _intact(db_path)
        if damage is None:
            await _read_counts(db_path, report)
            return report
        # Up to date by its key, but not the file the build wrote: never served, built again.
        log.warning("the fact store %s is damaged (%s); rebuilding it from the articles", db_path, damage)
        report.warnings.append(f"{db_path.name} was damaged ({damage}); rebuilt from the articles")

    remove_stale_tmp_files(db_path)
    clock = time.perf_counter()
    plan = corpus_plan(folders)
    workers = extraction_workers(sum(isinstance(item, ArticleFile) for item in plan))
    with _cyclic_gc_paused(), _workers(workers) as pool:
        # The merge needs the facts as objects; articles and passages are written from the packed form
        # (of which only the metadata, text and passage offsets are kept).
        unpack = FactsUnpacker(passages=False)
        extracted, skipped, warnings = _extract_planned(plan, progress, pool, lambda p: (p[:3], unpack(p)))
        packed = [p for p, _ in extracted]
        articles = [a for _, a in extracted]
        del extracted
        report.phases["extract"] = time.perf_counter() - clock
        report.skipped, report.warnings, report.rebuilt = skipped, warnings, True
        report.unresolved_dates = sum(a.unresolved_dates for a in articles)
        # Corroboration runs in the workers, the biggest kind first, while this process writes the
        # articles and then each kind of fact as soon as it is grouped.
        merge_plan = MergePlan(articles)
        report.articles = len(articles)
        del articles  # the plan holds the facts now, and lets go of each kind once it is written
        merge_started = time.perf_counter()
        groupings = {
            kind: asyncio.create_task(_group_blocks(merge_plan.tasks(kind), pool)) for kind in _KINDS
        }
        try:
            writing, merge_done = await _write_store(
                db_path, key, started, folders, packed, skipped, merge_plan, groupings, report, pool
            )
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise StoreError(f"cannot write the fact store at {db_path}: {reason}") from exc
        finally:
            for grouping in groupings.values():
                if not grouping.done():
                    grouping.cancel()
                    with contextlib.suppress(BaseException):
                        await grouping
        report.phases["merge"] = merge_done - merge_started
        report.phases["write"] = writing
    report.seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    return report


async def _read_counts(db_path: Path, report: BuildReport) -> None:
    async with aiosqlite.connect(f"file:{db_path}?immutable=1", uri=True) as db:
        for name in ("articles", "quotes", "events", "island_facts"):
            async with db.execute(f"SELECT count(*) FROM {name}") as cur:
                row = await cur.fetchone()
            setattr(report, name, int(row[0]) if row else 0)
        async with db.execute("SELECT path, reason FROM skipped") as cur:
            report.skipped = [Skipped(p, r) for p, r in await cur.fetchall()]


async def _write_store(
    db_path: Path,
    key: str,
    started: dt.datetime,
    folders: Sequence[Path],
    articles: list[PackedFacts],
    skipped: list[Skipped],
    merge_plan: MergePlan,
    groupings: dict[str, asyncio.Task[list[list[int]]]],
    report: BuildReport,
    pool: ProcessPoolExecutor | None,
) -> tuple[float, float]:
    """Write the new store beside `db_path` and swap it in; returns the seconds spent writing (not waiting
    for the merge) and when the merge was done."""
    clock = time.perf_counter()
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
    indexes: dict[str, list[str]] = {}  # table -> its CREATE INDEX statements
    for statement in statements:
        m = re.match(r"CREATE INDEX \w+ ON (\w+)", statement, re.IGNORECASE)
        if m:
            indexes.setdefault(m.group(1), []).append(statement)
    tables = [s for s in statements if not re.match(r"CREATE INDEX", s, re.IGNORECASE)]
    merge_done = clock
    try:
        async with aiosqlite.connect(tmp) as db:
            # The file is private until it is renamed into place, and a build that dies leaves it
            # unused: no journal and no syncing while it is written; it is synced once, whole, at the end.
            await db.execute("PRAGMA journal_mode = OFF")
            await db.execute("PRAGMA synchronous = OFF")
            await db.execute("PRAGMA cache_size = -32768")
            for statement in tables:
                await db.execute(statement)

            async def index(table: str) -> None:  # built once over the rows, not row by row
                for statement in indexes.pop(table, []):
                    await db.execute(statement)

            await _write_articles(db, articles, skipped)
            articles.clear()  # written: the packed articles are not needed any more
            await index("passages")
            # Each kind of fact is written as soon as it is grouped. The statements are queued to the
            # database thread, so that it writes one kind while this thread prepares the next.
            queued: list[asyncio.Task[None]] = []
            waited = 0.0
            try:
                waited, merge_done = await _write_kinds(db, merge_plan, groupings, indexes, queued, report)
            finally:
                for task in queued:
                    task.cancel()  # only those not done: after an error
                await asyncio.gather(*queued, return_exceptions=True)
            for table in list(indexes):
                await index(table)
            meta = {
                "schema_version": str(SCHEMA_VERSION),
                "extractor_version": str(EXTRACTOR_VERSION),
                "store_key": key,
                "built_at": started.isoformat(),
                "folders": json.dumps([str(f) for f in folders]),
            }
            await db.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
            await db.commit()
        # A rollback-journal file, not WAL: the store is only ever read, and reading a WAL file needs a
        # writable folder for its -shm file. Sealed, so that any later change to a byte is seen on open.
        await asyncio.to_thread(integrity.seal, tmp)
        _fsync(tmp)
        os.replace(tmp, db_path)  # atomic: readers see the old store or the new one, never half of one
        _fsync_dir(db_path.parent)
    finally:
        for leftover in _tmp_family(tmp):
            with contextlib.suppress(OSError):  # e.g. a read-only folder: the error that matters is raised
                leftover.unlink(missing_ok=True)
    return time.perf_counter() - clock - waited, merge_done


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while the build runs: it makes millions of objects (facts, citations,
    rows) that form no cycles and live until it ends, and the collector would walk them again and again
    (it took more time than making them). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _tmp_family(tmp: Path) -> tuple[Path, ...]:
    return (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal"))


_TMP_SUFFIX = re.compile(r"\.tmp-(\d+)(?:-wal|-shm|-journal)?")


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


async def _write_articles(
    db: aiosqlite.Connection, articles: list[PackedFacts], skipped: list[Skipped]
) -> None:
    """The articles, their passages and the skipped files, from packed facts (only their metadata, text
    and passage offsets are read)."""
    rows = []
    passages = []
    for n, (meta, text, spans, *_) in enumerate(articles):
        article_id, title, outlet, url, published, note, sha256, path = meta
        rows.append(
            (
                article_id,
                n,
                title,
                outlet,
                url,
                PartialDate(*published).iso() if published else None,
                note,
                sha256,
                Path(path).name,
                text,
            )
        )
        passages.extend((article_id, start, end) for start, end in spans)
    await db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    await db.executemany('INSERT INTO passages (article_id, start, "end") VALUES (?, ?, ?)', passages)
    await db.executemany("INSERT INTO skipped VALUES (?, ?)", [(s.path, s.reason) for s in skipped])


async def _write_kinds(
    db: aiosqlite.Connection,
    merge_plan: MergePlan,
    groupings: dict[str, asyncio.Task[list[list[int]]]],
    indexes: dict[str, list[str]],
    queued: list[asyncio.Task[None]],
    report: BuildReport,
) -> tuple[float, float]:
    """Write each kind of fact as soon as it is grouped; returns the seconds spent waiting for groupings
    and when the last grouping came.

    The statements are queued to the database thread, so that it writes one kind while this thread
    prepares the next; `queued` gets their tasks, which the caller awaits.
    """
    waited = merge_done = 0.0
    for kind in _KINDS:
        wait = time.perf_counter()
        grouped = await groupings[kind]
        merge_done = time.perf_counter()
        waited += merge_done - wait
        rows = _kind_rows(kind, merge_plan, grouped)
        setattr(report, rows.table, len(rows.facts))
        statements = [
            _run(db, rows.insert, rows.facts),
            _run(db, "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)", rows.sources),
            _run(db, "INSERT INTO speakers VALUES (?, ?, ?)", rows.speakers),
            *(_run(db, statement) for statement in indexes.pop(rows.table, [])),
        ]
        queued += [asyncio.create_task(statement) for statement in statements]
        await asyncio.sleep(0)  # the tasks queue their statements, in order
    await asyncio.gather(*queued)
    return waited, merge_done


async def _run(db: aiosqlite.Connection, sql: str, rows: list[tuple[object, ...]] | None = None) -> None:
    # The cursor is closed on the database thread (`async with`). Dropped on this thread instead, it resets
    # sqlite3's cached statement for `sql` while the database thread may already run the same statement for
    # the next kind (the sources and speakers inserts repeat), which then binds on an unreset statement:
    # "InterfaceError: bad parameter or other API misuse", now and then.
    if rows is None:
        cursor = await db.execute(sql)
    elif rows:
        cursor = await db.executemany(sql, rows)
    else:
        return
    # Closed on the database thread, in turn. Dropped here instead, the cursor would reset its statement
    # from this thread, and SQLite caches one statement per SQL text: the next kind's rows may be being
    # inserted through that same statement right then, and the insert fails ("bad parameter or other API
    # misuse"), about one build in twenty.
    await cursor.close()


@dataclass(slots=True)
class _KindRows:
    """The rows of one kind of corroborated fact: the facts, their sources, and their texts."""

    table: str
    insert: str
    facts: list[tuple[object, ...]] = field(default_factory=list)
    sources: list[tuple[object, ...]] = field(default_factory=list)
    speakers: list[tuple[object, ...]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def add_sources(self, kind: str, fact_id: int, citations: Sequence[Citation]) -> None:
        self.sources += [
            (kind, fact_id, n, c.article_id, c.start, c.end, c.excerpt) for n, c in enumerate(citations)
        ]


def _kind_rows(kind: str, plan: MergePlan, grouped: list[list[int]]) -> _KindRows:
    """The corroborated facts of one kind as rows."""
    if kind == QUOTES:
        out = _KindRows("quotes", "INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        quotes = plan.quotes(grouped)
        for fid, q in enumerate(quotes, 1):
            date = q.date
            out.facts.append(
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
            out.add_sources("quote", fid, q.sources)
        out.texts = [q.text for q in quotes]
        kinds = {q.speaker: q.speaker_kind for q in quotes}
        out.speakers = [
            (name, n, kinds[name]) for name, n in sorted(Counter(q.speaker for q in quotes).items())
        ]
    elif kind == EVENTS:
        out = _KindRows("events", "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        events = plan.events(grouped)
        for fid, e in enumerate(events, 1):
            d = e.date
            out.facts.append((fid, d.iso(), d.granularity, d.sort_key(), d.year, d.month, d.day, e.text))
            out.add_sources("event", fid, e.sources)
        out.texts = [e.text for e in events]
    else:
        out = _KindRows("island_facts", "INSERT INTO island_facts VALUES (?, ?, ?, ?, ?)")
        island_facts = plan.islands(grouped)
        for fid, f in enumerate(island_facts, 1):
            date = f.date
            out.facts.append(
                (fid, f.island, f.text, date.iso() if date else None, date.sort_key() if date else None)
            )
            out.add_sources("island", fid, f.sources)
        out.texts = [f.text for f in island_facts]
    return out
