"""`/daily subscribe|unsubscribe|status|preview`: daily history snippets posted to subscribed channels.

Changing subscriptions needs Manage Server: Discord hides the commands from others by default, and the
permission is checked again at run time, since a server can override the default.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answers.daily import daily_snippet
from bot.daily import InvalidScheduleError, parse_post_time, parse_timezone
from bot.discord.autocomplete import choices
from bot.discord.client import FactBot
from bot.discord.embeds import Page, cut, daily_page, inert, not_found
from bot.discord.replies import UserFacingError, send_page


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


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
        super().__init__()

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
        sub = await self.bot.state.subscribe(
            interaction.guild_id or 0, channel.id, post_time, zone, interaction.user.id, now=self.bot.clock()
        )
        page = Page(
            content=f"Subscribed {channel.mention}: a history snippet every day at "
            f"{sub.post_time_text} ({sub.timezone}), starting {sub.start_date}."
        )
        await send_page(interaction, page, ephemeral=True)

    @subscribe.autocomplete("timezone")
    async def timezone_autocomplete(
        self,
        interaction: discord.Interaction,
        current: str,
    ) -> list[app_commands.Choice[str]]:
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

    @app_commands.command(name=_("preview"), description=_("Show the snippet that would be posted next"))
    async def preview(self, interaction: discord.Interaction) -> None:
        runner = self.bot.daily
        assert runner is not None
        sub = await self.bot.state.get_subscription(interaction.channel_id or 0)
        today = self.bot.clock().astimezone(sub.zone if sub else zoneinfo.ZoneInfo("UTC")).date()
        candidate = await runner.preview(interaction.channel_id if sub else today)
        snippet = await daily_snippet(self.bot.facts, candidate.key, today) if candidate else None
        if snippet is None:
            await send_page(
                interaction,
                not_found("Nothing to post", "The fact store has no dated events yet."),
                ephemeral=True,
            )
            return
        await send_page(interaction, daily_page(snippet), ephemeral=True)


async def setup(bot: FactBot) -> None:
    cog = Daily(bot)
    # Hidden from members without Manage Server by default; still checked at run time above.
    cog.app_command.default_permissions = discord.Permissions(manage_guild=True)
    cog.app_command.guild_only = True
    await bot.add_cog(cog)
