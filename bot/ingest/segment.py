"""Paragraphs and sentences with offsets into the original text.

A rule-based splitter tuned for news: abbreviations (U.S., Jan., a.m., St., initials), datelines
("TOKYO, January 22. /TASS/."), quotes that close a sentence, and sentences broken across blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.ingest.clean import Block

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "st",
        "jr",
        "sr",
        "no",
        "nos",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "dept",
        "fig",
        "approx",
        "est",
        "mt",
        "ft",
        "pres",
        "amb",
        "min",
        "sec",
        "gov't",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "a.m",
        "p.m",
        "e.g",
        "i.e",
        "ph.d",
        "u.s.s.r",
    ]
)
# Abbreviations that often end a sentence too: split after them only before a typical sentence opener.
_FINAL_ABBREVIATIONS = frozenset(
    {"u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "etc", "inc", "ltd", "co", "corp", "u.s.s.r"}
)
_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "in",
        "on",
        "at",
        "but",
        "and",
        "however",
        "this",
        "that",
        "these",
        "those",
        "there",
        "his",
        "her",
        "its",
        "their",
        "our",
        "after",
        "before",
        "when",
        "while",
        "since",
        "as",
        "if",
        "for",
        "meanwhile",
        "still",
        "yet",
        "so",
        "then",
        "also",
        "according",
    ]
)
_BOUNDARY = re.compile(r"([.!?…]+)([\"'”’)\]]*)(\s+)(?=[\"“‘'(\[]? ?[A-Z0-9А-ЯЁ\u3040-\u30ff\u4e00-\u9fff])")
_WORD_BEFORE = re.compile(r"([\w.'’-]+)$")
# A speech cue right after a question or an exclamation in quotation marks: "Name said", "said Name".
_ATTRIBUTION_AFTER = re.compile(
    r"(?:[A-Z][\w’'.-]*\s+){1,4}(?:said|says|asked|asks|told|added|replied|recalled|wrote|wondered|"
    r"shouted|exclaimed|insisted|continued)\b|(?:Said|Asked|Added|Replied)\s+[A-Z]"
)
_WORD_AFTER = re.compile(r"[\"“‘'(\[]?([\w’']+)")
# Enough to see the word before a full stop; a window keeps a paragraph of thousands of full stops linear.
_LOOKBEHIND = 64
# No news sentence comes near this; a longer run without sentence punctuation (a pasted table, a page of
# text on one line) is split at spaces so that extraction, which is per sentence, stays linear in its size.
MAX_SENTENCE_CHARS = 1000
_TERMINAL_END = re.compile(r"[.!?…:][\"'”’)\]]*\s*$|[\"”]\s*$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: [start, end) in the original text, and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One or more text blocks that form a paragraph (blocks are joined when a sentence runs across them)."""

    start: int
    end: int
    index: int


def paragraphs(text: str, blocks: list[Block]) -> list[Paragraph]:
    """Group paragraph blocks, joining a block that ends mid-sentence with the block after it; a caption
    block is a paragraph by itself."""
    out: list[Paragraph] = []
    current: list[Block] = []
    for block in blocks:
        if current and text[current[-1].end : block.start].strip():
            out.append(Paragraph(current[0].start, current[-1].end, len(out)))
            current = []
        if block.kind != "paragraph":
            if current:
                out.append(Paragraph(current[0].start, current[-1].end, len(out)))
                current = []
            if block.kind == "caption":  # article text, but a paragraph of its own
                out.append(Paragraph(block.start, block.end, len(out)))
            continue
        current.append(block)
        if _TERMINAL_END.search(block.text):
            out.append(Paragraph(current[0].start, current[-1].end, len(out)))
            current = []
    if current:
        out.append(Paragraph(current[0].start, current[-1].end, len(out)))
    return out


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    before = text[max(match.start() - _LOOKBEHIND, 0) : match.start()]
    word_match = _WORD_BEFORE.search(before)
    word = (word_match.group(1) if word_match else "").lower().rstrip(".")
    punct = match.group(1)
    if match.group(2) and punct[-1] in "?!" and _ATTRIBUTION_AFTER.match(text, match.end()):
        return False  # '"Who would replace me?" Akhmetov said.': the attribution ends the sentence
    if punct != ".":
        return True
    if not word:
        return True
    if len(word) == 1 and word.isalpha() and (word_match and word_match.group(1)[:1].isupper()):
        return False  # an initial: "V. Putin"
    nxt_word = _WORD_AFTER.match(text, match.end())
    nxt = nxt_word.group(1).lower() if nxt_word else ""
    if word in _FINAL_ABBREVIATIONS:
        return nxt in _OPENERS
    if word in _ABBREVIATIONS:
        return False
    return not ("." in word and len(word) <= 6 and nxt not in _OPENERS)


def split_sentences(text: str, paras: list[Paragraph]) -> list[Sentence]:
    """Split each paragraph of `text` into sentences, with offsets into `text`."""
    out: list[Sentence] = []
    for para in paras:
        chunk = text[para.start : para.end]
        cursor = 0
        for m in _BOUNDARY.finditer(chunk):
            if not _is_boundary(chunk, m):
                continue
            end = m.start(3)
            if chunk[cursor:end].strip():
                out.extend(_bounded(text, para.start + cursor, para.start + end, para.index))
            cursor = m.end()
        if chunk[cursor:].strip():
            out.extend(_bounded(text, para.start + cursor, para.end, para.index))
    return out


def _bounded(text: str, start: int, end: int, paragraph: int) -> list[Sentence]:
    """The sentence [start, end), split at spaces into pieces of at most MAX_SENTENCE_CHARS."""
    out: list[Sentence] = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        space = next(
            (i for i in range(limit, start + MAX_SENTENCE_CHARS // 2, -1) if text[i].isspace()), limit
        )
        piece = _trimmed(text, start, space, paragraph)
        if piece.end > piece.start:
            out.append(piece)
        start = space
    piece = _trimmed(text, start, end, paragraph)
    if piece.end > piece.start:
        out.append(piece)
    return out


def _trimmed(text: str, start: int, end: int, paragraph: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, paragraph)
