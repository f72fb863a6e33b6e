"""One function per question the bot answers; each returns a plain data class that any renderer can show."""

from bot.answers.base import Facts, QueryError
from bot.answers.catalogue import AboutAnswer, SourceAnswer, about, source
from bot.answers.check import CheckAnswer, CheckQuery, CheckResult, check, check_message
from bot.answers.daily import DailyPreviewAnswer
from bot.answers.help import HelpAnswer
from bot.answers.islands import IslandAnswer, island
from bot.answers.quotes import QuoteAnswer, QuoteQuery, quotes
from bot.answers.timeline import TimelineAnswer, TimelineQuery, timeline

# What any renderer shows.
Answer = (
    AboutAnswer
    | CheckAnswer
    | DailyPreviewAnswer
    | HelpAnswer
    | IslandAnswer
    | QuoteAnswer
    | SourceAnswer
    | TimelineAnswer
)

__all__ = [
    "AboutAnswer",
    "Answer",
    "CheckAnswer",
    "CheckQuery",
    "CheckResult",
    "DailyPreviewAnswer",
    "Facts",
    "HelpAnswer",
    "IslandAnswer",
    "QueryError",
    "QuoteAnswer",
    "QuoteQuery",
    "SourceAnswer",
    "TimelineAnswer",
    "TimelineQuery",
    "about",
    "check",
    "check_message",
    "island",
    "quotes",
    "source",
    "timeline",
]
