"""`/island name`: an island's history in date order; any alias in English, Japanese or Russian works."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answers import Facts
from bot.answers.questions import ISLAND, PRIVATE, Surface
from bot.discord.autocomplete import choices
from bot.discord.client import FactBot
from bot.discord.embeds import Pages, island_pages
from bot.render.locales import ENGLISH


async def island_pager(facts: Facts, options: dict[str, Any], locale: str = ENGLISH) -> Pages:
    return island_pages(await ISLAND.ask(facts, options, Surface.DISCORD), locale=locale)


class Island(commands.Cog):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    @app_commands.command(name=_(ISLAND.name), description=_(ISLAND.description))
    @app_commands.describe(name=_(ISLAND.describe("name")), private=_(PRIVATE.description))
    async def island(self, interaction: discord.Interaction, name: str, private: bool = False) -> None:
        options = {"name": name}
        pages = await self.bot.paging.answer(ISLAND.name, options, str(interaction.locale))
        await self.bot.paging.send(
            interaction,
            ISLAND.name,
            options,
            pages,
            private=private,
        )

    @island.autocomplete("name")
    async def name_autocomplete(
        self,
        interaction: discord.Interaction,
        current: str,
    ) -> list[app_commands.Choice[str]]:
        index = self.bot.facts.index
        # The value is the canonical name, so whatever alias was typed, the answer is the same island.
        return choices(
            (label, index.gazetteer.islands[key].name) for label, key in index.complete_islands(current)
        )


async def setup(bot: FactBot) -> None:
    bot.paging.register(ISLAND.name, island_pager)
    await bot.add_cog(Island(bot))
