"""A rebuild killed with SIGKILL at random moments leaves the complete old store or the complete new one.

`python -m bot.cli build --force` runs as a real process (with its extraction workers, in its own process
group) on a corpus big enough to take seconds, alternating between two corpora so that the old and the new
store differ. Half of the kills land at a random moment of the whole build, half while the new file is
being written. After each kill the store is checked against clean builds of both corpora, and the state
database beside it must not have changed by a single byte.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.build import build_store
from bot.daily import StateDB
from bot.store.reader import FactStore, StoreCounts
from tests.helpers import ROOT, SEEDS
from tests.waits import DEADLINE

CI_KILLS, CI_ARTICLES = 8, 64
STRESS_KILLS, STRESS_ARTICLES = 50, 300


@dataclass
class Corpus:
    folder: Path
    counts: StoreCounts
    key: str


def write_corpus(folder: Path, articles: int) -> None:
    """`articles` variants of the seed articles: new headlines and one extra dated sentence each."""
    folder.mkdir(parents=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(articles):
        lines = seeds[i % len(seeds)].read_text(encoding="utf-8").split("\n")
        lines[0] = f"{lines[0]} (edition {i})"
        extra = f"\n\nA correspondent, number {i}, reported from Shikotan in {1950 + i % 70}.\n"
        (folder / f"v{i:04d}.txt").write_text("\n".join(lines) + extra, encoding="utf-8")


async def store_facts(db: Path) -> tuple[StoreCounts, str | None]:
    """The store's counts and build key, read the way the bot reads it."""
    store = await FactStore.open(db)
    try:
        return await store.counts(), await store.meta_value("store_key")
    finally:
        await store.close()


async def reference(folder: Path, db: Path) -> Corpus:
    await build_store([folder], db, force=True)
    counts, key = await store_facts(db)
    assert key is not None
    return Corpus(folder, counts, key)


async def make_state(path: Path) -> None:
    """A state database with a subscription and a post log, closed (so the file is all there is)."""
    state = await StateDB.open(path)
    try:
        now = dt.datetime(2026, 11, 22, 1, tzinfo=dt.UTC)
        await state.subscribe(1, 2, "09:00", "Asia/Tokyo", 3, now=now - dt.timedelta(days=3))
        for day in (20, 21):
            local = dt.date(2026, 11, day)
            assert await state.claim_post(2, local, f"event:{day}", now=now)
            await state.mark_sent(2, local, 1000 + day, now=now)
        assert await state.claim_post(2, dt.date(2026, 11, 22), "event:22", now=now)
    finally:
        await state.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def integrity(db: Path) -> str:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def build_process(folder: Path, db: Path, cwd: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "FACTBOT_"))}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "build", "--force", "--articles", str(folder), "--db", str(db)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill reaches the extraction workers too
    )


def kill_group(proc: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the build and its workers; False when it had already finished."""
    finished = proc.poll() is not None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=DEADLINE)
    if proc.stderr is not None:
        proc.stderr.close()
    return not finished


def wait_for_file(path: Path, proc: subprocess.Popen[bytes]) -> bool:
    """Wait until `path` exists (True) or `proc` has ended without it (False); fail after DEADLINE seconds.

    Nothing announces the file, so this looks every few milliseconds: a build writes for a while, and the
    kill that follows is meant to land inside that write.
    """
    deadline = time.monotonic() + DEADLINE
    while not path.exists():
        if proc.poll() is not None:
            return path.exists()
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"the build (pid {proc.pid}) did not start writing {path.name} within {DEADLINE:.0f} s"
            )
        time.sleep(0.005)
    return True


def tmp_files(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f"{db.name}.tmp-*"))


@pytest.mark.parametrize(
    ("kills", "articles"),
    [
        pytest.param(CI_KILLS, CI_ARTICLES, id="ci"),
        pytest.param(STRESS_KILLS, STRESS_ARTICLES, id="stress", marks=pytest.mark.stress),
    ],
)
def test_killed_rebuilds_leave_the_old_or_the_new_store_and_never_touch_the_state(
    tmp_path: Path, kills: int, articles: int
) -> None:
    rng = random.Random(20261122 + kills)
    write_corpus(tmp_path / "a", articles)
    write_corpus(tmp_path / "b", articles + articles // 8)
    started = time.perf_counter()
    corpora = [
        asyncio.run(reference(tmp_path / "a", tmp_path / "ref-a.db")),
        asyncio.run(reference(tmp_path / "b", tmp_path / "ref-b.db")),
    ]
    build_seconds = (time.perf_counter() - started) / 2 + 1.0  # plus the interpreter's start-up
    assert corpora[0].counts != corpora[1].counts

    live = tmp_path / "live"
    live.mkdir()
    db, state = live / "facts.db", live / "state.db"
    db.write_bytes((tmp_path / "ref-a.db").read_bytes())
    asyncio.run(make_state(state))
    state_hash = sha256(state)
    current = 0
    outcomes = {"old": 0, "new": 0, "killed while writing": 0, "finished before the kill": 0}

    for n in range(kills):
        target = 1 - current
        proc = build_process(corpora[target].folder, db, tmp_path)
        if n % 2:
            delay = rng.uniform(0.0, build_seconds)
            time.sleep(delay)
        else:
            # Wait for this build's own new file to appear (killed builds leave theirs behind), then kill
            # somewhere inside the write.
            writing = wait_for_file(db.with_name(f"{db.name}.tmp-{proc.pid}"), proc)
            time.sleep(rng.uniform(0.0, 0.25))
            outcomes["killed while writing"] += writing
        if not kill_group(proc):
            outcomes["finished before the kill"] += 1
            assert proc.returncode == 0

        counts, key = asyncio.run(store_facts(db))
        assert integrity(db) == "ok"
        matches = [i for i, c in enumerate(corpora) if c.key == key]
        assert matches, f"kill {n}: the store at {db.name} is neither the old nor the new build"
        found = matches[0]
        assert counts == corpora[found].counts, f"kill {n}: a partial store"
        assert found in (current, target)
        outcomes["old" if found == current else "new"] += 1
        current = found
        assert sha256(state) == state_hash, f"kill {n}: the state database changed"
        assert not (live / "state.db-wal").exists() and not (live / "state.db-journal").exists()

    assert outcomes["old"] + outcomes["new"] == kills
    assert outcomes["killed while writing"] >= 1
    # Killed builds leave their temporary files behind; the store itself is never one of them.
    assert all(p.name != db.name for p in tmp_files(db))
    print(f"\nrebuild kills: {kills}, outcomes: {outcomes}, stale tmp files: {len(tmp_files(db))}")


def _children(pid: int) -> set[int]:
    """The processes `pid` started that still run (Linux: /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found.update(int(p) for p in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to find the worker processes")
def test_extraction_workers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", CI_ARTICLES)
    proc = build_process(tmp_path / "a", tmp_path / "facts.db", tmp_path)
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            workers = {pid for pid in _children(proc.pid) if _alive(pid)}
            time.sleep(0.01)
        assert workers, "the build started no extraction workers"
        os.kill(proc.pid, signal.SIGKILL)  # the build alone, as an out-of-memory kill or `kill -9 <pid>` does
        proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers), "the workers outlived the build"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.stderr is not None:
            proc.stderr.close()
