"""The question table: every surface parses the same way and shows the number of results it declares."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.answers import Facts, QueryError
from bot.answers.questions import QUESTIONS, QUOTE, TIMELINE, Surface
from bot.cli import main
from bot.console import run_line


@pytest.mark.asyncio
@pytest.mark.parametrize("surface", list(Surface))
async def test_each_surface_shows_the_quotes_it_declares(facts: Facts, surface: Surface) -> None:
    answer = await QUOTE.ask(facts, {}, surface)
    assert answer.total > QUOTE.limit(Surface.CONSOLE)  # enough quotes that the limit shows
    assert len(answer.quotes) == min(answer.total, QUOTE.limit(surface))


def test_json_gives_what_the_readable_output_gives() -> None:
    for question in QUESTIONS.values():
        assert question.limit(Surface.JSON) == question.limit(Surface.CONSOLE), question.name


@pytest.mark.asyncio
async def test_the_console_and_the_command_line_answer_alike(
    facts: Facts, seed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for line, argv in [
        ("/timeline from:1956 to:2019", ["timeline", "--from", "1956", "--to", "2019"]),
        ("/quote peace treaty", ["quote", "peace treaty"]),
        ("/quote limit:2", ["quote", "--limit", "2"]),
    ]:
        console = await run_line(facts, line)
        # `factbot` runs its own event loop: from this test's loop it runs in a thread.
        assert await asyncio.to_thread(main, [*argv, "--db", str(seed_db), "--json"]) == 0
        results = json.loads(capsys.readouterr().out)["results"]
        shown = getattr(console, "events", None) or console.quotes
        assert [r["text"] for r in results] == [x.text for x in shown], line
    assert len(shown) == 2


@pytest.mark.parametrize("surface", list(Surface))
@pytest.mark.parametrize(
    ("options", "wording"),
    [
        ({"from": 0}, "`from` must be a year between 1 and 9999"),
        ({"to": "10000"}, "`to` must be a year between 1 and 9999"),
        ({"from": "abc"}, "`from` must be a year such as 1956"),
        ({"from": 1990, "to": 1960}, "`to` (1960) is before `from` (1990)"),
    ],
)
def test_year_options_are_checked_alike_everywhere(
    surface: Surface, options: dict[str, object], wording: str
) -> None:
    with pytest.raises(QueryError, match=wording.replace("(", r"\(").replace(")", r"\)")):
        TIMELINE.query(options, surface)


def test_a_limit_asked_for_must_be_a_positive_whole_number() -> None:
    assert TIMELINE.query({}, Surface.CONSOLE, limit="3").limit == 3
    for bad in ("zero", "-3", "0"):
        with pytest.raises(QueryError, match="`limit`"):
            TIMELINE.query({}, Surface.CONSOLE, limit=bad)


def test_console_usage_names_every_option() -> None:
    for question in QUESTIONS.values():
        for option in question.options:
            assert option.metavar in question.usage, (question.name, option.name)
