"""Wording shared by the terminal and Discord renderers: dates, citation labels, numbered sources."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence

from bot.models import Citation, Event, IslandFact, PartialDate, Quote
from bot.render.locales import ENGLISH, month_names, translate

# What a terminal acts on instead of showing: C0 controls (escape sequences start with ESC), DEL, C1
# controls (0x9b is a one-byte CSI), and the bidi controls that make a line read other than it is stored.
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_TERMINAL_CONTROLS_AND_LINES = re.compile(_TERMINAL_CONTROLS.pattern[:-1] + "\n\t]")


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` safe to print on a terminal: every control character shown as an escape such as \\x1b.

    Line breaks and tabs are kept unless `one_line`.
    """
    pattern = _TERMINAL_CONTROLS_AND_LINES if one_line else _TERMINAL_CONTROLS
    return pattern.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def date_label(date: PartialDate | None, locale: str = ENGLISH) -> str:
    """'19 October 1956', 'May 2016' or '1956', at the date's own granularity, in the locale's language:
    '1956年10月19日', '19 октября 1956 г.'."""
    if date is None:
        return translate(locale, "undated")
    if date.month is None:
        return translate(locale, "{year}", year=date.year)
    names = month_names(locale)
    month, month_of = (
        (names[0][date.month - 1], names[1][date.month - 1])
        if names
        else (calendar.month_name[date.month],) * 2
    )
    params = {"year": date.year, "month": month, "month_of": month_of, "month_number": date.month}
    if date.day is None:
        return translate(locale, "{month} {year}", **params)
    return translate(locale, "{day} {month_of} {year}", day=date.day, **params)


def speaker_line(quote: Quote) -> str:
    """Who said it, with the description the article gave: 'Sergei Ivanov, a 63-year-old resident of
    Etorofu Island'; a role or an organisation as named ('Japanese Embassy official')."""
    if quote.speaker_kind == "person" and quote.speaker_description:
        return f"{quote.speaker}, {quote.speaker_description}"
    return quote.speaker


def citation_label(c: Citation, locale: str = ENGLISH) -> str:
    """'The Moscow Times, 2019-01-04 — “Japan Plans …” (004_ca3b18b3347b43dc)': enough to find it with /source."""
    outlet = c.outlet or translate(locale, "Unknown outlet")
    when = c.published or translate(locale, "date unknown")
    return f"{outlet}, {when} — “{c.title}” ({c.article_id})"


def first_sources(fact: Event | Quote | IslandFact, k: int) -> tuple[Sequence[Citation], int]:
    """A fact's first `k` citations and how many it has.

    A fact repeated by thousands of articles has thousands of citations; a page shows a few of them.
    Facts from the store read only those few (`first_sources`); others have them all in memory.
    """
    preview = getattr(fact, "first_sources", None)
    if preview is not None:
        return preview(k)
    return fact.sources[:k], len(fact.sources)


class Citations:
    """Numbers each distinct article once across an answer, so citations read [1], [2] …"""

    def __init__(self) -> None:
        self.order: list[Citation] = []
        self._numbers: dict[str, int] = {}

    def number(self, c: Citation) -> int:
        if c.article_id not in self._numbers:
            self._numbers[c.article_id] = len(self.order) + 1
            self.order.append(c)
        return self._numbers[c.article_id]

    def marks(self, cs: Iterable[Citation]) -> str:
        """'[1][3]' for a fact's sources."""
        return "".join(f"[{n}]" for n in sorted({self.number(c) for c in cs}))
