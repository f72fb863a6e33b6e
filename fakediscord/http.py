"""The fake's HTTP side: each REST request matched to its route, recorded, authorised, answered with an
injected fault or validated (the pinned OpenAPI spec and the limits the spec misses), then handled."""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import hdrs, web

from fakediscord.errors import ErrorCollector, error_body
from fakediscord.limits import check_request_limits
from fakediscord.spec import SpecValidator
from fakediscord.state import API_PREFIX, Fault, RecordedFile, RecordedRequest

_log = logging.getLogger(__name__)


class HTTPError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("message"))
        self.status = status
        self.body = body


def not_found(what: str, code: int) -> HTTPError:
    return HTTPError(404, {"message": f"Unknown {what}", "code": code})


def form_error(errors: Mapping[str, Any]) -> HTTPError:
    return HTTPError(400, error_body(errors))


class Route:
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


class RequestHandling:
    """Serves the REST API from the routes (mixed into FakeDiscord)."""

    requests: list[RecordedRequest]
    files: dict[int, RecordedFile]
    validate: bool
    spec: SpecValidator | None
    _faults: list[Fault]
    _routes: list[Route]

    def _token_ok(self, token: str) -> bool:
        raise NotImplementedError

    def _notify(self) -> None:
        raise NotImplementedError

    def _match_route(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
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
                        raise HTTPError(
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
            raise HTTPError(
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
            raise form_error(errors.nested())

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
                    raise HTTPError(405, {"message": "405: Method Not Allowed", "code": 0})
                raise HTTPError(404, {"message": "404: Not Found", "code": 0})
            if route.auth and not self._token_ok(request.headers.get("Authorization", "")):
                raise HTTPError(401, {"message": "401: Unauthorized", "code": 0})
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
        except HTTPError as exc:
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
