"""Seeded news articles about the Kuril Islands dispute, and the truth planted in them.

Each article is written from its own `random.Random(f"{seed}:{index}")`, so a corpus of N articles is the
first N articles of any larger corpus with the same seed, and the same seed always writes the same bytes.
The text is built with invisible markers around everything planted (quotes, dates, island names, traps,
page furniture); removing the markers yields the article and the exact character offsets of each fact.

The articles are synthetic: the historical background is real, but the quotes are invented for testing
and are not statements anyone made.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import random
import re
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PEOPLE_FILE = ROOT / "data" / "people.toml"
FIRST_DAY = dt.date(2015, 9, 1)
LAST_DAY = dt.date(2025, 9, 30)
MANIFEST = "articles.toml"
TRUTH_FILE = "truth.json"

# ---------------------------------------------------------------------------------------------- truth


@dataclass(frozen=True, slots=True)
class PlantedQuote:
    """A direct quotation as a careful reader would record it; [start, end) covers it and its cue."""

    article: str
    text: str
    speaker: str
    style: str
    partial: bool
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PlantedDate:
    """A date expression and the ISO value it means, given the article's publication date."""

    article: str
    surface: str
    iso: str
    kind: str  # "absolute", "relative" (to publication) or "anchored" (to the previous date)
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PlantedIsland:
    article: str
    key: str
    alias: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Trap:
    """Text that must not become a fact: numbers that look like dates, scare quotes, titles."""

    article: str
    kind: str  # "date" or "quote"
    surface: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Furniture:
    """Page furniture: breadcrumbs, credits, notices, the page tail; no fact may come from it."""

    article: str
    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ArticleTruth:
    article_id: str
    file: str
    title: str
    outlet: str
    url: str
    published: str
    metadata: str  # where the publication date is stated: "manifest", "published line" or "dateline"
    words: int


@dataclass(slots=True)
class Truth:
    """Everything planted in a generated corpus."""

    seed: int
    articles: list[ArticleTruth] = field(default_factory=list)
    quotes: list[PlantedQuote] = field(default_factory=list)
    dates: list[PlantedDate] = field(default_factory=list)
    islands: list[PlantedIsland] = field(default_factory=list)
    traps: list[Trap] = field(default_factory=list)
    furniture: list[Furniture] = field(default_factory=list)

    def to_json(self) -> str:
        """The truth as JSON, stable across runs."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Truth:
        """Read truth written by `to_json`."""
        raw: dict[str, Any] = json.loads(text)
        return cls(
            raw["seed"],
            [ArticleTruth(**a) for a in raw["articles"]],
            [PlantedQuote(**q) for q in raw["quotes"]],
            [PlantedDate(**d) for d in raw["dates"]],
            [PlantedIsland(**i) for i in raw["islands"]],
            [Trap(**t) for t in raw["traps"]],
            [Furniture(**f) for f in raw["furniture"]],
        )


# ---------------------------------------------------------------------------------------------- people

ROLE_TEXT: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    # role key: (titles before a full name, role descriptions that stand for the person, side)
    "japanese prime minister": (
        ("Prime Minister", "Japanese Prime Minister"),
        ("the Japanese prime minister", "the Japanese PM", "Japan's prime minister", "the Japanese premier"),
        "jp",
    ),
    "russian president": (
        ("President", "Russian President"),
        ("the Russian president", "the Russian leader", "Russia's president"),
        "ru",
    ),
    "russian foreign minister": (
        ("Foreign Minister", "Russian Foreign Minister"),
        ("the Russian foreign minister", "Russia's top diplomat", "the Russian top diplomat"),
        "ru",
    ),
    "japanese foreign minister": (
        ("Japanese Foreign Minister",),
        ("the Japanese foreign minister", "Japan's top diplomat", "Tokyo's top diplomat"),
        "jp",
    ),
    "kremlin spokesman": (("Kremlin spokesman",), ("the Kremlin spokesman",), "ru"),
    "russian foreign ministry spokeswoman": (
        ("Foreign Ministry spokeswoman", "Russian Foreign Ministry spokeswoman"),
        ("the Russian Foreign Ministry spokeswoman",),
        "ru",
    ),
    "japanese chief cabinet secretary": (
        ("Chief Cabinet Secretary",),
        ("the chief cabinet secretary", "Japan's top government spokesman"),
        "jp",
    ),
    "russian prime minister": (
        ("Russian Prime Minister",),
        ("the Russian prime minister", "the Russian premier"),
        "ru",
    ),
    "kremlin aide": (("Kremlin aide",), ("the Kremlin aide",), "ru"),
    "russian ambassador to japan": (("Russian Ambassador to Japan",), ("the Russian ambassador",), "ru"),
    "sakhalin governor": (("Sakhalin Governor",), (), "ru"),
}
# How often each office holder is the one quoted.
SPEAKER_WEIGHTS = {
    "japanese prime minister": 22,
    "russian president": 14,
    "russian foreign minister": 15,
    "japanese foreign minister": 10,
    "kremlin spokesman": 8,
    "russian foreign ministry spokeswoman": 6,
    "japanese chief cabinet secretary": 5,
    "russian prime minister": 3,
    "kremlin aide": 2,
    "russian ambassador to japan": 2,
    "sakhalin governor": 2,
    "expert": 8,
    "resident": 3,
}

JP_FIRST = {
    "m": ("Hiroshi", "Takeshi", "Kenji", "Naoki", "Satoshi", "Daisuke", "Masato", "Ryota", "Koji", "Tetsuya"),
    "f": ("Yuko", "Akiko", "Mariko", "Emiko", "Keiko", "Tomoko", "Ayumi", "Naomi", "Sachiko", "Megumi"),
}
JP_LAST = (
    "Tanaka",
    "Watanabe",
    "Yamamoto",
    "Nakamura",
    "Kobayashi",
    "Sato",
    "Yoshida",
    "Yamada",
    "Sasaki",
    "Matsumoto",
    "Inoue",
    "Kimura",
    "Shimizu",
    "Ishii",
    "Ogawa",
    "Fujita",
    "Okada",
    "Hasegawa",
    "Kondo",
    "Maeda",
)
RU_FIRST = {
    "m": ("Andrei", "Ivan", "Pavel", "Alexei", "Nikolai", "Viktor", "Oleg", "Igor", "Anton", "Roman"),
    "f": ("Olga", "Natalia", "Yelena", "Irina", "Tatiana", "Svetlana", "Anna", "Marina", "Ksenia", "Vera"),
}
RU_LAST = (
    "Sokolov",
    "Ivanov",
    "Kuznetsov",
    "Popov",
    "Volkov",
    "Morozov",
    "Novikov",
    "Fedorov",
    "Orlov",
    "Belov",
    "Zaitsev",
    "Smirnov",
    "Lebedev",
    "Kozlov",
    "Vinogradov",
)
EXPERT_AFFILIATIONS = {
    "jp": (
        "a professor of international relations at Hokkaido University",
        "a senior fellow at the Japan Institute of International Affairs",
        "a Russia specialist at Keio University",
        "a former diplomat who took part in earlier rounds of talks",
        "a researcher at the Slavic-Eurasian Research Center in Sapporo",
    ),
    "ru": (
        "an expert on Japan at the Institute of Oriental Studies in Moscow",
        "a senior researcher at the Russian Academy of Sciences",
        "a political analyst in Vladivostok",
        "a professor at the Far Eastern Federal University",
        "a specialist on Russian-Japanese relations at MGIMO",
    ),
}
RESIDENT_AFFILIATIONS = {
    "jp": ("a fisherman from Nemuro", "a former resident of {I} who now lives in Nemuro"),
    "ru": ("a teacher in Yuzhno-Kurilsk", "a fish-factory worker on {I}", "a local councillor on {I}"),
}


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who can be quoted in an article."""

    name: str
    gender: str | None
    side: str  # "jp" or "ru"
    kind: str  # "official", "expert" or "resident"
    role: str | None = None
    affiliation: str | None = None

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    @property
    def titles(self) -> tuple[str, ...]:
        return ROLE_TEXT[self.role][0] if self.role else ()

    @property
    def descriptions(self) -> tuple[str, ...]:
        return ROLE_TEXT[self.role][1] if self.role else ()


@dataclass(frozen=True, slots=True)
class _Office:
    name: str
    gender: str | None
    role: str
    start: dt.date
    end: dt.date | None


def _offices(path: Path = PEOPLE_FILE) -> list[_Office]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for person in raw.get("person", []):
        for office in person.get("offices", []):
            out.append(
                _Office(
                    person["name"],
                    person.get("gender"),
                    office["role"],
                    dt.date.fromisoformat(office["from"]),
                    dt.date.fromisoformat(office["to"]) if office.get("to") else None,
                )
            )
    return out


def office_holders(offices: list[_Office], day: dt.date) -> dict[str, Person]:
    """Who held each office on `day`, for the offices this generator can write about."""
    holders: dict[str, list[_Office]] = {}
    for o in offices:
        if o.role in ROLE_TEXT and o.start <= day and (o.end is None or day < o.end):
            holders.setdefault(o.role, []).append(o)
    return {
        role: Person(os[0].name, os[0].gender, ROLE_TEXT[role][2], "official", role)
        for role, os in holders.items()
        if len(os) == 1
    }


# ---------------------------------------------------------------------------------------------- islands

