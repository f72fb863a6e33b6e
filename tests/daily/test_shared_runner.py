"""Daily posts with several processes on one state database: leases, shards, kills and overlapping restarts.

The processes are runners in this test process, each with its own connections (a pool of its own on
PostgreSQL), its own owner name and its own moment of death, on one virtual clock; the database is real.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import heapq
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.answers.daily import SnippetCandidate
from bot.daily.runner import DailyRunner, post_nonce
from bot.daily.schedule import post_instant
from bot.daily.state import StateStore, open_state
from tests.daily.test_runner import CANDIDATES, FAST_PACE, FakeClock, SimulatedCrash

UTC = dt.UTC
DAY = dt.timedelta(days=1)
MIN = dt.timedelta(minutes=1)
LEASE = dt.timedelta(minutes=10)
START = dt.datetime(2026, 3, 1, 0, 0, tzinfo=UTC)


class FakeChannels:
    """Discord's side: messages per channel, one per enforced nonce, and every attempt that delivered."""

    def __init__(self, clock: FakeClock, time: VirtualTime, rng: random.Random) -> None:
        self.clock = clock
        self.time = time
        self.rng = rng
        self.messages: dict[str, tuple[int, dt.date, str, int]] = {}  # nonce -> channel, day, key, id
        self.deliveries: collections.Counter[tuple[int, dt.date]] = collections.Counter()
        self.ids = itertools.count(5000)

    def send_as(self, process: Process) -> object:
        async def send(channel_id: int, candidate: SnippetCandidate, local_date: dt.date) -> int:
            # A send takes a while (rate limits, a slow network): a kill can land before or after the
            # message is delivered, and other processes run meanwhile.
            await self.time.sleep(self.rng.uniform(0.5, 15))
            crash, process.crash = process.crash, None
            if crash == "before":
                raise SimulatedCrash
            nonce = post_nonce(channel_id, local_date)
            self.deliveries[(channel_id, local_date)] += 1
            if nonce not in self.messages:
                self.messages[nonce] = (channel_id, local_date, candidate.key, next(self.ids))
            if crash == "after":
                raise SimulatedCrash
            await self.time.sleep(self.rng.uniform(0.1, 15))
            return self.messages[nonce][3]

        return send

    async def was_delivered(self, channel_id: int, local_date: dt.date, fact_key: str) -> bool:
        found = self.messages.get(post_nonce(channel_id, local_date))
        return found is not None and found[2] == fact_key

    def posted(self) -> collections.Counter[tuple[int, dt.date]]:
        return collections.Counter((c, d) for c, d, _, _ in self.messages.values())


@dataclass
class Process:
    name: str
    crash: str | None = None  # "before" or "after" delivering, at its next send
    task: asyncio.Task[None] | None = None


@dataclass
class VirtualTime:
    """Sleeps on the virtual clock: time moves only when every live process sleeps."""

    clock: FakeClock
    sleepers: list[tuple[dt.datetime, int, asyncio.Future[None]]] = field(default_factory=list)
    order: itertools.count[int] = field(default_factory=itertools.count)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    alone: bool = False  # one process left and no coordinator: a sleep just moves the clock

    async def sleep(self, seconds: float) -> None:
        if self.alone:
            self.clock.advance(dt.timedelta(seconds=seconds))
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        wake = self.clock.now() + dt.timedelta(seconds=seconds)
        heapq.heappush(self.sleepers, (wake, next(self.order), future))
        self.changed.set()
        await future

    def asleep(self) -> int:
        return sum(1 for _, _, f in self.sleepers if not f.done())


@dataclass
class SharedResult:
    channels: FakeChannels
    expected: dict[int, list[dt.date]]
    stats: collections.Counter[str]


