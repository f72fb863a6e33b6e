"""`GET /healthz` on a local port, for a process supervisor or an orchestrator (`FACTBOT_HEALTH_PORT`).

It answers 200 when every shard of this process is connected and the state database answers, 503
otherwise, with what it found as JSON: each shard's connection, the id of the fact store it answers from
(the checksum its build sealed into it, the same in every process that opened the same build) and how
many times a new build replaced the one it started with, and the state database.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord
from aiohttp import web

if TYPE_CHECKING:
    from bot.discord.client import FactBot

log = logging.getLogger(__name__)

STATE_TIMEOUT = 2.0  # seconds the state database has to answer before it counts as unreachable


class HealthServer:
    """The health endpoint of one bot process."""

    def __init__(self, bot: FactBot, host: str, port: int) -> None:
        self.bot = bot
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen on the configured address (port 0: any free port, then in `port`)."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        log.info("health: GET http://%s:%d/healthz", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def shards(self) -> dict[str, bool]:
        """Each shard this process runs, and whether it is connected."""
        bot = self.bot
        if isinstance(bot, discord.AutoShardedClient):
            ids = bot.shard_ids or list(range(bot.shard_count or 1))
            found = bot.shards
            return {str(i): i in found and not found[i].is_closed() and bot.is_ready() for i in ids}
        return {"0": bot.is_ready() and not bot.is_closed()}

    async def report(self) -> tuple[bool, dict[str, Any]]:
        """Whether the process is healthy, and what was found."""
        shards = self.shards()
        try:
            await asyncio.wait_for(self.bot.state.ping(), STATE_TIMEOUT)
            reachable = True
        except Exception:
            log.warning("health: the state database does not answer", exc_info=True)
            reachable = False
        state = {"reachable": reachable, "shared": self.bot.state.shared if reachable else None}
        healthy = reachable and bool(shards) and all(shards.values())
        store = {"id": self.bot.facts.store.store_id, "replaced": self.bot.live_facts.replaced}
        return healthy, {"ok": healthy, "shards": shards, "store": store, "state": state}

    async def _healthz(self, _request: web.Request) -> web.Response:
        healthy, body = await self.report()
        return web.json_response(body, status=200 if healthy else 503)
