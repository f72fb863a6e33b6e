"""The real bot process and client against the fake Discord: start-up, sync, restarts, faults."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest

from bot.daily.runner import post_nonce
from bot.discord.paging import PAGE_QUERIES_KEPT
from fakediscord import FakeDiscord
from tests.discord.harness import (
    APP_ID,
    CHANNEL_IDS,
    TOKEN,
    BotEnv,
    Clock,
    answer,
    data_of,
    embed_text,
    make_settings,
    run_env,
    running_bot,
    start_factbot_run,
)
from tests.helpers import ROOT, SEEDS
from tests.waits import run_process, within


async def _run_process_until_ready(
    fake: FakeDiscord, tmp: Path, stop: signal.Signals = signal.SIGINT
) -> tuple[int, str]:
    """`factbot run` in a real process until it logs that it is ready, then Ctrl-C (or `stop`); returns
    (exit code, log)."""
    since = len(fake.gateway_frames)
    output = await start_factbot_run(tmp, run_env(fake, tmp))
    proc = output.proc
    try:
        # on_ready logs this once READY and the guild are in: start-up (and its command sync) is over.
        await output.line_containing("ready as", "`factbot run` logging that it is ready")
        await fake.wait_for_gateway(op=2, since=since)  # it identified on this fake
        proc.send_signal(stop)
        code = await output.exit(f"`factbot run` exiting after {stop.name}")
    finally:
        await output.kill()
    return code, output.text


@pytest.mark.asyncio
async def test_factbot_run_reaches_ready_and_syncs_once_across_restarts(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    _, log = await _run_process_until_ready(fake, tmp_path)
    puts = fake.requests_to("PUT", f"/applications/{APP_ID}/commands")
    assert len(puts) == 1 and puts[0].status == 200, log
    assert {c["name"] for c in puts[0].json} == {
        "timeline",
        "quote",
        "island",
        "source",
        "daily",
        "about",
        "help",
        "check",
        "Check quotes",
    }
    assert TOKEN not in log
    _, log2 = await _run_process_until_ready(fake, tmp_path)
    assert len(fake.requests_to("PUT", f"/applications/{APP_ID}/commands")) == 1, log2
    assert "commands unchanged" in log2
    assert TOKEN not in log2


@pytest.mark.asyncio
async def test_factbot_run_stopped_as_a_service_is_stopped_shuts_down_cleanly(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    # systemd and Docker stop with SIGTERM, whose default would kill the process mid-write with -15.
    code, log = await _run_process_until_ready(fake, tmp_path, signal.SIGTERM)
    assert code == 0, log
    assert not (tmp_path / "state.db-wal").exists(), log  # the state database was closed, not abandoned


@pytest.mark.asyncio
async def test_factbot_run_stopped_right_after_ready_stops(fake: FakeDiscord, tmp_path: Path) -> None:
    # Ctrl-C while discord.py still waits for the guilds after READY: asyncio's own Ctrl-C handling (cancel
    # the bot's task) lost the cancellation there in a third of the tries, and the bot went on running.
    for attempt in range(3):
        since = len(fake.gateway_frames)
        output = await start_factbot_run(tmp_path, run_env(fake, tmp_path))
        try:
            await fake.wait_for_gateway(event="READY", direction="out", since=since)
            output.proc.send_signal(signal.SIGINT)
            code = await output.exit(
                f"`factbot run` exiting after SIGINT right after READY (try {attempt + 1})"
            )
        finally:
            await output.kill()
        assert code == 0, output.text


@pytest.mark.asyncio
async def test_factbot_run_without_token_exits_2_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "FACTBOT_"))}
    env["PYTHONPATH"] = str(ROOT)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await within(proc.communicate(), "`factbot run` without a token exiting")
    assert proc.returncode == 2
    assert len(err.decode().strip().splitlines()) == 1 and "DISCORD_TOKEN" in err.decode()
    assert "Traceback" not in err.decode()


def next_button(body: dict) -> str:
    """The custom id of the "next" button of an answer."""
    return next(b for b in data_of(body)["components"][0]["components"] if "Next" in b["label"])["custom_id"]


@pytest.mark.asyncio
async def test_page_buttons_work_after_a_restart(fake: FakeDiscord, tmp_path: Path, seed_db: Path) -> None:
    shutil.copy(seed_db, tmp_path / "facts.db")
    settings = make_settings(tmp_path, fake, db_path=tmp_path / "facts.db", articles=[SEEDS])
    async with running_bot(fake, settings):
        body = await answer(fake, fake.command_interaction("quote", {}))
    next_id = next_button(body)
    message_id = fake.requests_to("POST", "/interactions/{i}/{t}/callback")[-1].response["resource"][
        "message"
    ]["id"]
    async with running_bot(fake, settings):  # a new process would be the same: nothing held in memory
        update = await answer(fake, fake.component_interaction(next_id, message=message_id))
    assert update["type"] == 7 and "Page 2/" in embed_text(update)


@pytest.mark.asyncio
async def test_saved_page_queries_stay_bounded_and_recent_ones_keep_working(env: BotEnv) -> None:
    bot = env.bot
    first = await bot.paging.save_query("quote", {"about": "question 0", "speaker": None})
    popular = await bot.paging.save_query("quote", {"about": "popular", "speaker": None})
    qids = [
        await bot.paging.save_query("quote", {"about": f"question {n}", "speaker": None})
        for n in range(1, 1500)
    ]
    for _ in range(3):  # asked again now and then, by many people
        for n in range(400):
            qids.append(await bot.paging.save_query("quote", {"about": f"later {_} {n}", "speaker": None}))
        await bot.paging.save_query("quote", {"about": "popular", "speaker": None})
    assert await bot.state.page_query_count() <= PAGE_QUERIES_KEPT
    assert await bot.paging.load_query(qids[-1]) == {"about": "later 2 399", "speaker": None}
    assert await bot.paging.load_query(popular) == {"about": "popular", "speaker": None}
    assert await bot.paging.load_query(first) is None  # long unused: its buttons say the results expired


@pytest.mark.asyncio
async def test_page_buttons_expire_a_month_after_their_question_was_last_asked(env: BotEnv) -> None:
    async def ask() -> tuple[str, str]:
        """The quote command's "next" button and the message it is on."""
        body = await answer(env.fake, env.fake.command_interaction("quote", {}))
        callback = env.fake.requests_to("POST", "/interactions/{i}/{t}/callback")[-1]
        return next_button(body), callback.response["resource"]["message"]["id"]

    async def click(button: str, message: str) -> dict:
        return await answer(env.fake, env.fake.component_interaction(button, message=message))

    button, message = await ask()
    env.clock.advance(days=29)
    turned = await click(button, message)
    assert "Page 2/" in embed_text(turned)
    env.clock.advance(days=2)  # 31 days since it was asked
    assert "expired" in data_of(await click(next_button(turned), message))["content"]
    # Asked again, the same question's buttons work again, for a month from then.
    button, message = await ask()
    env.clock.advance(days=20)
    again, message = await ask()
    assert again == button  # the same query, saved again
    env.clock.advance(days=25)  # 45 days after it was asked before, 25 after it was asked last
    turned = await click(button, message)
    assert "Page 2/" in embed_text(turned)
    env.clock.advance(days=6)
    assert "expired" in data_of(await click(next_button(turned), message))["content"]


