"""Rule-based finder for the date expressions in English news sentences that anchor an event."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from bot.models import PartialDate

__all__ = ["DateMention", "find_dates"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date expression: where it is, what it says and the date it resolves to."""

    start: int  # offsets into the `text` argument, half-open
    end: int
    surface: str  # text[start:end]
    date: PartialDate | None  # None when relative and nothing to resolve it against
    relative: bool  # True when resolved against the publication date or a previous anchor


# --------------------------------------------------------------------------- vocabulary

_FULL_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_KEYS = tuple(m[:3].lower() for m in _FULL_MONTHS)
# Abbreviations only count next to digits ("Oct. 19"); alone they collide with names and words.
_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_NUMBER_WORDS = MappingProxyType({
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
})  # fmt: skip

# Each scanner first finds a cheap core token (a month name, four digits, "year") with a regex that
# starts with a literal, which `re` skips to quickly, and only then inspects the words around it.
# Month names are case-sensitive so that the modal "may" and the noun "march" never count; all-caps
# spellings and abbreviations are accepted only where digits follow ("TOKYO, JANUARY 22", "Oct. 19").
_MONTH_FULL = "|".join(_FULL_MONTHS)
_MONTH_ANY = (
    "|".join(_FULL_MONTHS + tuple(m.upper() for m in _FULL_MONTHS))
    + r"|(?:"
    + "|".join(_ABBREVIATIONS)
    + r")\.?"
)
_WEEKDAY = "|".join(_WEEKDAYS + tuple(w.upper() for w in _WEEKDAYS))
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_NOT_BEFORE_DAY = frozenset(".,$£€#/:-_")
_NOT_BEFORE_YEAR = frozenset("$£€#_")
_NOT_BEFORE_ISO = frozenset("/.-_")

_YEAR_DIGITS = r"(?:1[89]\d\d|20\d\d|2100)"
# A year must not be part of a bigger number, a decade ("1950s"), a possessive or a compound ("1956-era").
_YEAR_END = r"(?![\w%]|[.,]\d|['’]s\b|[-–/]\w)"
_DAY_DIGITS = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\w%])"
# A two-day or longer span is dated by its first day: "13-14 November", "13 and 14 November", "Nov. 13 to 15".
_DAY_RANGE = rf"(?:\s*[-–]\s*{_DAY_DIGITS}|\s+(?:and|&|to|through|until|till)\s+{_DAY_DIGITS})?"
# "May 10 times", "March 3 points": a number after a month that counts something is not a day.
_COUNT_GUARD = (
    r"(?!\s*(?:%|per\s*cent|percent|times|points?|years?|months?|weeks?|days?|hours?|minutes?|people"
    r"|a\.?m\b|p\.?m\b|o['’]clock|million|billion|thousand|hundred)\b)"
)
_REL_YEAR = r"(?:,?\s+(?:of\s+)?(?P<ry>(?i:last|this|next))\s+(?i:year)(?![\w-]))?"

# Month first: "October 19, 1956", "Oct. 19", "November 14 last year", "May 2016", "May of 2016", and
# "December, 8, 1956" (a comma after the month only with a year after the day: "In May, 8 people...").
_MONTH_FIRST_RE = re.compile(
    rf"(?P<mon>{_MONTH_ANY})(?![A-Za-z])"
    rf"(?:\s*(?P<day>{_DAY_DIGITS}){_DAY_RANGE}"
    rf"(?:,?\s*(?<![\w$£€#])(?P<year>{_YEAR_DIGITS}){_YEAR_END}|{_COUNT_GUARD}{_REL_YEAR})"
    rf"|\s*,\s*(?P<cday>{_DAY_DIGITS}){_DAY_RANGE},\s*(?P<cyear>{_YEAR_DIGITS}){_YEAR_END}"
    rf"|(?:\s*,\s*|\s+(?:of\s+)?)(?<![\w$£€#])(?P<myear>{_YEAR_DIGITS}){_YEAR_END})"
)
# Day first: "19 October 1956", "14 November", "14th of November".
_DAY_FIRST_RE = re.compile(
    rf"(?P<day>{_DAY_DIGITS}){_DAY_RANGE}\s+(?:of\s+)?(?P<mon>{_MONTH_ANY})(?![A-Za-z])"
    rf"(?:,?\s*(?<![\w$£€#])(?P<year>{_YEAR_DIGITS}){_YEAR_END}|(?!\s*,?\s*\d){_REL_YEAR})"
)
# "Friday, January 4", "Friday the 14th of November", "Tuesday (Nov. 13)" and "Nov. 13 (Tuesday)" are one
# date, not a weekday plus a date.
_WEEKDAY_PREFIX_BEFORE = re.compile(rf"(?<![A-Za-z])(?:{_WEEKDAY}),?\s+(?:the\s+)?\Z")
_WEEKDAY_PAREN_BEFORE = re.compile(rf"(?<![A-Za-z])(?:{_WEEKDAY})\s*\(\s*\Z")
_PAREN_CLOSE_AFTER = re.compile(r"\s*\)")
_WEEKDAY_PAREN_AFTER = re.compile(rf"\s*\(\s*(?:{_WEEKDAY})\s*\)")
_ISO_RE = re.compile(
    rf"(?P<year>{_YEAR_DIGITS})-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?![\w/-])"
)