ISLAND_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "iturup": {
        "en": ("Iturup", "Iturup Island"),
        "jp": ("Etorofu", "Etorofu Island"),
        "native": ("Etorofu (択捉島)", "Iturup (Итуруп)"),
    },
    "kunashir": {
        "en": ("Kunashir", "Kunashir Island"),
        "jp": ("Kunashiri", "Kunashiri Island"),
        "native": ("Kunashiri (国後島)", "Kunashir (Кунашир)"),
    },
    "shikotan": {
        "en": ("Shikotan", "Shikotan Island"),
        "jp": ("Shikotan",),
        "native": ("Shikotan (色丹島)", "Shikotan (Шикотан)"),
    },
    "habomai": {
        "en": ("the Habomai islets", "the Habomai Islands", "the Lesser Kuril Chain"),
        "jp": ("the Habomai islets", "the Habomai group"),
        "native": ("the Habomai islets (歯舞群島)", "the Lesser Kuril Chain (Малая Курильская гряда)"),
    },
    "southern-kurils": {
        "en": ("the Southern Kurils", "the South Kuril Islands"),
        "jp": ("the Northern Territories", "the four northern islands"),
        "native": ("the Northern Territories (北方領土)", "the Southern Kurils (Южные Курилы)"),
    },
    "kuril-islands": {
        "en": ("the Kuril Islands", "the Kurils", "the Kuril chain"),
        "jp": ("the Kuril Islands", "the Chishima Islands"),
        "native": ("the Kuril Islands (Курильские острова)", "the Chishima Islands (千島列島)"),
    },
}
FOUR = ("iturup", "kunashir", "shikotan", "habomai")

# ---------------------------------------------------------------------------------------------- outlets

OUTLETS = (
    ("The Japan Times", "japantimes.co.jp", "jp"),
    ("TASS", "tass.com", "ru"),
    ("Kyodo News", "kyodonews.net", "jp"),
    ("NHK", "nhk.or.jp", "jp"),
    ("The Moscow Times", "themoscowtimes.com", "ru"),
    ("Nikkei Asia", "asia.nikkei.com", "jp"),
    ("Reuters", "reuters.com", "intl"),
    ("The Mainichi", "mainichi.jp", "jp"),
    ("The Asahi Shimbun", "asahi.com", "jp"),
    ("Japan Forward", "japan-forward.com", "jp"),
)
DATELINE_AGENCY = {"TASS": " /TASS/. ", "Kyodo News": " (Kyodo) — ", "Reuters": " (Reuters) - "}
CITIES_JP = ("TOKYO", "SAPPORO", "NEMURO", "OSAKA")
CITIES_RU = ("MOSCOW", "VLADIVOSTOK", "YUZHNO-SAKHALINSK", "SOCHI")
CREDITS = (
    "Sergei Bobylev / TASS",
    "Mikhail Metzel / TASS",
    "Kyodo/Reuters",
    "EPA-EFE/FRANCK ROBICHON",
    "AFP/Getty Images",
    "Photo: AFP",
    "Image: Kremlin.ru",
    "EPA-EFE/KIMIMASA MAYAMA",
)
BREADCRUMBS = (
    "Home » World » Asia",
    "News > Politics > Japan",
    "Main » Russia and the World",
    "Home / News / Asia",
)
NAV = ("All news", "Latest news", "Share this article", "Advertisement")

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = tuple(calendar.month_name)[1:]
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

# ---------------------------------------------------------------------------------------------- phrases
# A phrase is a str, a tuple (pick one) or a list (concatenate). "{I}" names one of the four islands,
# "{I:key}" a given one, "{G}" the four as a group and "{K}" the whole chain; all are planted islands.

Phrase = str | tuple["Phrase", ...] | list["Phrase"]

