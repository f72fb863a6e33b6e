from __future__ import annotations

import pytest

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
