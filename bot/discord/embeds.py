"""Answers as Discord messages: embeds within Discord's limits, article text rendered inert.

Article text is untrusted: it may contain "@everyone", role or user mentions, or markdown that would
break an embed. Every piece of it is escaped here, and every message is also sent with mentions disabled.
Pages are built so that a page always fits; long texts are cut at a word boundary with an ellipsis.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import discord

from bot.answers import (
    AboutAnswer,
    CheckAnswer,
    CheckResult,
    HelpAnswer,
    IslandAnswer,
    QuoteAnswer,
    SourceAnswer,
    TimelineAnswer,
)
from bot.answers.daily import DailySnippet
from bot.answers.help import EXTRACTION
from bot.ingest.loader import usable_url
from bot.models import Event, IslandFact, Quote
from bot.render.locales import ENGLISH, translate
from bot.render.text import Citations, date_label, first_sources, speaker_line
from bot.render.wording import (
    ABOUT,
    ABOUT_TITLE,
    NO_ISLAND_FACTS,
    PRIVATE_HINT,
    Nothing,
    about_counts,
    background_note,
    change_lines,
    group_heading,
    island_footer,
    nothing_found,
    snippet_title,
    timeline_scope,
    verdict_explanation,
    verdict_title,
)

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
CONTENT_MAX = 2000
URL_MAX = 2048
MARKS_MAX = 60  # a fact repeated by hundreds of articles still leaves room for its own text
MARKED_SOURCES = MARKS_MAX // 4  # sources of one fact numbered on a page: more marks would not fit

COLOUR = discord.Colour(0x2B6CB0)
WARN_COLOUR = discord.Colour(0xC05621)
EVENTS_PER_PAGE = 8
FACTS_PER_PAGE = 6
QUOTES_PER_PAGE = 4
SOURCE_CHARS_PER_PAGE = 3000

NO_MENTIONS = discord.AllowedMentions.none()

_MENTION = re.compile(r"@(everyone|here)|<(@[!&]?|#)(\d+)>")
# Markdown Discord reads anywhere in a line, and what it reads only at the start of one. Each character is
# escaped on its own: discord.utils.escape_markdown escapes a "[text](url)" as one match and leaves the
# fences, spoilers and bold inside it live.
_MARKDOWN_ANYWHERE = re.compile(r"[\\*_~|`\[\]<]")
_MARKDOWN_LINE_START = re.compile(r"^([ \t]*)([>#-])", re.MULTILINE)
# A bare link, left unescaped so that it stays clickable; it ends before any character that could open
# markdown after it (a backtick glued to a link would otherwise start a code span).
_URL = re.compile(r"https?://[^\s<>`|*~\[\]\\]+")


def _escape_markdown(text: str) -> str:
    out, last = [], 0
    for m in _URL.finditer(text):  # a bare link stays clickable
        out += [_MARKDOWN_ANYWHERE.sub(r"\\\g<0>", text[last : m.start()]), m.group(0)]
        last = m.end()
    out.append(_MARKDOWN_ANYWHERE.sub(r"\\\g<0>", text[last:]))
    return _MARKDOWN_LINE_START.sub(r"\1\\\2", "".join(out))


def inert(text: str) -> str:
    """Untrusted text made harmless: markdown escaped, mentions broken with a zero-width space."""
    text = _escape_markdown(text)
    text = _MENTION.sub(
        lambda m: "@\u200b" + m.group(1) if m.group(1) else "<\u200b" + m.group(2) + m.group(3) + ">", text
    )
    return text.replace("@", "@\u200b") if "@" in text and "@\u200b" not in text else text


def cut(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[: max(limit - 1, 0)]
    space = head.rfind(" ")
    if space > limit * 0.6:
        head = head[:space]
    # Never end inside an escape sequence ("\\" left dangling would escape the ellipsis).
    head = head.rstrip("\\")
    return head + "…"


def inert_cut(text: str, limit: int) -> str:
    """`inert(text)` within `limit` characters; only the part that can be shown is escaped.

    A manifest title or a quote can be megabytes long, and one answer may cite hundreds of articles.
    """
    return cut(inert(text[: 2 * limit + 1]), limit)


@dataclass(slots=True)
class Page:
    """One message's worth of an answer."""

    embeds: list[discord.Embed] = field(default_factory=list)
    content: str | None = None


