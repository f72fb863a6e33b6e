"""Answers rendered for a terminal with rich: the same content the Discord embeds show."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.answers import (
    AboutAnswer,
    Answer,
    CheckAnswer,
    DailyPreviewAnswer,
    HelpAnswer,
    IslandAnswer,
    QuoteAnswer,
    SourceAnswer,
    TimelineAnswer,
)
from bot.models import IslandFact
from bot.render.locales import ENGLISH, translate
from bot.render.text import Citations, citation_label, date_label, printable, speaker_line
from bot.render.wording import (
    ABOUT,
    ABOUT_TITLE,
    NO_ISLAND_FACTS,
    Nothing,
    about_counts,
    background_note,
    change_lines,
    group_heading,
    island_footer,
    no_snippet,
    nothing_found,
    snippet_title,
    verdict_explanation,
    verdict_title,
)

# Everything an article, its metadata or a user supplied goes through `printable` (as `_p` here): a
# terminal acts on escape sequences, and article text must never retitle, clear or rewrite the screen.
_p = printable


def _sources_block(cites: Citations, locale: str) -> RenderableType:
    lines = Text()
    for n, c in enumerate(cites.order, 1):
        lines.append(f"[{n}] ", style="bold")
        lines.append(_p(citation_label(c, locale)))
        if c.url:
            lines.append(f"\n    {_p(c.url, one_line=True)}", style="cyan")
        lines.append("\n")
    return Panel(lines, title=translate(locale, "Sources"), title_align="left", border_style="dim")


def _quoted(typed: str) -> str:
    return f"“{typed}”"


def _empty(nothing: Nothing, suggestions: list[str], locale: str) -> RenderableType:
    text = Text(_p(f"{nothing.title}. {nothing.detail}"), style="yellow")
    if suggestions:
        names = ", ".join(suggestions)
        text.append(_p("\n" + translate(locale, "Did you mean: {names}?", names=names)), style="italic")
    return text


def answer_view(answer: Answer, locale: str = ENGLISH) -> RenderableType:
    """The terminal rendering of any answer, the bot's wording and the dates in `locale`'s language."""
    match answer:
        case TimelineAnswer():
            return timeline_view(answer, locale)
        case QuoteAnswer():
            return quotes_view(answer, locale)
        case IslandAnswer():
            return island_view(answer, locale)
        case SourceAnswer():
            return source_view(answer, locale)
        case AboutAnswer():
            return about_view(answer, locale)
        case CheckAnswer():
            return check_view(answer, locale)
        case HelpAnswer():
            return help_view(answer, locale)
        case DailyPreviewAnswer():
            return daily_preview_view(answer, locale)
    raise TypeError(type(answer).__name__)


def timeline_view(answer: TimelineAnswer, locale: str = ENGLISH) -> RenderableType:
    if nothing := nothing_found(answer, _quoted, locale):
        return _empty(nothing, answer.suggestions, locale)
    cites = Citations()
    table = Table(show_header=True, header_style="bold", expand=True)
    table.add_column(translate(locale, "Date"), no_wrap=True)
    table.add_column(translate(locale, "Event"))
    for e in answer.events:
        table.add_row(
            date_label(e.date, locale), Text(_p(e.text) + " ") + Text(cites.marks(e.sources), style="bold")
        )
    heading = translate(
        locale, "Timeline — {shown} of {total} events", shown=len(answer.events), total=answer.total
    )
    if answer.corrected:
        heading += " " + translate(locale, "(searched for: {text})", text=answer.corrected)
    return Group(Text(_p(heading), style="bold"), table, _sources_block(cites, locale))


def quotes_view(answer: QuoteAnswer, locale: str = ENGLISH) -> RenderableType:
    if nothing := nothing_found(answer, _quoted, locale):
        return _empty(nothing, answer.suggestions, locale)
    cites = Citations()
    parts: list[RenderableType] = []
    for q in answer.quotes:
        body = Text(_p(f"“{q.text}”"), style="italic")
        body.append(_p(f"\n— {speaker_line(q)}, {date_label(q.date, locale)} "))
        body.append(cites.marks(q.sources), style="bold")
        if q.partial:
            body.append("  " + translate(locale, "(partial quote)"), style="dim")
        parts.append(Panel(body, border_style="blue"))
    return Group(*parts, _sources_block(cites, locale))


def _island_table(facts: list[IslandFact], cites: Citations, locale: str, title: str | None = None) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        show_header=True,
        header_style="bold",
        expand=True,
    )
    table.add_column(translate(locale, "Date"), no_wrap=True)
    table.add_column(translate(locale, "Fact"))
    for f in facts:
        table.add_row(
            date_label(f.date, locale), Text(_p(f.text) + " ") + Text(cites.marks(f.sources), style="bold")
        )
    return table


def island_view(answer: IslandAnswer, locale: str = ENGLISH) -> RenderableType:
    if nothing := nothing_found(answer, _quoted, locale):
        return _empty(nothing, answer.suggestions, locale)
    i = answer.island
    assert i is not None  # else there would be nothing to show
    cites = Citations()
    head = Text(_p(i.name), style="bold")
    head.append(_p(f"  ({', '.join(i.aliases[:8])})"), style="dim")
    if answer.background:
        # Curated, not from an article: shown apart from the facts, with where it comes from.
        head.append("\n" + _p(answer.background.text), style="italic")
        head.append("\n" + _p(background_note(answer.background, locale)), style="dim")
    parts: list[RenderableType] = [head]
    parts.append(
        _island_table(answer.facts, cites, locale)
        if answer.facts
        else Text(translate(locale, NO_ISLAND_FACTS), style="yellow")
    )
    parts += [
        _island_table(g.facts, cites, locale, _p(group_heading(g.group, locale))) for g in answer.groups
    ]
    if cites.order:
        parts.append(_sources_block(cites, locale))
    parts.append(Text(_p(island_footer(answer, locale)), style="dim"))
    return Group(*parts)


def source_view(answer: SourceAnswer, locale: str = ENGLISH) -> RenderableType:
    if nothing := nothing_found(answer, _quoted, locale):
        return _empty(nothing, answer.suggestions, locale)
    a = answer.article
    assert a is not None  # else there would be nothing to show
    outlet = a.outlet or translate(locale, "Unknown outlet")
    published = a.published.iso() if a.published else translate(locale, "date unknown")
    head = Text(_p(a.title, one_line=True), style="bold")
    head.append("\n" + _p(f"{outlet} · {published} · {a.article_id}", one_line=True))
    if a.url:
        head.append(f"\n{_p(a.url, one_line=True)}", style="cyan")
    if a.published_note:
        note = translate(locale, "Date: {note}", note=_p(a.published_note, one_line=True))
        head.append("\n" + note, style="dim")
    return Group(head, Text(""), Text(_p("\n\n".join(answer.paragraphs))))


def about_view(answer: AboutAnswer, locale: str = ENGLISH) -> RenderableType:
    def t(text: str, /) -> str:
        return translate(locale, text)

    text = Text(t(ABOUT_TITLE), style="bold")
    text.append(f"\n{t(ABOUT)}\n{about_counts(answer, locale)}\n")
    table = Table(t("Article"), t("Outlet"), t("Published"), t("Title"), expand=True)
    for a in answer.articles:
        table.add_row(
            Text(_p(a.article_id, one_line=True)),
            Text(_p(a.outlet or "—", one_line=True)),
            a.published.iso() if a.published else "—",
            Text(_p(a.title, one_line=True)),
        )
    parts: list[RenderableType] = [text, table]
    if answer.skipped:
        skipped = "; ".join(f"{p} ({r})" for p, r in answer.skipped)
        parts.append(
            Text(translate(locale, "Skipped: {files}", files=_p(skipped, one_line=True)), style="yellow")
        )
    return Group(*parts)


_VERDICT_STYLES = {
    "verbatim": "green",
    "trimmed": "yellow",
    "altered": "yellow",
    "other speaker": "magenta",
    "not in the sources": "dim",
}


def check_view(answer: CheckAnswer, locale: str = ENGLISH) -> RenderableType:
    """Each checked quotation: its verdict, what the sources say and how it differs."""
    if nothing := nothing_found(answer, _quoted, locale):
        return _empty(nothing, answer.suggestions, locale)
    cites = Citations()
    parts: list[RenderableType] = []
    for r in answer.results:
        body = Text(_p(verdict_title(r.verdict, locale)), style=f"bold {_VERDICT_STYLES[r.verdict]}")
        body.append(_p(f"  “{r.claimed}”"), style="italic")
        if r.claimed_speaker:
            body.append(
                _p(" — " + translate(locale, "as {speaker}'s", speaker=r.claimed_speaker)), style="dim"
            )
        body.append("\n" + _p(verdict_explanation(r, answer.articles, _quoted, locale)))
        if r.quote is not None:
            q = r.quote
            body.append(_p("\n" + translate(locale, "The source: “{text}”", text=q.text)), style="italic")
            body.append(_p(f"\n— {speaker_line(q)}, {date_label(q.date, locale)} "))
            body.append(cites.marks(q.sources), style="bold")
        for line in change_lines(r, _quoted, locale):
            body.append("\n  • " + _p(line))
        parts.append(Panel(body, border_style=_VERDICT_STYLES[r.verdict]))
    if answer.suggestions:
        names = ", ".join(answer.suggestions)
        parts.append(
            Text(
                _p(translate(locale, "No such speaker. Did you mean: {names}?", names=names)), style="italic"
            )
        )
    if cites.order:
        parts.append(_sources_block(cites, locale))
    return Group(*parts)


def help_view(answer: HelpAnswer, locale: str = ENGLISH) -> RenderableType:
    def t(text: str, /, **params: object) -> str:
        return translate(locale, text, **params)

    table = Table(t("Command"), expand=True)
    # Japanese has no spaces to wrap at: fold it, or the description is cut to one line with an ellipsis.
    table.add_column(t("What it does"), overflow="fold")
    table.add_column(t("Example"))
    for c in answer.commands:
        table.add_row(
            Text(c.usage, style="bold"),
            t(c.description) + (" — " + t("Discord servers only") if c.discord_only else ""),
            Text(c.example, style="cyan"),
        )
    corpus = t("{count} articles", count=answer.articles)
    if answer.first_published and answer.last_published:
        corpus += t(", published {first} to {last}", first=answer.first_published, last=answer.last_published)
    if answer.outlets:
        corpus += t(", from {outlets}", outlets=", ".join(answer.outlets[:8])) + (
            t(" and others") if len(answer.outlets) > 8 else ""
        )
    parts: list[RenderableType] = [
        Text(t("Kuril Islands fact bot — help"), style="bold"),
        table,
        Text(t("Sources"), style="bold"),
        Text(_p(t(answer.sources) + " " + t("Now: {corpus}.", corpus=corpus))),
        Text(t("How facts are extracted"), style="bold"),
        Text(t(answer.extraction)),
        Text(t("Privacy"), style="bold"),
        Text(t(answer.privacy)),
    ]
    if answer.links:
        parts.append(Text(t("Links"), style="bold"))
        parts.append(Text("\n".join(_p(f"{link.label}: {link.url}", one_line=True) for link in answer.links)))
    return Group(*parts)


def daily_preview_view(answer: DailyPreviewAnswer, locale: str = ENGLISH) -> RenderableType:
    snippet = answer.snippet
    if snippet is None:
        return _empty(no_snippet(locale), [], locale)
    cites = Citations()
    e = snippet.event
    heading = translate(
        locale,
        "Daily snippet for {date} ({timezone})",
        date=answer.local_date.isoformat(),
        timezone=answer.query.timezone,
    )
    head = Text(heading + "\n", style="dim")
    head.append(snippet_title(snippet, locale) + "\n", style="bold")
    head.append(_p(e.text) + " ")
    head.append(cites.marks(e.sources), style="bold")
    return Group(
        head,
        _sources_block(cites, locale),
        Text(translate(locale, "fact {key}", key=snippet.key), style="dim"),
    )
