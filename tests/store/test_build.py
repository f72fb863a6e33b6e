from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.answers import Facts
from bot.store.build import build_store
from bot.store.reader import FactStore, StoreError
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
async def test_store_is_wal_and_versioned(seed_db: Path) -> None:
    con = sqlite3.connect(seed_db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "1"
    assert con.execute("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'treaty'").fetchone()[0] > 0
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