class Pages(Sequence[Page]):
    """A paged answer whose pages are rendered when asked for, each once.

    An island named by thousands of articles has thousands of pages, and a slash command sends one of
    them: rendering all of them up front would hold the event loop for seconds.
    """

    __slots__ = ("_count", "_made", "_render", "answer")

    def __init__(self, count: int, render: Callable[[int], Page], answer: object = None) -> None:
        self._count = max(count, 1)
        self._render = render
        self._made: dict[int, Page] = {}
        self.answer = answer  # the answer the pages show, when they show one

    def with_first(self, page: Page) -> Pages:
        """These pages with `page` as the first: the rest are shared, rendered once for both."""
        return Pages(self._count, lambda n: page if n == 0 else self[n], self.answer)

    @classmethod
    def of(cls, *pages: Page) -> Pages:
        """Pages already made."""
        made = list(pages)
        return cls(len(made), made.__getitem__)

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, n: int) -> Page:  # type: ignore[override]
        if not isinstance(n, int):
            raise TypeError("pages are indexed by page number")
        if n < 0:
            n += self._count
        if not 0 <= n < self._count:
            raise IndexError(n)
        if n not in self._made:
            self._made[n] = self._render(n)
        return self._made[n]

    def __iter__(self) -> Iterator[Page]:
        return (self[n] for n in range(self._count))


@functools.lru_cache(maxsize=4096)
def link(url: str | None) -> str | None:
    """`url` when Discord accepts it as a link and it leads where it says (see `usable_url`), else None.

    Kept for the most recent links: an answer's every source line asks, and a burst cites the same few
    thousand articles over and over.
    """
    if (
        not usable_url(url)
        or not url
        or not url.startswith(("http://", "https://"))
        or "<" in url
        or ">" in url
    ):
        return None
    return url


def _code(article_id: str) -> str:
    """An article id as inline code; a backtick in a file name cannot end the code span early."""
    return "`" + article_id.replace("`", "'") + "`"


def _source_lines(
    cites: Citations, used: Iterable[int] | None = None, locale: str = ENGLISH
) -> Iterator[str]:
    wanted = set(used) if used is not None else None
    for n, c in enumerate(cites.order, 1):
        if wanted is not None and n not in wanted:
            continue
        outlet = inert_cut(c.outlet or translate(locale, "Unknown outlet"), 120)
        when = c.published or translate(locale, "date unknown")
        label = f"{outlet}, {when} — “{inert_cut(c.title, 120)}”"
        url = link(c.url)
        yield f"[{n}] {label} {_code(c.article_id)}" + (f"\n<{url}>" if url else "")


def _add_sources_field(
    embed: discord.Embed,
    cites: Citations,
    used: Iterable[int] | None = None,
    unnumbered: int = 0,
    locale: str = ENGLISH,
) -> None:
    """Sources as fields of at most 1024 characters, as many as fit; the rest are counted.

    `unnumbered` counts citations of the page's facts that were not numbered (see `_numbered`).
    """
    total = len(set(used)) if used is not None else len(cites.order)
    room = EMBED_TOTAL_MAX - len(embed) - 60  # what the fields may take, keeping room for the count
    lines: list[str] = []
    shown = 0

    def flush() -> None:
        nonlocal room, shown
        value = "\n".join(lines)
        name = translate(locale, "Sources (cont.)" if shown else "Sources")
        embed.add_field(name=name, value=value, inline=False)
        room -= len(value) + 15
        shown += len(lines)
        lines.clear()

    size = 0  # of the lines not yet in a field, with their separators
    for line in _source_lines(cites, used, locale):
        line = cut(line, FIELD_VALUE_MAX)
        # A fact repeated by hundreds of articles has hundreds of sources: stop once the page is full
        # instead of formatting lines that would be dropped.
        if size + len(line) + 16 > room or len(embed.fields) >= FIELDS_MAX - 1:
            break
        if lines and size + len(line) + 1 > FIELD_VALUE_MAX:
            flush()
            size = 0
        size += len(line) + (1 if lines else 0)
        lines.append(line)
    if lines:
        flush()
    left = total - shown + unnumbered
    if left and len(embed.fields) < FIELDS_MAX:
        embed.add_field(
            name=translate(locale, "More sources"),
            value=translate(locale, "…and {count} more citations; `/source` shows any article.", count=left),
            inline=False,
        )
    _fit(embed)


