"""A new build of the store replaces the bot's while it runs: answers under way finish on the old build."""

from __future__ import annotations

import asyncio
import shutil
import signal
import sys
from pathlib import Path

import pytest

from bot.answers import Facts
from bot.models import IslandFact
from fakediscord import FakeDiscord
from tests.discord.harness import TOKEN, BotEnv, answer, embed_text, run_env, start_factbot_run
from tests.helpers import SEEDS
from tests.waits import run_process, within

LAST_SEED = "004_ca3b18b3347b43dc"


@pytest.mark.asyncio
async def test_a_command_under_way_answers_from_its_build_while_new_commands_get_the_new_one(
    env: BotEnv, two_article_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = env.bot
    old = bot.facts
    before = embed_text(await answer(env.fake, env.fake.command_interaction("about", {})))

    entered, release = asyncio.Event(), asyncio.Event()
    island_facts = old.store.island_facts

    async def slow_island_facts(island: str) -> list[IslandFact]:
        entered.set()
        await release.wait()
        return await island_facts(island)

    monkeypatch.setattr(old.store, "island_facts", slow_island_facts)
    under_way = asyncio.create_task(
        answer(env.fake, env.fake.command_interaction("island", {"name": "Shikotan"}))
    )
    await within(entered.wait(), "the /island command reached the store")
    assert bot.live_facts.holders(old) == 1  # the command tree holds the build the command started on

    new = await Facts.open(two_article_db)
    swapping = asyncio.create_task(bot.live_facts.replace(new))
    await asyncio.sleep(0)
    after = embed_text(await answer(env.fake, env.fake.command_interaction("about", {})))
    assert bot.facts is new and not swapping.done()
    assert LAST_SEED in before and LAST_SEED not in after and "001_49243b7414c43ba9" in after

    release.set()
    island = embed_text(await within(under_way, "the /island answer under way"))
    assert "Shikotan" in island and "went wrong" not in island
    await within(swapping, "the old build closed once its last answer was sent")
    assert bot.live_facts.holders(old) == 0


@pytest.mark.asyncio
async def test_factbot_run_answers_from_a_new_build_after_sighup_without_a_restart(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    two_seeds = tmp_path / "two-seeds"
    shutil.copytree(SEEDS, two_seeds)
    for extra in sorted(two_seeds.glob("*.txt"))[2:]:
        extra.unlink()
    env = run_env(
        fake,
        tmp_path,
        FACTBOT_ARTICLES=str(two_seeds),
        FACTBOT_STORE_POLL_SECONDS="0",  # only on SIGHUP: the test says when to look
    )
    output = await start_factbot_run(tmp_path, env)
    proc = output.proc
    try:
        await output.line_containing("ready as", "`factbot run` logging that it is ready")
        about = embed_text(await answer(fake, fake.command_interaction("about", {})))
        assert LAST_SEED not in about

        # The next build, made beside the running bot (as a deploy would), then SIGHUP.
        code, built = await run_process(
            sys.executable,
            *("-m", "bot.cli", "build"),
            what="`factbot build` of all the seeds",
            cwd=tmp_path,
            env=env | {"FACTBOT_ARTICLES": str(SEEDS)},
        )
        assert code == 0, built
        proc.send_signal(signal.SIGHUP)
        await output.line_containing("new build", "`factbot run` taking the new build on SIGHUP")
        about = embed_text(await answer(fake, fake.command_interaction("about", {})))
        assert LAST_SEED in about

        proc.send_signal(signal.SIGINT)
        assert await output.exit("`factbot run` exiting after SIGINT") == 0, output.text
    finally:
        await output.kill()
    assert TOKEN not in output.text
