"""The queries section: every answer and autocomplete timed in a child process after `Facts.open`, quote
search scored against the planted quotes, and the peer engine on the same queries.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import random
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import Options, mb, percentiles, rss_of, run_child
from bench.generate import Truth
from bot.text import BENCH_FILLER_WORDS, comparable

FIXED = {
    "timeline_years": [
        [1956, 1956],
        [2015, 2020],
        [2018, 2019],
        [None, 1960],
        [2022, None],
        [1855, 1875],
        [2010, 2025],
    ],
    "timeline_about": [
        "peace treaty",
        "Shikotan",
        "joint declaration",
        "Shikotn",
        "peace treety",
        "visa-free exchanges",
        "択捉島",
        "Итуруп",
        "Kunashiri",
        "fishing quotas",
        "sanctions",
        "Habomai islets",
    ],
    "quote_text": [
        "peace treety",
        "former residents graves",
        "sovereignty",
        "Shikotn",
        "Lavrow",
        "Kunashiri",
        "択捉島",
        "Итуруп",
        "second world war",
        "joint economic activities",
        "unfriendly step",
    ],
    "quote_speaker": [
        "Lavrow",
        "Abe",
        "Putin",
        "Kishida",
        "Zakharova",
        "Peskov",
        "Sergei Lavrov",
        "Shinzo Abe",
        "Hayashi",
        "Kono",
        "Tanaka",
        "nobody at all",
    ],
    "island": [
        "Etorofu",
        "択捉島",
        "Итуруп",
        "Kunashiri",
        "Shikotn",
        "Habomai islets",
        "Lesser Kuril Chain",
        "Northern Territories",
        "kurils",
        "Habomai",
        "Iturup island",
        "Atlantis",
    ],
    "complete_speakers": [
        "",
        "a",
        "ab",
        "Lav",
        "Lavrow",
        "zakh",
        "pu",
        "Kishi",
        "hay",
        "Sergei",
        "tan",
        "Sokol",
    ],
    "complete_islands": [
        "",
        "e",
        "Eto",
        "択",
        "Иту",
        "kun",
        "Kunashiri",
        "shik",
        "Shikotn",
        "haboma",
        "north",
        "lesser",
    ],
    "complete_topics": [
        "",
        "pe",
        "peace tr",
        "peace treety",
        "sov",
        "isl",
        "fish",
        "Shikotn",
        "sanc",
        "visa",
        "Итуруп",
    ],
    "complete_articles": [
        "",
        "000",
        "00012",
        "tass",
        "kishida",
        "grave visits",
        "disputed islands",
        "moscow rules out",
        "zzz",
    ],
}


def _typo(rng: random.Random, word: str) -> str:
    """One edit (substitution, deletion or insertion): a single typo under both engines' distance."""
    i = rng.randrange(1, len(word) - 1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    op = rng.choice(("sub", "del", "ins"))
    if op == "sub":
        return word[:i] + rng.choice([c for c in letters if c != word[i]]) + word[i + 1 :]
    if op == "del":
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice(letters) + word[i:]


def hit_queries(truth: Truth, found: dict[int, int], n: int, seed: int) -> list[dict[str, Any]]:
    """Queries of a few consecutive words from planted quotes, some with a typo, and the quote to find.

    A user remembers a telling phrase, not the boilerplate around it: the window is one of the three with
    the rarest words across all planted quotes.
    """
    rng = random.Random(f"{seed}:queries")
    df: Counter[str] = Counter()
    for q in truth.quotes:
        df.update(set(comparable(q.text).split()))
    total = max(len(truth.quotes), 1)
    candidates = [i for i in sorted(found) if not truth.quotes[i].partial]
    rng.shuffle(candidates)
    out = []
    for i in candidates:
        words = comparable(truth.quotes[i].text).split()
        size = rng.choice((3, 4, 4, 5))
        if len(words) < size + 2:
            continue
        windows = []
        for start in range(len(words) - size + 1):
            window = words[start : start + size]
            content = [w for w in window if w not in BENCH_FILLER_WORDS and len(w) >= 3]
            if len(content) >= 2:
                windows.append((sum(math.log(total / df[w]) for w in content), start))
        if not windows:
            continue
        windows.sort(reverse=True)
        start = rng.choice(windows[:3])[1]
        window = words[start : start + size]
        clean = " ".join(window)
        typo = rng.random() < 0.4
        if typo:
            long = [k for k, w in enumerate(window) if len(w) >= 5 and w.isalpha()]
            if long:
                k = rng.choice(long)
                window[k] = _typo(rng, window[k])
            else:
                typo = False
        out.append({"query": " ".join(window), "clean": clean, "target": found[i], "typo": typo})
        if len(out) >= n:
            break
    return out


def child_queries(payload: dict[str, Any]) -> dict[str, Any]:
    return asyncio.run(_queries(payload))


async def _queries(payload: dict[str, Any]) -> dict[str, Any]:
    from bot.answers import Facts, QuoteQuery, TimelineQuery, island, quotes, timeline
    from bot.answers.daily import choose_snippet, daily_snippet, snippet_candidates
    from bot.store.reader import freeze_loaded_facts

    db, mix, repeats = Path(payload["db"]), payload["mix"], int(payload["repeats"])
    rss_before = rss_of()
    started = time.perf_counter()
    facts = await Facts.open(db)
    open_s = time.perf_counter() - started
    freeze_loaded_facts()  # as the bot does once the store is open
    rss_open = rss_of()
    index = facts.index
    last_posted: dict[str, dt.datetime] = {}
    base = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)

    async def daily(day: str) -> None:
        local = dt.date.fromisoformat(day)
        chosen = choose_snippet(await snippet_candidates(facts), local, last_posted)
        if chosen is not None:
            await daily_snippet(facts, chosen.key, local)
            last_posted[chosen.key] = base + dt.timedelta(days=len(last_posted))

    calls: dict[str, list[Callable[[], Any]]] = {
        "timeline (years)": [
            (lambda f=f, t=t: timeline(facts, TimelineQuery.parse(f, t))) for f, t in mix["timeline_years"]
        ],
        "timeline (about)": [
            (lambda a=a: timeline(facts, TimelineQuery.parse(about=a))) for a in mix["timeline_about"]
        ],
        "quotes (text)": [
            (lambda t=t: quotes(facts, QuoteQuery.parse(text=t)))
            for t in [*mix["quote_text"], *(h["query"] for h in mix["hits"])]
        ],
        "quotes (speaker)": [
            (lambda s=s: quotes(facts, QuoteQuery.parse(speaker=s))) for s in mix["quote_speaker"]
        ],
        "island": [(lambda n=n: island(facts, n)) for n in mix["island"]],
        "daily snippet": [(lambda d=d: daily(d)) for d in mix["daily_dates"]],
        "complete_speakers": [(lambda p=p: index.complete_speakers(p)) for p in mix["complete_speakers"]],
        "complete_islands": [(lambda p=p: index.complete_islands(p)) for p in mix["complete_islands"]],
        "complete_topics": [(lambda p=p: index.complete_topics(p)) for p in mix["complete_topics"]],
        "complete_articles": [(lambda p=p: index.complete_articles(p)) for p in mix["complete_articles"]],
    }
    timings: dict[str, dict[str, float]] = {}
    for name, fns in calls.items():
        samples = []
        for rep in range(repeats + 1):
            for fn in fns:
                t0 = time.perf_counter_ns()
                result = fn()
                if asyncio.iscoroutine(result):
                    await result
                if rep:  # the first pass warms caches and is not counted
                    samples.append((time.perf_counter_ns() - t0) / 1e6)
        timings[name] = percentiles(samples)

    hit1 = hit5 = 0
    own: list[float] = []
    for h in mix["hits"]:
        t0 = time.perf_counter_ns()
        answer = await quotes(facts, QuoteQuery.parse(text=h["query"], limit=5))
        own.append((time.perf_counter_ns() - t0) / 1e6)
        ids = [q.fact_id for q in answer.quotes[:5]]
        hit1 += bool(ids) and ids[0] == h["target"]
        hit5 += h["target"] in ids
    rss_served = rss_of()
    commands = await _command_costs(facts, mix)  # after the RSS reading: it imports discord.py and matplotlib
    counts = await facts.store.counts()
    vocabulary = len(index.vocabulary)
    await facts.close()
    n = max(len(mix["hits"]), 1)
    result: dict[str, Any] = {
        "open_seconds": round(open_s, 3),
        "rss_mb": {
            "before_open": mb(rss_before),
            "after_open": mb(rss_open),
            "after_queries": mb(rss_served),
        },
        "store": {
            "quotes": counts.quotes,
            "events": counts.events,
            "island_facts": counts.island_facts,
            "vocabulary": vocabulary,
        },
        "latency_ms": timings,
        "commands": commands,
        "hits": {
            "queries": len(mix["hits"]),
            "hit@1": round(100 * hit1 / n, 2),
            "hit@5": round(100 * hit5 / n, 2),
            "latency_ms": percentiles(own),
        },
    }
    if payload.get("peer"):
        result["peer"] = _peer(db, mix["hits"], repeats)
    return result


