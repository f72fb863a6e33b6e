"""The websocket gateway of the fake: HELLO, heartbeats, IDENTIFY/READY, RESUME with replay, dispatch.

With a shard count above one it is sharded as Discord is: IDENTIFY must name `[shard_id, shard_count]`
(close 4011 without it, 4010 for a wrong one), each shard is a session of its own, and a guild's events go
to the session of its shard, `(guild_id >> 22) % shard_count`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import secrets
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

_log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE_STATE = 0, 1, 2, 3, 4
RESUME, RECONNECT, REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 7, 8, 9, 10, 11
_CLIENT_OPS = {HEARTBEAT, IDENTIFY, PRESENCE, VOICE_STATE, RESUME, REQUEST_MEMBERS}

CLOSE_UNKNOWN_OPCODE = 4001
CLOSE_DECODE_ERROR = 4002
CLOSE_NOT_AUTHENTICATED = 4003
CLOSE_AUTHENTICATION_FAILED = 4004
CLOSE_ALREADY_AUTHENTICATED = 4005
CLOSE_INVALID_SHARD = 4010
CLOSE_SHARDING_REQUIRED = 4011


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard that serves a guild, as Discord computes it."""
    return (int(guild_id) >> 22) % shard_count


@dataclass
class GatewayFrame:
    """One gateway payload, as sent (``"out"``) or received (``"in"``) by the fake."""

    direction: str
    op: int | None
    t: str | None
    s: int | None
    d: Any
    connection: int
    at: float = field(default_factory=time.monotonic)


class Connection:
    """One websocket connection; serialises sends so the optional zlib stream stays in order."""

    _ids = itertools.count(1)

    def __init__(self, ws: web.WebSocketResponse, request: web.Request, *, compress: bool) -> None:
        self.id = next(self._ids)
        self.ws = ws
        self.request = request
        self.session: Session | None = None
        self._lock = asyncio.Lock()
        self._compressor = zlib.compressobj() if compress else None

    @property
    def compressed(self) -> bool:
        """Whether frames go out as a zlib stream (binary) instead of plain text."""
        return self._compressor is not None

    async def send(self, payload: dict[str, Any]) -> bool:
        """Send one payload; False if the socket is already gone."""
        text = json.dumps(payload, separators=(",", ":"))
        async with self._lock:
            if self.ws.closed:
                return False
            try:
                if self._compressor is not None:
                    data = self._compressor.compress(text.encode()) + self._compressor.flush(
                        zlib.Z_SYNC_FLUSH
                    )
                    await self.ws.send_bytes(data)
                else:
                    await self.ws.send_str(text)
            except (ConnectionError, RuntimeError):
                return False
        return True


class Session:
    """A gateway session: its sequence, every dispatched event (for RESUME replay), its connection."""

    def __init__(self, identify: dict[str, Any]) -> None:
        self.session_id = secrets.token_hex(16)
        self.identify = identify
        self.seq = 0
        self.events: list[dict[str, Any]] = []
        self.connection: Connection | None = None
        self.lock = asyncio.Lock()

    @property
    def intents(self) -> int:
        """The intents the client identified with."""
        return int(self.identify.get("intents") or 0)

    @property
    def shard_id(self) -> int:
        """The shard the client identified as (0 without sharding)."""
        shard = self.identify.get("shard")
        return int(shard[0]) if isinstance(shard, list) and shard else 0