def _fit(embed: discord.Embed) -> discord.Embed:
    """Trim fields, then the description, until the embed is within the 6000-character total."""
    while len(embed.fields) > FIELDS_MAX:
        embed.remove_field(-1)
    while len(embed) > EMBED_TOTAL_MAX and len(embed.fields) > 1:
        embed.remove_field(-1)
    if len(embed) > EMBED_TOTAL_MAX and embed.description:
        over = len(embed) - EMBED_TOTAL_MAX
        embed.description = cut(embed.description, max(len(embed.description) - over - 1, 1))
    return embed


def _marks(numbers: Iterable[int], more: int = 0) -> str:
    """'[1][3]', shortened to '[1][2]…+40' when a fact has more sources than fit beside it.

    `more` counts sources of the fact that were not numbered at all (see `_numbered`).
    """
    ordered = sorted(set(numbers))
    out = ""
    for k, n in enumerate(ordered):
        mark = f"[{n}]"
        if len(out) + len(mark) > MARKS_MAX - 6:
            return f"{out}…+{len(ordered) - k + more}"
        out += mark
    return f"{out}…+{more}" if more else out


def _numbered(fact: Event | Quote | IslandFact, cites: Citations) -> tuple[list[int], int]:
    """Numbers for the fact's first sources, as many as its marks can show, and how many are left."""
    first, total = first_sources(fact, MARKED_SOURCES)
    return [cites.number(c) for c in first], total - len(first)


def _footer(embed: discord.Embed, text: str) -> None:
    embed.set_footer(text=cut(text, FOOTER_MAX))


