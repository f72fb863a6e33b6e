"""The shards section: two `factbot run` processes of two shards each, sharing one PostgreSQL, against the
sharded fake Discord; a burst of interactions spread over the guilds of every shard, then the daily posts
of many subscriptions (in channels of every guild) due at the same minute.

The PostgreSQL server is the one FACTBOT_BENCH_STATE_URL names, or else a throwaway one started the way the
tests start theirs (from a checkout); without either the section is skipped and says why.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.common import LOAD_DEADLINE_S, child_env, percentiles
from bench.load import APP_ID, BOT_TOKEN, CHANNEL_IDS, GUILD_ID, _burst_payloads, _stop_process, settle_heap

SHARD_COUNT = 4
PROCESSES = ((0, 1), (2, 3))
GUILDS = 16  # spread over the shards: (guild_id >> 22) % SHARD_COUNT
SUBSCRIPTIONS = 1000
DISCORD_GLOBAL_LIMIT = 50  # requests a second a bot may make (Discord's global rate limit)
DAILY_WAIT_S = 300.0  # how long after the due minute the posts are awaited
DUE_LEAD_S = 20.0  # the posts fall due at the first minute at least this far away: after start-up and burst
READY_TIMEOUT_S = 300.0


@contextlib.contextmanager
def _state_url() -> Iterator[str | None]:
    """A PostgreSQL URL for the run, or None (and why, logged) when there is no server to use."""
    configured = os.environ.get("FACTBOT_BENCH_STATE_URL")
    if configured:
        yield configured
        return
    try:
        from tests import postgres  # a checkout's throwaway server, as the tests start it
    except ImportError:
        yield None
        return
    bindir = postgres.find_bin()
    if bindir is None:
        yield None
        return
    cluster = postgres.Cluster(bindir)
    try:
        cluster.start()
        yield cluster.database()
    finally:
        cluster.stop()


def measure_shards(
    db: Path,
    folder: Path,
    work: Path,
    mix: dict[str, Any],
    n: int,
    seed: int,
    subscriptions: int = SUBSCRIPTIONS,
) -> dict[str, Any]:
    """Two processes of two shards each: `n` interactions at once over the guilds of all four shards, then
    the daily posts of `subscriptions` channels due at the same minute."""
    with _state_url() as url:
        if url is None:
            return {"skipped": "no PostgreSQL (set FACTBOT_BENCH_STATE_URL, or install the server)"}
        return asyncio.run(_measure(db, folder, work, mix, n, seed, url, subscriptions))


async def _subscribe(url: str, channels: dict[int, int], due: dt.datetime) -> None:
    from bot.daily.state import open_state

    state = await open_state(url)
    try:
        for channel, guild in channels.items():
            await state.subscribe(guild, channel, due.time(), "UTC", 1, now=due - dt.timedelta(minutes=5))
    finally:
        await state.close()


def _daily_figures(fake: Any, channels: dict[int, int], due_mono: float) -> dict[str, Any]:
    posts = [
        r
        for r in fake.requests
        if r.method == "POST" and r.template == "/channels/{channel_id}/messages" and r.status < 300
    ]
    per_channel = Counter(int(r.params["channel_id"]) for r in posts)
    times = sorted(r.at for r in posts)
    busiest = max((sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times)), default=0)
    by_process = Counter(
        next(k for k, ids in enumerate(PROCESSES) if (channels[c] >> 22) % SHARD_COUNT in ids)
        for c in per_channel
    )
    return {
        "subscriptions": len(channels),
        "posted": len(per_channel),
        "posted_twice": sum(1 for v in per_channel.values() if v > 1),
        "first_after_due_s": round(times[0] - due_mono, 2) if times else None,
        "last_after_due_s": round(times[-1] - due_mono, 2) if times else None,
        "busiest_second": busiest,
        "global_limit_per_s": DISCORD_GLOBAL_LIMIT,
        "by_process": {str(k): v for k, v in sorted(by_process.items())},
    }


async def _measure(
    db: Path, folder: Path, work: Path, mix: dict[str, Any], n: int, seed: int, url: str, subscriptions: int
) -> dict[str, Any]:
    from fakediscord import FakeDiscord

    guilds = [GUILD_ID + (k << 22) for k in range(GUILDS)]
    channels = {GUILD_ID + (1 << 21) + k: guilds[1 + k % (GUILDS - 1)] for k in range(subscriptions)}
    # The posts fall due at the start of a minute at least a minute away: after the start-up and the burst.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=DUE_LEAD_S + 60)
    due = later.replace(second=0, microsecond=0)
    await _subscribe(url, channels, due)
    due_mono = time.monotonic() + (due - dt.datetime.now(dt.UTC)).total_seconds()
    async with FakeDiscord(
        guild_id=GUILD_ID,
        channel_ids=CHANNEL_IDS,
        app_id=APP_ID,
        token=BOT_TOKEN,
        validate=False,
        shard_count=SHARD_COUNT,
        extra_guild_ids=guilds[1:],
        extra_channels=channels,
    ) as fake:
        env = child_env() | {
            "DISCORD_TOKEN": BOT_TOKEN,
            "DISCORD_API_BASE_URL": fake.api_base_url,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "FACTBOT_DB_PATH": str(db),
            "FACTBOT_ARTICLES": str(folder),
            "FACTBOT_STATE_URL": url,
            "FACTBOT_SHARD_COUNT": str(SHARD_COUNT),
            # The fake has no identify rate limit; the turns are still taken, one at a time.
            "FACTBOT_IDENTIFY_INTERVAL_SECONDS": "0.1",
        }
        started = time.monotonic()
        procs = []
        try:
            for ids in PROCESSES:
                log_out = (work / f"shards-{ids[0]}-{ids[1]}.log").open("wb")
                procs.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable,
                        "-m",
                        "bot.cli",
                        "run",
                        "--shard-ids",
                        ",".join(map(str, ids)),
                        cwd=work,
                        env=env,
                        stdout=asyncio.subprocess.PIPE,
                        stderr=log_out,
                    )
                )
                log_out.close()
            deadline = started + READY_TIMEOUT_S
            while len(fake.gateway.shards) < SHARD_COUNT or not all(
                s.connection for s in fake.gateway.shards.values()
            ):
                if time.monotonic() > deadline or any(p.returncode is not None for p in procs):
                    raise RuntimeError("the shards did not all connect")
                await asyncio.sleep(0.05)
            ready_s = time.monotonic() - started
            await asyncio.sleep(2.0)  # the guilds of every shard settle
            payloads = _burst_payloads(fake, mix, n, seed, guild_ids=guilds)
            since = len(fake.requests)
            settle_heap()
            fired = time.monotonic()
            await asyncio.gather(*(fake.send_interaction(p) for p in payloads))
            ids = {int(p["id"]) for p in payloads}
            wait_until = fired + 60.0
            while time.monotonic() < wait_until:
                if all(fake.interactions[i].callbacks for i in ids):
                    break
                await asyncio.sleep(0.02)
            wait_until = due_mono + DAILY_WAIT_S if channels else 0.0
            while time.monotonic() < wait_until:
                if len(fake.requests_to("POST", "/channels/{channel_id}/messages")) >= len(channels):
                    break
                await asyncio.sleep(0.2)
            if channels:
                await asyncio.sleep(1.0)  # a repeat, were there one, would come now
            daily = (
                _daily_figures(fake, channels, due_mono)
                if channels
                else {"skipped": "no daily subscriptions asked for (--subscriptions 0)"}
            )
        finally:
            for proc in procs:
                await _stop_process(proc)
    first: dict[int, float] = {}
    for r in fake.requests[since:]:
        if r.template and r.template.endswith("/callback") and r.status < 300:
            iid = int(r.params.get("interaction_id", 0))
            if iid in ids and iid not in first:
                first[iid] = r.at - fired
    by_shard = Counter((int(p["guild_id"]) >> 22) % SHARD_COUNT for p in payloads)
    answered_twice = sum(1 for i in ids if len(fake.interactions[i].callbacks) > 1)
    return {
        "processes": [list(p) for p in PROCESSES],
        "shard_count": SHARD_COUNT,
        "guilds": GUILDS,
        "interactions": n,
        "by_shard": {str(k): v for k, v in sorted(by_shard.items())},
        "answered": len(first),
        "answered_twice": answered_twice,
        "answered_within_3s": sum(1 for v in first.values() if v <= LOAD_DEADLINE_S),
        "first_response_ms": percentiles([v * 1000 for v in first.values()]),
        "identified": sorted(s for s, _ in fake.gateway.identified),
        "commands_synced": len(fake.requests_to("PUT", f"/applications/{APP_ID}/commands")),
        "seconds_to_all_shards_connected": round(ready_s, 2),
        "daily": daily,
    }
