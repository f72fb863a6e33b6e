"""The load section: the bot in its own process against the local fake Discord, start-up and a burst of
interactions.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import shutil
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import LOAD_DEADLINE_S, ROOT, Options, child_env, mb, percentiles, rss_of

log = logging.getLogger(__name__)

BOT_TOKEN = "bench-token"  # noqa: S105 - what the local fake Discord accepts; no real token exists here
GUILD_ID = 1300000000000000001
CHANNEL_IDS = [1300000000000000011, 1300000000000000012]
APP_ID = 1300000000000000021
CHART_USERS = 5  # /timeline comes from a few users: the per-user chart cooldown then draws a few charts
READY_TIMEOUT_S = 300.0


def child_serve(payload: dict[str, Any]) -> dict[str, Any]:
    # Lag samples go to a file as they come, so they survive a bot too busy to stop when asked.
    with Path(payload["lag_file"]).open("a", encoding="utf-8") as lag_out:
        return asyncio.run(_serve(payload, lag_out))


async def _serve(payload: dict[str, Any], lag_out: Any) -> dict[str, Any]:
    """Run the real bot against the fake until SIGINT, measuring how late the event loop wakes up."""
    import signal

    from bot.config import Settings
    from bot.discord import patches
    from bot.discord.client import FactBot

    settings = Settings(_env_file=None, **payload["settings"])  # type: ignore[call-arg]
    patches.apply(settings.discord_api_base_url, settings.discord_gateway_url)  # as `factbot run` does
    bot = FactBot(settings, run_daily=False)
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()

    async def monitor() -> None:
        # A task that asks to sleep 10 ms: anything more is time the loop spent on something else.
        while not stopping.is_set():
            asked = loop.time()
            await asyncio.sleep(0.01)
            lag_out.write(f"{time.monotonic():.6f} {(loop.time() - asked - 0.01) * 1000:.3f}\n")
            lag_out.flush()

    watcher = asyncio.create_task(monitor())
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner = asyncio.create_task(
        bot.start(settings.discord_token.get_secret_value() if settings.discord_token else "")
    )
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({runner, stopped}, return_when=asyncio.FIRST_COMPLETED)
    # Closing here, and waiting for it, closes the store and the state database before the loop ends:
    # an aiosqlite connection left open keeps a thread that blocks the interpreter's exit.
    await bot.close()
    stopped.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await runner
    stopping.set()
    await watcher
    return {"stopped": True}


def _bot_settings(fake: Any, db: Path, articles: Path, state: Path) -> dict[str, Any]:
    return {
        "DISCORD_TOKEN": BOT_TOKEN,
        "DISCORD_API_BASE_URL": fake.api_base_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "FACTBOT_DB_PATH": str(db),
        "FACTBOT_STATE_DB_PATH": str(state),
        "FACTBOT_ARTICLES": str(articles),
        "FACTBOT_LOG_LEVEL": "WARNING",
    }


class _Sampler:
    """Peak and last resident memory of another process, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = self.last = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(Exception):  # the process may be gone between two samples
                self.last = rss_of(self.pid)
                self.peak = max(self.peak, self.last)
            self._stop.wait(0.02)

    def reset(self) -> None:
        self.peak = self.last

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


async def _stop_process(proc: asyncio.subprocess.Process) -> bytes:
    """Stop a bot with SIGINT as a user would; returns what it wrote on stdout."""
    import signal

    if proc.returncode is None:
        proc.send_signal(signal.SIGINT)
    reading = asyncio.ensure_future(proc.communicate())
    try:
        out, _ = await asyncio.wait_for(asyncio.shield(reading), 60)
    except TimeoutError:
        log.warning("the bot did not stop within 60 s of SIGINT; killing it")
        proc.kill()
        out, _ = await reading
    return out or b""


