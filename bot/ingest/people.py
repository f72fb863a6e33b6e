"""Who is who: a curated directory of speakers, and person mentions found in an article.

Speakers are resolved to canonical full names. A surname alone, a role description ("the Japanese PM",
"Russia's top diplomat") or a pronoun is resolved within the article first; the directory's terms of office
are the fallback for a role when the article names nobody in it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import string
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.bundled import data_file
from bot.ingest.needles import Needles, required_literal, top_level_alternatives
from bot.ingest.speakers import NATIONALITIES, ORG_HEADS, PLACES, ROLE_HEADS, TITLE_WORDS, Tok, tokenize
from bot.ingest.speakers import NOT_NAMES as SPEAKER_NOT_NAMES
from bot.models import PartialDate


@dataclass(frozen=True, slots=True)
class Office:
    role: str
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    gender: str | None = None  # "m", "f" or None when unknown
    aliases: tuple[str, ...] = ()
    offices: tuple[Office, ...] = ()

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass(slots=True)
class Directory:
    """Known people, looked up by full name, alias or surname."""

    people: dict[str, Person] = field(default_factory=dict)
    by_alias: dict[str, str] = field(default_factory=dict)
    _lookup: _AliasLookup | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path | None = None) -> Directory:
        """Read `data/people.toml`."""
        raw = tomllib.loads((path or data_file("people.toml")).read_text(encoding="utf-8"))
        people = []
        for entry in raw.get("person", []):
            offices = tuple(
                Office(
                    o["role"],
                    dt.date.fromisoformat(o["from"]),
                    dt.date.fromisoformat(o["to"]) if o.get("to") else None,
                )
                for o in entry.get("offices", [])
            )
            people.append(
                Person(entry["name"], entry.get("gender"), tuple(entry.get("aliases", [])), offices)
            )
        return cls.of(people)

    @classmethod
    def of(cls, people: Iterable[Person]) -> Directory:
        """A directory of the given people."""
        d = cls()
        for p in people:
            d.add(p)
        return d

    def add(self, person: Person) -> None:
        self.people[person.name] = person
        for alias in (person.name, *person.aliases):
            self.by_alias[alias.lower()] = person.name
        self._lookup = None

    def lookup(self) -> _AliasLookup:
        """Compiled alias patterns and surname groups, built once per directory (rebuilt after `add`)."""
        if self._lookup is None or self._lookup.size != (len(self.by_alias), len(self.people)):
            self._lookup = _AliasLookup(self)
        return self._lookup

    def find(self, name: str) -> Person | None:
        """The person with this full name or alias."""
        key = self.by_alias.get(name.lower())
        return self.people.get(key) if key else None

    def countries_with(self, office: str) -> list[str]:
        """The nationalities whose holders of `office` the directory knows ('japanese' for 'chief cabinet
        secretary')."""
        found = {
            o.role[: -len(office)].strip()
            for p in self.people.values()
            for o in p.offices
            if o.role.endswith(" " + office)
        }
        return sorted(found)

    def holder(self, role: str, when: PartialDate | None) -> Person | None:
        """Who held `role` (e.g. 'japanese prime minister') at `when`; None if unknown or ambiguous."""
        if when is None:
            return None
        day = when.as_date() or dt.date(when.year, when.month or 7, 15 if when.month else 1)
        holders = [
            p
            for p in self.people.values()
            for o in p.offices
            if o.role == role and o.start <= day and (o.end is None or day < o.end)
        ]
        return holders[0] if len(holders) == 1 else None


class _AliasLookup:
    """What PeopleIndex needs from a directory for every article, prepared once."""

    def __init__(self, directory: Directory) -> None:
        self.size = (len(directory.by_alias), len(directory.people))
        self.patterns = [
            (alias, name, re.compile(rf"\b{re.escape(alias)}\b", re.IGNORECASE))
            for alias, name in directory.by_alias.items()
        ]
        self.needles = Needles([*directory.by_alias, string.ascii_lowercase, "’'- "])
        by_surname: dict[str, list[Person]] = {}
        for person in directory.people.values():
            by_surname.setdefault(person.surname.lower(), []).append(person)
        # A surname alone names a directory person when no other person in the directory has it.
        self.unique_surnames = [
            (persons[0], re.compile(rf"\b{re.escape(persons[0].surname)}\b"))
            for persons in by_surname.values()
            if len(persons) == 1
        ]


# Role descriptions: a nationality (optional) and an office. "leader" depends on the country.
_NATIONALITY = {
    "japanese": "japanese",
    "japan's": "japanese",
    "japan’s": "japanese",
    "tokyo's": "japanese",
    "tokyo’s": "japanese",
    "russian": "russian",
    "russia's": "russian",
    "russia’s": "russian",
    "moscow's": "russian",
    "moscow’s": "russian",
    "kremlin": "kremlin",
    "soviet": "soviet",
}
_OFFICES = [
    (r"prime minister|premier|pm", "prime minister"),
    (r"president|head of state", "president"),
    (r"leader", "leader"),
    (
        r"(?:top|chief) diplomat|foreign minister|minister of foreign affairs|foreign affairs minister",
        "foreign minister",
    ),
    (r"foreign ministry spokes(?:wo)?man|foreign ministry spokesperson", "foreign ministry spokeswoman"),
    (r"spokes(?:wo)?man|spokesperson|press secretary", "spokesman"),
    (r"chief cabinet secretary|top government spokesman", "chief cabinet secretary"),
    (r"ambassador(?: to japan)?", "ambassador to japan"),
    (r"aide|foreign policy aide", "aide"),
]
_OFFICE_RE = "|".join(f"(?:{pattern})" for pattern, _ in _OFFICES)
_ROLE_GROUPED = (
    r"(?:(?:the|a|an)\s+)?(?:(?:then|former|current|new|outgoing|incoming)\s+)?"
    r"(?:(?P<nat>japanese|russian|soviet|kremlin|(?:japan|russia|tokyo|moscow)['’]s)\s+)?"
    r"(?:(?:then|former|current|new|outgoing|incoming)\s+)?(?P<office>" + _OFFICE_RE + r")"
)
_ROLE_RE = re.compile(_ROLE_GROUPED, re.IGNORECASE)
# The same grammar without named groups, for embedding in other patterns.
ROLE_PATTERN = re.sub(r"\(\?P<\w+>", "(?:", _ROLE_GROUPED)
# A role ending a text, perhaps followed by a few names ("the Japanese PM Shinzo"): what precedes a name.
_ROLE_BEFORE = re.compile(r"(" + ROLE_PATTERN + r")(?:\s+[A-Z][\w-]+){0,3}\s*$", re.IGNORECASE)
# A word each office contains: a text without any of them holds no role (None when unknown).
_OFFICE_WORDS = [required_literal(branch) for p, _ in _OFFICES for branch in top_level_alternatives(p)]
_ROLE_GATE = (
    re.compile("|".join(re.escape(w) for w in _OFFICE_WORDS if w), re.IGNORECASE)
    if all(_OFFICE_WORDS)
    else None
)


def normalise_role(phrase: str) -> tuple[str | None, str] | None:
    """('japanese', 'prime minister') for 'the Japanese PM'; None when the phrase is no role."""
    m = _ROLE_RE.fullmatch(phrase.strip().rstrip(","))
    if not m:
        return None
    nat = m.group("nat")
    nationality = _NATIONALITY.get(nat.lower()) if nat else None
    office_text = m.group("office").lower()
    office = next(canon for pattern, canon in _OFFICES if re.fullmatch(pattern, office_text))
    if nationality == "kremlin" and office in ("spokesman", "leader", "aide"):
        return ("kremlin", office if office != "leader" else "president")
    if nationality == "kremlin":
        nationality = "russian"
    if office == "leader":
        if nationality == "japanese":
            office = "prime minister"
        elif nationality in ("russian", "soviet"):
            office = "president"
    return nationality, office


def role_key(nationality: str | None, office: str) -> str:
    """The directory's role name, e.g. 'japanese prime minister'."""
    return f"{nationality} {office}" if nationality else office


_TITLE_WORDS = frozenset(
    [
        "president",
        "prime",
        "minister",
        "foreign",
        "deputy",
        "chief",
        "cabinet",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "ambassador",
        "governor",
        "mayor",
        "chairman",
        "chairwoman",
        "director",
        "general",
        "first",
        "head",
        "envoy",
        "senator",
        "lawmaker",
        "professor",
        "dr",
        "mr",
        "mrs",
        "ms",
        "minister's",
        "kremlin",
        "japanese",
        "russian",
        "soviet",
        "former",
        "then",
        "current",
        "state",
        "duma",
        "defense",
        "defence",
        "economy",
        "economic",
        "development",
        "trade",
        "industry",
        "emperor",
        "premier",
        "pm",
        "tass",
        "interim",
        "acting",
        "vice",
        "press",
        "aide",
        "adviser",
        "advisor",
    ]
)
# Capitalised words that start sentences or name places and things, never people.
_NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "but",
        "however",
        "in",
        "on",
        "at",
        "for",
        "with",
        "after",
        "before",
        "since",
        "when",
        "while",
        "as",
        "if",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "our",
        "their",
        "his",
        "her",
        "there",
        "here",
        "japan",
        "russia",
        "tokyo",
        "moscow",
        "kuril",
        "kurils",
        "islands",
        "island",
        "peace",
        "treaty",
        "soviet",
        "union",
        "united",
        "states",
        "china",
        "korea",
        "korean",
        "north",
        "south",
        "east",
        "west",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "group",
        "twenty",
        "g20",
        "g7",
        "un",
        "security",
        "council",
        "world",
        "war",
        "ii",
        "two",
        "kremlin",
        "foreign",
        "ministry",
        "government",
        "parliament",
        "diet",
        "duma",
        "joint",
        "declaration",
        "northern",
        "territories",
        "far",
        "according",
        "article",
        "several",
        "both",
        "each",
        "some",
        "many",
        "most",
        "other",
        "others",
        "under",
        "together",
        "apart",
        "besides",
        "among",
        "singapore",
        "argentina",
        "vladivostok",
        "ise",
        "sakhalin",
        "hokkaido",
        "shikotan",
        "habomai",
        "iturup",
        "kunashir",
        "etorofu",
        "kunashiri",
        "asia",
        "pacific",
        "europe",
        "european",
        "american",
        "america",
        "chinese",
        "british",
        "france",
        "german",
        "germany",
        "asean",
        "apec",
        "nato",
    ]
)
_NAME_PART = r"[A-Z][a-z’'\-]+(?:-[A-Z][a-z]+)?"
# "Russian envoy Nikolai Nozdrev was summoned": the person named is not the one who acts.
_PASSIVE_AFTER = re.compile(
    r"(?:,[^,]{0,80},)?\s+(?:was|were|is|are|has been|had been|will be)\s+\w+(?:ed|en)\b"
)
_SENTENCE_END_BEFORE = re.compile(r"[.!?][\"'”’)]*\s+|\n")
_INTRODUCTION_MENTIONS = 4
# How many speakers and mentions back a pronoun's antecedent is looked for: a pronoun refers to someone
# recent, and a bound keeps an article of thousands of pronouns linear.
_PRONOUN_REACH = 200
_HONORIFIC_BEFORE = re.compile(r"\b(Mr|Mrs|Ms)\.?\s+$")
# "His wife, Michiko Nishikawa" / "her son Kenji": the family word tells who is a woman or a man.
_FAMILY_GENDER = {
    "wife": "f",
    "mother": "f",
    "daughter": "f",
    "sister": "f",
    "widow": "f",
    "grandmother": "f",
    "granddaughter": "f",
    "aunt": "f",
    "niece": "f",
    "husband": "m",
    "father": "m",
    "son": "m",
    "brother": "m",
    "widower": "m",
    "grandfather": "m",
    "grandson": "m",
    "uncle": "m",
    "nephew": "m",
}
_RELATIVE_NAMED = re.compile(
    r"\b((?i:" + "|".join(_FAMILY_GENDER) + r"|neighbou?r|friend|colleague)),\s+([A-Z][a-z]{2,}),"
)
_FAMILY_BEFORE = re.compile(r"\b(" + "|".join(_FAMILY_GENDER) + r"),?\s+$", re.IGNORECASE)
_SURNAME_ALONE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr)\.?\s+([A-Z][a-z][\w’'-]*)")
_SURNAME_SPEAKS = re.compile(
    r"(?:\b(?:said|says)\s+([A-Z][a-z][\w’'-]*)\b(?!\s+[A-Z]))|(?:\b([A-Z][a-z][\w’'-]*)\s+(?:said|says|told|added)\b)"
)
_TITLED_BEFORE = re.compile(
    r"(?:president|minister|spokes\w+|ambassador|governor|mayor|secretary|director|chairman|chairwoman|"
    r"professor|analyst|expert|official|lawmaker|legislator|envoy|aide|adviser|advisor|head|researcher|"
    r"resident|islander|fisherman|diplomat|deputy|chief|leader|premier|commander|captain|admiral|general|"
    r"colonel|officer|specialist|scholar|teacher|student|wife|husband|daughter|son|mother|father|"
    r"neighbour|neighbor|mr\.|ms\.|mrs\.|"
    r"dr\.|prof\.|mr|ms|mrs|dr|\d+-year-old|former|late)\s+$"
)
_ROLE_COMMA_BEFORE = re.compile(
    r"(?:minister|affairs|secretary|spokes\w+|governor|mayor|ambassador|president|official|chairman|"
    r"chairwoman|director|head|chief|leader|envoy|aide|adviser|advisor|professor|expert|analyst|resident|"
    r"fisherman|wife|husband|daughter|son|mother|father|neighbou?r|friend|diplomat|admiral|general),\s+"
    r"(?:(?:mr|ms|mrs|dr)\.?\s+)?$"
)
_SPEAKING_AFTER = re.compile(
    r"\s*(?:,[^,]{0,80},\s*)?(?:also\s+|later\s+|then\s+)?(?:said|says|told|stressed|noted|added|explained|"
    r"declared|insisted|recalled|wrote|asked|warned|argued|announced|affirmed|called|described|reported|"
    r"replied|disagreed|agreed|nodded|laughed)\b"
)
# "Name, an 87-year-old former resident of …," / "Name, 79," / "Name, deputy chairman of …,"
_DESCRIBED_AFTER = re.compile(
    r",\s+(?:a|an|the|then|now|aged|who|whose|\d{1,3}(?:,|\s+(?:and|who|a|an|the)\b)|"
    r"(?:deputy|vice|first|former|senior|chief|head|spokes\w+|ambassador|minister|governor|mayor|"
    r"chairman|chairwoman|director|president|secretary)\b)"
)
# Parts of a name are on one line: "Advertisement\n\nAbe said" is no "Advertisement Abe".
# Titles are matched with the name and stripped after: "Russian Deputy Foreign Minister Mikhail Galuzin".
_NAME_RE = re.compile(rf"\b{_NAME_PART}(?:[^\S\n]+{_NAME_PART}){{1,5}}\b")


@dataclass(frozen=True, slots=True)
class Mention:
    """A person named in the text at [start, end)."""

    start: int
    end: int
    name: str  # canonical full name
    after_preposition: bool
    role: str | None = None  # the role the article gives the person at this mention


_PREPOSITIONS = frozenset(
    [
        "with",
        "to",
        "by",
        "of",
        "from",
        "for",
        "at",
        "on",
        "in",
        "about",
        "against",
        "between",
        "among",
        "toward",
        "towards",
        "than",
        "like",
        "and",
        "including",
    ]
)


_TITLE_OR_NOT_NAMES = _TITLE_WORDS | _NOT_NAMES
# Words of the names of institutions, firms, ships and places, never of people.
_NOT_PERSON = (
    ORG_HEADS
    | PLACES
    | frozenset(
        [
            "maru",
            "seafoods",
            "seafood",
            "fisheries",
            "fishery",
            "holdings",
            "industries",
            "industry",
            "trading",
            "shipping",
            "airlines",
            "airline",
            "railway",
            "railways",
            "hotel",
            "restaurant",
            "school",
            "university",
            "college",
            "hospital",
            "church",
            "shrine",
            "temple",
            "museum",
            "cape",
            "bay",
            "strait",
            "port",
            "harbour",
            "harbor",
            "river",
            "lake",
            "mount",
            "mountain",
            "peninsula",
            "sea",
            "ocean",
            "village",
            "town",
            "city",
            "prefecture",
            "district",
            "region",
            "province",
            "oblast",
            "krai",
            "street",
            "avenue",
            "station",
            "airport",
            "island",
            "islands",
            "islet",
            "islets",
            "chain",
            "ridge",
        ]
    )
)
_TITLE_WORDS_OR_THE = _TITLE_WORDS | {"the"}


def _clean_name(candidate: str) -> str | None:
    words = candidate.split()
    while words and (
        words[0].lower().strip("’'") in _TITLE_OR_NOT_NAMES or words[0].lower() in SPEAKER_NOT_NAMES
    ):
        words.pop(0)
    while words and words[-1].lower().strip("’'") in _NOT_NAMES:
        words.pop()
    if not 2 <= len(words) <= 4:
        return None
    if any(w.lower() in _NOT_NAMES or w.lower() in _TITLE_WORDS or w.lower() in _NOT_PERSON for w in words):
        return None
    if words[-1].endswith(("’s", "'s")):
        return None
    return " ".join(words)


_NAME_EDGE = re.compile(r"[\w-]")
_WORD_CHAR = re.compile(r"\w")


def _word_matches(text: str, folded: str, key: str) -> list[int]:
    """Where `re.finditer(rf"\\b{re.escape(key)}\\b", text, re.IGNORECASE)` finds the lower-case `key`,
    given `folded`, the text lower-cased by `Needles.fold` (so that `str.find` on it is exact)."""

    def boundary(i: int) -> bool:
        before = i > 0 and _WORD_CHAR.match(text, i - 1) is not None
        after = i < len(text) and _WORD_CHAR.match(text, i) is not None
        return before != after

    starts: list[int] = []
    end = 0
    i = folded.find(key)
    while i >= 0:
        if i >= end and boundary(i) and boundary(i + len(key)):
            starts.append(i)
            end = i + len(key)
        i = folded.find(key, i + 1)
    return starts


def _find_names(text: str, needles: Needles, keys: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, key) of each name in `text`, as `re.finditer` finds the keys (longest first, in any
    letter case, not inside a word or a hyphenated compound).

    Compiling that alternation for every article costs more than the rest of the article's people, so
    the keys (lower case) are looked up with `str.find` in the lower-cased text instead.
    """
    order = sorted(keys, key=len, reverse=True)
    folded = needles.fold(text)
    if folded is None or not all(needles.covers(key) for key in order):
        alternation = "|".join(re.escape(k) for k in order)
        return [
            (m.start(), m.end(), m.group(0).lower())
            for m in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", text, re.IGNORECASE)
        ]
    first: dict[int, str] = {}  # start -> the first key (in `order`) that matches there
    for key in order:
        i = folded.find(key)
        while i >= 0:
            if (
                i not in first
                and not (i and _NAME_EDGE.match(text, i - 1))
                and not _NAME_EDGE.match(text, i + len(key))
            ):
                first[i] = key
            i = folded.find(key, i + 1)
    out: list[tuple[int, int, str]] = []
    end = 0
    for start in sorted(first):
        if start >= end:  # matches do not overlap: the search goes on after each
            key = first[start]
            end = start + len(key)
            out.append((start, end, key))
    return out


class PeopleIndex:
    """The people of one article: who is named where, by which name and in which role."""

    def __init__(self, text: str, directory: Directory, published: PartialDate | None) -> None:
        self.text = text
        self.directory = directory
        self.published = published
        self.full_names: dict[str, Person] = {}
        self.mentions: list[Mention] = []
        self.roles: dict[str, list[str]] = {}  # role key -> names given that role in the article
        self.honorific_gender: dict[str, str] = {}  # "Mr. Kishida", "Ms. Kamikawa"
        self._starts: list[int] | None = None  # mention starts, for bisecting
        self._collect()

    def _collect(self) -> None:
        text = self.text
        lookup = self.directory.lookup()
        # Full names: from the directory, then capitalised two/three-word names near a title or speech verb.
        folded = lookup.needles.fold(text)
        for alias, name, pattern in lookup.patterns:
            if folded is None:
                starts = [m.start() for m in pattern.finditer(text)]
            elif alias in folded:
                starts = _word_matches(text, folded, alias)
            else:
                continue  # not in the text in any letter case (see bot.ingest.needles)
            if any(text[start].isupper() for start in starts):
                self.full_names[name] = self.directory.people[name]
        # A surname alone names a directory person when no other person in the directory has it.
        for person, pattern in lookup.unique_surnames:
            if person.name not in self.full_names and person.surname in text and pattern.search(text):
                self.full_names[person.name] = person
        # Surnames the article uses alone as a person's ("Mr Hirata", "Hirata says"): a full name ending in
        # one of them is a person wherever it stands.
        used_alone: set[str] = {m.group(1) for m in _SURNAME_ALONE.finditer(text)}
        used_alone.update(m.group(1) or m.group(2) for m in _SURNAME_SPEAKS.finditer(text))
        known_surnames = {p.surname for p in self.full_names.values()}
        used_alone -= known_surnames  # "Abe said" is Shinzo Abe's when the article names him
        for m in _NAME_RE.finditer(text):
            cleaned = _clean_name(m.group(0))
            if not cleaned or cleaned in self.full_names or self.directory.find(cleaned):
                continue
            name = cleaned
            start = m.start() + m.group(0).find(name.split()[0])
            end = start + len(name) if text.startswith(name, start) else m.end()
            if name.split()[-1] in used_alone or self._plausible_new_name(start, end):
                self.full_names[name] = Person(name)
        # Mentions: full names, aliases and surnames (a surname counts when exactly one named person has it).
        surnames: dict[str, list[str]] = {}
        for name, person in self.full_names.items():
            surnames.setdefault(person.surname.lower(), []).append(name)
        patterns: dict[str, str] = {}
        for name, person in self.full_names.items():
            for alias in (name, *person.aliases):
                patterns[alias.lower()] = name
        for surname, names in surnames.items():
            if len(names) == 1:
                patterns.setdefault(surname, names[0])
        # "Sato's wife, Michiko, 55, waited …": a relative the article names by a first name only.
        for m in _RELATIVE_NAMED.finditer(text):
            first = m.group(2)
            if first not in self.full_names and first.lower() not in _TITLE_OR_NOT_NAMES:
                self.full_names[first] = Person(first, _FAMILY_GENDER.get(m.group(1).lower()))
                patterns.setdefault(first.lower(), first)
        # A first name alone ("Michiko went back to Shikotan") names the one person who has it.
        firsts: dict[str, list[str]] = {}
        for name in self.full_names:
            if name not in self.directory.people and " " in name:
                firsts.setdefault(name.split()[0].lower(), []).append(name)
        for first, names in firsts.items():
            if len(names) == 1 and first not in surnames and first not in _TITLE_OR_NOT_NAMES:
                patterns.setdefault(first, names[0])
        if not patterns:
            return
        for start, end, key in _find_names(text, lookup.needles, list(patterns)):
            if not text[start].isupper():
                continue
            name = patterns[key]
            before = text[max(0, start - 60) : start]
            # Only this sentence's words: "…to the Kamchatka Peninsula.\n\nPutin arrived" is no "to Putin".
            ends = [m.end() for m in _SENTENCE_END_BEFORE.finditer(before)]
            if ends:
                before = before[ends[-1] :]
            # "In Nemuro, Hokkaido, Hiroshi Kurokawa …": a comma closes the phrase before the name.
            prev_words = re.findall(r"[\w’']+", before[before.rfind(",") + 1 :])
            role = self._role_before(before)
            after_prep = self._after_preposition(prev_words, role)
            mention = Mention(start, end, name, after_prep, role)
            self.mentions.append(mention)
            honorific = _HONORIFIC_BEFORE.search(before)
            if honorific:
                self.honorific_gender.setdefault(name, "m" if honorific.group(1) == "Mr" else "f")
            family = _FAMILY_BEFORE.search(before)
            if family:
                self.honorific_gender.setdefault(name, _FAMILY_GENDER[family.group(1).lower()])
            if role:
                self.roles.setdefault(role, [])
                if name not in self.roles[role]:
                    self.roles[role].append(name)
            appositive = re.match(
                r",\s+(?:the\s+)?(" + ROLE_PATTERN + r")\b", text[end : end + 80], re.IGNORECASE
            )
            if appositive:
                norm = normalise_role(appositive.group(1))
                if norm:
                    self.roles.setdefault(role_key(*norm), [])
                    if name not in self.roles[role_key(*norm)]:
                        self.roles[role_key(*norm)].append(name)

    def _plausible_new_name(self, start: int, end: int) -> bool:
        """A capitalised pair is a person when a title or a description stands next to it, or a speech verb.

        "Chief Cabinet Secretary Hirokazu Matsuno", "86-year-old Kiyoto Tomiyama", "Takeshi Hatakeyama, an
        87-year-old former resident", "Kenji Yamada, 79,", "said Sergei Ivanov" — but not "Kaigara Island"
        or "Group of Seven", which stand next to none of these.
        """
        before = self.text[max(0, start - 50) : start].lower()
        after = self.text[end : end + 40].lower()
        titled = _TITLED_BEFORE.search(before)
        speaking = _SPEAKING_AFTER.match(after)
        described = _DESCRIBED_AFTER.match(after)
        cue_before = re.search(r"(?:said|says|according to|told|added|asked)\s+$", before)
        # "The Minister for Okinawa and Northern Territories Affairs, Kenji Morimoto, reported …"
        after_role = _ROLE_COMMA_BEFORE.search(before)
        return bool(titled or speaking or described or cue_before or after_role)

    def _role_before(self, before: str) -> str | None:
        if _ROLE_GATE is not None and not _ROLE_GATE.search(before):
            return None  # no office named, so no role (and the search below is the slow part)
        m = _ROLE_BEFORE.search(before)
        if not m:
            return None
        norm = normalise_role(m.group(1))
        return role_key(*norm) if norm else None

    @staticmethod
    def _after_preposition(prev_words: list[str], role: str | None) -> bool:
        # Skip the title words in front of the name ("with TASS First Deputy Director General Mikhail Gusman").
        words = [w.lower() for w in prev_words]
        while words and (
            words[-1] in _TITLE_WORDS
            or (
                prev_words[len(words) - 1][:1].isupper()
                and words[-1] not in _PREPOSITIONS
                and len(words) > 0
                and words[-1] != "the"
            )
        ):
            words.pop()
        while words and words[-1] in ("the", "a", "an"):
            words.pop()
        return bool(words) and words[-1] in _PREPOSITIONS

    # ---- resolution -------------------------------------------------------------------------------

    def resolve_name(self, phrase: str) -> str | None:
        """Canonical full name for a name as written ('Abe', 'Sergei Lavrov', 'Foreign Minister Lavrov')."""
        words = phrase.strip().strip(",").split()
        while words and words[0].lower().strip("’'") in _TITLE_WORDS_OR_THE:
            words.pop(0)
        if not words:
            return None
        candidate = " ".join(words)
        if candidate in self.full_names:
            return candidate
        known = self.directory.find(candidate)
        if known:
            return known.name
        matches = [
            n
            for n, p in self.full_names.items()
            if p.surname.lower() == words[-1].lower() or n.lower() == candidate.lower()
        ]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1 and len(words) == 1:
            # Two people of one family ("Kazuo Nishikawa" and "his wife, Michiko Nishikawa"): the surname
            # alone is the one the article introduced first; the other goes by her first name.
            return self._first_introduced(matches)
        if len(words) >= 2 and _clean_name(candidate):
            return candidate
        if len(words) == 1:
            # "Michiko said" after "Michiko Nishikawa"; "Zhang said" after "Zhang Minghui".
            given = [n for n in self.full_names if n.split()[0].lower() == words[0].lower() and " " in n]
            if len(given) == 1:
                return given[0]
            return self._introduced(words[0])
        return None

    def _first_introduced(self, names: list[str]) -> str:
        first = {name: len(self.text) for name in names}
        for m in self.mentions:
            if m.name in first and m.start < first[m.name]:
                first[m.name] = m.start
        for name in names:
            i = self.text.find(name)
            if i >= 0:
                first[name] = min(first[name], i)
        return min(names, key=lambda n: first[n])

    def _introduced(self, surname: str) -> str | None:
        """The full name the article gives for a surname used alone ("Hirotoshi Kawata’s home" for "Kawata")."""
        if not surname[:1].isupper() or surname.lower() in _TITLE_OR_NOT_NAMES:
            return None
        pattern = re.compile(rf"\b((?:{_NAME_PART}\s+){{1,2}}){re.escape(surname)}(?![\w-])")
        for m in pattern.finditer(self.text):
            words = m.group(1).split()
            while words and words[0].lower().strip("’'.") in _TITLE_OR_NOT_NAMES | SPEAKER_NOT_NAMES:
                words.pop(0)
            if words and not any(
                w.lower() in _TITLE_OR_NOT_NAMES | SPEAKER_NOT_NAMES or w.endswith(("’s", "'s"))
                for w in words
            ):
                name = " ".join([*words, surname])
                self.full_names[name] = Person(name)
                self.mentions.append(Mention(m.start() + m.group(0).find(words[0]), m.end(), name, False))
                self.mentions.sort(key=lambda x: x.start)
                return name
        return None

    def description(self, name: str) -> str | None:
        """How the article introduces a person: the appositive or the titles at the first mention that has
        one ("Takeshi Hatakeyama, an 87-year-old former resident of Shibotsu," / "Kremlin spokesman Dmitry
        Peskov"), or None."""
        # An introduction comes with the first mentions; looking further costs time on long texts.
        for m in [m for m in self.mentions if m.name == name][:_INTRODUCTION_MENTIONS]:
            found = _appositive_after(self.text, m.end) or _titles_before(self.text, m.start)
            if found:
                return found
        return None

    def pronoun_antecedent(
        self,
        gender: str,
        position: int,
        sentence_start: int,
        heard: list[tuple[int, str]],
        previous: tuple[int, int] | None = None,
        quoted: Callable[[int], bool] | None = None,
    ) -> str | None:
        """Who "he" or "she" at `position` is: the subject named earlier in the same sentence, else the one
        that acts in the sentence before (`previous`: "Abe arrived in Nemuro. '…,' he said"), else the last
        person heard speaking, else the last person named outside a prepositional phrase."""

        def compatible(name: str) -> bool:
            g = self.gender(name)
            return g is None or g == gender

        def spoken(m: Mention) -> bool:  # named inside a quotation, not in the narrative
            return quoted is not None and quoted(m.start)

        def possessive(m: Mention) -> bool:  # "Kubo's classmate, Ren Igarashi, said": not Kubo
            return self.text.startswith(("’s", "'s"), m.end)

        within = [m for m in self.mentions_between(sentence_start, position) if compatible(m.name)]
        subjects = [
            (m.start, m.name)
            for m in within
            if not m.after_preposition and not spoken(m) and not possessive(m)
        ]
        # Someone heard speaking earlier in this sentence ("His wife, Keiko, said … that she …").
        first_heard = bisect.bisect_left(heard, (sentence_start, ""))
        last_heard = bisect.bisect_left(heard, (position, ""))
        subjects += [(pos, name) for pos, name in heard[first_heard:last_heard] if compatible(name)]
        if subjects:
            return min(subjects)[1]
        if previous is not None:
            first = next(
                (
                    m
                    for m in self.mentions_between(*previous)
                    if not m.after_preposition and not spoken(m) and not possessive(m)
                ),
                None,
            )
            if (
                first is not None
                and compatible(first.name)
                and first.start - previous[0] <= 160
                and not _PASSIVE_AFTER.match(self.text, first.end)
            ):
                return first.name
        # `heard` is in text order: the last one before `position` first, without copying the list.
        for i in range(last_heard - 1, max(-1, last_heard - 1 - _PRONOUN_REACH), -1):
            if compatible(heard[i][1]):
                return heard[i][1]
        fallback = None
        last = bisect.bisect_right(self._mention_starts, position) - 1
        for i in range(last, max(-1, last - _PRONOUN_REACH), -1):
            m = self.mentions[i]
            if m.end > position or not compatible(m.name):
                continue
            if not m.after_preposition:
                return m.name
            fallback = fallback or m.name
        return fallback

    def resolve_role(self, phrase: str, position: int) -> str | None:
        """The person the article means by a role description such as 'the Japanese prime minister'."""
        norm = normalise_role(phrase)
        if norm is None:
            return None
        nationality, office = norm
        key = role_key(nationality, office)
        # Roles given in the article, the most recent mention before `position` first.
        candidates = [
            m
            for m in self.mentions
            if m.start < position
            and m.role
            and (m.role == key or (nationality is None and m.role.endswith(office)))
        ]
        if candidates:
            return candidates[-1].name
        named = self.roles.get(key) or (
            [n for r, ns in self.roles.items() if r.endswith(office) for n in ns]
            if nationality is None
            else []
        )
        if len(set(named)) == 1:
            return named[0]
        # The office holder at the article's date, from the directory.
        if nationality:
            holder = self.directory.holder(key, self.published)
            if holder:
                return holder.name
        else:
            holders = {
                h.name
                for nat in ("japanese", "russian")
                if (h := self.directory.holder(role_key(nat, office), self.published))
            }
            in_article = [h for h in holders if h in self.full_names]
            if len(in_article) == 1:
                return in_article[0]
            # An office only one country has ("the chief cabinet secretary") needs no nationality.
            countries = self.directory.countries_with(office)
            if len(countries) == 1:
                holder = self.directory.holder(role_key(countries[0], office), self.published)
                if holder:
                    return holder.name
        return None

    def gender(self, name: str) -> str | None:
        person = self.full_names.get(name) or self.directory.find(name)
        if person and person.gender:
            return person.gender
        return self.honorific_gender.get(name)

    @property
    def _mention_starts(self) -> list[int]:
        if self._starts is None or len(self._starts) != len(self.mentions):
            self._starts = [m.start for m in self.mentions]
        return self._starts

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        """The mentions that lie within [start, end), in text order."""
        starts = self._mention_starts
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        return [m for m in self.mentions[lo:hi] if m.end <= end]


_APPOSITIVE = re.compile(
    r",\s+((?:a|an|the|then|now|aged|deputy|vice|first|former|senior|chief|head|spokes\w+|ambassador|"
    r"minister|governor|mayor|chairman|chairwoman|director|president|secretary)\b[^,;:.\"“”()]{1,120}?|"
    r"\d{1,3})\s*[,.;]"
)


def _appositive_after(text: str, end: int) -> str | None:
    """ "an 87-year-old former resident of Shibotsu" after "Takeshi Hatakeyama, …,"; "aged 79" for ", 79,"."""
    m = _APPOSITIVE.match(text, end)
    if not m:
        return None
    found = re.sub(r"\s+", " ", m.group(1)).strip()
    if found.isdigit():
        return f"aged {found}"
    if len(found.split()) > 14 or re.search(r"\b(?:said|says|told)\b", found):
        return None
    return found


def _titles_before(text: str, start: int) -> str | None:
    """ "Kremlin spokesman" before "Dmitry Peskov": titles, offices, nationalities and ages, as written."""
    # Titles never run across a line break: a photo credit ("Mikhail Mettsel / TASS") ends the line before.
    toks = tokenize(text, max(0, start - 160, text.rfind("\n", 0, start) + 1), start)
    while toks and toks[-1].low.rstrip(".") in ("mr", "mrs", "ms", "dr", "prof"):
        toks.pop()
    if toks and toks[-1].text == ",":
        # "the Minister for Okinawa and Northern Territories Affairs, Mr Haruo Kinoshita,": the role is
        # the phrase that ends right before the comma.
        found = _role_ending(toks[:-1])
        if found:
            return found
    words: list[str] = []
    for tok in reversed(toks):
        low = tok.low
        owner = low[:-2] if low.endswith(("’s", "'s")) else None
        if tok.kind != "w":
            break
        if (
            low in TITLE_WORDS
            or low in ROLE_HEADS
            or low in NATIONALITIES
            or (low in ORG_HEADS and tok.text[:1].isupper())
            or re.fullmatch(r"\d{1,3}-year-old", low)
            or (owner is not None and owner in NATIONALITIES | {"japan", "russia", "china", "ukraine"})
        ):
            words.append(tok.text)
        else:
            break
    words.reverse()
    while words and words[0].lower().rstrip(".") in ("mr", "mrs", "ms", "dr", "the", "former", "late"):
        if words[0].lower() in ("former", "late") and len(words) > 1:
            break
        words.pop(0)
    return " ".join(words) or None


def _role_ending(toks: list[Tok]) -> str | None:
    """The role phrase that ends `toks` ("the Minister for Okinawa and Northern Territories Affairs")."""
    from bot.ingest.speakers import analyse

    for start in range(max(0, len(toks) - 14), len(toks)):
        if toks[start].low not in ("the", "a", "an") and not toks[start].text[:1].isupper():
            continue
        if any(t.kind != "w" for t in toks[start:]):
            continue
        words = toks[start:]
        # "and" may join the words of a title ("Okinawa and Northern Territories Affairs").
        phrase = analyse([t for t in words if t.low != "and"]) if len(words) > 1 else None
        if phrase is not None and phrase.kind == "role":
            return " ".join(t.text for t in words)
    return None
