"""Running the real bot against the in-repo fake Discord, and reading what it sent."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import shutil
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.discord.client import FactBot
from bot.discord.patches import patched
from fakediscord import FakeDiscord
from tests.helpers import ROOT, SEEDS
from tests.waits import ProcessOutput, client_ready, within

GUILD_ID = 1200000000000000001
CHANNEL_IDS = [1200000000000000011, 1200000000000000012, 1200000000000000013]
APP_ID = 1200000000000000021
TOKEN = "fake-token-for-tests"
MANAGE_GUILD = 1 << 5
PLAIN_MEMBER = (1 << 10) | (1 << 11) | (1 << 31)  # view channel, send messages, use application commands


class Clock:
    """A settable clock for the bot (UTC)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class BotEnv:
    fake: FakeDiscord
    bot: FactBot
    settings: Settings
    clock: Clock


def make_settings(
    tmp: Path,
    fake: FakeDiscord,
    *,
    db_path: Path | None = None,
    articles: list[Path] | None = None,
    **extra: Any,
) -> Settings:
    """Settings exactly as a user would give them, pointing at the fake through the two URL settings."""
    if articles is None:
        folder = tmp / "articles"
        if not folder.exists():
            shutil.copytree(SEEDS, folder)
        articles = [folder]
    values: dict[str, Any] = {
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_BASE_URL": fake.api_base_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "FACTBOT_DB_PATH": db_path or tmp / "facts.db",
        "FACTBOT_STATE_DB_PATH": tmp / "state.db",
        "FACTBOT_ARTICLES": articles,
        "FACTBOT_CHART_COOLDOWN_SECONDS": 30,
        **extra,
    }
    return Settings(_env_file=None, **values)


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord, settings: Settings, *, clock: Clock | None = None, run_daily: bool = False
) -> AsyncIterator[FactBot]:
    """The bot started as `factbot run` starts it (same settings, its token, discord.py patched the same
    way), connected, READY, guild cached."""
    with patched(settings.discord_api_base_url, settings.discord_gateway_url):
        bot = FactBot(
            settings,
            clock=clock or Clock(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)),
            run_daily=run_daily,
            guild_ready_timeout=0.05,
        )
        token = settings.discord_token.get_secret_value() if settings.discord_token else ""
        task = asyncio.create_task(bot.start(token))
        try:
            await client_ready(bot, task, fake.guild_id)
            yield bot
        finally:
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError):
                await within(task, "the bot's task ending after close()")


async def answer(fake: FakeDiscord, payload: dict[str, Any]) -> dict[str, Any]:
    """Send an interaction and return the message body it produced (following a deferral to its follow-up)."""
    since = len(fake.requests)
    await fake.send_interaction(payload)
    callback = await fake.wait_for_callback(payload["id"])
    if callback.get("type") != 5:
        return callback
    followup = await fake.wait_for_request(
        lambda r: (
            r.method == "POST"
            and r.path.startswith(f"/webhooks/{APP_ID}/{payload['token']}")
            and r.status < 300
        ),
        since=since,
    )
    return {"type": "followup", "data": followup.json, "files": followup.files}


def data_of(body: dict[str, Any]) -> dict[str, Any]:
    return body.get("data") or {}


def embed_text(body: dict[str, Any]) -> str:
    """All text of the embeds in a response body."""
    parts = []
    for e in data_of(body).get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or "", (e.get("footer") or {}).get("text") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in e.get("fields") or []]
    return "\n".join(parts)


def run_env(fake: FakeDiscord, tmp: Path, **settings: str) -> dict[str, str]:
    """The environment of a `factbot run` child process on the fake, its files in `tmp`; `settings` are
    added to it (or replace what it has)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "FACTBOT_"))}
    env.update(
        {
            "DISCORD_TOKEN": TOKEN,
            "DISCORD_API_BASE_URL": fake.api_base_url,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "FACTBOT_DB_PATH": str(tmp / "facts.db"),
            "FACTBOT_STATE_DB_PATH": str(tmp / "state.db"),
            "FACTBOT_ARTICLES": str(SEEDS),
            "FACTBOT_LOG_LEVEL": "INFO",
            "PYTHONPATH": str(ROOT),
            "PYTHONFAULTHANDLER": "1",  # a hung process prints every thread's stack when it is aborted
            **settings,
        }
    )
    return env


async def start_factbot_run(tmp: Path, env: dict[str, str]) -> ProcessOutput:
    """`factbot run` as a child process in `tmp`, its output (stdout and stderr) read as it comes."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "bot.cli", "run"),
        cwd=tmp,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    return ProcessOutput(proc)