async def _start_until_ready(
    fake: Any, argv: list[str], env: dict[str, str], cwd: Path, stdin: bytes | None, log_file: Path
) -> tuple[asyncio.subprocess.Process, float]:
    """Start a bot process; return it and the seconds from process start to READY sent by the fake."""
    since = len(fake.gateway_frames)
    started = time.monotonic()
    with log_file.open("wb") as log_out:  # the child keeps its own copy of the descriptor
        proc = await asyncio.create_subprocess_exec(
            *argv,
            cwd=cwd,
            env=env,
            stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=log_out,
        )
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin)
        await proc.stdin.drain()
        proc.stdin.close()
    ready_task = asyncio.ensure_future(
        fake.wait_for_gateway(event="READY", direction="out", since=since, timeout=READY_TIMEOUT_S)
    )
    exited = asyncio.ensure_future(proc.wait())
    done, _ = await asyncio.wait({ready_task, exited}, return_when=asyncio.FIRST_COMPLETED)
    if ready_task not in done:
        ready_task.cancel()
        raise RuntimeError(f"the bot exited with {proc.returncode} before READY")
    exited.cancel()
    return proc, ready_task.result().at - started


async def _startups(fake: Any, db: Path, folder: Path, work: Path) -> list[dict[str, Any]]:
    """`factbot run` from process start to READY: on the seeds, and on the big corpus with its store built."""
    seeds = work / "startup-seeds"
    shutil.rmtree(seeds, ignore_errors=True)
    shutil.copytree(ROOT / "seeds", seeds / "articles")
    cases = [
        ("seeds, store built at start-up", seeds / "facts.db", seeds / "articles", seeds / "state-cold.db"),
        ("seeds, store already built", seeds / "facts.db", seeds / "articles", seeds / "state-warm.db"),
        (
            f"{folder.name.removeprefix('corpus-')} articles, store already built",
            db,
            folder,
            work / "state-startup.db",
        ),
    ]
    out = []
    for label, store, articles, state in cases:
        env = {**child_env(), **{k: str(v) for k, v in _bot_settings(fake, store, articles, state).items()}}
        proc, seconds = await _start_until_ready(
            fake, [sys.executable, "-m", "bot.cli", "run"], env, work, None, work / f"startup-{len(out)}.log"
        )
        await asyncio.sleep(0.5)  # let the first GUILD_CREATE settle before stopping
        await _stop_process(proc)
        out.append({"case": label, "seconds_to_ready": round(seconds, 2)})
    return out


