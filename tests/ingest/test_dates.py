"""Tests for the rule-based date-expression finder."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ingest.dates import DateMention, find_dates
from bot.models import PartialDate

JAN_04_2019 = PartialDate(2019, 1, 4)  # a Friday
NOV_2018 = PartialDate(2018, 11)  # month granularity only
JAN_22_2018 = PartialDate(2018, 1, 22)  # a Monday
DEC_05_2018 = PartialDate(2018, 12, 5)  # a Wednesday
NOV_16_2018 = PartialDate(2018, 11, 16)  # a Friday
YEAR_2018 = PartialDate(2018)

Found = list[tuple[str, str | None]]


def found(text: str, published: PartialDate | None = None, anchor: PartialDate | None = None) -> Found:
    """(surface, iso or None) for every mention, after checking the offsets agree with the surface."""
    mentions = find_dates(text, published, anchor=anchor)
    for m in mentions:
        assert isinstance(m, DateMention)
        assert text[m.start : m.end] == m.surface
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    return [(m.surface, m.date.iso() if m.date else None) for m in mentions]


# --------------------------------------------------------------------------- real sentences


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Japanese Prime Minister Shinzo Abe said on Friday he intends to push forward towards a World War "
            "Two peace treaty with Russia, which has been stymied for decades by a territorial row, during a "
            "summit in Russia later this month.",
            JAN_04_2019,
            [("Friday", "2019-01-04"), ("later this month", "2019-01")],
            id="friday-and-later-this-month",
        ),
        pytest.param(
            "Abe, who has signalled he is keen to clinch a deal, will meet Russian President Vladimir Putin in "
            "their 25th summit for discussions aimed at ending the disagreement over a group of windswept "
            "islands seized by Soviet troops in the final days of the war.",
            JAN_04_2019,
            [],
            id="25th-summit",
        ),
        pytest.param(
            "Putin caught Abe off guard in September when, on stage with the Japanese leader at a conference "
            "in Vladivostok, he suggested signing a peace treaty by year-end “without any pre-conditions.”",
            JAN_04_2019,
            [("September", "2018-09")],
            id="past-september-not-year-end",
        ),
        pytest.param(
            "There had been “absolutely no progress” on the issue for more than 70 years, he said.",
            JAN_04_2019,
            [],
            id="more-than-70-years",
        ),
        pytest.param("Putin may be open to a deal now", JAN_04_2019, [], id="modal-may"),
        pytest.param(
            "“I’ll visit Russia later this month and intend to push forward with discussions towards a peace "
            "treaty,” he told a news conference in the western city of Ise.",
            JAN_04_2019,
            [("later this month", "2019-01")],
            id="ill-visit-later-this-month",
        ),
        pytest.param(
            "He told reporters after the two met again in Singapore in November they had agreed to speed up "
            "negotiations based on a 1956 joint statement.",
            JAN_04_2019,
            [("November", "2018-11")],
            id="past-november-and-1956-modifier",
        ),
        pytest.param(
            "He also said he plans to visit Russia early next year to have talks with President Putin.",
            NOV_2018,
            [("early next year", "2019")],
            id="early-next-year",
        ),
        pytest.param(
            "Apart from that, in his words, he will expect Putin to come to Japan to attend a Group of Twenty "
            "summit in June.",
            NOV_2018,
            [("June", "2019-06")],
            id="future-june",
        ),
        pytest.param(
            "The Japanese prime minister noted he hopes to meet with Russian President Vladimir Putin on the "
            "sidelines of a Group of Twenty summit in Argentina later in November.",
            NOV_2018,
            [("later in November", "2018-11")],
            id="later-in-publication-month",
        ),
        pytest.param(
            "Japanese Prime Minister Shinzo Abe said in an exclusive interview with TASS on Thursday.",
            NOV_2018,
            [("Thursday", None)],
            id="weekday-needs-day-granular-publication",
        ),
        pytest.param(
            "At a meeting in Singapore on November 14, Russian President Vladimir Putin and Japanese Prime "
            "Minister Shinzo Abe had agreed to beef up Russian-Japanese peace treaty talks based on the 1956 "
            "Joint Declaration",
            NOV_2018,
            [("November 14", "2018-11-14")],
            id="month-day-with-month-publication",
        ),
        pytest.param(
            "Abe added that he expects to meet with Putin during the G20 summit in Argentina, which is "
            "scheduled for late November-early December.",
            NOV_2018,
            [("late November", "2018-11")],
            id="month-range-is-one-mention",
        ),
        pytest.param(
            "The Soviet-Japanese Joint Declaration ... was signed in Moscow on October 19, 1956.",
            NOV_2018,
            [("October 19, 1956", "1956-10-19")],
            id="signed-october-19-1956",
        ),
        pytest.param(
            "A Soviet government’s memorandum dated January 27, 1960, said that those islands would only be "
            "handed over",
            NOV_2018,
            [("January 27, 1960", "1960-01-27")],
            id="memorandum-1960",
        ),
        pytest.param(
            "In 1956, the Soviet Union and Japan signed a joint declaration on ceasing the state of war.",
            None,
            [("1956", "1956")],
            id="in-1956-comma",
        ),
        pytest.param(
            "Under the plan, Moscow and Tokyo have developed roughly 150 joint projects in various areas in the "
            "last two and a half years, Abe added",
            NOV_2018,
            [],
            id="150-projects-two-and-a-half-years",
        ),
        pytest.param("I’ve met with President Putin 23 times already.", NOV_2018, [], id="23-times"),
        pytest.param(
            "The same had been proposed by the Japanese PM in May 2016.",
            JAN_22_2018,
            [("May 2016", "2016-05")],
            id="may-2016",
        ),
        pytest.param("the 8-point economic cooperation plan", NOV_2018, [], id="8-point-plan"),
        pytest.param(
            "Since the mid-20th century, Russia and Japan have been negotiating",
            NOV_2018,
            [],
            id="mid-20th-century",
        ),
        pytest.param(
            "For example, last September former residents of Kunashir and Iturup islands were able for the "
            "first time to visit",
            JAN_22_2018,
            [("last September", "2017-09")],
            id="last-september",
        ),
        pytest.param(
            "the Japanese PM spoke of the unanimous voting of a resolution in last December",
            JAN_22_2018,
            [("last December", "2017-12")],
            id="in-last-december",
        ),
        pytest.param(
            "Abe said on Monday delivering a keynote address",
            JAN_22_2018,
            [("Monday", "2018-01-22")],
            id="monday-is-publication-day",
        ),
        pytest.param(
            "the Japanese PM spoke of the unanimous voting of a resolution in last December",
            None,
            [("last December", None)],
            id="last-december-unresolved",
        ),
        pytest.param(
            "Russian-Japanese ties entered a significantly new era of active development in 2016, when Abe had "
            "come up with the eight-point cooperation plan between the two countries.",
            NOV_2018,
            [("2016", "2016")],
            id="in-2016-when",
        ),
        pytest.param(
            "TOKYO, January 22. /TASS/. The Japanese government seeks to sign a peace treaty with Russia",
            JAN_22_2018,
            [("January 22", "2018-01-22")],
            id="dateline",
        ),
    ],
)
def test_real_sentences(text: str, published: PartialDate | None, expected: Found) -> None:
    assert found(text, published) == expected


def test_following_year_uses_anchor() -> None:
    text = "The following year, the two countries exchanged ambassadors."
    assert found(text, NOV_2018, anchor=PartialDate(1956)) == [("The following year", "1957")]


# --------------------------------------------------------------------------- absolute dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("signed on October 19, 1956.", [("October 19, 1956", "1956-10-19")]),
        ("signed on 19 October 1956.", [("19 October 1956", "1956-10-19")]),
        ("signed on Oct. 19, 1956.", [("Oct. 19, 1956", "1956-10-19")]),
        ("met on Sept. 7, 2018 in Vladivostok", [("Sept. 7, 2018", "2018-09-07")]),
        ("ratified on December 8, 1956.", [("December 8, 1956", "1956-12-08")]),
        ("on the 19th of October, 1956", [("19th of October, 1956", "1956-10-19")]),
        ("on Friday, January 4, 2019, Abe said", [("Friday, January 4, 2019", "2019-01-04")]),
        ("held on September 5-7, 2018", [("September 5-7, 2018", "2018-09-05")]),
        ("proposed in May 2016.", [("May 2016", "2016-05")]),
        ("proposed in May of 2016.", [("May of 2016", "2016-05")]),
        ("a note dated Jan. 1960 said", [("Jan. 1960", "1960-01")]),
        ("the report of 2019-01-04 says", [("2019-01-04", "2019-01-04")]),
        ("in 1956 they signed", [("1956", "1956")]),
        ("since 1945, the islands", [("1945", "1945")]),
        ("a deal by 2030.", [("2030", "2030")]),
        ("until 1991 the Soviet Union", [("1991", "1991")]),
        ("from 1956 to 1960", [("1956", "1956"), ("1960", "1960")]),
        ("between 1855 and 1875", [("1855", "1855"), ("1875", "1875")]),
        ("in 1904-05", [("1904", "1904"), ("05", "1905")]),
        ("in early 1956", [("early 1956", "1956")]),
        ("in mid-2018", [("mid-2018", "2018")]),
        ("a deal in late 2019", [("late 2019", "2019")]),
        ("late 2019 saw a breakthrough", [("late 2019", "2019")]),
        ("in the year 1956", [("the year 1956", "1956")]),
        ("in the summer of 1945", [("the summer of 1945", "1945")]),
        ("in spring of 1946", [("spring of 1946", "1946")]),
        ("by the end of 2018", [("the end of 2018", "2018")]),
        ("during 1945 and 1946", [("1945", "1945"), ("1946", "1946")]),
        ("(in 1956)", [("1956", "1956")]),
        ("“In 1956, they signed", [("1956", "1956")]),
        ("1956, the year of the declaration, was pivotal", [("1956", "1956")]),
        ("talks held in 1956 and 1960 failed", [("1956", "1956"), ("1960", "1960")]),
        ("circa 1855", [("1855", "1855")]),
    ],
)
def test_absolute(text: str, expected: Found) -> None:
    assert found(text, NOV_16_2018) == expected
    assert all(not m.relative for m in find_dates(text, NOV_16_2018))


@pytest.mark.parametrize(
    ("text", "granularity"),
    [
        ("on October 19, 1956", "day"),
        ("in May 2016", "month"),
        ("in 1956", "year"),
        ("on 2019-01-04", "day"),
        ("last December", "month"),
        ("early next year", "year"),
        ("on November 14", "day"),
        ("on Friday", "day"),
    ],
)
def test_granularity(text: str, granularity: str) -> None:
    (mention,) = find_dates(text, NOV_16_2018)
    assert mention.date is not None
    assert mention.date.granularity == granularity


def test_years_outside_range_are_not_dates() -> None:
    assert found("in 1799 and in 2101 and in 2334") == []


# --------------------------------------------------------------------------- false dates


@pytest.mark.parametrize(
    "text",
    [
        "the 1956 Joint Declaration",
        "a 1956 joint statement",
        "the 1855 Treaty of Shimoda",
        "its 2018 budget",
        "based on the 1956 declaration",
        "in the 1956 Joint Declaration",
        "a mid-2018 report",
        "the Joint Declaration of 1956",
        "in the 1950s",
        "the late 1950s",
        "since the mid-20th century",
        "their 25th summit",
        "the 14th round of talks",
        "met 23 times",
        "an 8-point plan",
        "the eight-point plan",
        "150 projects",
        "60 out of the 150 projects",
        "met over 20 times",
        "for more than 70 years",
        "over the past two years",
        "in the last two and a half years",
        "the past few years",
        "stymied for decades",
        "a treaty by year-end",
        "a year-end deadline",
        "the meeting at 10 a.m.",
        "at 10 a",
        "two of the four islands",
        "Resolution 2334 was adopted",
        "2334",
        "up to 2000 people",
        "around 2000 troops",
        "4 northern islands",
        "Article 9 of the declaration",
        "the G20 summit",
        "Putin may be open to a deal",
        "Putin May Visit Japan",
        "a protest march",
        "they marched on the embassy",
        "March organisers said",
        "an august body",
        "Sun and Sat editions",
        "Abe spoke to May by phone",
        "a letter from May said",
        "a plan proposed by May",
        "after May said so",
        "May's government",
        "the Sunday Times reported",
        "on Bloody Sunday",
        "meetings on Fridays",
        "in the past year",
        "the last year of the war",
        "over the next year",
        "more than a year later",
        "half a year later",
        "the following years",
        "he told Russia Today",
        "a year-long effort",
        "the year after the war",
        "the talks lasted a week",
        "for a week",
        "over the past week",
        "in the last week",
        "over the next week",
        "in recent weeks",
        "in the coming weeks",
        "every week",
        "a weekend of talks",
        "the Golden Week holidays",
        "a week-long drill",
        "they met midweek",
        "about two weeks ago",
    ],
)
def test_not_a_date(text: str) -> None:
    assert found(text, NOV_16_2018, anchor=PartialDate(1956)) == []


# --------------------------------------------------------------------------- relative months


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("last December", JAN_22_2018, "2017-12"),
        ("last September", JAN_22_2018, "2017-09"),
        ("last December", DEC_05_2018, "2017-12"),
        ("last November", DEC_05_2018, "2018-11"),
        ("next March", DEC_05_2018, "2019-03"),
        ("next December", DEC_05_2018, "2019-12"),
        ("this March", DEC_05_2018, "2018-03"),
        ("past December", DEC_05_2018, "2017-12"),
        ("this month", DEC_05_2018, "2018-12"),
        ("later this month", DEC_05_2018, "2018-12"),
        ("earlier this month", DEC_05_2018, "2018-12"),
        ("next month", DEC_05_2018, "2019-01"),
        ("last month", JAN_22_2018, "2017-12"),
        ("December last year", DEC_05_2018, "2017-12"),
        ("in March this year", DEC_05_2018, "2018-03"),
        ("November 14 last year", DEC_05_2018, "2017-11-14"),
        ("last September", YEAR_2018, None),  # depends on the unknown publication month
        ("last December", YEAR_2018, "2017-12"),  # the same for every publication month
        ("next January", YEAR_2018, "2019-01"),
        ("this month", YEAR_2018, None),
    ],
)
def test_relative_months(text: str, published: PartialDate, expected: str | None) -> None:
    ((surface, iso),) = found(text, published)
    assert iso == expected
    assert surface == text.removeprefix("in ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this year", "2018"),
        ("later this year", "2018"),
        ("earlier this year", "2018"),
        ("the end of this year", "2018"),
        ("last year", "2017"),
        ("late last year", "2017"),
        ("next year", "2019"),
        ("early next year", "2019"),
        ("late next year", "2019"),
        ("Next Year", "2019"),
        ("a year ago", "2017"),
        ("two years ago", "2016"),
    ],
)
def test_relative_years(text: str, expected: str) -> None:
    assert found(text, DEC_05_2018) == [(text, expected)]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # the publication month itself, whatever the tense
        ("The summit in Argentina in November will be key.", NOV_2018, [("November", "2018-11")]),
        ("They met in November.", NOV_2018, [("November", "2018-11")]),
        # past or unknown tense: the most recent such month before publication
        ("They met in September.", NOV_2018, [("September", "2018-09")]),
        ("They met in December.", NOV_2018, [("December", "2017-12")]),
        ("talks in June", NOV_2018, [("June", "2018-06")]),
        ("Protests began in late November.", JAN_04_2019, [("late November", "2018-11")]),
        ("Protests began in early December.", JAN_04_2019, [("early December", "2018-12")]),
        ("The talks stalled in mid-March.", NOV_2018, [("mid-March", "2018-03")]),
        # future markers: the first such month after publication
        ("He will visit in June.", NOV_2018, [("June", "2019-06")]),
        ("He plans to visit in December.", NOV_2018, [("December", "2018-12")]),
        ("A deal is expected to be signed by March.", NOV_2018, [("March", "2019-03")]),
        ("The summit is scheduled for September.", NOV_2018, [("September", "2019-09")]),
        ("The upcoming round in February", NOV_2018, [("February", "2019-02")]),
        ("an unprecedented summit will be held in June", NOV_2018, [("June", "2019-06")]),
        # the tense nearest to the month wins over the rest of the sentence
        (
            "Abe, who visited Moscow in May, will host Putin in June.",
            NOV_2018,
            [("May", "2018-05"), ("June", "2019-06")],
        ),
        # ranges and lists run forward from their first month
        ("from March to May", NOV_2018, [("March", "2018-03"), ("May", "2018-05")]),
        (
            "in late November to early December",
            NOV_2018,
            [("late November", "2018-11"), ("early December", "2018-12")],
        ),
        ("talks in December and January", NOV_2018, [("December", "2017-12"), ("January", "2018-01")]),
        ("scheduled for late November-early December", NOV_2018, [("late November", "2018-11")]),
        # "May" the month, not the surname
        ("a deal by May", NOV_2018, [("May", "2018-05")]),
        ("talks scheduled for May", NOV_2018, [("May", "2019-05")]),
        ("the end of May", NOV_2018, [("the end of May", "2018-05")]),
        ("from May to July", NOV_2018, [("May", "2018-05"), ("July", "2018-07")]),
        # no publication date: found but unresolved
        ("They met in September.", None, [("September", None)]),
        # a year-only publication resolves only when every publication month agrees
        ("He will visit in December.", YEAR_2018, [("December", "2018-12")]),
        ("They met in December.", YEAR_2018, [("December", None)]),
    ],
)
def test_month_without_year(text: str, published: PartialDate | None, expected: Found) -> None:
    assert found(text, published) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("At a meeting on November 14, they agreed", NOV_16_2018, [("November 14", "2018-11-14")]),
        ("on 14 November", NOV_16_2018, [("14 November", "2018-11-14")]),
        ("on Nov. 14", NOV_16_2018, [("Nov. 14", "2018-11-14")]),
        ("on the 14th of November", NOV_16_2018, [("14th of November", "2018-11-14")]),
        ("on December 31 he said", PartialDate(2019, 1, 2), [("December 31", "2018-12-31")]),
        ("on January 2 he said", PartialDate(2018, 12, 30), [("January 2", "2019-01-02")]),
        ("on June 28-29", NOV_16_2018, [("June 28-29", "2018-06-28")]),
        ("on Friday, January 4", JAN_04_2019, [("Friday, January 4", "2019-01-04")]),
        ("on November 14", NOV_2018, [("November 14", "2018-11-14")]),  # day 15 as the midpoint
        ("on December 20", YEAR_2018, [("December 20", "2018-12-20")]),  # July 1 as the midpoint
        ("on January 5", YEAR_2018, [("January 5", "2018-01-05")]),
        # equally far either way: the past wins
        ("on September 1", PartialDate(2020, 3, 2), [("September 1", "2019-09-01")]),
        ("on November 14", None, [("November 14", None)]),
    ],
)
def test_month_day_without_year(text: str, published: PartialDate | None, expected: Found) -> None:
    assert found(text, published) == expected


# --------------------------------------------------------------------------- days


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Abe said on Friday", JAN_04_2019, "2019-01-04"),
        ("Abe said on Thursday", JAN_04_2019, "2019-01-03"),
        ("Abe said on Monday", JAN_04_2019, "2018-12-31"),
        ("Friday's meeting was tense", JAN_04_2019, "2019-01-04"),
        ("Abe will meet Putin on Monday", JAN_04_2019, "2019-01-07"),
        ("Abe will meet Putin on Friday", JAN_04_2019, "2019-01-04"),
        ("Abe met Putin last Friday", JAN_04_2019, "2018-12-28"),
        ("Abe meets Putin next Friday", JAN_04_2019, "2019-01-11"),
        ("Abe said on Friday", NOV_2018, None),
        ("Abe said on Friday", None, None),
    ],
)
def test_weekdays(text: str, published: PartialDate | None, expected: str | None) -> None:
    ((_, iso),) = found(text, published)
    assert iso == expected


def test_weekday_tense_is_local_to_its_clause() -> None:
    text = "Abe said on Monday he will meet Putin on Friday."
    assert found(text, PartialDate(2019, 1, 9)) == [("Monday", "2019-01-07"), ("Friday", "2019-01-11")]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("today", NOV_16_2018, "2018-11-16"),
        ("yesterday", NOV_16_2018, "2018-11-15"),
        ("tomorrow", PartialDate(2018, 12, 31), "2019-01-01"),
        ("the day before yesterday", NOV_16_2018, "2018-11-14"),
        ("this morning", NOV_16_2018, "2018-11-16"),
        ("last night", NOV_16_2018, "2018-11-15"),
        ("two days ago", NOV_16_2018, "2018-11-14"),
        ("today", NOV_2018, None),
        ("yesterday", None, None),
    ],
)
def test_day_words(text: str, published: PartialDate | None, expected: str | None) -> None:
    assert found(f"He said {text} that talks would go on.", published) == [(text, expected)]


# --------------------------------------------------------------------------- weeks

MON_03_1997 = PartialDate(1997, 11, 3)  # a Monday
THU_29_2018 = PartialDate(2018, 11, 29)  # a Thursday, near the end of its month


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # week-level expressions are dated at month precision
        ("The president flies to Beijing next weekend for talks.", MON_03_1997, ("next weekend", "1997-11")),
        ("Talks were held in Moscow this week.", NOV_16_2018, ("this week", "2018-11")),
        ("The minister visited Nemuro last week.", NOV_16_2018, ("last week", "2018-11")),
        ("The minister visited Nemuro last week.", MON_03_1997, ("last week", "1997-10")),
        ("Lavrov is due in Tokyo next week.", NOV_16_2018, ("next week", "2018-11")),
        ("Lavrov is due in Tokyo next week.", THU_29_2018, ("next week", "2018-12")),
        ("A draft could be ready early next week.", THU_29_2018, ("early next week", "2018-12")),
        ("The envoys met earlier this week.", DEC_05_2018, ("earlier this week", "2018-12")),
        # "this week" on a Thursday the 29th: the days before it are in November, the days after mostly not
        ("The envoys met this week.", THU_29_2018, ("this week", "2018-11")),
        ("The envoys will meet later this week.", PartialDate(2018, 10, 30), ("later this week", "2018-11")),
        ("Russian jets held drills over the weekend.", MON_03_1997, ("the weekend", "1997-11")),
        ("Russian jets held drills over the weekend.", PartialDate(2018, 10, 1), ("the weekend", "2018-09")),
        ("Russian jets held drills last weekend.", PartialDate(2018, 12, 4), ("last weekend", "2018-12")),
        ("Protesters will rally this weekend.", THU_29_2018, ("this weekend", "2018-12")),
        ("This past weekend, protesters rallied.", DEC_05_2018, ("This past weekend", "2018-12")),
        ("Two weeks ago, patrol boats seized a trawler.", DEC_05_2018, ("Two weeks ago", "2018-11")),
        # without a day of publication only "this week" is known; without a publication nothing
        ("Talks were held in Moscow this week.", NOV_2018, ("this week", "2018-11")),
        ("The minister visited Nemuro last week.", NOV_2018, ("last week", None)),
        ("The minister visited Nemuro last week.", None, ("last week", None)),
    ],
)
def test_weeks_are_dated_at_month_precision(
    text: str, published: PartialDate | None, expected: tuple[str, str | None]
) -> None:
    assert found(text, published) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A week later, the talks resumed.", ("A week later", "2018-11")),
        ("The following week, the talks resumed.", ("The following week", "2018-11")),
        ("That weekend the ships sailed.", ("That weekend", "2018-11")),
        ("The week before, the ships sailed.", ("The week before", "2018-10")),
    ],
)
def test_weeks_after_an_anchor(text: str, expected: tuple[str, str]) -> None:
    assert found(text, DEC_05_2018, anchor=PartialDate(2018, 10, 30)) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Abe will return on Monday next week.", ("Monday next week", "2018-11-19")),
        ("The vote was on Friday of last week.", ("Friday of last week", "2018-11-09")),
        ("The vote is on Tuesday this week.", ("Tuesday this week", "2018-11-13")),
    ],
)
def test_weekday_of_a_named_week_is_one_day(text: str, expected: tuple[str, str]) -> None:
    assert found(text, NOV_16_2018) == [expected]


# --------------------------------------------------------------------------- spans, punctuation, weekdays


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "The envoys met on 13 and 14 November in Singapore.",
            NOV_16_2018,
            ("13 and 14 November", "2018-11-13"),
        ),
        (
            "The envoys met on the 13th and 14th of November.",
            NOV_16_2018,
            ("13th and 14th of November", "2018-11-13"),
        ),
        ("Talks ran from 13 to 15 November.", NOV_16_2018, ("13 to 15 November", "2018-11-13")),
        ("Talks ran on 13-14 November.", NOV_16_2018, ("13-14 November", "2018-11-13")),
        ("Talks ran from Nov. 13 to 15.", NOV_16_2018, ("Nov. 13 to 15", "2018-11-13")),
        ("Talks ran on Oct. 19 and 20, 1956, in Moscow.", None, ("Oct. 19 and 20, 1956", "1956-10-19")),
        ("Talks ran Oct. 19 through 21, 1956, in Moscow.", None, ("Oct. 19 through 21, 1956", "1956-10-19")),
        ("Talks ran on 19 and 20 October 1956.", None, ("19 and 20 October 1956", "1956-10-19")),
    ],
)
def test_a_span_of_days_is_dated_by_its_first_day(
    text: str, published: PartialDate | None, expected: tuple[str, str]
) -> None:
    assert found(text, published) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The declaration was signed on October, 19, 1956.", ("October, 19, 1956", "1956-10-19")),
        ("Troops landed on Sept. 4, 1945.", ("Sept. 4, 1945", "1945-09-04")),
        ("Troops landed on 4 Sept 1945.", ("4 Sept 1945", "1945-09-04")),
        ("It took effect on 12 Dec 1956.", ("12 Dec 1956", "1956-12-12")),
        ("It took effect on 12 December, 1956.", ("12 December, 1956", "1956-12-12")),
        ("Ships patrol the strait in a photo taken on Oct. 15, 2018", ("Oct. 15, 2018", "2018-10-15")),
    ],
)
def test_odd_punctuation_and_abbreviations(text: str, expected: tuple[str, str]) -> None:
    assert found(text, NOV_16_2018) == [expected]


def test_comma_after_month_needs_a_year_to_make_a_day() -> None:
    assert found("In December, 8 people were arrested.", NOV_16_2018) == [("December", "2017-12")]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "Abe met Putin on Tuesday (Nov. 13) in Singapore.",
            NOV_16_2018,
            ("Tuesday (Nov. 13)", "2018-11-13"),
        ),
        (
            "Abe met Putin on Nov. 13 (Tuesday) in Singapore.",
            NOV_16_2018,
            ("Nov. 13 (Tuesday)", "2018-11-13"),
        ),
        # the weekday must not be resolved on its own against a publication date a year later
        (
            "Abe met Putin on Wednesday (Nov. 14, 2018).",
            DEC_05_2018,
            ("Wednesday (Nov. 14, 2018)", "2018-11-14"),
        ),
        (
            "Abe met Putin on Thursday, 15 November, 2018.",
            None,
            ("Thursday, 15 November, 2018", "2018-11-15"),
        ),
        ("Abe met Putin on Nov. 13 (local time).", NOV_16_2018, ("Nov. 13", "2018-11-13")),
    ],
)
def test_weekday_and_date_together_are_one_date(
    text: str, published: PartialDate | None, expected: tuple[str, str]
) -> None:
    assert found(text, published) == [expected]


# --------------------------------------------------------------------------- anchored


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        (
            "The following year, they exchanged ambassadors.",
            PartialDate(1956),
            [("The following year", "1957")],
        ),
        ("the next year", PartialDate(1956, 10, 19), [("the next year", "1957")]),
        ("a year later", PartialDate(1956), [("a year later", "1957")]),
        ("two years later", PartialDate(1956), [("two years later", "1958")]),
        ("a year earlier", PartialDate(1956), [("a year earlier", "1955")]),
        ("that year", PartialDate(1956, 10), [("that year", "1956")]),
        ("later that year", PartialDate(1956, 10), [("later that year", "1956")]),
        ("in the same year", PartialDate(1956), [("the same year", "1956")]),
        ("the previous year", PartialDate(1956), [("the previous year", "1955")]),
        ("the year before.", PartialDate(1956), [("the year before", "1955")]),
        ("the next month", PartialDate(1956, 12), [("the next month", "1957-01")]),
        ("that month", PartialDate(1956, 10), [("that month", "1956-10")]),
        ("the following day", PartialDate(1956, 10, 19), [("the following day", "1956-10-20")]),
        ("the next month", PartialDate(1956), [("the next month", None)]),
        ("The following year, they exchanged ambassadors.", None, [("The following year", None)]),
    ],
)
def test_anchor_relative(text: str, anchor: PartialDate | None, expected: Found) -> None:
    assert found(text, NOV_16_2018, anchor=anchor) == expected


def test_absolute_date_earlier_in_the_sentence_is_the_anchor() -> None:
    text = "In 1956 they signed a declaration, and the following year they exchanged ambassadors."
    assert found(text, NOV_16_2018, anchor=PartialDate(1900)) == [
        ("1956", "1956"),
        ("the following year", "1957"),
    ]


# --------------------------------------------------------------------------- flags and shape


def test_relative_flag() -> None:
    mentions = find_dates("On October 19, 1956 and last December", JAN_22_2018)
    assert [(m.surface, m.relative) for m in mentions] == [
        ("October 19, 1956", False),
        ("last December", True),
    ]


def test_unresolved_relative_mentions_are_still_reported() -> None:
    text = "last December, this year, on Friday, today, in June, November 14 and the following year"
    mentions = find_dates(text)
    assert [m.surface for m in mentions] == [
        "last December",
        "this year",
        "Friday",
        "today",
        "June",
        "November 14",
        "the following year",
    ]
    assert all(m.relative and m.date is None for m in mentions)


def test_offsets_span_newlines() -> None:
    text = "“We both do not want this to drag out,” Abe said on\n\nFriday."
    assert found(text, JAN_04_2019) == [("Friday", "2019-01-04")]


def test_mentions_are_frozen() -> None:
    (mention,) = find_dates("in 1956")
    with pytest.raises(AttributeError):
        mention.start = 0  # type: ignore[misc]


@pytest.mark.parametrize("text", ["", "   ", "Japan and Russia have no peace treaty.", "\n\n"])
def test_nothing_to_find(text: str) -> None:
    assert find_dates(text, NOV_16_2018, anchor=PartialDate(1956)) == []


_TOKENS = (
    "in", "on", "by", "of", "to", "from", "the", "last", "next", "this", "that", "following", "early", "late",
    "mid-", "later", "year", "years", "month", "day", "ago", "a", "two", "May", "March", "June", "December",
    "Dec.", "Friday", "today", "yesterday", "1956", "2018", "1904-05", "14", "14th", "31", "2019-01-04",
    "23", "times", ",", ".", "-", "–", "will", "said", "met", "İ", "\n",
)  # fmt: skip


@given(
    words=st.lists(st.sampled_from(_TOKENS), max_size=25),
    published=st.sampled_from([None, YEAR_2018, NOV_2018, NOV_16_2018, PartialDate(2020, 2, 29)]),
    anchor=st.sampled_from([None, PartialDate(1956), PartialDate(1956, 10, 19)]),
)
@settings(max_examples=300, deadline=None)
def test_any_token_soup_is_handled(
    words: list[str], published: PartialDate | None, anchor: PartialDate | None
) -> None:
    text = " ".join(words)
    mentions = find_dates(text, published, anchor=anchor)
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.surface
        assert m.relative or m.date is not None
    assert all(a.end <= b.start for a, b in pairwise(mentions))
