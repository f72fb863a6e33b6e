"""What every hostile-input and hostile-article test asks of an answer: a payload Discord accepts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from bot.discord.embeds import CONTENT_MAX, Page, limit_problems
from fakediscord import check_autocomplete_limits, check_message_limits

URL_MAX = 2048  # Discord's limit for an embed's link; the fake's spec check knows it, the limit checks do not


def message_body(page: Page) -> dict[str, Any]:
    """The message body discord.py sends for a page."""
    body: dict[str, Any] = {"embeds": [e.to_dict() for e in page.embeds], "allowed_mentions": {"parse": []}}
    if page.content is not None:
        body["content"] = page.content
    return body


def assert_valid_pages(pages: Sequence[Page]) -> None:
    """Every page is a message Discord accepts."""
    assert pages, "an answer has at least one page"
    for page in pages:
        assert page.embeds or page.content, "an empty message is refused"
        assert limit_problems(page) == []
        assert check_message_limits(message_body(page)) == {}
        for embed in page.embeds:
            assert embed.url is None or len(embed.url) <= URL_MAX


def assert_user_error(exc: Exception) -> None:
    """A refusal the user reads: one line that fits in a message."""
    message = str(exc)
    assert message.strip(), "an empty refusal explains nothing"
    assert len(message) <= CONTENT_MAX and "\n" not in message


def assert_valid_choices(choices: list[discord.app_commands.Choice[str]]) -> None:
    """At most 25 choices, each 1-100 characters, values unique and non-empty."""
    payload = [c.to_dict() for c in choices]
    assert check_autocomplete_limits({"choices": payload}) == {}
    values = [c["value"] for c in payload]
    assert all(values) and len(values) == len(set(values))
