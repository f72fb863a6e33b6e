"""`/daily preview [date] [timezone]` offline: the console, `factbot ask` and `factbot daily preview` show the
snippet the Discord runner would post for that date."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest
from rich.console import Console

from bot.answers import DailyPreviewAnswer, Facts, QueryError
from bot.answers.daily import DailyPreviewQuery, snippet_candidates
from bot.answers.questions import DAILY_PREVIEW, Surface
from bot.cli import main
from bot.console import run_line
from bot.daily import DailyRunner, StateDB
from bot.render.console import answer_view

NOW = dt.datetime(2026, 11, 22, 20, 0, tzinfo=dt.UTC)  # already the 23rd in Tokyo, still the 22nd in Moscow


async def _never_sent(*_: object) -> int:
    raise AssertionError("a preview never posts")


@pytest.mark.asyncio
async def test_the_preview_chooses_as_the_runner_does_on_every_day_of_a_year(
    facts: Facts, tmp_path: Path
) -> None:
    async with await StateDB.open(tmp_path / "state.db") as state:
        runner = DailyRunner(state, lambda: snippet_candidates(facts), _never_sent, lambda: NOW)
        day = dt.date(2024, 1, 1)  # a leap year: 29 February too
        on_this_day = 0
        while day.year == 2024:
            upcoming = await runner.upcoming_post(day)
            answer = await DAILY_PREVIEW.ask(facts, {"date": day.isoformat()}, Surface.CONSOLE)
            assert upcoming is not None and answer.snippet is not None
            assert answer.snippet.key == upcoming.candidate.key, day
            on_this_day += answer.snippet.on_this_day
            day += dt.timedelta(days=1)
    assert on_this_day > 0  # some days have an event of that month and day


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("zone", "expected"), [("Asia/Tokyo", "2026-11-23"), ("msk", "2026-11-22"), (None, "2026-11-22")]
)
async def test_without_a_date_it_is_today_in_the_timezone(
    facts: Facts, zone: str | None, expected: str
) -> None:
    answer = await DAILY_PREVIEW.ask(facts, {"timezone": zone, "now": NOW}, Surface.CONSOLE)
    assert answer.local_date.isoformat() == expected
    assert answer.query.timezone == {"Asia/Tokyo": "Asia/Tokyo", "msk": "Europe/Moscow", None: "UTC"}[zone]


@pytest.mark.parametrize(
    ("date", "zone", "message"),
    [
        ("19/10/1956", None, "not a date I understand"),
        ("1956-02-30", None, "not a date"),
        (None, "Mars/Olympus", "not a timezone"),
    ],
)
def test_bad_dates_and_timezones_are_one_friendly_line(
    date: str | None, zone: str | None, message: str
) -> None:
    with pytest.raises(QueryError, match=message) as caught:
        DailyPreviewQuery.parse(date, zone)
    assert "\n" not in str(caught.value)


@pytest.mark.asyncio
async def test_the_console_previews_a_date_and_shows_it_on_this_day(facts: Facts) -> None:
    answer = await run_line(facts, "/daily preview 1956-10-19 timezone:JST")
    assert isinstance(answer, DailyPreviewAnswer) and answer.snippet is not None
    assert answer.snippet.on_this_day and answer.snippet.event.date.iso() == "1956-10-19"
    out = Console(width=200, record=True)
    out.print(answer_view(answer))
    text = out.export_text()
    assert "Daily snippet for 1956-10-19 (Asia/Tokyo)" in text and "On this day in 1956" in text
    assert "[1]" in text and answer.snippet.key in text


@pytest.mark.asyncio
async def test_factbot_daily_preview_and_ask_give_the_same_snippet(
    seed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["daily", "preview", "1956-10-19", "--timezone", "Asia/Tokyo", "--db", str(seed_db), "--json"]
    # `factbot` runs its own event loop: from this test's loop it runs in a thread.
    assert await asyncio.to_thread(main, argv) == 0
    cli = json.loads(capsys.readouterr().out)
    assert (
        cli["query"] == {"date": "1956-10-19", "timezone": "Asia/Tokyo"} and cli["local_date"] == "1956-10-19"
    )
    assert cli["results"][0]["on_this_day"] is True and cli["results"][0]["sources"]
    line = "/daily preview date:1956-10-19 timezone:Asia/Tokyo"
    assert await asyncio.to_thread(main, ["ask", line, "--db", str(seed_db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == cli


def test_factbot_daily_preview_refuses_a_bad_date_in_one_line(
    seed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["daily", "preview", "yesterday", "--db", str(seed_db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a date I understand" in err