JP_QUOTE: tuple[Phrase, ...] = (
    [
        ("Fishermen in Nemuro", "People in Hokkaido", "Local businesses in eastern Hokkaido"),
        (" depend on", " rely on", " cannot do without"),
        (" safe access to", " stable fishing in", " the rich waters around"),
        (" {I}", " {G}"),
        (", so", ", which is why", " and"),
        (" we will", " the government will", " I will"),
        (" negotiate firmly", " keep raising the issue", " protect their livelihoods", " stand by them"),
        ".",
    ],
    [
        ("The history of", "What happened on", "The story of the people expelled from"),
        (" {I}", " {G}"),
        (" must be", " should be", " has to be"),
        (" passed on", " taught", " remembered"),
        (" to young people", " in our schools", " by the next generation"),
        (", because", ", since", ", as"),
        (
            " the territorial issue concerns the whole nation",
            " public interest is fading",
            " the former residents will not be with us forever",
        ),
        ".",
    ],
    [
        ("We will", "We must", "We are determined to", "My government will", "This cabinet intends to"),
        (" resolve", " settle", " tackle", " make real progress on"),
        (
            " the territorial issue",
            " the question of {G}",
            " the issue of the attribution of {G}",
            " the problem of the islands' sovereignty",
        ),
        (
            " and conclude a peace treaty",
            " step by step",
            " with patience and determination",
            " through persistent dialogue",
            " without leaving it to the next generation",
            " while protecting our national interests",
        ),
        ".",
    ],
    [
        (
            "Former residents of {I}",
            "The former islanders",
            "People who were born on {I}",
            "Many of those who grew up on {I}",
        ),
        (" are getting older", " are now in their eighties", " are growing old", " are ageing fast"),
        ", and their ",
        ("wish", "hope", "longing", "dearest wish"),
        (
            " to visit the graves of their ancestors",
            " to see their home villages again",
            " to return to the places where they grew up",
            " to pray at their family graves",
        ),
        (
            " cannot wait",
            " grows stronger every year",
            " must be respected",
            " deserves an answer from both governments",
        ),
        ".",
    ],
    [
        (
            "Dialogue with Russia",
            "Our dialogue with Moscow",
            "Talks at the leaders' level",
            "Contact between our foreign ministries",
            "Communication with the Russian side",
        ),
        (" is", " remains", " will remain"),
        (" necessary", " important", " essential", " indispensable"),
        (
            " even in this difficult situation",
            " if we are to solve the territorial issue",
            " for the stability of the region",
            " as long as the islands remain divided",
            " whatever the international environment",
        ),
        ".",
    ],
    [
        ("Our position on", "Japan's basic stance on", "The government's view of"),
        (" the sovereignty of {G}", " the four islands", " the territorial dispute"),
        (" has not changed", " remains firm", " is consistent", " will not change"),
        (
            "",
            ", and we will explain it patiently to the Russian side",
            ", whatever Moscow says",
            ", and I want the public to know that",
        ),
        ".",
    ],
    [
        (
            "Joint economic activities",
            "Cooperation in fisheries and aquaculture",
            "Projects in tourism and wind power",
            "Greenhouse farming and seafood processing",
        ),
        (" on {G}", " on {I}", " in the Far East"),
        (" should", " can", " will"),
        (" help", " serve to", " be a way to"),
        (
            " build trust between our peoples",
            " create the right environment for a peace treaty",
            " improve the lives of the islanders",
            " bring the two countries closer",
        ),
        ".",
    ],
    [
        "I hope to ",
        ("have frank talks", "exchange views candidly", "talk face to face", "speak directly"),
        (" with the Russian side", " with the Russian leadership", " with my counterpart"),
        (" about", " on"),
        (
            " the peace treaty issue",
            " the future of {G}",
            " a wide range of issues, including the islands",
            " humanitarian steps for the former residents",
        ),
        ".",
    ],
    [
        (
            "Russia's aggression against Ukraine",
            "The situation around Ukraine",
            "The current state of relations",
            "The military build-up on {I}",
        ),
        (" is", " remains"),
        (
            " deeply regrettable",
            " unacceptable",
            " a serious concern for Japan",
            " a matter of grave concern",
        ),
        (
            ", but we will not give up on the territorial issue",
            ", and we have conveyed our protest through diplomatic channels",
            ", yet our goal of a peace treaty stays the same",
        ),
        ".",
    ],
)
RU_QUOTE: tuple[Phrase, ...] = (
    [
        ("Tokyo", "The Japanese government", "Our Japanese colleagues"),
        (" keeps", " continues", " insists on"),
        (" repeating", " raising", " bringing up"),
        (" its claims to", " old demands about", " the question of"),
        (" {I}", " {G}", " the Kurils"),
        (", but", ", yet", ", although"),
        (
            " these claims have no legal basis",
            " nobody in Moscow takes them seriously",
            " the answer will always be the same",
            " this only damages the atmosphere of our dialogue",
        ),
        ".",
    ],
    [
        ("The residents of", "People living on", "Families on"),
        (" {I}", " the Kurils"),
        (" want", " expect", " deserve"),
        (
            " normal roads and internet",
            " new housing",
            " modern hospitals",
            " the same services as everyone else in Russia",
        ),
        (", and", ", so"),
        (" the state will", " we will", " the federal budget will"),
        (" keep investing there", " provide for that", " finance these projects"),
        ".",
    ],
    [
        ("Russia's sovereignty over", "Our sovereignty over", "The Russian status of"),
        (" {G}", " the Kuril Islands", " {I}"),
        (" is", " remains"),
        (
            " beyond any doubt",
            " not up for discussion",
            " enshrined in our constitution",
            " a result of the Second World War",
        ),
        ".",
    ],
    [
        ("We are ready to continue", "We remain open to", "Moscow does not refuse", "We have never rejected"),
        (" dialogue", " work on a peace treaty", " contacts", " consultations"),
        (" with Tokyo", " with our Japanese partners", " with the Japanese side"),
        (", but only if", ", provided that", " as long as"),
        (
            " Japan recognises the results of the Second World War",
            " Tokyo abandons its unfriendly course",
            " it is based on mutual respect",
            " the Japanese side lifts its sanctions",
        ),
        ".",
    ],
    [
        ("Any deployment of", "The appearance of", "Plans to station"),
        (" American missiles", " US military infrastructure", " foreign troops"),
        (" in Japan", " on Hokkaido", " near our borders"),
        (" would be", " is", " will always be"),
        (
            " a direct threat to our security",
            " unacceptable to us",
            " a factor we cannot ignore",
            " an obstacle to any agreement",
        ),
        ".",
    ],
    [
        ("The development of", "Investment in", "The modernisation of"),
        (" the Kuril Islands", " {I}", " {G}"),
        (" will continue", " is a priority", " remains a key task"),
        (", and the islanders", ", and the people living there"),
        (" will get", " deserve", " are already getting"),
        (" new roads, schools and hospitals", " modern infrastructure", " a better life", " stable jobs"),
        ".",
    ],
    [
        ("Japan's sanctions", "Tokyo's unfriendly steps", "The anti-Russian line of the Japanese government"),
        (" make it impossible", " leave no room", " rule out any chance"),
        (
            " to discuss a peace treaty",
            " for talks on a peace treaty",
            " of returning to the negotiating table",
        ),
        (" at this point", " for now", " under the current conditions", ""),
        ".",
    ],
    [
        ("The islands became", "The Kurils became", "{I} became"),
        (" part of", " a lawful part of"),
        (" the Soviet Union", " our country"),
        (" as a result of", " after"),
        (" the Second World War", " the victory in the Second World War"),
        (", and this is", ", which is"),
        (" an indisputable fact", " recognised by international law", " written in the UN Charter"),
        ".",
    ],
    [
        (
            "The visa-free exchanges",
            "Humanitarian trips by former residents",
            "Joint projects on the islands",
        ),
        (" were", " have been"),
        (" suspended", " frozen", " put on hold"),
        (" because of", " as a consequence of"),
        (
            " Tokyo's own decisions",
            " the sanctions Japan imposed",
            " the hostile policy of the Japanese side",
        ),
        ".",
    ],
)
EXPERT_QUOTE: tuple[Phrase, ...] = (
    [
        ("Neither side", "Neither Tokyo nor Moscow", "No leader in either capital"),
        (" can afford", " is ready", " has the political capital"),
        (" to make", " to offer"),
        (" concessions", " the first move", " a real compromise"),
        (" on the islands", " on sovereignty", " over {G}"),
        (", because", ", since"),
        (" public opinion at home", " domestic politics", " nationalist sentiment"),
        (" is firmly against it", " would punish it", " leaves no room for that"),
        ".",
    ],
    [
        ("Moscow sees", "The Russian military regards", "The Kremlin treats"),
        (" {G}", " the Kurils", " {I}"),
        (" as",),
        (
            " a key part of its Pacific defence line",
            " a gateway to the Pacific Ocean",
            " a shield for its submarine bastion in the Sea of Okhotsk",
        ),
        ".",
    ],
    [
        (
            "A two-island deal",
            "A compromise based on Shikotan and the Habomai islets",
            "An interim settlement",
        ),
        (" looked", " seemed", " was"),
        (" realistic", " possible", " within reach"),
        (" at one point", " for a while", " a few years back"),
        (", but", ", yet"),
        (
            " the window has closed",
            " relations have since collapsed",
            " the political will disappeared",
            " public opinion in Japan turned against it",
        ),
        ".",
    ],
    [
        ("The economic projects", "Joint ventures on the islands", "Most of the cooperation plans"),
        (" never really took off", " delivered little", " stayed largely on paper"),
        (", because", ", as"),
        (" the two sides", " the governments", " negotiators"),
        (" could never agree on", " failed to settle"),
        (" a legal framework", " which laws would apply on the islands", " a special customs regime"),
        ".",
    ],
    [
        ("For Tokyo,", "For the Japanese government,", "For Russia,"),
        (" the territorial question", " the dispute over {G}", " the peace treaty"),
        (" is", " has become"),
        (
            " mostly symbolic",
            " a matter of national identity",
            " a bargaining chip",
            " a test of credibility",
        ),
        (" now", " today", ""),
        ".",
    ],
)
RESIDENT_QUOTE: tuple[Phrase, ...] = (
    [
        ("We", "My family", "Our people"),
        (" live here", " have lived here for decades", " were born here"),
        (", and", ", so"),
        (
            " this is our home",
            " nobody asks us what we want",
            " we are tired of being a bargaining chip",
            " we just want normal roads and a hospital",
        ),
        ".",
    ],
    [
        ("Every summer", "Every year", "On clear days"),
        (" I", " we"),
        (" look at", " can see"),
        (" {I}", " the island"),
        (" from the coast", " from Cape Nosappu"),
        (" and", ", and"),
        (" think of", " remember"),
        (" my parents", " our old house", " the school I went to", " the graves we cannot visit"),
        ".",
    ],
)
SIDE_QUOTES = {"jp": JP_QUOTE, "ru": RU_QUOTE}
# Details that make a quote this quote: people speak of the boats, villages and numbers of their story.
SPECIFIC: dict[str, tuple[str, ...]] = {
    "jp": (
        "I met {count} former residents in {town} and listened to their stories.",
        "Boats like the {vessel} must be able to fish safely near {I}.",
        "The {count} families who left {village} on {I} have never been forgotten.",
        "We have asked Moscow to let the {vessel} and its crew return to {town}.",
    ),
    "ru": (
        "In {village} we have already built {count} new houses and a school.",
        "The {vessel} was detained because it broke our fishing rules near {I}.",
        "{count} young families moved to {village} last season, and we welcome them.",
        "The new pier in {village} will serve ferries from Korsakov all year round.",
    ),
    "expert": (
        "When I visited {village}, most of the {count} people I spoke to wanted stability, not politics.",
        "Fishing firms like {firm} have quietly kept working with both sides.",
    ),
    "resident": (
        "My neighbours in {village} have waited {count} months for a doctor.",
        "I worked on the {vessel} for years and never had trouble with the border guards.",
    ),
}
# Frames that only make sense once the war in Ukraine had frozen relations.
WAR_DATE = dt.date(2022, 3, 21)
AFTER_WAR = [JP_QUOTE[8], RU_QUOTE[6], RU_QUOTE[8]]

# Quotes split by their attribution: "clause," X said, "continuation."
INTERRUPTED: dict[str, tuple[Phrase, Phrase]] = {
    "jp": (
        (
            "We will continue negotiations with Russia",
            "The territorial issue is a difficult one",
            "Our goal has not changed",
            "The former residents have waited long enough",
            "Japan wants stable relations with its neighbour",
        ),
        [
            (
                "but we will not compromise on sovereignty over {G}",
                "and we will keep working with patience on {I}",
                "because this is a question of national sovereignty",
                "so that the islands issue is not left to our children",
                "and the peace treaty must be signed on that basis",
            ),
            ".",
        ],
    ),
    "ru": (
        (
            "We are open to dialogue with Tokyo",
            "Russia has never refused to talk",
            "The islands are Russian territory",
            "We value our economic ties with Japan",
            "The peace treaty remains on the agenda in principle",
        ),
        [
            (
                "but only on the basis of international law",
                "and the status of {G} is not up for discussion",
                "but Japan's sanctions have made it impossible",
                "provided that Tokyo respects the results of the Second World War",
                "yet the Japanese side keeps taking unfriendly steps",
            ),
            ".",
        ],
    ),
}
FRAGMENTS = {
    "jp": (
        "deeply regrettable",
        "absolutely unacceptable",
        "an inherent part of Japan's territory",
        "a step in the right direction",
        "frank and substantive",
        "extremely disappointing",
        "a matter of principle",
        "no progress whatsoever",
        "a new approach",
    ),
    "ru": (
        "an unfriendly step",
        "a gross violation of international law",
        "useful and constructive",
        "constructive and businesslike",
        "the sovereign territory of Russia",
        "a serious blow to bilateral relations",
        "a provocation aimed at undermining dialogue",
        "an attempt to rewrite history",
        "without any preconditions",
    ),
}
FRAGMENT_OBJECTS = (
    "the talks",
    "the latest round of consultations",
    "Tokyo's decision",
    "the statement",
    "the visit",
    "the proposal",
    "the decision",
)

