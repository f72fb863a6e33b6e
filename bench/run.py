"""Measure factbot on generated corpora and write docs/benchmarks.md and docs/benchmarks.json.

Every measurement that needs a clean process (the build, the queries, the bot under load) runs in a child
Python process, so one section's memory never inflates another's figures. Children get their task as JSON
on stdin and answer with one JSON line on stdout; their logs go to stderr.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench import adversarial, checks
from bench.accuracy import score
from bench.build import child_build, measure_build
from bench.common import Options, header, run_child
from bench.generate import Truth, generate
from bench.load import child_serve, measure_load
from bench.queries import ambiguity, child_queries, measure_queries, query_mix
from bench.report import write_reports
from bench.shards import measure_shards
from bench.targets import evaluate_targets

log = logging.getLogger(__name__)


@contextlib.contextmanager
def _stage(name: str) -> Iterator[None]:
    started = time.perf_counter()
    log.info("%s …", name)
    yield
    log.info("%s done in %.1f s", name, time.perf_counter() - started)


def run(options: Options) -> dict[str, Any]:
    """Run every section for every size; returns the report (also written to options.out and .json)."""
    work = options.work or Path(tempfile.mkdtemp(prefix="factbot-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = sorted(set(options.sizes))
    report: dict[str, Any] = {
        "header": header(),
        "seed": options.seed,
        "small_n": options.small,
        "measured_sizes": sizes,
        "sizes": {},
    }
    try:
        for n in dict.fromkeys([options.small, *sizes]):
            entry: dict[str, Any] = {}
            folder = work / f"corpus-{n}"
            db = work / f"facts-{n}.db"
            shutil.rmtree(folder, ignore_errors=True)
            with _stage(f"generating {n} articles"):
                started = time.perf_counter()
                truth = generate(folder, n, options.seed)
                entry["generator"] = _generator_figures(truth, time.perf_counter() - started)
            with _stage(f"building the store of {n} articles"):
                entry["build"] = measure_build(folder, db, work)
            with _stage(f"scoring {n} articles against the planted truth"):
                entry["accuracy"], found = score(truth, folder, db)
            if n in sizes:
                mix = query_mix(truth, found, options)
                with _stage(f"queries on {n} articles"):
                    entry["queries"] = measure_queries(db, mix, options, work)
                    entry["queries"]["hits"]["words_together_in"] = ambiguity(db, mix["hits"])
                if options.skip_peer:
                    entry["queries"]["peer"] = {"skipped": "--skip-peer"}
                if options.checks_per_class:
                    with _stage(f"quote checks on {n} articles"):
                        payload = {"db": str(db), "n": options.checks_per_class, "seed": options.seed}
                        entry["checks"] = run_child("checks", payload, work)
            report["sizes"][str(n)] = entry
            # Figures so far, in case a later section fails or the run is interrupted.
            (work / "partial.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
            if n == sizes[-1] and not options.skip_load:
                rebuilt = _refresh_store(folder, db, work)
                bursts = "/".join(str(k) for k in options.load_interactions)
                with _stage(f"start-up and bursts of {bursts} interactions on {n} articles and the seeds"):
                    try:
                        report["load"] = measure_load(db, folder, work, mix, options)
                    except (OSError, RuntimeError, TimeoutError) as exc:
                        log.exception("the load section failed")
                        report["load"] = {"skipped": f"it failed: {type(exc).__name__}: {exc}"}
                if rebuilt:
                    report["load"]["note"] = rebuilt
                # The largest burst, spread over the shards of two processes.
                shard_burst = max(options.load_interactions)
                with _stage(f"two processes of two shards each, {shard_burst} interactions"):
                    try:
                        report["shards"] = measure_shards(
                            db,
                            folder,
                            work,
                            mix,
                            shard_burst,
                            options.seed,
                            subscriptions=options.daily_subscriptions,
                        )
                    except (OSError, RuntimeError, TimeoutError) as exc:
                        log.exception("the shards section failed")
                        report["shards"] = {"skipped": f"it failed: {type(exc).__name__}: {exc}"}
        if options.adversarial_kb:
            with _stage(f"adversarial articles of {options.adversarial_kb:,} KB"):
                report["adversarial"] = measure_adversarial(work, options.adversarial_kb * 1024, options)
        else:
            report["adversarial"] = {"skipped": "--adversarial-kb 0"}
        if options.skip_load:
            report["load"] = {"skipped": "--skip-load"}
            report["shards"] = {"skipped": "--skip-load"}
        report["targets"] = evaluate_targets(report, sizes[-1])
        write_reports(report, options.out)
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    return report


def measure_adversarial(work: Path, size: int, options: Options) -> dict[str, Any]:
    """Adversarial articles beside a normal one of the same size (see bench/adversarial.py)."""
    files = adversarial.write_articles(work / "adversarial", size, work / f"corpus-{options.small}")
    figures = run_child("adversarial", {"files": {k: str(v) for k, v in files.items()}}, work)
    return adversarial.summarise(figures)


def _refresh_store(folder: Path, db: Path, work: Path) -> str | None:
    """Rebuild the store when the extraction code changed since it was built, so the bot finds it current."""
    from bot.build import store_key
    from bot.store.writer import stored_key

    if asyncio.run(stored_key(db)) == store_key([folder]):
        return None
    log.warning("the extraction code changed during the run; rebuilding the store before the load section")
    run_child("build", {"folder": str(folder), "db": str(db)}, work)
    return "the store was rebuilt before this section because the extraction code changed during the run"


def _generator_figures(truth: Truth, seconds: float) -> dict[str, Any]:
    words = [a.words for a in truth.articles]
    return {
        "seconds": round(seconds, 2),
        "articles": len(truth.articles),
        "words_mean": round(statistics.fmean(words), 1) if words else 0,
        "words_min": min(words, default=0),
        "words_max": max(words, default=0),
        "planted": {
            "quotes": len(truth.quotes),
            "dates": len(truth.dates),
            "islands": len(truth.islands),
            "traps": len(truth.traps),
            "furniture": len(truth.furniture),
        },
        "metadata": dict(Counter(a.metadata for a in truth.articles)),
        "quote_styles": dict(sorted(Counter(q.style for q in truth.quotes).items())),
    }


def child_main() -> None:
    """Entry point of a child process: read the task from stdin, answer on stdout."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    request = json.loads(sys.stdin.read())
    tasks: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
        "adversarial": adversarial.child_extract,
        "build": child_build,
        "checks": checks.child_checks,
        "queries": child_queries,
        "serve": child_serve,
    }
    result = tasks[request["task"]](request["payload"])
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
