"""The fast paths of extraction find exactly what the plain regular expressions they stand in for find."""

from __future__ import annotations

import random
import re

from bot.build.transport import FactsUnpacker, pack_facts
from bot.ingest import people
from bot.ingest.needles import Needles, required_literal, top_level_alternatives, trie_pattern
from tests.helpers import SEEDS, directory, extract, gazetteer

# Characters that lower-case unusually or that re.IGNORECASE equates with others.
TRICKY = ["ſ", "İ", "ı", "K", "Σ", "σ", "ς", "ẞ", "ß", "Ё", "ё", "’", "'", "-", "é"]


def _noise(rng: random.Random, words: list[str], n: int) -> str:
    parts = []
    for _ in range(n):
        w = rng.choice(words)
        r = rng.random()
        if r < 0.2:
            w = w.upper()
        elif r < 0.4:
            w = w.capitalize()
        elif r < 0.5:
            w = rng.choice(TRICKY) + w
        elif r < 0.6:
            w = w + rng.choice(TRICKY)
        parts.append(w)
        parts.append(rng.choice([" ", " ", ", ", "-", "\n", ". ", "  ", ""]))
    return "".join(parts)


def test_folding_finds_what_a_case_insensitive_search_finds() -> None:
    needles = ["kunashir", "iturup", "итуруп", "shikotan", "sasha", "kelvin", "straße", "ίσως"]
    folder = Needles(needles)
    rng = random.Random(1)
    words = [*needles, "kuna", "shir", "itu", "rup", "ſasha", "KELVIN", "STRASSE", "ΊΣΩΣ"]
    checked = 0
    for _ in range(3000):
        text = _noise(rng, words, rng.randint(1, 8))
        folded = folder.fold(text)
        if folded is None:
            continue
        assert len(folded) == len(text)
        for needle in needles:
            expected = re.search(re.escape(needle), text, re.IGNORECASE) is not None
            assert (needle in folded) == expected, (text, needle)
            checked += 1
    assert checked > 1000


def test_a_text_that_folds_inexactly_is_refused() -> None:
    folder = Needles(["sasha", "istanbul"])
    assert folder.fold("ſasha") is None  # the long s matches "s" under re.IGNORECASE
    assert folder.fold("İstanbul") is None  # lower-cases to two characters
    assert folder.fold("Sasha in Istanbul") == "sasha in istanbul"


def test_gazetteer_finds_what_its_whole_expression_finds() -> None:
    g = gazetteer()
    rng = random.Random(2)
    words = [alias for alias, _ in g.all_names()] + ["the", "southern", "part", "of", "four", "islands", "x"]
    for _ in range(2000):
        text = _noise(rng, words, rng.randint(1, 10))
        expected = [
            (m.start(), m.end(), g._keys[m.lastindex - 1]) for m in g._regex.finditer(text) if m.lastindex
        ]
        assert [(m.start, m.end, m.key) for m in g.find(text)] == expected, text


def test_names_are_found_where_the_alternation_finds_them() -> None:
    lookup = directory().lookup()
    rng = random.Random(3)
    keys = ["abe", "shinzo abe", "putin", "vladimir putin", "lavrov", "a", "ab", "abe-san"]
    words = [*keys, "Abe's", "xabe", "Putin-era", "said", "and"]
    for _ in range(2000):
        text = _noise(rng, words, rng.randint(1, 10))
        alternation = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
        expected = [
            (m.start(), m.end(), m.group(0).lower())
            for m in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", text, re.IGNORECASE)
        ]
        assert people._find_names(text, lookup.needles, keys) == expected, text
        folded = lookup.needles.fold(text)
        if folded is not None:
            for key in keys:
                pattern = re.compile(rf"\b{re.escape(key)}\b", re.IGNORECASE)
                assert people._word_matches(text, folded, key) == [m.start() for m in pattern.finditer(text)]


def test_trie_pattern_matches_the_same_words() -> None:
    words = ["said", "say", "says", "saying", "told", "told reporters", "tells", "a", "ab", "b"]
    pattern = re.compile(trie_pattern(words))
    for candidate in [*words, "sa", "tol", "saidx", "told reporter", "", "c", "abc"]:
        assert (pattern.fullmatch(candidate) is not None) == (candidate in words), candidate


def test_required_literals_are_in_every_match() -> None:
    assert required_literal("four (?:disputed|contested) islands") in ("four", "islands")
    assert required_literal("spokes(?:wo)?man") == "spokes"
    assert required_literal("(?:top|chief) diplomat") == "diplomat"
    assert required_literal("abc?") == "ab"
    assert required_literal("a|b") is None
    assert required_literal("(?:x|y)") is None
    assert top_level_alternatives("a|(?:b|c)|[|]") == ["a", "(?:b|c)", "[|]"]


def test_packed_facts_unpack_to_equal_facts() -> None:
    unpack = FactsUnpacker()
    for path in sorted(SEEDS.glob("*.txt")):
        facts = extract(path.read_text(encoding="utf-8"), article_id=path.stem)
        assert unpack(pack_facts(facts)) == facts
    without = FactsUnpacker(passages=False)(pack_facts(facts))
    assert without.passages == [] and without.quotes == facts.quotes and without.events == facts.events
