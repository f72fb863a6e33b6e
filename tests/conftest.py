from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, settings

from bot.answers import Facts
from bot.build import build_store
from tests import postgres
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
    if _POSTGRES_SKIPPED:
        terminalreporter.write_line(f"PostgreSQL tests skipped: {_POSTGRES_SKIPPED[0]}")


_POSTGRES_SKIPPED: list[str] = []  # why the PostgreSQL tests were skipped, said once at the end


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[postgres.Cluster]:
    """A PostgreSQL server of its own for this test session, or a skip saying why there is none."""
    bindir = postgres.find_bin()
    try:
        if bindir is None:
            raise postgres.Unavailable("no PostgreSQL server installed (initdb and pg_ctl not found)")
        cluster = postgres.Cluster(bindir)
        try:
            cluster.start()
        except BaseException:
            cluster.stop()
            raise
    except postgres.Unavailable as exc:
        if os.environ.get(postgres.REQUIRE):
            pytest.fail(f"PostgreSQL is required here ({postgres.REQUIRE}) but cannot start: {exc}")
        _POSTGRES_SKIPPED[:] = [str(exc)]
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: postgres.Cluster) -> str:
    """The URL of a new, empty PostgreSQL database on the session's server."""
    return pg_cluster.database()


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


@pytest.fixture(scope="session")
def two_article_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from two of the seeds: another build, with fewer articles, than `seed_db`."""
    folder = tmp_path_factory.mktemp("two-seeds")
    shutil.copytree(SEEDS, folder, dirs_exist_ok=True)
    for extra in sorted(folder.glob("*.txt"))[2:]:
        extra.unlink()
    db = tmp_path_factory.mktemp("two-store") / "facts.db"
    report = asyncio.run(build_store([folder], db))
    assert report.articles == 2
    return db


@pytest_asyncio.fixture
async def facts(seed_db: Path) -> AsyncIterator[Facts]:
    opened = await Facts.open(seed_db)
    yield opened
    await opened.close()
