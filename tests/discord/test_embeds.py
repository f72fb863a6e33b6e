from __future__ import annotations

import datetime as dt

import discord
import pytest

from bot.answers import (
    Facts,
    QuoteQuery,
    SourceAnswer,
    TimelineQuery,
    about,
    island,
    quotes,
    source,
    timeline,
)
from bot.answers.daily import daily_snippet, snippet_candidates
from bot.answers.timeline import TimelineAnswer
from bot.discord.embeds import (
    MARKED_SOURCES,
    Page,
    Pages,
    about_page,
    cut,
    daily_page,
    inert,
    island_pages,
    limit_problems,
    quote_pages,
    source_pages,
    timeline_pages,
)
from bot.models import ArticleMeta, Citation, Event, PartialDate
from bot.render.chart import LABEL_CHARS, label, timeline_png


def _citation(article: str = "a1", excerpt: str = "x") -> Citation:
    return Citation(
        article, "Title", "Outlet", "https://example.org/a", "2019-01-04", excerpt, 0, len(excerpt)
    )


def test_mentions_and_markdown_are_rendered_inert() -> None:
    text = inert("@everyone look ||spoiler|| ```code``` <@&123> <@456> @here [link](https://x.y) **b**")
    assert "@everyone" not in text and "@here" not in text
    assert "<@&123>" not in text and "<@456>" not in text
    assert "||spoiler||" not in text and "```" not in text and "**b**" not in text


def test_cut_respects_the_limit_and_marks_the_cut() -> None:
    assert cut("short", 10) == "short"
    out = cut("word " * 100, 50)
    assert len(out) <= 50 and out.endswith("…")


@pytest.mark.asyncio
async def test_every_seed_answer_fits_discords_limits(facts: Facts) -> None:
    pages = list(timeline_pages(await timeline(facts, TimelineQuery.parse(limit=1000))))
    pages += quote_pages(await quotes(facts, QuoteQuery.parse(limit=100)))
    for name in ("Shikotan", "Kuril Islands", "Southern Kurils", "Iturup", "Atlantis"):
        pages += island_pages(await island(facts, name))
    for article_id in await facts.store.articles():
        pages += source_pages(await source(facts, article_id))
    pages.append(about_page(await about(facts)))
    assert len(pages) > 10
    for page in pages:
        assert limit_problems(page) == []


def test_huge_answers_are_truncated_within_limits() -> None:
    long_text = ("The islands were discussed at length. " * 400).strip()
    events = [
        Event(PartialDate(1956, 10, 19), long_text, tuple(_citation(f"a{i}-{j}") for j in range(30)))
        for i in range(40)
    ]
    answer = TimelineAnswer(TimelineQuery.parse(limit=1000), events, len(events))
    pages = timeline_pages(answer)
    assert len(pages) == 5
    for page in pages:
        assert limit_problems(page) == []
        assert len(page.embeds[0]) <= 6000


def test_hostile_article_text_cannot_ping_in_a_timeline() -> None:
    events = [Event(PartialDate(2019), "@everyone the <@&42> role and <@7> met in 2019", (_citation(),))]
    page = timeline_pages(TimelineAnswer(TimelineQuery.parse(), events, 1))[0]
    rendered = page.embeds[0].description or ""
    assert "@everyone" not in rendered and "<@&42>" not in rendered and "<@7>" not in rendered


@pytest.mark.asyncio
async def test_citations_name_outlet_date_link_and_article_id(facts: Facts) -> None:
    page = timeline_pages(await timeline(facts, TimelineQuery.parse(2019, 2019)))[0]
    sources = " ".join(f.value or "" for f in page.embeds[0].fields if f.name.startswith("Sources"))
    assert "The Moscow Times" in sources and "2019-01-04" in sources
    assert "https://themoscowtimes.com/" in sources and "004_ca3b18b3347b43dc" in sources


@pytest.mark.asyncio
async def test_daily_snippet_on_this_day(facts: Facts) -> None:
    candidates = await snippet_candidates(facts)
    on_day = [c for c in candidates if c.month_day == (10, 19)]
    assert on_day
    snippet = await daily_snippet(facts, on_day[0].key, dt.date(2026, 10, 19))
    assert snippet is not None and snippet.on_this_day
    page = daily_page(snippet)
    assert page.embeds[0].title == "On this day in 1956"
    assert limit_problems(page) == []
    assert on_day[0].key in (page.embeds[0].footer.text or "")