class _Chunks(Sequence[Sequence[object]]):
    """`items` in pages of `per_page`, each sliced when asked for (an island may have 2,000 pages)."""

    __slots__ = ("_items", "_per_page")

    def __init__(self, items: Sequence[object], per_page: int) -> None:
        self._items, self._per_page = items, per_page

    def __len__(self) -> int:
        return max(1, -(-len(self._items) // self._per_page))

    def __getitem__(self, n: int) -> Sequence[object]:  # type: ignore[override]
        if not 0 <= n < len(self):
            raise IndexError(n)
        return self._items[n * self._per_page : (n + 1) * self._per_page]


def _paged(items: Sequence[object], per_page: int) -> Sequence[Sequence[object]]:
    return _Chunks(items, per_page)


def not_found(title: str, message: str, suggestions: Sequence[str] = (), locale: str = ENGLISH) -> Page:
    """A friendly 'nothing found' page, with 'did you mean' suggestions.

    `message` is markdown: whatever it quotes from the user or an article must already be `inert`.
    """
    embed = discord.Embed(
        title=inert_cut(title, TITLE_MAX), description=cut(message, DESCRIPTION_MAX), colour=WARN_COLOUR
    )
    shown = [s for s in suggestions if s.strip()]
    if shown:
        embed.add_field(
            name=translate(locale, "Did you mean"),
            value=cut(inert(", ".join(shown)), FIELD_VALUE_MAX),
            inline=False,
        )
    return Page([embed])


def _quoted(typed: str) -> str:
    """What a user typed, quoted in a message: inert, so it shows as typed and never pings."""
    return f"“{inert(typed)}”"


def _nothing(nothing: Nothing, suggestions: Sequence[str], locale: str) -> Pages:
    return Pages.of(not_found(nothing.title, nothing.detail, suggestions, locale))


def _page_footer(n: int, pages: int, locale: str) -> str:
    return translate(locale, "Page {n}/{pages}", n=n, pages=pages)


def _searched_for(corrected: str | None, locale: str) -> str:
    return " · " + translate(locale, "searched for “{text}”", text=corrected) if corrected else ""


def _event_lines(events: Sequence[Event], cites: Citations, locale: str) -> tuple[str, set[int], int]:
    lines, used, unnumbered = [], set(), 0
    budget = (DESCRIPTION_MAX - 200) // max(len(events), 1)
    for e in events:
        numbers, more = _numbered(e, cites)
        used.update(numbers)
        unnumbered += more
        when = date_label(e.date, locale)
        lines.append(f"**{when}** — {inert_cut(e.text, budget - 40)} {_marks(numbers, more)}")
    return cut("\n".join(lines), DESCRIPTION_MAX), used, unnumbered


def timeline_pages(
    answer: TimelineAnswer, per_page: int = EVENTS_PER_PAGE, *, locale: str = ENGLISH
) -> Pages:
    """The timeline, one page per `per_page` events, each page citing its own sources; the bot's wording
    and the dates in `locale`'s language."""
    if nothing := nothing_found(answer, _quoted, locale):
        return _nothing(nothing, answer.suggestions, locale)
    chunks = _paged(answer.events, per_page)

    def render(index: int) -> Page:
        n, chunk = index + 1, chunks[index]
        cites = Citations()
        description, used, unnumbered = _event_lines(list(chunk), cites, locale)  # type: ignore[arg-type]
        embed = discord.Embed(
            title=cut(timeline_title(answer, locale), TITLE_MAX), description=description, colour=COLOUR
        )
        _add_sources_field(embed, cites, used, unnumbered, locale)
        counted = translate(locale, "{shown} of {total} events", shown=len(answer.events), total=answer.total)
        _footer(
            embed,
            f"{_page_footer(n, len(chunks), locale)} · {counted}" + _searched_for(answer.corrected, locale),
        )
        return Page([_fit(embed)])

    return Pages(len(chunks), render, answer)


def timeline_title(answer: TimelineAnswer, locale: str = ENGLISH) -> str:
    """'Timeline 1956–1960 about “declaration”', the heading of a timeline's pages (and of its chart)."""
    scope = timeline_scope(answer.query, _quoted, locale)
    return translate(locale, "Timeline {scope}", scope=scope) if scope else translate(locale, "Timeline")


def _quotes_title(answer: QuoteAnswer, locale: str) -> str:
    speaker, topic = answer.speaker, answer.query.text
    if speaker and topic:
        return translate(locale, "Quotes by {speaker} about “{topic}”", speaker=speaker, topic=topic)
    if speaker:
        return translate(locale, "Quotes by {speaker}", speaker=speaker)
    if topic:
        return translate(locale, "Quotes about “{topic}”", topic=topic)
    return translate(locale, "Quotes")


def quote_pages(answer: QuoteAnswer, per_page: int = QUOTES_PER_PAGE, *, locale: str = ENGLISH) -> Pages:
    """The best matching quotes, each as an embed field with its speaker, date and citation."""
    if nothing := nothing_found(answer, _quoted, locale):
        return _nothing(nothing, answer.suggestions, locale)
    chunks = _paged(answer.quotes, per_page)

    def render(index: int) -> Page:
        n, chunk = index + 1, chunks[index]
        cites = Citations()
        embed = discord.Embed(title=cut(inert(_quotes_title(answer, locale)), TITLE_MAX), colour=COLOUR)
        used: set[int] = set()
        unnumbered = 0
        for q in chunk:
            numbers, more = _numbered(q, cites)  # type: ignore[arg-type]
            used.update(numbers)
            unnumbered += more
            partial = " · " + translate(locale, "partial") if q.partial else ""  # type: ignore[attr-defined]
            name = cut(
                inert(f"{speaker_line(q)} · {date_label(q.date, locale)}" + partial),  # type: ignore[arg-type, attr-defined]
                FIELD_NAME_MAX,
            )
            marks = _marks(numbers, more)
            said = inert_cut(q.text, FIELD_VALUE_MAX)  # type: ignore[attr-defined]
            value = cut(f"“{said}”", FIELD_VALUE_MAX - len(marks) - 1) + f" {marks}"
            embed.add_field(name=name, value=value, inline=False)
        _add_sources_field(embed, cites, used, unnumbered, locale)
        counted = translate(locale, "{shown} of {total} quotes", shown=len(answer.quotes), total=answer.total)
        _footer(
            embed,
            f"{_page_footer(n, len(chunks), locale)} · {counted}" + _searched_for(answer.corrected, locale),
        )
        return Page([_fit(embed)])

    return Pages(len(chunks), render)


class _IslandItems(Sequence[tuple[str | None, IslandFact]]):
    """An island's own facts, then each group's, tagged with the group's name (None for its own); read
    when a page asks for them, as an island in a large store has thousands."""

    __slots__ = ("_parts",)

    def __init__(self, answer: IslandAnswer) -> None:
        self._parts = [(None, answer.facts), *((g.group, g.facts) for g in answer.groups)]

    def __len__(self) -> int:
        return sum(len(facts) for _, facts in self._parts)

    def _at(self, n: int) -> tuple[str | None, IslandFact]:
        for group, facts in self._parts:
            if n < len(facts):
                return group, facts[n]
            n -= len(facts)
        raise IndexError(n)

    def __getitem__(self, n: int | slice) -> Any:
        if isinstance(n, slice):
            return [self._at(i) for i in range(*n.indices(len(self)))]
        return self._at(n if n >= 0 else len(self) + n)


def island_pages(answer: IslandAnswer, per_page: int = FACTS_PER_PAGE, *, locale: str = ENGLISH) -> Pages:
    """An island's history in date order, undated facts last, then the facts of its groups under a heading
    each; the curated description on the first page, marked as background."""
    if nothing := nothing_found(answer, _quoted, locale):
        return _nothing(nothing, answer.suggestions, locale)
    i = answer.island
    assert i is not None  # else there would be nothing to show
    aliases = inert(", ".join(i.aliases))
    chunks = _paged(_IslandItems(answer), per_page)

    def render(index: int) -> Page:
        n, chunk = index + 1, chunks[index]
        cites = Citations()
        lines, used, unnumbered = [], set(), 0
        heading: str | None = None
        for group, f in cast(Sequence[tuple[str | None, IslandFact]], chunk):
            if group is not None and group != heading:
                lines.append(f"\n__**{inert(group_heading(group, locale))}**__")
                heading = group
            numbers, more = _numbered(f, cites)
            used.update(numbers)
            unnumbered += more
            when = date_label(f.date, locale)
            lines.append(f"**{when}** — {inert_cut(f.text, 600)} {_marks(numbers, more)}")
        head = ""
        if n == 1:
            if answer.background:
                b = answer.background
                # Quoted aside, not a line of the history: the description cites nothing.
                head += f"> *{inert(b.text)}*\n> {inert(background_note(b, locale))}\n"
            head += translate(locale, "Also: {aliases}", aliases=aliases) + "\n\n"
            if not answer.facts:
                lines.insert(0, translate(locale, NO_ISLAND_FACTS))
        embed = discord.Embed(
            title=inert_cut(i.name, TITLE_MAX),
            description=cut(head + "\n".join(lines).strip("\n"), DESCRIPTION_MAX),
            colour=COLOUR,
        )
        _add_sources_field(embed, cites, used, unnumbered, locale)
        _footer(embed, f"{_page_footer(n, len(chunks), locale)} · {island_footer(answer, locale)}")
        return Page([_fit(embed)])

    return Pages(len(chunks), render)


def _paragraph_pieces(paragraph: str, limit: int) -> Iterator[str]:
    """A paragraph made inert, in pieces of at most `limit` characters split between words; every piece
    but the last ends with "…". Every word is in exactly one piece (one longer than a piece is cut up)."""
    words: list[str] = []
    size = 0
    room = limit - 1  # for the "…" of a piece the paragraph goes on from
    for word in _short_words(paragraph.split(), room // 3):
        cost = len(inert(word)) + (1 if words else 0)
        if words and size + cost > room:
            yield inert(" ".join(words)) + "…"
            words, size, cost = [], 0, cost - 1
        words.append(word)
        size += cost
    if words:
        yield inert(" ".join(words))


def _short_words(words: Iterable[str], longest: int) -> Iterator[str]:
    """The words, each longer than `longest` characters cut into pieces that long (inert text is at most
    about three times as long as its source, so a piece always fits on a page)."""
    for word in words:
        for start in range(0, len(word), longest):
            yield word[start : start + longest]


def source_pages(answer: SourceAnswer, *, locale: str = ENGLISH) -> Pages:
    """An article's metadata and cleaned text, paged, so a reader can check any citation."""
    if nothing := nothing_found(answer, _quoted, locale):
        return _nothing(nothing, answer.suggestions, locale)
    a = answer.article
    assert a is not None  # else there would be nothing to show
    chunks: list[str] = []
    current = ""
    for para in answer.paragraphs:
        for piece in _paragraph_pieces(para, SOURCE_CHARS_PER_PAGE):
            if current and len(current) + len(piece) + 2 > SOURCE_CHARS_PER_PAGE:
                chunks.append(current)
                current = ""
            current = f"{current}\n\n{piece}" if current else piece
    if current or not chunks:
        chunks.append(current or translate(locale, "(no text)"))
    url = link(a.url)

    def render(index: int) -> Page:
        n, text = index + 1, chunks[index]
        embed = discord.Embed(
            title=inert_cut(a.title, TITLE_MAX),
            description=cut(text, DESCRIPTION_MAX),
            colour=COLOUR,
            url=url,
        )

        def t(text: str, /) -> str:
            return translate(locale, text)

        outlet = a.outlet or t("Unknown outlet")
        embed.add_field(name=t("Outlet"), value=inert_cut(outlet, FIELD_VALUE_MAX))
        embed.add_field(name=t("Published"), value=a.published.iso() if a.published else t("unknown"))
        embed.add_field(name=t("Article"), value=cut(_code(a.article_id), FIELD_VALUE_MAX))
        if url:
            embed.add_field(name=t("Link"), value=cut(f"<{url}>", FIELD_VALUE_MAX), inline=False)
        if a.published_note and n == 1:
            embed.add_field(
                name=t("How the date was established"),
                value=inert_cut(a.published_note, FIELD_VALUE_MAX),
                inline=False,
            )
        _footer(embed, _page_footer(n, len(chunks), locale))
        return Page([_fit(embed)])

    return Pages(len(chunks), render)


def about_page(answer: AboutAnswer, *, locale: str = ENGLISH) -> Page:
    """What the bot is, the corpus size, the articles and how facts are extracted."""

    def t(text: str, /, **params: object) -> str:
        return translate(locale, text, **params)

    counts = about_counts(answer, locale, bold=lambda figure: f"**{figure}**")
    embed = discord.Embed(title=t(ABOUT_TITLE), description=f"{t(ABOUT)}\n\n{counts}", colour=COLOUR)
    embed.add_field(name=t("How facts are extracted"), value=t(EXTRACTION), inline=False)
    unknown, undated = t("Unknown outlet"), t("undated")
    lines = [
        cut(
            f"{_code(a.article_id)} {inert_cut(a.title, 80)} — {inert_cut(a.outlet or unknown, 60)}, "
            f"{a.published.iso() if a.published else undated}",
            FIELD_VALUE_MAX,
        )
        for a in answer.articles
    ]
    chunk = ""
    for line in lines:
        if chunk and len(chunk) + len(line) + 1 > FIELD_VALUE_MAX:
            if len(embed.fields) >= FIELDS_MAX - 1:
                break
            embed.add_field(name=t("Articles"), value=chunk, inline=False)
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        embed.add_field(name=t("Articles"), value=chunk, inline=False)
    if len(answer.articles) > len(lines):
        _footer(embed, t("{count} articles in all", count=len(answer.articles)))
    if answer.built_at:
        _footer(embed, t("Store built {when} UTC", when=answer.built_at[:19].replace("T", " ")))
    return Page([_fit(embed)])


VERDICT_COLOURS = {
    "verbatim": discord.Colour(0x2F855A),
    "trimmed": discord.Colour(0xB7791F),
    "altered": discord.Colour(0xC05621),
    "other speaker": discord.Colour(0x805AD5),
    "not in the sources": discord.Colour(0x718096),
}
CHECK_SOURCES = 3  # sources listed under a checked quotation


def check_page(answer: CheckAnswer, *, locale: str = ENGLISH) -> Page:
    """One embed per checked quotation (at most five), together within a message's 6,000 characters."""
    if nothing := nothing_found(answer, _quoted, locale):
        return not_found(nothing.title, nothing.detail, answer.suggestions, locale)
    budget = (EMBED_TOTAL_MAX - 100) // len(answer.results)
    embeds = [_check_embed(r, answer.articles, budget, locale) for r in answer.results]
    if answer.suggestions:
        names = ", ".join(answer.suggestions)
        _footer(embeds[-1], translate(locale, "No such speaker. Did you mean: {names}?", names=names))
    return Page(embeds)


def _check_embed(result: CheckResult, articles: int, budget: int, locale: str) -> discord.Embed:
    share = max(budget // 4, 60)  # the claim, the source, the differences and the sources share the room
    title = verdict_title(result.verdict, locale)
    if result.claimed_speaker:
        title = translate(locale, "{verdict} · as {speaker}'s", verdict=title, speaker=result.claimed_speaker)
    explanation = verdict_explanation(result, articles, _quoted, locale)
    lines = [f"> “{inert_cut(result.claimed, share)}”", explanation]
    embed = discord.Embed(
        title=inert_cut(title, TITLE_MAX),
        description=cut("\n".join(lines), DESCRIPTION_MAX),
        colour=VERDICT_COLOURS[result.verdict],
    )
    q = result.quote
    if q is not None:
        cites = Citations()
        numbers, more = _numbered(q, cites)
        name = cut(inert(f"{speaker_line(q)} · {date_label(q.date, locale)}"), FIELD_NAME_MAX)
        marks = _marks(numbers, more)
        said = inert_cut(q.text, min(share, FIELD_VALUE_MAX - len(marks) - 4))
        embed.add_field(name=name, value=f"“{said}” {marks}", inline=False)
        changes = change_lines(result, _quoted_cut(share // 3), locale)
        differences = "\n".join(f"• {line}" for line in changes)
        if differences:
            embed.add_field(
                name=translate(locale, "What differs"),
                value=cut(differences, min(share, FIELD_VALUE_MAX)),
                inline=False,
            )
        sources = _whole_lines(_source_lines(cites, None, locale), min(share, FIELD_VALUE_MAX))
        if sources:
            embed.add_field(
                name=translate(locale, "Source"),
                value=cut(sources, min(share, FIELD_VALUE_MAX)),
                inline=False,
            )
    return _within(embed, budget)


def _whole_lines(lines: Iterable[str], limit: int) -> str:
    """As many whole lines as fit in `limit` characters (a link cut in half would show as text)."""
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > limit:
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept) or cut(next(iter(lines), ""), limit)


def _quoted_cut(limit: int) -> Callable[[str], str]:
    return lambda typed: f"“{inert_cut(typed, max(limit, 20))}”"


def _within(embed: discord.Embed, budget: int) -> discord.Embed:
    """Fields dropped from the end, then the description cut, until the embed takes at most `budget`."""
    while len(embed) > budget and len(embed.fields) > 1:
        embed.remove_field(-1)
    if len(embed) > budget and embed.description:
        over = len(embed) - budget
        embed.description = cut(embed.description, max(len(embed.description) - over - 1, 1))
    return _fit(embed)


def help_page(answer: HelpAnswer, *, locale: str = ENGLISH) -> Page:
    """Every command with an example, the sources, how facts are extracted, the privacy statement, links."""

    def t(text: str, /, **params: object) -> str:
        return translate(locale, text, **params)

    lines = []
    for c in answer.commands:
        where = " *" + t("(servers only)") + "*" if c.discord_only else ""
        lines.append(f"`{c.usage}` — {t(c.description)}{where}\n{t('e.g.')} `{c.example}`")
    corpus = t("**{count}** articles", count=answer.articles)
    if answer.first_published and answer.last_published:
        corpus += t(", published {first} to {last}", first=answer.first_published, last=answer.last_published)
    if answer.outlets:
        shown = ", ".join(inert_cut(o, 60) for o in answer.outlets[:8])
        corpus += t(", from {outlets}", outlets=shown) + (t(" and others") if len(answer.outlets) > 8 else "")
    embed = discord.Embed(
        title=t("Kuril Islands fact bot — help"),
        description=cut("\n".join(lines) + f"\n\n{t(PRIVATE_HINT)}", DESCRIPTION_MAX),
        colour=COLOUR,
    )
    now = t("Now: {corpus}.", corpus=corpus)
    embed.add_field(
        name=t("Sources"), value=cut(f"{t(answer.sources)}\n{now}", FIELD_VALUE_MAX), inline=False
    )
    embed.add_field(
        name=t("How facts are extracted"), value=cut(t(answer.extraction), FIELD_VALUE_MAX), inline=False
    )
    embed.add_field(name=t("Privacy"), value=cut(t(answer.privacy), FIELD_VALUE_MAX), inline=False)
    links = [f"[{inert_cut(x.label, 80)}]({url})" for x in answer.links if (url := link(x.url))]
    if links:
        embed.add_field(name=t("Links"), value=cut(" · ".join(links), FIELD_VALUE_MAX), inline=False)
    return Page([_fit(embed)])


def limit_problems(page: Page) -> list[str]:
    """Every Discord limit the page breaks (empty when it is valid)."""
    problems = []
    if page.content is not None and len(page.content) > CONTENT_MAX:
        problems.append(f"content {len(page.content)} > {CONTENT_MAX}")
    if len(page.embeds) > 10:
        problems.append("more than 10 embeds")
    total = 0
    for e in page.embeds:
        total += len(e)
        if e.title and len(e.title) > TITLE_MAX:
            problems.append("title too long")
        if e.description and len(e.description) > DESCRIPTION_MAX:
            problems.append("description too long")
        if len(e.fields) > FIELDS_MAX:
            problems.append("too many fields")
        for f in e.fields:
            if len(f.name or "") > FIELD_NAME_MAX or not f.name:
                problems.append("bad field name")
            if len(f.value or "") > FIELD_VALUE_MAX or not f.value:
                problems.append("bad field value")
        if e.footer.text and len(e.footer.text) > FOOTER_MAX:
            problems.append("footer too long")
    if total > EMBED_TOTAL_MAX:
        problems.append(f"embeds total {total} > {EMBED_TOTAL_MAX}")
    return problems


def daily_marker(local_date: object, key: str) -> str:
    """The footer mark that identifies a posted snippet (so a restart can tell it was delivered)."""
    return f"daily {local_date} · {key}"


def daily_page(snippet: DailySnippet) -> Page:
    """A daily history snippet: an on-this-day event, or a fact from the timeline."""
    e = snippet.event
    title = snippet_title(snippet)
    cites = Citations()
    numbers, more = _numbered(e, cites)
    embed = discord.Embed(
        title=cut(title, TITLE_MAX),
        description=cut(f"{inert_cut(e.text, DESCRIPTION_MAX)} {_marks(numbers, more)}", DESCRIPTION_MAX),
        colour=COLOUR,
    )
    _add_sources_field(embed, cites, None, more)
    _footer(embed, daily_marker(snippet.local_date, snippet.key))
    return Page([_fit(embed)])
