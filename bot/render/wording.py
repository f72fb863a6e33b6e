"""What an answer with nothing to show says, written once for every surface.

The Discord embeds, the terminal views and the console all take their wording from here; each surface only
says how it quotes what a user typed (Discord makes it inert, the terminal makes it printable).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.answers import IslandAnswer, QuoteAnswer, SourceAnswer, TimelineAnswer, TimelineQuery
from bot.answers.islands import Background

Quoted = Callable[[str], str]  # how a surface quotes what a user typed ('“…”', made inert for Discord)

NO_ISLAND_FACTS = "No facts about it in the articles yet."


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


def timeline_scope(query: TimelineQuery, quoted: Quoted) -> str:
    """'1956–1960 about “declaration”': the years and the topic a timeline was asked for ('' for all)."""
    parts = []
    if query.from_year or query.to_year:
        parts.append(f"{query.from_year or '…'}–{query.to_year or '…'}")
    if query.about:
        parts.append(f"about {quoted(query.about)}")
    return " ".join(parts)


def nothing_found(
    answer: TimelineAnswer | QuoteAnswer | IslandAnswer | SourceAnswer, quoted: Quoted
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
    if isinstance(answer, SourceAnswer) and answer.article is None:
        return Nothing(
            "No such article",
            f"No article matches {quoted(answer.query)}. Citations name articles by id, "
            "e.g. `004_ca3b18b3347b43dc`.",
        )
    return None