class Gateway:
    """Serves ``/gateway`` and keeps sessions; payload contents come from the owning fake."""

    def __init__(
        self,
        *,
        ready_payload: Callable[[Session], dict[str, Any]],
        guild_payloads: Callable[[Session], list[dict[str, Any]]],
        members_chunk: Callable[[dict[str, Any]], dict[str, Any]],
        check_token: Callable[[str], bool],
        on_frame: Callable[[GatewayFrame], None],
        heartbeat_interval_ms: int,
        compression: bool,
        shard_count: int = 1,
    ) -> None:
        self._ready_payload = ready_payload
        self._guild_payloads = guild_payloads
        self._members_chunk = members_chunk
        self._check_token = check_token
        self._on_frame = on_frame
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.compression = compression
        self.sessions: dict[str, Session] = {}
        self.current: Session | None = None
        self.connections: set[Connection] = set()
        self.shard_count = shard_count
        self.shards: dict[int, Session] = {}  # the latest session of each shard
        self.identified: list[tuple[int, float]] = []  # (shard id, monotonic time) of every IDENTIFY

    # -- sending -----------------------------------------------------------------------------------

    async def _send(self, conn: Connection, payload: dict[str, Any]) -> bool:
        self._on_frame(
            GatewayFrame(
                "out", payload.get("op"), payload.get("t"), payload.get("s"), payload.get("d"), conn.id
            )
        )
        return await conn.send(payload)

    def session_for(self, data: Any) -> Session | None:
        """The session an event belongs to: its guild's shard's, when sharded; else the current one."""
        guild_id = data.get("guild_id") if isinstance(data, dict) else None
        if self.shard_count > 1 and guild_id is not None:
            return self.shards.get(shard_of(int(guild_id), self.shard_count))
        return self.current

    async def dispatch(self, event: str, data: Any, session: Session | None = None) -> int:
        """Send a DISPATCH to the session (queued for RESUME replay if it is disconnected); without one,
        to the session of the event's guild's shard."""
        session = session or self.session_for(data)
        if session is None:
            raise RuntimeError("no client has identified on the gateway yet")
        async with session.lock:
            return await self._dispatch_locked(session, event, data)

    async def _dispatch_locked(self, session: Session, event: str, data: Any) -> int:
        session.seq += 1
        payload = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        session.events.append(payload)
        conn = session.connection
        if conn is not None and not await self._send(conn, payload):
            session.connection = None
        return session.seq

    # -- connection lifecycle ----------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """aiohttp handler for the gateway websocket."""
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        if not ws.can_prepare(request).ok:
            return web.Response(status=400, text="Expected a websocket upgrade")
        await ws.prepare(request)
        if request.query.get("encoding", "json") != "json":
            await ws.close(code=CLOSE_DECODE_ERROR, message=b"only encoding=json is supported")
            return ws
        compress = self.compression and request.query.get("compress") == "zlib-stream"
        conn = Connection(ws, request, compress=compress)
        self.connections.add(conn)
        try:
            await self._send(conn, {"op": HELLO, "s": None, "t": None, "d": self._hello()})
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    if not await self._received(conn, msg.data):
                        break
                elif msg.type is WSMsgType.BINARY:
                    await ws.close(code=CLOSE_DECODE_ERROR, message=b"binary frames are not supported")
                    break
                elif msg.type is WSMsgType.ERROR:
                    break
        finally:
            self.connections.discard(conn)
            if conn.session is not None and conn.session.connection is conn:
                conn.session.connection = None
        return ws

    def _hello(self) -> dict[str, Any]:
        return {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ['["fakediscord-gateway",{}]']}

    async def _received(self, conn: Connection, text: str) -> bool:
        try:
            payload = json.loads(text)
            op = payload["op"]
        except (ValueError, KeyError, TypeError):
            await conn.ws.close(code=CLOSE_DECODE_ERROR, message=b"Error while decoding payload.")
            return False
        data = payload.get("d")
        self._on_frame(GatewayFrame("in", op, None, None, data, conn.id))
        if op not in _CLIENT_OPS:
            await conn.ws.close(code=CLOSE_UNKNOWN_OPCODE, message=b"Unknown opcode.")
            return False
        if op == HEARTBEAT:
            await self._send(conn, {"op": HEARTBEAT_ACK, "s": None, "t": None, "d": None})
            return True
        if op == IDENTIFY:
            return await self._identify(conn, data or {})
        if op == RESUME:
            return await self._resume(conn, data or {})
        if conn.session is None:
            await conn.ws.close(code=CLOSE_NOT_AUTHENTICATED, message=b"Not authenticated.")
            return False
        if op == REQUEST_MEMBERS:
            await self.dispatch("GUILD_MEMBERS_CHUNK", self._members_chunk(data or {}), conn.session)
        return True

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> bool:
        if conn.session is not None:
            await conn.ws.close(code=CLOSE_ALREADY_AUTHENTICATED, message=b"Already authenticated.")
            return False
        if not self._check_token(str(data.get("token", ""))):
            await conn.ws.close(code=CLOSE_AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return False
        shard = data.get("shard")
        if shard is None and self.shard_count > 1:
            await conn.ws.close(code=CLOSE_SHARDING_REQUIRED, message=b"Sharding required.")
            return False
        if shard is not None and not (
            isinstance(shard, list)
            and len(shard) == 2
            and all(isinstance(n, int) for n in shard)
            and shard[1] == self.shard_count
            and 0 <= shard[0] < shard[1]
        ):
            await conn.ws.close(code=CLOSE_INVALID_SHARD, message=b"Invalid shard.")
            return False
        session = Session(data)
        self.sessions[session.session_id] = session
        self.current = session
        self.shards[session.shard_id] = session
        self.identified.append((session.shard_id, time.monotonic()))
        _log.info("fakediscord: shard %d of %d identified", session.shard_id, self.shard_count)
        async with session.lock:
            session.connection = conn
            conn.session = session
            await self._dispatch_locked(session, "READY", self._ready_payload(session))
            for guild in self._guild_payloads(session):
                await self._dispatch_locked(session, "GUILD_CREATE", guild)
        return True

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> bool:
        session = self.sessions.get(str(data.get("session_id")))
        token_ok = self._check_token(str(data.get("token", "")))
        seq = data.get("seq")
        if session is None or not token_ok or not isinstance(seq, int) or seq > session.seq:
            await self._send(conn, {"op": INVALID_SESSION, "s": None, "t": None, "d": False})
            return True
        async with session.lock:
            old = session.connection
            if old is not None and old is not conn:
                old.session = None
                await old.ws.close(code=4000, message=b"Session resumed elsewhere.")
            session.connection = conn
            conn.session = session
            self.current = session
            self.shards[session.shard_id] = session
            for event in session.events:
                if event["s"] > seq and not await self._send(conn, event):
                    session.connection = None
                    return False
            await self._dispatch_locked(session, "RESUMED", {"_trace": ['["fakediscord-gateway",{}]']})
        return True

    async def drop(self, code: int | None = None) -> None:
        """Cut the current session's connection: abort the TCP stream, or close with ``code``."""
        session = self.current
        conn = session.connection if session else None
        if session is None or conn is None:
            raise RuntimeError("no connected gateway session to drop")
        async with session.lock:
            session.connection = None
            conn.session = None
        if code is None and conn.request.transport is not None:
            conn.request.transport.abort()
        else:
            await conn.ws.close(code=code or 4000, message=b"Dropped by the test.")

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT so the client closes and RESUMEs by itself."""
        session = self.current
        if session is None or session.connection is None:
            raise RuntimeError("no connected gateway session")
        await self._send(session.connection, {"op": RECONNECT, "s": None, "t": None, "d": None})

    async def close_all(self) -> None:
        """Close every open connection (server shutdown)."""
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001, message=b"Fake Discord stopping.")
        self.connections.clear()
