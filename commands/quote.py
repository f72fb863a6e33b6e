"""`/quote [about] [speaker]`: the best matching direct quotes with speaker, date and citation."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answers import Facts, QuoteQuery, quotes
from bot.discord.autocomplete import choices
from bot.discord.client import FactBot
from bot.discord.embeds import Pages, quote_pages

QUOTE_LIMIT = 20


async def quote_pager(facts: Facts, options: dict[str, Any]) -> Pages:
    """The quote answer's pages for stored options."""
    return quote_pages(
        await quotes(facts, QuoteQuery.parse(options.get("about"), options.get("speaker"), QUOTE_LIMIT))
    )


class Quote(commands.Cog):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    @app_commands.command(name=_("quote"), description=_("Direct quotes with speaker, date and source"))
    @app_commands.describe(about=_("Words from the quote"), speaker=_("Who said it"))
    async def quote(
        self, interaction: discord.Interaction, about: str | None = None, speaker: str | None = None
    ) -> None:
        query = QuoteQuery.parse(about, speaker, QUOTE_LIMIT)
        pages = quote_pages(await quotes(self.bot.facts, query))
        await self.bot.paging.send(
            interaction, "quote", {"about": query.text, "speaker": query.speaker}, pages
        )

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
    bot.paging.register("quote", quote_pager)
    await bot.add_cog(Quote(bot))
