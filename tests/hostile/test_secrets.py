"""The bot token appears in no log line, no exception, no output and no rendering of the settings."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import pydantic
import pytest

from bot.config import Settings
from fakediscord import FakeDiscord
from tests.discord.harness import (
    APP_ID,
    CHANNEL_IDS,
    GUILD_ID,
    MANAGE_GUILD,
    answer,
    data_of,
    make_settings,
    running_bot,
)
from tests.helpers import SEEDS

# Shaped like a real token, but assembled here so no token-shaped string is committed.
SECRET = ".".join(("MTIwMDAwMDAwMDAwMDAwMDAyMQ", "Gh0st1", "hostile-SECRET-token-5f3a9c0d"))
# Pieces a careless log line might show on their own.
FRAGMENTS = (SECRET, "hostile-SECRET-token", "5f3a9c0d", "Gh0st1")
LOGGERS = (
    "",
    "discord",
    "discord.http",
    "discord.gateway",
    "discord.client",
    "aiohttp",
    "asyncio",
    "bot",
    "factbot",
)


def leaks(text: str) -> list[str]:
    return [f for f in FRAGMENTS if f in text]


def record_text(record: logging.LogRecord) -> str:
    """Everything a handler could write for the record: message, arguments, traceback, stack."""
    formatted = logging.Formatter("%(name)s %(levelname)s %(message)s").format(record)
    return "\n".join([formatted, repr(record.msg), repr(record.args), repr(record.exc_info)])


@pytest.mark.asyncio
async def test_token_never_appears_in_logs_errors_or_output_over_a_whole_run(
    tmp_path: Path,
    seed_db: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    db = tmp_path / "facts.db"
    shutil.copy(seed_db, db)
    async with FakeDiscord(guild_id=GUILD_ID, channel_ids=CHANNEL_IDS, app_id=APP_ID, token=SECRET) as fake:
        settings = make_settings(tmp_path, fake, db_path=db, articles=[SEEDS], DISCORD_TOKEN=SECRET)
        # As `factbot run` starts it: the token from its settings, the daily runner on.
        async with running_bot(fake, settings, run_daily=True) as bot:
            # Commands, an autocomplete, a page turn, a state change.
            await answer(fake, fake.command_interaction("island", {"name": "Shikotan"}))
            body = await answer(fake, fake.command_interaction("timeline", {}))
            await answer(fake, fake.autocomplete_interaction("quote", {"speaker": "Ab"}, focused="speaker"))
            button = data_of(body)["components"][0]["components"][1]["custom_id"]
            message_id = fake.requests_to("POST", "/webhooks/{a}/{t}")[-1].response["id"]
            await answer(fake, fake.component_interaction(button, message=message_id))
            subscribe = [
                {"type": 3, "name": "time", "value": "09:00"},
                {"type": 3, "name": "timezone", "value": "UTC"},
                {"type": 7, "name": "channel", "value": str(CHANNEL_IDS[1])},
            ]
            await answer(
                fake,
                fake.command_interaction(
                    "daily",
                    [{"type": 1, "name": "subscribe", "options": subscribe}],
                    member_permissions=MANAGE_GUILD,
                ),
            )

            # Errors: a failing command, a refused HTTP request, a retried one, a lost connection.
            async def broken(*args: Any, **kwargs: Any) -> None:
                raise RuntimeError("the store is gone")

            monkeypatch.setattr(bot.facts.store, "island_facts", broken)
            await answer(fake, fake.command_interaction("island", {"name": "Iturup"}))
            monkeypatch.undo()
            fake.fail_channel(CHANNEL_IDS[1], 403)
            await bot.state.subscribe(
                fake.guild_id, CHANNEL_IDS[1], "00:00", "UTC", 1, now=bot.clock() - dt.timedelta(days=1)
            )
            await bot.daily.run_once()
            fake.rate_limit("POST", "/interactions/{i}/{t}/callback", times=2, retry_after=0.01)
            await answer(fake, fake.command_interaction("about", {}))
            since = len(fake.gateway_frames)
            await fake.drop_gateway()
            await fake.wait_for_gateway(op=6, since=since)  # RESUME carries the token
            await answer(fake, fake.command_interaction("island", {"name": "Habomai"}))
    assert any(r.name.startswith("discord") and r.levelno == logging.DEBUG for r in caplog.records)
    assert any(r.exc_info for r in caplog.records), "the failing command was logged with its traceback"
    leaked = [(r.name, leaks(record_text(r))) for r in caplog.records if leaks(record_text(r))]
    assert leaked == []
    out, err = capfd.readouterr()
    assert leaks(out + err) == []


def test_token_is_hidden_in_every_rendering_of_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    direct = Settings(_env_file=None, DISCORD_TOKEN=SECRET)
    monkeypatch.setenv("DISCORD_TOKEN", SECRET)
    from_env = Settings(_env_file=None)
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={SECRET}\n", encoding="utf-8")
    monkeypatch.delenv("DISCORD_TOKEN")
    monkeypatch.chdir(tmp_path)
    from_file = Settings()
    for settings in (direct, from_env, from_file):
        assert settings.has_token
        assert settings.discord_token is not None and settings.discord_token.get_secret_value() == SECRET
        renderings = [
            repr(settings),
            str(settings),
            f"{settings}",
            settings.model_dump_json(),
            json.dumps(settings.model_dump(mode="json")),
            repr(settings.model_dump()),
            str(settings.model_dump()),
            repr(settings.discord_token),
            str(settings.discord_token),
            repr(settings.model_copy(update={"log_level": "DEBUG"})),
        ]
        assert [leaks(r) for r in renderings] == [[]] * len(renderings)


def test_token_is_not_in_a_settings_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", SECRET)
    for bad in (
        {"DISCORD_GUILD_ID": "not-a-number"},
        {"FACTBOT_LOG_LEVEL": "LOUD"},
        {"FACTBOT_DAILY_PAUSE_AFTER": "x"},
    ):
        with pytest.raises(pydantic.ValidationError) as caught:
            Settings(_env_file=None, **bad)
        assert leaks(str(caught.value)) == [] and leaks(repr(caught.value)) == []
        assert leaks(json.dumps(caught.value.errors(include_url=False), default=str)) == []
