"""What the bot logs for its operator: interaction tokens redacted like the bot token, no raw escapes.

An interaction token lets anyone answer or edit the bot's reply for 15 minutes. discord.py puts it in the
URLs it logs at DEBUG (callbacks and follow-up webhooks) and in the gateway events it logs.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import logs
from fakediscord import FakeDiscord
from tests.discord.harness import answer, make_settings, running_bot
from tests.helpers import SEEDS


@pytest.fixture
def operator_log() -> Iterator[io.StringIO]:
    """The log output `factbot` writes, at DEBUG, captured."""
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.configure("DEBUG", stream=stream)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.mark.asyncio
async def test_interaction_tokens_never_appear_in_the_log(
    operator_log: io.StringIO, fake: FakeDiscord, tmp_path: Path, seed_db: Path
) -> None:
    db = tmp_path / "facts.db"
    db.write_bytes(seed_db.read_bytes())
    settings = make_settings(tmp_path, fake, db_path=db, articles=[SEEDS])
    payloads = [
        fake.command_interaction("timeline", {}),  # deferred, then a follow-up through the webhook
        fake.command_interaction("island", {"name": "Shikotan"}),
        fake.autocomplete_interaction("quote", {"speaker": "Ab"}, focused="speaker"),
    ]
    async with running_bot(fake, settings):
        for payload in payloads:
            await answer(fake, payload)
    log = operator_log.getvalue()
    assert "/interactions/" in log and "/webhooks/" in log  # the lines that used to carry them
    for payload in payloads:
        assert payload["token"] not in log
    assert "[redacted]" in log


def test_control_characters_in_log_messages_are_shown_as_escapes(operator_log: io.StringIO) -> None:
    logging.getLogger("bot.test").warning("title %s and clear %s", "\x1b]0;pwned\x07", "\x1b[2J")
    try:
        raise ValueError("\x1b[8mhidden")
    except ValueError:
        logging.getLogger("bot.test").exception("failed")
    log = operator_log.getvalue()
    assert "\x1b" not in log and "\x07" not in log
    assert "\\x1b]0;pwned\\x07" in log and "\\x1b[8mhidden" in log
