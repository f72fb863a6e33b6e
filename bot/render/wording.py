"""What an answer with nothing to show says, written once for every surface.

The Discord embeds, the terminal views and the console all take their wording from here; each surface only
says how it quotes what a user typed (Discord makes it inert, the terminal makes it printable).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.answers import (
    AboutAnswer,
    CheckAnswer,
    CheckResult,
    IslandAnswer,
    QueryError,
    QuoteAnswer,
    SourceAnswer,
    TimelineAnswer,
    TimelineQuery,
)
from bot.answers.daily import DailySnippet
from bot.answers.islands import Background
from bot.render.locales import ENGLISH, N_, translate
from bot.render.text import date_label

Quoted = Callable[[str], str]  # how a surface quotes what a user typed ('“…”', made inert for Discord)

# English; each surface shows them through `translate`.
NO_ISLAND_FACTS = N_("No facts about it in the articles yet.")
PRIVATE_HINT = N_("Add `private:True` to an answer command and only you see the answer.")


ABOUT_TITLE = N_("Kuril Islands fact bot")
ABOUT = N_(
    "Cited facts about the Japan–Russia peace treaty and the Kuril Islands (Northern Territories) dispute, "
    "extracted from news articles. Every answer names its sources: outlet, date, link and the exact "
    "passage; `/source` shows any article in full."
)


def about_counts(answer: AboutAnswer, locale: str = ENGLISH, *, bold: Quoted = str) -> str:
    """'5 articles · 20 dated events · 17 quotes from 6 speakers · 19 island facts'; `bold` marks each
    figure as the surface shows it."""
    c = answer.counts
    return translate(
        locale,
        "{articles} articles · {events} dated events · {quotes} quotes from {speakers} speakers · "
        "{island_facts} island facts",
        articles=bold(str(c.articles)),
        events=bold(str(c.events)),
        quotes=bold(str(c.quotes)),
        speakers=bold(str(answer.speakers)),
        island_facts=bold(str(c.island_facts)),
    )


def query_error(error: QueryError, locale: str = ENGLISH) -> str:
    """Why a query cannot be answered, in the locale's language."""
    return translate(locale, error.template, **error.params)


def background_note(background: Background, locale: str = ENGLISH) -> str:
    """Where an island's curated description comes from: it is background, not a cited fact."""
    return translate(locale, "Background from {source}", source=background.source)


def group_heading(group: str, locale: str = ENGLISH) -> str:
    """The heading over the facts of a group an island belongs to: they speak of the group, not the island."""
    return translate(locale, "Group facts: {group}", group=group)


def island_footer(answer: IslandAnswer, locale: str = ENGLISH) -> str:
    """'4 facts about Shikotan, 7 about its groups'."""
    name = answer.island.name if answer.island else answer.query
    count = len(answer.facts)
    if count == 1:
        own = translate(locale, "{count} fact about {name}", count=count, name=name)
    else:
        own = translate(locale, "{count} facts about {name}", count=count, name=name)
    if not answer.groups:
        return own
    return own + translate(locale, ", {count} about its groups", count=answer.group_fact_count)


@dataclass(frozen=True, slots=True)
class Nothing:
    """What an answer with nothing to show says, on every surface: a short title, then one sentence."""

    title: str
    detail: str


def no_snippet(locale: str = ENGLISH) -> Nothing:
    """What the daily preview says when the store has no dated events."""
    return Nothing(
        translate(locale, "Nothing to post"), translate(locale, "The fact store has no dated events yet.")
    )


NO_SNIPPET = no_snippet()


def snippet_title(snippet: DailySnippet, locale: str = ENGLISH) -> str:
    """'On this day in 1956' for a fact of that month and day, else 'From the history: 19 October 1956'."""
    e = snippet.event
    if snippet.on_this_day:
        return translate(locale, "On this day in {year}", year=e.date.year)
    return translate(locale, "From the history: {date}", date=date_label(e.date, locale))


def timeline_scope(query: TimelineQuery, quoted: Quoted, locale: str = ENGLISH) -> str:
    """'1956–1960 about “declaration”': the years and the topic a timeline was asked for ('' for all)."""
    parts = []
    if query.from_year or query.to_year:
        parts.append(f"{query.from_year or '…'}–{query.to_year or '…'}")
    if query.about:
        parts.append(translate(locale, "about {topic}", topic=quoted(query.about)))
    return " ".join(parts)


