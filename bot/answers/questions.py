"""The questions the bot answers, declared once for every surface that asks them.

For each command: its options (with the description Discord shows), how raw option values become a checked
query (a QueryError with one friendly line when they cannot), the answer function, and how many results
each surface shows. The Discord cogs and their page buttons, the offline console, the command line and the
benchmark all ask through this table; none of them parses an option or picks a limit of its own.

How many results, per surface:

- Discord pages an answer behind buttons, so it keeps every result worth paging through;
- the console (the offline console, `factbot ask`, and `factbot timeline` or `quote` without `--json`)
  prints an answer at once, so it shows about a screenful;
- JSON (`--json`) gives the results the readable output gives: the flag changes the format, not the
  answer. Both on the command line take `--limit` (and the console `limit:`) to ask for more.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.answers.base import MAX_YEAR, MIN_YEAR, Facts, QueryError, clean_text_option, parse_limit
from bot.answers.catalogue import AboutAnswer, SourceAnswer, about, source
from bot.answers.check import CheckAnswer, CheckQuery, check
from bot.answers.daily import DailyPreviewAnswer, DailyPreviewQuery, daily_preview
from bot.answers.help import CommandHelp, HelpAnswer, HelpQuery, Link, help_answer
from bot.answers.islands import IslandAnswer, island
from bot.answers.quotes import QuoteAnswer, QuoteQuery, quotes
from bot.answers.timeline import TimelineAnswer, TimelineQuery, timeline

__all__ = [
    "ABOUT",
    "CHECK",
    "DAILY_PREVIEW",
    "DISCORD_ONLY",
    "HELP",
    "ISLAND",
    "MAX_YEAR",
    "MIN_YEAR",
    "PRIVATE",
    "QUESTIONS",
    "QUOTE",
    "SOURCE",
    "TIMELINE",
    "Limits",
    "Option",
    "Question",
    "Surface",
]

Q = TypeVar("Q")
A = TypeVar("A")
RawOptions = Mapping[str, Any]  # option name → the value as a surface received it (text, number or None)


class Surface(enum.Enum):
    """Where an answer is shown; each has its own result limits."""

    DISCORD = "discord"
    CONSOLE = "console"
    JSON = "json"


@dataclass(frozen=True, slots=True)
class Limits:
    """How many results a question gives on each surface."""

    discord: int
    console: int
    json: int

    def on(self, surface: Surface) -> int:
        return {Surface.DISCORD: self.discord, Surface.CONSOLE: self.console, Surface.JSON: self.json}[
            surface
        ]


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a command: its name everywhere, Discord's description, how help shows its value."""

    name: str
    description: str
    metavar: str


@dataclass(frozen=True, slots=True)
class Question(Generic[Q, A]):
    """One command: its options, their parsing, its answer function and its result limits."""

    name: str
    description: str
    options: tuple[Option, ...]
    positional: str | None  # the option that words without a `key:` fill in the console
    parse: Callable[[RawOptions, int], Q]  # raw options and a result limit → a checked query
    answer: Callable[[Facts, Q], Awaitable[A]]
    limits: Limits | None = None  # None: the whole answer on every surface
    example: str = ""  # a line to type, as `/help` shows it (every surface reads the `key:value` form)

    def describe(self, option: str) -> str:
        """The description of one of the options (as Discord shows it)."""
        return next(o.description for o in self.options if o.name == option)

    def limit(self, surface: Surface) -> int:
        """How many results the surface shows (0 when the question has no limit)."""
        return self.limits.on(surface) if self.limits else 0

    def query(self, options: RawOptions, surface: Surface, limit: str | int | None = None) -> Q:
        """The options checked, at the surface's limit or at `limit` when one was asked for.

        Raises QueryError, with a message for the user, when the options make no sense.
        """
        default = self.limit(surface)
        return self.parse(options, parse_limit(limit, default) if self.limits else default)

    async def ask(
        self, facts: Facts, options: RawOptions, surface: Surface, limit: str | int | None = None
    ) -> A:
        """Check the options and answer them."""
        return await self.answer(facts, self.query(options, surface, limit))

    @property
    def help(self) -> CommandHelp:
        """The command as `/help` shows it."""
        return CommandHelp(self.usage, self.description, self.example or f"/{self.name}")

    @property
    def usage(self) -> str:
        """'/quote [TEXT] [speaker:NAME]': how to type the command in the console."""
        parts = [f"/{self.name}"]
        for o in self.options:
            parts.append(f"[{o.metavar}]" if o.name == self.positional else f"[{o.name}:{o.metavar}]")
        return " ".join(parts)


# Discord's one option of every answer command: the answer as an ephemeral reply, which only the asker sees.
# The other surfaces answer only the person at the terminal anyway.
PRIVATE = Option("private", "Only you see the answer", "yes|no")


def _required(value: object, message: str, max_chars: int) -> str:
    text = clean_text_option(None if value is None else str(value), max_chars)
    if text is None:
        raise QueryError(message)
    return text


