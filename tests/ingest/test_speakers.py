"""The speaker-phrase grammar on its own: which phrases can name a speaker, of which kind, shown how."""

from __future__ import annotations

import random

import pytest

from bot.ingest.speakers import Phrase, analyse, tokenize


def _phrase(text: str) -> Phrase | None:
    return analyse(tokenize(text, 0, len(text)))


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("Kremlin spokesman Dmitry Peskov", "person", "Dmitry Peskov"),
        ("Russian Deputy Ambassador Mikhail Galuzin", "person", "Mikhail Galuzin"),
        ("86-year-old Kiyoto Tomiyama", "person", "Kiyoto Tomiyama"),
        ("a grateful Igeta", "person", "Igeta"),
        ("Mr. Tanaka", "person", "Tanaka"),
        ("Russian Ambassador to Japan Mikhail Galuzin", "person", "Mikhail Galuzin"),
        ("Minister of Foreign Affairs Sergey Lavrov", "person", "Sergey Lavrov"),
        ("the Russian Foreign Ministry", "organisation", "Russian Foreign Ministry"),
        ("Russia's Foreign Ministry", "organisation", "Russian Foreign Ministry"),
        ("Japan's Ministry of Foreign Affairs", "organisation", "Japanese Foreign Ministry"),
        ("the Kremlin press service", "organisation", "Kremlin press service"),
        ("Moscow", "organisation", "Moscow"),
        ("the United States", "organisation", "United States"),
        ("TASS", "organisation", "TASS"),
        ("the Japan Coast Guard", "organisation", "Japan Coast Guard"),
        ("an official at the Japanese Embassy in Moscow", "role", "Japanese Embassy official"),
        ("a senior Japanese government official", "role", "senior Japanese government official"),
        ("Russian officials", "role", "Russian officials"),
        ("Officials", "role", "officials"),
        (
            "a spokesman for the ministry's Russia division",
            "role",
            "spokesman for the ministry's Russia division",
        ),
        ("two former islanders", "role", "former islanders"),
        ("he", "pronoun", "he"),
        ("it", "pronoun", "it"),
    ],
)
def test_speaker_phrases_and_their_kinds(text: str, kind: str, name: str) -> None:
    phrase = _phrase(text)
    assert phrase is not None, text
    assert (phrase.kind, phrase.name) == (kind, name)


@pytest.mark.parametrize(
    "text",
    [
        "which have long been",
        "the fishing boat",
        "Monday",
        "last month",
        "The Diplomatic Bluebook",
        "the document",
        "Article 9",
        "A sign at the port",
        "Deal With Japan on Kuril Islands at Irkutsk",
        "a spokesman for Putin and",
        "The two",
        "that the talks",
        "",
    ],
)
def test_phrases_that_name_no_speaker(text: str) -> None:
    assert _phrase(text) is None


def test_descriptions_in_front_of_a_name_are_kept() -> None:
    phrase = _phrase("Russian Deputy Ambassador Mikhail Galuzin")
    assert phrase is not None and phrase.descriptor == "Russian Deputy Ambassador"


def test_definite_and_bare_roles_are_marked_for_resolution() -> None:
    bare = _phrase("the ministry")
    assert bare is not None and bare.bare and bare.definite
    indefinite = _phrase("a Russian diplomat")
    assert indefinite is not None and not indefinite.definite and not indefinite.bare
    possessive = _phrase("Japan's prime minister")
    assert possessive is not None and possessive.definite


def test_any_run_of_words_is_analysed_without_error() -> None:
    rng = random.Random(7)
    words = [
        "the",
        "a",
        "Russian",
        "Japan's",
        "official",
        "said",
        "Putin",
        "Mr.",
        "of",
        "at",
        "in",
        "which",
        "1956",
        "86-year-old",
        ",",
        "ministry",
        "Moscow",
    ]
    for _ in range(2000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        phrase = _phrase(text)
        if phrase is not None:
            assert phrase.kind in ("person", "role", "organisation", "pronoun")
            assert phrase.name.strip()
            assert "which" not in phrase.name.split()