_YEAR_RE = re.compile(rf"(?P<y1>{_YEAR_DIGITS})(?:\s*[-–—]\s*(?P<y2>{_YEAR_DIGITS}|\d\d)(?!\d))?{_YEAR_END}")
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
_YEAR_BEFORE = re.compile(
    r"(?:(?<![\w-])(?P<prep>(?i:in|since|by|until|till|til|from|to|through|thru|throughout|before|after"
    r"|during|around|circa|c\.|as\s+of|as\s+early\s+as|as\s+late\s+as|as\s+recently\s+as|back\s+in"
    r"|between))\s+)?"
    rf"(?P<mod>(?i:(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half|{_SEASON})"
    rf"\s+of\s+|(?:early|mid|late)(?:\s*-\s*|\s+)|{_SEASON}\s+(?:of\s+)?|the\s+year\s+(?:of\s+)?))?\Z"
)

# A month name with no digits: "in September", "late November", "last December", "December last year".
_MONTH_RE = re.compile(rf"(?:{_MONTH_FULL})(?![A-Za-z])")
_MONTH_BEFORE = re.compile(
    r"(?:(?<![\w-])(?P<prep>(?i:in|on|by|since|until|till|from|to|through|throughout|for|of|during|before"
    r"|after|around|as\s+of|back\s+in))\s+)?"
    r"(?P<mod>(?i:(?:later|earlier|late|early)\s+in\s+"
    r"|(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half)\s+of\s+"
    r"|(?:early|mid|late)(?:\s*-\s*|\s+)))?"
    r"(?:(?<![\w-])(?P<rel>(?i:last|next|this|coming|past))\s+)?\Z"
)
_MONTH_NOT_AFTER = re.compile(rf"\s*\d|\s*,\s*{_YEAR_DIGITS}\b")
_MONTH_REL_YEAR_AFTER = re.compile(r"\s+(?:of\s+)?(?i:(?P<ry>last|this|next)\s+year)(?![\w-])")
_MONTH_RANGE_AFTER = re.compile(
    rf"\s*[-–—]\s*(?:(?i:early|mid|late)(?:\s*-\s*|\s+))?(?:{_MONTH_FULL})(?![A-Za-z])(?!\s*\d)"
)
# "May" is also a surname in this corpus (Theresa May): "spoke to May", "proposed by May", "a letter from
# May". After these prepositions it is always the month; after others only in a date-like context.
_MAY_PREPS = frozenset(
    {"in", "since", "until", "till", "through", "throughout", "during", "as of", "back in"}
)
_MAY_PREVIOUS_WORD = MappingProxyType(
    {
        "for": frozenset(
            {"scheduled", "planned", "set", "slated", "expected", "due", "penciled", "pencilled"}
        ),
        "to": frozenset(
            {"postponed", "moved", "delayed", "rescheduled", "shifted", "pushed", "back", "forward"}
        ),
        "of": frozenset({"month", "end", "beginning", "start", "middle"}),
    }
)
_PREVIOUS_WORD_RE = re.compile(r"(?i)\b([a-z]+)\s+\Z")
_MAY_RANGE_AFTER = re.compile(
    rf"\s+(?i:to|until|till|through)\s+(?:(?i:early|mid|late)[\s-]+)?(?:{_MONTH_FULL})\b"
)
_PUNCTUATION_AFTER = re.compile(r"\s*(?:[,.;:!?)]|\Z)")

# Relative words are matched on the lower-cased text.
_RELATIVE_RE = re.compile(
    r"(?:years?|months?|days?|today|tomorrow|tonight|yesterday|morning|afternoon|evening|night)(?![\w-])"
)
_UNIT_BEFORE = re.compile(
    r"(?<![\w-])(?P<mod>(?:later|earlier|late|early)\s+in\s+"
    r"|(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half)\s+of\s+"
    r"|(?:early|mid|late|later|earlier)(?:\s*-\s*|\s+))?"
    r"(?P<rel>this|next|last|coming|current|that|the\s+(?:following|next|same|previous|preceding|coming"
    r"|current|last|past))\s+\Z"
)
_COUNT_BEFORE = re.compile(
    r"(?<![\w-])(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3})\s+\Z"
)
_SHIFT_AFTER = re.compile(r"\s+(?P<dir>later|earlier|ago)(?![\w-])")
_THE_BEFORE = re.compile(r"(?<![\w-])the\s+\Z")
_BEFORE_AFTER_AFTER = re.compile(r"\s+(?P<dir>before|after)(?=\s*(?:[,.;:!?)]|\Z))")
_THIS_BEFORE = re.compile(r"(?<![\w-])this\s+\Z")
# day word -> (words required before it or None, offset in days from publication), first match wins
_DAY_WORD_RULES: MappingProxyType[str, tuple[tuple[re.Pattern[str] | None, int], ...]] = MappingProxyType(
    {
        "today": ((None, 0),),
        "tonight": ((None, 0),),
        "yesterday": ((re.compile(r"(?<![\w-])the\s+day\s+before\s+\Z"), -2), (None, -1)),
        "tomorrow": ((re.compile(r"(?<![\w-])the\s+day\s+after\s+\Z"), 2), (None, 1)),
        "morning": ((_THIS_BEFORE, 0),),
        "afternoon": ((_THIS_BEFORE, 0),),
        "evening": ((_THIS_BEFORE, 0),),
        "night": ((re.compile(r"(?<![\w-])last\s+\Z"), -1),),
    }
)
_NAMED_TODAY_BEFORE = re.compile(r"[A-Z][\w.]*\s+\Z")  # "Russia Today", "USA Today", "Japan Today"

