"""A burst of buffered gateway messages does not hold the event loop: the bot yields after each one."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from discord.gateway import DiscordWebSocket

from bot.discord.patches import yield_between_gateway_messages


class _BufferedSocket:
    """A websocket with every message already buffered: `receive` never suspends."""

    async def receive(self, timeout: float | None = None) -> Any:  # noqa: ASYNC109 (the socket API)
        return aiohttp.WSMessage(aiohttp.WSMsgType.TEXT, "{}", None)


@pytest.mark.asyncio
async def test_other_tasks_run_between_buffered_gateway_messages() -> None:
    yield_between_gateway_messages()
    yield_between_gateway_messages()  # idempotent: one wrapper, not two
    ws = object.__new__(DiscordWebSocket)
    ws.socket = _BufferedSocket()  # type: ignore[assignment]
    ws._max_heartbeat_timeout = 60.0  # type: ignore[attr-defined]
    order: list[str] = []

    async def received_message(msg: Any) -> None:
        order.append("message")

    ws.received_message = received_message  # type: ignore[method-assign]

    async def other() -> None:
        for _ in range(5):
            order.append("other")
            await asyncio.sleep(0)

    task = asyncio.create_task(other())
    for _ in range(5):
        await ws.poll_event()
    await task
    assert order[:10] == ["message", "other"] * 5
