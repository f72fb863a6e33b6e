"""The posting loop: timing, catch-up, restarts, crashes, DST, failures, choice and a failing database."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import logging
import random
import types
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import discord
import pytest
import pytest_asyncio

from bot.answers.daily import SnippetCandidate
from bot.daily.runner import DailyRunner, UpcomingPost
from bot.daily.schedule import post_instant
from bot.daily.state import StateDB
from tests.waits import within

UTC = dt.UTC
TOKYO = ZoneInfo("Asia/Tokyo")
DAY = dt.timedelta(days=1)
MIN = dt.timedelta(minutes=1)
CANDIDATES = tuple(SnippetCandidate(f"event:{i}") for i in range(1, 6))


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, delta: dt.timedelta) -> None:
        self.current += delta

    def set(self, moment: dt.datetime) -> None:
        self.current = moment


class HTTPError(Exception):
    """Looks like discord.HTTPException to the runner: it has a `.status`."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


class SimulatedCrash(BaseException):
    """The process dies here: not an Exception, so nothing in the runner catches it."""


class FakeSender:
    """Records deliveries; can fail a channel or crash the process around a delivery."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.posts: list[tuple[int, dt.date, str, dt.datetime]] = []
        self.attempts: collections.Counter[int] = collections.Counter()
        self.fail: dict[int, BaseException] = {}
        self.crash: str | None = None  # "before" or "after" delivering, once
        self.on_send: Callable[[], Any] | None = None
        self.next_id = 1000

    async def __call__(self, channel_id: int, candidate: SnippetCandidate, local_date: dt.date) -> int:
        await asyncio.sleep(0)
        self.attempts[channel_id] += 1
        if channel_id in self.fail:
            raise self.fail[channel_id]
        crash, self.crash = self.crash, None
        if crash == "before":
            raise SimulatedCrash
        self.posts.append((channel_id, local_date, candidate.key, self.clock.now()))
        if crash == "after":
            raise SimulatedCrash
        if self.on_send is not None:
            await self.on_send()
        self.next_id += 1
        return self.next_id

    async def was_delivered(self, channel_id: int, local_date: dt.date, fact_key: str) -> bool:
        return any(p[0] == channel_id and p[1] == local_date and p[2] == fact_key for p in self.posts)

    def dates(self, channel_id: int) -> list[dt.date]:
        return [p[1] for p in self.posts if p[0] == channel_id]

    def keys(self, channel_id: int) -> list[str]:
        return [p[2] for p in self.posts if p[0] == channel_id]


FAST_PACE = 10_000.0  # posts a second


class Harness:
    """A state file, a clock, a sender and a runner that can be restarted like a process."""

    def __init__(self, path: Path, start: dt.datetime, **runner_kwargs: Any) -> None:
        self.path = path
        self.clock = FakeClock(start)
        self.sender = FakeSender(self.clock)
        self.candidates: Sequence[SnippetCandidate] = CANDIDATES
        self.runner_kwargs = runner_kwargs
        self.db: StateDB
        self.runner: DailyRunner

    async def provider(self) -> Sequence[SnippetCandidate]:
        return self.candidates

    async def start(self, **overrides: Any) -> None:
        self.db = await StateDB.open(self.path)
        # Booked through the database as always, but at a pace that does not make a test of many posts
        # wait: the pace itself is tested on its own.
        kwargs = {"posts_per_second": FAST_PACE, **self.runner_kwargs, **overrides}
        self.runner = DailyRunner(self.db, self.provider, self.sender, self.clock.now, **kwargs)

    async def restart(self, **overrides: Any) -> None:
        await self.db.close()
        await self.start(**overrides)

    async def subscribe(self, channel_id: int, time: str = "09:00", zone: str = "Asia/Tokyo") -> None:
        await self.db.subscribe(1, channel_id, time, zone, 7, now=self.clock.now())


@pytest_asyncio.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    # 08:00 in Tokyo on 2026-05-01.
    harness = Harness(tmp_path / "state.db", dt.datetime(2026, 4, 30, 23, 0, tzinfo=UTC))
    await harness.start()
    yield harness
    await harness.db.close()


def tokyo(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 5, day, hour, minute, second, tzinfo=TOKYO)


@pytest.mark.asyncio
async def test_due_post_fires_at_its_time_and_not_before(h: Harness) -> None:
    await h.subscribe(10)
    h.clock.set(tokyo(1, 8, 59, 59))
    assert (await h.runner.run_once()).posted == []
    h.clock.set(tokyo(1, 9))
    report = await h.runner.run_once()
    assert [(p.channel_id, p.local_date) for p in report.posted] == [(10, dt.date(2026, 5, 1))]
    h.clock.set(tokyo(1, 23, 59))
    assert (await h.runner.run_once()).posted == []
    assert h.sender.dates(10) == [dt.date(2026, 5, 1)]
    record = await h.db.get_post(10, dt.date(2026, 5, 1))
    assert record is not None
    assert record.status == "sent"
    assert record.message_id == report.posted[0].message_id


@pytest.mark.asyncio
async def test_catch_up_after_three_days_down_posts_each_day_oldest_first(h: Harness) -> None:
    await h.subscribe(10)
    h.clock.set(tokyo(1, 9, 5))
    await h.runner.run_once()
    await h.db.close()  # down from May 1 to May 4, after that day's post time
    h.clock.set(tokyo(4, 10))
    await h.start()
    report = await h.runner.run_once()
    assert [p.local_date for p in report.posted] == [dt.date(2026, 5, d) for d in (2, 3, 4)]
    assert (await h.runner.run_once()).posted == []
    assert h.sender.dates(10) == [dt.date(2026, 5, d) for d in (1, 2, 3, 4)]
    assert len(set(h.sender.keys(10))) == 4


@pytest.mark.asyncio
async def test_catch_up_is_capped_and_the_rest_logged_once(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.daily.runner")
    await h.subscribe(10)
    h.clock.set(tokyo(11, 9, 30))  # May 1..11 pending: 11 days
    await h.restart(max_catch_up=7)
    report = await h.runner.run_once()
    assert [p.local_date for p in report.posted] == [dt.date(2026, 5, d) for d in range(5, 12)]
    assert [s.local_date for s in report.skipped] == [dt.date(2026, 5, d) for d in range(1, 5)]
    assert "missed day(s) from 2026-05-01 to 2026-05-04" in caplog.text
    assert (await h.runner.run_once()).skipped == []


@pytest.mark.asyncio
@pytest.mark.parametrize("restart_at", [tokyo(1, 8, 59), tokyo(1, 9), tokyo(1, 9, 0, 1), tokyo(1, 15)])
async def test_restart_around_post_time_posts_exactly_once(h: Harness, restart_at: dt.datetime) -> None:
    await h.subscribe(10)
    h.clock.set(restart_at)
    await h.runner.run_once()
    await h.restart()
    await h.runner.run_once()
    # Then keep running until the next day, restarting every 91 minutes.
    for step in range(1, 1000):
        h.clock.advance(7 * MIN)
        if h.clock.now() > tokyo(2, 10):
            break
        await h.runner.run_once()
        if step % 13 == 0:
            await h.restart()
    assert h.sender.dates(10) == [dt.date(2026, 5, 1), dt.date(2026, 5, 2)]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("crash", "checker", "reposted"),
    [
        ("before", "oracle", True),  # claimed, died before delivering: delivery check says no -> post it
        ("after", "oracle", False),  # delivered, died before recording: delivery check says yes -> keep
        ("after", "none", False),  # no delivery check: at-most-once, recorded as sent
        ("after", "unknown", False),  # the check cannot tell: at-most-once
        ("before", "raises", False),  # the check itself fails: treated as unknown
    ],
)
async def test_crash_between_claim_and_record_is_resolved_on_restart(
    h: Harness, caplog: pytest.LogCaptureFixture, crash: str, checker: str, reposted: bool
) -> None:
    await h.subscribe(10)
    h.clock.set(tokyo(1, 9))
    h.sender.crash = crash
    with pytest.raises(SimulatedCrash):
        await h.runner.run_once()
    claims = await h.db.unfinished_claims()
    assert [(c.channel_id, c.local_date) for c in claims] == [(10, dt.date(2026, 5, 1))]

    async def unknown(*_: object) -> bool | None:
        return None

    async def broken(*_: object) -> bool | None:
        raise ConnectionError("discord unreachable")

    checkers = {"oracle": h.sender.was_delivered, "none": None, "unknown": unknown, "raises": broken}
    h.clock.advance(5 * MIN)
    await h.restart(was_delivered=checkers[checker])
    report = await h.runner.run_once()
    assert len(report.resolved) == 1
    assert await h.db.unfinished_claims() == []
    record = await h.db.get_post(10, dt.date(2026, 5, 1))
    assert record is not None
    assert record.status == "sent"
    delivered = 1 if crash == "after" else 0
    assert h.sender.dates(10) == [dt.date(2026, 5, 1)] * (delivered + reposted)
    assert [p.local_date for p in report.posted] == ([dt.date(2026, 5, 1)] if reposted else [])
    if checker in {"none", "unknown", "raises"}:
        assert "cannot tell whether the post for channel 10 on 2026-05-01 was delivered" in caplog.text
    # Nothing more for that day, whatever happens next.
    await h.restart()
    assert (await h.runner.run_once()).posted == []


DST_CASES = [
    # zone, post time, a UTC moment two days before the transition, local date of the transition
    ("America/New_York", "02:30", dt.datetime(2026, 3, 6, 0, 0, tzinfo=UTC), dt.date(2026, 3, 8)),  # gap
    ("America/New_York", "01:30", dt.datetime(2026, 10, 30, 0, 0, tzinfo=UTC), dt.date(2026, 11, 1)),  # fold
    ("Australia/Sydney", "02:30", dt.datetime(2026, 4, 2, 0, 0, tzinfo=UTC), dt.date(2026, 4, 5)),  # fold
    ("Australia/Sydney", "02:30", dt.datetime(2026, 10, 1, 0, 0, tzinfo=UTC), dt.date(2026, 10, 4)),  # gap
    ("Europe/Moscow", "02:30", dt.datetime(2026, 3, 27, 0, 0, tzinfo=UTC), dt.date(2026, 3, 29)),  # no DST
]


@pytest.mark.asyncio
@pytest.mark.parametrize(("zone", "time", "start", "transition"), DST_CASES)
async def test_one_post_per_local_day_across_dst(
    tmp_path: Path, zone: str, time: str, start: dt.datetime, transition: dt.date
) -> None:
    h = Harness(tmp_path / "state.db", start)
    await h.start()
    try:
        await h.subscribe(10, time, zone)
        step = 15 * MIN
        while h.clock.now() < start + 4 * DAY:
            h.clock.advance(step)
            await h.runner.run_once()
        sub = await h.db.get_subscription(10)
        assert sub is not None
    finally:
        await h.db.close()
    dates = h.sender.dates(10)
    assert dates == [sub.start_date + i * DAY for i in range(len(dates))]
    assert transition in dates
    assert len(dates) >= 4
    for _, day, _, at in h.sender.posts:
        due = post_instant(day, sub.post_time, sub.zone)
        assert due <= at < due + step  # at the first run at or after the post instant


@pytest.mark.asyncio
async def test_repeated_403_pauses_channel_others_still_post(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.daily.runner")
    await h.subscribe(10)
    await h.subscribe(20)
    h.sender.fail[10] = HTTPError(403)
    h.clock.set(tokyo(1, 9))
    first = await h.runner.run_once()
    assert [p.channel_id for p in first.posted] == [20]
    assert [f.channel_id for f in first.failed] == [10]
    for _ in range(2):
        h.clock.advance(MIN)
        report = await h.runner.run_once()
    assert report.paused == [10]
    sub = await h.db.get_subscription(10)
    assert sub is not None
    assert (sub.paused, sub.failures) == (True, 3)
    assert sub.last_error is not None
    assert "403" in sub.last_error
    pause_logs = [r for r in caplog.records if "paused channel 10" in r.getMessage()]
    assert [r.levelno for r in pause_logs] == [logging.WARNING]
    assert await h.db.unfinished_claims() == []
    # Paused: no more attempts; the other channel keeps its schedule.
    h.clock.set(tokyo(2, 9))
    report = await h.runner.run_once()
    assert [p.channel_id for p in report.posted] == [20]
    assert h.sender.attempts[10] == 3
    assert h.sender.dates(20) == [dt.date(2026, 5, 1), dt.date(2026, 5, 2)]


def discord_error(cls: type[discord.HTTPException], status: int) -> discord.HTTPException:
    response = types.SimpleNamespace(status=status, reason="nope")
    return cls(response, {"message": "Missing Access", "code": 50001})


@pytest.mark.asyncio
@pytest.mark.parametrize(("cls", "status"), [(discord.Forbidden, 403), (discord.NotFound, 404)])
async def test_real_discord_errors_count_towards_pause(
    h: Harness, cls: type[discord.HTTPException], status: int
) -> None:
    await h.subscribe(10)
    h.sender.fail[10] = discord_error(cls, status)
    await h.restart(pause_after=2)
    h.clock.set(tokyo(1, 9))
    assert (await h.runner.run_once()).paused == []
    h.clock.advance(MIN)
    assert (await h.runner.run_once()).paused == [10]


@pytest.mark.asyncio
async def test_other_errors_release_the_claim_and_retry_without_counting(h: Harness) -> None:
    await h.subscribe(10)
    h.sender.fail[10] = discord_error(discord.HTTPException, 503)
    h.clock.set(tokyo(1, 9))
    report = await h.runner.run_once()
    assert report.posted == []
    assert len(report.failed) == 1
    assert await h.db.get_post(10, dt.date(2026, 5, 1)) is None
    sub = await h.db.get_subscription(10)
    assert sub is not None
    assert sub.failures == 0
    del h.sender.fail[10]
    h.clock.advance(MIN)
    assert [p.local_date for p in (await h.runner.run_once()).posted] == [dt.date(2026, 5, 1)]


@pytest.mark.asyncio
async def test_success_resets_failure_count(h: Harness) -> None:
    await h.subscribe(10)
    h.sender.fail[10] = HTTPError(404)
    h.clock.set(tokyo(1, 9))
    await h.runner.run_once()
    h.clock.advance(MIN)
    await h.runner.run_once()
    del h.sender.fail[10]
    h.clock.advance(MIN)
    await h.runner.run_once()
    sub = await h.db.get_subscription(10)
    assert sub is not None
    assert (sub.paused, sub.failures, sub.last_error) == (False, 0, None)
    assert h.sender.dates(10) == [dt.date(2026, 5, 1)]


@pytest.mark.asyncio
async def test_unsubscribe_stops_posts_and_resubscribe_does_not_repeat_a_day(h: Harness) -> None:
    await h.subscribe(10)
    h.clock.set(tokyo(1, 9))
    await h.runner.run_once()
    assert await h.db.unsubscribe(10)
    for day in (2, 3):
        h.clock.set(tokyo(day, 9))
        assert (await h.runner.run_once()).posted == []
    h.clock.set(tokyo(3, 8))
    await h.subscribe(10, "08:00")  # exactly at the time: today is still due
    assert [p.local_date for p in (await h.runner.run_once()).posted] == [dt.date(2026, 5, 3)]
    await h.subscribe(10, "23:00")  # same day again: already posted, not repeated
    h.clock.set(tokyo(3, 23))
    assert (await h.runner.run_once()).posted == []
    assert h.sender.dates(10) == [dt.date(2026, 5, 1), dt.date(2026, 5, 3)]


@pytest.mark.asyncio
async def test_on_this_day_first_then_least_recently_posted(h: Harness) -> None:
    h.candidates = [*CANDIDATES, SnippetCandidate("event:treaty", (5, 3))]
    await h.subscribe(10)
    for day in range(1, 8):
        h.clock.set(tokyo(day, 9))
        await h.runner.run_once()
    keys = h.sender.keys(10)
    assert keys[2] == "event:treaty"  # May 3
    assert len(set(keys[:6])) == 6  # no repeats until all six were used
    assert keys[6] == keys[0]  # then the least recently posted comes back


@pytest.mark.asyncio
async def test_five_candidates_over_five_days_are_distinct(h: Harness) -> None:
    await h.subscribe(10)
    for day in range(1, 6):
        h.clock.set(tokyo(day, 9))
        await h.runner.run_once()
        if day == 3:
            await h.restart()
    assert sorted(h.sender.keys(10)) == sorted(c.key for c in CANDIDATES)


@pytest.mark.asyncio
async def test_read_only_database_before_send_sends_nothing_and_recovers(h: Harness) -> None:
    await h.subscribe(10)
    h.clock.set(tokyo(1, 9))
    await h.db._conn.execute("PRAGMA query_only = ON")
    report = await h.runner.run_once()  # must not raise
    assert report.posted == []
    assert len(report.failed) == 1
    assert "readonly" in (report.failed[0].error or "")
    assert h.sender.posts == []
    await h.db._conn.execute("PRAGMA query_only = OFF")
    h.clock.advance(MIN)
    assert [p.local_date for p in (await h.runner.run_once()).posted] == [dt.date(2026, 5, 1)]
    assert len(h.sender.posts) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize("restart", [False, True])
async def test_failed_write_after_send_is_not_resent(h: Harness, restart: bool) -> None:
    await h.subscribe(10)
    h.clock.set(tokyo(1, 9))

    async def database_goes_read_only() -> None:
        await h.db._conn.execute("PRAGMA query_only = ON")

    h.sender.on_send = database_goes_read_only
    report = await h.runner.run_once()  # sent, but the 'sent' mark cannot be written
    h.sender.on_send = None
    assert [p.local_date for p in report.posted] == [dt.date(2026, 5, 1)]
    message_id = report.posted[0].message_id
    h.clock.advance(MIN)
    assert (await h.runner.run_once()).posted == []  # still read-only: nothing re-sent
    if restart:
        await h.restart(was_delivered=h.sender.was_delivered)
    else:
        await h.db._conn.execute("PRAGMA query_only = OFF")
    h.clock.advance(MIN)
    report = await h.runner.run_once()
    assert report.posted == []
    assert [r.local_date for r in report.resolved] == [dt.date(2026, 5, 1)]
    record = await h.db.get_post(10, dt.date(2026, 5, 1))
    assert record is not None
    assert record.status == "sent"
    # The same process still knows the message id; a restarted one only knows it was delivered.
    assert record.message_id == (None if restart else message_id)
    assert len(h.sender.posts) == 1


@pytest.mark.asyncio
async def test_failed_release_after_failed_send_is_retried_in_process(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await h.subscribe(10)
    h.clock.set(tokyo(1, 9))
    h.sender.fail[10] = HTTPError(500)

    async def broken_release(*_: object) -> bool:
        raise OSError("disk full")

    monkeypatch.setattr(h.db, "release_claim", broken_release)
    report = await h.runner.run_once()
    assert len(report.failed) == 1
    assert len(await h.db.unfinished_claims()) == 1
    monkeypatch.undo()
    del h.sender.fail[10]
    h.clock.advance(MIN)
    report = await h.runner.run_once()
    assert [r.error for r in report.resolved] == ["not delivered"]
    assert [p.local_date for p in report.posted] == [dt.date(2026, 5, 1)]
    assert len(h.sender.posts) == 1


@pytest.mark.asyncio
async def test_one_malformed_subscription_row_stops_no_other_channel(h: Harness) -> None:
    for channel in (10, 11, 12):
        await h.subscribe(channel)
    await h.db._conn.execute("UPDATE subscriptions SET post_time = 'nonsense' WHERE channel_id = 11")
    h.clock.set(tokyo(1, 9))
    report = await h.runner.run_once()
    assert sorted(o.channel_id for o in report.posted) == [10, 12]
    assert h.sender.dates(11) == []


@pytest.mark.asyncio
async def test_candidate_provider_failure_claims_nothing(h: Harness) -> None:
    await h.subscribe(10)
    h.clock.set(tokyo(1, 9))

    async def failing() -> Sequence[SnippetCandidate]:
        raise RuntimeError("fact store is being rebuilt")

    runner = DailyRunner(h.db, failing, h.sender, h.clock.now)
    assert (await runner.run_once()).posted == []
    assert await h.db.posts(10) == []
    h.candidates = []
    assert (await h.runner.run_once()).posted == []
    assert await h.db.posts(10) == []
    h.candidates = CANDIDATES
    assert len((await h.runner.run_once()).posted) == 1


@pytest.mark.asyncio
async def test_preview_chooses_without_recording(h: Harness) -> None:
    h.candidates = [*CANDIDATES, SnippetCandidate("event:kurils", (5, 2))]
    await h.subscribe(10)
    h.clock.set(tokyo(1, 8))
    upcoming = await h.runner.preview(10)
    assert upcoming is not None
    assert await h.db.posts(10) == []
    h.clock.set(tokyo(1, 9))
    assert h.sender.posts == []
    await h.runner.run_once()
    assert h.sender.keys(10) == [upcoming.key]
    # After today's post the preview is tomorrow's: the on-this-day fact for May 2.
    assert await h.runner.preview(10) == SnippetCandidate("event:kurils", (5, 2))
    assert await h.runner.preview(dt.date(2027, 5, 2)) == SnippetCandidate("event:kurils", (5, 2))
    assert await h.runner.preview(999) is not None  # an unsubscribed channel still gets a preview
    assert len(await h.db.posts(10)) == 1


@pytest.mark.asyncio
async def test_upcoming_post_names_the_date_the_runner_would_post_for(h: Harness) -> None:
    h.candidates = [*CANDIDATES, SnippetCandidate("event:kurils", (5, 2))]
    await h.subscribe(10)
    h.clock.set(tokyo(1, 8))  # before today's post time: today's post
    upcoming = await h.runner.upcoming_post(10)
    assert upcoming is not None and upcoming.local_date == dt.date(2026, 5, 1)
    h.clock.set(tokyo(1, 9))
    await h.runner.run_once()
    upcoming = await h.runner.upcoming_post(10)  # today's is done: tomorrow's, on its own day
    assert upcoming == UpcomingPost(dt.date(2026, 5, 2), SnippetCandidate("event:kurils", (5, 2)))
    h.clock.set(tokyo(4, 10))  # down since: the oldest missed day comes first
    upcoming = await h.runner.upcoming_post(10)
    assert upcoming is not None and upcoming.local_date == dt.date(2026, 5, 2)
    report = await h.runner.run_once()
    assert report.posted[0].local_date == upcoming.local_date


@pytest.mark.asyncio
async def test_run_forever_wakes_at_post_times_and_stops(h: Harness) -> None:
    await h.subscribe(10, "09:00")
    await h.subscribe(20, "09:00", "Europe/Moscow")  # 15:00 in Tokyo
    stop = asyncio.Event()
    delays: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        delays.append(seconds)
        h.clock.advance(dt.timedelta(seconds=seconds))
        if len(h.sender.posts) >= 4:
            stop.set()
        await asyncio.sleep(0)

    await h.restart(sleep=fake_sleep, poll_interval=900)
    await within(h.runner.run_forever(stop), "run_forever stopping after four posts")
    assert max(delays) <= 900
    assert [(p[0], p[3]) for p in h.sender.posts] == [
        (10, tokyo(1, 9)),
        (20, tokyo(1, 15)),
        (10, tokyo(2, 9)),
        (20, tokyo(2, 15)),
    ]


@pytest.mark.asyncio
async def test_run_forever_returns_promptly_when_stopped_during_sleep(h: Harness) -> None:
    sleeping = asyncio.Event()

    async def endless_sleep(seconds: float) -> None:
        sleeping.set()
        await asyncio.Event().wait()  # never wakes by itself: only the stop can end the wait

    await h.restart(sleep=endless_sleep)
    stop = asyncio.Event()
    task = asyncio.create_task(h.runner.run_forever(stop))
    await within(sleeping.wait(), "the runner going to sleep")
    stop.set()
    await within(task, "run_forever returning once stopped in its sleep")


@pytest.mark.asyncio
async def test_sleep_is_capped_and_paused_channels_do_not_wake_the_loop(h: Harness) -> None:
    assert await h.runner.seconds_until_next_run() == 60
    await h.subscribe(10, "08:00")  # due right now (08:00 in Tokyo)
    h.clock.advance(dt.timedelta(seconds=1))
    await h.runner.run_once()
    assert await h.runner.seconds_until_next_run() == 60  # next post is tomorrow
    h.clock.set(tokyo(2, 7, 59, 30))
    assert await h.runner.seconds_until_next_run() == 30
    for _ in range(3):
        await h.db.record_failure(10, "HTTP 403")
    assert await h.runner.seconds_until_next_run() == 60


@pytest.mark.asyncio
async def test_clock_must_be_aware(h: Harness) -> None:
    naive = DailyRunner(h.db, h.provider, h.sender, lambda: dt.datetime(2026, 5, 1, 9))
    with pytest.raises(ValueError, match="timezone-aware"):
        await naive.run_once()


# -- randomized restarts -----------------------------------------------------------------------------

SIM_CHANNELS = (
    (1, "America/New_York", "02:30"),  # spring-forward gap on 2026-03-08
    (2, "Australia/Sydney", "02:30"),  # fall-back fold on 2026-04-05
    (3, "Europe/Moscow", "09:00"),
    (4, "Pacific/Chatham", "02:45"),  # +12:45/+13:45, its own fall-back on 2026-04-05
    (5, "Asia/Tokyo", "00:00"),
)


@dataclass
class SimResult:
    sender: FakeSender
    expected: dict[int, list[dt.date]]
    stats: collections.Counter[str]


async def simulate(
    tmp_path: Path, *, seed: int, restarts: int, days: int, channels: int, crash_rate: float
) -> SimResult:
    """Run a bot that is killed `restarts` times at random moments, mostly within 10 minutes of a post time.

    A life ends at its kill moment (while sleeping) or by a crash inside a send, before or after the message
    is delivered. The next life starts after a random downtime (none, up to 3 hours, or 1-3 days) with a
    fresh StateDB and runner on the same file. Kill moments are spread over whatever time is left, so the
    restarts cover the whole period, DST changes included.
    """
    rng = random.Random(seed)
    start = dt.datetime(2026, 2, 20, 0, 7, tzinfo=UTC)
    end = start + days * DAY
    clock = FakeClock(start)
    sender = FakeSender(clock)
    stats: collections.Counter[str] = collections.Counter()
    subs = SIM_CHANNELS[:channels]
    path = tmp_path / "sim.db"
    async with await StateDB.open(path) as db:
        for channel_id, zone, time in subs:
            await db.subscribe(1, channel_id, time, zone, 7, now=start)
        created = {s.channel_id: s for s in await db.list_subscriptions()}

    async def provider() -> Sequence[SnippetCandidate]:
        return CANDIDATES

    def next_kill(left: int) -> dt.datetime:
        now = clock.now()
        ahead = dt.timedelta(seconds=rng.uniform(0, 2 * (end - now).total_seconds() / left))
        if rng.random() < 0.7:
            sub = created[rng.choice(subs)[0]]
            day = (now + ahead).astimezone(sub.zone).date()
            moment = post_instant(day, sub.post_time, sub.zone) + dt.timedelta(seconds=rng.uniform(-600, 600))
        else:
            moment = now + ahead
        return min(max(moment, now + dt.timedelta(seconds=1)), end)

    async def life(kill_at: dt.datetime) -> None:
        async def sleep(seconds: float) -> None:
            target = clock.now() + dt.timedelta(seconds=seconds)
            if target >= kill_at:
                clock.set(kill_at)
                raise SimulatedCrash
            clock.set(target)
            await asyncio.sleep(0)

        roll = rng.random()
        crash = "before" if roll < crash_rate else "after" if roll < 2 * crash_rate else None
        sender.crash = crash
        db = await StateDB.open(path)
        runner = DailyRunner(
            db,
            provider,
            sender,
            clock.now,
            was_delivered=sender.was_delivered,
            sleep=sleep,
            poll_interval=6 * 3600,
            posts_per_second=FAST_PACE,
        )
        try:
            await runner.run_forever(asyncio.Event())
        except SimulatedCrash:
            pass
        finally:
            # No transaction spans a send or a sleep, so closing here leaves exactly what dying would.
            await db.close()
        if crash is not None and sender.crash is None:
            stats[f"crash {crash} delivery"] += 1
        stats["restarts"] += 1

    for i in range(restarts):
        if clock.now() >= end:
            break
        kill_at = next_kill(restarts - i)
        while clock.now() < kill_at:
            await life(kill_at)
        kind = rng.choices(["instant", "short", "long"], weights=[45, 50, 5])[0]
        down = {"instant": 0.0, "short": rng.uniform(1, 3 * 3600), "long": rng.uniform(1, 3) * 86400}[kind]
        stats[f"{kind} downtime"] += 1
        clock.advance(dt.timedelta(seconds=down))
    while clock.now() < end:
        await life(end)

    # A last, crash-free run to post whatever fell due during the final downtime.
    sender.crash = None
    async with await StateDB.open(path) as db:
        await DailyRunner(
            db, provider, sender, clock.now, was_delivered=sender.was_delivered, posts_per_second=FAST_PACE
        ).run_once()
        assert await db.unfinished_claims() == []
        logged = {cid: [(p.local_date, p.status) for p in await db.posts(cid)] for cid, _, _ in subs}

    expected: dict[int, list[dt.date]] = {}
    for channel_id, sub in created.items():
        day, dates = sub.start_date, []
        while post_instant(day, sub.post_time, sub.zone) <= clock.now():
            dates.append(day)
            day += DAY
        expected[channel_id] = dates
        assert logged[channel_id] == [(d, "sent") for d in dates]
    return SimResult(sender, expected, stats)


def assert_exactly_once(sender: FakeSender, expected: dict[int, list[dt.date]]) -> None:
    counts = collections.Counter((p[0], p[1]) for p in sender.posts)
    duplicates = [k for k, n in counts.items() if n > 1]
    skipped = [(cid, d) for cid, dates in expected.items() for d in dates if counts[(cid, d)] == 0]
    extra = [k for k in counts if k[1] not in expected[k[0]]]
    assert duplicates == []
    assert skipped == []
    assert extra == []
    for channel_id, day, _, at in sender.posts:
        zone, time = next((z, t) for c, z, t in SIM_CHANNELS if c == channel_id)
        assert at >= post_instant(day, dt.time.fromisoformat(time), ZoneInfo(zone))


@pytest.mark.asyncio
async def test_random_restarts_across_dst_never_duplicate_or_skip(tmp_path: Path) -> None:
    result = await simulate(tmp_path, seed=20260308, restarts=100, days=60, channels=3, crash_rate=0.1)
    # The scenario really exercised what it claims to.
    assert result.stats["restarts"] >= 100
    assert result.stats["crash before delivery"] >= 3
    assert result.stats["crash after delivery"] >= 3
    assert result.stats["long downtime"] >= 1
    assert all(len(dates) >= 59 for dates in result.expected.values())
    assert_exactly_once(result.sender, result.expected)


@pytest.mark.stress
@pytest.mark.asyncio
@pytest.mark.parametrize("seed", range(5))
async def test_stress_random_restarts(tmp_path: Path, seed: int) -> None:
    result = await simulate(tmp_path, seed=seed, restarts=1000, days=400, channels=5, crash_rate=0.15)
    assert result.stats["restarts"] >= 1000
    assert_exactly_once(result.sender, result.expected)


@pytest.mark.asyncio
async def test_posts_wait_for_their_slot_under_the_shared_pace(h: Harness) -> None:
    for channel in (10, 20, 30):
        await h.subscribe(channel)
    waits: list[float] = []

    async def note(seconds: float) -> None:
        waits.append(seconds)

    await h.restart(posts_per_second=0.05, pace_sleep=note)  # one post every 20 s
    h.clock.set(tokyo(1, 9))
    report = await h.runner.run_once()
    assert sorted(p.channel_id for p in report.posted) == [10, 20, 30]
    # The first goes at once; the next wait for their slots, 20 s apart (less the moments the test took).
    assert len(waits) == 2 and 10 < waits[0] <= 20 and 30 < waits[1] <= 40, waits


@pytest.mark.asyncio
async def test_a_database_that_cannot_book_slots_does_not_hold_the_posts(
    h: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    for channel in (10, 20):
        await h.subscribe(channel)
    await h.restart(posts_per_second=1.0)

    async def unbookable(interval: float, scope: str = "messages") -> None:
        raise OSError("the pace table is gone")

    monkeypatch.setattr(h.db, "send_slot", unbookable)
    h.clock.set(tokyo(1, 9))
    with caplog.at_level(logging.WARNING, logger="bot.daily.runner"):
        report = await h.runner.run_once()
    assert sorted(p.channel_id for p in report.posted) == [10, 20]
    assert [r.getMessage() for r in caplog.records].count(
        "daily: cannot book a send slot; posting without the shared pace"
    ) == 1
