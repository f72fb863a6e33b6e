"""What every part of the benchmark shares: its targets and options, percentiles, memory sampling and
the child processes that each measurement runs in.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SMALL_N = 50
HIT_QUERIES = 200
REPEATS = 3
LOAD_INTERACTIONS = (500, 1000)  # the two burst sizes
CHECKS_PER_CLASS = 200  # claims per verdict in the quote-check section
ADVERSARIAL_KB = 1024  # 1 MB: the size of the adversarial articles, as in the hardening report
LOAD_DEADLINE_S = 3.0
EXAMPLES = 4
QUOTE_MATCH = 90.0  # fuzz.ratio between planted and extracted quote text (normalised) that counts as found
# Corroboration merges near-identical quotes of one speaker and keeps one wording; a quote that cites this
# passage and was merged counts as found when its kept wording is this close.
MERGED_MATCH = 75.0

TARGETS = {
    "build_seconds": 60.0,
    "serving_rss_mb": 300.0,
    "answer_p99_ms": 20.0,
    "autocomplete_p99_ms": 10.0,
    "peer_speedup": 2.0,
    "load_lag_p99_ms": 50.0,
    "recall_drop_points": 2.0,
    "check_accuracy_pct": 97.0,
    "check_p99_ms": 20.0,
}


@dataclass(slots=True)
class Options:
    """What to run."""

    sizes: list[int]
    out: Path
    seed: int = 1
    skip_peer: bool = False
    skip_load: bool = False
    work: Path | None = None  # where corpora and stores go (default: a folder beside the report)
    small: int = SMALL_N
    hit_queries: int = HIT_QUERIES
    repeats: int = REPEATS
    load_interactions: list[int] = field(default_factory=lambda: list(LOAD_INTERACTIONS))
    load_baseline: str | None = None  # a git revision whose bot is measured beside this one
    load_profile: bool = False  # one more burst per revision under py-spy
    daily_subscriptions: int = 1000  # due at the same minute in the shards section (0: not measured)
    keep: bool = False  # keep the generated corpora and stores
    adversarial_kb: int = ADVERSARIAL_KB  # the size of each adversarial article (0: skip the section)
    checks_per_class: int = CHECKS_PER_CLASS  # claims per verdict in the quote-check section (0: skip it)


# ---------------------------------------------------------------------------------------------- helpers


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99 and max of `samples` (milliseconds), rounded for the report."""
    if not samples:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    data = sorted(samples)
    if len(data) == 1:
        data = data * 2
    q = statistics.quantiles(data, n=100, method="inclusive")
    return {
        "n": len(samples),
        "p50": round(q[49], 3),
        "p95": round(q[94], 3),
        "p99": round(q[98], 3),
        "max": round(data[-1], 3),
    }


def mb(n_bytes: float) -> float:
    return round(n_bytes / (1024 * 1024), 1)


def rss_of(pid: int | None = None) -> int:
    """Resident bytes of a process now (this one by default): psutil when installed, else /proc."""
    try:
        import psutil

        return int(psutil.Process(pid).memory_info().rss)
    except ImportError:
        pass
    statm = Path(f"/proc/{pid or 'self'}/statm")
    if statm.is_file():
        return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # the peak: an upper bound


class PeakRSS:
    """The peak resident memory of this process and its children, sampled in a thread."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def current(self) -> int:
        """Resident bytes now, this process and its children together (only this one without psutil)."""
        try:
            import psutil
        except ImportError:
            return rss_of()
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.current())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.current(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


def child_env() -> dict[str, str]:
    """The environment of child processes: this checkout first on the path, no bot settings inherited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "FACTBOT_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["FACTBOT_LOG_LEVEL"] = "WARNING"
    env["PYTHONFAULTHANDLER"] = "1"  # a child that hangs and is aborted prints where every thread was
    return env


def run_child(task: str, payload: dict[str, Any], cwd: Path, timeout: float = 3600) -> dict[str, Any]:
    """Run `task` of this module in a fresh Python process and return its JSON answer."""
    proc = subprocess.run(
        [sys.executable, "-c", "from bench.run import child_main; child_main()"],
        input=json.dumps({"task": task, "payload": payload}),
        capture_output=True,
        text=True,
        cwd=cwd,
        env=child_env(),
        timeout=timeout,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench child {task!r} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return dict(json.loads(lines[-1]))


def _git(*args: str) -> str | None:
    """The output of a read-only git command in this checkout, or None without git or a repository."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        # The arguments are fixed read-only subcommands of this module, never user input.
        out = subprocess.run([git, *args], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def header() -> dict[str, Any]:
    """When and where the figures were measured."""
    revision = _git("rev-parse", "--short", "HEAD")
    if revision and _git("status", "--porcelain", "--untracked-files=no"):
        revision += " (with uncommitted changes)"
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": affinity,
        "load_average": round(load, 2) if load is not None else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_revision": revision,
    }