SETUPS_SPEECH = {
    "jp": (
        "{ref} told reporters in Tokyo that the government's position had not changed.",
        "{ref} spoke to reporters after a cabinet meeting.",
        "{ref} told a parliamentary committee that Tokyo would keep pressing for a peace treaty.",
        "{ref} said in a speech that the former residents were running out of time.",
    ),
    "ru": (
        "{ref} told reporters in Moscow that the issue of the islands was closed.",
        "{ref} spoke at a news conference after talks with foreign counterparts.",
        "{ref} said in an interview that Moscow saw no basis for talks with Tokyo.",
        "{ref} told journalists that Russia would not discuss its territory.",
    ),
}
SETUPS_OTHER = {
    "jp": (
        "{ref} arrived in Nemuro to meet former residents of the islands.",
        "{ref} visited a museum about the islands in Nemuro.",
        "{ref} met members of a residents' association at the prime minister's office.",
    ),
    "ru": (
        "{ref} arrived in Yuzhno-Sakhalinsk for a regional development meeting.",
        "{ref} chaired a meeting on the development of the Far East.",
        "{ref} met with students at a university in Vladivostok.",
    ),
}
INDIRECT = {
    "jp": (
        "Tokyo would keep pressing for a peace treaty that settles the status of {G}",
        "Japan would continue to seek the return of {G}",
        "the government would support the former residents of {I}",
        "Japan wanted to keep channels of communication with Moscow open",
    ),
    "ru": (
        "Moscow would not discuss the transfer of any territory",
        "Russia would continue to develop {I}",
        "the Kremlin saw no grounds for resuming peace treaty talks",
        "Japan bore responsibility for the freeze in relations",
    ),
}

CONTEXT: tuple[Phrase, ...] = (
    "{I:kunashir} lies within sight of the Hokkaido coast, across a strait that freezes in winter.",
    [
        "About ",
        ("6,000", "8,000", "7,500"),
        " people live on {I:iturup}, most of them working in fish processing.",
    ],
    "Russia has stationed troops and coastal missile systems on {I:iturup} and {I:kunashir}.",
    "{I:habomai} have no permanent civilian population, only a border guard post.",
    "Japan calls the islands {Gjp}, while Russia refers to them as {Gru}.",
    "The dispute over {G} has prevented the two countries from signing a peace treaty formally ending World War Two.",
    "Hot springs, volcanoes and salmon rivers have made {I:iturup} a destination for adventurous tourists.",
    "A new school and a hospital have been built on {I:shikotan} under a federal programme for the region.",
    "Fishing boats from Nemuro work near {I:habomai} under a deal that lets them harvest kelp for a fee.",
    "{I:kunashir}, the island closest to Japan, is home to the district centre of Yuzhno-Kurilsk.",
    [
        "Former residents of {I} now live mostly in Hokkaido, and their average age is above ",
        ("85", "86", "88"),
        ".",
    ],
    "Tokyo insists that {I:kunashir}, {I:iturup}, {I:shikotan} and {I:habomai} are Japanese territory.",
    "The chain of {K} stretches from the tip of Hokkaido to the Kamchatka Peninsula.",
    "Moscow says {G} became Russian territory legitimately as a result of the Second World War.",
    "Japanese maps still show {I:shikotan} and {I:habomai} as part of Nemuro subprefecture.",
    "Soviet troops seized the islands in the final days of the war, and their Japanese residents were expelled.",
    "The dispute has kept the two neighbours from normalising their relations fully for decades.",
    "Trade between the two countries has fallen sharply, and several Japanese companies have left Russia.",
)
# Local colour: the names in it are made up per article, so the vocabulary keeps growing with the corpus
# the way real coverage does (new villages, boats, firms and people in every story).
LOCAL: tuple[str, ...] = (
    "The {vessel}, a {tonnes}-tonne crab boat from Nemuro, was inspected by Russian border guards near {I}.",
    "Residents of {village} on {I} complain that the road to the airport is still unpaved.",
    "{firm}, a seafood processor based in {town}, has been buying sea urchins caught near {I}.",
    "Students from {town} High School visited the {village} memorial, which faces {I} across the strait.",
    "Fisherman {person} has worked the waters off {I} for most of his life aboard the {vessel}.",
    "The {firm} plant in {village} on {I} employs about {workers} people, most of them seasonal workers.",
    "A ferry between {village} and Korsakov calls at {I} when the weather allows.",
)
_JP_SYLLABLES = (
    "ka",
    "ki",
    "ku",
    "ke",
    "ko",
    "sa",
    "shi",
    "su",
    "se",
    "so",
    "ta",
    "chi",
    "tsu",
    "te",
    "to",
    "na",
    "ni",
    "no",
    "ha",
    "hi",
    "fu",
    "ho",
    "ma",
    "mi",
    "mu",
    "me",
    "mo",
    "ya",
    "yu",
    "yo",
    "ra",
    "ri",
    "ru",
    "re",
    "ro",
    "wa",
    "ga",
    "gi",
    "go",
    "za",
    "ji",
    "zu",
    "da",
    "de",
    "ba",
    "bi",
    "bu",
    "be",
)
_JP_ENDINGS = ("kawa", "moto", "yama", "shima", "hara", "saki", "mura", "da", "ta", "no", "zawa", "oka")
_RU_STEMS = (
    "Krab",
    "Golov",
    "Dub",
    "Otrad",
    "Kit",
    "Zaozer",
    "Lesn",
    "Rybn",
    "Gorn",
    "Kamen",
    "Sosn",
    "Berez",
    "Krasn",
    "Tikh",
    "Vostoch",
    "Pribrezhn",
    "Ozern",
    "Medvezh",
    "Lisy",
    "Volch",
    "Severn",
    "Kurils",
)
_RU_ENDINGS = ("oye", "ovo", "ino", "ovka", "insk", "ikha", "aya", "ny")
_FIRM_KINDS = ("Suisan", "Gyogyo", "Marine Products", "Fisheries", "Seafoods")


def _jp_word(rng: random.Random) -> str:
    word = "".join(rng.choice(_JP_SYLLABLES) for _ in range(rng.choice((1, 2, 2))))
    return (word + rng.choice(_JP_ENDINGS)).capitalize()


def _ru_place(rng: random.Random) -> str:
    return rng.choice(_RU_STEMS) + rng.choice(_RU_ENDINGS)


TRAPS: tuple[tuple[Phrase, str], ...] = (
    (["It was the ", ("25th", "27th", "20th", "11th"), " summit between the two leaders."], "ordinal"),
    (["The two leaders have met ", ("23", "27", "11", "14"), " times since taking office."], "times"),
    (
        [
            "Japan's ",
            ("eight-point", "8-point"),
            " plan for economic cooperation covers energy, medicine and small business.",
        ],
        "point plan",
    ),
    (
        [
            "More than ",
            ("150", "80", "200"),
            " joint projects have been proposed, but only a handful have started.",
        ],
        "projects",
    ),
    ("Analysts say Tokyo may soften its demands to secure at least two of the four islands.", "modal may"),
    ("The talks began at 10 a.m. and lasted about three hours.", "clock time"),
    (["The garrison on the islands numbers about ", ("3,500", "3,000", "4,000"), " troops."], "count"),
    ("Officials said the next round may include fisheries experts from Hokkaido.", "modal may"),
)
# Quotation marks that are no quotation: (sentence with {Q} for the quoted words, the words, why).
SCARE: tuple[tuple[str, str, str], ...] = (
    ("Moscow rejects Japan's claims to the so-called {Q}.", "Northern Territories", "so-called"),
    (
        "The programme, dubbed {Q}, lets Japanese citizens travel to the islands without visas.",
        "visa-free exchanges",
        "dubbed",
    ),
    ("Japan's {Q} covers energy, medicine and urban development.", "Eight-Point Cooperation Plan", "title"),
    (
        "A campaign known as {Q} has collected millions of signatures in Japan.",
        "Return the Islands",
        "known as",
    ),
)
HEADLINE_TAIL = (
    "Lavrov to visit Tokyo on March 3 for talks",
    "Putin says peace treaty talks could resume next year",
    "Japan protests Russian drills on Iturup held on Friday",
    "Kuril governor announces new airport terminal for 2026",
    "Former islanders mark Northern Territories Day on February 7",
)

