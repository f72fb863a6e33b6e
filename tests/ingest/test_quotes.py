from __future__ import annotations

import pytest

from tests.helpers import SEEDS, extract, speakers


def _seed_quotes(prefix: str, published: str) -> list[tuple[str, str, bool]]:
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    return [(q.speaker, q.text, q.partial) for q in extract(text, published).quotes]


def test_seed_004_quotes_pronouns_and_fragments() -> None:
    quotes = _seed_quotes("004", "2019-01-04")
    assert quotes == [
        (
            "Shinzo Abe",
            "I’ll visit Russia later this month and intend to push forward with discussions towards a "
            "peace treaty",
            False,
        ),
        ("Shinzo Abe", "absolutely no progress", True),
        ("Shinzo Abe", "as never before.", True),
        ("Vladimir Putin", "without any pre-conditions.", True),
        ("Shinzo Abe", "We both do not want this to drag out into another generation", False),
    ]


def test_pronoun_skips_the_interviewer_named_after_a_preposition() -> None:
    # "he said" follows "Abe said in an interview with ... Mikhail Gusman": Abe spoke, Gusman did not.
    quotes = _seed_quotes("002", "2018-11")
    assert {s for s, _, _ in quotes} == {"Shinzo Abe"}
    assert len(quotes) == 4


def test_role_description_resolves_within_the_article() -> None:
    quotes = _seed_quotes("003", "2018-11")
    by_start = {t[:20]: s for s, t, _ in quotes}
    assert by_start["I’ve met with Presid"] == "Shinzo Abe"  # "the Japanese PM pointed out"
    assert by_start["If we combine Russia"] == "Shinzo Abe"  # "the Japanese PM stressed"


def test_according_to_cue_and_partial_flag() -> None:
    quotes = _seed_quotes("003", "2018-11")
    partial = [q for q in quotes if q[2]]
    assert partial == [
        (
            "Shinzo Abe",
            "firm determination based on growing confidence to solve the territorial "
            "problem and sign a peace treaty, and bring this issue to a close, in order "
            "not to place it on the shoulders of future generations.",
            True,
        )
    ]


def test_multi_sentence_quote_is_one_quote() -> None:
    quotes = _seed_quotes("003", "2018-11")
    first = quotes[0]
    assert first[1].startswith("Japan and Russia are nations") and first[1].endswith("for our nations")
    assert first[1].count(". ") >= 3


def test_continued_quote_without_cue_keeps_the_speaker() -> None:
    quotes = _seed_quotes("001", "2018-01-22")
    assert [q[0] for q in quotes] == ["Shinzo Abe"] * 3
    assert quotes[1][1].startswith("For example, last September")


def test_stray_quotation_mark_does_not_swallow_text() -> None:
    quotes = _seed_quotes("001", "2018-01-22")
    assert not any("In view of that" in t for _, t, _ in quotes)


def test_inverted_cue_said_name() -> None:
    text = "“The islands are Russian territory,” said Sergey Lavrov, the Russian foreign minister.\n"
    assert speakers(text) == [("Sergey Lavrov", "The islands are Russian territory")]


def test_interrupted_quote_is_one_quote_with_two_spans() -> None:
    text = (
        "Russian Foreign Minister Sergey Lavrov met his Japanese counterpart.\n\n"
        "“We are ready to talk,” said Lavrov, “but sovereignty is not up for discussion.”\n"
    )
    facts = extract(text)
    assert [(q.speaker, q.text) for q in facts.quotes] == [
        ("Sergey Lavrov", "We are ready to talk, but sovereignty is not up for discussion.")
    ]
    citation = facts.quotes[0].citation
    assert text[citation.start : citation.end] == citation.excerpt
    assert citation.excerpt.endswith("discussion.”")


def test_role_description_top_diplomat() -> None:
    text = (
        "Sergey Lavrov met Taro Kono in Moscow on Monday.\n\n"
        '"There is no progress on the islands," the Russian top diplomat told reporters.\n'
    )
    assert speakers(text) == [("Sergey Lavrov", "There is no progress on the islands")]


def test_pronoun_after_a_paragraph_of_other_names() -> None:
    text = (
        "Japanese Prime Minister Shinzo Abe met Vladimir Putin in Singapore.\n\n"
        "Abe said the talks were productive.\n\n"
        "Analysts in Moscow and Tokyo, including Dmitri Trenin's colleagues, were sceptical.\n\n"
        '"We will not leave this to the next generation," he said.\n'
    )
    assert speakers(text) == [("Shinzo Abe", "We will not leave this to the next generation")]


def test_she_skips_male_candidates() -> None:
    text = (
        "Foreign ministry spokeswoman Maria Zakharova spoke after Sergey Lavrov left.\n\n"
        '"Japan must accept the results of the war," she said.\n'
    )
    assert speakers(text) == [("Maria Zakharova", "Japan must accept the results of the war")]


def test_colon_cue_before_the_quote() -> None:
    text = 'Kremlin spokesman Dmitry Peskov said: "There is no deadline for the talks."\n'
    assert speakers(text) == [("Dmitry Peskov", "There is no deadline for the talks.")]


def test_quote_running_over_two_paragraphs() -> None:
    text = (
        "Abe spoke at length in Tokyo.\n\n"
        "“We will sign the treaty. It is our duty.\n\n"
        "“Our generation must finish this,” Abe said.\n"
    )
    assert speakers(text) == [
        ("Shinzo Abe", "We will sign the treaty. It is our duty. Our generation must finish this")
    ]


@pytest.mark.parametrize(
    "text",
    [
        'Japan calls them the "Northern Territories" in official documents.\n',
        'The so-called "peace process" has stalled, Abe said.\n',
        'Abe watched the film "The Last Island" on Friday.\n',
        'Putin said the "Kuril" question was closed.\n',
    ],
)
def test_scare_quotes_and_titles_are_not_quotes(text: str) -> None:
    assert speakers(text) == []


def test_quote_without_any_speaker_is_dropped_not_guessed() -> None:
    assert speakers('"The islands will never be returned."\n\nThe weather was cold.\n') == []


def test_quote_citation_is_the_exact_passage() -> None:
    for path in SEEDS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        for q in extract(text).quotes:
            c = q.citation
            assert text[c.start : c.end] == c.excerpt
            # The quoted words themselves are inside the cited passage.
            assert q.text.split()[0].strip('“"') in c.excerpt
