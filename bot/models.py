"""Plain data classes shared by ingest, store, answers and renderers."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Literal

Granularity = Literal["year", "month", "day"]


@functools.total_ordering
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date known to year, month or day precision.

    Dates order chronologically, a coarser date before the finer ones in its period (1956 < 1956-10 <
    1956-10-19); comparing the fields themselves would compare a missing month with a present one.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None:
            assert self.month is not None
            if not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
                raise ValueError(f"day out of range: {self.year}-{self.month}-{self.day}")

    @property
    def granularity(self) -> Granularity:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def iso(self) -> str:
        """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, at the date's own granularity."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return (self.year, self.month or 0, self.day or 0) < (other.year, other.month or 0, other.day or 0)

    def sort_key(self) -> str:
        """A string that sorts chronologically; coarser dates sort before finer ones in the same period."""
        return f"{self.year:04d}-{self.month or 0:02d}-{self.day or 0:02d}"

    def as_date(self) -> dt.date | None:
        """The exact date, or None when the day is not known."""
        if self.day is None or self.month is None:
            return None
        return dt.date(self.year, self.month, self.day)

    @classmethod
    def parse(cls, value: str) -> PartialDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError otherwise."""
        parts = value.strip().split("-")
        if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
            raise ValueError(f"not a YYYY, YYYY-MM or YYYY-MM-DD date: {value!r}")
        nums = [int(p) for p in parts]
        return cls(nums[0], nums[1] if len(nums) > 1 else None, nums[2] if len(nums) > 2 else None)


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What we know about one article file."""

    article_id: str  # the file name without .txt: how citations and /source name the article
    title: str
    outlet: str | None
    url: str | None
    published: PartialDate | None
    published_note: str | None
    sha256: str
    path: str = ""


@dataclass(frozen=True, slots=True)
class Citation:
    """One source of a fact: the article and the exact passage, with offsets into the original file."""

    article_id: str
    title: str
    outlet: str | None
    url: str | None
    published: str | None
    excerpt: str
    start: int
    end: int

    @classmethod
    def of(cls, meta: ArticleMeta, start: int, end: int, excerpt: str) -> Citation:
        """The citation of `excerpt`, the text at [start, end) of the article `meta` describes."""
        published = meta.published.iso() if meta.published else None
        return cls(meta.article_id, meta.title, meta.outlet, meta.url, published, excerpt, start, end)


SpeakerKind = Literal["person", "role", "organisation"]


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation with its resolved speaker.

    `speaker` is the display name; `speaker_kind` says whether it names a person, a role ("Japanese
    Embassy official") or an organisation ("Russian Foreign Ministry"); `speaker_description` is how the
    article introduced a person ("a 63-year-old Russian resident of Etorofu Island"), when it did.
    """

    text: str
    speaker: str
    partial: bool
    date: PartialDate | None
    sources: tuple[Citation, ...]
    fact_id: int = 0
    speaker_kind: SpeakerKind = "person"
    speaker_description: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A dated event: the sentence or clause that holds the date."""

    date: PartialDate
    text: str
    sources: tuple[Citation, ...]
    fact_id: int = 0


@dataclass(frozen=True, slots=True)
class IslandFact:
    """A sentence that speaks of an island or island group."""

    island: str
    text: str
    date: PartialDate | None
    sources: tuple[Citation, ...]
    fact_id: int = 0


@dataclass(frozen=True, slots=True)
class Island:
    """A gazetteer entry."""

    key: str
    name: str
    kind: Literal["island", "group"]
    aliases: tuple[str, ...]
    summary: str = ""
    members: tuple[str, ...] = field(default_factory=tuple)
