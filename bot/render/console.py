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
from bot.render.text import Citations, citation_label, date_label, printable, speaker_line
from bot.render.wording import (
    NO_ISLAND_FACTS,
    NO_SNIPPET,
    VERDICT_TITLES,
    Nothing,
    background_note,
    change_lines,
    group_heading,
    island_footer,
    nothing_found,
    snippet_title,
    verdict_explanation,
)

# Everything an article, its metadata or a user supplied goes through `printable` (as `_p` here): a
# terminal acts on escape sequences, and article text must never retitle, clear or rewrite the screen.
_p = printable


def _sources_block(cites: Citations) -> RenderableType:
    lines = Text()
    for n, c in enumerate(cites.order, 1):
        lines.append(f"[{n}] ", style="bold")
        lines.append(_p(citation_label(c)))
        if c.url:
            lines.append(f"\n    {_p(c.url, one_line=True)}", style="cyan")
        lines.append("\n")
    return Panel(lines, title="Sources", title_align="left", border_style="dim")


def _quoted(typed: str) -> str:
    return f"“{typed}”"


def _empty(nothing: Nothing, suggestions: list[str]) -> RenderableType:
    text = Text(_p(f"{nothing.title}. {nothing.detail}"), style="yellow")
    if suggestions:
        text.append(_p("\nDid you mean: " + ", ".join(suggestions) + "?"), style="italic")
    return text


def answer_view(answer: Answer) -> RenderableType:
    """The terminal rendering of any answer."""
    match answer:
        case TimelineAnswer():
            return timeline_view(answer)
        case QuoteAnswer():
            return quotes_view(answer)
        case IslandAnswer():
            return island_view(answer)
        case SourceAnswer():
            return source_view(answer)
        case AboutAnswer():
            return about_view(answer)
        case CheckAnswer():
            return check_view(answer)
        case HelpAnswer():
            return help_view(answer)
        case DailyPreviewAnswer():
            return daily_preview_view(answer)
    raise TypeError(type(answer).__name__)


def timeline_view(answer: TimelineAnswer) -> RenderableType:
    if nothing := nothing_found(answer, _quoted):
        return _empty(nothing, answer.suggestions)
    cites = Citations()
    table = Table(show_header=True, header_style="bold", expand=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Event")
    for e in answer.events:
        table.add_row(date_label(e.date), Text(_p(e.text) + " ") + Text(cites.marks(e.sources), style="bold"))
    heading = f"Timeline — {len(answer.events)} of {answer.total} events"
    if answer.corrected:
        heading += f" (searched for: {answer.corrected})"
    return Group(Text(_p(heading), style="bold"), table, _sources_block(cites))


def quotes_view(answer: QuoteAnswer) -> RenderableType:
    if nothing := nothing_found(answer, _quoted):
        return _empty(nothing, answer.suggestions)
    cites = Citations()
    parts: list[RenderableType] = []
    for q in answer.quotes:
        body = Text(_p(f"“{q.text}”"), style="italic")
        body.append(_p(f"\n— {speaker_line(q)}, {date_label(q.date)} "))
        body.append(cites.marks(q.sources), style="bold")
        if q.partial:
            body.append("  (partial quote)", style="dim")
        parts.append(Panel(body, border_style="blue"))
    return Group(*parts, _sources_block(cites))


def _island_table(facts: list[IslandFact], cites: Citations, title: str | None = None) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        show_header=True,
        header_style="bold",
        expand=True,
    )
    table.add_column("Date", no_wrap=True)
    table.add_column("Fact")
    for f in facts:
        table.add_row(date_label(f.date), Text(_p(f.text) + " ") + Text(cites.marks(f.sources), style="bold"))
    return table


def island_view(answer: IslandAnswer) -> RenderableType:
    if nothing := nothing_found(answer, _quoted):
        return _empty(nothing, answer.suggestions)
    i = answer.island
    assert i is not None  # else there would be nothing to show
    cites = Citations()
    head = Text(_p(i.name), style="bold")
    head.append(_p(f"  ({', '.join(i.aliases[:8])})"), style="dim")
    if answer.background:
        # Curated, not from an article: shown apart from the facts, with where it comes from.
        head.append("\n" + _p(answer.background.text), style="italic")
        head.append("\n" + _p(background_note(answer.background)), style="dim")
    parts: list[RenderableType] = [head]
    parts.append(
        _island_table(answer.facts, cites) if answer.facts else Text(NO_ISLAND_FACTS, style="yellow")
    )
    parts += [_island_table(g.facts, cites, _p(group_heading(g.group))) for g in answer.groups]
    if cites.order:
        parts.append(_sources_block(cites))
    parts.append(Text(_p(island_footer(answer)), style="dim"))
    return Group(*parts)


