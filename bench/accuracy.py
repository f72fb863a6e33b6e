"""Accuracy against the planted truth: which planted quotes, dates and islands the built store holds."""

from __future__ import annotations

import bisect
import re
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from bench.common import EXAMPLES, MERGED_MATCH, QUOTE_MATCH
from bench.generate import PlantedDate, Truth
from bot.text import comparable


@dataclass(slots=True)
class _StoreView:
    """What scoring needs from a built store, indexed by article."""

    quotes: dict[int, tuple[str, str, bool]]
    events: dict[int, str]
    islands: dict[int, str]
    published: dict[str, str | None]
    spans: dict[str, list[tuple[int, int, str, int]]]  # article -> (start, end, kind, fact id), by start
    starts: dict[str, list[int]]
    quote_sources: Counter[int]

    def overlapping(self, article: str, start: int, end: int, kind: str) -> list[int]:
        rows = self.spans.get(article, [])
        hi = bisect.bisect_left(self.starts.get(article, []), end)
        out = []
        for _s, e, k, fid in rows[:hi]:
            if k == kind and e > start and fid not in out:
                out.append(fid)
        return out


def load_store(db: Path) -> _StoreView:
    """Read a built store's facts and their sources."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        quotes = {
            r[0]: (r[1], r[2], bool(r[3]))
            for r in con.execute("SELECT id, text, speaker, partial FROM quotes")
        }
        events = {r[0]: r[1] for r in con.execute("SELECT id, date FROM events")}
        islands = {r[0]: r[1] for r in con.execute("SELECT id, island FROM island_facts")}
        published = dict(con.execute("SELECT id, published FROM articles").fetchall())
        spans: dict[str, list[tuple[int, int, str, int]]] = defaultdict(list)
        for kind, fid, article, start, end in con.execute(
            'SELECT fact_kind, fact_id, article_id, start, "end" FROM sources'
        ):
            spans[article].append((start, end, kind, fid))
    finally:
        con.close()
    for rows in spans.values():
        rows.sort()
    starts = {a: [r[0] for r in rows] for a, rows in spans.items()}
    quote_sources = Counter(fid for rows in spans.values() for _s, _e, kind, fid in rows if kind == "quote")
    return _StoreView(quotes, events, islands, published, dict(spans), starts, quote_sources)


def _date_class(d: PlantedDate) -> str:
    s = d.surface
    if d.kind == "anchored":
        return "N years/months later (anchored)"
    if d.kind == "absolute":
        if re.fullmatch(r"\d{4}", s):
            return "year"
        if re.fullmatch(r"[A-Z][a-z]+ \d{4}", s):
            return "month year"
        return "day month year"
    if s in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        return "weekday"
    if s.startswith("last ") and s != "last year":
        return "last <month>"
    if re.fullmatch(r"[A-Z][a-z]+", s):
        return "in <month> (tense)"
    if re.fullmatch(r"[A-Z][a-z]+ \d{1,2}", s):
        return "<month> <day> (tense)"
    if re.fullmatch(r"[A-Z][a-z]{2,3}\. \d{1,2}", s):
        return "<Mon.> <day> (tense)"
    if re.fullmatch(r"mid-[A-Z][a-z]+", s):
        return "mid-<month>"
    if s.endswith("years ago"):
        return "N years ago"
    return s


def _context(texts: dict[str, str], folder: Path, article: str, start: int, end: int) -> str:
    if article not in texts:
        texts[article] = (folder / f"{article}.txt").read_text(encoding="utf-8")
    text = texts[article]
    a = text.rfind("\n\n", 0, start)
    b = text.find("\n\n", end)
    return " ".join(text[a + 2 if a >= 0 else 0 : b if b >= 0 else len(text)].split())[:600]


def score(truth: Truth, folder: Path, db: Path) -> tuple[dict[str, Any], dict[int, int]]:
    """How much of the planted truth the store holds; and the store quote id of each planted quote found."""
    store = load_store(db)
    texts: dict[str, str] = {}
    found_ids: dict[int, int] = {}
    by_style: dict[str, Counter[str]] = defaultdict(Counter)
    quote_examples: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n, q in enumerate(truth.quotes):
        planted = comparable(q.text)
        best, best_score = None, 0.0
        for fid in store.overlapping(q.article, q.start, q.end, "quote"):
            s = fuzz.ratio(planted, comparable(store.quotes[fid][0]))
            if s > best_score:
                best, best_score = fid, s
        c = by_style[q.style]
        c["planted"] += 1
        problem = None
        merged = best is not None and store.quote_sources[best] > 1 and best_score >= MERGED_MATCH
        if best is not None and (best_score >= QUOTE_MATCH or merged):
            c["found"] += 1
            c["found_merged"] += best_score < QUOTE_MATCH
            found_ids[n] = best
            if store.quotes[best][1] == q.speaker:
                c["right_speaker"] += 1
            else:
                problem = f"speaker {store.quotes[best][1]!r}, expected {q.speaker!r}"
        else:
            near = store.quotes[best][0] if best is not None else None
            problem = f"not found (closest extracted: {near!r})" if near else "not found"
        if problem and len(quote_examples[q.style]) < EXAMPLES:
            quote_examples[q.style].append(
                {
                    "article": q.article,
                    "problem": problem,
                    "paragraph": _context(texts, folder, q.article, q.start, q.end),
                }
            )
    totals = Counter[str]()
    for c in by_style.values():
        totals.update(c)

    date_by_class: dict[str, Counter[str]] = defaultdict(Counter)
    date_examples: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in truth.dates:
        cls = _date_class(d)
        c = date_by_class[cls]
        c["planted"] += 1
        got = [store.events[fid] for fid in store.overlapping(d.article, d.start, d.end, "event")]
        if d.iso in got:
            c["right"] += 1
            continue
        c["wrong" if got else "missing"] += 1
        if len(date_examples[cls]) < EXAMPLES:
            date_examples[cls].append(
                {
                    "article": d.article,
                    "surface": d.surface,
                    "expected": d.iso,
                    "extracted": got,
                    "paragraph": _context(texts, folder, d.article, d.start, d.end),
                }
            )
    date_totals = Counter[str]()
    for c in date_by_class.values():
        date_totals.update(c)

    island_by_key: dict[str, Counter[str]] = defaultdict(Counter)
    for i in truth.islands:
        c = island_by_key[i.key]
        c["planted"] += 1
        if any(store.islands[fid] == i.key for fid in store.overlapping(i.article, i.start, i.end, "island")):
            c["found"] += 1
    island_totals = Counter[str]()
    for c in island_by_key.values():
        island_totals.update(c)

    false_dates, false_quotes = 0, 0
    trap_examples: list[dict[str, Any]] = []
    for t in truth.traps:
        if t.kind == "date":
            hits = store.overlapping(t.article, t.start, t.end, "event")
            false_dates += len(hits)
            if hits and len(trap_examples) < EXAMPLES:
                trap_examples.append(
                    {
                        "trap": t.surface,
                        "extracted": [store.events[h] for h in hits],
                        "paragraph": _context(texts, folder, t.article, t.start, t.end),
                    }
                )
        else:
            for fid in store.overlapping(t.article, t.start, t.end, "quote"):
                if fuzz.ratio(comparable(t.surface), comparable(store.quotes[fid][0])) >= QUOTE_MATCH:
                    false_quotes += 1
                    if len(trap_examples) < EXAMPLES:
                        trap_examples.append({"trap": t.surface, "extracted": store.quotes[fid][:2]})
    leaks = 0
    for f in truth.furniture:
        for kind in ("quote", "event", "island"):
            leaks += len(store.overlapping(f.article, f.start, f.end, kind))

    # Precision of events: extracted event sources that cover no planted date.
    planted_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for d in truth.dates:
        planted_spans[d.article].append((d.start, d.end))
    event_sources = unplanned = 0
    for article, rows in store.spans.items():
        spans = planted_spans.get(article, [])
        for s, e, kind, _fid in rows:
            if kind != "event":
                continue
            event_sources += 1
            if not any(ps < e and pe > s for ps, pe in spans):
                unplanned += 1

    meta = Counter[str]()
    for a in truth.articles:
        meta[a.metadata] += 1
        if store.published.get(a.article_id) == a.published:
            meta[f"{a.metadata}:right"] += 1

    def pct(a: int, b: int) -> float:
        return round(100.0 * a / b, 2) if b else 0.0

    result = {
        "articles": len(truth.articles),
        "quotes": {
            "planted": totals["planted"],
            "recall": pct(totals["found"], totals["planted"]),
            "speaker_accuracy": pct(totals["right_speaker"], totals["found"]),
            "recall_right_speaker": pct(totals["right_speaker"], totals["planted"]),
            "found_as_merged_wording": totals["found_merged"],
            "by_style": {
                s: {
                    "planted": c["planted"],
                    "recall": pct(c["found"], c["planted"]),
                    "speaker_accuracy": pct(c["right_speaker"], c["found"]),
                    "recall_right_speaker": pct(c["right_speaker"], c["planted"]),
                }
                for s, c in sorted(by_style.items())
            },
            "false_from_scare_quotes": false_quotes,
            "examples": dict(quote_examples),
        },
        "dates": {
            "planted": date_totals["planted"],
            "right": pct(date_totals["right"], date_totals["planted"]),
            "wrong_value": pct(date_totals["wrong"], date_totals["planted"]),
            "missing": pct(date_totals["missing"], date_totals["planted"]),
            "by_class": {
                k: {
                    "planted": c["planted"],
                    "right": pct(c["right"], c["planted"]),
                    "wrong": c["wrong"],
                    "missing": c["missing"],
                }
                for k, c in sorted(date_by_class.items())
            },
            "false_from_traps": false_dates,
            "unplanned_event_sources": unplanned,
            "event_sources": event_sources,
            "examples": dict(date_examples),
        },
        "islands": {
            "planted": island_totals["planted"],
            "recall": pct(island_totals["found"], island_totals["planted"]),
            "by_island": {k: pct(c["found"], c["planted"]) for k, c in sorted(island_by_key.items())},
        },
        "furniture_leaks": leaks,
        "trap_examples": trap_examples,
        "publication_date": {
            k: pct(meta[f"{k}:right"], meta[k]) for k in ("manifest", "published line", "dateline") if meta[k]
        },
    }
    return result, found_ids
