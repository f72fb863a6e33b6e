"""Command names and descriptions in Japanese and Russian (Discord shows them in the user's language).

They are in the catalogues with the rest of the bot's wording (`bot.render.locales`). Names follow
Discord's rule there: lower case, no spaces, 1–32 characters.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.render.locales import CATALOGUES


class FactTranslator(app_commands.Translator):
    """Looks command strings up in the catalogues; anything missing stays English."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        # Only a language's own catalogue: Discord asks for every locale it has, and "en-GB" is not Japanese.
        return CATALOGUES.get(str(locale), {}).get(string.message)
