from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.answers import Facts
from bot.store.build import build_store
from tests.helpers import SEEDS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Name the random order of this run even under -q, so that a failure that depends on it can be replayed."""
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int) and config.pluginmanager.hasplugin("randomly"):
        terminalreporter.write_line(f"random order: --randomly-seed={seed}")


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fact store built from the bundled seeds, once per test session."""
    db = tmp_path_factory.mktemp("store") / "facts.db"
    report = asyncio.run(build_store([SEEDS], db))
    assert report.articles == 5
    return db


@pytest_asyncio.fixture
async def facts(seed_db: Path) -> AsyncIterator[Facts]:
    opened = await Facts.open(seed_db)
    yield opened
    await opened.close()
