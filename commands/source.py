"""`/source article`: the article behind a citation — title, outlet, date, link and its cleaned text, paged."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answers import Facts
from bot.answers.questions import PRIVATE, SOURCE, Surface
from bot.discord.autocomplete import choices
from bot.discord.client import FactBot
from bot.discord.embeds import Pages, source_pages
from bot.render.locales import ENGLISH


async def source_pager(facts: Facts, options: dict[str, Any], locale: str = ENGLISH) -> Pages:
    return source_pages(await SOURCE.ask(facts, options, Surface.DISCORD), locale=locale)


class Source(commands.Cog):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    @app_commands.command(name=_(SOURCE.name), description=_(SOURCE.description))
    @app_commands.describe(article=_(SOURCE.describe("article")), private=_(PRIVATE.description))
    async def source(self, interaction: discord.Interaction, article: str, private: bool = False) -> None:
        answer = await SOURCE.ask(self.bot.facts, {"article": article}, Surface.DISCORD)
        options = {"article": answer.article.article_id if answer.article else article}
        await self.bot.paging.send(
            interaction,
            SOURCE.name,
            options,
            source_pages(answer, locale=str(interaction.locale)),
            private=private,
        )

    @source.autocomplete("article")
    async def article_autocomplete(
        self,
        interaction: discord.Interaction,
        current: str,
    ) -> list[app_commands.Choice[str]]:
        return choices(self.bot.facts.index.complete_articles(current))


async def setup(bot: FactBot) -> None:
    bot.paging.register(SOURCE.name, source_pager)
    await bot.add_cog(Source(bot))
