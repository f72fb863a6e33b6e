"""The README's self-hosting section says what the code asks Discord for: intents and invite permissions."""

from __future__ import annotations

from pathlib import Path

import discord

from bot.config import Settings
from bot.discord.client import FactBot
from bot.discord.permissions import DAILY_CHANNEL_NEEDS, INTENTS, INVITE_PERMISSIONS, invite_url
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_bot_asks_for_no_privileged_intent() -> None:
    bot = FactBot(Settings(_env_file=None, DISCORD_TOKEN="x"))  # type: ignore[call-arg]
    assert bot.intents == INTENTS == discord.Intents(guilds=True)
    assert not (bot.intents.members or bot.intents.presences or bot.intents.message_content)


def test_the_readme_invite_url_has_the_scopes_and_the_permissions_integer_of_the_code() -> None:
    url = invite_url(1234)
    assert "scope=bot+applications.commands" in url and f"permissions={INVITE_PERMISSIONS.value}" in url
    assert url.replace("1234", "APPLICATION_ID") in README
    assert f"permissions integer **{INVITE_PERMISSIONS.value}**" in README
    # Every permission a daily channel needs is in the invite, and the README sums the same integer.
    assert all(getattr(INVITE_PERMISSIONS, flag) for flag, _ in DAILY_CHANNEL_NEEDS)
    parts = [(name, getattr(discord.Permissions, flag).flag) for flag, name in DAILY_CHANNEL_NEEDS]
    parts.append(("Read Message History", discord.Permissions.read_message_history.flag))
    assert sum(value for _, value in parts) == INVITE_PERMISSIONS.value
    for name, value in parts:
        assert f"{name} ({value})" in README


def test_the_service_unit_runs_the_bot_in_the_folder_of_its_settings() -> None:
    assert "ExecStart=/opt/factbot/.venv/bin/factbot run" in README
    assert Path(".env") == Path(Settings.model_config.get("env_file") or "")