def test_chart_is_a_png() -> None:
    events = [
        Event(PartialDate(1956, 10, 19), "Joint Declaration signed", ()),
        Event(PartialDate(1960), "Security treaty", ()),
        Event(PartialDate(2018, 11), "Singapore", ()),
    ]
    png = timeline_png(events, "Timeline")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000


def test_chart_labels_only_use_characters_the_font_can_draw() -> None:
    event = Event(PartialDate(2016, 12, 15), "Abe met Putin about 択捉島 (Итуруп) in Nagato " + "x" * 200, ())
    text = label(event)
    assert text.startswith("15 Dec 2016 · Abe met Putin about … (Итуруп)")
    assert "択" not in text and len(text) <= len("15 Dec 2016 · ") + LABEL_CHARS


def test_pages_render_only_what_is_asked_for() -> None:
    made: list[int] = []

    def render(n: int) -> Page:
        made.append(n)
        return Page(content=f"page {n}")

    pages = Pages(1000, render)
    assert len(pages) == 1000 and made == []
    assert pages[999].content == "page 999" and pages[-1] is pages[999]
    assert made == [999]
    with pytest.raises(IndexError):
        pages[1000]


def test_pages_with_another_first_page_share_the_rest() -> None:
    made: list[int] = []

    def render(n: int) -> Page:
        made.append(n)
        return Page(content=f"page {n}")

    pages = Pages(3, render, answer="the answer")
    own = pages.with_first(Page(content="mine"))
    assert [p.content for p in own] == ["mine", "page 1", "page 2"]
    assert len(own) == 3 and own.answer == "the answer"
    assert pages[1] is own[1] and pages[0].content == "page 0"
    assert made == [1, 2, 0]  # each page drawn once, for both


def test_embed_total_counts_like_discord() -> None:
    embed = discord.Embed(title="t" * 10, description="d" * 20)
    embed.add_field(name="n" * 5, value="v" * 7)
    embed.set_footer(text="f" * 3)
    assert len(embed) == 45


def test_a_fact_cited_by_hundreds_of_articles_lists_what_fits_and_counts_the_rest() -> None:
    cites = tuple(
        Citation(f"a{n:04d}", f"Title {n}", "Outlet", f"https://example.org/{n}", "2019-01-04", "x", 0, 1)
        for n in range(500)
    )
    event = Event(PartialDate(2019, 1, 4), "Talks resumed.", cites)
    page = timeline_pages(TimelineAnswer(TimelineQuery.parse(), [event], 1))[0]
    assert limit_problems(page) == []
    fields = page.embeds[0].fields
    listed = sum(
        (f.value or "").count("https://example.org/") for f in fields if f.name.startswith("Sources")
    )
    assert 10 <= listed < 500
    assert fields[-1].name == "More sources"
    assert fields[-1].value == f"…and {500 - listed} more citations; `/source` shows any article."
    assert (page.embeds[0].description or "").endswith(f"…+{500 - MARKED_SOURCES}")


def _source_text(paragraphs: list[str]) -> list[str]:
    meta = ArticleMeta("long", "Long", None, None, None, None, "0")
    pages = source_pages(SourceAnswer("long", meta, paragraphs))
    return [(pages[n].embeds[0].description or "") for n in range(len(pages))]


@pytest.mark.parametrize(
    "paragraphs",
    [
        [" ".join(f"w{n:05d}" for n in range(3000))],  # one paragraph of ten pages
        ["Short opening."] + [" ".join(f"w{n:05d}" for n in range(600))] * 1 + ["Tail."],
        [f"p{k}-" + " ".join(f"w{k}x{n:04d}" for n in range(420)) for k in range(5)],  # each just over a page
        ["*bold* " * 700],  # every character escaped: the page boundary falls between escapes
    ],
    ids=["one-long", "short-long-short", "just-over", "escaped"],
)
def test_source_pages_lose_no_word_at_a_page_boundary_and_none_is_blank(paragraphs: list[str]) -> None:
    texts = _source_text(paragraphs)
    assert all(t.strip() for t in texts), "a blank page"
    shown = " ".join(t.replace("…", " ") for t in texts).replace("\\", "").split()
    assert shown == " ".join(paragraphs).split()
