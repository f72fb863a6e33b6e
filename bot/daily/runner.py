"""The loop that posts due daily snippets, independent of Discord.

Delivery protocol, per channel and local date:

1. `claim_post` writes a 'claimed' row, owned by this runner and leased to it for `lease`. If that write
   fails, nothing is sent: the log never holds a post that was not attempted, and an unrecorded send can
   never be repeated.
2. The post waits for its slot under the deployment's pace (`posts_per_second` in all, booked through
   the state database, so that the processes together keep within Discord's global rate limit), then
   `send` delivers the message, with a nonce derived from the channel and the local date (`post_nonce`) that
   Discord enforces, so that a second send of the same day's post returns the first message instead of
   showing another one.
3. `mark_sent` turns the claim into 'sent', only if this runner still owns it; if sending failed,
   `release_claim` deletes it so the day is due again.

Several processes may share one state database (PostgreSQL): each runner posts for the guilds it serves
(`owns_guild`), and when two reach the same post, the claim lets one through. A 'claimed' row that is not
in flight was left by a crash between 1 and 3 (or by a failed write in 3): on a shared database, a claim
whose lease ran out; on a database one process uses at a time, any claim found at the start of a run
(`take_over_claims`, which re-leases each to this runner, and gives each to one runner only). It is
resolved before anything else is posted to that channel:

* if this process saw the outcome itself (the send returned, or raised, and only the write failed), that
  outcome is recorded;
* otherwise `was_delivered(channel_id, local_date, fact_key)` is asked. True marks the day sent, False
  releases it to be posted again;
* if there is no `was_delivered`, it raises, or it answers None (unknown), the day is marked sent without a
  message id. At-most-once is the deliberate choice: a duplicate is visible to everyone in the channel,
  while an unknown outcome here only arises from a crash inside the milliseconds of one HTTP request, and
  with a working `was_delivered` it never arises at all.

`was_delivered` can only be exact if `send` leaves a findable trace, e.g. a footer marker naming the local
date and fact key that the check looks for in the channel's recent messages.

The lease must outlast a send (the HTTP client's timeout and its retries): a send still running when its
lease ran out may be repeated by the process that takes the claim over, and only the nonce then keeps the
channel from seeing it twice.

Catch-up: every missed day is posted, oldest first, up to `max_catch_up` days back; older missed days are
logged once as skipped by policy (see `bot.daily.schedule.catch_up_plan`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from bot.answers.daily import SnippetCandidate, choose_snippet
from bot.daily.schedule import catch_up_plan, local_date_at, next_run_utc
from bot.daily.state import ClaimLost, PostRecord, StateStore, Subscription

log = logging.getLogger(__name__)

UTC = dt.UTC
PAUSING_STATUSES = frozenset({403, 404})
MIN_SLEEP_SECONDS = 0.05
DEFAULT_LEASE = dt.timedelta(minutes=10)  # far longer than one send with discord.py's retries
# Discord lets a bot make 50 requests a second in all (its global rate limit), whatever the number of its
# processes; the daily posts of all of them together keep to half of that, leaving the rest to everything
# else (channel look-ups, follow-ups of commands, syncs).
DEFAULT_POSTS_PER_SECOND = 25.0

CandidatesProvider = Callable[[], Awaitable[Sequence[SnippetCandidate]]]
SendFunc = Callable[[int, SnippetCandidate, dt.date], Awaitable[int]]
DeliveryCheck = Callable[[int, dt.date, str], Awaitable[bool | None]]
Clock = Callable[[], dt.datetime]
SleepFunc = Callable[[float], Awaitable[object]]
GuildFilter = Callable[[int], bool]


def post_nonce(channel_id: int, local_date: dt.date) -> str:
    """The nonce of a channel's post for one local date: the same in every process and every attempt.

    24 hex digits (Discord takes up to 25 characters), from a hash, so that it never collides with the
    nonces of other kinds of message and says nothing a reader could use.
    """
    digest = hashlib.blake2b(f"daily:{channel_id}:{local_date.isoformat()}".encode(), digest_size=12)
    return digest.hexdigest()


def new_owner() -> str:
    """A name for one runner that no other runner, here or on another machine, shares."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True, slots=True)
