"""discord.py is patched only while the bot runs, by `run()` (or `patched()`), and left as it was found."""

from __future__ import annotations

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.config import Settings
from bot.discord import patches
from bot.discord.client import FactBot


def test_patches_hold_for_the_block_and_are_undone_after() -> None:
    poll_event = DiscordWebSocket.poll_event
    with patches.patched("http://127.0.0.1:1/api/v10/", "ws://127.0.0.1:1/gateway"):
        assert Route("GET", "/users/@me").url == "http://127.0.0.1:1/api/v10/users/@me"
        assert str(DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:1/gateway"
        assert getattr(DiscordWebSocket.poll_event, "yields", False)
    assert patches.current_discord_urls() == patches.DEFAULT_URLS
    assert "gateway" not in DiscordWebSocket.__dict__
    assert DiscordWebSocket.poll_event is poll_event


def test_a_bad_url_changes_nothing() -> None:
    poll_event = DiscordWebSocket.poll_event
    with pytest.raises(ValueError, match="gateway_url"):
        patches.apply("http://127.0.0.1:1/api/v10", "http://127.0.0.1:1/gateway")
    assert patches.current_discord_urls() == patches.DEFAULT_URLS
    assert DiscordWebSocket.poll_event is poll_event


def test_making_the_bot_patches_nothing() -> None:
    poll_event = DiscordWebSocket.poll_event
    FactBot(Settings(_env_file=None, DISCORD_API_BASE_URL="http://127.0.0.1:1/api/v10"))  # type: ignore[call-arg]
    assert patches.current_discord_urls() == patches.DEFAULT_URLS
    assert DiscordWebSocket.poll_event is poll_event