@pytest.mark.asyncio
async def test_daily_snippet_arrives_at_its_time_exactly_once_across_a_restart(
    fake: FakeDiscord, tmp_path: Path, seed_db: Path
) -> None:
    shutil.copy(seed_db, tmp_path / "facts.db")
    settings = make_settings(tmp_path, fake, db_path=tmp_path / "facts.db", articles=[SEEDS])
    clock = Clock(dt.datetime(2026, 10, 18, 23, 0, tzinfo=dt.UTC))  # 08:00 in Tokyo on 19 October
    channel = CHANNEL_IDS[0]
    async with running_bot(fake, settings, clock=clock) as bot:
        await bot.state.subscribe(fake.guild_id, channel, "09:00", "Asia/Tokyo", 1, now=clock())
        report = await bot.daily.run_once()
        assert report.posted == [] and fake.channel_messages(channel) == []
        clock.advance(hours=1)  # 09:00 Tokyo
        await bot.daily.run_once()
    async with running_bot(fake, settings, clock=clock) as bot:  # restart right after the post time
        clock.advance(minutes=1)
        await bot.daily.run_once()
    posted = fake.channel_messages(channel)
    assert len(posted) == 1
    embed = posted[0]["embeds"][0]
    assert embed["title"] == "On this day in 1956"  # the Joint Declaration, 19 October 1956
    assert "2026-10-19" in embed["footer"]["text"]
    sent = fake.requests_to("POST", f"/channels/{channel}/messages")
    assert [r.json["allowed_mentions"] for r in sent if r.status == 200] == [{"parse": []}]
    # The day's nonce, enforced: a repeat of this post from any process would show the same message.
    assert [(r.json["nonce"], r.json["enforce_nonce"]) for r in sent] == [
        (post_nonce(channel, dt.date(2026, 10, 19)), True)
    ]


