"""`/help`: every command with an example, where the facts come from, how they are extracted, what is kept.

The commands themselves come from the question table (`bot.answers.questions`), which hands them over in
the query, with the links the operator configured; this module says the rest, once for every surface.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.answers.base import Facts

# How facts get from an article to an answer; `/about` says the same.
EXTRACTION = (
    "Page furniture is stripped; sentences are split with news-aware rules. Quotes are direct quotations "
    "whose speaker is resolved from a name, a pronoun or a role description in the same article; "
    "unattributable quotes are dropped. Dates are found by a date grammar; relative dates (“last "
    "December”) are resolved against the article's publication date, never guessed. The same fact in "
    "several articles is one fact with every source."
)

# What the bot keeps, and what it does not. The figures are those of `bot.discord.paging` (a test holds
# them to it).
PRIVACY = (
    "The bot keeps only two things. Daily-snippet subscriptions: the server, channel, time and timezone, "
    "who set it up, and a log of what was posted where. The options of answers that have page buttons "
    "(such as a timeline's years and topic), so the buttons keep working after a restart: the 1,000 most "
    "recent, none for more than 30 days after it was last asked. It does not read or keep what members "
    "write: it has no access to message content, except a message a member asks it to check with the "
    "Check quotes menu, which it reads for that answer and keeps nothing of; it stores nothing about "
    "members beyond the user id of "
    "whoever set up a subscription. Page buttons carry the asker's user id (on the message, not in the "
    "bot's storage) so that only they turn its pages. After a crash while posting a snippet, it looks "
    "through the channel's last 25 messages for its own post, to post it exactly once, and keeps nothing "
    "of them."
)

SOURCES = (
    "Every fact comes from news articles about the Japan–Russia peace treaty and the Kuril Islands "
    "dispute, bundled with the bot or added by whoever runs it, and every answer cites them: outlet, date, "
    "link and the exact passage. `/source` shows an article in full, `/about` lists them all."
)


@dataclass(frozen=True, slots=True)
class Link:
    """A link the operator configured, such as the support server."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class CommandHelp:
    """One command as help shows it: how to type it, what it does, an example, where it works."""

    usage: str
    description: str
    example: str
    discord_only: bool = False


@dataclass(frozen=True, slots=True)
class HelpQuery:
    """What `/help` shows besides the corpus: the commands and the configured links."""

    commands: tuple[CommandHelp, ...]
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class HelpAnswer:
    commands: tuple[CommandHelp, ...]
    articles: int
    outlets: tuple[str, ...]  # most articles first
    first_published: str | None  # ISO dates of the oldest and newest dated article
    last_published: str | None
    sources: str
    extraction: str
    privacy: str
    links: tuple[Link, ...]


async def help_answer(facts: Facts, query: HelpQuery) -> HelpAnswer:
    """Every command with an example, the corpus behind the facts, how they are extracted, what is kept."""
    articles = list((await facts.store.articles()).values())
    outlets = Counter(a.outlet for a in articles if a.outlet)
    dates = sorted(a.published.iso() for a in articles if a.published)
    return HelpAnswer(
        commands=query.commands,
        articles=len(articles),
        outlets=tuple(name for name, _ in sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
        sources=SOURCES,
        extraction=EXTRACTION,
        privacy=PRIVACY,
        links=query.links,
    )
