"""Quote checks: a check set drawn from a store with a fixed seed, one class per verdict, scored and timed.

- verbatim: a stored quotation as it is (case and punctuation changed), with its speaker;
- altered: a stored quotation with one to three words changed, dropped or added;
- trimmed: a run of words from inside a longer stored quotation;
- other speaker: a stored quotation given to someone else who is quoted in the store;
- not in the sources: invented sentences about the islands, which no article holds, with or without a
  speaker. (Halves of two stored quotations run together are no test: with the repeated phrasing of
  officials, another quotation often says nearly that, and "altered" is then the right verdict.)
"""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path
from typing import Any

CLASSES = ("verbatim", "altered", "trimmed", "other speaker", "not in the sources")
_FILLER = ["really", "certainly", "never", "always", "also", "today", "again", "fully", "soon", "perhaps"]
_INVENTED = [
    "Japan will buy {island} back from Russia for one trillion yen before {year}.",
    "Russia has agreed to hand over {island} and all the other islands to Japan in {year}.",
    "The people of {island} voted in {year} to become a part of Japan again.",
    "Tokyo and Moscow signed a secret protocol on {island} in {year} that nobody has ever seen.",
    "Our fishermen caught a whale off {island} and sold it in Nemuro in {year}.",
    "A bridge from Hokkaido to {island} will open in {year}, and the ferry will stop.",
    "I was never told that {island} had been promised to anyone before {year}.",
    "The volcano on {island} erupted in {year} and the whole village moved to Sakhalin.",
]
_ISLANDS = ["Iturup", "Kunashir", "Shikotan", "the Habomai islets", "Etorofu", "the Kurils"]


def make_set(quotes: list[Any], speakers: list[str], n: int, seed: int) -> list[dict[str, Any]]:
    """`n` claims per class (fewer where the store has too few quotations of the kind needed)."""
    from bot.answers.check import words

    rng = random.Random(seed)
    long = [q for q in quotes if len(words(q.text)) >= 10]
    usable = [q for q in quotes if len(words(q.text)) >= 6]
    cases: list[dict[str, Any]] = []
    for q in rng.sample(usable, min(n, len(usable))):
        text = q.text.upper() if rng.random() < 0.3 else f"“{q.text}”"
        cases.append({"class": "verbatim", "text": text, "speaker": q.speaker})
    for q in rng.sample(long, min(n, len(long))):
        w = words(q.text)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(w))
            op = rng.choice(("change", "drop", "add"))
            if op == "change":
                w[i] = rng.choice(_FILLER)
            elif op == "drop" and len(w) > 8:
                del w[i]
            else:
                w.insert(i, rng.choice(_FILLER))
        cases.append({"class": "altered", "text": " ".join(w), "speaker": q.speaker})
    for q in rng.sample(long, min(n, len(long))):
        w = words(q.text)
        size = rng.randint(5, len(w) - 2)
        start = rng.randint(0, len(w) - size)
        if start == 0 and size == len(w):
            size -= 1
        cases.append({"class": "trimmed", "text": " ".join(w[start : start + size]), "speaker": q.speaker})
    for q in rng.sample(usable, min(n, len(usable))):
        others = [s for s in speakers if s != q.speaker]
        if others:
            cases.append({"class": "other speaker", "text": q.text, "speaker": rng.choice(others)})
    for _ in range(n):
        text = rng.choice(_INVENTED).format(island=rng.choice(_ISLANDS), year=rng.randint(1960, 2030))
        speaker = rng.choice(speakers) if speakers and rng.random() < 0.5 else None
        cases.append({"class": "not in the sources", "text": text, "speaker": speaker})
    return cases


async def _run(db: Path, n: int, seed: int) -> dict[str, Any]:
    from bot.answers import Facts
    from bot.answers.check import CheckQuery, check

    facts = await Facts.open(db)
    try:
        quotes = await facts.store.quotes()
        speakers = list(facts.index.speakers)
        cases = make_set(quotes, speakers, n, seed)
        right: dict[str, int] = dict.fromkeys(CLASSES, 0)
        total: dict[str, int] = dict.fromkeys(CLASSES, 0)
        times: list[float] = []
        wrong: list[dict[str, Any]] = []
        for case in cases:
            started = time.perf_counter()
            answer = await check(facts, CheckQuery.parse(case["text"], case["speaker"]))
            times.append((time.perf_counter() - started) * 1000)
            got = answer.results[0].verdict
            total[case["class"]] += 1
            if got == case["class"]:
                right[case["class"]] += 1
            elif len(wrong) < 8:
                wrong.append({**case, "got": got})
        times.sort()
        return {
            "checks": len(cases),
            "accuracy": {c: round(100 * right[c] / total[c], 2) if total[c] else None for c in CLASSES},
            "per_class": total,
            "latency_ms": {
                "p50": round(times[len(times) // 2], 3),
                "p99": round(times[min(len(times) - 1, int(len(times) * 0.99))], 3),
                "max": round(times[-1], 3),
            },
            "wrong": wrong,
        }
    finally:
        await facts.close()


def child_checks(payload: dict[str, Any]) -> dict[str, Any]:
    """Run the check set against one store, in this process."""
    return asyncio.run(_run(Path(payload["db"]), int(payload["n"]), int(payload["seed"])))


def markdown(figures: dict[str, dict[str, Any]]) -> list[str]:
    """One row per corpus size."""
    rows = []
    for size, f in figures.items():
        acc = f["accuracy"]
        cells = " | ".join("–" if acc[c] is None else f"{acc[c]:.1f}" for c in CLASSES)
        lat = f["latency_ms"]
        rows.append(f"| {int(size):,} | {f['checks']:,} | {cells} | {lat['p50']:.2f} | {lat['p99']:.2f} |")
    head = " | ".join(f"{c} %" for c in CLASSES)
    return [
        "Claims drawn from the store with a fixed seed, one class per verdict, checked through the answer "
        "function `/check` uses; accuracy is the share given the class's verdict.",
        "",
        f"| articles | checks | {head} | p50 ms | p99 ms |",
        "|---|---|" + "---|" * len(CLASSES) + "---|---|",
        *rows,
    ]
