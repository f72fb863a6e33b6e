"""`/check` on the bundled articles: one verdict per claim, with the stored quotation it rests on."""

from __future__ import annotations

import pytest

from bot.answers import Facts, QueryError
from bot.answers.check import CheckQuery, check, check_message, claims_in, words

ABE_GENERATION = "We both do not want this to drag out into another generation"


async def _one(facts: Facts, text: str, speaker: str | None = None):
    answer = await check(facts, CheckQuery.parse(text, speaker))
    assert answer.articles == 5
    (result,) = answer.results
    return result


@pytest.mark.asyncio
async def test_a_quotation_word_for_word_is_verbatim(facts: Facts) -> None:
    # Case, punctuation, curly quotes and spacing do not matter.
    result = await _one(facts, f"“{ABE_GENERATION.upper()}!!”  ", "Abe")
    assert result.verdict == "verbatim"
    assert result.quote is not None and result.quote.speaker == "Shinzo Abe"
    assert result.quote.sources  # the citation the answer shows


@pytest.mark.asyncio
async def test_a_dropped_negation_is_altered_and_flips_the_meaning(facts: Facts) -> None:
    result = await _one(facts, ABE_GENERATION.replace("do not ", ""), "Abe")
    assert result.verdict == "altered"
    assert [(c.op, c.claimed, c.said) for c in result.changes] == [("dropped", "", "do not")]
    assert result.flips_meaning


@pytest.mark.asyncio
async def test_a_changed_word_is_altered_without_a_flip(facts: Facts) -> None:
    result = await _one(facts, ABE_GENERATION.replace("another", "the next"))
    assert result.verdict == "altered"
    assert [(c.op, c.claimed, c.said) for c in result.changes] == [("changed", "the next", "another")]
    assert not result.flips_meaning


@pytest.mark.asyncio
async def test_part_of_a_longer_quotation_is_trimmed_with_what_was_left_out(facts: Facts) -> None:
    result = await _one(facts, "Japan and Russia must cooperate and pool efforts")
    assert result.verdict == "trimmed"
    # As the source writes them: its case and punctuation.
    assert result.left_out_before.startswith(
        "I have said it more than once and I would like to repeat it once again:"
    )
    assert result.left_out_before.endswith(
        "for the interests of settling various problems of the international community."
    )
    assert result.left_out_after == "to resolve such problems"


@pytest.mark.asyncio
async def test_words_said_by_someone_else_are_another_speakers(facts: Facts) -> None:
    result = await _one(facts, "without any pre-conditions", "Abe")
    assert result.verdict == "other speaker"
    assert result.claimed_speaker == "Shinzo Abe"
    assert result.quote is not None and result.quote.speaker == "Vladimir Putin"
    assert (await _one(facts, "without any pre-conditions", "Putin")).verdict == "verbatim"


@pytest.mark.asyncio
async def test_nothing_close_is_not_in_the_sources(facts: Facts) -> None:
    result = await _one(facts, "The islands will never be returned to Japan", "Putin")
    assert result.verdict == "not in the sources"
    assert result.quote is None


@pytest.mark.parametrize("text", ["", "   ", "!!! ???", None])
def test_a_claim_without_words_is_refused_in_one_line(text: str | None) -> None:
    with pytest.raises(QueryError):
        CheckQuery.parse(text)


def test_contractions_compare_spelt_out() -> None:
    assert words("I’ve met him; we don't and can't WON'T") == [
        "i",
        "have",
        "met",
        "him",
        "we",
        "do",
        "not",
        "and",
        "can",
        "not",
        "will",
        "not",
    ]


def test_a_message_gives_its_quoted_spans_with_their_speakers() -> None:
    message = 'Putin said "the islands are ours", and Abe told us: "We will never give up."'
    assert claims_in(message) == [
        ("the islands are ours", "Vladimir Putin"),
        ("We will never give up.", "Shinzo Abe"),
    ]
    assert claims_in("no quotation marks here at all") == [("no quotation marks here at all", None)]
    assert len(claims_in('"one two" ' * 12)) == 5  # at most five quotations a message


@pytest.mark.asyncio
async def test_a_message_is_checked_quote_by_quote(facts: Facts) -> None:
    answer = await check_message(facts, 'Putin said "without any pre-conditions" and Abe said "we will win".')
    assert [(r.verdict, r.claimed_speaker) for r in answer.results] == [
        ("verbatim", "Vladimir Putin"),
        ("not in the sources", "Shinzo Abe"),
    ]


@pytest.mark.asyncio
async def test_hostile_messages_are_checked_without_error(facts: Facts) -> None:
    for message in [
        "x" * 6000,
        "@everyone **bold** `code`",
        "zero\u200bwidth \u202e reversed",
        '"' * 500,
        "“" * 40,
    ]:
        answer = await check_message(facts, message)
        assert len(answer.results) <= 5
        assert all(
            r.verdict in ("not in the sources", "verbatim", "trimmed", "altered") for r in answer.results
        )
