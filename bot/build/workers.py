"""The build's worker processes: they read and extract the articles, then group the facts of each block.

Extraction is pure Python, so it runs in worker processes, one per core. The workers read the files
themselves, so neither the reading nor the article text has to go through the build's process, and send
back each article's facts packed (`bot.build.transport`). The same workers then group the facts of each
corroboration block while the build writes the articles. A worker ends when the build's process does,
however that ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import multiprocessing.connection
import os
import threading
import traceback
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache

from bot.build.transport import PackedFacts, pack_facts
from bot.ingest.corroborate import BlockTask, run_blocks
from bot.ingest.islands import Gazetteer
from bot.ingest.loader import ArticleFile, load_article
from bot.ingest.people import Directory
from bot.ingest.pipeline import extract_article

Counted = Callable[[int, int], None]  # articles extracted so far, of how many

# Below this many articles, starting the workers (each imports the extractor) costs more than it saves.
PARALLEL_MIN_ARTICLES = 64
CHUNK_ARTICLES = 32
# Small corroboration blocks go to the workers in bundles of about this many facts.
MERGE_BUNDLE_FACTS = 4000


@dataclass(frozen=True, slots=True)
class Failure:
    """An article whose extraction raised: the error in one line and its traceback."""

    message: str
    details: str


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file that could not be read as an article, and why."""

    reason: str


@dataclass(frozen=True, slots=True)
class Extracted:
    """One article read and extracted: its facts (or why extraction failed) and its metadata warnings."""

    article_id: str
    path: str
    facts: PackedFacts | Failure
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
def workers(count: int) -> Iterator[ProcessPoolExecutor | None]:
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


def _extract_file(file: ArticleFile, directory: Directory, gazetteer: Gazetteer) -> Extracted | Unreadable:
    """Read, clean and extract one article file."""
    warnings: list[str] = []
    try:
        raw = load_article(file, warnings)
    except ValueError as exc:
        return Unreadable(str(exc))
    facts: PackedFacts | Failure
    try:
        facts = pack_facts(extract_article(raw, directory, gazetteer))
    except Exception as exc:  # one broken article must not cost the others
        facts = Failure(f"{type(exc).__name__}: {exc}", traceback.format_exc())
    return Extracted(raw.meta.article_id, raw.meta.path, facts, warnings)


def _extract_chunk(chunk: list[ArticleFile]) -> list[Extracted | Unreadable]:
    directory, gazetteer = _worker_extractors()
    return [_extract_file(file, directory, gazetteer) for file in chunk]


def extracted(
    files: list[ArticleFile], progress: Counted | None, pool: ProcessPoolExecutor | None
) -> Generator[Extracted | Unreadable]:
    """Every file read and extracted, in order: by the workers, or here without a pool."""
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


async def group_blocks(tasks: list[BlockTask], pool: ProcessPoolExecutor | None) -> list[list[int]]:
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
