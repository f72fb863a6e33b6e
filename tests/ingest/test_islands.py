from __future__ import annotations

import pytest

from bot.search import SearchIndex
from tests.helpers import extract, gazetteer


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Iturup", "iturup"),
        ("Etorofu", "iturup"),
        ("択捉島", "iturup"),
        ("Итуруп", "iturup"),
        ("Kunashir", "kunashir"),
        ("Kunashiri", "kunashir"),
        ("国後島", "kunashir"),
        ("Кунашир", "kunashir"),
        ("Shikotan Island", "shikotan"),
        ("色丹島", "shikotan"),
        ("Шикотан", "shikotan"),
        ("the Habomai islets", "habomai"),
        ("Habomai Rocks", "habomai"),
        ("the Lesser Kuril Chain", "habomai"),
        ("the Lesser Kuril Ridge", "habomai"),
        ("歯舞群島", "habomai"),
        ("Хабомаи", "habomai"),
        ("the Kuril Islands", "kuril-islands"),
        ("the Kurils", "kuril-islands"),
        ("Chishima", "kuril-islands"),
        ("Курильские острова", "kuril-islands"),
        ("the Southern Kurils", "southern-kurils"),
        ("the South Kuril Islands", "southern-kurils"),
        ("the Northern Territories", "southern-kurils"),
        ("the four northern islands", "southern-kurils"),
        ("on 4 northern islands", "southern-kurils"),
        ("北方領土", "southern-kurils"),
        ("the southern part of the Kuril Islands", "southern-kurils"),
        ("the southern Kuril Islands", "southern-kurils"),
        ("the Habomais", "habomai"),
        ("the habomai islets", "habomai"),
        ("the Kuril islands", "kuril-islands"),
        ("the kurils", "kuril-islands"),
        ("the Kurile chain", "kuril-islands"),
        ("the Kuril island chain", "kuril-islands"),
        ("a Kuril island", "kuril-islands"),
        ("the Greater Kuril Chain", "kuril-islands"),
        ("the northern territories", "southern-kurils"),
    ],
)
def test_gazetteer_matches_aliases_in_every_script(text: str, key: str) -> None:
    found = gazetteer().find(f"They spoke of {text} today.")
    assert [m.key for m in found] == [key]


def test_longest_alias_wins_so_lesser_kurils_are_not_the_whole_chain() -> None:
    keys = [m.key for m in gazetteer().find("islands of the Lesser Kuril Chain and the Kuril Islands")]
    assert keys == ["habomai", "kuril-islands"]


def test_words_containing_an_alias_do_not_match() -> None:
    assert gazetteer().find("The Kurilsky district and Shikotanian fish.") == []


def test_island_fact_carries_the_sentence_date() -> None:
    facts = extract("In 1956, Moscow promised to hand over Shikotan and the Habomai islets.\n", "2019-01-04")
    got = {(f.island, f.date.iso() if f.date else None) for f in facts.island_facts}
    assert got == {("shikotan", "1956"), ("habomai", "1956")}
    c = facts.island_facts[0].citation
    assert c.excerpt == "In 1956, Moscow promised to hand over Shikotan and the Habomai islets."


@pytest.mark.parametrize(
    "islet",
    [
        "Shibotsu",
        "Shibotsu-to",
        "Taraku Island",
        "Akiyuri",
        "Harukaru",
        "Suisho Island",
        "Kaigara Island",
        "Yuri Island",
        "Zelyony Island",
        "Polonsky Island",
        "Tanfilyev Island",
        "Signalny Island",
        "志発島",
        "остров Анучина",
    ],
)
def test_islet_of_the_habomai_group_is_a_habomai_mention(islet: str) -> None:
    found = gazetteer().find(f"Her family farmed kelp on {islet} until 1945.")
    assert [m.key for m in found] == ["habomai"]


@pytest.mark.parametrize(
    "text",
    [
        "Kremlin aide Yuri Ushakov briefed reporters.",
        "The economist Polonsky wrote about the zelyony sector.",
        "Suisho means crystal in Japanese.",
    ],
)
def test_islet_names_that_are_also_names_or_words_need_the_word_island(text: str) -> None:
    assert gazetteer().find(text) == []


def test_islet_and_its_plural_group_in_one_sentence_make_one_habomai_fact() -> None:
    facts = extract("The oldest visitor was born on Taraku, one of the Habomais, in 1931.\n", "2019-01-04")
    assert [(f.island, f.date.iso() if f.date else None) for f in facts.island_facts] == [("habomai", "1931")]


def test_asking_for_an_islet_answers_with_its_group_whose_other_names_stay_short() -> None:
    g = gazetteer()
    index = SearchIndex({}, {}, g, {})
    assert index.match_island("Shibotsu")[0] == "habomai"
    assert index.match_island("Kaigara Island")[0] == "habomai"
    assert ("Shibotsu", "habomai") in g.all_names()
    # The group's own names are what a reader sees as "also called"; its islets are not other names.
    assert "Shibotsu" not in g.islands["habomai"].aliases
    assert "Shibotsu" in g.islands["habomai"].summary


def test_slash_joined_names_are_both_found() -> None:
    found = gazetteer().find("Shikotan Island in the Kuril Islands/Northern Territories.")
    assert [m.key for m in found] == ["shikotan", "kuril-islands", "southern-kurils"]
