"""Text as the bot compares it: one normalisation, what a word is, the stop words and the typo budget.

Ingest (corroboration), the store, search and the benchmark all take their words from here, so that a
word found in one place is the same word in another.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache

WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_CHARS = 200
# Typo budget by word length, as search engines users know behave: 1 from 5 letters, 2 from 9.
MAX_TYPOS = ((9, 2), (5, 1), (0, 0))

# Words a search ignores: they occur in almost every text and say nothing about which one is meant.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "and",
        "or",
        "but",
        "as",
        "is",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "that",
        "this",
        "which",
        "who",
        "it",
        "its",
        "from",
        "about",
        "what",
        "did",
        "does",
        "do",
        "said",
        "say",
        "says",
    ]
)
# Words left out when corroboration measures how alike two passages are. Not STOP_WORDS: the
# question words a search ignores ("what did he say about") are not in news sentences, while the
# function words a reported statement repeats ("would", "also", "not") are. Searching with this list
# ranks differently, and corroborating with the union of both merges other island facts (2,575 instead
# of 2,570 at 200 benchmark articles), so each keeps its own.
SIMILARITY_STOP_WORDS = (STOP_WORDS - {"about", "what", "did", "does", "do", "say"}) | {
    "into",
    "over",
    "between",
    "both",
    "two",
    "also",
    "would",
    "will",
    "not",
    "no",
}

# Two more lists, each kept for the figures measured with it:
# - the words that do not make a benchmark query telling: the benchmark draws its test queries from
#   windows of planted quotes with at least two other words. STOP_WORDS there would draw other queries,
#   and the search figures would no longer compare with earlier reports.
BENCH_FILLER_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "and",
        "or",
        "but",
        "as",
        "is",
        "was",
        "be",
        "it",
        "its",
        "that",
        "this",
    ]
)

# Printable ASCII plus typographic quotes and dashes: NFKC and NFKD leave these unchanged, none is a
# control or combining character and case-folding only lowers ASCII letters, so for text made only of them
# normalising reduces to collapsing spaces and lower-casing. Most article text is such text.
_PLAIN = re.compile("[\t\x20-\x7e\u2018\u2019\u201c\u201d\u2013\u2014]*")


@cache
def combining(astral: bool) -> re.Pattern[str]:
    """Characters with a combining class, as one character class built on first need.

    Only the Basic Multilingual Plane unless `astral`: a class within it compiles to a bitmap, which `re`
    tests in constant time, while ranges beyond it are tested one by one.
    """
    top = 0x110000 if astral else 0x10000
    marks = [c for c in range(top) if unicodedata.combining(chr(c))]
    ranges, start = [], marks[0]
    for prev, cur in itertools.pairwise([*marks, -1]):
        if cur != prev + 1:
            ranges.append(
                f"{re.escape(chr(start))}-{re.escape(chr(prev))}" if prev > start else re.escape(chr(start))
            )
            start = cur
    return re.compile("[" + "".join(ranges) + "]+")


def normalise(text: str) -> str:
    """Case-folded, NFKC, without control/format characters (zero-width, bidi) and extra spaces."""
    if _PLAIN.fullmatch(text):
        return " ".join(text.split()).lower()
    text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():  # printable text has no control, format or unassigned character to drop
        text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t")
    text = unicodedata.normalize("NFKD", text)
    if text and max(text) >= "\u0300":  # the first combining character is U+0300
        text = combining(max(text) > "\uffff").sub("", text)
    return " ".join(text.split()).casefold()


def words(text: str) -> list[str]:
    """Every word of `text`, normalised, stop words included: what the search index holds."""
    return WORD.findall(normalise(text))


def query_words(text: str) -> list[str]:
    """The searchable words of a query: normalised, without stop words."""
    return [w for w in WORD.findall(normalise(text)[:MAX_QUERY_CHARS]) if w not in STOP_WORDS]


def typo_budget(word: str) -> int:
    """How many typos a word of this length may hold and still be read as a vocabulary word."""
    return next(budget for length, budget in MAX_TYPOS if len(word) >= length)


_WORD_AS_WRITTEN = re.compile(r"[\w’']+")


def words_as_written(text: str) -> list[str]:
    """The words of `text` as written, apostrophes inside words kept ("Japan’s" is one word): how
    extraction counts a quotation's words."""
    return _WORD_AS_WRITTEN.findall(text)


# Corroboration compares passages by these words lower-cased. Normalised words, or the benchmark's
# comparable words, merge a few island facts differently, so this stays what corroboration was measured
# with.
def content_words(text: str) -> str:
    """Lower-case words without similarity stop words or punctuation: what corroboration compares."""
    return " ".join([w for w in _WORD_AS_WRITTEN.findall(text.lower()) if w not in SIMILARITY_STOP_WORDS])


def comparable(text: str) -> str:
    """Case-folded words with straight apostrophes, one space apart: how the benchmark compares a planted
    quote with an extracted one (and draws its queries), as its reports always have."""
    text = text.replace("’", "'").replace("‘", "'").casefold()
    return " ".join(re.sub(r"[^\w']+", " ", text).split())
