"""`/daily` in Discord, through the fake: previews of a date, and setup that cannot fail silently."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.answers.questions import DAILY_PREVIEW, Surface
from bot.daily import StateDB
from fakediscord import FakeDiscord
from tests.discord.harness import (
    CHANNEL_IDS,
    MANAGE_GUILD,
    BotEnv,
    Clock,
    answer,
    data_of,
    make_settings,
    running_bot,
)
from tests.helpers import SEEDS
from tests.waits import within

EPHEMERAL = 1 << 6
VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ATTACH_FILES = 1 << 10, 1 << 11, 1 << 14, 1 << 15


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


def subscribe(channel: int) -> list[dict[str, Any]]:
    return daily(
        "subscribe",
        {"type": 7, "name": "channel", "value": str(channel)},
        {"type": 3, "name": "time", "value": "09:00"},
        {"type": 3, "name": "timezone", "value": "Asia/Tokyo"},
    )


async def ask_daily(env: BotEnv, options: list[dict[str, Any]]) -> dict[str, Any]:
    return data_of(
        await answer(
            env.fake, env.fake.command_interaction("daily", options, member_permissions=MANAGE_GUILD)
        )
    )


async def until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait until `check()` holds (the bot handles gateway events in tasks of its own)."""

    async def poll() -> None:
        while not await check():  # noqa: ASYNC110 - the change is a database row, not an event to wait on
            await asyncio.sleep(0.01)

    await within(poll(), what)


@pytest.mark.asyncio
async def test_subscribe_refuses_a_channel_where_the_bot_cannot_post_and_names_what_is_missing(
    env: BotEnv,
) -> None:
    channel = CHANNEL_IDS[1]
    updated = asyncio.ensure_future(env.bot.wait_for("guild_channel_update"))
    await env.fake.set_channel_overwrites(
        channel, [env.fake.role_overwrite(env.fake.bot_role_id, deny=EMBED_LINKS | ATTACH_FILES)]
    )
    await within(updated, "the channel update reaching the bot")

    refused = await ask_daily(env, subscribe(channel))
    assert refused["flags"] & EPHEMERAL
    assert (
        f"<#{channel}>" in refused["content"] and "missing Embed Links and Attach Files" in refused["content"]
    )
    assert await env.bot.state.get_subscription(channel) is None

    updated = asyncio.ensure_future(env.bot.wait_for("guild_channel_update"))
    await env.fake.set_channel_overwrites(channel, [])
    await within(updated, "the channel update reaching the bot")
    assert "Subscribed" in (await ask_daily(env, subscribe(channel)))["content"]
    assert await env.bot.state.get_subscription(channel) is not None


@pytest.mark.asyncio
async def test_a_private_channel_is_refused_until_the_bots_role_may_view_it(env: BotEnv) -> None:
    channel, fake = CHANNEL_IDS[2], env.fake
    hidden = [fake.role_overwrite(fake.guild_id, deny=VIEW_CHANNEL | SEND_MESSAGES)]  # @everyone's
    updated = asyncio.ensure_future(env.bot.wait_for("guild_channel_update"))
    await fake.set_channel_overwrites(channel, hidden)
    await within(updated, "the channel update reaching the bot")
    refused = await ask_daily(env, subscribe(channel))
    # Without View Channel, Discord denies all else in the channel too: everything it needs is named.
    assert "missing View Channel, Send Messages, Embed Links and Attach Files there" in refused["content"]
    assert await env.bot.state.get_subscription(channel) is None

    allowed = fake.role_overwrite(fake.bot_role_id, allow=VIEW_CHANNEL | SEND_MESSAGES)
    updated = asyncio.ensure_future(env.bot.wait_for("guild_channel_update"))
    await fake.set_channel_overwrites(channel, [*hidden, allowed])
    await within(updated, "the channel update reaching the bot")
    assert "Subscribed" in (await ask_daily(env, subscribe(channel)))["content"]


@pytest.mark.asyncio
async def test_removed_from_a_server_its_subscriptions_pause_and_status_says_so_on_return(
    env: BotEnv,
) -> None:
    state = env.bot.state
    for channel in CHANNEL_IDS[:2]:
        await state.subscribe(env.fake.guild_id, channel, "09:00", "Asia/Tokyo", 1, now=env.clock())
    await state.subscribe(999, 998, "09:00", "UTC", 1, now=env.clock())  # another server's

    # An outage is not a removal: nothing is paused.
    gone = asyncio.ensure_future(env.bot.wait_for("guild_unavailable"))
    await env.fake.dispatch("GUILD_DELETE", {"id": str(env.fake.guild_id), "unavailable": True})
    await within(gone, "the outage reaching the bot")
    back = asyncio.ensure_future(env.bot.wait_for("guild_available"))
    await env.fake.dispatch("GUILD_CREATE", env.fake.guild_payload())  # `unavailable: false`: back up
    await within(back, "the guild coming back")
    assert not any(s.paused for s in await state.list_subscriptions())

    await env.fake.remove_bot_from_guild()

    async def paused() -> bool:
        return all(s.paused for s in await state.list_subscriptions(env.fake.guild_id))

    await until(paused, "the removed server's subscriptions being paused")
    other = await state.get_subscription(998)
    assert other is not None and not other.paused and other.removed_at is None
    for sub in await state.list_subscriptions(env.fake.guild_id):
        assert sub.removed_at == env.clock() and not await state.claim_post(
            sub.channel_id, sub.start_date, "event:1"
        )

    joined = asyncio.ensure_future(env.bot.wait_for("guild_join"))
    await env.fake.add_bot_to_guild()
    await within(joined, "the bot being added back")
    status = await ask_daily(env, daily("status"))
    description = status["embeds"][0]["description"]
    assert description.count("I was removed from this server on 2026-11-22") == 2
    assert "run `/daily subscribe` for it again to resume" in description

    assert "Subscribed" in (await ask_daily(env, subscribe(CHANNEL_IDS[0])))["content"]
    resumed = await state.get_subscription(CHANNEL_IDS[0])
    assert resumed is not None and not resumed.paused and resumed.removed_at is None
    still = await state.get_subscription(CHANNEL_IDS[1])
    assert still is not None and still.paused


@pytest.mark.asyncio
async def test_a_server_left_while_the_bot_was_offline_is_paused_when_it_starts(
    fake: FakeDiscord, tmp_path: Path, seed_db: Path
) -> None:
    shutil.copy(seed_db, tmp_path / "facts.db")
    settings = make_settings(tmp_path, fake, db_path=tmp_path / "facts.db", articles=[SEEDS])
    now = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
    async with await StateDB.open(settings.state_db_path) as state:
        await state.subscribe(fake.guild_id, CHANNEL_IDS[0], "09:00", "Asia/Tokyo", 1, now=now)
        await state.subscribe(999, 998, "09:00", "UTC", 1, now=now)  # a server that removed the bot meanwhile
    async with running_bot(fake, settings, clock=Clock(now)) as bot:

        async def paused() -> bool:
            gone = await bot.state.get_subscription(998)
            return gone is not None and gone.paused

        await until(paused, "the subscription of the server that is gone being paused")
        kept = await bot.state.get_subscription(CHANNEL_IDS[0])
        assert kept is not None and not kept.paused
