"""`/timeline [from] [to] [about]`: dated events in date order, paged, with a chart on the first page."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answers import Facts, TimelineQuery, timeline
from bot.discord_app import FactBot
from bot.render.chart import timeline_png
from bot.render.discord import Page, timeline_pages
from commands._common import choices

TIMELINE_LIMIT = 1000


async def timeline_pager(facts: Facts, options: dict[str, Any]) -> list[Page]:
    """The timeline's pages for stored options (used by the page buttons)."""
    query = TimelineQuery.parse(options.get("from"), options.get("to"), options.get("about"), TIMELINE_LIMIT)
    return timeline_pages(await timeline(facts, query))


class Timeline(commands.Cog):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot
        self._last_chart: dict[int, dt.datetime] = {}

    def _chart_allowed(self, user_id: int) -> bool:
        """Per-user cooldown on the chart, the expensive part of the answer."""
        now = self.bot.clock()
        last = self._last_chart.get(user_id)
        if last is not None and (now - last).total_seconds() < self.bot.settings.chart_cooldown_seconds:
            return False
        self._last_chart[user_id] = now
        return True

    @app_commands.command(
        name=_("timeline"),
        description=_("Dated events about the peace treaty and the islands, in date order, with sources"),
    )
    @app_commands.rename(from_=_("from"), to=_("to"))
    @app_commands.describe(
        from_=_("First year (e.g. 1956)"),
        to=_("Last year (e.g. 1960)"),
        about=_("Topic words, e.g. joint declaration"),
    )
    async def timeline(
        self,
        interaction: discord.Interaction,
        from_: app_commands.Range[int, 1, 9999] | None = None,
        to: app_commands.Range[int, 1, 9999] | None = None,
        about: str | None = None,
    ) -> None:
        query = TimelineQuery.parse(from_, to, about, TIMELINE_LIMIT)  # bad options: a friendly error first
        await interaction.response.defer(thinking=True)
        answer = await timeline(self.bot.facts, query)
        pages = timeline_pages(answer)
        file = None
        if answer.events:
            if self._chart_allowed(interaction.user.id):
                png = await asyncio.to_thread(
                    timeline_png, answer.events, pages[0].embeds[0].title or "Timeline"
                )
                file = discord.File(io.BytesIO(png), filename="timeline.png")
                pages[0].embeds[0].set_image(url="attachment://timeline.png")
            else:
                pages[0].content = (
                    "(Chart skipped: one chart per person every "
                    f"{self.bot.settings.chart_cooldown_seconds:.0f} s.)"
                )
        options = {"from": query.from_year, "to": query.to_year, "about": query.about}
        await self.bot.send_paged(interaction, "timeline", options, pages, file=file)

    @timeline.autocomplete("about")
    async def about_autocomplete(
        self,
        interaction: discord.Interaction,
        current: str,
    ) -> list[app_commands.Choice[str]]:
        return choices((t, t) for t in self.bot.facts.index.complete_topics(current))


async def setup(bot: FactBot) -> None:
    bot.pagers["timeline"] = timeline_pager
    await bot.add_cog(Timeline(bot))