def nothing_found(
    answer: TimelineAnswer | QuoteAnswer | IslandAnswer | SourceAnswer | CheckAnswer,
    quoted: Quoted,
    locale: str = ENGLISH,
) -> Nothing | None:
    """What to say when `answer` has nothing to show; None when it has something."""

    def t(text: str, /, **params: object) -> str:
        return translate(locale, text, **params)

    if isinstance(answer, TimelineAnswer) and not answer.events:
        scope = timeline_scope(answer.query, quoted, locale)
        return Nothing(
            t("No dated events match"),
            t("Nothing matched {scope}.", scope=scope) if scope else t("Nothing matched."),
        )
    if isinstance(answer, QuoteAnswer) and not answer.quotes:
        if answer.query.speaker and answer.speaker is None:
            return Nothing(
                t("No such speaker"),
                t("Nobody called {name} is quoted in the articles.", name=quoted(answer.query.speaker)),
            )
        return Nothing(t("No quotes match"), t("Try fewer or other words."))
    if isinstance(answer, IslandAnswer) and answer.island is None:
        return Nothing(
            t("No such island"), t("No island called {name} in the gazetteer.", name=quoted(answer.query))
        )
    if isinstance(answer, CheckAnswer) and not answer.results:
        return Nothing(t("Nothing to check"), t("The message has no words to check."))
    if isinstance(answer, SourceAnswer) and answer.article is None:
        return Nothing(
            t("No such article"),
            t(
                "No article matches {query}. Citations name articles by id, e.g. `004_ca3b18b3347b43dc`.",
                query=quoted(answer.query),
            ),
        )
    return None


# A check's verdicts as every surface names them. "Not in the sources" is all the bot can know: never
# "false" or "fake", since a real quotation may simply be missing from these articles.
VERDICT_TITLES = {
    "verbatim": N_("Verbatim"),
    "trimmed": N_("Trimmed"),
    "altered": N_("Altered"),
    "other speaker": N_("Said by someone else"),
    "not in the sources": N_("Not in the sources"),
}


def verdict_title(verdict: str, locale: str = ENGLISH) -> str:
    """A verdict as a heading: 'Verbatim', 'Said by someone else' …"""
    return translate(locale, VERDICT_TITLES[verdict])


def verdict_explanation(result: CheckResult, articles: int, quoted: Quoted, locale: str = ENGLISH) -> str:
    """One or two sentences saying what the verdict means for this quotation."""

    def t(text: str, /, **params: object) -> str:
        return translate(locale, text, **params)

    q = result.quote
    match result.verdict:
        case "verbatim":
            return t("These words are in the sources, word for word.")
        case "trimmed":
            return t("These words are part of a longer quotation; what was left out is shown.")
        case "altered":
            text = t("A source says nearly this; the words that differ are listed.")
            if result.flips_meaning:
                text += " " + t("A negation was added or dropped: the meaning is turned around.")
            return text
        case "other speaker":
            said_by = quoted(q.speaker) if q else t("someone else")
            claimed = quoted(result.claimed_speaker) if result.claimed_speaker else t("the speaker named")
            return t(
                "These words are in the sources, but {said_by} said them, not {claimed}.",
                said_by=said_by,
                claimed=claimed,
            )
    return t(
        "Nothing close to these words in the {articles} articles searched. "
        "That is all it means: a quotation can be real and simply not in these articles.",
        articles=f"{articles:,}",
    )


def change_lines(result: CheckResult, quoted: Quoted, locale: str = ENGLISH) -> list[str]:
    """The differences between the quotation and the source, one line each."""

    def t(text: str, /, **params: object) -> str:
        return translate(locale, text, **params)

    lines = []
    for c in result.changes:
        if c.op == "changed":
            said = quoted(c.said)
            lines.append(
                t("changed: {claimed} where the source says {said}", claimed=quoted(c.claimed), said=said)
            )
        elif c.op == "added":
            lines.append(t("added: {claimed} is not in the source", claimed=quoted(c.claimed)))
        else:
            lines.append(t("dropped: the source also says {said}", said=quoted(c.said)))
    if result.left_out_before:
        lines.append(t("left out before: {text}", text=quoted("… " + result.left_out_before)))
    if result.left_out_after:
        lines.append(t("left out after: {text}", text=quoted(result.left_out_after + " …")))
    return lines
