"""Daily "history snippet" subscriptions: state database, scheduling and the posting loop, free of Discord."""

from bot.answers.daily import SnippetCandidate, choose_snippet
from bot.daily.runner import DailyRunner, PostOutcome, RunReport, UpcomingPost
from bot.daily.schedule import (
    CatchUpPlan,
    InvalidScheduleError,
    catch_up_plan,
    due_dates,
    next_run_utc,
    parse_post_time,
    parse_timezone,
    post_instant,
)
from bot.daily.state import PostRecord, StateDB, StateStore, Subscription, open_state

__all__ = [
    "CatchUpPlan",
    "DailyRunner",
    "InvalidScheduleError",
    "PostOutcome",
    "PostRecord",
    "RunReport",
    "SnippetCandidate",
    "StateDB",
    "StateStore",
    "Subscription",
    "UpcomingPost",
    "catch_up_plan",
    "choose_snippet",
    "due_dates",
    "next_run_utc",
    "open_state",
    "parse_post_time",
    "parse_timezone",
    "post_instant",
]
