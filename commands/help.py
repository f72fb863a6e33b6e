"""`/help`: every command with an example, the sources, how facts are extracted, what the bot keeps."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answers.questions import HELP, PRIVATE, Surface
from bot.discord.client import FactBot
from bot.discord.embeds import help_page


class Help(commands.Cog):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    @app_commands.command(name=_(HELP.name), description=_(HELP.description))
    @app_commands.describe(private=_(PRIVATE.description))
    async def help(self, interaction: discord.Interaction, private: bool = False) -> None:
        options = {"links": self.bot.settings.help_links}
        answer = await HELP.ask(self.bot.facts, options, Surface.DISCORD)
        page = help_page(answer, locale=str(interaction.locale))
        await self.bot.paging.send(interaction, HELP.name, {}, [page], private=private)


async def setup(bot: FactBot) -> None:
    await bot.add_cog(Help(bot))
