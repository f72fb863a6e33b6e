from __future__ import annotations

import pytest

from bot.answers import Facts
from bot.search.vocabulary import Vocabulary


def test_correct_reads_a_typo_as_the_nearest_most_frequent_word() -> None:
    vocabulary = Vocabulary.of({"treaty": 5, "treats": 1, "island": 3})
    assert vocabulary.correct("treety") == "treaty"
    assert vocabulary.correct("island") == "island"
    assert vocabulary.correct("1956") == "1956"
    assert vocabulary.correct("zzzzzz") == "zzzzzz"


def test_prefixes_are_ranges_and_the_most_frequent_come_first() -> None:
    vocabulary = Vocabulary.of({"peace": 2, "peaceful": 1, "pact": 4})
    assert [vocabulary.words[n] for n in vocabulary.prefixed("pea")] == ["peace", "peaceful"]
    assert vocabulary.most_frequent(2) == ["pact", "peace"]


@pytest.mark.asyncio
async def test_autocomplete_offers_the_words_the_indexes_hold_and_corrects_as_they_do(facts: Facts) -> None:
    offered = facts.index.vocabulary
    for word in ("treaty", "shikotan"):
        assert word in offered
        assert word in facts.quote_index.vocabulary or word in facts.event_index.vocabulary
    assert not any(w.isdigit() or len(w) < 3 for w in offered.words)
    # One corrector: a typo autocomplete reads is read the same way by the search.
    typo = "treatu"
    reading = facts.event_index.parse(typo).words[0].reading
    assert offered.correct(typo) == reading == "treaty"
    assert facts.index.complete_topics("peace treatu")[0] == "peace treaty"