async def _command_costs(facts: Any, mix: dict[str, Any]) -> list[dict[str, Any]]:
    """What a slash command costs before anything is sent: its answer and all its Discord pages."""
    from bot.answers.questions import ISLAND, QUOTE, TIMELINE, Surface
    from bot.discord.embeds import island_pages, quote_pages, timeline_pages

    text = mix["hits"][0]["query"] if mix["hits"] else "peace treaty"
    on_discord = Surface.DISCORD  # each command asks as its cog does, at Discord's limits
    cases: list[tuple[str, Callable[[], Any], Callable[[Any], list[Any]]]] = [
        ("/island Etorofu", lambda: ISLAND.ask(facts, {"name": "Etorofu"}, on_discord), island_pages),
        ("/island Shikotan", lambda: ISLAND.ask(facts, {"name": "Shikotan"}, on_discord), island_pages),
        (
            "/timeline from 2015 to 2020",
            lambda: TIMELINE.ask(facts, {"from": 2015, "to": 2020}, on_discord),
            timeline_pages,
        ),
        (
            "/timeline about Shikotan",
            lambda: TIMELINE.ask(facts, {"about": "Shikotan"}, on_discord),
            timeline_pages,
        ),
        (
            f"/quote about {text}",
            lambda: QUOTE.ask(facts, {"about": text}, on_discord),
            quote_pages,
        ),
        (
            "/quote speaker Lavrov",
            lambda: QUOTE.ask(facts, {"speaker": "Lavrov"}, on_discord),
            quote_pages,
        ),
    ]
    out = []
    for name, answer_of, pages_of in cases:
        t0 = time.perf_counter()
        answer = await answer_of()
        t1 = time.perf_counter()
        pages = pages_of(answer)
        pages[0]
        t2 = time.perf_counter()
        pages[len(pages) - 1]
        t3 = time.perf_counter()
        items = (
            getattr(answer, "facts", None)
            or getattr(answer, "events", None)
            or getattr(answer, "quotes", None)
        )
        items = items or []
        out.append(
            {
                "command": name,
                "answer_ms": round((t1 - t0) * 1000, 2),
                "first_page_ms": round((t2 - t1) * 1000, 2),
                "last_page_ms": round((t3 - t2) * 1000, 2),
                "facts": len(items),
                "citations": sum(len(x.sources) for x in items),
                "pages": len(pages),
            }
        )
    return out


