"""The build section: a store built from a generated corpus in a child process, timed and measured."""

from __future__ import annotations

import asyncio
import resource
import time
from pathlib import Path
from typing import Any

from bench.common import PeakRSS, mb, run_child


def child_build(payload: dict[str, Any]) -> dict[str, Any]:
    from bot.build import build_store

    folder, db = Path(payload["folder"]), Path(payload["db"])
    started = time.perf_counter()
    with PeakRSS() as rss:
        report = asyncio.run(build_store([folder], db, force=True))
    wall = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {
        "seconds": round(wall, 3),
        "articles": report.articles,
        "skipped": len(report.skipped),
        "quotes": report.quotes,
        "events": report.events,
        "island_facts": report.island_facts,
        "phases": {k: round(v, 3) for k, v in getattr(report, "phases", {}).items()},
        "peak_rss_mb": mb(rss.peak),
        "largest_worker_rss_mb": mb(children),
        "store_mb": mb(db.stat().st_size),
    }


def measure_build(folder: Path, db: Path, work: Path) -> dict[str, Any]:
    """Build the store from scratch in a child process: time, memory, size."""
    figures = run_child("build", {"folder": str(folder), "db": str(db)}, work)
    figures["articles_per_s"] = (
        round(figures["articles"] / figures["seconds"], 1) if figures["seconds"] else 0
    )
    return figures
