"""A fake Discord (REST under ``/api/v10`` and a websocket gateway) on 127.0.0.1 for end-to-end tests.

The unmodified discord.py client logs into it once pointed at its URLs (see ``bot.discord_urls``).
Every request is recorded, every JSON body is checked against the pinned OpenAPI spec and against
the limits the spec misses (``fakediscord.limits``), and faults (403/404, 429, 5xx, gateway drops)
can be injected.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import hashlib
import json
import logging
import math
import re
import socket
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import hdrs, web

from fakediscord import payloads
from fakediscord.builders import PayloadBuilders
from fakediscord.errors import ErrorCollector, error_body, max_length
from fakediscord.gateway import Gateway, GatewayFrame, Session
from fakediscord.limits import check_request_limits
from fakediscord.spec import SpecValidator, load_spec

_log = logging.getLogger(__name__)

T = TypeVar("T")

API_PREFIX = re.compile(r"^/api(?:/v(?P<version>\d+))?(?P<path>/.*)?$")
EPHEMERAL = 1 << 6
LOADING = 1 << 7
GUILD_MESSAGES_INTENT = 1 << 9
MAX_FILES = 10

_MESSAGE_KEYS = ("content", "embeds", "components", "attachments", "poll", "sticker_ids")
# How long `wait_for_*` waits by default. Generous on purpose: a wait returns as soon as what it waits for
# happens, so the deadline only matters when it never does, and on a shared, loaded machine a client can
# take many times its usual second to start or answer. The error then names what never came.
WAIT_SECONDS = 60.0
_warned_spec_reasons: set[str] = set()


# ---------------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------------


@dataclass
class RecordedFile:
    """A file part of a multipart request."""

    field: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One HTTP request the fake received, with what it answered."""

    method: str
    path: str
    template: str | None
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[RecordedFile]
    headers: dict[str, str]
    at: float
    status: int = 0
    response: Any = None


