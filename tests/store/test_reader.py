"""Reading the store: facts in memory, their citations read from the store when asked for."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.answers import Facts
from bot.store.reader import FactStore


@pytest.mark.asyncio
async def test_citations_are_read_on_demand_and_match_the_stored_rows(facts: Facts, seed_db: Path) -> None:
    db = sqlite3.connect(f"file:{seed_db}?immutable=1", uri=True)
    stored = {
        (kind, fid, ordinal): (article_id, start, end, excerpt)
        for kind, fid, ordinal, article_id, start, end, excerpt in db.execute(
            'SELECT fact_kind, fact_id, ord, article_id, start, "end", excerpt FROM sources'
        )
    }
    db.close()
    everything = [("event", e) for e in await facts.store.events()]
    everything += [("quote", q) for q in await facts.store.quotes()]
    for key in await facts.store.island_counts():
        everything += [("island", f) for f in await facts.store.island_facts(key)]
    seen = 0
    for kind, fact in everything:
        cites = fact.sources
        assert cites, f"{kind} {fact.fact_id} has no citation"
        assert fact.sources is cites  # the second ask comes from the cache
        for ordinal, c in enumerate(cites):
            assert stored[(kind, fact.fact_id, ordinal)] == (c.article_id, c.start, c.end, c.excerpt)
            seen += 1
    assert seen == len(stored)


@pytest.mark.asyncio
async def test_a_fact_equals_itself_and_hashes_with_its_citations(seed_db: Path) -> None:
    store = await FactStore.open(seed_db)
    try:
        first = (await store.events())[0]
        again = (await store.events(ids=[first.fact_id]))[0]
        assert first == again and hash(first) == hash(again)
        assert repr(first).startswith("_StoredEvent(date=PartialDate(")
    finally:
        await store.close()


@pytest.mark.asyncio
async def test_a_facts_first_sources_match_its_sources_cold_and_cached(seed_db: Path) -> None:
    for k in (1, 50):  # the seeds cite a fact at most twice: k=1 reads part of some facts
        store = await FactStore.open(seed_db)  # a fresh cache each time
        try:
            facts = [*(await store.events()), *(await store.quotes())]
            cold = [f.first_sources(k) for f in facts]  # type: ignore[attr-defined]
            assert [(list(first), n) for first, n in cold] == [
                (list(f.sources[:k]), len(f.sources)) for f in facts
            ]
            assert [f.first_sources(k) for f in facts] == cold  # type: ignore[attr-defined]
            assert any(n > k for _, n in cold) == (k == 1)
        finally:
            await store.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("forge", ["excerpt", "offsets"])
async def test_a_citation_changed_after_the_store_was_opened_is_never_shown(
    seed_db: Path, tmp_path: Path, forge: str
) -> None:
    db = tmp_path / "facts.db"
    db.write_bytes(seed_db.read_bytes())
    store = await FactStore.open(db)  # checked whole here; what follows happens to the file afterwards
    try:
        quote = (await store.quotes())[0]
        with sqlite3.connect(db) as raw:
            change = (
                "UPDATE sources SET excerpt = 'forged words' "
                if forge == "excerpt"
                else 'UPDATE sources SET start = start + 1, "end" = "end" + 1 '
            )
            raw.execute(change + "WHERE fact_kind = 'quote' AND fact_id = ? AND ord = 0", (quote.fact_id,))
        shown = quote.sources
        texts = {c.article_id: await store.article_text(c.article_id) for c in shown}
        assert all(texts[c.article_id][c.start : c.end] == c.excerpt for c in shown)  # type: ignore[index]
        assert "forged words" not in [c.excerpt for c in shown]
    finally:
        await store.close()