async def simulate_processes(
    location_for_life: object,
    *,
    seed: int,
    subscriptions: int,
    days: int,
    kills: int,
    overlap: float,
    crash_rate: float = 0.1,
) -> SharedResult:
    """Processes posting the daily snippets of `subscriptions` channels for `days` days, killed `kills`
    times at random moments (sleeping, or inside a send before or after the message is delivered). A
    fraction `overlap` of restarts start the new process before the old one dies, as a rolling deploy does;
    the others leave a downtime of up to three hours (now and then a day) before the next one starts."""
    rng = random.Random(seed)
    clock = FakeClock(START)
    end = START + days * DAY
    time = VirtualTime(clock)
    channels = FakeChannels(clock, time, rng)
    stats: collections.Counter[str] = collections.Counter()
    open_store = location_for_life
    assert callable(open_store)

    # Few distinct post moments, so that many posts fall due together and their sends overlap kills.
    zones = ["Asia/Tokyo", "Europe/Moscow"]
    times = ["09:00", "18:45"]
    setup: StateStore = await open_store()
    try:
        for n in range(subscriptions):
            channel = 1000 + n
            await setup.subscribe(n % 7 + 1, channel, rng.choice(times), rng.choice(zones), 7, now=START)
        created = {s.channel_id: s for s in await setup.list_subscriptions()}
    finally:
        await setup.close()

    async def provider() -> Sequence[SnippetCandidate]:
        return CANDIDATES

    alive: dict[str, Process] = {}
    names = (f"p{i}" for i in itertools.count())

    async def life(process: Process) -> None:
        state = await open_store()
        runner = DailyRunner(
            state,
            provider,
            channels.send_as(process),  # type: ignore[arg-type]
            clock.now,
            was_delivered=channels.was_delivered,
            sleep=time.sleep,
            poll_interval=3600,
            owner=process.name,
            lease=LEASE,
            posts_per_second=FAST_PACE,  # booked in the shared database, without making the test wait
        )
        try:
            await runner.run_forever(asyncio.Event())
        except SimulatedCrash:
            stats["crashes inside a send"] += 1
        finally:
            # No transaction spans a send or a sleep: closing leaves what dying would.
            alive.pop(process.name, None)
            await state.close()
            time.changed.set()

    def start() -> Process:
        process = Process(next(names))
        if rng.random() < 2 * crash_rate:
            process.crash = rng.choice(["before", "after"])
        alive[process.name] = process
        process.task = asyncio.create_task(life(process))
        stats["starts"] += 1
        return process

    async def kill(process: Process) -> None:
        if process.task is not None and not process.task.done():
            process.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await process.task
        stats["kills"] += 1

    # Kill moments spread over the period, mostly near a post time.
    def kill_moment() -> dt.datetime:
        """A moment in the period (but its last hours), mostly just around a post time."""
        moment = START + dt.timedelta(seconds=rng.uniform(0, (days - 0.25) * 86400))
        if rng.random() < 0.7:
            sub = created[rng.choice(list(created))]
            day = moment.astimezone(sub.zone).date()
            moment = post_instant(day, sub.post_time, sub.zone) + dt.timedelta(seconds=rng.uniform(-30, 120))
        return min(max(moment, START + MIN), end - MIN)

    # One supervised process, restarted `kills` times (its "restart" events), and the old processes of
    # overlapping restarts, each killed at its own moment (its "kill" event). A process that dies inside
    # a send is started again by its supervisor a minute later.
    events: list[tuple[dt.datetime, int, str, Process | None]] = []
    seq = itertools.count()
    current = start()
    events += [(kill_moment(), next(seq), "restart", None) for _ in range(kills)]

    async def settle() -> None:
        """Wait until every live process sleeps (or has died)."""
        while time.asleep() < len(alive):
            time.changed.clear()
            await time.changed.wait()

    while True:
        await settle()
        if (
            current.task is not None
            and current.task.done()
            and not any(k == "start" for _, _, k, _ in events)
        ):
            events.append((clock.now() + MIN, next(seq), "start", None))
        pending = [w for w, _, f in time.sleepers if not f.done()]
        moments = [m for m, *_ in events] + pending
        moment = min(moments)
        if moment >= end:
            break
        clock.set(max(moment, clock.now()))
        due = sorted((e for e in events if e[0] <= clock.now()), key=lambda e: e[1])
        events = [e for e in events if e[0] > clock.now()]
        for _, _, kind, process in due:
            if kind == "start":
                current = start()
            elif kind == "kill" and process is not None:
                await kill(process)
            elif kind == "restart":
                if current.task is None or current.task.done():
                    # Down (killed, or died inside a send): it is killed again soon after it is back.
                    later = clock.now() + dt.timedelta(seconds=rng.uniform(60, 1800))
                    events.append((later, next(seq), "restart", None))
                    continue
                stats["restarts"] += 1
                if rng.random() < overlap:
                    stats["overlapping restarts"] += 1
                    old_dies = clock.now() + dt.timedelta(seconds=rng.uniform(1, 2 * 3600))
                    events.append((old_dies, next(seq), "kill", current))
                    current = start()
                else:
                    await kill(current)
                    long = rng.random() < 0.05
                    down = rng.uniform(0.5, 1.5) * 86400 if long else rng.uniform(0, 3 * 3600)
                    stats["long downtimes" if long else "short downtimes"] += 1
                    events.append((clock.now() + dt.timedelta(seconds=down), next(seq), "start", None))
        for wake, _, future in list(time.sleepers):
            if wake <= clock.now() and not future.done():
                future.set_result(None)
        time.sleepers = [s for s in time.sleepers if not s[2].done()]
        heapq.heapify(time.sleepers)

    for process in list(alive.values()):
        await kill(process)
    # The period is over: a last process, after every lease has run out, posts what fell due meanwhile.
    clock.set(max(clock.now(), end) + LEASE + MIN)
    time.alone = True
    final = await open_store()
    try:
        await DailyRunner(
            final,
            provider,
            channels.send_as(Process("last")),
            clock.now,
            was_delivered=channels.was_delivered,  # type: ignore[arg-type]
            posts_per_second=FAST_PACE,
        ).run_once()
        assert await final.unfinished_claims() == []
        expected: dict[int, list[dt.date]] = {}
        for channel_id, sub in created.items():
            day, dates = sub.start_date, []
            while post_instant(day, sub.post_time, sub.zone) <= clock.now():
                dates.append(day)
                day += DAY
            expected[channel_id] = dates
            logged = [(p.local_date, p.status) for p in await final.posts(channel_id)]
            missing_or_extra = sorted(set(logged) ^ {(d, "sent") for d in dates})
            assert logged == [(d, "sent") for d in dates], (channel_id, missing_or_extra)
    finally:
        await final.close()
    return SharedResult(channels, expected, stats)


