"""Pure scheduling: parsing, local post instants across DST, due dates and catch-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from bot.daily.schedule import (
    InvalidScheduleError,
    catch_up_plan,
    due_dates,
    first_due_date,
    next_run_utc,
    parse_post_time,
    parse_timezone,
    post_instant,
)

UTC = dt.UTC
NY = ZoneInfo("America/New_York")
SYD = ZoneInfo("Australia/Sydney")
MSK = ZoneInfo("Europe/Moscow")


@dataclass(frozen=True)
class Sub:
    post_time: dt.time
    timezone: str
    start_date: dt.date


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:05", dt.time(9, 5)),
        ("09:05", dt.time(9, 5)),
        ("21:30", dt.time(21, 30)),
        (" 0:00 ", dt.time(0, 0)),
        ("23:59", dt.time(23, 59)),
        ("\uff10\uff19\uff1a\uff10\uff15", dt.time(9, 5)),  # fullwidth, as a Japanese IME types it
    ],
)
def test_parse_post_time_accepts_24h(text: str, expected: dt.time) -> None:
    assert parse_post_time(text) == expected


@pytest.mark.parametrize(
    "text", ["24:00", "12:60", "9pm", "9", "09:5", "09:05:00", "", "-1:00", "12:00pm", "12.30"]
)
def test_parse_post_time_rejects_with_friendly_error(text: str) -> None:
    with pytest.raises(InvalidScheduleError, match="HH:MM"):
        parse_post_time(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("JST", "Asia/Tokyo"),
        ("msk", "Europe/Moscow"),
        ("asia/tokyo", "Asia/Tokyo"),
        ("Europe/Moscow", "Europe/Moscow"),
        ("america/new york", "America/New_York"),
        ("EST", "America/New_York"),
        (" Asia/Sakhalin ", "Asia/Sakhalin"),
    ],
)
def test_parse_timezone_accepts_iana_names_and_aliases(name: str, expected: str) -> None:
    assert parse_timezone(name).key == expected


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../etc/passwd", "/etc/localtime", "Tokyo"])
def test_parse_timezone_rejects_unknown(name: str) -> None:
    with pytest.raises(InvalidScheduleError, match="IANA") as info:
        parse_timezone(name)
    assert isinstance(info.value, ValueError)


def test_post_instant_spring_forward_gap_posts_at_end_of_gap() -> None:
    # 02:30 does not exist in New York on 2026-03-08; the first valid instant after it is 03:00 EDT.
    instant = post_instant(dt.date(2026, 3, 8), dt.time(2, 30), NY)
    assert instant == utc(2026, 3, 8, 7, 0)
    assert instant.astimezone(NY).strftime("%H:%M %Z") == "03:00 EDT"


def test_post_instant_fall_back_ambiguity_takes_first_occurrence() -> None:
    instant = post_instant(dt.date(2026, 11, 1), dt.time(1, 30), NY)
    assert instant == utc(2026, 11, 1, 5, 30)
    assert instant.astimezone(NY).strftime("%H:%M %Z") == "01:30 EDT"


def test_post_instant_sydney_both_transitions() -> None:
    assert post_instant(dt.date(2026, 4, 5), dt.time(2, 30), SYD) == utc(2026, 4, 4, 15, 30)  # AEDT, first
    assert post_instant(dt.date(2026, 10, 4), dt.time(2, 30), SYD) == utc(2026, 10, 3, 16, 0)  # 03:00 AEDT


def test_post_instant_moscow_is_fixed_offset() -> None:
    for day in (dt.date(2026, 1, 15), dt.date(2026, 3, 29), dt.date(2026, 10, 25)):
        assert post_instant(day, dt.time(9, 0), MSK) == dt.datetime.combine(day, dt.time(6, 0), UTC)


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Sydney", "Europe/Moscow", "Pacific/Chatham"])
@pytest.mark.parametrize(
    "post_time", [dt.time(0, 0), dt.time(1, 30), dt.time(2, 30), dt.time(2, 45), dt.time(23, 59)]
)
def test_post_instants_are_increasing_and_on_their_day(zone: str, post_time: dt.time) -> None:
    tz = ZoneInfo(zone)
    previous = None
    for offset in range(366):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
        instant = post_instant(day, post_time, tz)
        local = instant.astimezone(tz)
        assert local.date() == day
        assert local.time() >= post_time
        # Only a DST gap may push the post later, and never by more than the gap.
        assert local.replace(tzinfo=None) - dt.datetime.combine(day, post_time) <= dt.timedelta(hours=1)
        if previous is not None:
            assert instant > previous
        previous = instant


def test_due_dates_before_and_at_post_time() -> None:
    sub = Sub(dt.time(9, 0), "Europe/Moscow", dt.date(2026, 5, 1))
    assert due_dates(sub, None, utc(2026, 5, 1, 6, 0) - dt.timedelta(seconds=1)) == []
    assert due_dates(sub, None, utc(2026, 5, 1, 6, 0)) == [dt.date(2026, 5, 1)]
    assert due_dates(sub, dt.date(2026, 5, 1), utc(2026, 5, 1, 12, 0)) == []


def test_due_dates_catch_up_oldest_first_from_last_done() -> None:
    sub = Sub(dt.time(9, 0), "Europe/Moscow", dt.date(2026, 5, 1))
    got = due_dates(sub, dt.date(2026, 5, 1), utc(2026, 5, 4, 7, 0))
    assert got == [dt.date(2026, 5, 2), dt.date(2026, 5, 3), dt.date(2026, 5, 4)]
    # Today's time not reached yet: only the past days.
    assert due_dates(sub, dt.date(2026, 5, 1), utc(2026, 5, 4, 5, 0)) == got[:2]


def test_due_dates_respect_start_date() -> None:
    sub = Sub(dt.time(9, 0), "Europe/Moscow", dt.date(2026, 5, 3))
    assert due_dates(sub, dt.date(2026, 4, 1), utc(2026, 5, 4, 7, 0)) == [
        dt.date(2026, 5, 3),
        dt.date(2026, 5, 4),
    ]
    assert due_dates(sub, None, utc(2026, 5, 2, 23, 0)) == []


def test_catch_up_cap_keeps_most_recent_days() -> None:
    sub = Sub(dt.time(9, 0), "Europe/Moscow", dt.date(2026, 5, 1))
    plan = catch_up_plan(sub, None, utc(2026, 5, 10, 7, 0), max_catch_up=7)
    assert plan.due == tuple(dt.date(2026, 5, d) for d in range(4, 11))
    assert plan.skipped == (dt.date(2026, 5, 1), dt.date(2026, 5, 2), dt.date(2026, 5, 3))
    assert due_dates(sub, None, utc(2026, 5, 10, 7, 0), max_catch_up=2) == [
        dt.date(2026, 5, 9),
        dt.date(2026, 5, 10),
    ]
    with pytest.raises(ValueError, match="max_catch_up"):
        catch_up_plan(sub, None, utc(2026, 5, 10, 7, 0), max_catch_up=0)


def test_due_dates_use_the_subscription_local_date() -> None:
    # 23:00 UTC on May 1 is already May 2 in Tokyo, whose 08:00 post time has passed.
    sub = Sub(dt.time(8, 0), "Asia/Tokyo", dt.date(2026, 5, 1))
    assert due_dates(sub, dt.date(2026, 5, 1), utc(2026, 5, 1, 23, 0)) == [dt.date(2026, 5, 2)]


def test_naive_now_is_rejected() -> None:
    sub = Sub(dt.time(9, 0), "UTC", dt.date(2026, 5, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        due_dates(sub, None, dt.datetime(2026, 5, 1, 12, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        next_run_utc(sub, dt.datetime(2026, 5, 1, 12, 0))


def test_next_run_is_strictly_after_now() -> None:
    sub = Sub(dt.time(9, 0), "Europe/Moscow", dt.date(2026, 5, 1))
    assert next_run_utc(sub, utc(2026, 5, 1, 5, 0)) == utc(2026, 5, 1, 6, 0)
    assert next_run_utc(sub, utc(2026, 5, 1, 6, 0)) == utc(2026, 5, 2, 6, 0)
    # Not before the start date.
    assert next_run_utc(sub, utc(2026, 4, 20, 5, 0)) == utc(2026, 5, 1, 6, 0)


def test_next_run_across_new_york_transitions() -> None:
    sub = Sub(dt.time(2, 30), "America/New_York", dt.date(2026, 1, 1))
    assert next_run_utc(sub, utc(2026, 3, 7, 7, 31)) == utc(2026, 3, 8, 7, 0)
    assert next_run_utc(sub, utc(2026, 3, 8, 7, 0)) == utc(2026, 3, 9, 6, 30)
    fall = Sub(dt.time(1, 30), "America/New_York", dt.date(2026, 1, 1))
    assert next_run_utc(fall, utc(2026, 11, 1, 5, 30)) == utc(2026, 11, 2, 6, 30)


def test_first_due_date_today_only_if_time_not_passed() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    assert first_due_date(dt.time(9, 0), tokyo, utc(2026, 5, 1, 23, 59)) == dt.date(2026, 5, 2)
    assert first_due_date(dt.time(9, 0), tokyo, utc(2026, 5, 2, 0, 0)) == dt.date(2026, 5, 2)
    assert first_due_date(dt.time(9, 0), tokyo, utc(2026, 5, 2, 0, 1)) == dt.date(2026, 5, 3)