def source_view(answer: SourceAnswer) -> RenderableType:
    if nothing := nothing_found(answer, _quoted):
        return _empty(nothing, answer.suggestions)
    a = answer.article
    assert a is not None  # else there would be nothing to show
    head = Text(_p(a.title, one_line=True), style="bold")
    head.append(
        "\n"
        + _p(
            f"{a.outlet or 'Unknown outlet'} · {a.published.iso() if a.published else 'date unknown'}"
            f" · {a.article_id}",
            one_line=True,
        )
    )
    if a.url:
        head.append(f"\n{_p(a.url, one_line=True)}", style="cyan")
    if a.published_note:
        head.append(f"\nDate: {_p(a.published_note, one_line=True)}", style="dim")
    return Group(head, Text(""), Text(_p("\n\n".join(answer.paragraphs))))


def about_view(answer: AboutAnswer) -> RenderableType:
    c = answer.counts
    text = Text.from_markup(
        "[bold]Kuril Islands fact bot[/bold]: cited facts about the Japan–Russia peace treaty and the Kuril "
        "Islands (Northern Territories) dispute, extracted from news articles. Every answer names its source.\n"
        f"{c.articles} articles · {c.events} dated events · {c.quotes} quotes from {answer.speakers} speakers · "
        f"{c.island_facts} island facts\n"
    )
    table = Table("Article", "Outlet", "Published", "Title", expand=True)
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
        parts.append(Text("Skipped: " + _p(skipped, one_line=True), style="yellow"))
    return Group(*parts)


_VERDICT_STYLES = {
    "verbatim": "green",
    "trimmed": "yellow",
    "altered": "yellow",
    "other speaker": "magenta",
    "not in the sources": "dim",
}


def check_view(answer: CheckAnswer) -> RenderableType:
    """Each checked quotation: its verdict, what the sources say and how it differs."""
    if nothing := nothing_found(answer, _quoted):
        return _empty(nothing, answer.suggestions)
    cites = Citations()
    parts: list[RenderableType] = []
    for r in answer.results:
        body = Text(_p(VERDICT_TITLES[r.verdict]), style=f"bold {_VERDICT_STYLES[r.verdict]}")
        body.append(_p(f"  “{r.claimed}”"), style="italic")
        if r.claimed_speaker:
            body.append(_p(f" — as {r.claimed_speaker}'s"), style="dim")
        body.append("\n" + _p(verdict_explanation(r, answer.articles, _quoted)))
        if r.quote is not None:
            q = r.quote
            body.append(_p(f"\nThe source: “{q.text}”"), style="italic")
            body.append(_p(f"\n— {speaker_line(q)}, {date_label(q.date)} "))
            body.append(cites.marks(q.sources), style="bold")
        for line in change_lines(r, _quoted):
            body.append("\n  • " + _p(line))
        parts.append(Panel(body, border_style=_VERDICT_STYLES[r.verdict]))
    if answer.suggestions:
        parts.append(
            Text(_p("No such speaker. Did you mean: " + ", ".join(answer.suggestions) + "?"), style="italic")
        )
    if cites.order:
        parts.append(_sources_block(cites))
    return Group(*parts)


def help_view(answer: HelpAnswer) -> RenderableType:
    table = Table("Command", "What it does", "Example", expand=True)
    for c in answer.commands:
        table.add_row(
            Text(c.usage, style="bold"),
            c.description + (" — Discord servers only" if c.discord_only else ""),
            Text(c.example, style="cyan"),
        )
    corpus = f"{answer.articles} articles"
    if answer.first_published and answer.last_published:
        corpus += f" published {answer.first_published} to {answer.last_published}"
    if answer.outlets:
        corpus += (
            " from " + ", ".join(answer.outlets[:8]) + (" and others" if len(answer.outlets) > 8 else "")
        )
    parts: list[RenderableType] = [
        Text("Kuril Islands fact bot — help", style="bold"),
        table,
        Text("Sources", style="bold"),
        Text(_p(f"{answer.sources} Now: {corpus}.")),
        Text("How facts are extracted", style="bold"),
        Text(answer.extraction),
        Text("Privacy", style="bold"),
        Text(answer.privacy),
    ]
    if answer.links:
        parts.append(Text("Links", style="bold"))
        parts.append(Text("\n".join(_p(f"{link.label}: {link.url}", one_line=True) for link in answer.links)))
    return Group(*parts)


def daily_preview_view(answer: DailyPreviewAnswer) -> RenderableType:
    snippet = answer.snippet
    if snippet is None:
        return _empty(NO_SNIPPET, [])
    cites = Citations()
    e = snippet.event
    head = Text(f"Daily snippet for {answer.local_date.isoformat()} ({answer.query.timezone})\n", style="dim")
    head.append(snippet_title(snippet) + "\n", style="bold")
    head.append(_p(e.text) + " ")
    head.append(cites.marks(e.sources), style="bold")
    return Group(head, _sources_block(cites), Text(f"fact {snippet.key}", style="dim"))
