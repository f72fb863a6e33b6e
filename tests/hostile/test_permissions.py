"""State-changing commands check Manage Server when they run, whatever a server did to the default hint.

Discord hides `/daily` from members without Manage Server by default, but a server can override that, and
a crafted interaction carries whatever permissions it likes; so the bot decides from the permissions in the
interaction itself. Administrator implies every permission, Manage Server included.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.discord.harness import CHANNEL_IDS, MANAGE_GUILD, PLAIN_MEMBER, BotEnv, answer, data_of

ADMINISTRATOR = 1 << 3
EPHEMERAL = 1 << 6
NOTHING = 0


def daily(
    env: BotEnv, sub: str, options: list[dict[str, Any]], permissions: int, **kwargs: Any
) -> dict[str, Any]:
    return env.fake.command_interaction(
        "daily", [{"type": 1, "name": sub, "options": options}], member_permissions=permissions, **kwargs
    )


def subscribe(env: BotEnv, channel: int, permissions: int, **kwargs: Any) -> dict[str, Any]:
    return daily(
        env,
        "subscribe",
        [
            {"type": 7, "name": "channel", "value": str(channel)},
            {"type": 3, "name": "time", "value": "07:15"},
            {"type": 3, "name": "timezone", "value": "Asia/Sakhalin"},
        ],
        permissions,
        **kwargs,
    )


def unsubscribe(env: BotEnv, channel: int, permissions: int) -> dict[str, Any]:
    return daily(env, "unsubscribe", [{"type": 7, "name": "channel", "value": str(channel)}], permissions)


def assert_refused(body: dict[str, Any]) -> None:
    data = data_of(body)
    assert body["type"] == 4 and data["flags"] & EPHEMERAL
    assert data["content"] == "You need the **Manage Server** permission for that."


@pytest.mark.asyncio
@pytest.mark.parametrize("permissions", [NOTHING, PLAIN_MEMBER, PLAIN_MEMBER | (1 << 4) | (1 << 28)])
async def test_subscribe_and_unsubscribe_are_refused_without_manage_server(
    env: BotEnv, permissions: int
) -> None:
    channel, other = CHANNEL_IDS[0], CHANNEL_IDS[1]
    await env.bot.state.subscribe(env.fake.guild_id, other, "09:00", "Asia/Tokyo", 1)
    before = await env.bot.state.list_subscriptions()
    assert_refused(await answer(env.fake, subscribe(env, channel, permissions)))
    assert_refused(await answer(env.fake, unsubscribe(env, other, permissions)))
    assert await env.bot.state.list_subscriptions() == before


@pytest.mark.asyncio
@pytest.mark.parametrize("permissions", [ADMINISTRATOR, MANAGE_GUILD, MANAGE_GUILD | PLAIN_MEMBER])
async def test_manage_server_or_administrator_may_subscribe_and_unsubscribe(
    env: BotEnv, permissions: int
) -> None:
    channel = CHANNEL_IDS[2]
    accepted = await answer(env.fake, subscribe(env, channel, permissions))
    assert "Subscribed" in data_of(accepted)["content"]
    sub = await env.bot.state.get_subscription(channel)
    assert sub is not None and sub.timezone == "Asia/Sakhalin" and sub.post_time_text == "07:15"
    gone = await answer(env.fake, unsubscribe(env, channel, permissions))
    assert "will no longer get daily snippets" in data_of(gone)["content"]
    assert await env.bot.state.get_subscription(channel) is None


@pytest.mark.asyncio
async def test_subscribing_from_a_direct_message_is_refused(env: BotEnv) -> None:
    body = await answer(env.fake, subscribe(env, CHANNEL_IDS[0], ADMINISTRATOR, dm=True))
    assert data_of(body)["flags"] & EPHEMERAL
    assert await env.bot.state.list_subscriptions() == []


@pytest.mark.asyncio
async def test_unsubscribe_cannot_reach_another_servers_channel(env: BotEnv) -> None:
    channel = CHANNEL_IDS[1]
    await env.bot.state.subscribe(env.fake.guild_id + 1, channel, "09:00", "Asia/Tokyo", 1)
    body = await answer(env.fake, unsubscribe(env, channel, ADMINISTRATOR))
    assert "has no daily snippet subscription" in data_of(body)["content"]
    assert await env.bot.state.get_subscription(channel) is not None
