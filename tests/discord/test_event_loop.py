"""The event loop `factbot run` gives the bot: uvloop's where it is installed, asyncio's otherwise."""

from __future__ import annotations

import asyncio
import sys

import pytest

from bot.discord.client import new_event_loop

uvloop = pytest.importorskip("uvloop")


def test_the_bot_runs_on_uvloop_when_it_is_installed() -> None:
    loop = new_event_loop()
    try:
        assert isinstance(loop, uvloop.Loop)
        assert loop.run_until_complete(asyncio.sleep(0, result="ran")) == "ran"
    finally:
        loop.close()


def test_without_uvloop_the_bot_runs_on_asyncios_own_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # as on a platform uvloop is not installed on
    loop = new_event_loop()
    try:
        assert isinstance(loop, asyncio.BaseEventLoop)
        assert not isinstance(loop, uvloop.Loop)
    finally:
        loop.close()
