"""The REST routes the fake serves and their handlers: identity, commands, messages, interactions and
webhooks, acting on the fake's state."""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fakediscord import payloads
from fakediscord.errors import ErrorCollector, max_length
from fakediscord.gateway import Gateway
from fakediscord.http import HTTPError, Route, form_error, not_found
from fakediscord.state import InteractionState, RecordedFile, RecordedRequest

_log = logging.getLogger(__name__)

EPHEMERAL = 1 << 6
LOADING = 1 << 7
GUILD_MESSAGES_INTENT = 1 << 9
MAX_FILES = 10

_MESSAGE_KEYS = ("content", "embeds", "components", "attachments", "poll", "sticker_ids")


class RestRoutes:
    """The route table and a handler per route (mixed into FakeDiscord)."""

    interactions: dict[int, InteractionState]
    messages: dict[int, dict[str, Any]]
    files: dict[int, RecordedFile]
    gateway: Gateway
    nonces: dict[tuple[int, str], int]
    deduplicated: list[tuple[int, str]]
    shard_count: int
    max_concurrency: int
    extra_channels: dict[int, int]

    def _notify(self) -> None:
        raise NotImplementedError

    def _build_routes(self) -> list[Route]:
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
        routes = [Route(method, template, handler, auth=auth) for method, template, handler, auth in table]
        return sorted(routes, key=lambda rt: (-rt.literals, -rt.length))

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
        limit = {
            "total": 1000,
            "remaining": 999,
            "reset_after": 14400000,
            "max_concurrency": self.max_concurrency,
        }
        return 200, {"url": self.gateway_url, "shards": self.shard_count, "session_start_limit": limit}

    # -- handlers: commands ------------------------------------------------------------------------

    def _command_scope(self, req: RecordedRequest) -> tuple[list[dict[str, Any]], int | None]:
        if int(req.params["application_id"]) != self.app_id:
            raise HTTPError(403, {"message": "Missing Access", "code": 50001})
        if "guild_id" in req.params:
            gid = int(req.params["guild_id"])
            if gid != self.guild_id:
                raise HTTPError(403, {"message": "Missing Access", "code": 50001})
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
        if cid not in self.channel_ids and cid not in self.extra_channels:
            raise not_found("Channel", 10003)
        return cid

    def _attachments(self, channel_id: int, body: Mapping[str, Any], files: list[RecordedFile]) -> list[dict]:
        if len(files) > MAX_FILES:
            errors = ErrorCollector()
            errors.add_pair(("files",), max_length(MAX_FILES))
            raise form_error(errors.nested())
        if any(len(f.data) > payloads.ATTACHMENT_SIZE_LIMIT for f in files):
            raise HTTPError(413, {"message": "Request entity too large", "code": 40005})
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
            guild_id=self.guild_id if channel_id in self.channel_ids else self.extra_channels.get(channel_id),
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
            raise HTTPError(400, {"message": "Cannot send an empty message", "code": 50006})

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
        nonce = body.get("nonce")
        key = (cid, str(nonce))
        if nonce is not None and body.get("enforce_nonce"):
            first = self.messages.get(self.nonces.get(key, 0))
            if first is not None:
                self.deduplicated.append(key)
                return 200, copy.deepcopy(first)
        msg = self._store_message(cid, body, files=req.files)
        _log.info("fakediscord: message %s sent to channel %s (nonce %s)", msg["id"], cid, nonce)
        if nonce is not None and body.get("enforce_nonce"):
            self.nonces[key] = int(msg["id"])
        await self._echo_create(msg)
        return 200, copy.deepcopy(msg)

    def _channel_message(self, req: RecordedRequest) -> dict[str, Any]:
        cid = self._known_channel(req.params["channel_id"])
        msg = self.messages.get(int(req.params["message_id"]))
        if msg is None or msg["channel_id"] != str(cid):
            raise not_found("Message", 10008)
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
            raise not_found("Guild", 10004)
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
            raise not_found("Guild", 10004)
        return 200, [self.channel_payload(c) for c in self.channel_ids]

    # -- handlers: interactions --------------------------------------------------------------------

    async def _callback(self, req: RecordedRequest) -> tuple[int, Any]:
        state = self.interactions.get(int(req.params["interaction_id"]))
        if state is None or state.token != req.params["interaction_token"]:
            raise not_found("interaction", 10062)
        if state.acknowledged:
            raise HTTPError(400, {"message": "Interaction has already been acknowledged.", "code": 40060})
        body = req.json or {}
        kind = body.get("type")
        allowed = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}.get(state.type, {1})
        if kind not in allowed:
            errors = ErrorCollector()
            message = f"Callback type {kind} is not valid for interaction type {state.type}"
            errors.add(("type",), "INTERACTION_CALLBACK_TYPE_INVALID", message)
            raise form_error(errors.nested())
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
            raise not_found("Webhook", 10015)
        token = req.params["webhook_token"]
        state = next((s for s in self.interactions.values() if s.token == token), None)
        if state is None or not state.acknowledged:
            raise not_found("Webhook", 10015)
        return state

    def _webhook_message(self, req: RecordedRequest, state: InteractionState) -> dict[str, Any]:
        key = req.params["message_id"]
        mid = state.original_message_id if key == "@original" else int(key)
        if mid is None or (
            key != "@original" and mid not in state.followup_ids and mid != state.original_message_id
        ):
            raise not_found("Message", 10008)
        msg = self.messages.get(mid)
        if msg is None:
            raise not_found("Message", 10008)
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
