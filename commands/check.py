"""`/check text [speaker] [private]` and the message menu **Check quotes**: is a quotation in the sources?

The slash command checks the quotation typed (each one, when the text quotes several); the message menu
checks the quotations in the message it was used on (at most five; all of the message when it quotes
none) and answers only the member who asked.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answers import check_message
from bot.answers.questions import CHECK, PRIVATE, Surface
from bot.discord.autocomplete import choices
from bot.discord.client import FactBot
from bot.discord.embeds import check_page
from bot.discord.replies import send_page

MENU_NAME = "Check quotes"


class Check(commands.Cog):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(name=_(MENU_NAME), callback=self.check_quotes)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    @app_commands.command(name=_(CHECK.name), description=_(CHECK.description))
    @app_commands.describe(
        text=_(CHECK.describe("text")), speaker=_(CHECK.describe("speaker")), private=_(PRIVATE.description)
    )
    async def check(
        self,
        interaction: discord.Interaction,
        text: str,
        speaker: str | None = None,
        private: bool = False,
    ) -> None:
        answer = await CHECK.ask(self.bot.facts, {"text": text, "speaker": speaker}, Surface.DISCORD)
        await send_page(interaction, check_page(answer, locale=str(interaction.locale)), ephemeral=private)

    @check.autocomplete("speaker")
    async def speaker_autocomplete(
        self,
        interaction: discord.Interaction,
        current: str,
    ) -> list[app_commands.Choice[str]]:
        index = self.bot.facts.index
        return choices((index.speaker_label(name), name) for name in index.complete_speakers(current))

    async def check_quotes(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """The message menu: the quotations in someone's message, checked for the member who asked."""
        answer = await check_message(self.bot.facts, _message_text(message))
        await send_page(interaction, check_page(answer, locale=str(interaction.locale)), ephemeral=True)


def _message_text(message: discord.Message) -> str:
    """What a message says: its text, or the text of its embeds when it has none (a shared link, a bot)."""
    if message.content.strip():
        return message.content
    parts = [p for e in message.embeds for p in (e.title, e.description) if p]
    return "\n\n".join(parts)


async def setup(bot: FactBot) -> None:
    await bot.add_cog(Check(bot))
