"""GET /healthz: shards connected, the fact store's id, the state database reachable."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import aiohttp
import pytest

from bot.store.integrity import seal_id
from fakediscord import FakeDiscord
from tests.discord.harness import Clock, make_settings, running_bot
from tests.helpers import SEEDS


@pytest.mark.asyncio
async def test_healthz_reports_the_shard_the_store_and_the_state_and_fails_when_the_state_does_not_answer(
    fake: FakeDiscord, tmp_path: Path, seed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(seed_db, tmp_path / "facts.db")
    settings = make_settings(
        tmp_path, fake, db_path=tmp_path / "facts.db", articles=[SEEDS], FACTBOT_HEALTH_PORT=0
    )
    clock = Clock(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC))
    async with running_bot(fake, settings, clock=clock) as bot, aiohttp.ClientSession() as http:
        assert bot.health is not None
        url = f"http://127.0.0.1:{bot.health.port}/healthz"
        async with http.get(url) as response:
            assert response.status == 200
            body = await response.json()
        assert body == {
            "ok": True,
            "shards": {"0": True},
            "store": {"id": seal_id(tmp_path / "facts.db"), "replaced": 0},
            "state": {"reachable": True, "shared": False},
        }
        assert body["store"]["id"] != "0" * 16

        async def unreachable() -> None:
            raise OSError("the state database is gone")

        monkeypatch.setattr(bot.state, "ping", unreachable)
        async with http.get(url) as response:
            assert response.status == 503
            body = await response.json()
        assert body["ok"] is False and body["state"]["reachable"] is False
    assert bot.health is None  # closed with the bot
