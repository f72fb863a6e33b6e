"""A cheap, exact prefilter for case-insensitive regular expressions that contain a known literal.

`re` tries every alternative of a big case-insensitive alternation at every position of a text, which
makes the gazetteer and the people directory the most expensive part of extraction. Most alternatives
can only match where their literal (an alias, a word of it) occurs, so a substring test on the
lower-cased text rules them out first, and the expression only runs with the alternatives that can match.

The test is exact: a text is only lower-cased for it when it holds no character that `re.IGNORECASE`
matches to a needle character with another lower case (the long s "ſ" matches "s", the dotted capital
"İ" matches "i"); such a text is reported as unfoldable and the caller runs the full expression.
"""

from __future__ import annotations

import array
import re
from collections.abc import Iterable


def _all_characters() -> str:
    # Every code point once (lone surrogates included), to ask `re` itself which ones match what. Made
    # for each set of needles (a few hundredths of a second) rather than kept: it takes 4 MB.
    return array.array("I", range(0x110000)).tobytes().decode("utf-32-le", "surrogatepass")


class Needles:
    """Case-insensitive substring tests for a fixed set of literals."""

    def __init__(self, needles: Iterable[str]) -> None:
        needles = list(needles)
        self.chars = frozenset(ch for n in needles for ch in n) | {ch.lower() for n in needles for ch in n}
        # Characters whose lower case is not what `re.IGNORECASE` equates them with: the dotted capital I
        # (lower-cased to two characters) and the capital sigma (lower-cased by context) always, and any
        # character that matches a needle character but has another lower case.
        unsafe = {"\u0130", "\u03a3"}
        if self.chars:
            chars = sorted(self.chars)
            pattern = re.compile("[" + "".join(re.escape(ch) for ch in chars) + "]", re.IGNORECASE)
            similar = "".join(sorted(set(pattern.findall(_all_characters()))))
            for ch in chars:
                unsafe.update(
                    c for c in re.findall(re.escape(ch), similar, re.IGNORECASE) if c.lower() != ch.lower()
                )
        self._unsafe = re.compile("[" + "".join(re.escape(c) for c in sorted(unsafe)) + "]")

    def covers(self, literal: str) -> bool:
        """Whether `literal` is made of needle characters only, so that `fold` is exact for it too."""
        return self.chars.issuperset(literal)

    def fold(self, text: str) -> str | None:
        """`text` lower-cased character by character, for `in` and `find` against lower-cased needles
        (which then find exactly what a case-insensitive `re` search would), or None when such a test
        would not be exact."""
        if self._unsafe.search(text):
            return None
        return text.lower()


def top_level_alternatives(pattern: str) -> list[str]:
    """`pattern` split at the `|` that are not inside a group or a character class."""
    parts: list[str] = []
    depth, escaped, in_class, start = 0, False, False, 0
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


def required_literal(pattern: str) -> str | None:
    """The longest word that every match of `pattern` contains (case as written), or None if unknown.

    Only the pattern's literal opening and ending are considered ("four (?:disputed|contested) islands"
    gives "islands"); a pattern with a top-level alternation has none.
    """
    if len(top_level_alternatives(pattern)) > 1:
        return None
    words: list[str] = []
    m = re.match(r"[A-Za-z0-9 ]+", pattern)
    if m:
        prefix = m.group(0)
        if pattern[m.end() : m.end() + 1] in ("?", "*", "+", "{"):
            prefix = prefix[:-1]  # the last character is optional or repeated
        words += prefix.split()
    m = re.search(r"(?<![\\])[A-Za-z0-9 ]+$", pattern)
    if m and m.start() > 0 and pattern[m.start() - 1] not in "[\\":
        words += pattern[m.start() :].split()
    return max(words, key=len) if words else None


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching exactly the given literal words, as a prefix tree: `re` tries an
    alternation one alternative after the other, and a tree lets a position fail on its first character."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if "" in node:  # a word ends here: what follows is optional
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return pattern(tree)
