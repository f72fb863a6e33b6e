from __future__ import annotations

import pytest

from bot.answers import Facts, QuoteQuery, TimelineQuery, island, quotes, timeline
from bot.search import SPEAKER_MATCHES_KEPT


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Shikotn", "Shikotan"),
        ("Kunashiri", "Kunashir"),
        ("Etorofu", "Iturup"),
        ("択捉島", "Iturup"),
        ("Итуруп", "Iturup"),
        ("habomai islets", "Habomai"),
        ("northern territories", "Southern Kurils"),
        ("KURILS", "Kuril Islands"),
        ("Iturup Island", "Iturup"),
    ],
)
async def test_island_names_typos_and_scripts(facts: Facts, name: str, expected: str) -> None:
    answer = await island(facts, name)
    assert answer.island is not None and answer.island.name == expected


@pytest.mark.asyncio
async def test_unknown_island_gets_suggestions(facts: Facts) -> None:
    answer = await island(facts, "Sakhalinn")
    assert answer.island is None and answer.facts == []
    assert answer.suggestions


@pytest.mark.asyncio
async def test_quote_search_tolerates_typos(facts: Facts) -> None:
    answer = await quotes(facts, QuoteQuery.parse("peace treety"))
    assert answer.quotes and answer.corrected == "peace treaty"
    assert all("treaty" in q.text.lower() for q in answer.quotes)


@pytest.mark.asyncio
async def test_speaker_typo_resolves(facts: Facts) -> None:
    answer = await quotes(facts, QuoteQuery.parse(None, "Putn"))
    assert answer.speaker == "Vladimir Putin"
    assert [q.text for q in answer.quotes] == ["without any pre-conditions."]


def test_speaker_matches_are_kept_and_each_caller_gets_its_own_list(facts: Facts) -> None:
    index = facts.index
    first = index.match_speakers("Putn", limit=3)
    assert first and first[0][0] == "Vladimir Putin"
    first.clear()  # what a caller does with its list does not change what the next one gets
    assert index.match_speakers("  putn ", limit=3)[0][0] == "Vladimir Putin"  # the same query, normalised
    for n in range(SPEAKER_MATCHES_KEPT + 10):
        index.match_speakers(f"nobody {n}")
    assert len(index._speaker_matches) == SPEAKER_MATCHES_KEPT
    assert index.match_speakers("Putn", limit=3, cutoff=100) == []  # other bounds, another answer


@pytest.mark.asyncio
async def test_unknown_speaker_is_not_guessed(facts: Facts) -> None:
    answer = await quotes(facts, QuoteQuery.parse(None, "Lavrow"))
    assert answer.quotes == [] and answer.speaker is None


@pytest.mark.asyncio
async def test_nothing_matches_gives_did_you_mean(facts: Facts) -> None:
    answer = await timeline(facts, TimelineQuery.parse(about="declaraton zzzz"))
    assert answer.events or answer.suggestions


@pytest.mark.asyncio
async def test_timeline_about_an_island_alias_in_another_script(facts: Facts) -> None:
    answer = await timeline(facts, TimelineQuery.parse(about="Итуруп"))
    assert [e.date.iso() for e in answer.events] == ["2017-09"]


@pytest.mark.asyncio
async def test_timeline_years_and_order(facts: Facts) -> None:
    answer = await timeline(facts, TimelineQuery.parse(1956, 1960, limit=100))
    dates = [e.date.sort_key() for e in answer.events]
    assert dates == sorted(dates) and dates
    assert all(1956 <= e.date.year <= 1960 for e in answer.events)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "hostile", ['"', "*", "NEAR(", "AND OR NOT", "-", "^x", "col:val", "\u200b\u202e", "🙂"]
)
async def test_fts_syntax_in_queries_never_raises(facts: Facts, hostile: str) -> None:
    await quotes(facts, QuoteQuery.parse(hostile))
    await timeline(facts, TimelineQuery.parse(about=hostile))
    await island(facts, hostile)
