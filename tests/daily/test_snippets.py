"""Choosing the day's snippet: on-this-day first, then least recently posted, no repeats until all used."""

from __future__ import annotations

import datetime as dt
import random

from bot.answers.daily import CandidatePool, SnippetCandidate, choose_snippet

UTC = dt.UTC
T0 = dt.datetime(2026, 1, 1, tzinfo=UTC)


def at(days: int) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def test_no_candidates_gives_none() -> None:
    assert choose_snippet([], dt.date(2026, 2, 7), {}) is None


def test_on_this_day_is_preferred_even_if_posted_before() -> None:
    feb7 = SnippetCandidate("event:1", (2, 7))
    others = [SnippetCandidate(f"event:{i}") for i in range(2, 6)]
    assert choose_snippet([*others, feb7], dt.date(2027, 2, 7), {"event:1": at(0)}) == feb7


def test_on_this_day_least_recently_posted_first_then_key() -> None:
    a = SnippetCandidate("event:a", (9, 8))
    b = SnippetCandidate("event:b", (9, 8))
    c = SnippetCandidate("event:c", (9, 8))
    day = dt.date(2026, 9, 8)
    assert choose_snippet([c, b, a], day, {}) == a
    assert choose_snippet([c, b, a], day, {"event:a": at(3)}) == b
    assert choose_snippet([c, b, a], day, {"event:a": at(3), "event:b": at(1), "event:c": at(2)}) == b


def test_month_day_must_match_exactly() -> None:
    other_day = SnippetCandidate("event:1", (2, 8))
    undated = SnippetCandidate("quote:1")
    assert choose_snippet([other_day, undated], dt.date(2026, 2, 7), {"event:1": at(1)}) == undated


def test_fallback_never_posted_first_then_oldest() -> None:
    cands = [SnippetCandidate(k) for k in ("k1", "k2", "k3")]
    assert choose_snippet(cands, dt.date(2026, 6, 1), {"k1": at(1)}) == cands[1]
    assert choose_snippet(cands, dt.date(2026, 6, 1), {"k1": at(3), "k2": at(1), "k3": at(2)}) == cands[1]


def simulate(cands: list[SnippetCandidate], days: int) -> list[str]:
    posted: dict[str, dt.datetime] = {}
    chosen = []
    for i in range(days):
        pick = choose_snippet(cands, dt.date(2026, 6, 1) + dt.timedelta(days=i), posted)
        assert pick is not None
        posted[pick.key] = at(i)
        chosen.append(pick.key)
    return chosen


def test_five_candidates_over_five_days_are_distinct() -> None:
    cands = [SnippetCandidate(f"event:{i}") for i in (5, 3, 1, 4, 2)]
    assert len(set(simulate(cands, 5))) == 5


def test_no_repeat_until_all_used_then_cycle_in_same_order() -> None:
    cands = [SnippetCandidate(f"island:{i}") for i in range(7)]
    chosen = simulate(cands, 21)
    for start in range(0, 21, 7):
        assert sorted(chosen[start : start + 7]) == sorted(c.key for c in cands)
    assert chosen[:7] == chosen[7:14] == chosen[14:]


def test_candidate_order_does_not_matter() -> None:
    cands = [SnippetCandidate(f"q:{i}") for i in range(4)]
    history = {"q:0": at(2), "q:2": at(1)}
    picks = {choose_snippet(list(p), dt.date(2026, 6, 1), history) for p in (cands, cands[::-1])}
    assert picks == {SnippetCandidate("q:1")}


def test_the_indexed_pool_chooses_exactly_as_the_plain_list_does() -> None:
    rng = random.Random(7)
    for _ in range(300):
        candidates = [
            SnippetCandidate(
                f"event:{rng.randrange(400)}",
                (rng.randint(1, 2), rng.randint(1, 3)) if rng.random() < 0.6 else None,
            )
            for _ in range(rng.randrange(0, 30))
        ]
        candidates = list({c.key: c for c in candidates}.values())
        posted = {c.key: at(rng.randrange(50)) for c in candidates if rng.random() < 0.7}
        day = dt.date(2027, rng.randint(1, 2), rng.randint(1, 3))
        assert choose_snippet(CandidatePool(candidates), day, posted) == choose_snippet(
            candidates, day, posted
        )
