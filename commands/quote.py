"""`/quote [about] [speaker]`: the best matching direct quotes with speaker, date and citation."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answers import Facts
from bot.answers.questions import PRIVATE, QUOTE, Surface
from bot.discord.autocomplete import choices
from bot.discord.client import FactBot
from bot.discord.embeds import Pages, quote_pages
from bot.render.locales import ENGLISH


async def quote_pager(facts: Facts, options: dict[str, Any], locale: str = ENGLISH) -> Pages:
    """The quote answer's pages for stored options."""
    return quote_pages(await QUOTE.ask(facts, options, Surface.DISCORD), locale=locale)


class Quote(commands.Cog):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    @app_commands.command(name=_(QUOTE.name), description=_(QUOTE.description))
    @app_commands.describe(
        about=_(QUOTE.describe("about")), speaker=_(QUOTE.describe("speaker")), private=_(PRIVATE.description)
    )
    async def quote(
        self,
        interaction: discord.Interaction,
        about: str | None = None,
        speaker: str | None = None,
        private: bool = False,
    ) -> None:
        query = QUOTE.query({"about": about, "speaker": speaker}, Surface.DISCORD)
        options = {"about": query.text, "speaker": query.speaker}
        pages = await self.bot.paging.answer(QUOTE.name, options, str(interaction.locale))
        await self.bot.paging.send(interaction, QUOTE.name, options, pages, private=private)

    @quote.autocomplete("speaker")
    async def speaker_autocomplete(
        self,
        interaction: discord.Interaction,
        current: str,
    ) -> list[app_commands.Choice[str]]:
        index = self.bot.facts.index
        return choices((index.speaker_label(name), name) for name in index.complete_speakers(current))

    @quote.autocomplete("about")
    async def about_autocomplete(
        self,
        interaction: discord.Interaction,
        current: str,
    ) -> list[app_commands.Choice[str]]:
        return choices((t, t) for t in self.bot.facts.index.complete_topics(current))


async def setup(bot: FactBot) -> None:
    bot.paging.register(QUOTE.name, quote_pager)
    await bot.add_cog(Quote(bot))