def _burst_payloads(
    fake: Any, mix: dict[str, Any], n: int, seed: int, guild_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """`n` interactions of the load mix; with `guild_ids`, spread over those guilds in turn."""
    rng = random.Random(f"{seed}:load")
    texts = [h["query"] for h in mix["hits"]] or ["peace treaty"]
    speakers = [s for s in mix["quote_speaker"] if s != "nobody at all"]
    islands = mix["island"]
    out = []
    for k in range(n):
        kind = rng.choices(("quote", "island", "timeline"), (4, 3, 3))[0]
        user = 1300000000000001000 + rng.randrange(200)
        if kind == "quote":
            form = rng.random()
            options: dict[str, Any] = {}
            if form < 0.75:
                options["about"] = rng.choice(texts)
            if form > 0.5:
                options["speaker"] = rng.choice(speakers)
        elif kind == "island":
            options = {"name": rng.choice(islands)}
        else:
            user = 1300000000000000900 + rng.randrange(CHART_USERS)
            years = rng.choice(mix["timeline_years"])
            options = {k: v for k, v in (("from", years[0]), ("to", years[1])) if v is not None}
            if rng.random() < 0.4:
                options["about"] = rng.choice(mix["timeline_about"])
        payload = fake.command_interaction(
            kind,
            options,
            user=user,
            channel_id=CHANNEL_IDS[k % len(CHANNEL_IDS)],
            guild_id=guild_ids[k % len(guild_ids)] if guild_ids else None,
        )
        out.append(payload)
    return out


async def _burst(
    fake: Any, db: Path, folder: Path, work: Path, mix: dict[str, Any], n: int, seed: int
) -> dict[str, Any]:
    """N interactions dispatched at once to the running bot; who answered within the deadline, how fast."""
    settings = _bot_settings(fake, db, folder, work / "state-load.db")
    lag_file = work / "load-lag.txt"
    lag_file.unlink(missing_ok=True)
    stdin = json.dumps(
        {"task": "serve", "payload": {"settings": settings, "lag_file": str(lag_file)}}
    ).encode()
    argv = [sys.executable, "-c", "from bench.run import child_main; child_main()"]
    proc, ready_s = await _start_until_ready(fake, argv, child_env(), work, stdin, work / "load-bot.log")
    sampler = _Sampler(proc.pid)
    try:
        await asyncio.sleep(2.0)  # idle: the memory the bot holds while serving nothing
        idle_rss = sampler.last
        payloads = _burst_payloads(fake, mix, n, seed)
        since = len(fake.requests)
        sampler.reset()
        fired = time.monotonic()
        await asyncio.gather(*(fake.send_interaction(p) for p in payloads))
        dispatched = time.monotonic() - fired
        ids = {int(p["id"]) for p in payloads}
        deadline = fired + 60.0
        while time.monotonic() < deadline:
            if all(fake.interactions[i].callbacks for i in ids):
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(1.0)  # follow-ups of deferred answers
        finished = time.monotonic()
        peak_rss = sampler.peak
    finally:
        sampler.stop()
        await _stop_process(proc)
    first: dict[int, float] = {}
    final: dict[str, float] = {}
    errors = 0
    for r in fake.requests[since:]:
        if r.template and r.template.endswith("/callback") and r.status < 300:
            iid = int(r.params.get("interaction_id", 0))
            if iid in ids and iid not in first:
                first[iid] = r.at - fired
                body = json.dumps(r.json or {})
                errors += "Something went wrong" in body
        elif r.method == "POST" and r.path.startswith(f"/webhooks/{APP_ID}/") and r.status < 300:
            token = r.path.split("/")[3]
            final.setdefault(token, r.at - fired)
    by_token = {p["token"]: int(p["id"]) for p in payloads}
    complete = dict(first)
    for token, at in final.items():
        if token in by_token:
            complete[by_token[token]] = max(complete.get(by_token[token], 0.0), at)
    lags = []
    for line in lag_file.read_text(encoding="utf-8").splitlines() if lag_file.exists() else []:
        t, lag = (float(x) for x in line.split())
        if fired <= t <= finished:
            lags.append(lag)
    kinds = Counter(p["data"]["name"] for p in payloads)
    return {
        "interactions": n,
        "mix": dict(kinds),
        "dispatch_seconds": round(dispatched, 3),
        "answered": len(first),
        "answered_within_3s": sum(1 for v in first.values() if v <= LOAD_DEADLINE_S),
        "waited_seconds": round(finished - fired, 1),
        "error_replies": errors,
        "first_response_ms": percentiles([v * 1000 for v in first.values()]),
        "complete_answer_ms": percentiles([v * 1000 for v in complete.values()]),
        "loop_lag_ms": percentiles(lags),
        "rss_mb": {"idle": mb(idle_rss), "peak_under_load": mb(peak_rss)},
        "ready_seconds": round(ready_s, 2),
    }


def measure_load(db: Path, folder: Path, work: Path, mix: dict[str, Any], options: Options) -> dict[str, Any]:
    """Start-up times and a burst of interactions through the fake Discord, with the bot in its own process."""
    return asyncio.run(_load(db, folder, work, mix, options))


async def _load(db: Path, folder: Path, work: Path, mix: dict[str, Any], options: Options) -> dict[str, Any]:
    from fakediscord import FakeDiscord

    # Request bodies are not validated against the spec here (the test suite does that): validating 500
    # answers would load the fake, which shares the two cores with the bot, and skew the bot's figures.
    async with FakeDiscord(
        guild_id=GUILD_ID, channel_ids=CHANNEL_IDS, app_id=APP_ID, token=BOT_TOKEN, validate=False
    ) as fake:
        startup = await _startups(fake, db, folder, work)
        burst = await _burst(fake, db, folder, work, mix, options.load_interactions, options.seed)
    return {"startup": startup, "burst": burst}