@pytest.mark.asyncio
async def test_forbidden_channel_is_paused_and_others_still_get_their_post(
    fake: FakeDiscord, tmp_path: Path, seed_db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.copy(seed_db, tmp_path / "facts.db")
    settings = make_settings(tmp_path, fake, db_path=tmp_path / "facts.db", articles=[SEEDS])
    clock = Clock(dt.datetime(2026, 11, 22, 0, 30, tzinfo=dt.UTC))
    bad, good = CHANNEL_IDS[1], CHANNEL_IDS[2]
    fake.fail_channel(bad, 403)
    async with running_bot(fake, settings, clock=clock) as bot:
        for channel in (bad, good):
            await bot.state.subscribe(
                fake.guild_id, channel, "09:00", "Asia/Tokyo", 1, now=clock() - dt.timedelta(hours=1)
            )
        for _ in range(3):
            await bot.daily.run_once()
        sub = await bot.state.get_subscription(bad)
        assert sub is not None and sub.paused and sub.failures == 3
    assert len(fake.channel_messages(good)) == 1
    assert fake.channel_messages(bad) == []
    assert any("paus" in r.getMessage() and str(bad) in r.getMessage() for r in caplog.records)


@pytest.mark.asyncio
async def test_rate_limited_callback_and_message_are_retried(env: BotEnv) -> None:
    env.fake.rate_limit("POST", "/interactions/{i}/{t}/callback", times=1, retry_after=0.05)
    body = await answer(env.fake, env.fake.command_interaction("island", {"name": "Shikotan"}))
    assert data_of(body)["embeds"][0]["title"] == "Shikotan"
    statuses = [r.status for r in env.fake.requests_to("POST", "/interactions/{i}/{t}/callback")]
    assert statuses[:2] == [429, 200]

    await env.bot.state.subscribe(
        env.fake.guild_id, CHANNEL_IDS[0], "00:00", "UTC", 1, now=env.clock() - dt.timedelta(days=1)
    )
    env.fake.rate_limit("POST", f"/channels/{CHANNEL_IDS[0]}/messages", times=2, retry_after=0.05)
    report = await env.bot.daily.run_once()
    assert report.posted and len(env.fake.channel_messages(CHANNEL_IDS[0])) >= 1


@pytest.mark.asyncio
async def test_dropped_gateway_resumes_and_commands_still_work(env: BotEnv) -> None:
    since = len(env.fake.gateway_frames)
    await env.fake.drop_gateway()
    await env.fake.wait_for_gateway(op=6, since=since)  # RESUME
    body = await answer(env.fake, env.fake.command_interaction("about", {}))
    assert "articles" in embed_text(body)


@pytest.mark.asyncio
async def test_article_with_everyone_and_role_mentions_never_pings(fake: FakeDiscord, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "hostile.txt").write_text(
        "Hostile headline\n\n@everyone In 1956, <@&123456789012345678> and <@42> met on Shikotan, "
        "||officials|| said in ```a statement```.\n",
        encoding="utf-8",
    )
    settings = make_settings(tmp_path, fake, articles=[folder])
    async with running_bot(fake, settings):
        body = await answer(fake, fake.command_interaction("island", {"name": "Shikotan"}))
    assert data_of(body)["allowed_mentions"] == {"parse": []}
    text = embed_text(body)
    assert "In 1956" in text
    assert "@everyone" not in text and "<@&123456789012345678>" not in text and "<@42>" not in text
    assert "```" not in text and "||officials||" not in text


@pytest.mark.asyncio
async def test_payloads_are_checked_against_the_pinned_spec(env: BotEnv) -> None:
    if env.fake.spec_skipped_reason:
        pytest.skip(f"Discord's OpenAPI spec not available: {env.fake.spec_skipped_reason}")
    await answer(env.fake, env.fake.command_interaction("about", {}))
    assert all(r.status < 400 for r in env.fake.requests if r.method in ("POST", "PUT", "PATCH"))


@pytest.mark.asyncio
async def test_factbot_sync_syncs_now_and_exits(fake: FakeDiscord, tmp_path: Path) -> None:
    code, out = await run_process(
        sys.executable,
        "-m",
        "bot.cli",
        "sync",
        what="`factbot sync` exiting",
        cwd=tmp_path,
        env=run_env(fake, tmp_path),
    )
    assert code == 0, out
    puts = fake.requests_to("PUT", f"/applications/{APP_ID}/commands")
    assert len(puts) == 1 and puts[0].status == 200
    assert TOKEN not in out
