"""Separate an article's text from its page furniture, keeping offsets into the original text.

Works line by line: every line of the file is either article text (a block) or furniture with a reason.
Nothing is rewritten, so every excerpt taken later is an exact slice of the original file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

# A "caption" reads as a sentence but has no closing punctuation (a photo caption, a standfirst, a last
# sentence cut off by the page): it is article text, but a paragraph of its own, never joined to the next.
BlockKind = Literal["title", "heading", "caption", "paragraph"]


@dataclass(frozen=True, slots=True)
class Block:
    """A run of article text: one line of the file, without its line break (or markup around it)."""

    start: int
    end: int
    kind: BlockKind
    text: str


@dataclass(frozen=True, slots=True)
class Furniture:
    """A line that is not the article, and why."""

    start: int
    end: int
    reason: str


@dataclass(slots=True)
class Cleaned:
    """The article's blocks in order, the furniture removed, and metadata found in the furniture."""

    blocks: list[Block] = field(default_factory=list)
    furniture: list[Furniture] = field(default_factory=list)
    source_url: str | None = None
    dateline: str | None = None
    published_line: str | None = None
    agency: str | None = None

    @property
    def title(self) -> str | None:
        return next((b.text for b in self.blocks if b.kind == "title"), None)

    @property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "paragraph"]


_BREADCRUMB = re.compile(r"^\s*(?:home|main|news)\s*(?:[»›>/|]|&gt;)\s*\S", re.IGNORECASE)
_BREADCRUMB_SEPS = re.compile(r"\s(?:»|›|>)\s")
_NAV_LINES = re.compile(
    r"^\s*(?:all news|latest news|news feed|more news|read more|read also|see also|share(?: this)?(?: article)?"
    r"|advertisement|subscribe|sign up|print|tweet|email|comments?|related(?: news| articles| stories)?:?"
    r"|tags?:.*|topics?:.*|\[disclaimer\]|disclaimer:?.*|photo:.*|image:.*|©.*|copyright.*"
    r"|follow us.*|(?:photo|image) (?:credit|source)s?:.*)\s*$",
    re.IGNORECASE,
)
# Once one of these starts, the rest of the page is comments, other headlines or site boilerplate.
_TAIL_STARTERS = re.compile(
    r"^\s*(?:other news:?|leave a reply|leave a comment|related news:?|more on this topic:?|read more:?$"
    r"|you may also like:?|recommended:?|popular:?|most read:?)\s*$",
    re.IGNORECASE,
)
_SOURCE_LINE = re.compile(
    r"^\s*(?:source|original(?:ly published)?(?: at)?|url)\s*:\s*<?\s*(https?://[^\s>]+)\s*>?\s*$",
    re.IGNORECASE,
)
_PUBLISHED_LINE = re.compile(
    r"^\s*(?:published(?: time| on| at)?|posted(?: on)?|date|updated(?: time)?|first published)\s*:?\s*(.+)$",
    re.IGNORECASE,
)
_AGENCIES = (
    r"TASS|RIA Novosti|RIA|Sputnik|Reuters|AFP|AP|EPA|EFE|EPA-EFE|Kyodo|Jiji|Getty Images|Getty|"
    r"Bloomberg|Xinhua|Yomiuri|Asahi|Kremlin\.ru|kremlin\.ru|Pool|Shutterstock|Wikimedia Commons|Wikimedia"
)
_CREDIT = re.compile(
    rf"(?:^|\s)\(?(?:[\w.\-]+\s*/\s*)?(?:{_AGENCIES})(?:\s*/\s*[\w .\-]+)?\)?\s*$|"
    rf"^[\w.\-' ]{{2,60}}\s/\s(?:{_AGENCIES}|[A-Z][\w.\-]+(?: [A-Z][\w.\-]+)?)\s*$|"
    r"\b(?:EPA-EFE|AFP|REUTERS|AP Photo|TASS)/[A-Z][\w .'\-]+\)?$|\bvia (?:REUTERS|Reuters)$"
    r"|^\s*\(?(?i:photo(?:graph)?|image|picture|credit)s?(?:\s*[:©]|\s+by\s)"
    r"|^\s*\|\s*[A-Z]",  # "| KYODO", "| REUTERS" after a caption
)
# "TOKYO, January 22. /TASS/." and "MOSCOW, Jan 22 (Reuters) -": a dateline opening the first paragraph.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'\-]{2,40}),\s+(?P<when>[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,\s*\d{4})?)\.?\s*"
    r"(?:/(?P<agency1>[A-Za-z\- ]{2,20})/\.?|\((?P<agency2>[A-Za-z\- ]{2,20})\)\s*[-–—])",
)
_FUNCTION_WORDS = frozenset(
    [
        "on",
        "in",
        "at",
        "of",
        "to",
        "for",
        "from",
        "by",
        "with",
        "about",
        "into",
        "onto",
        "over",
        "under",
        "after",
        "before",
        "during",
        "until",
        "since",
        "than",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "nor",
        "as",
        "said",
        "says",
        "told",
        "added",
        "noted",
        "stressed",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "must",
        "his",
        "her",
        "their",
        "its",
        "our",
        "my",
        "your",
        "this",
        "these",
        "those",
    ]
)
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$|[\"”]\s*$|:\s*$")
_SENTENCE_FINAL = frozenset(".!?…\"'”’:")
# The last sentence end in a line, looked for only near its end, where a credit can follow.
_LAST_SENTENCE_END = re.compile(r".*([.!?…])[\"'”’)\]]*\s+(?=\S)", re.DOTALL)
_CREDIT_TAIL_CHARS = 100
_MARKUP_TAGS = r"(?:p|figcaption|caption|span|div|em|i|b|strong|small|cite)"
_MARKUP_OPEN = re.compile(rf"<{_MARKUP_TAGS}(?:\s[^<>]*)?>\s*", re.IGNORECASE)
_MARKUP_CLOSE = re.compile(rf"\s*</{_MARKUP_TAGS}\s*>\Z", re.IGNORECASE)
_SENTENCE_MIN_WORDS = 12
_SENTENCE_LOWER_WORDS = 2  # words of four letters or more in lower case that make a line a sentence
# Words that title case may leave in lower case although they have four letters or more.
_TITLE_CASE_SMALL_WORDS = frozenset(
    {"with", "from", "into", "onto", "over", "than", "that", "upon", "amid", "after", "about", "among",
     "before", "between", "against", "during", "without", "under", "near", "like", "toward", "towards",
     "through", "despite", "across", "along", "behind", "beyond", "since", "until", "while", "when"}
)  # fmt: skip


