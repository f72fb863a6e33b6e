"""What the bot needs from Discord: its gateway intents, the permissions it is invited with, and those a
channel must give it before daily snippets can be posted there.

The README's invite URL and permissions integer are these (a test holds them to it).
"""

from __future__ import annotations

import discord

# Only the guilds intent, which is not privileged: the bot answers slash commands, which need no intent,
# and keeps its servers and channels (with their permission overwrites) cached to check them. It never
# reads message content and needs no member list.
INTENTS = discord.Intents(guilds=True)

# What a daily channel must allow the bot, with the names Discord's settings show, in the order shown.
DAILY_CHANNEL_NEEDS: tuple[tuple[str, str], ...] = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
    ("attach_files", "Attach Files"),
)

# The invite asks for those, and for Read Message History: after a crash mid-post the daily runner looks
# through the channel's last messages for its own post, so that it is posted exactly once.
INVITE_PERMISSIONS = discord.Permissions(
    **{flag: True for flag, _ in DAILY_CHANNEL_NEEDS}, read_message_history=True
)
INVITE_SCOPES = ("bot", "applications.commands")


def missing_for_daily(permissions: discord.Permissions) -> list[str]:
    """The permissions a daily channel lacks, by the names Discord shows (empty when it has them all)."""
    if permissions.administrator:
        return []
    return [name for flag, name in DAILY_CHANNEL_NEEDS if not getattr(permissions, flag)]


def invite_url(application_id: int) -> str:
    """The URL that adds the bot to a server with the scopes and permissions it needs."""
    return discord.utils.oauth_url(application_id, permissions=INVITE_PERMISSIONS, scopes=INVITE_SCOPES)
