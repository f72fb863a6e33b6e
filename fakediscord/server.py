"""A fake Discord (REST under ``/api/v10`` and a websocket gateway) on 127.0.0.1 for end-to-end tests.

The unmodified discord.py client logs into it once pointed at its URLs (see ``bot.discord_urls``).
Every request is recorded, every JSON body is checked against the pinned OpenAPI spec and against
the limits the spec misses (``fakediscord.limits``), and faults (403/404, 429, 5xx, gateway drops)
can be injected.

This module is the fake a test holds: configuration, start and stop, waiting for what the client does,
fault injection and driving the gateway. The REST side is `http` (each request matched, recorded,
checked, answered) and `routes` (the handlers); what was seen is in `state`; the gateway is `gateway`;
validation is `spec` and `limits`; the payloads sent are `builders` and `payloads`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
import socket
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from fakediscord import payloads
from fakediscord.builders import PayloadBuilders
from fakediscord.gateway import Gateway, GatewayFrame, Session
from fakediscord.http import RequestHandling
from fakediscord.routes import RestRoutes
from fakediscord.spec import SpecValidator, load_spec
from fakediscord.state import Fault, InteractionState, RecordedFile, RecordedRequest, compile_path_pattern

_log = logging.getLogger(__name__)

T = TypeVar("T")

# How long `wait_for_*` waits by default. Generous on purpose: a wait returns as soon as what it waits for
# happens, so the deadline only matters when it never does, and on a shared, loaded machine a client can
# take many times its usual second to start or answer. The error then names what never came.
WAIT_SECONDS = 60.0
# Connections the kernel may hold for the server before it accepts them: as many as it allows. With
# aiohttp's default of 128, a burst of interactions that makes a bot open a hundred connections while this
# loop is busy overflowed the queue now and then; the kernel then drops the handshake and the client
# retries after its one-second SYN timeout (three at the second try). That second is this server's, not
# Discord's, and it showed as answers one or three seconds late.
LISTEN_BACKLOG = socket.SOMAXCONN
_warned_spec_reasons: set[str] = set()


class FakeDiscord(RestRoutes, RequestHandling, PayloadBuilders):
    """A local Discord for tests: ``async with FakeDiscord(...) as fake:`` then point discord.py at it.

    Ids left out are generated. ``token`` restricts the accepted bot token (default: any non-empty);
    ``spec_path`` overrides ``$FAKEDISCORD_SPEC``/``shared/``; ``validate=False`` turns off both the
    spec and the own-limit checks; ``gateway_compression`` answers ``compress=zlib-stream`` with a
    zlib stream instead of plain text frames; ``echo_message_create`` dispatches MESSAGE_CREATE for
    the bot's own non-ephemeral messages when the client asked for the GUILD_MESSAGES intent.
    """

    def __init__(
        self,
        *,
        guild_id: int | None = None,
        channel_ids: Sequence[int] | None = None,
        channel_names: Sequence[str] | None = None,
        app_id: int | None = None,
        bot_user_id: int | None = None,
        bot_username: str = "factbot",
        guild_name: str = "Fake Guild",
        guild_locale: str = "en-US",
        user_id: int | None = None,
        username: str = "tester",
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        spec_path: Path | str | None = None,
        validate: bool = True,
        heartbeat_interval_ms: int = 41250,
        gateway_compression: bool = False,
        echo_message_create: bool = True,
        shard_count: int = 1,
        max_concurrency: int = 1,
        extra_guild_ids: Sequence[int] = (),
        extra_channels: Mapping[int, int] | None = None,
    ) -> None:
        self.guild_id = int(guild_id) if guild_id is not None else payloads.snowflake()
        # More guilds the bot is in (no channels of their own): with shards, guilds for every shard.
        self.extra_guild_ids = [int(g) for g in extra_guild_ids]
        # Text channels of those guilds: channel id -> guild id.
        self.extra_channels = {int(c): int(g) for c, g in (extra_channels or {}).items()}
        self.shard_count = shard_count
        self.max_concurrency = max_concurrency
        ids = list(channel_ids) if channel_ids else [payloads.snowflake(), payloads.snowflake()]
        self.channel_ids: list[int] = [int(c) for c in ids]
        names = list(channel_names or [])
        self.channel_names = [names[i] if i < len(names) else f"channel-{i}" for i in range(len(ids))]
        self.app_id = int(app_id) if app_id is not None else payloads.snowflake()
        self.bot_user_id = int(bot_user_id) if bot_user_id is not None else self.app_id
        self.bot_username = bot_username
        self.guild_name = guild_name
        self.guild_locale = guild_locale
        self.user_id = int(user_id) if user_id is not None else payloads.snowflake()
        self.username = username
        self.token = token
        self.host = host
        self.port = port
        self.validate = validate
        self.echo_message_create = echo_message_create
        # What READY advertises for RESUME; real Discord names another host than the one identified on.
        self.resume_gateway_url: str | None = None

        self.requests: list[RecordedRequest] = []
        self.gateway_frames: list[GatewayFrame] = []
        self.interactions: dict[int, InteractionState] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        # Nonces sent with enforce_nonce, per channel: a repeat is answered with the message first created.
        # Discord forgets them after a few minutes; the fake keeps them for its whole life.
        self.nonces: dict[tuple[int, str], int] = {}
        self.deduplicated: list[tuple[int, str]] = []  # every repeat answered so, in order
        self.files: dict[int, RecordedFile] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.everyone_permissions = payloads.DEFAULT_MEMBER_PERMISSIONS
        self.moderator_role_id = payloads.snowflake()
        self.bot_role_id = payloads.snowflake()
        # The permission overwrites of each channel, and whether the bot is still a member of the guild
        # (see `set_channel_overwrites`, `remove_bot_from_guild` and `add_bot_to_guild`).
        self.channel_overwrites: dict[int, list[dict[str, Any]]] = {}
        self.bot_in_guild = True

        self.spec: SpecValidator | None = None
        self.spec_skipped_reason: str | None = None
        if validate:
            self.spec, self.spec_skipped_reason = load_spec(Path(spec_path) if spec_path else None)
        else:
            self.spec_skipped_reason = "validation disabled"
        if self.spec_skipped_reason and self.spec_skipped_reason not in _warned_spec_reasons:
            _warned_spec_reasons.add(self.spec_skipped_reason)
            _log.warning("fakediscord: %s", self.spec_skipped_reason)

        self._faults: list[Fault] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._runner: web.AppRunner | None = None
        self._routes = self._build_routes()
        self.gateway = Gateway(
            ready_payload=self._ready_payload,
            guild_payloads=self._guild_payloads,
            members_chunk=self._members_chunk,
            check_token=self._token_ok,
            on_frame=self._record_frame,
            heartbeat_interval_ms=heartbeat_interval_ms,
            compression=gateway_compression,
            shard_count=shard_count,
        )

    # -- lifecycle ---------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        """REST base to give discord.py (``Route.BASE``)."""
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """Gateway websocket URL (also the ``resume_gateway_url`` in READY)."""
        return self.base_url.replace("http://", "ws://", 1) + "/gateway"

    async def start(self) -> FakeDiscord:
        """Bind the port and start serving."""
        if self._runner is not None:
            return self
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("GET", "/gateway", self.gateway.handle)
        app.router.add_route("GET", "/gateway/", self.gateway.handle)
        app.router.add_route(
            "GET", "/attachments/{channel_id}/{attachment_id}/{filename}", self._serve_attachment
        )
        app.router.add_route("*", "/api/{tail:.*}", self._handle_api)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        await web.SockSite(runner, sock, backlog=LISTEN_BACKLOG).start()
        self._runner = runner
        return self

    async def stop(self) -> None:
        """Close gateway connections and stop the server."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        await self.gateway.close_all()
        await runner.cleanup()
        for fut in self._waiters:
            if not fut.done():
                fut.cancel()
        self._waiters.clear()

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- waiting -----------------------------------------------------------------------------------

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    async def _wait_for(self, check: Callable[[], T | None], limit: float, what: str) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while True:
            result = check()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = ", ".join(f"{r.method} {r.path} -> {r.status}" for r in self.requests[-8:])
                frames = ", ".join(
                    f"{f.direction} op={f.op}" + (f" {f.t}" if f.t else "") for f in self.gateway_frames[-8:]
                )
                raise TimeoutError(
                    f"{what} never came (waited {limit:.0f} s); recent requests: [{recent}]; "
                    f"recent gateway frames: [{frames}]"
                )
            fut: asyncio.Future[None] = loop.create_future()
            self._waiters.append(fut)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(fut, remaining)

    def requests_to(self, method: str, path_pattern: str) -> list[RecordedRequest]:
        """Recorded requests for ``method`` (``"*"`` for any) whose path matches ``path_pattern``."""
        pattern = compile_path_pattern(path_pattern)
        method = method.upper()
        return [r for r in self.requests if method in ("*", r.method) and pattern.match(r.path)]

    async def wait_for_request(
        self,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        *,
        method: str | None = None,
        path: str | None = None,
        since: int = 0,
        timeout: float = WAIT_SECONDS,  # noqa: ASYNC109 - a per-call deadline reads better in tests
    ) -> RecordedRequest:
        """First answered request (from index ``since``) matching method/path/predicate, waiting if needed.

        A request is recorded before its handler runs; one still being handled (``status`` 0, no
        ``response``) is not returned, so the caller always sees what the fake answered.
        """
        pattern = compile_path_pattern(path) if path else None

        def check() -> RecordedRequest | None:
            for req in self.requests[since:]:
                if req.status == 0:
                    continue
                if method and req.method != method.upper():
                    continue
                if pattern and not pattern.match(req.path):
                    continue
                if predicate is None or predicate(req):
                    return req
            return None

        return await self._wait_for(check, timeout, f"request {method or '*'} {path or ''}")

    async def wait_for_gateway(
        self,
        *,
        op: int | None = None,
        event: str | None = None,
        direction: str = "in",
        since: int = 0,
        timeout: float = WAIT_SECONDS,  # noqa: ASYNC109 - a per-call deadline reads better in tests
    ) -> GatewayFrame:
        """First gateway frame (``"in"`` = from the client) with this op/event, waiting if needed."""

        def check() -> GatewayFrame | None:
            for frame in self.gateway_frames[since:]:
                if (
                    frame.direction == direction
                    and (op is None or frame.op == op)
                    and (event is None or frame.t == event)
                ):
                    return frame
            return None

        return await self._wait_for(check, timeout, f"gateway frame op={op} event={event} ({direction})")

    async def wait_until_identified(self, timeout: float = WAIT_SECONDS) -> Session:  # noqa: ASYNC109
        """Wait until a client has sent IDENTIFY and received READY."""
        return await self._wait_for(lambda: self.gateway.current, timeout, "gateway IDENTIFY")

    async def wait_for_callback(
        self,
        interaction_id: int | str,
        timeout: float = WAIT_SECONDS,  # noqa: ASYNC109 - a per-call deadline reads better in tests
    ) -> dict[str, Any]:
        """The accepted initial-response body for an interaction, waiting if needed.

        Returned once the callback request is answered too (not only accepted), so that the caller finds
        its recorded response: the handler may still be dispatching the message's MESSAGE_CREATE.
        """
        iid = int(interaction_id)

        def check() -> dict[str, Any] | None:
            state = self.interactions.get(iid)
            if state is None or not state.callbacks:
                return None
            handling = any(
                r.status == 0 and r.params.get("interaction_id") == str(iid) for r in reversed(self.requests)
            )
            return None if handling else state.callbacks[0]

        return await self._wait_for(check, timeout, f"callback of interaction {iid}")

    async def wait_for_message(
        self,
        channel_id: int | None = None,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        *,
        timeout: float = WAIT_SECONDS,  # noqa: ASYNC109 - a per-call deadline reads better in tests
    ) -> dict[str, Any]:
        """First stored message (in ``channel_id`` if given) matching ``predicate``, waiting if needed."""

        def check() -> dict[str, Any] | None:
            for msg in self.messages.values():
                if channel_id is not None and msg["channel_id"] != str(channel_id):
                    continue
                if predicate is None or predicate(msg):
                    return msg
            return None

        return await self._wait_for(check, timeout, f"message in channel {channel_id}")

    def channel_messages(self, channel_id: int) -> list[dict[str, Any]]:
        """Messages currently stored for a channel, oldest first."""
        return [m for m in self.messages.values() if m["channel_id"] == str(channel_id)]

    def _record_frame(self, frame: GatewayFrame) -> None:
        self.gateway_frames.append(frame)
        self._notify()

    # -- fault injection ---------------------------------------------------------------------------

    def fail_channel(self, channel_id: int, status: int = 403, times: int | None = None) -> None:
        """Answer every request on a channel with 403 Missing Access or 404 Unknown Channel."""
        body = (
            {"message": "Missing Access", "code": 50001}
            if status == 403
            else {"message": "Unknown Channel", "code": 10003}
            if status == 404
            else {"message": f"{status}: Error", "code": 0}
        )
        self._faults.append(Fault("*", re.compile(".*"), status, body, times, channel_id=int(channel_id)))

    def fail(
        self,
        method: str,
        path_pattern: str,
        status: int,
        *,
        times: int | None = 1,
        body: dict[str, Any] | None = None,
    ) -> None:
        """Answer matching requests with ``status`` (``times=None``: until ``clear_faults``)."""
        default = {"message": f"{status}: {_reason(status)}", "code": 0}
        self._faults.append(
            Fault(method.upper(), compile_path_pattern(path_pattern), status, body or default, times)
        )

    def fail_once(
        self, method: str, path_pattern: str, status: int = 500, body: dict[str, Any] | None = None
    ) -> None:
        """Answer the next matching request with ``status`` (discord.py retries 5xx after ~1 s)."""
        self.fail(method, path_pattern, status, times=1, body=body)

    def rate_limit(
        self,
        method: str,
        path_pattern: str,
        times: int = 1,
        retry_after: float = 0.05,
        *,
        is_global: bool = False,
    ) -> None:
        """Answer the next ``times`` matching requests with 429 and Discord's rate-limit headers."""
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global}
        headers = {
            "Retry-After": str(max(1, math.ceil(retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        self._faults.append(
            Fault(method.upper(), compile_path_pattern(path_pattern), 429, body, times, headers=headers)
        )

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        self._faults.clear()

    async def drop_gateway(self, code: int | None = None) -> None:
        """Cut the gateway connection (TCP abort, or a close frame with ``code``); the client RESUMEs."""
        await self.gateway.drop(code)

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT; discord.py closes and RESUMEs."""
        await self.gateway.request_reconnect()

    # -- gateway driving ---------------------------------------------------------------------------

    async def dispatch(self, event: str, data: Any) -> int:
        """Dispatch any gateway event to the current session; returns its sequence number."""
        return await self.gateway.dispatch(event, data)

    async def send_interaction(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Register an interaction and dispatch it as INTERACTION_CREATE; returns the payload."""
        iid = int(payload["id"])
        self.interactions[iid] = InteractionState(iid, payload["token"], int(payload["type"]), payload)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    def role_overwrite(self, role_id: int, *, allow: int = 0, deny: int = 0) -> dict[str, Any]:
        """A channel permission overwrite for a role (type 0; the guild's id is @everyone's)."""
        return {"id": str(role_id), "type": 0, "allow": str(allow), "deny": str(deny)}

    async def set_channel_overwrites(self, channel_id: int, overwrites: list[dict[str, Any]]) -> int:
        """Replace a channel's permission overwrites and dispatch CHANNEL_UPDATE, as a server admin would."""
        self.channel_overwrites[int(channel_id)] = list(overwrites)
        return await self.dispatch("CHANNEL_UPDATE", self.channel_payload(int(channel_id)))

    async def remove_bot_from_guild(self) -> int:
        """The bot is kicked from the guild: GUILD_DELETE without `unavailable` (which would be an outage)."""
        self.bot_in_guild = False
        return await self.dispatch("GUILD_DELETE", {"id": str(self.guild_id)})

    async def add_bot_to_guild(self) -> int:
        """The bot is invited (back): GUILD_CREATE with the whole guild and no `unavailable` key, which is
        how a client tells a join from a guild coming back after an outage (`unavailable: false`)."""
        self.bot_in_guild = True
        guild = self.guild_payload()
        del guild["unavailable"]
        return await self.dispatch("GUILD_CREATE", guild)

    def _token_ok(self, token: str) -> bool:
        token = token.removeprefix("Bot ").strip()
        return bool(token) and (self.token is None or token == self.token)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
