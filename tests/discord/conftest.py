from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from fakediscord import FakeDiscord
from tests.discord.harness import (
    APP_ID,
    CHANNEL_IDS,
    GUILD_ID,
    TOKEN,
    BotEnv,
    Clock,
    make_settings,
    running_bot,
)


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(guild_id=GUILD_ID, channel_ids=CHANNEL_IDS, app_id=APP_ID, token=TOKEN) as server:
        yield server


@pytest_asyncio.fixture
async def env(fake: FakeDiscord, tmp_path: Path, seed_db: Path) -> AsyncIterator[BotEnv]:
    """The bot on the seed store, connected to the fake and ready; daily runner off (tests drive it)."""
    import datetime as dt
    import shutil

    db = tmp_path / "facts.db"
    shutil.copy(seed_db, db)
    from tests.helpers import SEEDS

    settings = make_settings(tmp_path, fake, db_path=db, articles=[SEEDS])
    clock = Clock(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC))
    async with running_bot(fake, settings, clock=clock) as bot:
        yield BotEnv(fake, bot, settings, clock)
