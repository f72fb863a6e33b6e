"""A new build of the store replaces the open one while answers run: each answer finishes on its own build."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.answers import Facts
from bot.answers.live import LiveFacts, StoreWatcher
from bot.store.integrity import seal_id
from tests.waits import DEADLINE, within


@pytest_asyncio.fixture
async def stores(seed_db: Path, two_article_db: Path) -> AsyncIterator[tuple[Facts, Facts]]:
    old, new = await Facts.open(seed_db), await Facts.open(two_article_db)
    yield old, new
    for facts in (old, new):
        await facts.close()  # closing twice is harmless


def rename_over(build: Path, path: Path) -> None:
    """Put a copy of `build` at `path` as a build or a deploy does: written beside it, renamed over it."""
    beside = path.with_name(f"next-{path.name}")
    shutil.copy(build, beside)
    os.replace(beside, path)


async def articles(facts: Facts) -> int:
    return (await facts.store.counts()).articles


@pytest.mark.asyncio
async def test_the_store_id_is_the_seal_of_the_file_it_opened(
    stores: tuple[Facts, Facts], seed_db: Path, two_article_db: Path
) -> None:
    old, new = stores
    assert old.store.store_id == seal_id(seed_db) and new.store.store_id == seal_id(two_article_db)
    assert old.store.store_id != new.store.store_id


@pytest.mark.asyncio
async def test_an_answer_under_way_finishes_on_its_build_and_the_old_build_closes_after_it(
    stores: tuple[Facts, Facts],
) -> None:
    old, new = stores
    live = LiveFacts(old)
    started, finish = asyncio.Event(), asyncio.Event()

    async def answer_under_way() -> tuple[Facts, Facts, int, int]:
        async with live.hold() as held:
            started.set()
            await finish.wait()
            # After the swap: the same build, and its facts' citations still read from its file.
            quote = (await held.store.quotes())[0]
            return held, live.current, len(quote.sources), await articles(live.current)

    answering = asyncio.create_task(answer_under_way())
    await within(started.wait(), "the answer started")
    swapping = asyncio.create_task(live.replace(new))
    await asyncio.sleep(0)
    assert live.current is new and live.replaced == 1  # answers that start now get the new build
    async with live.hold() as fresh:
        assert fresh is new and await articles(fresh) == 2
    assert live.holders(old) == 1 and not swapping.done()  # the old build waits for its answer

    finish.set()
    held, current, sources, count = await within(answering, "the answer under way finished")
    assert held is old and current is old and sources >= 1 and count == 5
    await within(swapping, "the old build was closed")
    assert live.holders(old) == 0
    with pytest.raises(ValueError, match="no active connection"):
        await old.store.meta_value("schema_version")  # closed
    assert await articles(live.current) == 2


@pytest.mark.asyncio
async def test_holds_nest_and_a_replace_with_no_answer_under_way_closes_the_old_build_at_once(
    stores: tuple[Facts, Facts],
) -> None:
    old, new = stores
    live = LiveFacts(old)
    async with live.hold() as outer, live.hold() as inner:
        assert outer is inner is old and live.holders(old) == 1
    assert live.holders(old) == 0
    await within(live.replace(new), "a replace with nothing to wait for")
    await live.replace(new)  # the same build again: nothing to do
    assert live.current is new and live.replaced == 1


@pytest.mark.asyncio
async def test_an_answer_that_never_ends_does_not_keep_the_old_build_for_ever(
    stores: tuple[Facts, Facts], caplog: pytest.LogCaptureFixture
) -> None:
    old, new = stores
    live = LiveFacts(old, drain_seconds=0.01)
    never = asyncio.Event()

    async def stuck() -> None:
        async with live.hold():
            await never.wait()

    task = asyncio.create_task(stuck())
    await asyncio.sleep(0)
    with caplog.at_level(logging.WARNING, logger="bot.answers.live"):
        await within(live.replace(new), "the replace gave up waiting")
    assert "still using it" in caplog.text and live.current is new
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert live.holders(old) == 0


@pytest.mark.asyncio
async def test_the_watcher_opens_a_new_build_renamed_over_the_file_and_refuses_a_broken_one(
    seed_db: Path, two_article_db: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "facts.db"
    shutil.copy(seed_db, path)
    live = LiveFacts(await Facts.open(path))
    replaced: list[Facts] = []
    swapped = asyncio.Event()

    def note(facts: Facts) -> None:
        replaced.append(facts)
        swapped.set()

    watcher = StoreWatcher(live, path, 0, on_replaced=note)
    try:
        assert not await watcher.check()  # the build it opened
        os.utime(path)
        assert not await watcher.check()  # touched, the same build

        rename_over(two_article_db, path)
        assert await watcher.check()
        assert replaced == [live.current] and await articles(live.current) == 2
        assert live.current.store.store_id == seal_id(two_article_db)

        broken = tmp_path / "broken.db"
        shutil.copy(seed_db, broken)
        with broken.open("r+b") as f:
            f.seek(4096)
            f.write(b"\xff" * 64)
        os.replace(broken, path)
        with caplog.at_level(logging.INFO, logger="bot.answers.live"):
            assert not await watcher.check()
            assert not await watcher.check()  # said once, not at every look
        errors = [r for r in caplog.records if r.levelno == logging.ERROR]
        assert len(errors) == 1 and "damaged" in errors[0].getMessage()
        assert await articles(live.current) == 2  # still answering from the last good build

        path.unlink()
        with caplog.at_level(logging.WARNING, logger="bot.answers.live"):
            assert not await watcher.check()
        assert "cannot be read" in caplog.text and await articles(live.current) == 2

        shutil.copy(seed_db, path)
        swapped.clear()
        running = asyncio.create_task(watcher.run())
        watcher.check_now()  # as on SIGHUP
        await within(swapped.wait(), "the watcher picked up the new build")
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        assert await articles(live.current) == 5
    finally:
        await live.close()


@pytest.mark.asyncio
async def test_a_watcher_stopped_while_it_opens_a_build_closes_that_build(
    seed_db: Path, two_article_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "facts.db"
    shutil.copy(seed_db, path)
    live = LiveFacts(await Facts.open(path))
    watcher = StoreWatcher(live, path, 0)
    await watcher.check()
    rename_over(two_article_db, path)

    opened: list[Facts] = []
    entered, release = threading.Event(), threading.Event()
    real_open = Facts.open

    async def slow_open(where: Path) -> Facts:
        entered.set()
        release.wait(DEADLINE)
        facts = await real_open(where)
        opened.append(facts)
        return facts

    monkeypatch.setattr(Facts, "open", slow_open)
    checking = asyncio.create_task(watcher.check())
    assert await asyncio.to_thread(entered.wait, DEADLINE), "the new build was never opened"
    checking.cancel()  # the bot stops while the build is being opened
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await within(checking, "the cancelled check ending")
    assert len(opened) == 1
    with pytest.raises(ValueError, match="no active connection"):
        await opened[0].store.meta_value("schema_version")  # closed, not left open
    assert live.replaced == 0 and await articles(live.current) == 5
    await live.close()