def assert_every_day_exactly_once(result: SharedResult) -> None:
    posted = result.channels.posted()
    expected = {(c, d) for c, dates in result.expected.items() for d in dates}
    assert sorted(k for k in expected if posted[k] == 0) == []  # none missing
    assert sorted(k for k, n in posted.items() if n > 1) == []  # no duplicate message
    assert sorted(k for k in posted if k not in expected) == []  # nothing that was not due
    # Not even a repeat that the nonce had to catch: every post was delivered once.
    assert sorted(k for k, n in result.channels.deliveries.items() if n > 1) == []


@pytest.fixture
def pg_store(pg_url: str) -> object:
    async def open_store() -> StateStore:
        return await open_state(pg_url)

    return open_store


@pytest.mark.asyncio
async def test_overlapping_processes_killed_at_random_post_every_day_once_on_postgresql(
    pg_store: object,
) -> None:
    # Sized for CI; the full size runs under -m stress. Today's rule (every claim found at start-up is a
    # crash to settle) sends duplicates here: a process that starts while another sends takes its claim.
    result = await simulate_processes(pg_store, seed=12, subscriptions=40, days=10, kills=30, overlap=0.3)
    # The scenario really exercised what it claims to: 30 restarts, some overlapping the process they
    # replaced, and deaths inside a send besides.
    assert result.stats["restarts"] >= 30
    assert result.stats["crashes inside a send"] >= 3
    assert result.stats["overlapping restarts"] >= 4
    assert sum(len(d) for d in result.expected.values()) >= 40 * 9
    assert_every_day_exactly_once(result)


@pytest.mark.asyncio
async def test_one_process_at_a_time_killed_at_random_posts_every_day_once_on_sqlite(tmp_path: Path) -> None:
    async def open_store() -> StateStore:
        return await open_state(tmp_path / "state.db")

    result = await simulate_processes(open_store, seed=13, subscriptions=40, days=10, kills=30, overlap=0.0)
    assert result.stats["restarts"] >= 30
    assert result.stats["overlapping restarts"] == 0
    assert_every_day_exactly_once(result)


@pytest.mark.stress
@pytest.mark.asyncio
@pytest.mark.parametrize("seed", range(3))
async def test_stress_overlapping_processes_on_postgresql(pg_store: object, seed: int) -> None:
    result = await simulate_processes(pg_store, seed=seed, subscriptions=200, days=30, kills=100, overlap=0.3)
    assert result.stats["restarts"] >= 100
    assert result.stats["overlapping restarts"] >= 15
    assert_every_day_exactly_once(result)


@pytest.mark.asyncio
async def test_a_process_posts_only_for_the_guilds_of_its_shards(tmp_path: Path) -> None:
    clock = FakeClock(START)
    time = VirtualTime(clock, alone=True)
    channels = FakeChannels(clock, time, random.Random(1))
    state = await open_state(tmp_path / "state.db")
    try:
        for guild in range(1, 7):
            await state.subscribe(guild << 22, 100 + guild, "09:00", "UTC", 7, now=START)

        async def provider() -> Sequence[SnippetCandidate]:
            return CANDIDATES

        runner = DailyRunner(
            state,
            provider,
            channels.send_as(Process("shard-1")),  # type: ignore[arg-type]
            clock.now,
            owns_guild=lambda guild_id: (guild_id >> 22) % 3 == 1,
        )
        clock.set(START + dt.timedelta(hours=9))
        report = await runner.run_once()
    finally:
        await state.close()
    assert sorted(p.channel_id for p in report.posted) == [101, 104]
    assert sorted(c for c, _ in channels.posted()) == [101, 104]
