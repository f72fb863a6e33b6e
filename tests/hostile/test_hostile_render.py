"""The Discord renderer on answers built from hostile article data: always a valid, inert message.

Article text, titles, outlets, links, speakers and ids come from files anyone can drop in a folder; a fact
repeated by hundreds of articles has hundreds of sources. Whatever the answer holds, every page fits
Discord's limits, links are ones Discord accepts, and nothing in it can mention anyone.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answers import (
    AboutAnswer,
    IslandAnswer,
    QuoteAnswer,
    QuoteQuery,
    SourceAnswer,
    TimelineAnswer,
    TimelineQuery,
)
from bot.answers.daily import DailySnippet
from bot.discord.embeds import (
    Page,
    about_page,
    daily_page,
    island_pages,
    not_found,
    quote_pages,
    source_pages,
    timeline_pages,
)
from bot.models import ArticleMeta, Citation, Event, Island, IslandFact, PartialDate, Quote
from bot.store.reader import StoreCounts
from tests.hostile.checks import assert_valid_pages
from tests.hostile.values import hostile_text

CI_EXAMPLES = 100
STRESS_EXAMPLES = 3000
MODES = [
    pytest.param(CI_EXAMPLES, id="ci"),
    pytest.param(STRESS_EXAMPLES, id="stress", marks=pytest.mark.stress),
]
_LINK = re.compile(r"<https?://[^>\s]*>")
_CODE = re.compile(r"(?<!\\)`[^`]*(?<!\\)`")  # an article id as inline code: shown literally
_PING = re.compile(r"@(?:everyone|here)|<@[!&]?\d+>")


def article_text() -> st.SearchStrategy[str]:
    """Hostile text as an article holds it: mostly option-sized, sometimes a 100,000-character quote."""
    huge = st.builds(lambda s: (s * (100_000 // len(s) + 1))[:100_000], hostile_text().filter(bool))
    return st.one_of(hostile_text(), hostile_text(), hostile_text(), huge)


def urls() -> st.SearchStrategy[str | None]:
    return st.one_of(
        st.none(),
        st.just("https://example.com/news/1"),
        st.builds(lambda n: "https://example.com/" + "a" * n, st.integers(1, 5000)),
        st.sampled_from(
            [
                "javascript:alert(1)",
                "http://a b.example",
                "ftp://example.com",
                "https://",
                "<https://x>",
                "http://x/@everyone",
            ]
        ),
        hostile_text(),
    )


def dates() -> st.SearchStrategy[PartialDate]:
    return st.builds(
        lambda y, m, d: PartialDate(y, m, None if m is None or d is None else min(d, 28)),
        st.integers(1, 9999),
        st.none() | st.integers(1, 12),
        st.none() | st.integers(1, 31),
    )


def citations() -> st.SearchStrategy[tuple[Citation, ...]]:
    def many(
        n: int, title: str, outlet: str | None, url: str | None, article_id: str
    ) -> tuple[Citation, ...]:
        return tuple(
            Citation(f"{article_id}{i}", title, outlet, url, "2019-01-04", "excerpt", 0, 7) for i in range(n)
        )

    return st.builds(
        many,
        st.integers(0, 150),
        hostile_text(),
        st.none() | hostile_text(),
        urls(),
        st.sampled_from(["004_ca3b18b3347b43dc", "a`b`", "@everyone_", "x" * 200, ""]),
    )


def events() -> st.SearchStrategy[list[Event]]:
    return st.lists(st.builds(Event, dates(), article_text(), citations()), max_size=20)


def metas() -> st.SearchStrategy[ArticleMeta]:
    return st.builds(
        ArticleMeta,
        st.sampled_from(["004_ca3b18b3347b43dc", "a`b`c", "@everyone", "x" * 300]),
        article_text(),
        st.none() | article_text(),
        urls(),
        st.none() | dates(),
        st.none() | article_text(),
        st.just("0" * 64),
    )


ANSWERS: dict[str, st.SearchStrategy[Any]] = {
    "timeline": st.builds(
        TimelineAnswer,
        st.builds(
            TimelineQuery,
            st.none() | st.integers(1, 9999),
            st.none() | st.integers(1, 9999),
            st.none() | hostile_text(),
        ),
        events(),
        st.integers(0, 10**6),
        st.none() | hostile_text(),
        st.lists(hostile_text(), max_size=5),
    ),
    "quote": st.builds(
        QuoteAnswer,
        st.builds(QuoteQuery, st.none() | hostile_text(), st.none() | hostile_text()),
        st.lists(
            st.builds(Quote, article_text(), hostile_text(), st.booleans(), st.none() | dates(), citations()),
            max_size=12,
        ),
        st.integers(0, 10**6),
        st.none() | hostile_text(),
        st.none() | hostile_text(),
        st.lists(hostile_text(), max_size=5),
    ),
    "island": st.builds(
        IslandAnswer,
        hostile_text(),
        st.none()
        | st.builds(
            Island,
            st.just("shikotan"),
            hostile_text().map(lambda s: s or "Shikotan"),
            st.just("island"),
            st.lists(hostile_text(), max_size=40).map(tuple),
            article_text(),
        ),
        st.lists(
            st.builds(IslandFact, st.just("shikotan"), article_text(), st.none() | dates(), citations()),
            max_size=15,
        ),
        st.lists(hostile_text(), max_size=5),
    ),
    "source": st.builds(
        SourceAnswer,
        hostile_text(),
        st.none() | metas(),
        st.lists(article_text(), max_size=8),
        st.lists(hostile_text(), max_size=5),
    ),
    "about": st.builds(
        AboutAnswer,
        st.builds(StoreCounts, *(st.integers(0, 10**9) for _ in range(5))),
        st.lists(metas(), max_size=60),
        st.lists(st.tuples(hostile_text(), hostile_text()), max_size=10),
        st.integers(0, 10**6),
        st.none() | st.just("2026-11-22T12:00:00+00:00"),
    ),
    "daily": st.builds(
        DailySnippet,
        st.builds(Event, dates(), article_text(), citations()),
        st.booleans(),
        st.just(dt.date(2026, 11, 22)),
        st.sampled_from(["event:1", "event:" + "9" * 90]),
    ),
    "not found": st.builds(
        lambda title, suggestions: not_found(title, "Nothing matched.", suggestions),
        hostile_text(),
        st.lists(hostile_text(), max_size=30),
    ),
}
RENDER = {
    "timeline": timeline_pages,
    "quote": quote_pages,
    "island": island_pages,
    "source": source_pages,
    "about": lambda a: [about_page(a)],
    "daily": lambda a: [daily_page(a)],
    "not found": lambda page: [page],
}


def assert_inert(page: Page) -> None:
    """Nothing in the page reads as a mention; links (<url>) and code spans are shown literally."""
    texts = [page.content or ""]
    for embed in page.embeds:
        # Footers are plain text to Discord (no markdown, no mentions), so they are not escaped.
        texts += [embed.title or "", embed.description or ""]
        texts += [f"{f.name} {f.value}" for f in embed.fields]
    for text in texts:
        assert not _PING.search(_CODE.sub("", _LINK.sub("", text))), text[:300]


@pytest.mark.parametrize("cases", MODES)
@pytest.mark.parametrize("kind", list(ANSWERS))
def test_any_answer_renders_to_valid_inert_messages(kind: str, cases: int) -> None:
    @settings(
        max_examples=cases,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(ANSWERS[kind])
    def prop(answer: Any) -> None:
        pages = RENDER[kind](answer)
        assert_valid_pages(pages)
        for page in pages:
            assert_inert(page)

    prop()


def test_a_fact_from_hundreds_of_articles_still_shows_its_text() -> None:
    cites = tuple(
        Citation(f"{n:03d}_article", f"Title {n}", "Outlet", "https://example.com/a", "2019-01-04", "x", 0, 1)
        for n in range(400)
    )
    text = "Japan and the Soviet Union signed the Joint Declaration " * 30
    quote = Quote(text, "Vladimir Putin", False, PartialDate(1956, 10, 19), cites)
    pages = quote_pages(QuoteAnswer(QuoteQuery(), [quote], 1))
    assert_valid_pages(pages)
    field = pages[0].embeds[0].fields[0]
    assert field.value.startswith("“Japan and the Soviet Union") and "…+" in field.value
    assert len(text) > len(field.value) > 800  # the marks took only their share
