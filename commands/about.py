"""`/about`: what the bot is, the corpus and how facts are extracted."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answers.questions import ABOUT, PRIVATE, Surface
from bot.discord.client import FactBot
from bot.discord.embeds import about_page


class About(commands.Cog):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    @app_commands.command(name=_(ABOUT.name), description=_(ABOUT.description))
    @app_commands.describe(private=_(PRIVATE.description))
    async def about(self, interaction: discord.Interaction, private: bool = False) -> None:
        answer = await ABOUT.ask(self.bot.facts, {}, Surface.DISCORD)
        page = about_page(answer, locale=str(interaction.locale))
        await self.bot.paging.send(interaction, ABOUT.name, {}, [page], private=private)


async def setup(bot: FactBot) -> None:
    await bot.add_cog(About(bot))