_WEEKDAY_RE = re.compile(rf"(?:{_WEEKDAY})(?![A-Za-z])")
_WEEKDAY_REL_BEFORE = re.compile(r"(?<![\w-])(?P<rel>(?i:last|next|this|coming|past))\s+\Z")
# Named days and titles that are not a day of this week: "Bloody Sunday", "the Sunday Times".
_WEEKDAY_NAME_BEFORE = re.compile(
    r"(?:Bloody|Black|Good|Easter|Palm|Holy|Ash|Super|Cyber|Maundy|Shrove|Whit|Low|Clean)\s+\Z"
)
_WEEKDAY_NAME_AFTER = re.compile(
    r"\s+(?:Times|Telegraph|Express|Post|Mirror|Herald|Star|Mail|Night\s+Football|School|Club)\b"
)
# "Monday next week", "Friday of last week": the weekday of that week.
_WEEKDAY_WEEK_AFTER = re.compile(r"\s+(?:of\s+)?(?P<rel>(?i:this|next|last))\s+(?i:week)(?![\w-])")

# Weeks and weekends ("last week", "later this week", "next weekend", "over the weekend", "two weeks ago")
# are dated at month precision: the month that holds most days of the week meant. Matched lower-cased.
_WEEK_RE = re.compile(r"week(?:end)?s?(?![\w-])")
_WEEK_BEFORE = re.compile(
    r"(?<![\w-])(?P<mod>(?:later|earlier|late|early)\s+(?:in\s+)?"
    r"|(?:the\s+)?(?:very\s+)?(?:end|beginning|start)\s+of\s+)?"
    r"(?P<rel>this\s+past|this|next|last|coming|current|past|that"
    r"|the\s+(?:following|next|same|previous|preceding|coming|current|last|past))\s+\Z"
)
# "the weekend" is the nearest one only after these: "over the weekend", not "a weekend of talks".
_WEEKEND_THE_BEFORE = re.compile(r"(?<![\w-])(?:over|at|on|during|throughout)\s+(?P<the>the\s+)\Z")
# relative words -> (base, weeks from the base's week); "past" and "the past" only for a weekend, since
# "the past week" is a span of seven days rather than a week of the calendar
_WEEK_RELATIVE = MappingProxyType(
    {
        "this": ("pub", 0), "current": ("pub", 0), "the current": ("pub", 0),
        "next": ("pub", 1), "coming": ("pub", 1), "the coming": ("pub", 1),
        "last": ("pub", -1), "this past": ("pub", -1), "past": ("pub", -1), "the past": ("pub", -1),
        "that": ("anchor", 0), "the same": ("anchor", 0),
        "the following": ("anchor", 1), "the next": ("anchor", 1),
        "the previous": ("anchor", -1), "the preceding": ("anchor", -1),
    }
)  # fmt: skip
_WEEK_PART = MappingProxyType(
    {"early": "early", "earlier": "early", "beginning": "early", "start": "early",
     "late": "late", "later": "late", "end": "late"}
)  # fmt: skip

_DIGIT_RE = re.compile(r"\d")
_MONTH_GATE_RE = re.compile("|".join([k.title() for k in _MONTH_KEYS] + [k.upper() for k in _MONTH_KEYS]))
_RELATIVE_GATE_WORDS = ("year", "month", "day", "night", "tomorrow", "morning", "afternoon", "evening")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# Words that may follow a year after a preposition that also takes quantities ("up to 2000 people").
_QUANTITY_PREPS = frozenset({"to", "by", "from", "around", "circa", "c.", "between"})
_AFTER_YEAR_OK = frozenset(
    {
        "and", "or", "but", "when", "while", "as", "after", "before", "until", "till", "through", "to",
        "in", "on", "at", "by", "for", "with", "from", "into", "the", "a", "an", "that", "which", "where",
        "who", "whose", "he", "she", "it", "they", "we", "i", "you", "there", "this", "these", "those",
        "its", "his", "her", "their", "our", "was", "were", "is", "are", "had", "has", "have", "did",
        "does", "do", "will", "would", "could", "should", "might", "may", "can", "must", "not", "also",
        "then", "amid", "under", "over", "against", "between", "among", "about", "despite", "during",
        "following", "because", "since", "so", "if", "although", "though", "onwards", "onward", "forward",
        "ago", "alone", "only", "already", "both", "all", "of", "be", "been", "being", "still", "up",
        "down", "out", "off", "via", "per", "respectively",
    }
)  # fmt: skip
_NEXT_WORD_RE = re.compile(r"[ \t]*([A-Za-z][A-Za-z'’-]*)")
_DETERMINER_BEFORE = re.compile(
    r"(?i)(?<![\w-])(?:a|an|the|its|his|her|their|our|this|that|these|those|my|your)\s+\Z"
)
_CONJUNCTION_RE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or|&)\s+)")
_RANGE_LINK_RE = re.compile(r"(?i)\s*(?:,\s*)?(?:(?:and|or|to|until|till|through|thru|into)\s+|[-–—]\s*)?")
_DURATION_BEFORE = re.compile(r"(?<![\w-])(?:over|within|for|throughout|during)\s+\Z")
_APPROXIMATE_BEFORE = re.compile(
    r"(?<![\w-])(?:(?:more|less|fewer)\s+than|over|nearly|almost|about|some|roughly|around|approximately"
    r"|at\s+least|within|under|up\s+to|half|and|few|several|many)\s+\Z"
)
_SENTENCE_LEAD = " \t\r\n\"'“‘(["
_CONTEXT = 48  # characters searched before a core token for its prepositions and modifiers
_WORD_START_RE = re.compile(r"\b\w")

