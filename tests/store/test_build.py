from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answers import Facts
from bot.build import build_store, workers
from bot.models import PartialDate
from bot.store import integrity, writer
from bot.store.reader import FactStore, StoreError
from bot.store.schema import SCHEMA_VERSION
from bot.store.writer import remove_stale_tmp_files
from tests.helpers import SEEDS


@pytest.mark.asyncio
async def test_every_excerpt_is_the_exact_substring_at_its_offsets(seed_db: Path) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    con = sqlite3.connect(seed_db)
    rows = con.execute('SELECT fact_kind, fact_id, article_id, start, "end", excerpt FROM sources').fetchall()
    con.close()
    assert len(rows) > 50
    for kind, fact_id, article_id, start, end, excerpt in rows:
        assert texts[article_id][start:end] == excerpt, (kind, fact_id)


@pytest.mark.asyncio
async def test_seed_counts(facts: Facts) -> None:
    counts = await facts.store.counts()
    assert counts.articles == 5
    assert counts.quotes == 17
    assert counts.events >= 18
    assert counts.island_facts >= 15


@pytest.mark.asyncio
async def test_store_is_sealed_readable_from_a_read_only_folder_and_versioned(seed_db: Path) -> None:
    integrity.check(seed_db)  # the checksum the build wrote matches every byte
    con = sqlite3.connect(f"file:{seed_db}?mode=ro", uri=True)
    # Not WAL: reading a WAL file needs a -shm file beside it, which a read-only folder cannot hold.
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(
        SCHEMA_VERSION
    )
    assert con.execute("SELECT count(*) FROM quotes WHERE text LIKE '%treaty%'").fetchone()[0] > 0
    con.close()


