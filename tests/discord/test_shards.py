"""The bot in shards: two processes (here, two bots) on one PostgreSQL and the sharded fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import shutil
import signal
import sys
from pathlib import Path

import discord
import pytest

from bot.daily.state import open_state
from bot.discord.client import ShardedFactBot, make_bot
from bot.discord.patches import patched
from fakediscord import FakeDiscord
from fakediscord.gateway import shard_of
from tests.discord.harness import APP_ID, CHANNEL_IDS, GUILD_ID, TOKEN, Clock, answer, make_settings
from tests.helpers import SEEDS
from tests.waits import ProcessOutput, client_ready, within

ROOT = Path(__file__).resolve().parents[2]
OTHER_GUILD = GUILD_ID + (1 << 22)  # on the other shard of two


@pytest.mark.asyncio
async def test_two_processes_with_a_shard_each_answer_their_own_guilds_and_sync_once(
    pg_url: str, tmp_path: Path, seed_db: Path
) -> None:
    assert (shard_of(OTHER_GUILD, 2), shard_of(GUILD_ID, 2)) == (0, 1)
    async with FakeDiscord(
        guild_id=GUILD_ID,
        channel_ids=CHANNEL_IDS,
        app_id=APP_ID,
        token=TOKEN,
        shard_count=2,
        extra_guild_ids=[OTHER_GUILD],
    ) as fake:
        settings = []
        for shard in (0, 1):
            folder = tmp_path / f"process-{shard}"
            folder.mkdir()
            shutil.copy(seed_db, folder / "facts.db")
            settings.append(
                make_settings(
                    folder,
                    fake,
                    db_path=folder / "facts.db",
                    articles=[SEEDS],
                    FACTBOT_STATE_URL=pg_url,
                    FACTBOT_SHARD_COUNT=2,
                    FACTBOT_SHARD_IDS=str(shard),
                    FACTBOT_IDENTIFY_INTERVAL_SECONDS=0.2,
                )
            )
        clock = Clock(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC))
        handled: dict[int, list[int]] = {0: [], 1: []}
        with patched(fake.api_base_url, fake.gateway_url):
            bots = [make_bot(s, clock=clock, run_daily=False, guild_ready_timeout=0.05) for s in settings]
            for shard, bot in enumerate(bots):
                assert isinstance(bot, ShardedFactBot)

                async def on_interaction(interaction: discord.Interaction, shard: int = shard) -> None:
                    handled[shard].append(interaction.id)

                bot.add_listener(on_interaction, "on_interaction")
            tasks = [asyncio.create_task(bot.start(TOKEN)) for bot in bots]
            try:
                await client_ready(bots[0], tasks[0], OTHER_GUILD)
                await client_ready(bots[1], tasks[1], GUILD_ID)
                asked: dict[int, list[int]] = {0: [], 1: []}
                for guild_id in (GUILD_ID, OTHER_GUILD, GUILD_ID, OTHER_GUILD):
                    payload = fake.command_interaction("about", {}, guild_id=guild_id)
                    body = await answer(fake, payload)
                    assert body["data"]["embeds"], body
                    asked[shard_of(guild_id, 2)].append(int(payload["id"]))
            finally:
                for bot in bots:
                    await bot.close()
                for task in tasks:
                    with contextlib.suppress(asyncio.CancelledError):
                        await within(task, "a bot's task ending after close()")
    # Every interaction answered once, by the process that runs its guild's shard.
    assert handled == asked
    for ids in asked.values():
        for iid in ids:
            assert len(fake.interactions[iid].callbacks) == 1
    assert sorted(s for s, _ in fake.gateway.identified) == [0, 1]
    # The commands were synced once, by the process that runs shard 0.
    assert len(fake.requests_to("PUT", f"/applications/{APP_ID}/commands")) == 1


@pytest.mark.asyncio
async def test_processes_take_turns_to_identify_through_postgresql(pg_url: str) -> None:
    first, second = await open_state(pg_url), await open_state(pg_url)
    try:
        await first.identify_turn(30)
        waiting = asyncio.create_task(second.identify_turn(30))
        await asyncio.sleep(0.2)
        assert not waiting.done()  # the turn is the first process's for 30 s
    finally:
        await first.close()  # a process that stops hands the turn on at once
    try:
        await within(waiting, "the second process's turn")
    finally:
        await second.close()


@pytest.mark.asyncio
async def test_two_factbot_run_processes_share_the_shards_answer_every_interaction_once_and_sync_once(
    pg_url: str, tmp_path: Path, seed_db: Path
) -> None:
    async with FakeDiscord(
        guild_id=GUILD_ID,
        channel_ids=CHANNEL_IDS,
        app_id=APP_ID,
        token=TOKEN,
        shard_count=2,
        extra_guild_ids=[OTHER_GUILD],
    ) as fake:
        shutil.copy(seed_db, tmp_path / "facts.db")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "FACTBOT_"))} | {
            "PYTHONPATH": str(ROOT),
            "PYTHONFAULTHANDLER": "1",
            "DISCORD_TOKEN": TOKEN,
            "DISCORD_API_BASE_URL": fake.api_base_url,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "FACTBOT_DB_PATH": str(tmp_path / "facts.db"),
            "FACTBOT_ARTICLES": str(SEEDS),
            "FACTBOT_STATE_URL": pg_url,
            "FACTBOT_IDENTIFY_INTERVAL_SECONDS": "0.2",
            "FACTBOT_LOG_LEVEL": "INFO",
        }
        outputs = []
        for shard in (0, 1):
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", "--shard-count", "2", "--shard-ids", str(shard),
                cwd=tmp_path,
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
            outputs.append(ProcessOutput(proc))
        try:
            for shard, output in enumerate(outputs):
                await output.line_containing("ready as", f"`factbot run --shard-ids {shard}` ready")
            asked = []
            for guild_id in (GUILD_ID, OTHER_GUILD) * 3:
                payload = fake.command_interaction("about", {}, guild_id=guild_id)
                body = await answer(fake, payload)
                assert body["data"]["embeds"], body
                asked.append((int(payload["id"]), shard_of(guild_id, 2)))
            for output in outputs:
                output.proc.send_signal(signal.SIGINT)
            for shard, output in enumerate(outputs):
                assert await output.exit(f"`factbot run --shard-ids {shard}` exiting after Ctrl-C") == 0
        finally:
            for output in outputs:
                await output.kill()
        # Each process identified its own shard once; each interaction went to its shard's session (the
        # process that runs that shard) and was answered once; the commands were synced once.
        assert sorted(s for s, _ in fake.gateway.identified) == [0, 1]
        sessions = {shard: fake.gateway.shards[shard].session_id for shard in (0, 1)}
        for iid, shard in asked:
            assert len(fake.interactions[iid].callbacks) == 1
            sent_on = [
                f.connection
                for f in fake.gateway_frames
                if f.t == "INTERACTION_CREATE" and f.direction == "out" and int(f.d["id"]) == iid
            ]
            session = fake.gateway.sessions[sessions[shard]]
            assert len(sent_on) == 1 and any(e["d"].get("id") == str(iid) for e in session.events)
        assert len(fake.requests_to("PUT", f"/applications/{APP_ID}/commands")) == 1
        for output in outputs:
            assert "Traceback" not in output.text, output.text
