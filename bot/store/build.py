"""Build the fact store: articles → facts → a new SQLite file, swapped in atomically.

The new store is written to a temporary file beside the target and renamed over it only when complete,
so a reader (or a crash) only ever sees the whole old store or the whole new one. A store whose recorded
content hash matches the articles, the curated data and the code versions is left alone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import multiprocessing
import os
import re
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import aiosqlite

from bot.ingest.corroborate import merge
from bot.ingest.islands import DATA_DIR, Gazetteer
from bot.ingest.loader import RawArticle, Skipped, content_hash, load_corpus, source_files
from bot.ingest.people import Directory
from bot.ingest.pipeline import ArticleFacts, extract_article
from bot.store.schema import EXTRACTOR_VERSION, SCHEMA, SCHEMA_VERSION

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# Extraction is pure Python, so it runs in worker processes, one per core. Below this many articles,
# starting the workers (each imports the extractor) costs more than it saves.
PARALLEL_MIN_ARTICLES = 64
CHUNK_ARTICLES = 16


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
    # The extraction code is part of the key too: a store built by other code is rebuilt.
    files = [
        *source_files(folders),
        DATA_DIR / "gazetteer.toml",
        DATA_DIR / "people.toml",
        *sorted((code / "ingest").glob("*.py")),
        *sorted((code / "store").glob("*.py")),
    ]
    h = hashlib.sha256(content_hash(files).encode())
    h.update(f"schema={SCHEMA_VERSION};extractor={EXTRACTOR_VERSION}".encode())
    return h.hexdigest()


async def stored_key(db_path: Path) -> str | None:
    """The key recorded in an existing store, or None when there is no usable store."""
    if not db_path.is_file():
        return None
    try:
        async with aiosqlite.connect(f"file:{db_path}?mode=ro", uri=True) as db:
            async with db.execute("SELECT value FROM meta WHERE key = 'store_key'") as cur:
                row = await cur.fetchone()
            return str(row[0]) if row else None
    except aiosqlite.Error:
        return None


@dataclass(frozen=True, slots=True)
class _Failure:
    """An article whose extraction raised: the error in one line and its traceback."""

    message: str
    details: str


def extraction_workers(articles: int) -> int:
    """How many processes extract `articles` articles: one per usable core, or none for a few articles."""
    if articles < PARALLEL_MIN_ARTICLES:
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores if cores > 1 else 0


@cache
def _worker_extractors() -> tuple[Directory, Gazetteer]:
    # Worker processes live for one build, so caching the curated data here never serves a stale copy.
    return Directory.load(), Gazetteer.load()


def _extract_one(raw: RawArticle, directory: Directory, gazetteer: Gazetteer) -> ArticleFacts | _Failure:
    try:
        return extract_article(raw, directory, gazetteer)
    except Exception as exc:  # one broken article must not cost the others
        return _Failure(f"{type(exc).__name__}: {exc}", traceback.format_exc())


def _extract_chunk(chunk: list[RawArticle]) -> list[ArticleFacts | _Failure]:
    directory, gazetteer = _worker_extractors()
    return [_extract_one(raw, directory, gazetteer) for raw in chunk]


def _extracted(
    articles: list[RawArticle], progress: Progress | None
) -> list[tuple[RawArticle, ArticleFacts | _Failure]]:
    total = len(articles)
    workers = extraction_workers(total)
    if not workers:
        directory, gazetteer = Directory.load(), Gazetteer.load()
        out = []
        for n, raw in enumerate(articles, 1):
            out.append((raw, _extract_one(raw, directory, gazetteer)))
            if progress:
                progress(n, total)
        return out
    chunks = [articles[i : i + CHUNK_ARTICLES] for i in range(0, total, CHUNK_ARTICLES)]
    # "spawn": forking a process that runs an event loop and database threads is not safe.
    context = multiprocessing.get_context("spawn")
    results: list[tuple[RawArticle, ArticleFacts | _Failure]] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for chunk, facts in zip(chunks, pool.map(_extract_chunk, chunks), strict=True):
            results.extend(zip(chunk, facts, strict=True))
            if progress:
                progress(len(results), total)
    return results


def extract_all(
    folders: Sequence[Path],
    progress: Progress | None = None,
) -> tuple[list[ArticleFacts], list[Skipped], list[str]]:
    """Load and extract every article (pure CPU work, in worker processes when there are many; no database)."""
    corpus = load_corpus(folders)
    out: list[ArticleFacts] = []
    skipped = list(corpus.skipped)
    for raw, facts in _extracted(corpus.articles, progress):
        if isinstance(facts, _Failure):
            log.error("extraction failed for %s\n%s", raw.meta.article_id, facts.details)
            skipped.append(Skipped(Path(raw.meta.path).name, f"extraction failed: {facts.message}"))
        else:
            out.append(facts)
    return out, skipped, corpus.warnings


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
        async with aiosqlite.connect(f"file:{db_path}?mode=ro", uri=True) as db:
            for name in ("articles", "quotes", "events", "island_facts"):
                async with db.execute(f"SELECT count(*) FROM {name}") as cur:
                    row = await cur.fetchone()
                setattr(report, name if name != "articles" else "articles", int(row[0]) if row else 0)
            async with db.execute("SELECT path, reason FROM skipped") as cur:
                report.skipped = [Skipped(p, r) for p, r in await cur.fetchall()]
        return report

    clock = time.perf_counter()
    articles, skipped, warnings = extract_all(folders, progress)
    report.phases["extract"] = time.perf_counter() - clock
    report.skipped, report.warnings, report.rebuilt = skipped, warnings, True
    report.unresolved_dates = sum(a.unresolved_dates for a in articles)
    clock = time.perf_counter()
    quotes, events, island_facts = merge(articles)
    report.phases["merge"] = time.perf_counter() - clock
    clock = time.perf_counter()

    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
        leftover.unlink(missing_ok=True)
    try:
        async with aiosqlite.connect(tmp) as db:
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.executescript(SCHEMA)
            await _write(db, articles, quotes, events, island_facts, skipped)
            meta = {
                "schema_version": str(SCHEMA_VERSION),
                "extractor_version": str(EXTRACTOR_VERSION),
                "store_key": key,
                "built_at": started.isoformat(),
                "folders": json.dumps([str(f) for f in folders]),
            }
            await db.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
            await db.commit()
            await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        os.replace(tmp, db_path)  # atomic: readers see the old store or the new one, never half of one
        _fsync_dir(db_path.parent)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    report.phases["write"] = time.perf_counter() - clock
    report.articles = len(articles)
    report.quotes, report.events, report.island_facts = len(quotes), len(events), len(island_facts)
    report.seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    return report


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


async def _write(
    db: aiosqlite.Connection,
    articles: list[ArticleFacts],
    quotes: list,
    events: list,
    island_facts: list,
    skipped: list[Skipped],
) -> None:
    await db.executemany(
        "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                a.meta.article_id,
                n,
                a.meta.title,
                a.meta.outlet,
                a.meta.url,
                a.meta.published.iso() if a.meta.published else None,
                a.meta.published_note,
                a.meta.sha256,
                Path(a.meta.path).name,
                a.text,
            )
            for n, a in enumerate(articles)
        ],
    )
    await db.executemany(
        'INSERT INTO passages (article_id, start, "end") VALUES (?, ?, ?)',
        [(a.meta.article_id, p.start, p.end) for a in articles for p in a.passages],
    )
    sources: list[tuple[str, int, int, str, int, int, str]] = []

    def add_sources(kind: str, fact_id: int, citations: Sequence) -> None:
        sources.extend(
            (kind, fact_id, n, c.article_id, c.start, c.end, c.excerpt) for n, c in enumerate(citations)
        )

    quote_rows = []
    for fid, q in enumerate(quotes, 1):
        quote_rows.append(
            (
                fid,
                q.text,
                q.speaker,
                int(q.partial),
                q.date.iso() if q.date else None,
                q.date.sort_key() if q.date else None,
            )
        )
        add_sources("quote", fid, q.sources)
    await db.executemany("INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?)", quote_rows)
    event_rows = []
    for fid, e in enumerate(events, 1):
        event_rows.append(
            (
                fid,
                e.date.iso(),
                e.date.granularity,
                e.date.sort_key(),
                e.date.year,
                e.date.month,
                e.date.day,
                e.text,
            )
        )
        add_sources("event", fid, e.sources)
    await db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", event_rows)
    island_rows = []
    for fid, f in enumerate(island_facts, 1):
        island_rows.append(
            (fid, f.island, f.text, f.date.iso() if f.date else None, f.date.sort_key() if f.date else None)
        )
        add_sources("island", fid, f.sources)
    await db.executemany("INSERT INTO island_facts VALUES (?, ?, ?, ?, ?)", island_rows)
    await db.executemany("INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)", sources)
    await db.executemany(
        "INSERT INTO speakers VALUES (?, ?)", sorted(Counter(q.speaker for q in quotes).items())
    )
    vocab: Counter[str] = Counter()
    for row in (*(q[1] for q in quote_rows), *(e[7] for e in event_rows), *(i[2] for i in island_rows)):
        vocab.update(w for w in re.findall(r"\w+", row.lower()) if len(w) >= 3 and not w.isdigit())
    await db.executemany("INSERT INTO vocab VALUES (?, ?)", sorted(vocab.items()))
    await db.executemany("INSERT INTO skipped VALUES (?, ?)", [(s.path, s.reason) for s in skipped])
    for table in ("quotes_fts", "events_fts", "island_facts_fts"):
        await db.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