_FUTURE_RE = re.compile(
    r"(?i)(?:(?<=will\s)|(?<=shall\s)|(?<=would\s)|(?<=to\s)|(?<=not\s))(?:be|have\s+been)\s+[a-z]+\b"
    r"|\b(?:will|shall|would|plans?|planning|planned|intends?|intending|expects?|expecting|expected\s+to"
    r"|(?:is|are)\s+scheduled|scheduled\s+(?:for|to)|to\s+attend|upcoming|next|going\s+to|hopes?\s+to"
    r"|set\s+to)\b|['’]ll\b"
)
_PAST_RE = re.compile(
    r"(?i)\b(?:was|were|had|did|said|told|met|held|took|came|went|made|gave|began|saw|won|lost|left|sent"
    r"|became|caught|brought|fought|spoke|wrote|rose|fell|broke|agreed"
    r"|(?!(?:expected|scheduled|planned|unprecedented|limited|united|called|interested|concerned|armed"
    r"|allied|advanced|related|based|detailed|hundred)\b)[a-z]{2,}(?<!e)ed)\b"
)
_CLAUSE_END = re.compile(r"[.;!?]")
_TENSE_WINDOW_WORDS = 6

# (relative word, unit) -> (base, offset); base "pub" is the publication date, "anchor" the previous date.
_PUB_RELATIVE = {"this": 0, "current": 0, "the current": 0, "next": 1, "coming": 1, "the coming": 1,
                 "last": -1}  # fmt: skip
_ANCHOR_RELATIVE = {"that": 0, "the same": 0, "the following": 1, "the next": 1, "the previous": -1,
                    "the preceding": -1}  # fmt: skip
_RELATIVE_UNITS: MappingProxyType[tuple[str, str], tuple[str, int]] = MappingProxyType(
    {
        **{(rel, unit): ("pub", off) for rel, off in _PUB_RELATIVE.items() for unit in ("year", "month")},
        **{
            (rel, u): ("anchor", off)
            for rel, off in _ANCHOR_RELATIVE.items()
            for u in ("year", "month", "day")
        },
    }
)


# --------------------------------------------------------------------------- candidates


class _Cand(NamedTuple):
    start: int  # surface
    end: int
    claim_end: int  # beyond `end` when a range tail is swallowed ("late November-early December")
    kind: str
    args: tuple


def _month_number(word: str) -> int:
    return _MONTH_KEYS.index(word[:3].lower()) + 1


def _day_number(token: str) -> int:
    return int(token.rstrip("stndrh"))


def _absolute(year: int, month: int | None = None, day: int | None = None) -> PartialDate | None:
    try:
        return PartialDate(year, month, day)
    except ValueError:
        return None


def _ry(word: str | None) -> int | None:
    return None if word is None else {"last": -1, "this": 0, "next": 1}[word.lower()]


def _ending_at(pattern: re.Pattern[str], text: str, end: int) -> re.Match[str] | None:
    """The longest match of `pattern` that starts at a word and ends exactly at `end`."""
    for word in _WORD_START_RE.finditer(text, max(0, end - _CONTEXT), end):
        m = pattern.fullmatch(text, word.start(), end)
        if m:
            return m
    return None


def _prev_char(text: str, pos: int) -> str:
    return text[pos - 1] if pos else " "