def _peer(db: Path, hits: list[dict[str, Any]], repeats: int) -> dict[str, Any]:
    from bench.peer import TantivyQuotes, unavailable_reason

    reason = unavailable_reason()
    if reason:
        return {"skipped": reason}
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT id, text, speaker FROM quotes").fetchall()
    finally:
        con.close()
    peer = TantivyQuotes(rows)
    for h in hits:  # warm-up
        peer.search(h["query"])
    samples = []
    hit1 = hit5 = 0
    for rep in range(repeats):
        for h in hits:
            t0 = time.perf_counter_ns()
            ids = peer.search(h["query"], 5)
            samples.append((time.perf_counter_ns() - t0) / 1e6)
            if rep == 0:
                hit1 += bool(ids) and ids[0] == h["target"]
                hit5 += h["target"] in ids
    n = max(len(hits), 1)
    return {
        "quotes_indexed": peer.size,
        "index_seconds": round(peer.index_seconds, 3),
        "latency_ms": percentiles(samples),
        "hit@1": round(100 * hit1 / n, 2),
        "hit@5": round(100 * hit5 / n, 2),
    }


def ambiguity(db: Path, hits: list[dict[str, Any]]) -> dict[str, float]:
    """How many hit queries any engine could answer: their words (typo-free) in the target and in few others."""
    wanted = {w for h in hits for w in h["clean"].split()}
    postings: dict[str, set[int]] = defaultdict(set)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for fid, text, speaker in con.execute("SELECT id, text, speaker FROM quotes"):
            for w in set(comparable(f"{text} {speaker}").split()) & wanted:
                postings[w].add(fid)
    finally:
        con.close()
    alone = among5 = 0
    for h in hits:
        sets = [postings.get(w, set()) for w in h["clean"].split()]
        holding = set.intersection(*sets) if sets else set()
        alone += holding == {h["target"]}
        among5 += h["target"] in holding and len(holding) <= 5
    n = max(len(hits), 1)
    return {"only_target": round(100 * alone / n, 2), "target_among_5": round(100 * among5 / n, 2)}


def query_mix(truth: Truth, found: dict[int, int], options: Options) -> dict[str, Any]:
    """The fixed query mix plus hit queries drawn from the planted quotes."""
    mix: dict[str, Any] = {k: list(v) for k, v in FIXED.items()}
    rng = random.Random(f"{options.seed}:daily")
    mix["daily_dates"] = [
        (dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(365))).isoformat() for _ in range(20)
    ]
    mix["hits"] = hit_queries(truth, found, options.hit_queries, options.seed)
    return mix


def measure_queries(db: Path, mix: dict[str, Any], options: Options, work: Path) -> dict[str, Any]:
    """Answer and autocomplete latency in a fresh process after `Facts.open`, and the peer on the same queries."""
    payload = {"db": str(db), "mix": mix, "repeats": options.repeats, "peer": not options.skip_peer}
    return run_child("queries", payload, work)
