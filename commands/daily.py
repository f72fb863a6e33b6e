"""`/daily subscribe|unsubscribe|status|preview`: daily history snippets posted to subscribed channels.

The cog owns the daily runner (`bot.daily`): it makes it when loaded, starts its loop once the bot is
connected, and stops it when unloaded (as on shutdown). The runner knows nothing of Discord; the cog gives
it the two things that need Discord: sending a snippet to a channel, and asking a channel whether a post
whose outcome was lost (a crash mid-send) arrived.

Changing subscriptions needs Manage Server: Discord hides the commands from others by default, and the
permission is checked again at run time, since a server can override the default.

Setup cannot fail silently: `/daily subscribe` refuses a channel where the bot cannot post a snippet,
naming what is missing, and when the bot is removed from a server its subscriptions are paused, which
`/daily status` says if it is added back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import zoneinfo
from collections.abc import Sequence
from functools import cache

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answers.daily import DailySnippet, daily_snippet, snippet_candidates
from bot.answers.questions import DAILY_PREVIEW, Surface
from bot.daily import DailyRunner, InvalidScheduleError, SnippetCandidate, parse_post_time, parse_timezone
from bot.daily.runner import post_nonce
from bot.discord.autocomplete import choices
from bot.discord.client import FactBot
from bot.discord.embeds import NO_MENTIONS, Page, cut, daily_marker, daily_page, inert, not_found
from bot.discord.permissions import missing_for_daily
from bot.discord.replies import UserFacingError, send_page
from bot.render.wording import no_snippet

log = logging.getLogger(__name__)

RECENT_MESSAGES = 25  # how far back a channel is searched for a post whose outcome was lost


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def _timezone_choices(current: str) -> list[app_commands.Choice[str]]:
    q = current.strip().lower().replace(" ", "_")
    popular = (
        "Asia/Tokyo",
        "Europe/Moscow",
        "Asia/Vladivostok",
        "Asia/Sakhalin",
        "UTC",
        "Europe/London",
        "America/New_York",
    )
    names = [z for z in popular if q in z.lower()] + [
        z for z in _zones() if q in z.lower() and z not in popular
    ]
    return choices((z, z) for z in names)


def _names(items: Sequence[str]) -> str:
    """'View Channel', 'View Channel and Attach Files', 'A, B and C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def can_manage_guild(permissions: discord.Permissions) -> bool:
    """Manage Server, or Administrator, which implies it (discord.py's flags read single bits)."""
    return permissions.manage_guild or permissions.administrator


def _require_manage_guild(interaction: discord.Interaction) -> None:
    if not interaction.guild_id:
        raise UserFacingError("Daily snippets are set up in a server channel, not in direct messages.")
    if not can_manage_guild(interaction.permissions):
        raise app_commands.MissingPermissions(["manage_guild"])


async def _manage_guild_check(interaction: discord.Interaction) -> bool:
    # Direct messages are refused with their own message inside the command.
    if interaction.guild_id and not can_manage_guild(interaction.permissions):
        raise app_commands.MissingPermissions(["manage_guild"])
    return True


