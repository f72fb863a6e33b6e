"""Fixtures for the hostile-input, hostile-article, fault and secret tests."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.answers import Facts
from bot.daily import StateDB
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
from tests.helpers import SEEDS


class LoopFacts:
    """The seed fact store and a state database opened on a private event loop.

    Hypothesis drives test functions synchronously, so the async answer functions run on this loop.
    """

    def __init__(self, runner: asyncio.Runner, facts: Facts, state: StateDB) -> None:
        self.runner = runner
        self.facts = facts
        self.state = state

    def run(self, coro: object) -> object:
        """Run one coroutine to completion on the private loop."""
        return self.runner.run(coro)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def loop_facts(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopFacts]:
    state_path = tmp_path_factory.mktemp("state") / "state.db"
    with asyncio.Runner() as runner:
        facts = runner.run(Facts.open(seed_db))
        state = runner.run(StateDB.open(state_path))
        try:
            yield LoopFacts(runner, facts, state)
        finally:
            runner.run(state.close())
            runner.run(facts.close())


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(guild_id=GUILD_ID, channel_ids=CHANNEL_IDS, app_id=APP_ID, token=TOKEN) as server:
        yield server


@pytest_asyncio.fixture
async def env(fake: FakeDiscord, tmp_path: Path, seed_db: Path) -> AsyncIterator[BotEnv]:
    """The bot on the seed store, connected to the fake and ready; the daily runner is driven by tests."""
    db = tmp_path / "facts.db"
    shutil.copy(seed_db, db)
    settings = make_settings(tmp_path, fake, db_path=db, articles=[SEEDS])
    clock = Clock(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC))
    async with running_bot(fake, settings, clock=clock) as bot:
        yield BotEnv(fake, bot, settings, clock)
