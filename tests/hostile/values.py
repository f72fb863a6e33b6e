"""Hostile option values: the strings a user (or a broken client) can make Discord deliver.

Built from pieces so that hypothesis can mix them and still reach 6000 characters cheaply: a piece
repeated up to the limit costs one draw, not 6000.
"""

from __future__ import annotations

from hypothesis import strategies as st

OPTION_MAX = 6000  # Discord's limit for a string option value

WHITESPACE = ["", " ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2028", " \t\n "]
EMOJI = ["😀", "👨‍👩‍👧‍👦", "🇯🇵", "🇷🇺", "🏝️", "🧨", "\U0001f9ea" * 3]
INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",  # soft hyphen
    "\u200e",  # left-to-right mark
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",  # right-to-left override
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\ud83d",  # a lone surrogate: JSON can carry it
]
COMBINING = ["\u0301", "\u0336", "\u20dd", "e\u0301", "Z\u0351\u0308\u0334\u0322", "a" + "\u0300" * 40]
SCRIPTS = [
    "Shikotan",
    "Шикотан",
    "色丹島",
    "択捉",
    "Итуруп",
    "Kunashiri",
    "国後島",
    "Habomai",
    "Ἀθῆναι",
    "עברית",
    "العربية",
    "हिन्दी",
    "ไทย",
    "Ｓｈｉｋｏｔａｎ",
    "𝕬𝖇𝖊",
    "Abe",
    "Putin",
    "Lavrov",
    "peace treaty",
    "1956",
    "Joint Declaration",
]
SQL = ["'", "''", "; DROP TABLE quotes; --", "' OR 1=1 --", "%", "_", "\\", "/*", "*/", '";', "?", "$1"]
FTS5 = [
    '"',
    '""',
    "*",
    "NEAR(",
    "NEAR(a b, 2)",
    "AND",
    "OR",
    "NOT",
    "-",
    "^",
    ":",
    "(",
    ")",
    "{",
    "}",
    "text:",
    "speaker:",
    "{text speaker}:",
    "+",
    "peace*",
    "^peace",
    '"peace',
    "NOT peace",
    "a OR",
]
MARKUP = [
    "@everyone",
    "@here",
    "<@&123456789012345678>",
    "<@42>",
    "<#1200000000000000011>",
    "```",
    "||spoiler||",
    "[x](http://evil.invalid)",
    "**",
    "__",
    "~~",
    "# ",
    "> ",
    "-# ",
    "<t:0:R>",
]
NUMBERS = [
    "0",
    "-1",
    "9999",
    "10000",
    "1e9",
    "１９５６",
    "٣",
    "09:00",
    "9:00",
    "25:99",
    "０９：００",
    "24:00",
]
ZONES = ["Asia/Tokyo", "UTC", "jst", "MSK", "Europe/Moscow", "../../etc/passwd", "Etc/GMT+14", "posixrules"]

PIECES = WHITESPACE + EMOJI + INVISIBLE + COMBINING + SCRIPTS + SQL + FTS5 + MARKUP + NUMBERS + ZONES

# Each family the brief names, so that every one of them is tried explicitly, not only by chance.
FAMILIES: dict[str, list[str]] = {
    "empty": [""],
    "whitespace": WHITESPACE[1:],
    "long": ["x" * OPTION_MAX, "Shikotan " * 666, "😀" * OPTION_MAX, "\u200b" * OPTION_MAX],
    "emoji": EMOJI,
    "invisible": INVISIBLE,
    "combining": COMBINING,
    "scripts": SCRIPTS,
    "sql": SQL,
    "fts5": FTS5,
    "markup": MARKUP,
}


def _repeat(piece: str, times: int) -> str:
    return (piece * times)[:OPTION_MAX]


def hostile_text() -> st.SearchStrategy[str]:
    """Any string Discord can deliver as an option value (at most 6000 characters), biased to the nasty."""
    piece = st.sampled_from(PIECES) | st.text(max_size=12)
    mixed = st.lists(piece, max_size=12).map(" ".join) | st.lists(piece, max_size=12).map("".join)
    long = st.builds(_repeat, st.sampled_from(PIECES).filter(bool), st.integers(1, OPTION_MAX))
    return st.one_of(
        st.sampled_from([v for values in FAMILIES.values() for v in values]),
        mixed,
        long,
        st.text(max_size=40),
    ).map(lambda s: s[:OPTION_MAX])


def hostile_year() -> st.SearchStrategy[int | None]:
    """An INTEGER option value as Discord can deliver it (it allows ±2^53), or the option left out."""
    return st.one_of(
        st.none(),
        st.sampled_from([0, -1, 1, 1956, 9999, 10_000, 10**12, -(10**12), 2**53, -(2**53)]),
        st.integers(-(2**53), 2**53),
        st.integers(1850, 2030),
    )


def family_cases() -> list[tuple[str, str]]:
    """(family, value) for every listed hostile value: the fixed part of each run."""
    return [(family, value) for family, values in FAMILIES.items() for value in values]
