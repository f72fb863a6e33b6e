"""What an answer with nothing to show says, written once for every surface.

The Discord embeds, the terminal views and the console all take their wording from here; each surface only
says how it quotes what a user typed (Discord makes it inert, the terminal makes it printable).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.answers import (
    CheckAnswer,
    CheckResult,
    IslandAnswer,
    QuoteAnswer,
    SourceAnswer,
    TimelineAnswer,
    TimelineQuery,
)
from bot.answers.daily import DailySnippet
from bot.answers.islands import Background
from bot.render.text import date_label

Quoted = Callable[[str], str]  # how a surface quotes what a user typed ('“…”', made inert for Discord)

NO_ISLAND_FACTS = "No facts about it in the articles yet."
PRIVATE_HINT = "Add `private:True` to an answer command and only you see the answer."


def background_note(background: Background) -> str:
    """Where an island's curated description comes from: it is background, not a cited fact."""
    return f"Background from {background.source}"


def group_heading(group: str) -> str:
    """The heading over the facts of a group an island belongs to: they speak of the group, not the island."""
    return f"Group facts: {group}"


def island_footer(answer: IslandAnswer) -> str:
    """'4 facts about Shikotan, 7 about its groups'."""
    name = answer.island.name if answer.island else answer.query
    own = f"{len(answer.facts)} fact{'s' if len(answer.facts) != 1 else ''} about {name}"
    return own + (f", {answer.group_fact_count} about its groups" if answer.groups else "")


@dataclass(frozen=True, slots=True)
class Nothing:
    """What an answer with nothing to show says, on every surface: a short title, then one sentence."""

    title: str
    detail: str


NO_SNIPPET = Nothing("Nothing to post", "The fact store has no dated events yet.")


def snippet_title(snippet: DailySnippet) -> str:
    """'On this day in 1956' for a fact of that month and day, else 'From the history: 19 October 1956'."""
    e = snippet.event
    return (
        f"On this day in {e.date.year}" if snippet.on_this_day else f"From the history: {date_label(e.date)}"
    )


def timeline_scope(query: TimelineQuery, quoted: Quoted) -> str:
    """'1956–1960 about “declaration”': the years and the topic a timeline was asked for ('' for all)."""
    parts = []
    if query.from_year or query.to_year:
        parts.append(f"{query.from_year or '…'}–{query.to_year or '…'}")
    if query.about:
        parts.append(f"about {quoted(query.about)}")
    return " ".join(parts)


def nothing_found(
    answer: TimelineAnswer | QuoteAnswer | IslandAnswer | SourceAnswer | CheckAnswer, quoted: Quoted
) -> Nothing | None:
    """What to say when `answer` has nothing to show; None when it has something."""
    if isinstance(answer, TimelineAnswer) and not answer.events:
        scope = timeline_scope(answer.query, quoted)
        return Nothing("No dated events match", f"Nothing matched {scope}." if scope else "Nothing matched.")
    if isinstance(answer, QuoteAnswer) and not answer.quotes:
        if answer.query.speaker and answer.speaker is None:
            return Nothing(
                "No such speaker", f"Nobody called {quoted(answer.query.speaker)} is quoted in the articles."
            )
        return Nothing("No quotes match", "Try fewer or other words.")
    if isinstance(answer, IslandAnswer) and answer.island is None:
        return Nothing("No such island", f"No island called {quoted(answer.query)} in the gazetteer.")
    if isinstance(answer, CheckAnswer) and not answer.results:
        return Nothing("Nothing to check", "The message has no words to check.")
    if isinstance(answer, SourceAnswer) and answer.article is None:
        return Nothing(
            "No such article",
            f"No article matches {quoted(answer.query)}. Citations name articles by id, "
            "e.g. `004_ca3b18b3347b43dc`.",
        )
    return None


# A check's verdicts as every surface names them. "Not in the sources" is all the bot can know: never
# "false" or "fake", since a real quotation may simply be missing from these articles.
VERDICT_TITLES = {
    "verbatim": "Verbatim",
    "trimmed": "Trimmed",
    "altered": "Altered",
    "other speaker": "Said by someone else",
    "not in the sources": "Not in the sources",
}


def verdict_explanation(result: CheckResult, articles: int, quoted: Quoted) -> str:
    """One or two sentences saying what the verdict means for this quotation."""
    q = result.quote
    match result.verdict:
        case "verbatim":
            return "These words are in the sources, word for word."
        case "trimmed":
            return "These words are part of a longer quotation; what was left out is shown."
        case "altered":
            text = "A source says nearly this; the words that differ are listed."
            if result.flips_meaning:
                text += " A negation was added or dropped: the meaning is turned around."
            return text
        case "other speaker":
            said_by = quoted(q.speaker) if q else "someone else"
            claimed = quoted(result.claimed_speaker) if result.claimed_speaker else "the speaker named"
            return f"These words are in the sources, but {said_by} said them, not {claimed}."
    return (
        f"Nothing close to these words in the {articles:,} articles searched. "
        "That is all it means: a quotation can be real and simply not in these articles."
    )


def change_lines(result: CheckResult, quoted: Quoted) -> list[str]:
    """The differences between the quotation and the source, one line each."""
    lines = []
    for c in result.changes:
        if c.op == "changed":
            lines.append(f"changed: {quoted(c.claimed)} where the source says {quoted(c.said)}")
        elif c.op == "added":
            lines.append(f"added: {quoted(c.claimed)} is not in the source")
        else:
            lines.append(f"dropped: the source also says {quoted(c.said)}")
    if result.left_out_before:
        lines.append(f"left out before: {quoted('… ' + result.left_out_before)}")
    if result.left_out_after:
        lines.append(f"left out after: {quoted(result.left_out_after + ' …')}")
    return lines