def _is_credit(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > 120 or _TERMINAL.search(stripped):
        return False  # credits are labels, not sentences
    return bool(_CREDIT.search(stripped)) and len(stripped.split()) <= 12


def _looks_like_heading(line: str) -> bool:
    """A short line with no closing punctuation: a headline, a section title or a caption."""
    stripped = line.strip()
    return bool(stripped) and len(stripped) <= 160 and not _TERMINAL.search(stripped)


def _reads_as_sentence(line: str) -> bool:
    """A heading-like line long enough and written like a sentence rather than a headline.

    Headlines and section titles are short or in title case, where only small words stay lower-case; a
    caption printed without its full stop ("Putin, right, and Abe shake hands before talks in Moscow")
    is written like any sentence of the story, with lower-case verbs and nouns.
    """
    words = line.split()
    if len(words) < _SENTENCE_MIN_WORDS:
        return False
    lower = 0
    for word in words:
        if word[0].islower() and len(word) >= 4 and word.rstrip(",;:") not in _TITLE_CASE_SMALL_WORDS:
            lower += 1
            if lower == _SENTENCE_LOWER_WORDS:
                return True
    return False


def _credit_tail(stripped: str) -> int | None:
    """Where a photo credit printed after a caption's last sentence starts in `stripped`, if it does.

    "Shikotan seen from the sea. Photo: RIA Novosti" is a caption and its credit on one line: only the
    credit is furniture.
    """
    if stripped[-1] in _SENTENCE_FINAL:
        return None  # a credit never ends like a sentence
    m = _LAST_SENTENCE_END.match(stripped, max(0, len(stripped) - _CREDIT_TAIL_CHARS))
    if m is None or len(stripped[: m.start(1)].split()) < 2 or not _is_credit(stripped[m.end() :]):
        return None
    return m.end()


def _without_markup(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without an HTML tag that opens or closes the line ("<p>A caption</p>")."""
    if text.startswith("<", start):
        m = _MARKUP_OPEN.match(text, start, end)
        if m and m.end() < end:
            start = m.end()
    if text.endswith(">", start, end):
        m = _MARKUP_CLOSE.search(text, start, end)
        if m and m.start() > start:
            end = m.start()
    return start, end


def clean(text: str) -> Cleaned:
    """Split `text` into article blocks and furniture; offsets index `text` itself."""
    out = Cleaned()
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, pos + len(raw), raw))
        pos += len(raw) + 1

    tail_from: int | None = None
    for i, (_s, _e, line) in enumerate(lines):
        if _TAIL_STARTERS.match(line):
            tail_from = i
            break

    kept: list[tuple[int, int, int]] = []  # (line index, start, end) of the lines that are article text
    prev_kept_credit = False
    for i, (start, end, line) in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            prev_kept_credit = False
            continue
        # Offsets of the line without its surrounding whitespace.
        lstart = start + (len(line) - len(line.lstrip()))
        lend = end - (len(line) - len(line.rstrip()))
        if stripped[0] == "<" or stripped[-1] == ">":
            lstart, lend = _without_markup(text, lstart, lend)
            line = stripped = text[lstart:lend]
        reason = _furniture_reason(
            out, line, stripped, tail=tail_from is not None and i >= tail_from, after_credit=prev_kept_credit
        )
        if (reason is None or reason == "photo credit") and stripped[-1] not in _SENTENCE_FINAL:
            cut = _credit_tail(stripped)
            if cut is not None:
                caption_end = lstart + len(stripped[:cut].rstrip())
                kept.append((i, lstart, caption_end))
                out.furniture.append(Furniture(lstart + cut, lend, "photo credit"))
                prev_kept_credit = True
                continue
        if (
            reason is None
            and kept
            and kept[-1][2] - kept[-1][1] == len(stripped)
            and text[kept[-1][1] : kept[-1][2]] == stripped
            and not any(lines[j][2].strip() for j in range(kept[-1][0] + 1, i))
            and _looks_like_heading(stripped)
        ):
            # A caption twice in a row (an image's alt text, then its caption) is one line of text. Body
            # paragraphs are left alone: only captions are known to be printed twice this way.
            reason = "repeated line"
        if reason == "photo credit":
            prev_kept_credit = True
            # A caption printed just before its credit line repeats the credit's subject.
            if kept:
                _, cs, ce = kept[-1]
                previous = text[cs:ce]
                if stripped.startswith(previous) and _looks_like_heading(previous) and kept[-1][0] >= i - 1:
                    kept.pop()
                    out.furniture.append(Furniture(cs, ce, "photo caption"))
        elif reason is None:
            prev_kept_credit = False
            kept.append((i, lstart, lend))
            continue
        out.furniture.append(Furniture(lstart, lend, reason))
    out.furniture.sort(key=lambda f: f.start)

    for n, (_, lstart, lend) in enumerate(kept):
        line = text[lstart:lend]
        nxt = kept[n + 1] if n + 1 < len(kept) else None
        # Only blank lines may stand between a broken sentence and its end.
        adjacent = nxt is not None and not text[lend : nxt[1]].strip()
        nxt_text = text[nxt[1] : nxt[2]] if nxt is not None else ""
        kind: BlockKind
        if not _looks_like_heading(line) or (adjacent and _continues(line, nxt_text)):
            kind = "paragraph"
        elif n == 0:
            kind = "title"
        elif _reads_as_sentence(line):
            kind = "caption"
        else:
            kind = "heading"
        out.blocks.append(Block(lstart, lend, kind, line))

    first = next((n for n, b in enumerate(out.blocks) if b.kind == "paragraph"), None)
    if first is not None:
        block = out.blocks[first]
        m = _DATELINE.match(block.text)
        if m:
            out.dateline = m.group("when")
            out.agency = (m.group("agency1") or m.group("agency2") or "").strip() or None
            # The dateline is metadata, not a sentence of the story: the paragraph starts after it.
            cut = m.end()
            while cut < len(block.text) and block.text[cut].isspace():
                cut += 1
            out.furniture.append(Furniture(block.start, block.start + m.end(), "dateline (kept as metadata)"))
            out.blocks[first] = Block(block.start + cut, block.end, "paragraph", block.text[cut:])
    return out


def _furniture_reason(
    out: Cleaned, line: str, stripped: str, *, tail: bool, after_credit: bool
) -> str | None:
    """Why a line is not article text, or None when it is; records metadata found on the way."""
    if tail:
        return "page tail (comments, other headlines)"
    source = _SOURCE_LINE.match(line)
    if source:
        out.source_url = out.source_url or source.group(1)
        return "source line (kept as metadata)"
    if _BREADCRUMB.match(line) or len(_BREADCRUMB_SEPS.findall(line)) >= 2:
        return "breadcrumb"
    if _NAV_LINES.match(line):
        return "navigation or notice"
    published = _PUBLISHED_LINE.match(line)
    if published and len(stripped) <= 80 and any(ch.isdigit() for ch in stripped):
        out.published_line = out.published_line or published.group(1).strip()
        return "publication line (kept as metadata)"
    if _is_credit(line):
        return "photo credit"
    if after_credit and _looks_like_heading(line) and len(stripped.split()) <= 12:
        return "photo caption"
    return None


def _continues(line: str, nxt: str) -> bool:
    """True when `line` has no closing punctuation because its sentence goes on in `nxt`.

    News pages break sentences across paragraphs ("Abe said on" / "Friday."); a headline is in title case,
    a broken sentence ends in a lower-case word or the next text line starts in lower case.
    """
    words = line.strip().split()
    if not nxt:
        return False
    if nxt[0].islower():
        return True
    if len(words) < 3:
        return False
    lower_words = sum(1 for w in words if w[:1].islower())
    return (
        words[-1].lower() in _FUNCTION_WORDS
        and lower_words / len(words) >= 0.5
        and _TERMINAL.search(nxt) is not None
    )
