"""Every command option and every autocomplete, fed hostile values at the handler level.

The handlers are the cogs' own code paths: the option checks (`*.parse`), the answer function and the
Discord renderer (the page functions the cogs and their page buttons share), and for autocomplete the
cogs' own autocomplete callbacks. Each case must end in a valid Discord payload or a short user-facing
error, and within the 3-second interaction deadline.

The deadline is checked in CPU time, not on the wall clock: what a hostile value can do is make the handler
work too hard (a regex that backtracks, a loop over every alias), and that shows in the CPU time the process
spends on the case however busy the machine is, while the wall clock of a shared machine also counts the time
other processes had the core.
"""

from __future__ import annotations

import re
import time
import types
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answers import QueryError
from bot.daily import InvalidScheduleError, parse_post_time, parse_timezone
from bot.discord.embeds import Page
from bot.discord.replies import UserFacingError
from commands.daily import Daily
from commands.island import Island, island_pager
from commands.quote import Quote, quote_pager
from commands.source import Source, source_pager
from commands.timeline import Timeline, timeline_pager
from tests.hostile.checks import assert_user_error, assert_valid_choices, assert_valid_pages
from tests.hostile.conftest import LoopFacts
from tests.hostile.values import family_cases, hostile_text, hostile_year

DEADLINE_SECONDS = 3.0  # Discord drops an interaction not answered within 3 s
CI_CASES = 300
STRESS_CASES = 10_000

MODES = [
    pytest.param(CI_CASES, id="ci"),
    pytest.param(STRESS_CASES, id="stress", marks=pytest.mark.stress),
]


class Timed:
    """Runs cases, counting them and keeping the slowest (in CPU seconds of this process, its threads included)."""

    def __init__(self) -> None:
        self.cases = 0
        self.slowest = 0.0
        self.slowest_case: object = None

    def __call__(self, loop: LoopFacts, case: object, work: Callable[[], Awaitable[object]]) -> object:
        started = time.process_time()
        try:
            return loop.run(work())
        finally:
            elapsed = time.process_time() - started
            self.cases += 1
            if elapsed > self.slowest:
                self.slowest, self.slowest_case = elapsed, case

    def assert_within_deadline(self, wanted: int) -> None:
        assert self.cases >= wanted
        assert self.slowest < DEADLINE_SECONDS, (
            f"slowest case {self.slowest_case!r:.200} took {self.slowest:.2f} s of CPU time"
        )