class PostOutcome:
    """What happened to one channel's post for one local date."""

    channel_id: int
    local_date: dt.date
    fact_key: str | None = None
    message_id: int | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class UpcomingPost:
    """What a channel would be posted next, and for which of its local dates."""

    local_date: dt.date
    candidate: SnippetCandidate


@dataclass(slots=True)
class RunReport:
    """The result of one `run_once`."""

    posted: list[PostOutcome] = field(default_factory=list)
    failed: list[PostOutcome] = field(default_factory=list)
    paused: list[int] = field(default_factory=list)
    skipped: list[PostOutcome] = field(default_factory=list)
    resolved: list[PostOutcome] = field(default_factory=list)


@dataclass(slots=True)
class _Run:
    now: dt.datetime
    report: RunReport
    done: dict[int, dt.date] = field(default_factory=dict)
    candidates: Sequence[SnippetCandidate] | None = None
    candidates_failed: bool = False


class DailyRunner:
    """Posts each subscribed channel's daily snippet when due, with catch-up and crash recovery."""

    def __init__(
        self,
        state: StateStore,
        candidates_provider: CandidatesProvider,
        send: SendFunc,
        clock: Clock,
        *,
        pause_after: int = 3,
        max_catch_up: int = 7,
        was_delivered: DeliveryCheck | None = None,
        sleep: SleepFunc = asyncio.sleep,
        poll_interval: float = 60.0,
        owner: str | None = None,
        lease: dt.timedelta = DEFAULT_LEASE,
        owns_guild: GuildFilter | None = None,
        posts_per_second: float | None = DEFAULT_POSTS_PER_SECOND,
        pace_sleep: SleepFunc = asyncio.sleep,
    ) -> None:
        if pause_after < 1 or max_catch_up < 1 or poll_interval <= 0 or lease <= dt.timedelta(0):
            raise ValueError("pause_after and max_catch_up must be >= 1, poll_interval and lease > 0")
        if posts_per_second is not None and posts_per_second <= 0:
            raise ValueError("posts_per_second must be > 0 (None: not paced)")
        self._state = state
        self._candidates_provider = candidates_provider
        self._send = send
        self._clock = clock
        self._pause_after = pause_after
        self._max_catch_up = max_catch_up
        self._was_delivered = was_delivered
        self._sleep = sleep
        self._poll_interval = poll_interval
        self.owner = owner or new_owner()
        self._lease = lease
        self._owns_guild = owns_guild
        self._send_interval = 1.0 / posts_per_second if posts_per_second else 0.0
        self._pace_failed = False
        self._pace_sleep = (
            pace_sleep  # real time, even when `sleep` is not: slots are on the database's clock
        )
        self._lock = asyncio.Lock()
        # Outcomes this process witnessed but could not write; they settle leftover claims without guessing.
        self._sent_unrecorded: dict[tuple[int, dt.date], int] = {}
        self._unsent_unreleased: set[tuple[int, dt.date]] = set()
        self._logged_skips: set[tuple[int, dt.date]] = set()

    def _now(self) -> dt.datetime:
        now = self._clock()
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError(f"the clock must return timezone-aware datetimes, got {now!r}")
        return now.astimezone(UTC)

    async def run_once(self) -> RunReport:
        """Post everything due now to every active channel; never raises for a channel or database failure."""
        async with self._lock:
            run = _Run(now=self._now(), report=RunReport())
            try:
                subs = await self._state.list_subscriptions()
                claims = await self._state.take_over_claims(self.owner, run.now, self._lease)
            except Exception:
                log.exception("daily: cannot read the state database; nothing posted this run")
                return run.report
            blocked = await self._resolve_claims(claims, run)
            try:
                # A channel with a claim still unsettled waits: were that day released, a later day
                # posted meanwhile would skip it. Read before the last days done, which are read after
                # settling so that a released day is due again.
                blocked |= {c.channel_id for c in await self._state.unfinished_claims()}
                run.done = await self._state.last_done_dates()
            except Exception:
                log.exception("daily: cannot read the post log; nothing posted this run")
                return run.report
            for sub in subs:
                if sub.paused or sub.channel_id in blocked:
                    continue
                if self._owns_guild is not None and not self._owns_guild(sub.guild_id):
                    continue  # another process serves that guild
                try:
                    await self._run_channel(sub, run)
                except Exception:
                    log.exception(
                        "daily: unexpected error for channel %s; other channels continue", sub.channel_id
                    )
            return run.report

    async def _resolve_claims(self, claims: Sequence[PostRecord], run: _Run) -> set[int]:
        """Settle leftover claims; return channels whose claim could not be settled (skipped this run)."""
        blocked: set[int] = set()
        for claim in claims:
            key = (claim.channel_id, claim.local_date)
            delivered, message_id = await self._claim_outcome(claim)
            try:
                if delivered:
                    await self._state.mark_sent(
                        claim.channel_id, claim.local_date, message_id, now=self._now(), owner=self.owner
                    )
                else:
                    await self._state.release_claim(claim.channel_id, claim.local_date, owner=self.owner)
            except ClaimLost:
                log.info(
                    "daily: the claim for channel %s on %s was taken over meanwhile; its new owner settles it",
                    claim.channel_id,
                    claim.local_date,
                )
                blocked.add(claim.channel_id)
                continue
            except Exception:
                log.exception(
                    "daily: cannot settle the claim for channel %s on %s; the channel waits",
                    claim.channel_id,
                    claim.local_date,
                )
                blocked.add(claim.channel_id)
                continue
            self._sent_unrecorded.pop(key, None)
            self._unsent_unreleased.discard(key)
            log.info(
                "daily: unfinished post for channel %s on %s settled as %s",
                claim.channel_id,
                claim.local_date,
                "sent" if delivered else "not sent (will post again)",
            )
            run.report.resolved.append(
                PostOutcome(
                    claim.channel_id,
                    claim.local_date,
                    claim.fact_key,
                    message_id,
                    None if delivered else "not delivered",
                )
            )
        return blocked

    async def _claim_outcome(self, claim: PostRecord) -> tuple[bool, int | None]:
        key = (claim.channel_id, claim.local_date)
        if key in self._sent_unrecorded:
            return True, self._sent_unrecorded[key]
        if key in self._unsent_unreleased:
            return False, None
        verdict: bool | None = None
        if self._was_delivered is not None:
            try:
                verdict = await self._was_delivered(claim.channel_id, claim.local_date, claim.fact_key)
            except Exception:
                log.warning(
                    "daily: delivery check failed for channel %s on %s",
                    claim.channel_id,
                    claim.local_date,
                    exc_info=True,
                )
        if verdict is None:
            log.warning(
                "daily: cannot tell whether the post for channel %s on %s was delivered; "
                "recording it as sent so it is never duplicated",
                claim.channel_id,
                claim.local_date,
            )
            return True, None
        return verdict, None

    async def _run_channel(self, sub: Subscription, run: _Run) -> None:
        last_done = run.done.get(sub.channel_id)
        plan = catch_up_plan(sub, last_done, run.now, max_catch_up=self._max_catch_up)
        fresh_skips = [d for d in plan.skipped if (sub.channel_id, d) not in self._logged_skips]
        if fresh_skips:
            self._logged_skips.update((sub.channel_id, d) for d in fresh_skips)
            log.info(
                "daily: channel %s: %d missed day(s) from %s to %s exceed the %d-day catch-up; not posted",
                sub.channel_id,
                len(fresh_skips),
                fresh_skips[0],
                fresh_skips[-1],
                self._max_catch_up,
            )
            run.report.skipped.extend(PostOutcome(sub.channel_id, d) for d in fresh_skips)
        succeeded = False
        for local_date in plan.due:
            if not await self._post_one(sub, local_date, run):
                break
            succeeded = True
        if succeeded and sub.failures:
            try:
                await self._state.reset_failures(sub.channel_id)
            except Exception:
                log.exception("daily: cannot reset the failure count of channel %s", sub.channel_id)

    async def _candidates(self, run: _Run) -> Sequence[SnippetCandidate] | None:
        if run.candidates is None and not run.candidates_failed:
            try:
                run.candidates = await self._candidates_provider()
            except Exception:
                log.exception("daily: cannot load snippet candidates; nothing posted this run")
                run.candidates_failed = True
        return run.candidates

    async def _post_one(self, sub: Subscription, local_date: dt.date, run: _Run) -> bool:
        """Claim, send and record one post; True if the channel can go on to its next due date."""
        channel_id = sub.channel_id
        candidates = await self._candidates(run)
        if candidates is None:
            return False
        choice = choose_snippet(candidates, local_date, await self._state.last_posted(channel_id))
        if choice is None:
            log.warning(
                "daily: no snippet candidates; channel %s gets nothing for %s", channel_id, local_date
            )
            return False
        try:
            claimed = await self._state.claim_post(
                channel_id, local_date, choice.key, now=self._now(), owner=self.owner, lease=self._lease
            )
        except Exception as exc:
            log.exception(
                "daily: cannot record the claim for channel %s on %s; not sending", channel_id, local_date
            )
            run.report.failed.append(PostOutcome(channel_id, local_date, choice.key, error=repr(exc)))
            return False
        if not claimed:
            # Sent already, or unsubscribed/paused since this run started: go on. In flight in another
            # process: stop here, so that no later day is posted before this one is settled (were it not
            # delivered, it would be due again, and posting after a later day would skip it).
            existing = await self._state.get_post(channel_id, local_date)
            return existing is None or existing.status == "sent"
        await self._pace()
        try:
            message_id = await self._send(channel_id, choice, local_date)
        except Exception as exc:
            await self._release(channel_id, local_date)
            run.report.failed.append(PostOutcome(channel_id, local_date, choice.key, error=repr(exc)))
            status = getattr(exc, "status", None)
            if status in PAUSING_STATUSES:
                await self._count_failure(sub, status, exc, run)
            else:
                log.exception(
                    "daily: sending to channel %s for %s failed; will retry", channel_id, local_date
                )
            return False
        outcome = PostOutcome(channel_id, local_date, choice.key, message_id)
        run.report.posted.append(outcome)
        try:
            await self._state.mark_sent(channel_id, local_date, message_id, now=self._now(), owner=self.owner)
        except ClaimLost:
            # The send outlasted the lease and another process took the claim over: it settles the day
            # (finding this message, or sending with the same nonce, which Discord answers with this one).
            log.warning(
                "daily: posted to channel %s for %s after its lease ran out; the process that took the "
                "claim over records it",
                channel_id,
                local_date,
            )
            return False
        except Exception:
            self._sent_unrecorded[(channel_id, local_date)] = message_id
            log.exception(
                "daily: posted to channel %s for %s but cannot record it; it stays claimed, never re-sent",
                channel_id,
                local_date,
            )
            return False
        log.info("daily: posted %s to channel %s for %s", choice.key, channel_id, local_date)
        return True

    async def _pace(self) -> None:
        """Wait for this post's slot under the deployment's rate (`StateStore.send_slot`).

        A database that cannot book one does not hold the post: it is sent at once (discord.py still
        honours a 429), and that is logged once until booking works again.
        """
        if not self._send_interval:
            return
        try:
            slot = await self._state.send_slot(self._send_interval)
        except Exception:
            if not self._pace_failed:
                log.warning("daily: cannot book a send slot; posting without the shared pace", exc_info=True)
            self._pace_failed = True
            return
        self._pace_failed = False
        if slot.wait > 0:
            await self._pace_sleep(slot.wait)

    async def _release(self, channel_id: int, local_date: dt.date) -> None:
        try:
            await self._state.release_claim(channel_id, local_date, owner=self.owner)
        except Exception:
            self._unsent_unreleased.add((channel_id, local_date))
            log.exception("daily: cannot release the claim for channel %s on %s", channel_id, local_date)

    async def _count_failure(self, sub: Subscription, status: int, exc: Exception, run: _Run) -> None:
        error = f"HTTP {status}: {exc}"[:500]
        try:
            paused = await self._state.record_failure(sub.channel_id, error, self._pause_after)
        except Exception:
            log.exception("daily: cannot record the failure of channel %s", sub.channel_id)
            return
        if paused:
            run.report.paused.append(sub.channel_id)
            log.warning(
                "daily: paused channel %s (guild %s) after %d consecutive failures; last error: %s",
                sub.channel_id,
                sub.guild_id,
                self._pause_after,
                error,
            )
        else:
            log.warning(
                "daily: channel %s answered HTTP %s (failure %d of %d before pausing)",
                sub.channel_id,
                status,
                sub.failures + 1,
                self._pause_after,
            )

    async def seconds_until_next_run(self) -> float:
        """How long to sleep before the next post falls due, capped at the poll interval."""
        now = self._now()
        try:
            subs = await self._state.list_subscriptions()
        except Exception:
            log.exception("daily: cannot read subscriptions to schedule the next run")
            return self._poll_interval
        upcoming = [next_run_utc(sub, now) for sub in subs if not sub.paused]
        if not upcoming:
            return self._poll_interval
        delay = (min(upcoming) - now).total_seconds()
        return min(max(delay, MIN_SLEEP_SECONDS), self._poll_interval)

    async def run_forever(self, stop_event: asyncio.Event) -> None:
        """Run until `stop_event` is set, waking at the next post time or every poll interval."""
        while not stop_event.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("daily: run failed; trying again later")
            if stop_event.is_set():
                break
            delay = await self.seconds_until_next_run()
            await self._sleep_unless_stopped(delay, stop_event)

    async def _sleep_unless_stopped(self, delay: float, stop_event: asyncio.Event) -> None:
        sleeper = asyncio.ensure_future(self._sleep(delay))
        stopper = asyncio.ensure_future(stop_event.wait())
        try:
            await asyncio.wait({sleeper, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, stopper):
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
        if not sleeper.cancelled():
            sleeper.result()

    async def preview(self, target: int | dt.date) -> SnippetCandidate | None:
        """The snippet a channel would get next (or any channel on a given date), without recording it."""
        upcoming = await self.upcoming_post(target)
        return upcoming.candidate if upcoming else None

    async def upcoming_post(self, target: int | dt.date) -> UpcomingPost | None:
        """The next post of a channel (or of any channel on a given date): its local date and its fact,
        chosen as a run would choose it, without recording anything. None when there is nothing to post.

        For a subscribed channel that is its first due date (a missed day waiting for catch-up, today, or
        the next day whose post time is ahead); for a channel without a subscription, today in UTC.
        """
        candidates = await self._candidates_provider()
        if isinstance(target, dt.date):
            chosen = choose_snippet(candidates, target, {})
            return UpcomingPost(target, chosen) if chosen else None
        now = self._now()
        sub = await self._state.get_subscription(target)
        if sub is None:
            local_date = now.date()
        else:
            last_done = await self._state.last_done_date(target)
            plan = catch_up_plan(sub, last_done, now, max_catch_up=self._max_catch_up)
            if plan.due:
                local_date = plan.due[0]
            else:
                local_date = local_date_at(next_run_utc(sub, now), sub.zone)
                if last_done is not None and local_date <= last_done:
                    local_date = last_done + dt.timedelta(days=1)
        chosen = choose_snippet(candidates, local_date, await self._state.last_posted(target))
        return UpcomingPost(local_date, chosen) if chosen else None
