"""`/timeline [from] [to] [about]`: dated events in date order, paged, with a chart on the first page."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answers import Facts, TimelineAnswer
from bot.answers.questions import MAX_YEAR, MIN_YEAR, PRIVATE, TIMELINE, Surface
from bot.discord.autocomplete import choices
from bot.discord.client import FactBot
from bot.discord.embeds import Page, Pages, timeline_pages, timeline_title
from bot.models import Event
from bot.render.chart import timeline_png
from bot.render.locales import ENGLISH, translate

log = logging.getLogger(__name__)

CHART_QUEUE = 3  # charts being drawn or waiting; a timeline asked for past that comes without one
CHART_CACHE = 32  # charts kept for repeated questions (about 80 KB each)
CHART_PATIENCE_S = 5.0  # how long a chart waits for a burst of commands to pass before it is left out
FOLLOW_UP_PATIENCE_S = 4.0  # how long the follow-up waits for the first responses of a burst


async def timeline_pager(facts: Facts, options: dict[str, Any], locale: str = ENGLISH) -> Pages:
    """The timeline's pages for stored options (used by the page buttons)."""
    return timeline_pages(await TIMELINE.ask(facts, options, Surface.DISCORD), locale=locale)


class ChartError(Exception):
    """The chart could not be drawn."""


class Timeline(commands.Cog):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot
        self._last_chart: dict[int, dt.datetime] = {}
        # Charts are drawn one at a time, off the event loop; a few more may wait their turn. Past that the
        # answer goes without a chart rather than late: Discord gives the follow-up 15 minutes, but users
        # are waiting, and every drawing competes with the other answers for the interpreter.
        self._drawing = asyncio.Semaphore(1)
        self._waiting = 0
        self._charts: OrderedDict[tuple[str, int, tuple[int, ...]], bytes] = OrderedDict()

    def _chart_allowed(self, user_id: int) -> bool:
        """Per-user cooldown on the chart, the expensive part of the answer."""
        now = self.bot.clock()
        last = self._last_chart.get(user_id)
        if last is not None and (now - last).total_seconds() < self.bot.settings.chart_cooldown_seconds:
            return False
        self._last_chart[user_id] = now
        return True

    async def _chart(self, events: Sequence[Event], title: str, total: int | None = None) -> bytes | None:
        """The chart's PNG, from the cache when the same events were charted lately; None when too busy.

        Raises ChartError when it cannot be drawn: the answer then goes without it.
        """
        # Every event: past a few dozen the chart counts them all rather than labelling the first ones.
        key = (title, total or len(events), tuple(e.fact_id for e in events))
        if key in self._charts:
            self._charts.move_to_end(key)
            return self._charts[key]
        if self._waiting >= CHART_QUEUE:
            return None
        self._waiting += 1
        try:
            async with self._drawing:
                png = await asyncio.to_thread(timeline_png, events, title, total)
        except Exception as exc:
            log.exception("timeline chart %r could not be drawn", title[:80])
            raise ChartError from exc
        finally:
            self._waiting -= 1
        self._charts[key] = png
        while len(self._charts) > CHART_CACHE:
            self._charts.popitem(last=False)
        return png

    async def _add_chart(
        self, interaction: discord.Interaction, answer: TimelineAnswer, first: Page, locale: str
    ) -> discord.File | None:
        """The chart of `answer` as a file shown in the first page's embed, or a note on `first` saying why
        it is left out."""
        if not self._chart_allowed(interaction.user.id):
            first.content = translate(
                locale,
                "(Chart skipped: one chart per person every {seconds} s.)",
                seconds=f"{self.bot.settings.chart_cooldown_seconds:.0f}",
            )
            return None
        try:
            # Drawn once a burst of commands has passed: it would make their answers late. The chart stays
            # English throughout, title too: its font has no Japanese glyphs.
            quiet = await self.bot.backlog.until_quiet(interaction.id, CHART_PATIENCE_S)
            png = await self._chart(answer.events, timeline_title(answer), answer.total) if quiet else None
        except ChartError:
            first.content = translate(
                locale, "(Chart skipped: it could not be drawn; the events are all below.)"
            )
            return None
        if png is None:
            first.content = translate(
                locale, "(Chart skipped: the bot is busy answering others; ask again shortly.)"
            )
            return None
        first.embeds[0].set_image(url="attachment://timeline.png")
        return discord.File(io.BytesIO(png), filename="timeline.png")

    @app_commands.command(name=_(TIMELINE.name), description=_(TIMELINE.description))
    @app_commands.rename(from_=_("from"), to=_("to"))
    @app_commands.describe(
        from_=_(TIMELINE.describe("from")),
        to=_(TIMELINE.describe("to")),
        about=_(TIMELINE.describe("about")),
        private=_(PRIVATE.description),
    )
    async def timeline(
        self,
        interaction: discord.Interaction,
        from_: app_commands.Range[int, MIN_YEAR, MAX_YEAR] | None = None,
        to: app_commands.Range[int, MIN_YEAR, MAX_YEAR] | None = None,
        about: str | None = None,
        private: bool = False,
    ) -> None:
        # Bad options get a friendly error before the deferral, as an ephemeral reply.
        query = TIMELINE.query({"from": from_, "to": to, "about": about}, Surface.DISCORD)
        # A deferred answer is as private as its deferral: the follow-up replaces the "thinking" message.
        await interaction.response.defer(thinking=True, ephemeral=private)
        # The follow-up has 15 minutes; the commands that arrived with this one have 3 s for their first
        # response. In a burst it waits for them (a few seconds at most), then takes its turn.
        self.bot.backlog.responded(interaction.id)
        await self.bot.backlog.until_answered(FOLLOW_UP_PATIENCE_S)
        options = {"from": query.from_year, "to": query.to_year, "about": query.about}
        locale = str(interaction.locale)
        # Drawn once per question and shared by everyone who asks it (see `Paging.answer`): the chart and
        # its note go on a copy of the first page.
        pages = await self.bot.paging.answer(TIMELINE.name, options, locale)
        answer = pages.answer if isinstance(pages, Pages) else None
        file = None
        if isinstance(pages, Pages) and isinstance(answer, TimelineAnswer) and answer.events:
            shared = pages[0]
            first = Page([embed.copy() for embed in shared.embeds], shared.content)
            file = await self._add_chart(interaction, answer, first, locale)
            pages = pages.with_first(first)
        await self.bot.paging.send(interaction, TIMELINE.name, options, pages, file=file, private=private)

    @timeline.autocomplete("about")
    async def about_autocomplete(
        self,
        interaction: discord.Interaction,
        current: str,
    ) -> list[app_commands.Choice[str]]:
        return choices((t, t) for t in self.bot.facts.index.complete_topics(current))


async def setup(bot: FactBot) -> None:
    bot.paging.register(TIMELINE.name, timeline_pager)
    await bot.add_cog(Timeline(bot))