@pytest.mark.asyncio
async def test_unchanged_articles_are_not_rebuilt_and_changed_ones_are(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    db = tmp_path / "facts.db"
    first = await build_store([folder], db)
    assert first.rebuilt and first.articles == 5
    again = await build_store([folder], db)
    assert not again.rebuilt and again.quotes == first.quotes
    (folder / "new.txt").write_text(
        "Talks on Shikotan resumed in March 2021, officials said.\n", encoding="utf-8"
    )
    third = await build_store([folder], db)
    assert third.rebuilt and third.articles == 6


@pytest.mark.asyncio
async def test_reader_keeps_its_store_while_a_rebuild_swaps_in_a_new_one(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    db = tmp_path / "facts.db"
    await build_store([folder], db)
    store = await FactStore.open(db)
    try:
        before = await store.counts()
        for p in folder.glob("00[0-3]_*.txt"):
            p.unlink()
        report = await build_store([folder], db)
        assert report.articles == 1
        assert await store.counts() == before  # the old, complete store
    finally:
        await store.close()
    async with await FactStore.open(db) as fresh:
        assert (await fresh.counts()).articles == 1
    assert not list(tmp_path.glob("facts.db.tmp-*"))


@pytest.mark.asyncio
async def test_broken_files_are_skipped_with_a_reason_and_the_rest_is_built(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (folder / "latin1.txt").write_bytes("Caf\xe9 talks on Iturup.".encode("latin-1"))
    (folder / "utf16.txt").write_bytes("In 1956, Japan and the USSR signed a declaration.\n".encode("utf-16"))
    (folder / "articles.toml").write_text(
        (SEEDS / "articles.toml").read_text() + "\n[bad\n", encoding="utf-8"
    )
    report = await build_store([folder], tmp_path / "facts.db")
    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "UTF-8" in reasons["latin1.txt"]
    assert report.articles == 6  # the five seeds and the UTF-16 file
    assert any("manifest" in w for w in report.warnings)


@pytest.mark.asyncio
async def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="factbot build"):
        await FactStore.open(tmp_path / "nothing.db")


def _dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_build_removes_the_files_of_killed_builds_but_not_those_of_running_ones(tmp_path: Path) -> None:
    db = tmp_path / "facts.db"
    dead = _dead_pid()
    stale = [tmp_path / f"facts.db.tmp-{dead}{suffix}" for suffix in ("", "-wal", "-shm", "-journal")]
    # Runs until the test ends it, however long the build below takes on a loaded machine.
    live = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        running = [tmp_path / f"facts.db.tmp-{live.pid}", tmp_path / f"facts.db.tmp-{live.pid}-wal"]
        others = [
            tmp_path / f"other.db.tmp-{dead}",
            tmp_path / f"facts.db.tmp-{dead}.bak",
            tmp_path / "facts.db.tmp-x",
        ]
        for path in (*stale, *running, *others):
            path.write_bytes(b"partial")
        report = asyncio.run(build_store([SEEDS], db))
        assert report.rebuilt and report.articles == 5
        assert not any(p.exists() for p in stale)
        assert all(p.exists() for p in running)  # a build that is still going keeps its files
        assert all(p.exists() for p in others)  # only this store's temporary files are touched
    finally:
        live.kill()
        live.communicate()  # reaps it and closes its stdin
    # Once that build is gone too, its files go with the next build.
    assert sorted(remove_stale_tmp_files(db)) == sorted(running)
    assert not any(p.exists() for p in running)


@pytest.mark.asyncio
async def test_worker_processes_build_the_same_store_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await build_store([SEEDS], tmp_path / "one.db")
    monkeypatch.setattr(workers, "PARALLEL_MIN_ARTICLES", 1)
    monkeypatch.setattr(workers, "MERGE_BUNDLE_FACTS", 2)
    assert workers.extraction_workers(5) > 0 or (os.cpu_count() or 1) == 1
    report = await build_store([SEEDS], tmp_path / "workers.db")
    assert report.articles == 5 and set(report.phases) == {"extract", "merge", "write"}

    def content(db: Path) -> dict[str, list[tuple[object, ...]]]:
        con = sqlite3.connect(db)
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out = {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in tables if t != "meta"}
        con.close()
        return out

    assert content(tmp_path / "workers.db") == content(tmp_path / "one.db")


def test_dates_of_different_precision_order_without_error() -> None:
    dates = [PartialDate(2013, 4, 24), PartialDate(2013), PartialDate(2013, 4), PartialDate(2012, 12)]
    assert sorted(dates) == [
        PartialDate(2012, 12),
        PartialDate(2013),
        PartialDate(2013, 4),
        PartialDate(2013, 4, 24),
    ]
    assert min(dates[:3]) == PartialDate(2013)


@pytest.mark.asyncio
async def test_pipelined_writes_of_the_same_statement_all_land(tmp_path: Path) -> None:
    # The build queues each kind's inserts without awaiting them one by one, and the sources and speakers
    # inserts repeat from kind to kind. A cursor dropped on the event loop's thread while the database
    # thread runs the same cached statement again broke one build in a hundred ("bad parameter or other
    # API misuse"); this queues far more such pairs than a build does, so the race cannot hide.
    import aiosqlite

    async with aiosqlite.connect(tmp_path / "pipelined.db") as db:
        await db.execute("CREATE TABLE a (n INTEGER, text TEXT)")
        await db.execute("CREATE TABLE b (n INTEGER, text TEXT)")
        rows = [(n, "Shikotan " * 3) for n in range(200)]
        for _ in range(20):
            queued = []
            for _ in range(40):
                queued += [
                    asyncio.create_task(writer._run(db, "INSERT INTO a VALUES (?, ?)", rows)),
                    asyncio.create_task(writer._run(db, "INSERT INTO b VALUES (?, ?)", rows)),
                ]
                await asyncio.sleep(0)
            await asyncio.gather(*queued)
        async with db.execute("SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b)") as cur:
            assert await cur.fetchone() == (20 * 40 * 200, 20 * 40 * 200)
