"""The fake Discord, sharded: /gateway/bot, IDENTIFY with a shard, guilds and their events by shard."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
import pytest_asyncio

from bot.discord.patches import apply_discord_urls, restore_discord_urls
from fakediscord import FakeDiscord
from fakediscord.gateway import shard_of
from tests.fakediscord.conftest import APP_ID, BOT_USER_ID, CHANNEL_IDS, GUILD_ID, TOKEN
from tests.waits import client_ready, within

OTHER_GUILD = GUILD_ID + (1 << 22)  # the next shard's
THIRD_GUILD = GUILD_ID + (2 << 22)


@pytest_asyncio.fixture
async def sharded() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(
        guild_id=GUILD_ID,
        channel_ids=CHANNEL_IDS,
        app_id=APP_ID,
        bot_user_id=BOT_USER_ID,
        token=TOKEN,
        shard_count=2,
        max_concurrency=1,
        extra_guild_ids=[OTHER_GUILD, THIRD_GUILD],
    ) as server:
        yield server


class ShardedProbe(discord.AutoShardedClient):
    """A plain sharded client that records which shard each interaction arrived on."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents(guilds=True), guild_ready_timeout=0.05)
        self.arrived: dict[int, int] = {}
        self.more = asyncio.Event()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # the fake has no identify rate limit to respect

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        guild = self.get_guild(interaction.guild_id or 0)
        self.arrived[interaction.id] = -1 if guild is None else guild.shard_id
        self.more.set()


@contextlib.asynccontextmanager
async def running(server: FakeDiscord) -> AsyncIterator[ShardedProbe]:
    previous = apply_discord_urls(server.api_base_url, server.gateway_url)
    client = ShardedProbe()
    task = asyncio.create_task(client.start(TOKEN))
    try:
        await client_ready(client, task, GUILD_ID)
        yield client
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await within(task, "the client's task ending after close()")
        restore_discord_urls(previous)


@pytest.mark.asyncio
async def test_gateway_bot_says_how_many_shards_and_how_many_may_identify_at_once(
    sharded: FakeDiscord,
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.get(
            f"{sharded.api_base_url}/gateway/bot", headers={"Authorization": f"Bot {TOKEN}"}
        ) as response,
    ):
        body = await response.json()
    assert body["shards"] == 2
    assert body["session_start_limit"]["max_concurrency"] == 1


@pytest.mark.asyncio
async def test_each_shard_gets_its_own_guilds_and_their_interactions(sharded: FakeDiscord) -> None:
    assert [shard_of(g, 2) for g in (GUILD_ID, OTHER_GUILD, THIRD_GUILD)] == [1, 0, 1]
    async with running(sharded) as client:
        assert client.shard_count == 2
        assert sorted(s for s, _ in sharded.gateway.identified) == [0, 1]
        for guild_id in (GUILD_ID, OTHER_GUILD, THIRD_GUILD):
            if client.get_guild(guild_id) is None:
                await within(
                    client.wait_for("guild_available", check=lambda g, gid=guild_id: g.id == gid),
                    f"guild {guild_id}",
                )
            guild = client.get_guild(guild_id)
            assert guild is not None and guild.shard_id == shard_of(guild_id, 2)
        sent = []
        for guild_id in (GUILD_ID, OTHER_GUILD):
            payload = sharded.command_interaction("probe", {"mode": "text"}, guild_id=guild_id)
            await sharded.send_interaction(payload)
            sent.append((int(payload["id"]), shard_of(guild_id, 2)))
        for iid, shard in sent:
            while iid not in client.arrived:
                client.more.clear()
                await within(client.more.wait(), f"interaction {iid} reaching the client")
            assert client.arrived[iid] == shard
        # The frames went out on the connection of the shard's own session.
        for iid, shard in sent:
            frames = [
                f
                for f in sharded.gateway_frames
                if f.t == "INTERACTION_CREATE" and f.d and int(f.d["id"]) == iid and f.direction == "out"
            ]
            connection = sharded.gateway.shards[shard].connection
            assert connection is not None and [f.connection for f in frames] == [connection.id]


async def identify_with(server: FakeDiscord, shard: Any) -> int | None:
    """Open the gateway, IDENTIFY with `shard` (None: without one) and return the close code, if closed."""
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(f"{server.gateway_url}?v=10&encoding=json") as ws,
    ):
        hello = json.loads((await ws.receive()).data)
        assert hello["op"] == 10
        data: dict[str, Any] = {"token": TOKEN, "intents": 1, "properties": {}}
        if shard is not None:
            data["shard"] = shard
        await ws.send_str(json.dumps({"op": 2, "d": data}))
        message = await within(ws.receive(), "the gateway's answer to IDENTIFY")
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
            return ws.close_code
        assert json.loads(message.data)["t"] == "READY"
        return None


@pytest.mark.asyncio
async def test_identify_without_a_shard_is_closed_with_4011_and_a_wrong_one_with_4010(
    sharded: FakeDiscord,
) -> None:
    assert await identify_with(sharded, None) == 4011
    assert await identify_with(sharded, [2, 2]) == 4010
    assert await identify_with(sharded, [0, 3]) == 4010
    assert await identify_with(sharded, [1, 2]) is None
    assert [s for s, _ in sharded.gateway.identified] == [1]
