"""Dates in wire and newspaper sentences: each sentence yields exactly the expected event dates."""

from __future__ import annotations

import pytest

from tests.helpers import extract

CASES = [
    (
        "MOSCOW, Sept 5 (Reuters) - Russia held military drills on the disputed islands on Tuesday, the defence ministry said.\n",
        "2023-09-05",
        ["2023-09-05"],
    ),
    ("The talks collapsed in March 2022 after Tokyo joined Western sanctions.\n", "2023-03-15", ["2022-03"]),
    ("Russia suspended visa-free visits by former residents last year.\n", "2023-03-15", ["2022"]),
    (
        "Soviet troops seized the islands in the final days of World War Two in August 1945.\n",
        "2023-03-15",
        ["1945-08"],
    ),
    (
        "The Treaty of Shimoda, signed on Feb. 7, 1855, drew the border between Etorofu and Urup.\n",
        "2023-03-15",
        ["1855-02-07"],
    ),
    ("Japan marks Northern Territories Day every year on February 7.\n", "2023-03-15", ["2023-02-07"]),
    ("The governor will visit Iturup next month.\n", "2023-03-15", ["2023-04"]),
    ("About 17,000 Japanese lived on the islands before 1945.\n", "2023-03-15", ["1945"]),
    ("Some 3,000 troops took part in the 2022 drills.\n", "2023-03-15", []),
    ("The two leaders have met 27 times since 2013.\n", "2023-03-15", ["2013"]),
    ("Kishida said on Wednesday that Japan would respond.\n", "2023-03-15", ["2023-03-15"]),
    ("The summit is scheduled for Nov. 10-11 in Lima.\n", "2023-03-15", ["2023-11-10"]),
    ("Between 1945 and 1949, about 17,000 residents were deported.\n", "2023-03-15", ["1945", "1949"]),
    (
        "It was the first visit by a Russian leader since Medvedev went to Kunashir on Nov. 1, 2010.\n",
        "2023-03-15",
        ["2010-11-01"],
    ),
    ("The foreign minister will travel to Moscow next weekend.\n", "2023-03-29", ["2023-04"]),
    ("Russian bombers flew near Hokkaido last week, the ministry said.\n", "2023-03-02", ["2023-02"]),
    ("Vice ministers met in Tokyo on 13 and 14 March to prepare the summit.\n", "2023-03-15", ["2023-03-13"]),
    ("The joint declaration was signed on October, 19, 1956, in Moscow.\n", "2023-03-15", ["1956-10-19"]),
    (
        "Former islanders lay flowers at a memorial in Nemuro on Feb. 7, 2023. (Kyodo)\n",
        "2023-03-15",
        ["2023-02-07"],
    ),
    ("Kishida spoke on Tuesday (March 14) at the Diet.\n", "2023-03-30", ["2023-03-14"]),
]


@pytest.mark.parametrize(("text", "published", "dates"), CASES)
def test_event_dates(text: str, published: str, dates: list[str]) -> None:
    assert sorted({e.date.iso() for e in extract(text, published).events}) == dates
