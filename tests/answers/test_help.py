"""`/help` through the question table: every command with an example that works, the corpus, the privacy
statement, and the links the operator configured, in the console, `factbot ask` and `factbot help`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.answers import Facts, HelpAnswer
from bot.answers.help import Link
from bot.answers.questions import DISCORD_ONLY, HELP, QUESTIONS, Surface
from bot.cli import main
from bot.config import Settings
from bot.console import parse_query, run_line
from bot.render.console import answer_view
from tests.helpers import SEEDS

LINKS = (
    Link("Support server", "https://discord.gg/example"),
    Link("Source code", "https://example.org/factbot"),
)


@pytest.mark.asyncio
async def test_help_lists_every_command_with_an_example_that_parses(facts: Facts) -> None:
    answer = await HELP.ask(facts, {}, Surface.CONSOLE)
    usages = [c.usage for c in answer.commands]
    for question in QUESTIONS.values():
        assert question.usage in usages, question.name
    for extra in DISCORD_ONLY:
        assert extra in answer.commands
    for command in answer.commands:
        assert command.example and command.description
        # A slash command's example is a line to type; a message menu's says where to click.
        assert command.example.startswith("/") == command.usage.startswith("/")
        if not command.discord_only:
            # The example a member copies works as typed (the console reads Discord's `key:value` form).
            question, _ = parse_query(command.example, Surface.CONSOLE)
            assert command.usage == question.usage


@pytest.mark.asyncio
async def test_help_says_where_facts_come_from_how_and_what_is_kept(facts: Facts) -> None:
    answer = await HELP.ask(facts, {}, Surface.CONSOLE)
    assert answer.articles == 5
    assert "TASS" in answer.outlets and "The Moscow Times" in answer.outlets
    assert answer.first_published is not None and answer.first_published <= (answer.last_published or "")
    assert "relative dates" in answer.extraction
    assert "subscriptions" in answer.privacy and "message content" in answer.privacy
    assert answer.links == ()


@pytest.mark.asyncio
async def test_console_help_shows_the_configured_links(facts: Facts) -> None:
    answer = await run_line(facts, "/help", links=LINKS)
    assert isinstance(answer, HelpAnswer) and answer.links == LINKS
    from rich.console import Console

    out = Console(width=200, record=True)
    out.print(answer_view(answer))
    text = out.export_text()
    assert "Support server: https://discord.gg/example" in text
    assert "Privacy" in text and "/daily preview" in text


def test_settings_give_the_links_to_show_and_refuse_what_is_not_a_web_address() -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        FACTBOT_SUPPORT_URL="https://discord.gg/example",
        FACTBOT_SOURCE_CODE_URL="",
    )
    assert settings.help_links == (Link("Support server", "https://discord.gg/example"),)
    with pytest.raises(ValueError, match="not a web address"):
        Settings(_env_file=None, FACTBOT_SOURCE_CODE_URL="javascript:alert(1)")  # type: ignore[call-arg]


@pytest.mark.asyncio
async def test_factbot_help_and_ask_show_the_links_from_the_settings(
    seed_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FACTBOT_SUPPORT_URL", "https://discord.gg/example")
    monkeypatch.setenv("FACTBOT_ARTICLES", str(SEEDS))
    # `factbot` runs its own event loop: from this test's loop it runs in a thread.
    assert await asyncio.to_thread(main, ["help", "--db", str(seed_db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)["results"][0]
    assert out["links"] == [{"label": "Support server", "url": "https://discord.gg/example"}]
    assert {c["usage"].split()[0] for c in out["commands"]} >= {f"/{name.split()[0]}" for name in QUESTIONS}
    assert await asyncio.to_thread(main, ["ask", "/help", "--db", str(seed_db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["links"] == out["links"]
