"""Payloads the fake sends: interactions as Discord builds them, READY, GUILD_CREATE, member chunks."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from fakediscord import payloads
from fakediscord.gateway import Gateway, Session


class PayloadBuilders:
    """Builds Discord's payloads from the fake's configuration and state (mixed into FakeDiscord)."""

    guild_id: int
    channel_ids: list[int]
    channel_names: list[str]
    app_id: int
    bot_user_id: int
    bot_username: str
    guild_name: str
    guild_locale: str
    user_id: int
    username: str
    everyone_permissions: int
    moderator_role_id: int
    bot_role_id: int
    channel_overwrites: dict[int, list[dict[str, Any]]]
    bot_in_guild: bool
    global_commands: list[dict[str, Any]]
    guild_commands: dict[int, list[dict[str, Any]]]
    messages: dict[int, dict[str, Any]]
    resume_gateway_url: str | None
    extra_guild_ids: list[int]
    extra_channels: dict[int, int]
    gateway: Gateway

    @property
    def gateway_url(self) -> str:
        """Gateway websocket URL."""
        raise NotImplementedError

    def _store_message(self, channel_id: int, body: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        raise NotImplementedError

    # -- interaction builders ----------------------------------------------------------------------

    def user_payload(self, user: dict[str, Any] | int | None = None) -> dict[str, Any]:
        """A user object: the default human, one with the given id, or the dict given."""
        if isinstance(user, dict):
            return user
        if user is None:
            return payloads.user(self.user_id, self.username)
        return payloads.user(int(user), f"user{user}")

    def channel_payload(self, channel_id: int) -> dict[str, Any]:
        """The channel object of one of the guild's text channels (or of another guild's)."""
        if int(channel_id) in self.extra_channels:
            gid = self.extra_channels[int(channel_id)]
            return payloads.text_channel(channel_id, gid, f"channel-{channel_id}", 0)
        idx = self.channel_ids.index(int(channel_id))
        channel = payloads.text_channel(channel_id, self.guild_id, self.channel_names[idx], idx)
        channel["permission_overwrites"] = [dict(o) for o in self.channel_overwrites.get(int(channel_id), [])]
        return channel

    def find_command(self, name: str, guild_id: int | None = None, kind: int = 1) -> dict[str, Any] | None:
        """A synced command by name: the guild's first, then the global ones."""
        scopes = [self.guild_commands.get(guild_id or self.guild_id, []), self.global_commands]
        for scope in scopes:
            for cmd in scope:
                if cmd["name"] == name and cmd.get("type", 1) == kind:
                    return cmd
        return None

    def _base_interaction(
        self,
        kind: int,
        *,
        user: dict[str, Any] | int | None,
        member_permissions: int | str | None,
        channel_id: int | None,
        guild_id: int | None,
        locale: str,
        guild_locale: str | None,
        app_permissions: int | str | None,
        dm: bool,
    ) -> dict[str, Any]:
        user_obj = self.user_payload(user)
        perms = str(member_permissions if member_permissions is not None else self.everyone_permissions)
        app_perms = str(app_permissions if app_permissions is not None else payloads.DEFAULT_APP_PERMISSIONS)
        payload: dict[str, Any] = {
            "id": str(payloads.snowflake()),
            "application_id": str(self.app_id),
            "type": kind,
            "token": payloads.new_token(),
            "version": 1,
            "locale": locale,
            "app_permissions": app_perms,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": payloads.ATTACHMENT_SIZE_LIMIT,
        }
        if dm:
            cid = int(channel_id) if channel_id is not None else payloads.snowflake()
            payload.update(
                {
                    "channel_id": str(cid),
                    "channel": {"id": str(cid), "type": 1, "flags": 0, "recipients": [user_obj]},
                    "user": user_obj,
                    "context": 1,
                    "authorizing_integration_owners": {"0": "0"},
                }
            )
            return payload
        gid = int(guild_id) if guild_id is not None else self.guild_id
        cid = int(channel_id) if channel_id is not None else self.channel_ids[0]
        channel = (
            self.channel_payload(cid)
            if gid == self.guild_id and cid in self.channel_ids
            else payloads.text_channel(cid, gid, f"channel-{cid}", 0)
        )
        channel["permissions"] = perms
        member = payloads.member(user_obj, [])
        member["permissions"] = perms
        payload.update(
            {
                "guild_id": str(gid),
                "guild": {"id": str(gid), "locale": guild_locale or self.guild_locale, "features": []},
                "guild_locale": guild_locale or self.guild_locale,
                "channel_id": str(cid),
                "channel": channel,
                "member": member,
                "context": 0,
                "authorizing_integration_owners": {"0": str(gid)},
            }
        )
        return payload

    def _command_data(
        self,
        name: str,
        options: Sequence[dict[str, Any]] | Mapping[str, Any] | None,
        *,
        guild_id: int | None,
        command_type: int,
        command_id: int | None,
        focused: str | None = None,
    ) -> dict[str, Any]:
        cmd = self.find_command(name, guild_id, command_type)
        data: dict[str, Any] = {
            "id": str(command_id or (cmd["id"] if cmd else payloads.snowflake())),
            "name": name,
            "type": command_type,
        }
        if cmd and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        if options is not None:
            if isinstance(options, Mapping):
                definitions = {o["name"]: o for o in (cmd or {}).get("options") or []}
                built = []
                for opt_name, value in options.items():
                    opt_type = definitions.get(opt_name, {}).get("type") or payloads.option_type_for(value)
                    entry: dict[str, Any] = {"name": opt_name, "type": opt_type, "value": value}
                    if opt_type in (6, 7, 8, 9, 11):
                        entry["value"] = str(value)
                    if focused == opt_name:
                        entry["focused"] = True
                    built.append(entry)
                data["options"] = built
            else:
                data["options"] = copy.deepcopy(list(options))
            resolved = self._resolve(data["options"], guild_id)
            if resolved:
                data["resolved"] = resolved
        return data

    def _resolve(self, options: list[dict[str, Any]], guild_id: int | None) -> dict[str, Any]:
        resolved: dict[str, dict[str, Any]] = {}
        for opt in options:
            if isinstance(opt.get("options"), list):
                for key, values in self._resolve(opt["options"], guild_id).items():
                    resolved.setdefault(key, {}).update(values)
            value = opt.get("value")
            if value is None or opt.get("focused"):
                continue
            if opt.get("type") == 7:
                cid = int(value)
                channel = (
                    self.channel_payload(cid)
                    if cid in self.channel_ids
                    else payloads.text_channel(cid, guild_id or self.guild_id, f"channel-{cid}", 0)
                )
                channel["permissions"] = str(self.everyone_permissions)
                resolved.setdefault("channels", {})[str(cid)] = channel
            elif opt.get("type") in (6, 9) and int(value) != int(self.guild_id):
                user = self.user_payload(self.user_id if int(value) == self.user_id else int(value))
                resolved.setdefault("users", {})[str(value)] = user
                member = payloads.member(user, [])
                member.pop("user")
                member["permissions"] = str(self.everyone_permissions)
                resolved.setdefault("members", {})[str(value)] = member
            elif opt.get("type") == 8:
                rid = int(value)
                resolved.setdefault("roles", {})[str(rid)] = payloads.role(
                    rid, "everyone" if rid == self.guild_id else f"role-{rid}", permissions=0, position=1
                )
        return resolved

    def command_interaction(
        self,
        name: str,
        options: Sequence[dict[str, Any]] | Mapping[str, Any] | None = None,
        *,
        user: dict[str, Any] | int | None = None,
        member_permissions: int | str | None = None,
        channel_id: int | None = None,
        guild_id: int | None = None,
        locale: str = "en-US",
        guild_locale: str | None = None,
        app_permissions: int | str | None = None,
        command_type: int = 1,
        command_id: int | None = None,
        dm: bool = False,
    ) -> dict[str, Any]:
        """An APPLICATION_COMMAND (type 2) interaction payload as Discord sends it.

        ``options`` is either Discord's option list or a ``{name: value}`` mapping whose types come
        from the synced command (or the Python type); channel/user/role options get ``resolved`` data.
        """
        payload = self._base_interaction(
            2,
            user=user,
            member_permissions=member_permissions,
            channel_id=channel_id,
            guild_id=guild_id,
            locale=locale,
            guild_locale=guild_locale,
            app_permissions=app_permissions,
            dm=dm,
        )
        payload["data"] = self._command_data(
            name, options, guild_id=guild_id, command_type=command_type, command_id=command_id
        )
        return payload

    def message_command_interaction(
        self,
        name: str,
        content: str,
        *,
        author: dict[str, Any] | int | None = None,
        embeds: Sequence[Mapping[str, Any]] = (),
        channel_id: int | None = None,
        user: dict[str, Any] | int | None = None,
        member_permissions: int | str | None = None,
        locale: str = "en-US",
    ) -> dict[str, Any]:
        """A message context-menu command (APPLICATION_COMMAND, command type 3) used on a message with
        `content` by `author`: ``target_id`` names the message and ``resolved.messages`` carries it, as
        Discord sends it. The message is stored in the channel, as if it had been posted there."""
        payload = self._base_interaction(
            2,
            user=user,
            member_permissions=member_permissions,
            channel_id=channel_id,
            guild_id=None,
            locale=locale,
            guild_locale=None,
            app_permissions=None,
            dm=False,
        )
        cid = int(payload["channel_id"])
        mid = payloads.snowflake()
        posted = payloads.message(
            mid,
            cid,
            self.user_payload(author if author is not None else payloads.snowflake()),
            {"content": content, "embeds": [dict(e) for e in embeds]},
            guild_id=self.guild_id,
        )
        self.messages[mid] = posted
        data = self._command_data(name, None, guild_id=None, command_type=3, command_id=None)
        data["target_id"] = posted["id"]
        data["resolved"] = {"messages": {posted["id"]: copy.deepcopy(posted)}}
        payload["data"] = data
        return payload

    def autocomplete_interaction(
        self,
        name: str,
        options: Sequence[dict[str, Any]] | Mapping[str, Any],
        *,
        focused: str | None = None,
        user: dict[str, Any] | int | None = None,
        member_permissions: int | str | None = None,
        channel_id: int | None = None,
        guild_id: int | None = None,
        locale: str = "en-US",
        guild_locale: str | None = None,
        command_id: int | None = None,
    ) -> dict[str, Any]:
        """An APPLICATION_COMMAND_AUTOCOMPLETE (type 4) payload; exactly one option must be focused."""
        payload = self._base_interaction(
            4,
            user=user,
            member_permissions=member_permissions,
            channel_id=channel_id,
            guild_id=guild_id,
            locale=locale,
            guild_locale=guild_locale,
            app_permissions=None,
            dm=False,
        )
        data = self._command_data(
            name, options, guild_id=guild_id, command_type=1, command_id=command_id, focused=focused
        )
        data.pop("resolved", None)
        if _count_focused(data.get("options") or []) != 1:
            raise ValueError("an autocomplete interaction needs exactly one option with focused=True")
        payload["data"] = data
        return payload

    def component_interaction(
        self,
        custom_id: str,
        message: dict[str, Any] | int | str | None = None,
        *,
        component_type: int = 2,
        values: Sequence[str] | None = None,
        user: dict[str, Any] | int | None = None,
        member_permissions: int | str | None = None,
        channel_id: int | None = None,
        guild_id: int | None = None,
        locale: str = "en-US",
        guild_locale: str | None = None,
    ) -> dict[str, Any]:
        """A MESSAGE_COMPONENT (type 3) payload for a click/selection on ``message``.

        ``message`` is a message dict, the id of a message the fake stored, or None for a fresh bot
        message that carries a button with ``custom_id``.
        """
        if isinstance(message, (int, str)):
            stored = self.messages.get(int(message))
            if stored is None:
                raise KeyError(f"no stored message {message}")
            message = stored
        if message is None:
            cid = int(channel_id) if channel_id is not None else self.channel_ids[0]
            body = {
                "content": "",
                "components": [{"type": 1, "components": [{"type": 2, "style": 1, "custom_id": custom_id}]}],
            }
            message = self._store_message(cid, body, application_id=self.app_id)
        channel = int(channel_id) if channel_id is not None else int(message["channel_id"])
        payload = self._base_interaction(
            3,
            user=user,
            member_permissions=member_permissions,
            channel_id=channel,
            guild_id=guild_id,
            locale=locale,
            guild_locale=guild_locale,
            app_permissions=None,
            dm=False,
        )
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = list(values)
        payload["data"] = data
        payload["message"] = copy.deepcopy(message)
        return payload

    # -- gateway payloads --------------------------------------------------------------------------

    def bot_user(self) -> dict[str, Any]:
        """The bot's user object."""
        return payloads.user(self.bot_user_id, self.bot_username, bot=True)

    def guild_payload(self) -> dict[str, Any]:
        """The GUILD_CREATE payload: roles, text channels, the bot and the default human as members."""
        roles = [
            payloads.role(self.guild_id, "@everyone", permissions=self.everyone_permissions, position=0),
            payloads.role(
                self.moderator_role_id,
                "Moderator",
                permissions=self.everyone_permissions | (1 << 13),
                position=2,
            ),
            payloads.role(
                self.bot_role_id, self.bot_username, permissions=payloads.DEFAULT_APP_PERMISSIONS, position=1
            ),
        ]
        members = [
            payloads.member(self.bot_user(), [self.bot_role_id]),
            payloads.member(self.user_payload(), []),
        ]
        return {
            "id": str(self.guild_id),
            "name": self.guild_name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.user_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": self.guild_locale,
            "features": [],
            "roles": roles,
            "emojis": [],
            "stickers": [],
            "application_id": None,
            "system_channel_id": str(self.channel_ids[0]),
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "joined_at": payloads.iso_now(),
            "large": False,
            "unavailable": False,
            "lazy": True,
            "member_count": len(members),
            "members": members,
            "channels": [self.channel_payload(c) for c in self.channel_ids],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "embedded_activities": [],
            "activity_instances": [],
        }

    def _ready_payload(self, session: Session) -> dict[str, Any]:
        data: dict[str, Any] = {
            "v": 10,
            "user": payloads.bot_self_user(self.bot_user_id, self.bot_username),
            "user_settings": {},
            "session_type": "normal",
            "session_id": session.session_id,
            "resume_gateway_url": self.resume_gateway_url or self.gateway_url,
            "guilds": [{"id": str(g["id"]), "unavailable": True} for g in self._guild_payloads(session)],
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "auth": {},
            "application": {"id": str(self.app_id), "flags": 0},
            "_trace": ['["fakediscord-gateway",{}]'],
        }
        shard = session.identify.get("shard")
        if shard is not None:
            data["shard"] = shard
        return data

    def all_guild_ids(self) -> list[int]:
        """Every guild the bot is in: the guild with the channels, then the others."""
        return [self.guild_id, *self.extra_guild_ids]

    def _guild_payloads(self, session: Session) -> list[dict[str, Any]]:
        """GUILD_CREATE payloads for the guilds of the session's shard (every guild without sharding); the
        guild with the channels only while the bot is a member of it."""
        count = self.gateway.shard_count
        out = []
        for gid in self.all_guild_ids():
            if gid == self.guild_id and not self.bot_in_guild:
                continue
            if count > 1 and (gid >> 22) % count != session.shard_id:
                continue
            payload = self.guild_payload()
            if gid != self.guild_id:
                channels = [self.channel_payload(c) for c, g in self.extra_channels.items() if g == gid]
                payload.update(id=str(gid), name=f"Guild {gid}", channels=channels)
                payload["roles"][0]["id"] = str(gid)  # @everyone has the guild's id
            out.append(payload)
        return out

    def _members_chunk(self, request: dict[str, Any]) -> dict[str, Any]:
        members = self.guild_payload()["members"]
        chunk: dict[str, Any] = {
            "guild_id": str(self.guild_id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if request.get("nonce") is not None:
            chunk["nonce"] = request["nonce"]
        if request.get("presences"):
            chunk["presences"] = []
        return chunk


def _count_focused(options: list[dict[str, Any]]) -> int:
    count = 0
    for opt in options:
        if opt.get("focused"):
            count += 1
        if isinstance(opt.get("options"), list):
            count += _count_focused(opt["options"])
    return count
