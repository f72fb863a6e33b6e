"""Faults while the bot runs against the fake Discord: a full or read-only state database, 429 storms, 5xx
answers and gateway drops. Nothing crashes, nothing is recorded as posted that was not, no subscription is
lost, and the bot keeps answering commands.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.daily import StateDB
from fakediscord import FakeDiscord
from tests.discord.harness import (
    CHANNEL_IDS,
    MANAGE_GUILD,
    BotEnv,
    Clock,
    answer,
    data_of,
    embed_text,
    make_settings,
    running_bot,
)
from tests.helpers import SEEDS

CALLBACK = "/interactions/{i}/{t}/callback"
EPHEMERAL = 1 << 6
_WRITE = re.compile(r"^\s*(?:INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|BEGIN)", re.IGNORECASE)


def fail_writes(state: StateDB, monkeypatch: pytest.MonkeyPatch, message: str) -> None:
    """Every write to the state database fails as SQLite fails it when the disk is full; reads still work."""
    conn = state._conn  # the one connection every StateDB method goes through
    original = conn.execute

    def execute(sql: str, *args: Any, **kwargs: Any) -> Any:
        if _WRITE.match(sql):
            raise sqlite3.OperationalError(message)
        return original(sql, *args, **kwargs)

    monkeypatch.setattr(conn, "execute", execute)


async def read_only(state: StateDB, on: bool) -> None:
    """Make the live connection refuse writes (SQLite's own read-only error), or accept them again."""
    await state._conn.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")


async def subscribe_due(env: BotEnv, channel: int) -> None:
    """A subscription whose post for today (UTC) is due now."""
    await env.bot.state.subscribe(
        env.fake.guild_id, channel, "00:00", "UTC", 1, now=env.clock() - dt.timedelta(hours=13)
    )


def daily_posts(fake: FakeDiscord, channel: int) -> list[dict[str, Any]]:
    """Messages the bot posted to a channel itself (interaction answers there are not posts)."""
    return [m for m in fake.channel_messages(channel) if m["type"] == 0]


def today(env: BotEnv) -> dt.date:
    return env.clock().date()


async def assert_still_answering(env: BotEnv) -> None:
    # A one-page answer: an answer with more pages saves its query for the buttons in the state database.
    body = await answer(env.fake, env.fake.command_interaction("island", {"name": "Kuril Islands"}))
    assert data_of(body)["embeds"][0]["title"] == "Kuril Islands"
    assert "components" not in data_of(body) or not data_of(body)["components"]


def subscribe_payload(env: BotEnv, channel: int, time: str = "10:00") -> dict[str, Any]:
    return env.fake.command_interaction(
        "daily",
        [
            {
                "type": 1,
                "name": "subscribe",
                "options": [
                    {"type": 7, "name": "channel", "value": str(channel)},
                    {"type": 3, "name": "time", "value": time},
                    {"type": 3, "name": "timezone", "value": "Asia/Tokyo"},
                ],
            }
        ],
        member_permissions=MANAGE_GUILD,
    )


# ---- the state database fails while the bot runs ---------------------------------------------------


@pytest.mark.asyncio
async def test_full_disk_before_the_claim_sends_nothing_and_the_bot_keeps_answering(
    env: BotEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = CHANNEL_IDS[0]
    await subscribe_due(env, channel)
    with monkeypatch.context() as patch:
        fail_writes(env.bot.state, patch, "database or disk is full")
        report = await env.bot.daily.run_once()
        assert report.posted == [] and report.failed
        assert daily_posts(env.fake, channel) == []
        await assert_still_answering(env)
        # A change of state is refused with a reply, not silence; nothing is half-written.
        refused = await answer(env.fake, subscribe_payload(env, CHANNEL_IDS[1]))
        assert data_of(refused)["flags"] & EPHEMERAL and "went wrong" in data_of(refused)["content"]
    assert await env.bot.state.posts(channel) == []
    assert await env.bot.state.get_subscription(CHANNEL_IDS[1]) is None
    # Space again: the day is posted once, and recorded with the message Discord created.
    report = await env.bot.daily.run_once()
    messages = daily_posts(env.fake, channel)
    assert len(report.posted) == 1 and len(messages) == 1
    record = await env.bot.state.get_post(channel, today(env))
    assert record is not None and record.status == "sent" and record.message_id == int(messages[0]["id"])


@pytest.mark.asyncio
async def test_read_only_state_after_the_send_is_never_recorded_as_unsent_nor_sent_twice(
    env: BotEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = CHANNEL_IDS[0]
    await subscribe_due(env, channel)
    state = env.bot.state
    original = state.mark_sent

    async def mark_sent_on_a_read_only_disk(*args: Any, **kwargs: Any) -> None:
        await read_only(state, True)  # the message is out; now the database turns read-only
        await original(*args, **kwargs)

    monkeypatch.setattr(state, "mark_sent", mark_sent_on_a_read_only_disk)
    await env.bot.daily.run_once()
    monkeypatch.undo()
    assert len(daily_posts(env.fake, channel)) == 1
    record = await state.get_post(channel, today(env))
    assert record is not None and record.status == "claimed"  # not 'sent': the write did not happen
    # Still read-only: runs neither repeat the post nor crash, and commands are answered.
    for _ in range(3):
        await env.bot.daily.run_once()
    assert len(daily_posts(env.fake, channel)) == 1
    await assert_still_answering(env)
    await read_only(state, False)
    report = await env.bot.daily.run_once()
    record = await state.get_post(channel, today(env))
    messages = daily_posts(env.fake, channel)
    assert len(messages) == 1 and report.resolved
    assert record is not None and record.status == "sent" and record.message_id == int(messages[0]["id"])


@pytest.mark.asyncio
async def test_unrecorded_post_is_found_after_a_restart_and_not_repeated(
    fake: FakeDiscord, tmp_path: Path, seed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "facts.db"
    db.write_bytes(seed_db.read_bytes())
    settings = make_settings(tmp_path, fake, db_path=db, articles=[SEEDS])
    clock = Clock(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC))
    channel = CHANNEL_IDS[2]
    async with running_bot(fake, settings, clock=clock) as bot:
        await bot.state.subscribe(
            fake.guild_id, channel, "00:00", "UTC", 1, now=clock() - dt.timedelta(hours=13)
        )
        with monkeypatch.context() as patch:
            original = bot.state.mark_sent

            async def full(*args: Any, **kwargs: Any) -> None:
                fail_writes(bot.state, patch, "database or disk is full")
                await original(*args, **kwargs)

            patch.setattr(bot.state, "mark_sent", full)
            await bot.daily.run_once()
        assert len(daily_posts(fake, channel)) == 1
    async with running_bot(fake, settings, clock=clock) as bot:  # the process restarted, the disk has space
        clock.advance(minutes=5)
        report = await bot.daily.run_once()
        assert len(daily_posts(fake, channel)) == 1
        assert [r.error for r in report.resolved] == [None]
        record = await bot.state.get_post(channel, clock().date())
        assert record is not None and record.status == "sent"
        sub = await bot.state.get_subscription(channel)
        assert sub is not None and not sub.paused


# ---- Discord faults ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_429_storm_on_callbacks_is_ridden_out_and_the_bot_answers_afterwards(env: BotEnv) -> None:
    await subscribe_due(env, CHANNEL_IDS[1])
    # Within discord.py's five tries: every interaction still gets its answer.
    env.fake.rate_limit("POST", CALLBACK, times=4, retry_after=0.02)
    body = await answer(env.fake, env.fake.command_interaction("island", {"name": "Shikotan"}))
    assert data_of(body)["embeds"][0]["title"] == "Shikotan"
    # A storm longer than any retry budget, over several interactions at once, global limits included.
    env.fake.rate_limit("POST", CALLBACK, times=25, retry_after=0.02)
    env.fake.rate_limit("POST", CALLBACK, times=5, retry_after=0.02, is_global=True)
    payloads = [env.fake.command_interaction("about", {}) for _ in range(5)]
    for payload in payloads:
        await env.fake.send_interaction(payload)
    for payload in payloads:
        # Each gets an answer: the page, or, once the command's own tries are spent, the error reply.
        callback = await env.fake.wait_for_callback(payload["id"])
        data = callback["data"]
        assert data.get("embeds") or "went wrong" in data["content"]
    statuses = [r.status for r in env.fake.requests_to("POST", CALLBACK)]
    assert statuses.count(429) == 4 + 25 + 5  # every injected 429 was met, and survived
    env.fake.clear_faults()
    await assert_still_answering(env)
    sub = await env.bot.state.get_subscription(CHANNEL_IDS[1])
    assert sub is not None and not sub.paused and sub.failures == 0


@pytest.mark.asyncio
async def test_429_storm_on_channel_messages_delays_the_post_but_never_loses_or_doubles_it(
    env: BotEnv,
) -> None:
    channel = CHANNEL_IDS[0]
    await subscribe_due(env, channel)
    env.fake.rate_limit("POST", f"/channels/{channel}/messages", times=12, retry_after=0.02)
    first = await env.bot.daily.run_once()
    second = await env.bot.daily.run_once()
    env.fake.clear_faults()
    third = await env.bot.daily.run_once()
    assert len(daily_posts(env.fake, channel)) == 1
    assert [o.channel_id for o in first.posted + second.posted + third.posted] == [channel]
    sub = await env.bot.state.get_subscription(channel)
    assert sub is not None and not sub.paused  # a rate limit is not the channel's fault
    record = await env.bot.state.get_post(channel, today(env))
    assert record is not None and record.status == "sent"
    await assert_still_answering(env)


@pytest.mark.asyncio
async def test_5xx_on_callback_and_follow_up_is_retried(env: BotEnv) -> None:
    env.fake.fail_once("POST", CALLBACK, 500)
    body = await answer(env.fake, env.fake.command_interaction("island", {"name": "Habomai"}))
    assert data_of(body)["embeds"][0]["title"] == "Habomai"
    env.fake.fail_once("POST", "/webhooks/{a}/{t}", 502)
    body = await answer(env.fake, env.fake.command_interaction("timeline", {"from": 1956, "to": 1956}))
    assert body["type"] == "followup" and "1956" in embed_text(body)
    statuses = [r.status for r in env.fake.requests if r.method == "POST" and r.status >= 500]
    assert statuses == [500, 502]


@pytest.mark.asyncio
@pytest.mark.parametrize("drop", ["abort", "close 4000", "reconnect request"])
async def test_gateway_drop_mid_interaction_loses_nothing(env: BotEnv, drop: str) -> None:
    channel = CHANNEL_IDS[2]
    await env.bot.state.subscribe(env.fake.guild_id, channel, "08:30", "Europe/Moscow", 1, now=env.clock())
    before = await env.bot.state.list_subscriptions()
    since = len(env.fake.gateway_frames)
    since_requests = len(env.fake.requests)
    # The timeline defers, then draws a chart and follows up; the connection goes in between.
    payload = env.fake.command_interaction("timeline", {"about": "declaration"})
    await env.fake.send_interaction(payload)
    await env.fake.wait_for_callback(payload["id"])
    await cut_gateway(env.fake, drop)
    # An interaction created while the bot is disconnected is replayed to it on RESUME.
    during = env.fake.command_interaction("quote", {"speaker": "Abe"})
    await env.fake.send_interaction(during)
    await env.fake.wait_for_gateway(op=6, since=since)  # RESUME
    followup = await env.fake.wait_for_request(
        lambda r: r.method == "POST" and r.path.startswith("/webhooks/") and payload["token"] in r.path,
        since=since_requests,
    )
    assert followup.status == 200 and followup.files
    replayed = await env.fake.wait_for_callback(during["id"])
    assert "Shinzo Abe" in embed_text({"data": replayed["data"]})
    await assert_still_answering(env)
    assert await env.bot.state.list_subscriptions() == before
    assert env.bot.is_closed() is False


async def cut_gateway(fake: FakeDiscord, how: str) -> None:
    actions: dict[str, Callable[[], Any]] = {
        "abort": fake.drop_gateway,
        "close 4000": lambda: fake.drop_gateway(4000),
        "reconnect request": fake.request_reconnect,
    }
    await actions[how]()