def _with_weekday(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of a date widened over the weekday named with it."""
    m = _ending_at(_WEEKDAY_PREFIX_BEFORE, text, start)
    if m:
        return m.start(), end
    if text[start - 1 : start] == "(":
        m = _ending_at(_WEEKDAY_PAREN_BEFORE, text, start)
        close = _PAREN_CLOSE_AFTER.match(text, end) if m else None
        if m and close:
            return m.start(), close.end()
    if text[end : end + 1] in (" ", "("):
        after = _WEEKDAY_PAREN_AFTER.match(text, end)
        if after:
            return start, after.end()
    return start, end


def _scan_month_first(text: str, cands: list[_Cand]) -> None:
    for m in _MONTH_FIRST_RE.finditer(text):
        if _prev_char(text, m.start()) in _LETTERS:
            continue
        (start, end), month = _with_weekday(text, m.start(), m.end()), _month_number(m["mon"])
        if m["myear"]:
            date = _absolute(int(m["myear"]), month)
        elif m["year"]:
            date = _absolute(int(m["year"]), month, _day_number(m["day"]))
        elif m["cyear"]:
            date = _absolute(int(m["cyear"]), month, _day_number(m["cday"]))
        else:
            cands.append(_Cand(start, end, end, "md", (month, _day_number(m["day"]), _ry(m["ry"]))))
            continue
        if date:
            cands.append(_Cand(start, end, end, "abs", (date,)))


def _scan_day_first(text: str, cands: list[_Cand]) -> None:
    for m in _DAY_FIRST_RE.finditer(text):
        prev = _prev_char(text, m.start())
        if prev.isalnum() or prev in _NOT_BEFORE_DAY:
            continue
        (start, end), month, day = (
            _with_weekday(text, m.start(), m.end()),
            _month_number(m["mon"]),
            _day_number(m["day"]),
        )
        if m["year"]:
            date = _absolute(int(m["year"]), month, day)
            if date:
                cands.append(_Cand(start, end, end, "abs", (date,)))
        else:
            cands.append(_Cand(start, end, end, "md", (month, day, _ry(m["ry"]))))


def _scan_iso(text: str, cands: list[_Cand]) -> None:
    for m in _ISO_RE.finditer(text):
        prev = _prev_char(text, m.start())
        date = _absolute(int(m["year"]), int(m["mon"]), int(m["day"]))
        if date and not (prev.isalnum() or prev in _NOT_BEFORE_ISO):
            cands.append(_Cand(m.start(), m.end(), m.end(), "abs", (date,)))


def _scan_years(text: str, cands: list[_Cand]) -> None:
    last_end = -1
    for m in _YEAR_RE.finditer(text):
        prev = _prev_char(text, m.start())
        if prev.isalnum() or prev in _NOT_BEFORE_YEAR:
            continue
        context = _ending_at(_YEAR_BEFORE, text, m.start())
        prep = context["prep"].lower().split()[0] if context and context["prep"] else None
        mod = context["mod"] if context else None
        start = context.start("mod") if context and mod else m.start()
        end = m.end("y1")
        if mod:
            qualified = prep is not None or not _ending_at(_DETERMINER_BEFORE, text, start)
        elif prep:
            qualified = True
            if prep in _QUANTITY_PREPS and not m["y2"]:
                word = _NEXT_WORD_RE.match(text, m.end())
                qualified = word is None or not word[1].islower() or word[1] in _AFTER_YEAR_OK
        else:
            qualified = (not text[:start].strip(_SENTENCE_LEAD) and text.startswith(",", end)) or (
                last_end >= 0 and _CONJUNCTION_RE.fullmatch(text, last_end, start) is not None
            )
        if not qualified:
            continue
        y1 = int(m["y1"])
        cands.append(_Cand(start, end, end, "abs", (PartialDate(y1),)))
        last_end = end
        if m["y2"]:
            y2 = int(m["y2"])
            if y2 < 100:
                y2 += y1 // 100 * 100
            if y1 < y2 <= 2100:
                cands.append(_Cand(m.start("y2"), m.end("y2"), m.end("y2"), "abs", (PartialDate(y2),)))
                last_end = m.end("y2")


def _may_is_month(text: str, prep: str, prep_start: int, end: int) -> bool:
    """Whether "May" after `prep` is the month rather than the surname."""
    if prep in _MAY_PREPS or _MAY_RANGE_AFTER.match(text, end):
        return True
    previous = _ending_at(_PREVIOUS_WORD_RE, text, prep_start)
    word = previous[1].lower() if previous else ""
    if prep == "by":  # a deadline, unless it names the agent of a passive: "proposed by May"
        return not (word.endswith("ed") or word in {"made", "written", "given", "taken", "held", "sent"})
    if prep in ("before", "after", "around"):  # "after May, talks resumed" but not "after May said"
        return _PUNCTUATION_AFTER.match(text, end) is not None
    return word in _MAY_PREVIOUS_WORD.get(prep, ())


def _scan_months(text: str, cands: list[_Cand]) -> None:
    last_end = -1
    swallowed = -1
    for m in _MONTH_RE.finditer(text):
        mon, start, end = m[0], m.start(), m.end()
        if start < swallowed or _prev_char(text, start) in _LETTERS or _MONTH_NOT_AFTER.match(text, end):
            continue
        context = _ending_at(_MONTH_BEFORE, text, start)
        prep = " ".join(context["prep"].lower().split()) if context and context["prep"] else None
        mod = context.start("mod") if context and context["mod"] else None
        rel = context.start("rel") if context and context["rel"] else None
        if mon == "May":
            if text.startswith(("'s", "’s"), end):
                continue
            if prep and not _may_is_month(text, prep, context.start() if context else start, end):
                prep = None
        rel_year = _MONTH_REL_YEAR_AFTER.match(text, end)
        if rel_year:
            end = rel_year.end()
        tail = _MONTH_RANGE_AFTER.match(text, end)
        claim_end = tail.end() if tail else end
        qualified = bool(prep or mod is not None or rel is not None or rel_year or tail) or (
            last_end >= 0
            and _RANGE_LINK_RE.fullmatch(text, last_end, context.start() if context else start) is not None
        )
        if not qualified:
            continue
        month = _month_number(mon)
        if rel is not None:
            word = text[rel : rel + 6].split()[0].lower()
            cands.append(_Cand(mod if mod is not None else rel, end, claim_end, "relmon", (word, month)))
        else:
            ry = _ry(rel_year["ry"]) if rel_year else None
            cands.append(_Cand(mod if mod is not None else start, end, claim_end, "mon", (month, ry)))
        last_end = swallowed = claim_end


def _scan_relative(text: str, low: str, cands: list[_Cand]) -> None:
    for m in _RELATIVE_RE.finditer(low):
        word, start, end = m[0], m.start(), m.end()
        if _prev_char(low, start) in _LETTERS:
            continue  # "Monday", "holiday"
        rules = _DAY_WORD_RULES.get(word)
        if rules is not None:
            if word == "today" and text[start] == "T" and _ending_at(_NAMED_TODAY_BEFORE, text, start):
                continue
            for before, offset in rules:
                context = _ending_at(before, low, start) if before else None
                if before is None or context:
                    first = context.start() if context else start
                    cands.append(_Cand(first, end, end, "shift", ("pub", "day", offset)))
                    break
            continue
        unit = word.rstrip("s")
        if unit == word:
            context = _ending_at(_UNIT_BEFORE, low, start)
            if context:
                rule = _RELATIVE_UNITS.get((" ".join(context["rel"].split()), unit))
                if rule is None:
                    continue  # "the past year", "this day": durations and idioms
                base, offset = rule
                if (
                    base == "anchor"
                    and offset == 1
                    and not context["mod"]
                    and _ending_at(_DURATION_BEFORE, low, context.start())
                ):
                    continue  # "over the next year"
                cands.append(_Cand(context.start(), end, end, "shift", (base, unit, offset)))
                continue
            the = _ending_at(_THE_BEFORE, low, start)
            after = _BEFORE_AFTER_AFTER.match(low, end) if the else None
            if the and after:
                offset = -1 if after["dir"] == "before" else 1
                cands.append(_Cand(the.start(), after.end(), after.end(), "shift", ("anchor", unit, offset)))
                continue
        count = _ending_at(_COUNT_BEFORE, low, start)
        shift = _SHIFT_AFTER.match(low, end) if count else None
        if count and shift and not _ending_at(_APPROXIMATE_BEFORE, low, count.start()):
            n = int(count["n"]) if count["n"].isdigit() else _NUMBER_WORDS[count["n"]]
            base = "pub" if shift["dir"] == "ago" else "anchor"
            sign = 1 if shift["dir"] == "later" else -1
            cands.append(_Cand(count.start(), shift.end(), shift.end(), "shift", (base, unit, sign * n)))


def _scan_weekdays(text: str, cands: list[_Cand]) -> None:
    for m in _WEEKDAY_RE.finditer(text):
        start, end = m.start(), m.end()
        if _prev_char(text, start) in _LETTERS:
            continue
        if _ending_at(_WEEKDAY_NAME_BEFORE, text, start) or _WEEKDAY_NAME_AFTER.match(text, end):
            continue
        context = _ending_at(_WEEKDAY_REL_BEFORE, text, start)
        rel = context["rel"].lower() if context else None
        if context:
            start = context.start()
        else:
            week = _WEEKDAY_WEEK_AFTER.match(text, end)
            if week:
                rel, end = f"{week['rel'].lower()} week", week.end()
        cands.append(_Cand(start, end, end, "weekday", (_WEEKDAYS.index(m[0].title()), rel)))


def _scan_weeks(low: str, cands: list[_Cand]) -> None:
    for m in _WEEK_RE.finditer(low):
        word, start, end = m[0], m.start(), m.end()
        if _prev_char(low, start) in _LETTERS:
            continue  # "midweek"
        span = "weekend" if word.startswith("weekend") else "week"
        if not word.endswith("s"):
            context = _ending_at(_WEEK_BEFORE, low, start)
            if context:
                rel = " ".join(context["rel"].split())
                rule = _WEEK_RELATIVE.get(rel)
                if rule is None or (span == "week" and rel in ("past", "the past")):
                    continue  # "the last week", "the past week": spans of time
                base, offset = rule
                if (
                    base == "anchor"
                    and offset == 1
                    and not context["mod"]
                    and _ending_at(_DURATION_BEFORE, low, context.start())
                ):
                    continue  # "over the next week"
                part = next((_WEEK_PART[w] for w in (context["mod"] or "").split() if w in _WEEK_PART), None)
                cands.append(_Cand(context.start(), end, end, "week", (base, span, offset, part)))
                continue
            if span == "weekend":
                the = _ending_at(_WEEKEND_THE_BEFORE, low, start)
                if the:  # the nearest weekend, the one just past unless the clause speaks of the future
                    cands.append(_Cand(the.start("the"), end, end, "week", ("pub", span, 0, "recent")))
                continue
            the = _ending_at(_THE_BEFORE, low, start)
            after = _BEFORE_AFTER_AFTER.match(low, end) if the else None
            if the and after:
                offset = -1 if after["dir"] == "before" else 1
                cands.append(
                    _Cand(the.start(), after.end(), after.end(), "week", ("anchor", span, offset, None))
                )
                continue
        count = _ending_at(_COUNT_BEFORE, low, start)
        shift = _SHIFT_AFTER.match(low, end) if count else None
        if count and shift and not _ending_at(_APPROXIMATE_BEFORE, low, count.start()):
            n = int(count["n"]) if count["n"].isdigit() else _NUMBER_WORDS[count["n"]]
            base = "pub" if shift["dir"] == "ago" else "anchor"
            days = 7 * n * (1 if shift["dir"] == "later" else -1)
            cands.append(_Cand(count.start(), shift.end(), shift.end(), "week", (base, "days", days, None)))


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Keep the longest non-overlapping candidates, in text order."""
    if len(cands) < 2:
        return cands
    kept: list[_Cand] = []  # sorted by start and pairwise disjoint, so only neighbours can overlap
    for cand in sorted(cands, key=lambda c: (c.start - c.claim_end, c.start)):
        i = bisect.bisect_left(kept, cand.start, key=lambda c: c.start)
        if i > 0 and kept[i - 1].claim_end > cand.start:
            continue
        if i < len(kept) and kept[i].start < cand.claim_end:
            continue
        kept.insert(i, cand)
    return kept


# --------------------------------------------------------------------------- resolution


def _nearest_cue(window: str, *, last: bool) -> bool | None:
    """True for a future cue, False for a past cue, None for none; the cue closest to the mention wins."""
    future = list(_FUTURE_RE.finditer(window))
    past = list(_PAST_RE.finditer(window))
    if not future and not past:
        return None
    if last:  # ">=" so that "will be held" counts as future although "held" is a past cue too
        return (future[-1].end() if future else -1) >= (past[-1].end() if past else -1)
    return (future[0].start() if future else len(window) + 1) < (past[0].start() if past else len(window) + 1)


class _Tense:
    """Tense cues of one sentence; the sentence-wide fallback is computed at most once."""

    __slots__ = ("_sentence_future", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._sentence_future: bool | None = None

    def is_future(self, start: int, end: int) -> bool:
        """The nearest cue in the mention's clause, else whether the sentence has any future marker."""
        cue = self.clause_cue(start, end)
        if cue is None:
            if self._sentence_future is None:
                self._sentence_future = _FUTURE_RE.search(self.text) is not None
            cue = self._sentence_future
        return cue

    def clause_cue(self, start: int, end: int) -> bool | None:
        """True/False for a future/past cue in the mention's own clause; None when the clause has none."""
        text = self.text
        before = text[max(0, start - 80) : start]
        cut = [b.end() for b in _CLAUSE_END.finditer(before)]
        if cut:
            before = before[cut[-1] :]
        cue = _nearest_cue(" ".join(before.split()[-_TENSE_WINDOW_WORDS:]), last=True)
        if cue is None:
            after = text[end : end + 80]
            stop = _CLAUSE_END.search(after)
            if stop:
                after = after[: stop.start()]
            cue = _nearest_cue(" ".join(after.split()[:_TENSE_WINDOW_WORDS]), last=False)
        return cue


def _month_before(year: int, pub_month: int, month: int) -> int:
    return year if month < pub_month else year - 1


def _month_after(year: int, pub_month: int, month: int) -> int:
    return year if month > pub_month else year + 1


def _month_year(pub: PartialDate, month: int, rule: str) -> int | None:
    """Year of `month` under `rule`; with a year-only publication, only when every month agrees."""
    pub_months = (pub.month,) if pub.month else range(1, 13)
    years = set()
    for pm in pub_months:
        if rule == "before":
            years.add(_month_before(pub.year, pm, month))
        elif rule == "after":
            years.add(_month_after(pub.year, pm, month))
        elif rule == "same" or month == pm:  # in "past"/"future" the publication month itself wins
            years.add(pub.year)
        elif rule == "future":
            years.add(_month_after(pub.year, pm, month))
        else:
            years.add(_month_before(pub.year, pm, month))
    return years.pop() if len(years) == 1 else None


def _pub_point(pub: PartialDate) -> dt.date:
    if pub.month is None:
        return dt.date(pub.year, 7, 1)
    return dt.date(pub.year, pub.month, pub.day or 15)


def _tense_side_is_near(point: dt.date, month: int, day: int, future: bool) -> bool:
    """Whether the occurrence on the tense's side of the publication is within about ten months of it."""
    for year in (point.year - 1, point.year, point.year + 1):
        try:
            delta = (dt.date(year, month, day) - point).days
        except ValueError:
            continue
        if (delta >= 0 if future else delta <= 0) and abs(delta) <= 300:
            return True
    return False


def _closest_month_day(
    pub: PartialDate, month: int, day: int, future: bool | None = None
) -> PartialDate | None:
    """The year that puts month-day nearest the publication; a tense cue in the clause picks the side."""
    point = _pub_point(pub)
    best: tuple[int, bool, PartialDate] | None = None
    for year in (pub.year - 1, pub.year, pub.year + 1):
        date = _absolute(year, month, day)
        if date is None:
            continue
        delta = (dt.date(year, month, day) - point).days
        if (
            future is not None
            and pub.day is not None
            and ((delta < 0) if future else (delta > 0))
            and _tense_side_is_near(point, month, day, future)
        ):
            continue  # "is scheduled for Nov. 10" is not last November; "met on May 3" is not next May
        key = (abs(delta), delta > 0, date)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def _shift(base: PartialDate, unit: str, offset: int) -> PartialDate | None:
    if unit == "year":
        return _absolute(base.year + offset)
    if unit == "month":
        if base.month is None:
            return None
        index = base.year * 12 + base.month - 1 + offset
        return _absolute(index // 12, index % 12 + 1)
    day = base.as_date()
    if day is None:
        return None
    moved = day + dt.timedelta(days=offset)
    return PartialDate(moved.year, moved.month, moved.day)


def _weekday(tense: _Tense, cand: _Cand, pub: PartialDate) -> PartialDate | None:
    day = pub.as_date()
    if day is None:
        return None
    target, rel = cand.args
    back = (day.weekday() - target) % 7
    ahead = (target - day.weekday()) % 7
    if rel is not None and rel.endswith(" week"):  # "Monday next week"
        weeks = {"this week": 0, "next week": 1, "last week": -1}[rel]
        moved = day + dt.timedelta(days=target - day.weekday() + 7 * weeks)
    elif rel in ("last", "past"):
        moved = day - dt.timedelta(days=back or 7)
    elif rel in ("next", "coming"):
        moved = day + dt.timedelta(days=ahead or 7)
    elif tense.is_future(cand.start, cand.end):
        moved = day + dt.timedelta(days=ahead)
    else:
        moved = day - dt.timedelta(days=back)
    return PartialDate(moved.year, moved.month, moved.day)


def _most_days(first: dt.date, last: dt.date) -> PartialDate:
    """The month holding most of the days first..last (at most two months apart); the first on a tie."""
    if (first.year, first.month) == (last.year, last.month):
        return PartialDate(first.year, first.month)
    next_month = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    day = first if (next_month - first).days >= (last - next_month).days + 1 else last
    return PartialDate(day.year, day.month)


def _week(tense: _Tense, cand: _Cand, base: PartialDate) -> PartialDate | None:
    """The month of a week-level expression, counted from `base` (publication or anchor)."""
    name, span, offset, part = cand.args
    day = base.as_date()
    if day is None:  # only "this week" surely falls in a month-level base
        return PartialDate(base.year, base.month) if base.month and offset == 0 and span != "days" else None
    if span == "days":
        moved = day + dt.timedelta(days=offset)
        return PartialDate(moved.year, moved.month)
    monday = day - dt.timedelta(days=day.weekday())
    if span == "weekend":
        saturday = monday + dt.timedelta(days=5)
        if offset < 0:
            saturday -= dt.timedelta(days=7)
        elif offset > 0 and day.weekday() > 2:
            saturday += dt.timedelta(days=7)  # "next weekend" from Thursday on is not the coming one
        elif offset == 0 and name == "pub" and day.weekday() < 5:
            # "this weekend" is the coming one unless the clause is in the past tense; "over the weekend"
            # is the one just past unless the sentence speaks of the future
            cue = tense.clause_cue(cand.start, cand.end)
            if cue is False or (
                cue is None and part == "recent" and not tense.is_future(cand.start, cand.end)
            ):
                saturday -= dt.timedelta(days=7)
        return _most_days(saturday, saturday + dt.timedelta(days=1))
    first = monday + dt.timedelta(days=7 * offset)
    last = first + dt.timedelta(days=6)
    if offset == 0 and name == "pub":  # "this week": the days before or after publication
        later = part == "late" if part else tense.clause_cue(cand.start, cand.end)
        if later is not None:
            first, last = (day, last) if later else (first, day)
    elif part:
        first, last = (
            (first + dt.timedelta(days=3), last) if part == "late" else (first, first + dt.timedelta(days=2))
        )
    return _most_days(first, last)


def _resolve(
    tense: _Tense, cand: _Cand, pub: PartialDate | None, anchor: PartialDate | None
) -> PartialDate | None:
    kind, args = cand.kind, cand.args
    if kind == "week":
        base = pub if args[0] == "pub" else anchor
        return _week(tense, cand, base) if base else None
    if kind == "shift":
        base_name, unit, offset = args
        base = pub if base_name == "pub" else anchor
        return _shift(base, unit, offset) if base else None
    if pub is None:
        return None
    if kind == "md":
        month, day, ry = args
        if ry is not None:
            return _absolute(pub.year + ry, month, day)
        return _closest_month_day(pub, month, day, tense.clause_cue(cand.start, cand.end))
    if kind == "mon":
        month, ry = args
        if ry is not None:
            return _absolute(pub.year + ry, month)
        year: int | None
        if pub.month == month:
            year = pub.year
        else:
            year = _month_year(pub, month, "future" if tense.is_future(cand.start, cand.end) else "past")
        return _absolute(year, month) if year is not None else None
    if kind == "relmon":
        rel, month = args
        rule = {"last": "before", "past": "before", "next": "after", "coming": "after"}.get(rel, "same")
        year = _month_year(pub, month, rule)
        return _absolute(year, month) if year is not None else None
    return _weekday(tense, cand, pub)


# --------------------------------------------------------------------------- entry point


def find_dates(
    text: str, published: PartialDate | None = None, *, anchor: PartialDate | None = None
) -> list[DateMention]:
    """Every date expression in `text` that anchors an event, resolved and at its granularity."""
    cands: list[_Cand] = []
    has_month = _MONTH_GATE_RE.search(text) is not None
    if _DIGIT_RE.search(text):
        if has_month:
            _scan_month_first(text, cands)
            _scan_day_first(text, cands)
        _scan_iso(text, cands)
        _scan_years(text, cands)
    if has_month:
        _scan_months(text, cands)
    low = text.lower()
    if len(low) != len(text):  # a few non-ASCII letters lower-case to two characters
        low = text.translate(_ASCII_LOWER)
    if any(word in low for word in _RELATIVE_GATE_WORDS):
        _scan_relative(text, low, cands)
        if "day" in low:
            _scan_weekdays(text, cands)
    if "week" in low:
        _scan_weeks(low, cands)
    if not cands:
        return []
    mentions: list[DateMention] = []
    tense = _Tense(text)
    previous: PartialDate | None = None
    previous_end = -1
    for cand in _select(cands):
        if cand.kind == "abs":
            date = cand.args[0]
            anchor = date
            relative = False
        elif (
            cand.kind == "mon"
            and cand.args[1] is None
            and previous is not None
            and previous.month is not None
            and _RANGE_LINK_RE.fullmatch(text, previous_end, cand.start)
        ):
            # "from March to May", "late November to early December": the second month follows the first
            month = cand.args[0]
            date = _absolute(previous.year if month >= previous.month else previous.year + 1, month)
            relative = True
        else:
            date = _resolve(tense, cand, published, anchor)
            relative = True
        mentions.append(DateMention(cand.start, cand.end, text[cand.start : cand.end], date, relative))
        previous, previous_end = date, cand.claim_end
    return mentions
