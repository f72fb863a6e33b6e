"""Pure time arithmetic for daily posts: parsing, local post instants, due dates and the next wake-up.

Every instant returned here is an aware UTC datetime; local calendar dates are plain `date`s in the
subscription's own timezone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.answers.daily import TIMEZONE_HELP, find_zone

UTC = dt.UTC
ONE_DAY = dt.timedelta(days=1)

# Any Unicode decimal digits and a fullwidth colon too: Japanese IMEs often type "０９：００".
_TIME_RE = re.compile(r"^\s*(\d{1,2})[:\uff1a](\d{2})\s*$")


class InvalidScheduleError(ValueError):
    """A post time or timezone a user typed could not be understood; the message is user-facing.

    The message quotes what was typed; `message(show)` gives it with the quote passed through `show`, so a
    renderer can make it inert (what a user types is never markup in the answer).
    """

    def __init__(self, template: str, typed: str = "") -> None:
        self.template, self.typed = template, _echo(typed)
        super().__init__(self.message())

    def message(self, show: Callable[[str], str] = str) -> str:
        return self.template.format(typed=show(self.typed))


class Schedulable(Protocol):
    """The parts of a subscription the scheduler needs."""

    @property
    def post_time(self) -> dt.time: ...

    @property
    def timezone(self) -> str: ...

    @property
    def start_date(self) -> dt.date: ...


@dataclass(frozen=True, slots=True)
class CatchUpPlan:
    """Dates to post now (oldest first) and older missed dates dropped by the catch-up cap."""

    due: tuple[dt.date, ...]
    skipped: tuple[dt.date, ...]


def parse_post_time(text: str) -> dt.time:
    """Parse a 24-hour `HH:MM` or `H:MM` post time."""
    match = _TIME_RE.match(text)
    if match is not None:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise InvalidScheduleError(
        "{typed} is not a time I understand. Use 24-hour HH:MM, for example 09:05 or 21:30.", text
    )


def _echo(text: str, limit: int = 40) -> str:
    """What the user typed, quoted and shortened, for an error message that must stay one short line."""
    shown = text.strip()
    return repr(shown if len(shown) <= limit else shown[: limit - 1] + "…")


def parse_timezone(name: str) -> ZoneInfo:
    """Resolve an IANA timezone name (any case) or a common abbreviation such as JST or MSK."""
    zone = find_zone(name)
    if zone is None:
        raise InvalidScheduleError("{typed} is not a timezone I know. " + TIMEZONE_HELP, name.strip())
    return zone


def _require_aware(moment: dt.datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {moment!r}")


def _wall(moment_utc: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return moment_utc.astimezone(tz).replace(tzinfo=None, fold=0)


def post_instant(local_date: dt.date, post_time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant at which `post_time` on `local_date` happens in `tz`.

    An ambiguous wall time (clocks going back) resolves to its first occurrence; a wall time that does not
    exist (clocks going forward) resolves to the first valid instant after it, i.e. the end of the gap.
    """
    wall = dt.datetime.combine(local_date, post_time.replace(tzinfo=None, fold=0))
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if _wall(first, tz) == wall:
        return first
    # In a gap: fold=0 reads the wall time with the pre-gap offset and lands after the gap, fold=1 with the
    # post-gap offset and lands before it. The earliest instant whose wall time is >= `wall` lies between.
    low = int(wall.replace(tzinfo=tz, fold=1).astimezone(UTC).timestamp())
    high = int(first.timestamp())
    if low > high:
        low, high = high, low
    # Invariant: wall(low) < wall <= wall(high); transitions fall on whole seconds.
    while high - low > 1:
        mid = (low + high) // 2
        if _wall(dt.datetime.fromtimestamp(mid, UTC), tz) >= wall:
            high = mid
        else:
            low = mid
    return dt.datetime.fromtimestamp(high, UTC)


def subscription_zone(sub: Schedulable) -> ZoneInfo:
    """The subscription's timezone as a ZoneInfo."""
    return ZoneInfo(sub.timezone)


def local_date_at(moment: dt.datetime, tz: ZoneInfo) -> dt.date:
    """The calendar date in `tz` at an aware instant."""
    _require_aware(moment)
    return moment.astimezone(tz).date()


def first_due_date(post_time: dt.time, tz: ZoneInfo, now_utc: dt.datetime) -> dt.date:
    """Today (local) if today's post time has not passed yet at `now_utc`, else tomorrow."""
    today = local_date_at(now_utc, tz)
    if post_instant(today, post_time, tz) >= now_utc:
        return today
    return today + ONE_DAY


def catch_up_plan(
    sub: Schedulable, last_done: dt.date | None, now_utc: dt.datetime, *, max_catch_up: int = 7
) -> CatchUpPlan:
    """Every local date whose post time has passed and is not done yet, split by the catch-up cap.

    Dates run from max(start_date, last_done + 1) to today. If more than `max_catch_up` are pending, only the
    most recent `max_catch_up` are due and the older ones are reported as skipped: after a long outage a
    channel gets its recent history, not a flood.
    """
    _require_aware(now_utc)
    if max_catch_up < 1:
        raise ValueError("max_catch_up must be at least 1")
    tz = subscription_zone(sub)
    first = sub.start_date if last_done is None else max(sub.start_date, last_done + ONE_DAY)
    last = local_date_at(now_utc, tz)
    if last < first:
        return CatchUpPlan((), ())
    if post_instant(last, sub.post_time, tz) > now_utc:
        last -= ONE_DAY
    pending = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    if len(pending) <= max_catch_up:
        return CatchUpPlan(tuple(pending), ())
    return CatchUpPlan(tuple(pending[-max_catch_up:]), tuple(pending[:-max_catch_up]))


def due_dates(
    sub: Schedulable, last_done: dt.date | None, now_utc: dt.datetime, *, max_catch_up: int = 7
) -> list[dt.date]:
    """The local dates to post now, oldest first (see `catch_up_plan` for the cap)."""
    return list(catch_up_plan(sub, last_done, now_utc, max_catch_up=max_catch_up).due)


def next_run_utc(sub: Schedulable, now_utc: dt.datetime) -> dt.datetime:
    """The first post instant strictly after `now_utc` for a date on or after the subscription's start."""
    _require_aware(now_utc)
    tz = subscription_zone(sub)
    day = max(local_date_at(now_utc, tz) - ONE_DAY, sub.start_date)
    while True:
        instant = post_instant(day, sub.post_time, tz)
        if instant > now_utc:
            return instant
        day += ONE_DAY
