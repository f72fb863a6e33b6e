from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, settings

from bot.answers import Facts
from bot.build import build_store
from tests.helpers import SEEDS

# Hypothesis's own timing checks (a deadline per example, "data generation is too slow") measure how busy the
# machine is rather than the code: off for every property test. What the tests check is unchanged.
settings.register_profile("factbot", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("factbot")


def pytest_configure(config: pytest.Config) -> None:
    """Let the processes the tests start be stopped with Ctrl-C, however pytest itself was started.

    Tests stop `factbot run` with SIGINT, as a user stops it with Ctrl-C. A shell without job control (a
    script, `nohup ... &`) starts background commands with SIGINT ignored, and an ignored signal stays ignored
    in every child: the bot would then never stop, and each such test would wait out its deadline and fail.
    Python's own handler here means a child starts with the default again and installs its handler.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Name the random order of this run even under -q, so that a failure that depends on it can be replayed."""
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int) and config.pluginmanager.hasplugin("randomly"):
        terminalreporter.write_line(f"random order: --randomly-seed={seed}")


@pytest.fixture(autouse=True)
def _logging_as_found() -> Iterator[None]:
    """`factbot` configures the root logger for the process (level, handler); a test that runs it must not
    change what the next test's log capture sees, whatever order the tests run in."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    root.setLevel(level)
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)


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