@dataclass
class InteractionState:
    """What the fake knows about an interaction it dispatched."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        """Whether an initial response was accepted."""
        return bool(self.callbacks)


@dataclass
class _Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: dict[str, Any]
    times: int | None
    headers: dict[str, str] = field(default_factory=dict)
    channel_id: int | None = None

    def matches(self, method: str, path: str, params: Mapping[str, str]) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.channel_id is not None:
            return params.get("channel_id") == str(self.channel_id)
        return self.method in ("*", method) and bool(self.pattern.match(path))


class _HTTPError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("message"))
        self.status = status
        self.body = body


def _not_found(what: str, code: int) -> _HTTPError:
    return _HTTPError(404, {"message": f"Unknown {what}", "code": code})


def _form_error(errors: Mapping[str, Any]) -> _HTTPError:
    return _HTTPError(400, error_body(errors))


def compile_path_pattern(pattern: str) -> re.Pattern[str]:
    """Compile ``/channels/{id}/messages``-style patterns: ``{x}``/``*`` is one segment, ``**`` any rest."""
    m = API_PREFIX.match(pattern)
    if m and m.group("path"):
        pattern = m.group("path")
    parts = []
    for seg in pattern.strip("/").split("/"):
        if seg == "**":
            parts.append(".*")
        elif seg == "*" or (seg.startswith("{") and seg.endswith("}")):
            parts.append("[^/]+")
        else:
            parts.append(re.escape(seg))
    return re.compile("^/" + "/".join(parts) + "/?$")


class _Route:
    def __init__(
        self, method: str, template: str, handler: Callable[..., Awaitable[Any]], *, auth: bool
    ) -> None:
        self.method = method
        self.template = template
        self.handler = handler
        self.auth = auth
        segs = template.strip("/").split("/")
        self.literals = sum(1 for s in segs if not s.startswith("{"))
        self.length = len(segs)
        self.regex = re.compile(
            "^/"
            + "/".join(f"(?P<{s[1:-1]}>[^/]+)" if s.startswith("{") else re.escape(s) for s in segs)
            + "/?$"
        )


# ---------------------------------------------------------------------------------------------------
# The fake
# ---------------------------------------------------------------------------------------------------


class FakeDiscord(PayloadBuilders):
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
    ) -> None:
        self.guild_id = int(guild_id) if guild_id is not None else payloads.snowflake()
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
        self.files: dict[int, RecordedFile] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.everyone_permissions = payloads.DEFAULT_MEMBER_PERMISSIONS
        self.moderator_role_id = payloads.snowflake()
        self.bot_role_id = payloads.snowflake()

        self.spec: SpecValidator | None = None
        self.spec_skipped_reason: str | None = None
        if validate:
            self.spec, self.spec_skipped_reason = load_spec(Path(spec_path) if spec_path else None)
        else:
            self.spec_skipped_reason = "validation disabled"
        if self.spec_skipped_reason and self.spec_skipped_reason not in _warned_spec_reasons:
            _warned_spec_reasons.add(self.spec_skipped_reason)
            _log.warning("fakediscord: %s", self.spec_skipped_reason)

        self._faults: list[_Fault] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._runner: web.AppRunner | None = None
        self._routes = self._build_routes()
        self.gateway = Gateway(
            ready_payload=self._ready_payload,
            guild_payloads=lambda _session: [self.guild_payload()],
            members_chunk=self._members_chunk,
            check_token=self._token_ok,
            on_frame=self._record_frame,
            heartbeat_interval_ms=heartbeat_interval_ms,
            compression=gateway_compression,
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
        await web.SockSite(runner, sock).start()
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
        self._faults.append(_Fault("*", re.compile(".*"), status, body, times, channel_id=int(channel_id)))

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
            _Fault(method.upper(), compile_path_pattern(path_pattern), status, body or default, times)
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
            _Fault(method.upper(), compile_path_pattern(path_pattern), 429, body, times, headers=headers)
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

    def _token_ok(self, token: str) -> bool:
        token = token.removeprefix("Bot ").strip()
        return bool(token) and (self.token is None or token == self.token)

    # -- HTTP plumbing -----------------------------------------------------------------------------

    def _build_routes(self) -> list[_Route]:
        app = "/applications/{application_id}"
        guild_cmds = app + "/guilds/{guild_id}/commands"
        webhook = "/webhooks/{webhook_id}/{webhook_token}"
        channel = "/channels/{channel_id}"
        table: list[tuple[str, str, Callable[[RecordedRequest], Awaitable[tuple[int, Any]]], bool]] = [
            ("GET", "/users/@me", self._get_me, True),
            ("GET", "/users/{user_id}", self._get_user, True),
            ("GET", "/oauth2/applications/@me", self._get_application, True),
            ("GET", "/applications/@me", self._get_application, True),
            ("GET", "/gateway", self._get_gateway, False),
            ("GET", "/gateway/bot", self._get_gateway_bot, True),
            ("GET", app + "/commands", self._list_commands, True),
            ("PUT", app + "/commands", self._put_commands, True),
            ("POST", app + "/commands", self._post_command, True),
            ("GET", guild_cmds, self._list_commands, True),
            ("PUT", guild_cmds, self._put_commands, True),
            ("POST", guild_cmds, self._post_command, True),
            ("POST", "/interactions/{interaction_id}/{interaction_token}/callback", self._callback, False),
            ("POST", webhook, self._execute_webhook, False),
            ("GET", webhook + "/messages/{message_id}", self._get_wh_msg, False),
            ("PATCH", webhook + "/messages/{message_id}", self._edit_wh_msg, False),
            ("DELETE", webhook + "/messages/{message_id}", self._delete_wh_msg, False),
            ("GET", channel, self._get_channel, True),
            ("POST", channel + "/typing", self._typing, True),
            ("GET", channel + "/messages", self._list_messages, True),
            ("POST", channel + "/messages", self._create_message, True),
            ("GET", channel + "/messages/{message_id}", self._get_message, True),
            ("PATCH", channel + "/messages/{message_id}", self._edit_message, True),
            ("DELETE", channel + "/messages/{message_id}", self._delete_message, True),
            ("PUT", channel + "/messages/{message_id}/reactions/{emoji}/@me", self._no_content, True),
            ("GET", "/guilds/{guild_id}", self._get_guild, True),
            ("GET", "/guilds/{guild_id}/channels", self._get_guild_channels, True),
        ]
        routes = [_Route(method, template, handler, auth=auth) for method, template, handler, auth in table]
        return sorted(routes, key=lambda rt: (-rt.literals, -rt.length))

    def _match_route(self, method: str, path: str) -> tuple[_Route | None, dict[str, str], bool]:
        path_known = False
        for route in self._routes:
            m = route.regex.match(path)
            if not m:
                continue
            path_known = True
            if route.method == method:
                return route, m.groupdict(), True
        return None, {}, path_known

    def _ratelimit_headers(self, method: str, template: str, params: Mapping[str, str]) -> dict[str, str]:
        major = params.get("channel_id") or params.get("guild_id") or params.get("webhook_id") or ""
        bucket = hashlib.sha1(f"{method} {template} {major}".encode(), usedforsecurity=False).hexdigest()[:32]
        return {
            "X-RateLimit-Bucket": bucket,
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": "49",
            "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
        }

    def _json_response(
        self, status: int, body: Any, headers: Mapping[str, str] | None = None
    ) -> web.Response:
        # discord.py only decodes JSON when the Content-Type is exactly application/json (no charset),
        # and only honours a 429 when a Via header is present (otherwise it assumes a Cloudflare ban).
        out = {"Via": "1.1 google", **(headers or {})}
        if status == 204 or body is None:
            return web.Response(status=status, headers=out)
        out["Content-Type"] = "application/json"
        return web.Response(status=status, body=json.dumps(body, separators=(",", ":")).encode(), headers=out)

    async def _read_body(self, request: web.Request) -> tuple[Any, list[RecordedFile], str]:
        ctype = request.content_type
        if ctype == "multipart/form-data":
            body: Any = None
            files: list[RecordedFile] = []
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not hasattr(part, "read"):
                    continue
                name = part.name or ""
                if name == "payload_json":
                    text = await part.text()
                    try:
                        body = json.loads(text)
                    except ValueError as exc:
                        raise _HTTPError(
                            400, {"message": "The request body contains invalid JSON.", "code": 50109}
                        ) from exc
                else:
                    data = bytes(await part.read(decode=False))
                    files.append(
                        RecordedFile(name, part.filename or name, part.headers.get(hdrs.CONTENT_TYPE), data)
                    )
            return body, files, ctype
        raw = await request.read()
        if not raw:
            return None, [], ctype
        if ctype != "application/json":
            return raw.decode("utf-8", "replace"), [], ctype
        try:
            return json.loads(raw), [], ctype
        except ValueError as exc:
            raise _HTTPError(
                400, {"message": "The request body contains invalid JSON.", "code": 50109}
            ) from exc

    def _validate(self, method: str, path: str, template: str, body: Any, ctype: str) -> None:
        errors = ErrorCollector()
        if self.spec is not None:
            op = self.spec.match(method, path)
            if op is not None and op.has_body:
                errors.merge(self.spec.validate(op, body, ctype or "application/json"))
        errors.merge(check_request_limits(method, template, body))
        if errors:
            raise _form_error(errors.nested())

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        started = time.monotonic()
        m = API_PREFIX.match(request.path)
        path = (m.group("path") if m else None) or "/"
        method = request.method.upper()
        route, params, path_known = self._match_route(method, path)
        record = RecordedRequest(
            method=method,
            path=path,
            template=route.template if route else None,
            params=params,
            query=dict(request.query),
            json=None,
            files=[],
            headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
            at=started,
        )
        rl_headers = self._ratelimit_headers(method, route.template if route else path, params)
        try:
            try:
                record.json, record.files, ctype = await self._read_body(request)
            finally:
                self.requests.append(record)
            if route is None:
                if path_known:
                    raise _HTTPError(405, {"message": "405: Method Not Allowed", "code": 0})
                raise _HTTPError(404, {"message": "404: Not Found", "code": 0})
            if route.auth and not self._token_ok(request.headers.get("Authorization", "")):
                raise _HTTPError(401, {"message": "401: Unauthorized", "code": 0})
            fault = next((f for f in self._faults if f.matches(method, path, params)), None)
            if fault is not None:
                if fault.times is not None:
                    fault.times -= 1
                status, body = fault.status, copy.deepcopy(fault.body)
                headers = {**rl_headers, **fault.headers} if status == 429 else rl_headers
                if status == 429:
                    reset_after = float(fault.body.get("retry_after", 1))
                    headers["X-RateLimit-Reset"] = f"{time.time() + reset_after:.3f}"
                return self._finish(record, status, body, headers)
            if self.validate and record.json is not None and method in ("POST", "PUT", "PATCH"):
                self._validate(method, path, route.template, record.json, ctype)
            status, body = await route.handler(record)
            return self._finish(record, status, body, rl_headers)
        except _HTTPError as exc:
            return self._finish(record, exc.status, exc.body, rl_headers)
        except Exception:
            # A bug in the fake: answered and recorded as a 500, so that no wait blocks on a request that
            # would otherwise stay unanswered in the record.
            _log.exception("fakediscord: %s %s failed", method, path)
            return self._finish(record, 500, {"message": "500: Internal Server Error", "code": 0}, rl_headers)

    def _finish(
        self, record: RecordedRequest, status: int, body: Any, headers: Mapping[str, str]
    ) -> web.Response:
        record.status = status
        record.response = body
        self._notify()
        return self._json_response(status, body, headers)

    async def _serve_attachment(self, request: web.Request) -> web.StreamResponse:
        stored = self.files.get(int(request.match_info["attachment_id"]))
        if stored is None:
            return self._json_response(404, {"message": "404: Not Found", "code": 0})
        return web.Response(body=stored.data, content_type=stored.content_type or "application/octet-stream")

    # -- handlers: identity ------------------------------------------------------------------------

    async def _get_me(self, _req: RecordedRequest) -> tuple[int, Any]:
        return 200, payloads.bot_self_user(self.bot_user_id, self.bot_username)

    async def _get_user(self, req: RecordedRequest) -> tuple[int, Any]:
        uid = int(req.params["user_id"])
        if uid == self.bot_user_id:
            return 200, self.bot_user()
        return 200, self.user_payload(self.user_id if uid == self.user_id else uid)

    async def _get_application(self, _req: RecordedRequest) -> tuple[int, Any]:
        owner = self.user_payload()
        app = payloads.application(self.app_id, owner, self.bot_username)
        app["bot"] = self.bot_user()
        return 200, app

    async def _get_gateway(self, _req: RecordedRequest) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    async def _get_gateway_bot(self, _req: RecordedRequest) -> tuple[int, Any]:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1}
        return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    # -- handlers: commands ------------------------------------------------------------------------

    def _command_scope(self, req: RecordedRequest) -> tuple[list[dict[str, Any]], int | None]:
        if int(req.params["application_id"]) != self.app_id:
            raise _HTTPError(403, {"message": "Missing Access", "code": 50001})
        if "guild_id" in req.params:
            gid = int(req.params["guild_id"])
            if gid != self.guild_id:
                raise _HTTPError(403, {"message": "Missing Access", "code": 50001})
            return self.guild_commands.setdefault(gid, []), gid
        return self.global_commands, None

    async def _list_commands(self, req: RecordedRequest) -> tuple[int, Any]:
        scope, _ = self._command_scope(req)
        return 200, copy.deepcopy(scope)

    async def _put_commands(self, req: RecordedRequest) -> tuple[int, Any]:
        scope, gid = self._command_scope(req)
        existing = {(c["name"], c.get("type", 1)): c for c in scope}
        echoed = []
        for cmd in req.json or []:
            old = existing.get((cmd["name"], cmd.get("type") or 1))
            cid = int(old["id"]) if old else payloads.snowflake()
            echoed.append(
                payloads.command_echo(cmd, command_id=cid, application_id=self.app_id, guild_id=gid)
            )
        scope[:] = echoed
        return 200, copy.deepcopy(echoed)

    async def _post_command(self, req: RecordedRequest) -> tuple[int, Any]:
        scope, gid = self._command_scope(req)
        cmd = req.json or {}
        key = (cmd.get("name"), cmd.get("type") or 1)
        for i, old in enumerate(scope):
            if (old["name"], old.get("type", 1)) == key:
                scope[i] = payloads.command_echo(
                    cmd, command_id=int(old["id"]), application_id=self.app_id, guild_id=gid
                )
                return 200, copy.deepcopy(scope[i])
        echoed = payloads.command_echo(
            cmd, command_id=payloads.snowflake(), application_id=self.app_id, guild_id=gid
        )
        scope.append(echoed)
        return 201, copy.deepcopy(echoed)

    # -- handlers: messages ------------------------------------------------------------------------

    def _known_channel(self, channel_id: str) -> int:
        cid = int(channel_id)
        if cid not in self.channel_ids:
            raise _not_found("Channel", 10003)
        return cid

    def _attachments(self, channel_id: int, body: Mapping[str, Any], files: list[RecordedFile]) -> list[dict]:
        if len(files) > MAX_FILES:
            errors = ErrorCollector()
            errors.add_pair(("files",), max_length(MAX_FILES))
            raise _form_error(errors.nested())
        if any(len(f.data) > payloads.ATTACHMENT_SIZE_LIMIT for f in files):
            raise _HTTPError(413, {"message": "Request entity too large", "code": 40005})
        by_field = {f.field: f for f in files}
        declared = {str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, Mapping)}
        result = []
        for index, f in enumerate(files):
            match = re.fullmatch(r"files\[(\d+)\]", f.field)
            key = match.group(1) if match else str(index)
            meta = declared.get(key, {})
            aid = payloads.snowflake()
            filename = meta.get("filename") or f.filename
            self.files[aid] = by_field[f.field]
            url = f"{self.base_url}/attachments/{channel_id}/{aid}/{filename}"
            att = payloads.attachment(aid, filename, f.data, f.content_type, url)
            if meta.get("description"):
                att["description"] = meta["description"]
            result.append(att)
        return result

    def _store_message(
        self,
        channel_id: int,
        body: Mapping[str, Any],
        *,
        files: list[RecordedFile] | None = None,
        webhook_id: int | None = None,
        application_id: int | None = None,
        message_type: int = 0,
        interaction: InteractionState | None = None,
    ) -> dict[str, Any]:
        mid = payloads.snowflake()
        metadata = None
        if interaction is not None:
            metadata = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": (interaction.payload.get("member") or {}).get("user")
                or interaction.payload.get("user"),
                "authorizing_integration_owners": interaction.payload.get(
                    "authorizing_integration_owners", {}
                ),
            }
        msg = payloads.message(
            mid,
            channel_id,
            self.bot_user(),
            dict(body),
            guild_id=self.guild_id if channel_id in self.channel_ids else None,
            attachments=self._attachments(channel_id, body, files or []),
            webhook_id=webhook_id,
            application_id=application_id,
            message_type=message_type,
            interaction_metadata=metadata,
        )
        self.messages[mid] = msg
        self._notify()
        return msg

    def _update_message(
        self, msg: dict[str, Any], body: Mapping[str, Any], files: list[RecordedFile]
    ) -> dict[str, Any]:
        channel_id = int(msg["channel_id"])
        rendered = payloads.message(int(msg["id"]), channel_id, msg["author"], {**body, "flags": 0})
        for key in ("content", "embeds", "components"):
            if key in body:
                msg[key] = rendered[key]
        if "flags" in body and body["flags"] is not None:
            msg["flags"] = (msg.get("flags", 0) & EPHEMERAL) | int(body["flags"])
        msg["flags"] = msg.get("flags", 0) & ~LOADING
        if "attachments" in body or files:
            kept_ids = {str(a.get("id")) for a in body.get("attachments") or [] if isinstance(a, Mapping)}
            kept = [a for a in msg.get("attachments", []) if a["id"] in kept_ids]
            msg["attachments"] = kept + self._attachments(channel_id, body, files)
        msg["edited_timestamp"] = payloads.iso_now()
        self._notify()
        return msg

    async def _echo_create(self, msg: dict[str, Any]) -> None:
        session = self.gateway.current
        if not self.echo_message_create or session is None or msg.get("flags", 0) & EPHEMERAL:
            return
        if session.intents & GUILD_MESSAGES_INTENT and "guild_id" in msg:
            event = dict(msg)
            event["member"] = {
                k: v for k, v in payloads.member(self.bot_user(), [self.bot_role_id]).items() if k != "user"
            }
            await self.gateway.dispatch("MESSAGE_CREATE", event, session)

    @staticmethod
    def _require_not_empty(body: Mapping[str, Any] | None, files: list[RecordedFile]) -> None:
        if files:
            return
        if not body or not any(body.get(k) for k in _MESSAGE_KEYS):
            raise _HTTPError(400, {"message": "Cannot send an empty message", "code": 50006})

    async def _get_channel(self, req: RecordedRequest) -> tuple[int, Any]:
        return 200, self.channel_payload(self._known_channel(req.params["channel_id"]))

    async def _typing(self, req: RecordedRequest) -> tuple[int, Any]:
        self._known_channel(req.params["channel_id"])
        return 204, None

    async def _no_content(self, _req: RecordedRequest) -> tuple[int, Any]:
        return 204, None

    async def _list_messages(self, req: RecordedRequest) -> tuple[int, Any]:
        cid = self._known_channel(req.params["channel_id"])
        limit = int(req.query.get("limit", 50))
        return 200, list(reversed(self.channel_messages(cid)))[:limit]

    async def _create_message(self, req: RecordedRequest) -> tuple[int, Any]:
        cid = self._known_channel(req.params["channel_id"])
        body = req.json or {}
        self._require_not_empty(body, req.files)
        msg = self._store_message(cid, body, files=req.files)
        await self._echo_create(msg)
        return 200, copy.deepcopy(msg)

    def _channel_message(self, req: RecordedRequest) -> dict[str, Any]:
        cid = self._known_channel(req.params["channel_id"])
        msg = self.messages.get(int(req.params["message_id"]))
        if msg is None or msg["channel_id"] != str(cid):
            raise _not_found("Message", 10008)
        return msg

    async def _get_message(self, req: RecordedRequest) -> tuple[int, Any]:
        return 200, copy.deepcopy(self._channel_message(req))

    async def _edit_message(self, req: RecordedRequest) -> tuple[int, Any]:
        msg = self._channel_message(req)
        return 200, copy.deepcopy(self._update_message(msg, req.json or {}, req.files))

    async def _delete_message(self, req: RecordedRequest) -> tuple[int, Any]:
        msg = self._channel_message(req)
        del self.messages[int(msg["id"])]
        self._notify()
        return 204, None

    async def _get_guild(self, req: RecordedRequest) -> tuple[int, Any]:
        if int(req.params["guild_id"]) != self.guild_id:
            raise _not_found("Guild", 10004)
        guild = self.guild_payload()
        for key in (
            "members",
            "channels",
            "threads",
            "presences",
            "voice_states",
            "joined_at",
            "member_count",
        ):
            guild.pop(key, None)
        return 200, guild

    async def _get_guild_channels(self, req: RecordedRequest) -> tuple[int, Any]:
        if int(req.params["guild_id"]) != self.guild_id:
            raise _not_found("Guild", 10004)
        return 200, [self.channel_payload(c) for c in self.channel_ids]

    # -- handlers: interactions --------------------------------------------------------------------

    async def _callback(self, req: RecordedRequest) -> tuple[int, Any]:
        state = self.interactions.get(int(req.params["interaction_id"]))
        if state is None or state.token != req.params["interaction_token"]:
            raise _not_found("interaction", 10062)
        if state.acknowledged:
            raise _HTTPError(400, {"message": "Interaction has already been acknowledged.", "code": 40060})
        body = req.json or {}
        kind = body.get("type")
        allowed = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}.get(state.type, {1})
        if kind not in allowed:
            errors = ErrorCollector()
            message = f"Callback type {kind} is not valid for interaction type {state.type}"
            errors.add(("type",), "INTERACTION_CALLBACK_TYPE_INVALID", message)
            raise _form_error(errors.nested())
        data = body.get("data") or {}
        if kind == 4:
            self._require_not_empty(data, req.files)
        channel_id = int(state.payload.get("channel_id", 0))
        message: dict[str, Any] | None = None
        if kind in (4, 5):
            msg_body = dict(data)
            if kind == 5:
                msg_body = {"content": "", "flags": (int(data.get("flags") or 0) & EPHEMERAL) | LOADING}
            message = self._store_message(
                channel_id,
                msg_body,
                files=req.files if kind == 4 else None,
                webhook_id=self.app_id,
                application_id=self.app_id,
                message_type=20 if state.type == 2 else 19,
                interaction=state,
            )
            state.original_message_id = int(message["id"])
        elif kind in (6, 7):
            source = state.payload.get("message") or {}
            stored = self.messages.get(int(source["id"])) if source.get("id") else None
            if stored is not None:
                state.original_message_id = int(stored["id"])
                if kind == 7:
                    message = self._update_message(stored, data, req.files)
            elif kind == 7 and source:
                message = {**source, **payloads.message(int(source["id"]), channel_id, self.bot_user(), data)}
        state.callbacks.append(body)
        self._notify()
        if message is not None and kind == 4:
            await self._echo_create(message)
        interaction: dict[str, Any] = {"id": str(state.id), "type": state.type}
        resource: dict[str, Any] = {"type": kind}
        if message is not None:
            interaction["response_message_id"] = message["id"]
            interaction["response_message_loading"] = kind == 5
            interaction["response_message_ephemeral"] = bool(int(message.get("flags") or 0) & EPHEMERAL)
            resource["message"] = copy.deepcopy(message)
        return 200, {"interaction": interaction, "resource": resource}

    def _interaction_for_webhook(self, req: RecordedRequest) -> InteractionState:
        if int(req.params["webhook_id"]) != self.app_id:
            raise _not_found("Webhook", 10015)
        token = req.params["webhook_token"]
        state = next((s for s in self.interactions.values() if s.token == token), None)
        if state is None or not state.acknowledged:
            raise _not_found("Webhook", 10015)
        return state

    def _webhook_message(self, req: RecordedRequest, state: InteractionState) -> dict[str, Any]:
        key = req.params["message_id"]
        mid = state.original_message_id if key == "@original" else int(key)
        if mid is None or (
            key != "@original" and mid not in state.followup_ids and mid != state.original_message_id
        ):
            raise _not_found("Message", 10008)
        msg = self.messages.get(mid)
        if msg is None:
            raise _not_found("Message", 10008)
        return msg

    async def _execute_webhook(self, req: RecordedRequest) -> tuple[int, Any]:
        state = self._interaction_for_webhook(req)
        body = req.json or {}
        self._require_not_empty(body, req.files)
        msg = self._store_message(
            int(state.payload.get("channel_id", 0)),
            body,
            files=req.files,
            webhook_id=self.app_id,
            application_id=self.app_id,
            message_type=0,
            interaction=state,
        )
        state.followup_ids.append(int(msg["id"]))
        await self._echo_create(msg)
        if req.query.get("wait", "").lower() in ("1", "true"):
            return 200, copy.deepcopy(msg)
        return 204, None

    async def _get_wh_msg(self, req: RecordedRequest) -> tuple[int, Any]:
        return 200, copy.deepcopy(self._webhook_message(req, self._interaction_for_webhook(req)))

    async def _edit_wh_msg(self, req: RecordedRequest) -> tuple[int, Any]:
        msg = self._webhook_message(req, self._interaction_for_webhook(req))
        return 200, copy.deepcopy(self._update_message(msg, req.json or {}, req.files))

    async def _delete_wh_msg(self, req: RecordedRequest) -> tuple[int, Any]:
        state = self._interaction_for_webhook(req)
        msg = self._webhook_message(req, state)
        self.messages.pop(int(msg["id"]), None)
        self._notify()
        return 204, None


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
