"""The timeline's chart: drawn one at a time, cached, and left out rather than late when many are asked."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

import commands.timeline as timeline_cog
from bot.models import Event, PartialDate
from tests.waits import DEADLINE

EVENTS = [Event(PartialDate(1956 + n), f"event {n}", (), fact_id=n) for n in range(5)]


class _Drawer:
    """Stands in for the drawing: counts calls, tells when one starts and holds every drawing until released."""

    def __init__(self) -> None:
        self.calls = 0
        self.active = 0
        self.most_at_once = 0
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, events: Any, title: str, total: int | None = None) -> bytes:
        self.calls += 1
        self.active += 1
        self.most_at_once = max(self.most_at_once, self.active)
        self.started.set()
        # Held until the test releases it; the deadline only keeps a failed test from hanging the thread.
        self.release.wait(DEADLINE)
        self.active -= 1
        return f"png of {title}".encode()


@pytest.mark.asyncio
async def test_charts_queue_then_are_skipped_and_repeats_come_from_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawer = _Drawer()
    monkeypatch.setattr(timeline_cog, "timeline_png", drawer)
    cog = timeline_cog.Timeline(bot=None)  # type: ignore[arg-type]
    queued = [asyncio.create_task(cog._chart(EVENTS, f"t{n}")) for n in range(timeline_cog.CHART_QUEUE)]
    # The first is drawing (in its thread); the others queued behind it when they started, before this resumes.
    assert await asyncio.to_thread(drawer.started.wait, DEADLINE), "the first chart never started drawing"
    assert await cog._chart(EVENTS, "one too many") is None  # the queue is full: no chart, no wait
    drawer.release.set()
    assert [await t for t in queued] == [f"png of t{n}".encode() for n in range(timeline_cog.CHART_QUEUE)]
    assert drawer.calls == timeline_cog.CHART_QUEUE and drawer.most_at_once == 1  # one at a time
    assert await cog._chart(EVENTS, "t0") == b"png of t0"
    assert drawer.calls == timeline_cog.CHART_QUEUE  # the repeat came from the cache
    assert await cog._chart(EVENTS[:2], "t0") == b"png of t0"
    assert drawer.calls == timeline_cog.CHART_QUEUE + 1  # other events: drawn again
    assert await cog._chart(EVENTS, "t0", total=900) == b"png of t0"
    assert drawer.calls == timeline_cog.CHART_QUEUE + 2  # the same events of more found: its title differs