TIMELINE: Question[TimelineQuery, TimelineAnswer] = Question(
    "timeline",
    "Dated events about the peace treaty and the islands, in date order, with sources",
    (
        Option("about", "Topic words, e.g. joint declaration", "TEXT"),
        Option("from", "First year (e.g. 1956)", "YEAR"),
        Option("to", "Last year (e.g. 1960)", "YEAR"),
    ),
    "about",
    lambda o, limit: TimelineQuery.parse(o.get("from"), o.get("to"), o.get("about"), limit),
    timeline,
    # Discord: 125 pages of 8 events; a terminal: a screenful.
    Limits(discord=1000, console=20, json=20),
    "/timeline from:1956 to:1960",
)

QUOTE: Question[QuoteQuery, QuoteAnswer] = Question(
    "quote",
    "Direct quotes with speaker, date and source",
    (Option("about", "Words from the quote", "TEXT"), Option("speaker", "Who said it", "NAME")),
    "about",
    lambda o, limit: QuoteQuery.parse(o.get("about"), o.get("speaker"), limit),
    quotes,
    # Discord: 5 pages of 4 quotes, the best first; a terminal: the five best.
    Limits(discord=20, console=5, json=5),
    "/quote about:peace treaty speaker:Abe",
)

ISLAND: Question[str, IslandAnswer] = Question(
    "island",
    "The history of an island, with sources",
    (Option("name", "Island name in English, Japanese or Russian", "NAME"),),
    "name",
    lambda o, _: _required(o.get("name"), "Which island? Try `/island Shikotan` or `/island 択捉島`.", 100),
    island,
    example="/island name:Etorofu",
)

SOURCE: Question[str, SourceAnswer] = Question(
    "source",
    "An article behind the citations: title, outlet, date, link and text",
    (Option("article", "Article id as shown in citations, or title words", "ARTICLE"),),
    "article",
    lambda o, _: _required(
        o.get("article"), "Which article? Try `/source 004` — citations show each article's id.", 120
    ),
    source,
    example="/source article:004",
)


async def _about(facts: Facts, _: None) -> AboutAnswer:
    return await about(facts)


ABOUT: Question[None, AboutAnswer] = Question(
    "about", "What this bot is and which articles it knows", (), None, lambda o, _: None, _about
)

CHECK: Question[CheckQuery, CheckAnswer] = Question(
    "check",
    "Is a quotation in the sources: word for word, changed, cut, or said by someone else?",
    (
        Option("text", "The quotation to check (quotation marks optional)", "TEXT"),
        Option("speaker", "Who it is said to be by", "NAME"),
    ),
    "text",
    lambda o, _: CheckQuery.parse(o.get("text"), o.get("speaker")),
    check,
    example='/check text:"We both do not want this to drag out" speaker:Abe',
)

DAILY_PREVIEW: Question[DailyPreviewQuery, DailyPreviewAnswer] = Question(
    "daily preview",
    "Show the snippet that would be posted next",
    (
        Option("date", "Local date, YYYY-MM-DD (default: today)", "DATE"),
        Option("timezone", "Time zone, e.g. Asia/Tokyo", "ZONE"),
    ),
    "date",
    # `now` is not an option anyone types: a surface with its own clock (the bot's) passes it.
    lambda o, _: DailyPreviewQuery.parse(o.get("date"), o.get("timezone"), now=o.get("now")),
    daily_preview,
    example="/daily preview date:2026-10-19 timezone:Asia/Tokyo",
)

# Commands only a Discord server has: they set up posts to its channels. `/help` lists them with the rest.
DISCORD_ONLY: tuple[CommandHelp, ...] = (
    CommandHelp(
        "/daily subscribe channel:CHANNEL time:HH:MM timezone:ZONE",
        "Post a daily history snippet to a channel (needs Manage Server)",
        "/daily subscribe channel:#history time:09:00 timezone:Asia/Tokyo",
        discord_only=True,
    ),
    CommandHelp(
        "/daily unsubscribe channel:CHANNEL",
        "Stop the daily snippet in a channel (needs Manage Server)",
        "/daily unsubscribe channel:#history",
        discord_only=True,
    ),
    CommandHelp(
        "Check quotes (message menu)",
        "Checks the quotations in a message, at most five (all of it when it quotes none); only you see "
        "the answer",
        "right-click a message → Apps → Check quotes",
        discord_only=True,
    ),
    CommandHelp(
        "/daily status",
        "Show this server's daily snippet subscriptions",
        "/daily status",
        discord_only=True,
    ),
)


def _help_query(options: RawOptions) -> HelpQuery:
    """Every command (this one last) and the links a surface passes from its settings as `links`."""
    links = tuple(link for link in options.get("links") or () if isinstance(link, Link))
    commands = [q.help for q in QUESTIONS.values() if q is not HELP]
    return HelpQuery((*commands, *DISCORD_ONLY, HELP.help), links)


HELP: Question[HelpQuery, HelpAnswer] = Question(
    "help",
    "Every command with an example, where the facts come from, and what the bot keeps",
    (),
    None,
    lambda o, _: _help_query(o),
    help_answer,
)

QUESTIONS: dict[str, Question[Any, Any]] = {
    q.name: q for q in (TIMELINE, QUOTE, ISLAND, SOURCE, ABOUT, CHECK, DAILY_PREVIEW, HELP)
}
