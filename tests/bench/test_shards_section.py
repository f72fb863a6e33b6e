"""The benchmark's shards section runs: two processes of two shards each answer a burst over all shards."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.shards import SHARD_COUNT, measure_shards
from tests.helpers import SEEDS

MIX = {
    "hits": [{"query": "peace treaty"}, {"query": "joint declaration"}],
    "quote_speaker": ["Shinzo Abe", "nobody at all"],
    "island": ["Iturup", "Shikotan", "Etorofu"],
    "timeline_years": [[1950, 1960], [None, 1900]],
    "timeline_about": ["declaration"],
}


@pytest.mark.timeout(600)
def test_the_shards_section_answers_every_interaction_once_from_two_processes(
    pg_url: str, tmp_path: Path, seed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTBOT_BENCH_STATE_URL", pg_url)
    shutil.copy(seed_db, tmp_path / "facts.db")
    result = measure_shards(tmp_path / "facts.db", SEEDS, tmp_path, MIX, 40, seed=7, subscriptions=60)
    assert result["answered"] == 40 and result["answered_twice"] == 0
    assert result["identified"] == list(range(SHARD_COUNT))
    assert sorted(result["by_shard"]) == [str(s) for s in range(SHARD_COUNT)]
    assert result["commands_synced"] == 1
    assert result["first_response_ms"]["n"] == 40
    daily = result["daily"]
    # Every subscription due at the same minute posted once, by the process that runs its guild's shard.
    assert (daily["subscriptions"], daily["posted"], daily["posted_twice"]) == (60, 60, 0)
    assert sorted(daily["by_process"]) == ["0", "1"] and sum(daily["by_process"].values()) == 60
    assert daily["first_after_due_s"] >= 0
