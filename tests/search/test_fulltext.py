"""The in-memory full-text index behind `/quote about` and `/timeline about`."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from bot.answers import Facts, QuoteQuery, TimelineQuery, quotes, timeline
from bot.search.fulltext import MAX_TEXT_POS, TextIndex, tokenise_all
from bot.text import words

TEXTS = [
    "The Suteda Maru No. 36 and its crew must return to Nemuro.",  # 0
    "We have asked Moscow to let the Suteda Maru return.",  # 1
    "Moscow will let nobody fish there; Suteda is a name we know.",  # 2
    "Our sovereignty over Kunashir (Кунашир) remains beyond any doubt.",  # 3
    "Etorofu (択捉島) is the largest of the four islands.",  # 4
    "Économie: the Étorofu fisheries grew.",  # 5
    "Negotiations on the peace treaty continue.",  # 6
    "The peace of the region matters, and a treaty will come.",  # 7
    "",  # 8
]
SPEAKERS = [
    "Fumio Kishida",
    "Fumio Kishida",
    "Sergey Lavrov",
    "Sergey Lavrov",
    "Shinzo Abe",
    "Shinzo Abe",
    "Taro Kono",
    "Taro Kono",
    "Nobody",
]


@pytest.fixture(scope="module")
def index() -> TextIndex[int]:
    return TextIndex(list(range(len(TEXTS))), TEXTS, SPEAKERS)


def ranked(index: TextIndex[int], query: str, limit: int = 10, field: str | None = None) -> list[int]:
    return index.rank(index.parse(query), limit, field=field)[0]


# ---- tokenising -------------------------------------------------------------------------------------------

ODD_TEXTS = [
    "Tokyo’s “unfriendly” steps — again",
    "ＦＵＬＬ width ﬁ ligature and ½",
    "zero\u200bwidth and bidi \u202eoverride",
    "tab\there, new\nline, carriage\rreturn",
    "ΣΊΣΥΦΟΣ straße İstanbul",
    "日本語のテキスト 択捉島 and Итуруп",
    "\x00\x01control\x7f",
    "emoji 🙂 and 𝐀𝐁𝐂 maths",
    "e\u0301te\u0301 cafe\u0301",
    "",
    "   ",
    "snake_case and 1956-10-19",
]


def test_tokenise_all_reads_words_as_normalise_does() -> None:
    expected = [words(t) for t in ODD_TEXTS + TEXTS]
    assert tokenise_all(ODD_TEXTS + TEXTS) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40) | st.sampled_from(ODD_TEXTS), max_size=12))
def test_tokenise_all_matches_normalise_on_any_text(texts: list[str]) -> None:
    assert tokenise_all(texts) == [words(t) for t in texts]


def test_tokenise_all_handles_more_texts_than_a_chunk() -> None:
    texts = [f"text number {n} with Кунашир" if n % 3 else f"plain {n}" for n in range(10_000)]
    words = tokenise_all(texts)
    assert words[9_999] == ["plain", "9999"] and words[9_998] == ["text", "number", "9998", "with", "кунашир"]


# ---- words and typos --------------------------------------------------------------------------------------


def test_exact_words_match(index: TextIndex[int]) -> None:
    assert set(ranked(index, "sovereignty")) == {3}


def test_one_typo_is_corrected_and_reported(index: TextIndex[int]) -> None:
    parsed = index.parse("soverignty")
    assert parsed.correction.changed and parsed.correction.text == "sovereignty"
    assert ranked(index, "soverignty") == [3]


def test_two_typos_in_a_long_word(index: TextIndex[int]) -> None:
    assert index.parse("negotaitions").correction.text == "negotiations"
    assert ranked(index, "negotaitions") == [6]


def test_short_words_are_not_corrected(index: TextIndex[int]) -> None:
    assert index.parse("fsh").correction.text == "fsh"


def test_an_unknown_word_reads_as_the_words_it_starts(index: TextIndex[int]) -> None:
    # "fisher" is no word of the texts and no typo of one: it completes to "fisheries".
    assert ranked(index, "fisher") == [5]


def test_numbers_are_not_corrected(index: TextIndex[int]) -> None:
    assert index.parse("37").correction.text == "37"
    assert ranked(index, "36") == [0]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_nearest_finds_every_word_one_edit_away(data: st.DataObject) -> None:
    index = TextIndex(list(range(len(TEXTS))), TEXTS)
    word = data.draw(st.sampled_from([t for t in index.terms if len(t) >= 5]))
    i = data.draw(st.integers(0, len(word) - 1))
    op = data.draw(st.sampled_from(["sub", "del", "ins"]))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    typo = {
        "sub": word[:i] + letter + word[i + 1 :],
        "del": word[:i] + word[i + 1 :],
        "ins": word[:i] + letter + word[i:],
    }[op]
    if len(typo) < 5 or typo in index.ids:
        return
    expected = {t for t in index.terms if Levenshtein.distance(typo, t) <= 1}
    assert {t for t, _ in index.vocabulary.nearest(typo, 1)} == expected


def test_other_scripts_and_accents(index: TextIndex[int]) -> None:
    assert ranked(index, "Кунашир") == [3]
    assert ranked(index, "КУНАШИР") == [3]
    assert ranked(index, "択捉島") == [4]
    assert ranked(index, "etorofu") == [4, 5] or ranked(index, "etorofu") == [5, 4]
    assert set(ranked(index, "ÉCONOMIE")) == {5}


# ---- ranking ------------------------------------------------------------------------------------------------


def test_words_typed_together_rank_the_text_holding_them_together_first(index: TextIndex[int]) -> None:
    # Text 7 holds "peace" and "treaty" apart, text 6 together.
    assert ranked(index, "peace treaty")[0] == 6


def test_phrases_count_the_stop_words_between(index: TextIndex[int]) -> None:
    # "let the suteda": text 1 holds it word for word; text 2 holds "let" and "suteda" too, apart.
    assert ranked(index, "let the suteda")[0] == 1
    # A typo inside the phrase still finds it.
    assert ranked(index, "let the sutedda maru")[0] == 1


def test_a_speakers_name_matches_their_quotes(index: TextIndex[int]) -> None:
    assert set(ranked(index, "Lavrov")) == {2, 3}
    assert set(ranked(index, "Lavrow")) == {2, 3}


def test_only_the_speakers_quotes_with_a_speaker(index: TextIndex[int]) -> None:
    assert ranked(index, "moscow", field="Sergey Lavrov") == [2]
    assert ranked(index, "moscow", field="Nobody Known") == []


def test_rank_counts_every_match_and_returns_the_limit(index: TextIndex[int]) -> None:
    found, total = index.rank(index.parse("suteda"), 2)
    assert len(found) == 2 and total == 3


def test_equal_scores_keep_the_items_order() -> None:
    index = TextIndex([0, 1, 2], ["same words here"] * 3)
    assert ranked(index, "same words") == [0, 1, 2]


def test_a_very_long_text_is_searched_past_the_phrase_window() -> None:
    long_text = " ".join(["filler"] * (MAX_TEXT_POS + 50) + ["needle", "haystack"])
    index = TextIndex([0, 1], [long_text, "needle in a haystack"])
    assert set(ranked(index, "needle haystack")) == {0, 1}
    assert ranked(index, "filler needle")[0] == 0


def test_an_empty_index() -> None:
    index: TextIndex[int] = TextIndex([], [], [])
    assert ranked(index, "anything") == []
    assert index.parse("anything").words[0].terms == ()
    assert not index.docs_with_prefix("any").any()


# ---- odd queries ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "the of and",
        "🙂",
        "\u200b\u202e",
        '"NEAR(',
        "*",
        'a"b OR c',
        "x" * 6000,
        "peace " * 1000,
        "日本",
    ],
)
def test_odd_queries_answer_quickly(index: TextIndex[int], query: str) -> None:
    started = time.perf_counter()
    found, total = index.rank(index.parse(query), 5)
    assert time.perf_counter() - started < 0.5
    assert len(found) <= 5 and total >= len(found)


# ---- through the answers (the seed store) -------------------------------------------------------------


@pytest.mark.asyncio
async def test_quote_search_ranks_the_phrase_first(facts: Facts) -> None:
    answer = await quotes(facts, QuoteQuery.parse("drag out into another generation"))
    assert answer.quotes[0].text.startswith("We both do not want this to drag out")
    assert answer.corrected is None and answer.total >= 1


@pytest.mark.asyncio
async def test_quote_search_with_a_typo_in_a_phrase(facts: Facts) -> None:
    answer = await quotes(facts, QuoteQuery.parse("without any pre-condtions"))
    assert answer.quotes[0].text == "without any pre-conditions."
    assert answer.corrected == "without any pre conditions"


@pytest.mark.asyncio
async def test_quote_search_by_text_and_speaker(facts: Facts) -> None:
    answer = await quotes(facts, QuoteQuery.parse("without conditions", "Putin"))
    assert answer.speaker == "Vladimir Putin"
    assert [q.speaker for q in answer.quotes] == ["Vladimir Putin"]
    none = await quotes(facts, QuoteQuery.parse("peace treaty", "Putin"))
    assert none.quotes == [] and none.total == 0


@pytest.mark.asyncio
async def test_quote_search_nothing_found_suggests(facts: Facts) -> None:
    answer = await quotes(facts, QuoteQuery.parse("qqqqzzzz"))
    assert answer.quotes == [] and answer.total == 0 and answer.corrected is None


@pytest.mark.asyncio
async def test_quote_search_of_stop_words_only_lists_quotes(facts: Facts) -> None:
    answer = await quotes(facts, QuoteQuery.parse("the of"))
    assert answer.quotes and answer.total == len(await facts.store.quotes())


@pytest.mark.asyncio
async def test_timeline_about_within_years(facts: Facts) -> None:
    answer = await timeline(facts, TimelineQuery.parse(1956, 1960, "declaration", 100))
    assert answer.events and all(1956 <= e.date.year <= 1960 for e in answer.events)
    assert all("declaration" in e.text.lower() for e in answer.events)
    dates = [e.date.sort_key() for e in answer.events]
    assert dates == sorted(dates)


@pytest.mark.asyncio
async def test_timeline_about_a_typo_reports_the_correction(facts: Facts) -> None:
    answer = await timeline(facts, TimelineQuery.parse(about="declaraton"))
    assert answer.events and answer.corrected == "declaration"


@pytest.mark.asyncio
async def test_timeline_about_any_of_the_words_when_no_event_has_all(facts: Facts) -> None:
    answer = await timeline(facts, TimelineQuery.parse(about="declaration zzzzqqq"))
    assert answer.events and all("declaration" in e.text.lower() for e in answer.events)
