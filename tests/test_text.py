from __future__ import annotations

from bot.text import (
    BENCH_FILLER_WORDS,
    SIMILARITY_STOP_WORDS,
    STOP_WORDS,
    comparable,
    content_words,
    normalise,
    query_words,
    words,
    words_as_written,
)


def test_words_are_normalised_and_queries_drop_stop_words() -> None:
    assert words("Étorofu, the ISLAND") == ["etorofu", "the", "island"]
    assert query_words("What did Abe say about the treaty?") == ["abe", "treaty"]
    assert normalise("  Ｔｒｅａｔｙ\u200b  talks ") == "treaty talks"


def test_the_benchmark_fillers_are_stop_words_and_similarity_has_its_own() -> None:
    assert BENCH_FILLER_WORDS < STOP_WORDS
    assert {"not", "would", "two"} <= SIMILARITY_STOP_WORDS - STOP_WORDS
    assert {"about", "what"} <= STOP_WORDS - SIMILARITY_STOP_WORDS


def test_extraction_counts_words_as_written() -> None:
    assert words_as_written("“Japan’s claim,” he said — don't.") == [
        "Japan’s",
        "claim",
        "he",
        "said",
        "don't",
    ]


def test_corroboration_keeps_apostrophes_inside_words() -> None:
    assert content_words("Japan’s claim, and it's not over.") == "japan’s claim it's"


def test_the_benchmark_compares_words_with_straight_apostrophes() -> None:
    assert comparable("“Japan’s  CLAIM”—final.") == "japan's claim final"
