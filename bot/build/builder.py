"""Build the fact store: plan what to read, extract in the workers, corroborate, write, swap.

A store whose recorded key matches the articles, the curated data and the code that decides what a store
holds is left alone (unless it is damaged). Otherwise the articles are extracted (`workers`), the facts
of each kind are grouped with those of other articles that state the same thing (`corroborate`), and the
store's writer (`bot.store.writer`) writes them as each kind is grouped, then swaps the new store in.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import hashlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from bot.build.progress import LoggedProgress, Progress, Step
from bot.build.transport import FactsUnpacker, PackedFacts
from bot.build.workers import (
    Extracted,
    Failure,
    Unreadable,
    extracted,
    extraction_workers,
    group_blocks,
    workers,
)
from bot.bundled import data_file
from bot.ingest.corroborate import EVENTS, ISLANDS, QUOTES, MergePlan
from bot.ingest.loader import ArticleFile, Skipped, content_hash, corpus_plan, duplicate_reason, sources_hash
from bot.store.reader import StoreError
from bot.store.schema import EXTRACTOR_VERSION, SCHEMA_VERSION
from bot.store.writer import (
    ArticleRecord,
    StoreWriter,
    damage,
    remove_stale_tmp_files,
    stored_key,
    stored_summary,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
Plan = list[ArticleFile | Skipped | str]

# The order the kinds of fact are grouped and written in: the biggest first, so that the workers group the
# others while it is written.
_KINDS = (ISLANDS, QUOTES, EVENTS)
_NAMES = {ISLANDS: "island facts", QUOTES: "quotes", EVENTS: "events"}


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
        code / "text.py",
        *sorted((code / "ingest").glob("*.py")),
        *sorted((code / "build").glob("*.py")),
        *sorted(p for p in (code / "store").glob("*.py") if p.name != "reader.py"),
    ]
    h = hashlib.sha256(sources_hash(folders).encode())
    h.update(content_hash(files).encode())
    h.update(f"schema={SCHEMA_VERSION};extractor={EXTRACTOR_VERSION}".encode())
    return h.hexdigest()


async def build_store(
    folders: Sequence[Path],
    db_path: Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the store at `db_path` from `folders` unless it is already up to date.

    `progress` hears of every step of a build (`bot.build.progress`); without one, the steps are logged.
    """
    report_step = progress or LoggedProgress()
    started = dt.datetime.now(dt.UTC)
    key = store_key(folders)
    report = BuildReport(str(db_path), rebuilt=False)
    if not force and await stored_key(db_path) == key:
        why = await damage(db_path)
        if why is None:
            summary = await stored_summary(db_path)
            report.articles, report.quotes = summary.articles, summary.quotes
            report.events, report.island_facts = summary.events, summary.island_facts
            report.skipped = summary.skipped
            return report
        # Up to date by its key, but not the file the build wrote: never served, built again.
        log.warning("the fact store %s is damaged (%s); rebuilding it from the articles", db_path, why)
        report.warnings.append(f"{db_path.name} was damaged ({why}); rebuilt from the articles")

    remove_stale_tmp_files(db_path)
    clock = time.perf_counter()
    plan = corpus_plan(folders)
    count = sum(isinstance(item, ArticleFile) for item in plan)
    report_step(Step("extract", "articles", 0, count))
    with _cyclic_gc_paused(), workers(extraction_workers(count)) as pool:
        # Corroboration needs the facts as objects, without the passages, which are written as offsets.
        unpack = FactsUnpacker(passages=False)
        found, skipped, warnings = _extract(
            plan,
            lambda n, total: report_step(Step("extract", "articles", n, total)),
            pool,
            lambda p: (unpack(p), p[2]),
        )
        records = [ArticleRecord(a.meta, a.text, passages) for a, passages in found]
        articles = [a for a, _ in found]
        del found
        report.phases["extract"] = time.perf_counter() - clock
        report.skipped, report.warnings, report.rebuilt = skipped, warnings, True
        report.unresolved_dates = sum(a.unresolved_dates for a in articles)
        # Corroboration runs in the workers, the biggest kind first, while this process writes the
        # articles and then each kind of fact as soon as it is grouped.
        merge_plan = MergePlan(articles)
        report.articles = len(articles)
        del articles  # the plan holds the facts now, and lets go of each kind once it is written
        merge_started = time.perf_counter()
        groupings = {kind: asyncio.create_task(group_blocks(merge_plan.tasks(kind), pool)) for kind in _KINDS}
        try:
            writing, merge_done = await _write(
                db_path, key, started, folders, records, skipped, merge_plan, groupings, report, report_step
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


def _extract(
    plan: Plan,
    progress: Callable[[int, int], None],
    pool: ProcessPoolExecutor | None,
    keep: Callable[[PackedFacts], T],
) -> tuple[list[T], list[Skipped], list[str]]:
    """What `keep` makes of each article's facts, what was skipped, and the warnings, in the plan's order:
    what `load_corpus` reports, then the articles whose extraction failed."""
    files = [item for item in plan if isinstance(item, ArticleFile)]
    with contextlib.closing(extracted(files, progress, pool)) as results:
        return _collect(plan, results, keep)


def _collect(
    plan: Plan, results: Iterator[Extracted | Unreadable], keep: Callable[[PackedFacts], T]
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
        if isinstance(result, Unreadable):
            skipped.append(Skipped(name, result.reason))
            continue
        if result.article_id in seen:
            skipped.append(Skipped(name, duplicate_reason(result.article_id)))
            continue
        seen.add(result.article_id)
        warnings.extend(result.warnings)
        if isinstance(result.facts, Failure):
            log.error("extraction failed for %s\n%s", result.article_id, result.facts.details)
            failed.append(Skipped(Path(result.path).name, f"extraction failed: {result.facts.message}"))
        else:
            out.append(keep(result.facts))  # as the results come in, while the workers go on
    return out, skipped + failed, warnings


async def _write(
    db_path: Path,
    key: str,
    started: dt.datetime,
    folders: Sequence[Path],
    records: list[ArticleRecord],
    skipped: list[Skipped],
    merge_plan: MergePlan,
    groupings: dict[str, asyncio.Task[list[list[int]]]],
    report: BuildReport,
    progress: Progress,
) -> tuple[float, float]:
    """Write the new store and swap it in; returns the seconds spent writing (not waiting for the merge)
    and when the merge was done."""
    clock = time.perf_counter()
    waited = 0.0
    merge_done = clock
    async with StoreWriter.create(db_path) as writer:
        progress(Step("write", "articles", 0, 1))
        await writer.articles(records, skipped)
        records.clear()  # written: the articles' texts are not needed any more
        for kind in _KINDS:
            progress(Step("corroborate", _NAMES[kind], 0, 1))
            wait = time.perf_counter()
            grouped = await groupings[kind]
            progress(Step("write", _NAMES[kind], 0, 1))
            merge_done = time.perf_counter()
            waited += merge_done - wait
            # Each kind is written as soon as it is grouped: the writer queues its rows to the database
            # thread, which writes them while this thread corroborates the next kind.
            if kind == QUOTES:
                quotes = merge_plan.quotes(grouped)
                report.quotes = len(quotes)
                await writer.quotes(quotes)
            elif kind == EVENTS:
                events = merge_plan.events(grouped)
                report.events = len(events)
                await writer.events(events)
            else:
                island_facts = merge_plan.islands(grouped)
                report.island_facts = len(island_facts)
                await writer.island_facts(island_facts)
        progress(Step("seal", "store", 0, 1))
        await writer.finish(key, started.isoformat(), folders)
        progress(Step("seal", "store", 1, 1))
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