def run_property(cases: int, strategy: st.SearchStrategy[Any], check: Callable[[Any], None]) -> None:
    """Run `check` on `cases` values drawn from `strategy`, the same ones on every run."""

    @settings(
        max_examples=cases,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def prop(value: Any) -> None:
        check(value)

    prop()


def _stub_bot(loop: LoopFacts) -> Any:
    return types.SimpleNamespace(facts=loop.facts)


# ---- commands ------------------------------------------------------------------------------------------


Handler = Callable[[LoopFacts, Any], Awaitable[Sequence[Page]]]
REFUSALS = (QueryError, UserFacingError, InvalidScheduleError)  # what the command tree answers in one line


async def _pages_or_refusal(pages: Awaitable[Sequence[Page]]) -> Sequence[Page] | Exception:
    try:
        return await pages
    except REFUSALS as exc:
        return exc


def _check_answer(result: object) -> None:
    if isinstance(result, Exception):
        assert_user_error(result)
    else:
        assert_valid_pages(result)  # type: ignore[arg-type]


async def _timeline(loop: LoopFacts, v: tuple[Any, Any, Any]) -> Sequence[Page]:
    return await timeline_pager(loop.facts, {"from": v[0], "to": v[1], "about": v[2]})


async def _quote(loop: LoopFacts, v: tuple[Any, Any]) -> Sequence[Page]:
    return await quote_pager(loop.facts, {"about": v[0], "speaker": v[1]})


async def _island(loop: LoopFacts, name: str) -> Sequence[Page]:
    return await island_pager(loop.facts, {"name": name})


async def _source(loop: LoopFacts, article: str) -> Sequence[Page]:
    return await source_pager(loop.facts, {"article": article})


SUBSCRIBE_CHANNEL = 1200000000000000099


async def _subscribe(loop: LoopFacts, v: tuple[str, str]) -> Sequence[Page]:
    """`/daily subscribe`'s option checks and state write."""
    post_time, zone = parse_post_time(v[0]), parse_timezone(v[1])
    sub = await loop.state.subscribe(1, SUBSCRIBE_CHANNEL, post_time, zone, 7)
    assert sub.post_time == post_time and sub.timezone == zone.key
    text = f"Subscribed <#{SUBSCRIBE_CHANNEL}>: every day at {sub.post_time_text} ({sub.timezone})."
    return [Page(content=text)]


COMMANDS: dict[str, tuple[st.SearchStrategy[Any], Handler]] = {
    "timeline": (st.tuples(hostile_year(), hostile_year(), st.none() | hostile_text()), _timeline),
    "quote": (st.tuples(st.none() | hostile_text(), st.none() | hostile_text()), _quote),
    "island": (hostile_text(), _island),
    "source": (hostile_text(), _source),
    "daily subscribe": (st.tuples(hostile_text(), hostile_text()), _subscribe),
}


def _fixed_values(command: str) -> list[Any]:
    """Each hostile family in every option of the command, the other options left neutral."""
    values = [v for _, v in family_cases()]
    return {
        "timeline": [(None, None, v) for v in values] + [(y, None, None) for y in (0, -5, 10**12)],
        "quote": [(v, None) for v in values] + [(None, v) for v in values],
        "island": values,
        "source": values,
        "daily subscribe": [(v, "Asia/Tokyo") for v in values] + [("09:00", v) for v in values],
    }[command]


@pytest.mark.parametrize("cases", MODES)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_commands_answer_every_hostile_value_validly_and_in_time(
    loop_facts: LoopFacts, command: str, cases: int
) -> None:
    strategy, handler = COMMANDS[command]
    timed = Timed()

    def check(value: Any) -> None:
        _check_answer(timed(loop_facts, value, lambda: _pages_or_refusal(handler(loop_facts, value))))

    fixed = _fixed_values(command)
    for value in fixed:
        check(value)
    run_property(cases, strategy, check)
    timed.assert_within_deadline(len(fixed) + cases)


# ---- autocomplete --------------------------------------------------------------------------------------

AUTOCOMPLETES: dict[str, Callable[[Any], Callable[[Any, str], Awaitable[list[Any]]]]] = {
    "timeline about": lambda bot: Timeline(bot).about_autocomplete,
    "quote about": lambda bot: Quote(bot).about_autocomplete,
    "quote speaker": lambda bot: Quote(bot).speaker_autocomplete,
    "island name": lambda bot: Island(bot).name_autocomplete,
    "source article": lambda bot: Source(bot).article_autocomplete,
    "daily timezone": lambda bot: Daily(bot).timezone_autocomplete,
}


@pytest.mark.parametrize("cases", MODES)
@pytest.mark.parametrize("option", list(AUTOCOMPLETES))
def test_autocomplete_gives_valid_choices_for_every_hostile_value_in_time(
    loop_facts: LoopFacts, option: str, cases: int
) -> None:
    callback = AUTOCOMPLETES[option](_stub_bot(loop_facts))
    timed = Timed()

    def check(current: str) -> None:
        choices = timed(loop_facts, current, lambda: callback(None, current))
        assert_valid_choices(choices)  # type: ignore[arg-type]

    fixed = [v for _, v in family_cases()]
    for value in fixed:
        check(value)
    run_property(cases, hostile_text(), check)
    timed.assert_within_deadline(len(fixed) + cases)


# ---- values Discord can deliver but its UI never offers ------------------------------------------------


def shown(markdown: str) -> str:
    """Markdown as a user reads it: escapes and zero-width mention breaks are invisible."""
    return re.sub(r"\\([^\sA-Za-z0-9])", r"\1", markdown).replace("\u200b", "")


def _answer(loop: LoopFacts, pages: Awaitable[Sequence[Page]]) -> str:
    """The text a user reads: the refusal, or every embed's title, description and fields."""
    result = loop.run(_pages_or_refusal(pages))
    if isinstance(result, Exception):
        assert_user_error(result)
        return str(result)
    assert_valid_pages(result)
    parts: list[str] = []
    for page in result:
        parts.append(page.content or "")
        for e in page.embeds:
            parts += [e.title or "", e.description or "", *(f"{f.name}: {f.value}" for f in e.fields)]
    return shown("\n".join(parts))


@pytest.mark.parametrize(
    ("options", "wording"),
    [
        ({"from": 1990, "to": 1960}, ["`to` (1960) is before `from` (1990)", "swap them"]),
        ({"from": 0}, ["`from` must be a year between 1 and 9999"]),
        ({"to": -5}, ["`to` must be a year between 1 and 9999"]),
        ({"from": 10**12}, ["`from` must be a year between 1 and 9999"]),
        ({"from": 1, "to": 9999, "about": "zzqxv"}, ["No dated events match", "zzqxv"]),
    ],
)
def test_timeline_options_outside_the_ui_get_a_clear_answer(
    loop_facts: LoopFacts, options: dict[str, Any], wording: list[str]
) -> None:
    text = _answer(loop_facts, timeline_pager(loop_facts.facts, options))
    for words in wording:
        assert words in text


@pytest.mark.parametrize(
    ("name", "wording"),
    [
        ("Atlantis", ["No such island", "No island called “Atlantis”"]),
        ("Shikotann", ["Shikotan"]),  # an alias with a typo still reaches the island
        ("Etorofuu", ["Iturup"]),
        ("Hokaido", ["No such island", "Hokaido"]),
    ],
)
def test_unknown_or_misspelt_island_gets_a_clear_answer(
    loop_facts: LoopFacts, name: str, wording: list[str]
) -> None:
    text = _answer(loop_facts, island_pager(loop_facts.facts, {"name": name}))
    for words in wording:
        assert words in text


def test_a_speaker_nobody_quoted_is_named_with_suggestions(loop_facts: LoopFacts) -> None:
    text = _answer(loop_facts, quote_pager(loop_facts.facts, {"speaker": "Napoleon Bonaparte"}))
    assert "No such speaker" in text and "Nobody called “Napoleon Bonaparte” is quoted" in text
    assert "Did you mean" in text


def test_an_article_id_that_does_not_exist_is_named(loop_facts: LoopFacts) -> None:
    text = _answer(loop_facts, source_pager(loop_facts.facts, {"article": "999_0000000000000000"}))
    assert "No such article" in text and "No article matches “999_0000000000000000”" in text
    assert "`004_ca3b18b3347b43dc`" in text  # the example is shown as code, not as escaped backticks


def _parse_schedule(time_text: str, zone: str) -> None:
    parse_post_time(time_text)
    parse_timezone(zone)


@pytest.mark.parametrize(
    ("time_text", "zone", "wording"),
    [
        ("25:99", "Asia/Tokyo", "'25:99' is not a time I understand"),
        ("x" * 6000, "Asia/Tokyo", "is not a time I understand"),
        ("09:00", "Mars/Olympus", "'Mars/Olympus' is not a timezone I know"),
        ("09:00", "../../etc/passwd", "is not a timezone I know"),
    ],
)
def test_bad_daily_time_or_zone_is_named(time_text: str, zone: str, wording: str) -> None:
    with pytest.raises(InvalidScheduleError) as caught:
        _parse_schedule(time_text, zone)
    assert_user_error(caught.value)
    assert wording in str(caught.value)