# Background the corpus may state once the date is past: (ISO date, sentence with {D} for the date).
HISTORY: tuple[tuple[str, Phrase], ...] = (
    (
        "1855-02-07",
        "The Treaty of Shimoda, signed on {D}, drew the first border between Japan and Russia north of {I:iturup}.",
    ),
    (
        "1875-05-07",
        "Under the Treaty of Saint Petersburg of {D}, Japan gave up Sakhalin in exchange for the entire chain of {K}.",
    ),
    ("1945-08", "Soviet forces landed on the islands in {D}, in the last days of World War Two."),
    (
        "1951-09-08",
        "In the San Francisco Peace Treaty, signed on {D}, Japan renounced its claim to {K}, but Tokyo says the four southern islands were never part of them.",
    ),
    (
        "1956-10-19",
        "The Soviet-Japanese Joint Declaration of {D} ended the state of war and promised the transfer of {I:shikotan} and {I:habomai} after a peace treaty.",
    ),
    (
        "1993-10-13",
        "In the Tokyo Declaration of {D}, both sides agreed to negotiate on the attribution of {I:iturup}, {I:kunashir}, {I:shikotan} and {I:habomai}.",
    ),
    (
        "2001-03-25",
        "At a summit in Irkutsk on {D}, the two leaders confirmed the Joint Declaration as the starting point of negotiations.",
    ),
    ("2010-11-01", "On {D}, Dmitry Medvedev became the first Russian leader to visit {I:kunashir}."),
    (
        "2016-05-06",
        "At a meeting in Sochi on {D}, Shinzo Abe offered Moscow a package of economic cooperation.",
    ),
    (
        "2016-12-15",
        "During talks in Nagato on {D}, the leaders agreed to discuss joint economic activities on {G}.",
    ),
    (
        "2017-09",
        "In {D}, former residents flew to {I:kunashir} and {I:iturup} for the first time to visit family graves.",
    ),
    (
        "2018-11-14",
        "In Singapore on {D}, Shinzo Abe and Vladimir Putin agreed to accelerate talks on the basis of the Joint Declaration.",
    ),
    (
        "2019-01-22",
        "The two leaders met in Moscow on {D}, but the talks produced no breakthrough on the islands.",
    ),
    (
        "2020-07",
        "Amendments to the Russian constitution approved in {D} forbid handing over any Russian territory.",
    ),
    (
        "2022-03-21",
        "On {D}, Moscow said it was pulling out of peace treaty talks in response to Japanese sanctions over Ukraine.",
    ),
)
# An absolute year, then a sentence dated relative to it: ((year, sentence), (offset, unit, sentence)).
ANCHORED: tuple[tuple[tuple[str, str], tuple[int, str, str]], ...] = (
    (
        ("1956-10", "The Soviet Union and Japan signed their Joint Declaration in {D}."),
        (2, "month", "{A}, Japan joined the United Nations with Soviet support."),
    ),
    (
        ("1956", "Diplomatic relations were restored in {D}."),
        (
            4,
            "year",
            "{A}, after Japan renewed its security treaty with Washington, Moscow attached new conditions to any handover.",
        ),
    ),
    (
        ("1991", "Mikhail Gorbachev became the first Soviet leader to visit Japan in {D}."),
        (2, "year", "{A}, Boris Yeltsin signed the Tokyo Declaration, which named all four islands."),
    ),
    (
        ("2014", "Russia opened a new civilian airport on {I:iturup} in {D}."),
        (1, "year", "{A}, a Russian prime minister visited the island, drawing a protest from Tokyo."),
    ),
    (
        ("1992", "Visa-free exchanges between Japanese citizens and Russian islanders began in {D}."),
        (7, "year", "{A}, the programme was widened to let former residents visit their home villages."),
    ),
)

# ---------------------------------------------------------------------------------------------- writing

_OPEN, _MID, _CLOSE, _END = "\ue000", "\ue001", "\ue002", "\ue003"
_MARK = re.compile("\ue000(\\d+)\ue001|\ue002(\\d+)\ue003")
_PLACEHOLDER = re.compile(r"\{(I|I:[a-z-]+|G|Gjp|Gru|K)\}")


def strip_marks(marked: str) -> tuple[str, dict[int, tuple[int, int]]]:
    """The text without markers, and [start, end) of every marked region in it."""
    out: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    starts: dict[int, int] = {}
    pos = last = 0
    for m in _MARK.finditer(marked):
        out.append(marked[last : m.start()])
        pos += m.start() - last
        last = m.end()
        if m.group(1) is not None:
            starts[int(m.group(1))] = pos
        else:
            n = int(m.group(2))
            spans[n] = (starts.pop(n), pos)
    out.append(marked[last:])
    return "".join(out), spans


def _capitalised(marked: str) -> str:
    """The text with its first letter upper-case, markers skipped."""
    i = 0
    while m := _MARK.match(marked, i):
        i = m.end()
    return marked[:i] + marked[i : i + 1].upper() + marked[i + 1 :]


def _plain(marked: str) -> str:
    return _MARK.sub("", marked)


def _words(marked: str) -> int:
    return len(_plain(marked).split())


def _weekday_date(pub: dt.date, weekday: int, future: bool) -> dt.date:
    if future:
        return pub + dt.timedelta(days=(weekday - pub.weekday()) % 7 or 7)
    return pub - dt.timedelta(days=(pub.weekday() - weekday) % 7)