class Daily(
    commands.GroupCog, group_name=_("daily"), group_description=_("Daily history snippets for a channel")
):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot
        self.runner: DailyRunner | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        super().__init__()

    # ---- the runner ----------------------------------------------------------------------------------

    async def cog_load(self) -> None:
        """Make the runner, and start posting once the bot is connected (unless it runs without)."""
        self.runner = DailyRunner(
            self.bot.state,
            self._candidates,
            self._post,
            self.bot.clock,
            pause_after=self.bot.settings.daily_pause_after,
            was_delivered=self._was_delivered,
            owns_guild=self.bot.owns_guild,
            posts_per_second=self.bot.settings.daily_posts_per_second,
        )
        if self.bot.run_daily:
            self._task = asyncio.create_task(self._run(self.runner), name="daily-runner")

    async def _run(self, runner: DailyRunner) -> None:
        await self.bot.wait_until_ready()
        await runner.run_forever(self._stop)

    async def cog_unload(self) -> None:
        self._stop.set()
        if self._task is None:
            return
        if not self.bot.is_ready():
            self._task.cancel()  # still waiting to connect: nothing to finish
        try:
            await asyncio.wait_for(self._task, timeout=5)
        except (TimeoutError, asyncio.CancelledError):
            self._task.cancel()

    async def _candidates(self) -> Sequence[SnippetCandidate]:
        return await snippet_candidates(self.bot.facts)

    async def _post(self, channel_id: int, candidate: SnippetCandidate, local_date: dt.date) -> int:
        """Send a channel its snippet for `local_date`; returns the message id."""
        async with self.bot.hold_facts():  # the snippet and its citations from one build of the store
            return await self._send_snippet(channel_id, candidate, local_date)

    async def _send_snippet(self, channel_id: int, candidate: SnippetCandidate, local_date: dt.date) -> int:
        snippet = await daily_snippet(self.bot.facts, candidate.key, local_date)
        if snippet is None:
            raise LookupError(f"fact {candidate.key} is no longer in the store")
        channel = self.bot.get_channel(channel_id) or await self.bot.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise LookupError(f"channel {channel_id} cannot receive messages")
        page = daily_page(snippet)  # its footer carries the marker `_was_delivered` looks for
        # The same nonce in every process and attempt (discord.py enforces it): Discord answers a repeat of
        # this day's post with the message already sent, so a post retried elsewhere shows once.
        message = await channel.send(
            embeds=page.embeds, allowed_mentions=NO_MENTIONS, nonce=post_nonce(channel_id, local_date)
        )
        return message.id

    async def _was_delivered(self, channel_id: int, local_date: dt.date, fact_key: str) -> bool | None:
        """Whether the channel's recent messages hold the bot's post for that date (None: cannot tell)."""
        try:
            channel = self.bot.get_channel(channel_id) or await self.bot.fetch_channel(channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                return None
            marker = daily_marker(local_date, fact_key)
            me = self.bot.user
            async for message in channel.history(limit=RECENT_MESSAGES):
                if (
                    me
                    and message.author.id == me.id
                    and any(e.footer.text and marker in e.footer.text for e in message.embeds)
                ):
                    return True
            return False
        except discord.HTTPException:
            return None

    # ---- the commands --------------------------------------------------------------------------------

    @app_commands.command(name=_("subscribe"), description=_("Post a daily history snippet to a channel"))
    @app_commands.describe(
        channel=_("Channel to post in"),
        time=_("Local time, HH:MM (24h)"),
        timezone=_("Time zone, e.g. Asia/Tokyo"),
    )
    @app_commands.check(_manage_guild_check)
    async def subscribe(
        self, interaction: discord.Interaction, channel: discord.TextChannel, time: str, timezone: str
    ) -> None:
        _require_manage_guild(interaction)
        try:
            post_time = parse_post_time(time)
            zone = parse_timezone(timezone)
        except InvalidScheduleError as exc:
            raise UserFacingError(exc.message(inert)) from None  # what was typed is quoted, never markup
        missing = await self._missing_permissions(channel)
        if missing:
            raise UserFacingError(
                f"I cannot post daily snippets in {channel.mention}: I am missing "
                f"{_names(missing)} there. Allow them for my role in the channel's permissions, "
                "then run `/daily subscribe` again."
            )
        sub = await self.bot.state.subscribe(
            interaction.guild_id or 0, channel.id, post_time, zone, interaction.user.id, now=self.bot.clock()
        )
        page = Page(
            content=f"Subscribed {channel.mention}: a history snippet every day at "
            f"{sub.post_time_text} ({sub.timezone}), starting {sub.start_date}."
        )
        await send_page(interaction, page, ephemeral=True)

    async def _missing_permissions(self, channel: discord.TextChannel) -> list[str]:
        """What the bot lacks in `channel` to post a snippet, from the permissions Discord keeps it told of."""
        me = channel.guild.me
        if me is None and self.bot.user is not None:
            me = await channel.guild.fetch_member(self.bot.user.id)
        if me is None:
            return []  # cannot happen once connected; posting failures still pause the subscription
        return missing_for_daily(channel.permissions_for(me))

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Removed from a server (not an outage, which discord.py reports apart): pause its subscriptions."""
        await self._pause_removed(guild.id)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """A server the bot was removed from while it was offline is missing from READY's list of servers
        (one in an outage is listed, as unavailable): pause its subscriptions as if it was seen. Sharded,
        READY lists only this process's shards' servers, so the others' are left to their own process."""
        member_of = {g.id for g in self.bot.guilds}
        subscribed = {s.guild_id for s in await self.bot.state.list_subscriptions()}
        for guild_id in subscribed - member_of:
            if self.bot.owns_guild(guild_id):
                await self._pause_removed(guild_id)

    async def _pause_removed(self, guild_id: int) -> None:
        paused = await self.bot.state.pause_guild(guild_id, now=self.bot.clock())
        if paused:
            log.info("removed from guild %s: %d daily subscription(s) paused", guild_id, paused)

    @subscribe.autocomplete("timezone")
    async def timezone_autocomplete(
        self,
        interaction: discord.Interaction,
        current: str,
    ) -> list[app_commands.Choice[str]]:
        return _timezone_choices(current)

    @app_commands.command(name=_("unsubscribe"), description=_("Stop the daily snippet in a channel"))
    @app_commands.describe(channel=_("Channel to stop posting in"))
    @app_commands.check(_manage_guild_check)
    async def unsubscribe(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        _require_manage_guild(interaction)
        sub = await self.bot.state.get_subscription(channel.id)
        if sub is None or sub.guild_id != interaction.guild_id:
            raise UserFacingError(f"{channel.mention} has no daily snippet subscription.")
        await self.bot.state.unsubscribe(channel.id)
        await send_page(
            interaction, Page(content=f"{channel.mention} will no longer get daily snippets."), ephemeral=True
        )

    @app_commands.command(name=_("status"), description=_("Show this server's daily snippet subscriptions"))
    async def status(self, interaction: discord.Interaction) -> None:
        if not interaction.guild_id:
            raise UserFacingError("Daily snippets are set up in a server channel, not in direct messages.")
        subs = await self.bot.state.list_subscriptions(interaction.guild_id)
        unreadable = await self.bot.state.unreadable_subscriptions(interaction.guild_id)
        if not subs and not unreadable:
            await send_page(
                interaction,
                not_found(
                    "No daily snippets", "No channel of this server is subscribed. Use `/daily subscribe`."
                ),
                ephemeral=True,
            )
            return
        lines = []
        for s in subs:
            if s.removed_at is not None:
                lines.append(
                    f"<#{s.channel_id}> — {s.post_time_text} {s.timezone} — paused: I was removed from this "
                    f"server on {s.removed_at:%Y-%m-%d}; run `/daily subscribe` for it again to resume"
                )
                continue
            state = "paused after repeated delivery failures" if s.paused else "active"
            lines.append(
                f"<#{s.channel_id}> — {s.post_time_text} {s.timezone} — {state}"
                + (f" (last error: {cut(s.last_error, 80)})" if s.paused and s.last_error else "")
            )
        for bad in unreadable:
            # Never posted to while it cannot be read; subscribing the channel again replaces the row.
            lines.append(
                f"<#{bad.channel_id}> — cannot be read (its stored {bad.column} is malformed); "
                "run `/daily subscribe` for it again to fix it"
            )
        embed = discord.Embed(title="Daily snippets", description=cut("\n".join(lines), 4096))
        await send_page(interaction, Page([embed]), ephemeral=True)

    @app_commands.command(name=_("preview"), description=_(DAILY_PREVIEW.description))
    @app_commands.describe(
        date=_(DAILY_PREVIEW.describe("date")), timezone=_(DAILY_PREVIEW.describe("timezone"))
    )
    async def preview(
        self, interaction: discord.Interaction, date: str | None = None, timezone: str | None = None
    ) -> None:
        assert self.runner is not None
        snippet: DailySnippet | None
        if date or timezone:
            # A date asked for: the snippet any channel would get then, as the console shows it.
            options = {"date": date, "timezone": timezone, "now": self.bot.clock()}
            snippet = (await DAILY_PREVIEW.ask(self.bot.facts, options, Surface.DISCORD)).snippet
        else:
            # This channel's next post, at the runner's date: shown as it would be posted.
            upcoming = await self.runner.upcoming_post(interaction.channel_id or 0)
            snippet = (
                await daily_snippet(self.bot.facts, upcoming.candidate.key, upcoming.local_date)
                if upcoming
                else None
            )
        if snippet is None:
            nothing = no_snippet(str(interaction.locale))
            await send_page(interaction, not_found(nothing.title, nothing.detail), ephemeral=True)
            return
        # The post as the channel gets it: posts are in English, whoever previews them.
        await send_page(interaction, daily_page(snippet), ephemeral=True)

    @preview.autocomplete("timezone")
    async def preview_timezone_autocomplete(
        self,
        interaction: discord.Interaction,
        current: str,
    ) -> list[app_commands.Choice[str]]:
        return _timezone_choices(current)


async def setup(bot: FactBot) -> None:
    cog = Daily(bot)
    group = cog.app_command
    assert group is not None  # a GroupCog always has its group
    # Hidden from members without Manage Server by default; still checked at run time above.
    group.default_permissions = discord.Permissions(manage_guild=True)
    group.guild_only = True
    await bot.add_cog(cog)
