"""Fixtures for driving an unmodified discord.py client against the in-repo fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator

import discord
import pytest_asyncio
from discord import app_commands

from bot.discord.patches import apply_discord_urls, restore_discord_urls
from fakediscord import FakeDiscord
from tests.waits import client_ready, within

GUILD_ID = 1100000000000000001
CHANNEL_IDS = [1100000000000000011, 1100000000000000012]
APP_ID = 1100000000000000021
BOT_USER_ID = 1100000000000000022
TOKEN = "fake-token"


class ProbeClient(discord.Client):
    """A plain client whose tree holds one command, ``/probe``, whose ``mode`` picks the reply."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.1)
        self.tree = app_commands.CommandTree(self)
        self.errors: asyncio.Queue[discord.HTTPException] = asyncio.Queue()
        self.resumed = asyncio.Event()
        self.choice_count = 3
        self._add_probe()

    async def on_resumed(self) -> None:
        """Let tests wait for a completed RESUME."""
        self.resumed.set()

    def _add_probe(self) -> None:
        async def topic_choices(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            choices = [
                app_commands.Choice(name=f"{current} {i}", value=f"t{i}") for i in range(self.choice_count)
            ]
            try:
                await interaction.response.autocomplete(choices)
            except discord.HTTPException as exc:
                await self.errors.put(exc)
            return []

        @self.tree.command(name="probe", description="Reply in the way `mode` asks for")
        @app_commands.autocomplete(topic=topic_choices)
        async def probe(interaction: discord.Interaction, mode: str, topic: str | None = None) -> None:
            try:
                await self._reply(interaction, mode, topic)
            except discord.HTTPException as exc:
                await self.errors.put(exc)

    @staticmethod
    async def _reply(interaction: discord.Interaction, mode: str, topic: str | None) -> None:
        if mode == "text":
            await interaction.response.send_message(f"pong {topic or ''}".strip())
        elif mode == "defer":
            await interaction.response.defer(thinking=True)
            await interaction.followup.send("done after defer")
        elif mode == "embed":
            embed = discord.Embed(title="Shimoda Treaty", description="Signed 7 February 1855.")
            embed.add_field(name="Parties", value="Japan and Russia")
            await interaction.response.send_message(embed=embed)
        elif mode == "file":
            attachment = discord.File(io.BytesIO(b"1956,Joint Declaration"), filename="timeline.csv")
            await interaction.response.send_message("see attached", file=attachment)
        elif mode == "edit":
            await interaction.response.send_message("first draft")
            await interaction.edit_original_response(content="final answer")
        elif mode == "long_title":
            await interaction.response.send_message(embed=discord.Embed(title="x" * 300))
        else:
            raise ValueError(mode)


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """A running fake with fixed ids."""
    async with FakeDiscord(
        guild_id=GUILD_ID, channel_ids=CHANNEL_IDS, app_id=APP_ID, bot_user_id=BOT_USER_ID, token=TOKEN
    ) as server:
        yield server


@contextlib.asynccontextmanager
async def running_client(server: FakeDiscord) -> AsyncIterator[ProbeClient]:
    """A ProbeClient logged into ``server``, READY and with the guild cached; closed and URLs restored."""
    previous = apply_discord_urls(server.api_base_url, server.gateway_url)
    client = ProbeClient()
    task = asyncio.create_task(client.start(TOKEN))
    try:
        await client_ready(client, task, server.guild_id)
        yield client
    finally:
        await client.close()
        try:
            await within(task, "the client's task ending after close()")
        finally:
            restore_discord_urls(previous)


@pytest_asyncio.fixture
async def client(fake: FakeDiscord) -> AsyncIterator[ProbeClient]:
    """A ready ProbeClient logged into ``fake``."""
    async with running_client(fake) as probe:
        yield probe
