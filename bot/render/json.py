"""Answers as JSON objects: `{"query": {...}, "results": [...]}`, every fact with its sources."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.answers import (
    AboutAnswer,
    Answer,
    CheckAnswer,
    DailyPreviewAnswer,
    HelpAnswer,
    IslandAnswer,
    QuoteAnswer,
    SourceAnswer,
    TimelineAnswer,
)
from bot.models import Citation, IslandFact


def citation(c: Citation) -> dict[str, Any]:
    """One source: the article, its metadata and the exact passage with its offsets."""
    return {
        "article": c.article_id,
        "title": c.title,
        "outlet": c.outlet,
        "url": c.url,
        "published": c.published,
        "excerpt": c.excerpt,
        "start": c.start,
        "end": c.end,
    }


def timeline_json(answer: TimelineAnswer) -> dict[str, Any]:
    q = answer.query
    out: dict[str, Any] = {
        "query": {"from": q.from_year, "to": q.to_year, "about": q.about, "limit": q.limit},
        "results": [
            {
                "date": e.date.iso(),
                "granularity": e.date.granularity,
                "text": e.text,
                "sources": [citation(c) for c in e.sources],
            }
            for e in answer.events
        ],
        "total": answer.total,
    }
    if answer.corrected:
        out["corrected"] = answer.corrected
    if answer.suggestions:
        out["suggestions"] = answer.suggestions
    return out


def quotes_json(answer: QuoteAnswer) -> dict[str, Any]:
    q = answer.query
    out: dict[str, Any] = {
        "query": {"text": q.text, "speaker": q.speaker, "limit": q.limit, "resolved_speaker": answer.speaker},
        "results": [
            {
                "speaker": x.speaker,
                "speaker_kind": x.speaker_kind,
                "speaker_description": x.speaker_description,
                "text": x.text,
                "partial": x.partial,
                "date": x.date.iso() if x.date else None,
                "sources": [citation(c) for c in x.sources],
            }
            for x in answer.quotes
        ],
        "total": answer.total,
    }
    if answer.corrected:
        out["corrected"] = answer.corrected
    if answer.suggestions:
        out["suggestions"] = answer.suggestions
    return out


def _island_fact(f: IslandFact) -> dict[str, Any]:
    return {
        "text": f.text,
        "date": f.date.iso() if f.date else None,
        "sources": [citation(c) for c in f.sources],
    }


def island_json(answer: IslandAnswer) -> dict[str, Any]:
    """The island, its own facts, the facts of its groups (`group_facts`) and its curated background.

    `summary` is the background's text, kept for readers of the earlier output; `background` says it is
    curated and where it comes from, as it cites no article.
    """
    if answer.island is None:
        return {"query": {"name": answer.query}, "results": [], "suggestions": answer.suggestions}
    i = answer.island
    background = answer.background
    return {
        "query": {"name": answer.query},
        "results": [
            {
                "island": i.name,
                "key": i.key,
                "kind": i.kind,
                "aliases": list(i.aliases),
                "summary": background.text if background else "",
                "background": {"text": background.text, "source": background.source} if background else None,
                "facts": [_island_fact(f) for f in answer.facts],
                "group_facts": [
                    {"group": g.group, "key": g.key, "facts": [_island_fact(f) for f in g.facts]}
                    for g in answer.groups
                ],
            }
        ],
    }


def source_json(answer: SourceAnswer) -> dict[str, Any]:
    if answer.article is None:
        return {"query": {"article": answer.query}, "results": [], "suggestions": answer.suggestions}
    a = answer.article
    return {
        "query": {"article": answer.query},
        "results": [
            {
                "article": a.article_id,
                "title": a.title,
                "outlet": a.outlet,
                "url": a.url,
                "published": a.published.iso() if a.published else None,
                "published_note": a.published_note,
                "paragraphs": answer.paragraphs,
            }
        ],
    }


def about_json(answer: AboutAnswer) -> dict[str, Any]:
    c = answer.counts
    return {
        "query": {},
        "results": [
            {
                "articles": c.articles,
                "quotes": c.quotes,
                "events": c.events,
                "island_facts": c.island_facts,
                "sources": c.sources,
                "speakers": answer.speakers,
                "built_at": answer.built_at,
                "skipped": [{"file": p, "reason": r} for p, r in answer.skipped],
                "corpus": [
                    {
                        "article": a.article_id,
                        "title": a.title,
                        "outlet": a.outlet,
                        "url": a.url,
                        "published": a.published.iso() if a.published else None,
                    }
                    for a in answer.articles
                ],
            }
        ],
    }


def check_json(answer: CheckAnswer) -> dict[str, Any]:
    """`{"query", "results": [{"verdict", "claimed", "quote", "diff", "sources"}], "articles"}`."""
    results = []
    for r in answer.results:
        q = r.quote
        results.append(
            {
                "verdict": r.verdict,
                "claimed": r.claimed,
                "claimed_speaker": r.claimed_speaker,
                "quote": None
                if q is None
                else {
                    "speaker": q.speaker,
                    "speaker_kind": q.speaker_kind,
                    "speaker_description": q.speaker_description,
                    "text": q.text,
                    "date": q.date.iso() if q.date else None,
                },
                "diff": {
                    "changes": [{"op": c.op, "claimed": c.claimed, "said": c.said} for c in r.changes],
                    "flips_meaning": r.flips_meaning,
                    "left_out_before": r.left_out_before,
                    "left_out_after": r.left_out_after,
                    "similarity": r.similarity,
                },
                "sources": [citation(c) for c in q.sources] if q else [],
            }
        )
    out: dict[str, Any] = {
        "query": {"text": answer.query.text, "speaker": answer.query.speaker},
        "results": results,
        "articles": answer.articles,
    }
    if answer.suggestions:
        out["suggestions"] = answer.suggestions
    return out


def help_json(answer: HelpAnswer) -> dict[str, Any]:
    return {
        "query": {},
        "results": [
            {
                "commands": [
                    {
                        "usage": c.usage,
                        "description": c.description,
                        "example": c.example,
                        "discord_only": c.discord_only,
                    }
                    for c in answer.commands
                ],
                "articles": answer.articles,
                "outlets": list(answer.outlets),
                "first_published": answer.first_published,
                "last_published": answer.last_published,
                "sources": answer.sources,
                "extraction": answer.extraction,
                "privacy": answer.privacy,
                "links": [{"label": link.label, "url": link.url} for link in answer.links],
            }
        ],
    }


def daily_preview_json(answer: DailyPreviewAnswer) -> dict[str, Any]:
    q = answer.query
    results = []
    if answer.snippet is not None:
        e = answer.snippet.event
        results.append(
            {
                "fact": answer.snippet.key,
                "on_this_day": answer.snippet.on_this_day,
                "date": e.date.iso(),
                "granularity": e.date.granularity,
                "text": e.text,
                "sources": [citation(c) for c in e.sources],
            }
        )
    return {
        "query": {"date": q.date.isoformat() if q.date else None, "timezone": q.timezone},
        "local_date": answer.local_date.isoformat(),
        "results": results,
    }


def answer_json(answer: Answer) -> dict[str, Any]:
    """The JSON object of any answer."""
    match answer:
        case TimelineAnswer():
            return timeline_json(answer)
        case QuoteAnswer():
            return quotes_json(answer)
        case IslandAnswer():
            return island_json(answer)
        case SourceAnswer():
            return source_json(answer)
        case AboutAnswer():
            return about_json(answer)
        case CheckAnswer():
            return check_json(answer)
        case HelpAnswer():
            return help_json(answer)
        case DailyPreviewAnswer():
            return daily_preview_json(answer)
    raise TypeError(type(answer).__name__)


# What JSON leaves unescaped but a terminal acts on: DEL, the C1 controls (0x9b is a one-byte CSI) and the
# bidi controls. They can only occur inside strings, where \uXXXX is the same character.
_JSON_RAW_CONTROLS = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def dumps(answer: Answer) -> str:
    """An answer as indented JSON text, safe to print on a terminal and the same data once parsed."""
    text = json.dumps(answer_json(answer), ensure_ascii=False, indent=2)
    return _JSON_RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
