"""`/daily` in Discord, through the fake: previews of a date, and setup that cannot fail silently."""

from __future__ import annotations

from typing import Any

import pytest

from bot.answers.questions import DAILY_PREVIEW, Surface
from tests.discord.harness import CHANNEL_IDS, MANAGE_GUILD, BotEnv, answer, data_of

EPHEMERAL = 1 << 6


def daily(subcommand: str, *options: dict[str, Any]) -> list[dict[str, Any]]:
    """The options of a `/daily` subcommand interaction."""
    return [{"type": 1, "name": subcommand, "options": list(options)}]


@pytest.mark.asyncio
async def test_preview_of_a_date_is_the_snippet_the_console_shows(env: BotEnv) -> None:
    body = await answer(
        env.fake,
        env.fake.command_interaction(
            "daily",
            daily(
                "preview",
                {"type": 3, "name": "date", "value": "1956-10-19"},
                {"type": 3, "name": "timezone", "value": "JST"},
            ),
            member_permissions=MANAGE_GUILD,
        ),
    )
    offline = await DAILY_PREVIEW.ask(
        env.bot.facts, {"date": "1956-10-19", "timezone": "JST"}, Surface.CONSOLE
    )
    assert offline.snippet is not None
    embed = data_of(body)["embeds"][0]
    assert embed["title"] == "On this day in 1956"
    assert embed["footer"]["text"].endswith(f"daily 1956-10-19 · {offline.snippet.key}")
    assert data_of(body)["flags"] & EPHEMERAL


@pytest.mark.asyncio
async def test_preview_of_a_bad_date_is_a_friendly_error(env: BotEnv) -> None:
    body = await answer(
        env.fake,
        env.fake.command_interaction(
            "daily",
            daily("preview", {"type": 3, "name": "date", "value": "tomorrow"}),
            channel_id=CHANNEL_IDS[0],
            member_permissions=MANAGE_GUILD,
        ),
    )
    assert data_of(body)["flags"] & EPHEMERAL and "not a date I understand" in data_of(body)["content"]