def _month_shift(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


class _Article:
    """One article being written: the random stream, the cast and every planted note."""

    def __init__(self, rng: random.Random, article_id: str, pub: dt.date, cast: dict[str, Person]) -> None:
        self.rng = rng
        self.id = article_id
        self.pub = pub
        self.cast = cast
        self.notes: list[tuple[str, dict[str, Any]]] = []
        self.introduced: set[str] = set()
        self.curly = rng.random() < 0.4
        self.us_dates = rng.random() < 0.6
        self.people: list[Person] = []

    # ---- marking ----------------------------------------------------------------------------------

    def mark(self, note: str, body: str, /, **payload: Any) -> str:
        n = len(self.notes)
        self.notes.append((note, payload))
        return f"{_OPEN}{n}{_MID}{body}{_CLOSE}{n}{_END}"

    def q(self, inner: str) -> str:
        """Inner text in the article's quotation marks."""
        return f"“{inner}”" if self.curly else f'"{inner}"'

    def apostrophes(self, text: str) -> str:
        return text.replace("'", "’") if self.curly else text

    def island(self, key: str, register: str | None = None) -> str:
        names = ISLAND_NAMES[key]
        register = register or self.rng.choices(("en", "jp", "native"), (5, 3, 2))[0]
        alias = self.rng.choice(names[register])
        return self.mark("island", alias, key=key, alias=alias)

    def expand(self, phrase: Phrase) -> str:
        """A phrase with its choices made and its island placeholders planted."""
        if isinstance(phrase, tuple):
            return self.expand(self.rng.choice(phrase))
        if isinstance(phrase, list):
            return "".join(self.expand(p) for p in phrase)
        return _PLACEHOLDER.sub(self._place, phrase)

    def _place(self, m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "I":
            return self.island(self.rng.choice(FOUR))
        if name.startswith("I:"):
            return self.island(name[2:])
        if name == "Gjp":
            return self.island("southern-kurils", "jp")
        if name == "Gru":
            return self.island("southern-kurils", "en")
        if name == "K":
            return self.island("kuril-islands")
        return self.island("southern-kurils")

    # ---- people -----------------------------------------------------------------------------------

    def speaker(self) -> Person:
        pool = [
            (role, w)
            for role, w in SPEAKER_WEIGHTS.items()
            if role in self.cast or role in ("expert", "resident")
        ]
        role = self.rng.choices([r for r, _ in pool], [w for _, w in pool])[0]
        if role in self.cast:
            return self.cast[role]
        known = [p for p in self.people if p.kind == role]
        if known and self.rng.random() < 0.5:
            return self.rng.choice(known)
        return self.new_person(role)

    def new_person(self, kind: str) -> Person:
        side = self.rng.choice(("jp", "ru"))
        gender = self.rng.choice(("m", "f"))
        taken = {p.surname for p in self.people} | {p.surname for p in self.cast.values()}
        for _ in range(20):
            if side == "jp":
                name = f"{self.rng.choice(JP_FIRST[gender])} {self.rng.choice(JP_LAST)}"
            else:
                last = self.rng.choice(RU_LAST) + ("a" if gender == "f" else "")
                name = f"{self.rng.choice(RU_FIRST[gender])} {last}"
            if name.split()[-1] not in taken:
                break
        bank = EXPERT_AFFILIATIONS if kind == "expert" else RESIDENT_AFFILIATIONS
        person = Person(name, gender, side, kind, None, self.rng.choice(bank[side]))
        self.people.append(person)
        return person

    def ref(self, p: Person, mode: str = "name", *, start: bool = False) -> str:
        """How the article names `p` here: full name on first mention, then surname or role."""
        if mode == "role" and p.descriptions:
            text = self.rng.choice(p.descriptions)
            return text[0].upper() + text[1:] if start else text
        if mode == "pronoun":
            text = "she" if p.gender == "f" else "he"
            return text.capitalize() if start else text
        if p.name in self.introduced:
            return p.surname
        self.introduced.add(p.name)
        if p.titles:
            return f"{self.rng.choice(p.titles)} {p.name}"
        return p.name

    def intro(self, p: Person) -> str:
        """A first mention with the appositive a reader needs ("Yuko Sato, a professor ...,")."""
        self.introduced.add(p.name)
        return f"{p.name}, {self.expand(p.affiliation or '')}"

    # ---- quotes -----------------------------------------------------------------------------------

    def quote_words(self, p: Person, sentences: int) -> list[str]:
        if p.kind == "official":
            bank = SIDE_QUOTES[p.side]
        elif p.kind == "expert":
            bank = EXPERT_QUOTE
        else:
            bank = RESIDENT_QUOTE
        usable = [i for i in range(len(bank)) if self.pub >= WAR_DATE or (bank[i] not in AFTER_WAR)]
        picks = self.rng.sample(usable, min(sentences, len(usable)))
        special = self.rng.randrange(len(picks)) if self.rng.random() < 0.5 else -1
        out = []
        for n, i in enumerate(picks):
            if n == special:
                phrase: Phrase = self.local_names(
                    self.rng.choice(SPECIFIC[p.side if p.kind == "official" else p.kind])
                )
            else:
                phrase = bank[i]
            out.append(self.apostrophes(_capitalised(self.expand(phrase))))
        return out

    def plant_quote(self, text: str, p: Person, style: str, *, partial: bool = False) -> str:
        return self.mark("quote", text, text=_plain(text), speaker=p.name, style=style, partial=partial)

    def said_on(self) -> str:
        """' on Friday' after a speech verb, planted as a date, or nothing."""
        if self.rng.random() > 0.25:
            return ""
        weekday = self.rng.randrange(7)
        day = _weekday_date(self.pub, weekday, future=False)
        return " on " + self.mark("date", WEEKDAYS[weekday], iso=day.isoformat(), kind="relative")

    def quote_paragraphs(self) -> list[str]:
        """One quotation in one of the attribution styles news uses; some styles take two paragraphs."""
        p = self.speaker()
        styles = {
            "name_after": 20,
            "said_name": 12,
            "pronoun": 14,
            "role": 12,
            "before_colon": 10,
            "interrupted": 8,
            "continuation": 6,
            "multi_paragraph": 5,
            "fragment": 9,
            "according": 3,
            "appositive": 4,
        }
        if not p.descriptions:
            styles.pop("role")
            styles.pop("appositive")
        if p.kind != "official":
            styles = {
                s: styles[s]
                for s in ("name_after", "said_name", "before_colon", "continuation", "multi_paragraph")
            }
        style = self.rng.choices(list(styles), list(styles.values()))[0]
        if p.kind != "official" and p.name not in self.introduced:
            return [self.expert_intro(p)]
        return getattr(self, f"_q_{style}")(p)

    def expert_intro(self, p: Person) -> str:
        words = " ".join(self.quote_words(p, self.rng.choice((1, 2))))
        if self.rng.random() < 0.6:
            marked = self.plant_quote(words[:-1], p, "said_name")
            return self.q(marked + ",") + f" said {self.intro(p)}."
        marked = self.plant_quote(words, p, "before_colon")
        return f"{self.intro(p)}, said: " + self.q(marked)

    def _verb(self) -> str:
        return self.rng.choice(("said", "said", "told reporters", "added", "stressed", "noted"))

    def _q_name_after(self, p: Person) -> list[str]:
        words = " ".join(self.quote_words(p, self.rng.choice((1, 2, 2))))
        marked = self.plant_quote(words[:-1], p, "name_after")
        return [self.q(marked + ",") + f" {self.ref(p)} {self._verb()}{self.said_on()}."]

    def _q_said_name(self, p: Person) -> list[str]:
        words = " ".join(self.quote_words(p, self.rng.choice((1, 2))))
        marked = self.plant_quote(words[:-1], p, "said_name")
        return [self.q(marked + ",") + f" said {self.ref(p)}."]

    def _q_role(self, p: Person) -> list[str]:
        words = " ".join(self.quote_words(p, self.rng.choice((1, 2))))
        marked = self.plant_quote(words[:-1], p, "role")
        lead = ""
        if p.name not in self.introduced and self.rng.random() < 0.5:
            # Named earlier in the paragraph, then described by office.
            lead = self.expand(self.rng.choice(SETUPS_SPEECH[p.side])).replace("{ref}", self.ref(p)) + " "
        return [lead + self.q(marked + ",") + f" {self.ref(p, 'role')} {self._verb()}."]

    def _q_pronoun(self, p: Person) -> list[str]:
        bank = SETUPS_SPEECH if self.rng.random() < 0.7 else SETUPS_OTHER
        setup = self.rng.choice(bank[p.side])
        if "{ref}" in setup and "that" not in setup and self.rng.random() < 0.3:
            setup = setup[:-1] + ", " + self.expand(("and was asked about {G}.", "and took questions."))
        setup = self.expand(setup).replace("{ref}", self.ref(p, "name", start=True))
        words = " ".join(self.quote_words(p, self.rng.choice((1, 2))))
        marked = self.plant_quote(words[:-1], p, "pronoun")
        verb = self.rng.choice(("said", "said", "added", "stressed"))
        return [f"{setup} " + self.q(marked + ",") + f" {self.ref(p, 'pronoun')} {verb}."]

    def _q_before_colon(self, p: Person) -> list[str]:
        words = " ".join(self.quote_words(p, self.rng.choice((1, 2))))
        marked = self.plant_quote(words, p, "before_colon")
        lead = self.rng.choice(
            (
                "{ref} told reporters",
                "{ref} said",
                "{ref} told a news conference",
                "Speaking at a briefing, {ref} said",
                "{ref} wrote on social media",
            )
        )
        name = self.ref(p, "name", start=lead.startswith("{ref}"))
        return [lead.replace("{ref}", name) + ": " + self.q(marked)]

    def _q_interrupted(self, p: Person) -> list[str]:
        head_bank, tail_bank = INTERRUPTED[p.side]
        head = self.apostrophes(self.expand(head_bank))
        tail = self.apostrophes(self.expand(tail_bank))
        n = len(self.notes)
        self.notes.append(("quote", {"speaker": p.name, "style": "interrupted", "partial": False}))
        self.notes[n][1]["text"] = f"{head} {_plain(tail)}"
        body = self.q(head + ",") + f" {self.ref(p)} said, " + self.q(tail)
        return [f"{_OPEN}{n}{_MID}{body}{_CLOSE}{n}{_END}"]

    def _q_continuation(self, p: Person) -> list[str]:
        first, second = self.quote_words(p, 2)
        a = self.plant_quote(first[:-1], p, "name_after")
        b = self.plant_quote(second, p, "continuation")
        return [self.q(a + ",") + f" {self.ref(p)} said. " + self.q(b)]

    def _q_multi_paragraph(self, p: Person) -> list[str]:
        s1, s2, s3 = self.quote_words(p, 3) if p.kind == "official" else (*self.quote_words(p, 2), "")
        if not s3:
            s3 = s2
            s2 = ""
        n = len(self.notes)
        text = " ".join(s for s in (_plain(s1), _plain(s2), _plain(s3)) if s)
        self.notes.append(
            ("quote", {"speaker": p.name, "style": "multi_paragraph", "partial": False, "text": text})
        )
        opener = self.q("")[0]
        first = f"{self.ref(p, 'name', start=True)} said: {opener}{s1}{(' ' + s2) if s2 else ''}"
        second = self.q(s3)
        return [f"{_OPEN}{n}{_MID}{first}", f"{second}{_CLOSE}{n}{_END}"]

    def _q_fragment(self, p: Person) -> list[str]:
        frag = self.apostrophes(self.rng.choice(FRAGMENTS[p.side]))
        obj = self.rng.choice(FRAGMENT_OBJECTS)
        marked = self.plant_quote(frag, p, "fragment", partial=True)
        who = self.ref(p, self.rng.choice(("name", "name", "role")), start=True)
        form = self.rng.choice(("described {o} as {f}.", "called {o} {f}.", "said {o} had been {f}."))
        return [f"{who} " + form.replace("{o}", obj).replace("{f}", self.q(marked))]

    def _q_according(self, p: Person) -> list[str]:
        frag = self.apostrophes(self.rng.choice(FRAGMENTS[p.side]))
        marked = self.plant_quote(frag, p, "according", partial=True)
        obj = self.rng.choice(FRAGMENT_OBJECTS)
        return [f"According to {self.ref(p)}, {obj} had been " + self.q(marked) + "."]

    def _q_appositive(self, p: Person) -> list[str]:
        words = " ".join(self.quote_words(p, self.rng.choice((1, 2))))
        marked = self.plant_quote(words[:-1], p, "appositive")
        desc = self.rng.choice(p.descriptions)
        desc = desc if desc.startswith("the ") else "the " + desc.split(" ", 1)[1]
        self.introduced.add(p.name)
        return [self.q(marked + ",") + f" {p.name}, {desc}, told reporters."]

    # ---- dates ------------------------------------------------------------------------------------

    def date(self, surface: str, iso: str, kind: str) -> str:
        return self.mark("date", surface, iso=iso, kind=kind)

    def format_day(self, iso: str) -> str:
        parts = [int(x) for x in iso.split("-")]
        if len(parts) == 1:
            return str(parts[0])
        month = MONTHS[parts[1] - 1]
        if len(parts) == 2:
            return f"{month} {parts[0]}"
        if self.us_dates:
            if self.rng.random() < 0.2 and month not in ("May", "June", "July"):
                return f"{month[:3]}. {parts[2]}, {parts[0]}"
            return f"{month} {parts[2]}, {parts[0]}"
        return f"{parts[2]} {month} {parts[0]}"

    def history_paragraph(self) -> str | None:
        past = [h for h in HISTORY if h[0] < self.pub.isoformat()[: len(h[0])]]
        if self.rng.random() < 0.3:
            (iso, first), (offset, unit, second) = self.rng.choice(ANCHORED)
            d1 = self.date(self.format_day(iso), iso, "absolute")
            parts = [int(x) for x in iso.split("-")]
            if unit == "year":
                iso2 = str(parts[0] + offset)
                word = (
                    "The following year"
                    if offset == 1
                    else f"{NUMBER_WORDS[offset - 2].capitalize()} years later"
                )
            else:
                index = parts[0] * 12 + parts[1] - 1 + offset
                iso2 = f"{index // 12:04d}-{index % 12 + 1:02d}"
                word = f"{NUMBER_WORDS[offset - 2].capitalize()} months later"
            a = self.date(word, iso2, "anchored")
            return self.expand(first).replace("{D}", d1) + " " + self.expand(second).replace("{A}", a)
        if not past:
            return None
        picks = self.rng.sample(past, min(len(past), self.rng.choice((1, 1, 2))))
        picks.sort()
        out = []
        for iso, sentence in picks:
            out.append(self.expand(sentence).replace("{D}", self.date(self.format_day(iso), iso, "absolute")))
        return " ".join(out)

    def recent(self) -> str:
        """A sentence about something past, dated relative to publication."""
        pub, rng = self.pub, self.rng
        kind = rng.choice(
            (
                "last_month",
                "in_month",
                "last_year",
                "ago",
                "md",
                "weekday",
                "yesterday",
                "earlier_month",
                "mid",
                "end_last",
            )
        )
        if kind == "earlier_month":
            d = self.date("earlier this month", f"{pub.year:04d}-{pub.month:02d}", "relative")
            return self.expand(f"Russian border guards detained two Japanese fishing boats near {{I}} {d}.")
        if kind == "mid":
            back = rng.randrange(1, 7)
            year, m = _month_shift(pub, -back)
            d = self.date(f"mid-{MONTHS[m - 1]}", f"{year:04d}-{m:02d}", "relative")
            return self.expand(f"The last charter flight for former residents landed on {{I}} in {d}.")
        if kind == "end_last":
            d = self.date("the end of last year", str(pub.year - 1), "relative")
            return self.expand(f"Russia completed a new power plant on {{I}} at {d}.")
        if kind == "last_month":
            m = rng.choice([m for m in range(1, 13) if m != pub.month])
            year = pub.year if m < pub.month else pub.year - 1
            d = self.date(f"last {MONTHS[m - 1]}", f"{year:04d}-{m:02d}", "relative")
            return self.expand(
                (
                    f"A group of former residents visited {{I}} {d} to tend family graves.",
                    f"Russian troops held exercises on {{I}} {d}, prompting a protest from Tokyo.",
                    f"The two sides last held consultations on fishing quotas {d}.",
                )
            )
        if kind == "in_month":
            back = rng.randrange(1, 9)
            year, m = _month_shift(pub, -back)
            d = self.date(MONTHS[m - 1], f"{year:04d}-{m:02d}", "relative")
            return self.expand(
                (
                    f"Officials from both countries met in Moscow in {d} but reported no progress.",
                    f"A Japanese delegation travelled to {{I}} in {d} to discuss fish farming.",
                    f"Russia opened a new pier on {{I}} in {d}.",
                )
            )
        if kind == "last_year":
            surface, year = rng.choice((("last year", pub.year - 1), ("late last year", pub.year - 1)))
            d = self.date(surface, str(year), "relative")
            return self.expand(
                (
                    f"Moscow suspended the visa-free exchanges {d}, citing Tokyo's sanctions.",
                    f"More than 400 tourists visited {{I}} {d}, local officials said.",
                    f"The ministry published a new plan for the development of {{G}} {d}.",
                )
            )
        if kind == "ago":
            n = rng.randrange(2, 11)
            word = NUMBER_WORDS[n - 2] if rng.random() < 0.7 else str(n)
            d = self.date(f"{word} years ago", str(pub.year - n), "relative")
            return self.expand(
                (
                    f"The fish-processing plant on {{I}} opened {d} with Japanese equipment.",
                    f"Hopes of a settlement peaked {d}, when the leaders met several times a year.",
                )
            )
        if kind == "md":
            day = pub - dt.timedelta(days=rng.randrange(8, 120))
            month = MONTHS[day.month - 1]
            if rng.random() < 0.3 and month not in ("May", "June", "July"):
                month = month[:3] + "."  # "Nov. 10", as agencies write it
            d = self.date(f"{month} {day.day}", day.isoformat(), "relative")
            return self.expand(
                (
                    f"The two ministers last met on {d} in Tokyo.",
                    f"Russia announced new investment in {{I}} on {d}.",
                )
            )
        if kind == "weekday":
            weekday = rng.randrange(7)
            day = _weekday_date(pub, weekday, future=False)
            d = self.date(WEEKDAYS[weekday], day.isoformat(), "relative")
            return self.expand(
                (
                    f"Japan lodged a protest with the Russian embassy on {d}.",
                    f"Russian officials inspected a new housing project on {{I}} on {d}.",
                )
            )
        day = pub - dt.timedelta(days=1)
        d = self.date("yesterday", day.isoformat(), "relative")
        return self.expand(
            (
                f"The Foreign Ministry in Tokyo summoned a Russian diplomat {d} over the drills near {{I}}.",
                f"A Russian patrol boat detained a Japanese fishing vessel near {{I}} {d}.",
            )
        )

    def upcoming(self) -> str:
        """A sentence about something planned, dated relative to publication."""
        pub, rng = self.pub, self.rng
        kind = rng.choice(("later_month", "next_month", "next_year", "in_month", "md", "weekday", "year_end"))
        if kind == "year_end":
            d = self.date("the end of the year", str(pub.year), "relative")
            return self.expand(f"Moscow wants the new port on {{I}} to open by {d}.")
        if kind == "later_month":
            d = self.date("later this month", f"{pub.year:04d}-{pub.month:02d}", "relative")
            return f"The foreign ministers are expected to meet {d} on the sidelines of a regional forum."
        if kind == "next_month":
            year, m = _month_shift(pub, 1)
            d = self.date("next month", f"{year:04d}-{m:02d}", "relative")
            return self.expand(f"A delegation of Japanese business leaders will travel to {{I}} {d}.")
        if kind == "next_year":
            surface = rng.choice(("next year", "early next year"))
            d = self.date(surface, str(pub.year + 1), "relative")
            return self.expand(
                (
                    f"Officials hope to sign an agreement on fishing near {{I}} {d}.",
                    f"Russia plans to finish a new airport terminal on {{I}} {d}.",
                )
            )
        if kind == "in_month":
            ahead = rng.randrange(1, 9)
            year, m = _month_shift(pub, ahead)
            d = self.date(MONTHS[m - 1], f"{year:04d}-{m:02d}", "relative")
            return self.expand(
                (
                    f"The next round of consultations will be held in {d} in Tokyo.",
                    f"Former residents plan to sail to {{I}} in {d} if the weather allows.",
                )
            )
        if kind == "md":
            day = pub + dt.timedelta(days=rng.randrange(8, 120))
            d = self.date(f"{MONTHS[day.month - 1]} {day.day}", day.isoformat(), "relative")
            return f"Consultations on fishing quotas are scheduled to resume on {d} in Moscow."
        # Never the publication's own weekday: "will arrive on Friday" in Friday's paper is ambiguous.
        weekday = rng.choice([w for w in range(7) if w != pub.weekday()])
        day = _weekday_date(pub, weekday, future=True)
        d = self.date(WEEKDAYS[weekday], day.isoformat(), "relative")
        return self.expand(
            (
                f"A Japanese government delegation will arrive in Yuzhno-Sakhalinsk on {d}.",
                f"The ministers are scheduled to speak by phone on {d}.",
            )
        )

    # ---- other paragraphs ---------------------------------------------------------------------------

    def context(self) -> str:
        n = self.rng.choice((1, 2, 2))
        picks = self.rng.sample(range(len(CONTEXT)), n)
        return " ".join(self.apostrophes(_capitalised(self.expand(CONTEXT[i]))) for i in picks)

    def local(self) -> str:
        """A sentence of local colour with made-up names of boats, villages, firms and people."""
        return self.expand(self.local_names(self.rng.choice(LOCAL)))

    def local_names(self, template: str) -> str:
        """`template` with made-up names and numbers in its {vessel}, {village}, {firm}... slots."""
        rng = self.rng
        values = {
            "vessel": f"{_jp_word(rng)} Maru No. {rng.randrange(2, 99)}",
            "tonnes": str(rng.choice((9, 14, 19, 29, 49))),
            "village": _ru_place(rng),
            "firm": f"{_jp_word(rng)} {rng.choice(_FIRM_KINDS)}",
            "town": rng.choice(("Nemuro", "Rausu", "Shibetsu", "Nakashibetsu", "Betsukai", "Kushiro")),
            "person": f"{rng.choice(JP_FIRST['m'])} {_jp_word(rng)}",
            "workers": str(rng.choice((40, 60, 120, 150, 300))),
            "count": str(rng.randrange(12, 480)),
        }
        for key, value in values.items():
            template = template.replace("{" + key + "}", value)
        return template

    def trap(self) -> str:
        phrase, kind = self.rng.choice(TRAPS)
        text = self.apostrophes(self.expand(phrase))
        return self.mark("trap", text, kind="date", surface=kind)

    def scare(self) -> str:
        template, words, _why = self.rng.choice(SCARE)
        inner = words
        if words == "Northern Territories":
            inner = self.mark("island", words, key="southern-kurils", alias=words)
        quoted = self.q(self.mark("trap", inner, kind="quote", surface=words))
        return template.replace("{Q}", quoted)

    def paragraphs(self, kind: str) -> list[str]:
        """The next paragraph(s) of the body, of one kind."""
        rng = self.rng
        if kind == "quote":
            return self.quote_paragraphs()
        if kind == "history":
            para = self.history_paragraph()
            return [para] if para else []
        if kind == "recent":
            return [self.recent() if rng.random() < 0.5 else self.recent() + " " + self.context()]
        if kind == "upcoming":
            return [self.upcoming()]
        if kind == "context":
            return [self.context() if rng.random() < 0.5 else self.local() + " " + self.context()]
        if kind == "local":
            return [self.local()]
        if kind == "trap":
            return [self.trap() + " " + self.context() if rng.random() < 0.5 else self.trap()]
        return [self.scare()]

    def lede(self, dateline: str) -> str:
        rng, pub = self.rng, self.pub
        weekday = pub.weekday() if rng.random() < 0.5 else rng.randrange(7)
        day = _weekday_date(pub, weekday, future=False)
        d = self.date(WEEKDAYS[weekday], day.isoformat(), "relative")
        pm = self.cast.get("japanese prime minister")
        fm_jp, fm_ru = self.cast.get("japanese foreign minister"), self.cast.get("russian foreign minister")
        ru_visitor = self.cast.get("russian prime minister") or self.cast.get("sakhalin governor")
        options: list[Callable[[], str]] = [
            lambda: f"A group of former residents sailed from Nemuro to {{I}} on {d} to visit family graves.",
            lambda: f"Russia said on {d} it had deployed new coastal defence systems to {{I}}.",
        ]
        if pm:
            options.append(
                lambda: (
                    f"{self.ref(pm)} said on {d} that Japan would keep pressing for a peace treaty with Russia "
                    "that settles the status of {G}."
                )
            )
        if fm_jp and fm_ru:
            options.append(
                lambda: (
                    f"{self.ref(fm_jp)} and {self.ref(fm_ru)} held talks in Moscow on {d}, "
                    "but made no progress on the territorial dispute."
                )
            )
        if ru_visitor:
            options.append(
                lambda: f"{self.ref(ru_visitor)} visited {{I}} on {d}, a trip that drew a protest from Tokyo."
            )
        return dateline + self.apostrophes(self.expand(rng.choice(options)()))


def _title(rng: random.Random, cast: dict[str, Person]) -> str:
    island = rng.choice(("Iturup", "Kunashir", "Shikotan", "Habomai", "Etorofu", "Kunashiri"))
    group = rng.choice(("Kuril Islands", "Northern Territories", "Southern Kurils", "disputed islands"))
    options = [
        f"Japan and Russia remain far apart on {group}",
        f"Former {island} residents call for resumption of grave visits",
        f"Moscow rules out talks on {group} sovereignty",
        f"Tokyo protests Russian military drills near {island}",
        f"Economic projects on {island} stall",
        f"Russia to expand military presence on {island}",
        f"Visa-free exchanges with {island} remain frozen",
        f"Fishermen in Nemuro worry about access to waters off {island}",
        f"New investment planned for {island} infrastructure",
    ]
    if pm := cast.get("japanese prime minister"):
        options += [
            f"{pm.surname} vows to keep pushing for peace treaty with Russia",
            f"{pm.surname} meets former residents of {island}",
        ]
    if fm := cast.get("russian foreign minister"):
        options += [
            f"{fm.surname} says Japan must accept results of World War Two",
            f"{fm.surname} rejects Japanese claims to {group}",
        ]
    angle = rng.choice(
        ("", "", " amid sanctions row", " as relations sour", " ahead of fishing talks", " after Diet debate")
    )
    return rng.choice(options) + angle


def _article(
    seed: int, index: int, offices: list[_Office]
) -> tuple[ArticleTruth, str, dict[str, object] | None, Truth]:
    rng = random.Random(f"{seed}:{index}")
    span = (LAST_DAY - FIRST_DAY).days
    pub = FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1))
    cast = office_holders(offices, pub)
    outlet, domain, _side = rng.choice(OUTLETS)
    article_id = f"{index:05d}_{domain.split('.')[0].replace('-', '')}"
    a = _Article(rng, article_id, pub, cast)
    title = _title(rng, cast)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    url = f"https://{domain}/news/{pub.year}/{slug}-{rng.randrange(10000, 99999)}"

    metadata = rng.choices(("manifest", "published line", "dateline"), (4, 3, 3))[0]
    top: list[str] = []
    if rng.random() < 0.6:
        top.append(a.mark("furniture", rng.choice(BREADCRUMBS), kind="breadcrumb"))
    if rng.random() < 0.4:
        top.append(a.mark("furniture", rng.choice(NAV), kind="navigation"))
    top.append(title)
    if metadata == "published line":
        when = rng.choice(
            (
                f"Published: {pub.day} {MONTHS[pub.month - 1]} {pub.year} {rng.randrange(6, 23):02d}:{rng.randrange(60):02d}",
                f"Posted on {MONTHS[pub.month - 1]} {pub.day}, {pub.year}",
                f"Published {pub.isoformat()} {rng.randrange(6, 23):02d}:{rng.randrange(60):02d} JST",
            )
        )
        top.append(a.mark("furniture", when, kind="publication line"))
    if rng.random() < 0.5:
        subject = rng.choice(list(cast.values()))
        caption = f"{subject.titles[-1] if subject.titles else ''} {subject.name}".strip()
        credit = rng.choice(CREDITS)
        if "/" in credit and not credit.startswith(("Photo", "Image")) and rng.random() < 0.5:
            top.append(a.mark("furniture", f"{caption} {credit}", kind="photo credit"))
            top.append(a.mark("furniture", caption, kind="photo caption"))
        else:
            top.append(a.mark("furniture", credit, kind="photo credit"))

    dateline = ""
    if metadata == "dateline":
        city = rng.choice(CITIES_RU if outlet == "TASS" else CITIES_JP + CITIES_RU)
        when = f"{MONTHS[pub.month - 1]} {pub.day}, {pub.year}"
        agency = DATELINE_AGENCY.get(outlet) or rng.choice(list(DATELINE_AGENCY.values()))
        dateline = a.mark("furniture", f"{city}, {when}{agency.rstrip()}", kind="dateline") + " "
    body: list[str] = [a.lede(dateline)]
    target = rng.randrange(400, 901)
    kinds = ("quote", "context", "history", "recent", "upcoming", "trap", "scare", "local")
    weights = (34, 7, 5, 5, 4, 3, 2, 4)
    guaranteed = ["quote", "history", "recent", "upcoming", "context", "trap", "quote", "local"]
    rng.shuffle(guaranteed)
    words = _words(body[0])
    while words < target:
        kind = guaranteed.pop() if guaranteed else rng.choices(kinds, weights)[0]
        mark = len(a.notes)
        paragraphs = a.paragraphs(kind)
        size = sum(_words(p) for p in paragraphs)
        if words + size > 900:
            del a.notes[mark:]  # over the length range: the paragraph is not written, nor its facts
            break
        body.extend(paragraphs)
        words += size
    if a.curly:
        body = [a.apostrophes(p) for p in body]

    bottom: list[str] = []
    if metadata != "manifest" or rng.random() < 0.3:
        bottom.append(
            a.mark("furniture", rng.choice((f"Source: <{url}>", f"Source: {url}")), kind="source line")
        )
    if rng.random() < 0.4:
        bottom.append(a.mark("furniture", "[Disclaimer]", kind="notice"))
    if rng.random() < 0.5:
        tail = ["Other News:", *rng.sample(HEADLINE_TAIL, 3)]
        bottom.append(a.mark("furniture", "\n\n".join(tail), kind="other news"))
    if rng.random() < 0.4:
        reply = (
            "Leave a Reply\n\nYour email address will not be published. Required fields are marked *\n\n"
            "Comment *\n\nName *\n\nEmail *"
        )
        bottom.append(a.mark("furniture", reply, kind="comment form"))

    marked = "\n\n".join([*top, *body, *bottom]) + "\n"
    text, spans = strip_marks(marked)
    truth = Truth(seed)
    for n, (kind, payload) in enumerate(a.notes):
        start, end = spans[n]
        if kind == "quote":
            truth.quotes.append(
                PlantedQuote(
                    article_id,
                    payload["text"],
                    payload["speaker"],
                    payload["style"],
                    payload["partial"],
                    start,
                    end,
                )
            )
        elif kind == "date":
            truth.dates.append(
                PlantedDate(article_id, text[start:end], payload["iso"], payload["kind"], start, end)
            )
        elif kind == "island":
            truth.islands.append(PlantedIsland(article_id, payload["key"], text[start:end], start, end))
        elif kind == "trap":
            truth.traps.append(Trap(article_id, payload["kind"], payload["surface"], start, end))
        else:
            truth.furniture.append(Furniture(article_id, payload["kind"], start, end))
    words = sum(_words(p) for p in body) - (len(_plain(dateline).split()) if dateline else 0)
    info = ArticleTruth(article_id, f"{article_id}.txt", title, outlet, url, pub.isoformat(), metadata, words)
    entry: dict[str, object] | None = None
    if metadata == "manifest":
        entry = {"title": title, "outlet": outlet, "url": url, "published": pub.isoformat()}
    return info, text, entry, truth


def _toml_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def generate(folder: Path, n: int, seed: int = 1) -> Truth:
    """Write `n` articles (and `articles.toml` for some of them) into `folder`; return what was planted."""
    folder.mkdir(parents=True, exist_ok=True)
    offices = _offices()
    truth = Truth(seed)
    manifest: list[str] = [
        "# Metadata of generated articles; the others state it in a dateline or a published line.\n"
    ]
    for index in range(n):
        info, text, entry, planted = _article(seed, index, offices)
        (folder / info.file).write_text(text, encoding="utf-8", newline="\n")
        truth.articles.append(info)
        truth.quotes.extend(planted.quotes)
        truth.dates.extend(planted.dates)
        truth.islands.extend(planted.islands)
        truth.traps.extend(planted.traps)
        truth.furniture.extend(planted.furniture)
        if entry is not None:
            manifest.append(f"\n[{_toml_value(info.file)}]\n")
            manifest.extend(f"{key} = {_toml_value(value)}\n" for key, value in entry.items())
    (folder / MANIFEST).write_text("".join(manifest), encoding="utf-8", newline="\n")
    return truth
