"""Builders for the JSON objects Discord sends: users, guilds, channels, members, messages, interactions."""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1420070400000

# VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ATTACH_FILES, READ_MESSAGE_HISTORY, ADD_REACTIONS,
# USE_EXTERNAL_EMOJIS, USE_APPLICATION_COMMANDS: what an ordinary member has in a text channel.
DEFAULT_MEMBER_PERMISSIONS = (
    (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 6) | (1 << 18) | (1 << 31)
)
# The member set plus SEND_MESSAGES_IN_THREADS and MENTION_EVERYONE, what a bot is usually invited with.
DEFAULT_APP_PERMISSIONS = DEFAULT_MEMBER_PERMISSIONS | (1 << 38) | (1 << 17)
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

_lock = threading.Lock()
_counter = itertools.count()


def snowflake() -> int:
    """A fresh, increasing Discord snowflake based on the current time."""
    with _lock:
        increment = next(_counter) & 0xFFF
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (1 << 17) | increment


def snowflake_time(value: int) -> datetime:
    """The creation time encoded in a snowflake."""
    return datetime.fromtimestamp(((value >> 22) + DISCORD_EPOCH_MS) / 1000, UTC)


def iso_now() -> str:
    """Current time in Discord's ISO-8601 form."""
    return datetime.now(UTC).isoformat()


def new_token(prefix: str = "aW50ZXJhY3Rpb24") -> str:
    """An opaque interaction token shaped like Discord's."""
    return f"{prefix}:{secrets.token_urlsafe(48)}"


def user(user_id: int, username: str, *, bot: bool = False, global_name: str | None = None) -> dict[str, Any]:
    """A user object."""
    data: dict[str, Any] = {
        "id": str(user_id),
        "username": username,
        "discriminator": "0",
        "global_name": global_name if global_name is not None else (None if bot else username.title()),
        "avatar": None,
        "avatar_decoration_data": None,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "collectibles": None,
        "display_name_styles": None,
        "primary_guild": None,
        "clan": None,
    }
    if bot:
        data["bot"] = True
    return data


def bot_self_user(user_id: int, username: str) -> dict[str, Any]:
    """The ``/users/@me`` object of a bot account."""
    data = user(user_id, username, bot=True)
    data.update({"verified": True, "mfa_enabled": False, "email": None, "locale": "en-US", "premium_type": 0})
    return data


def role(role_id: int, name: str, *, permissions: int, position: int, color: int = 0) -> dict[str, Any]:
    """A guild role object."""
    return {
        "id": str(role_id),
        "name": name,
        "description": None,
        "permissions": str(permissions),
        "position": position,
        "color": color,
        "colors": {"primary_color": color, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }


def text_channel(channel_id: int, guild_id: int, name: str, position: int, topic: str | None = None) -> dict:
    """A guild text channel object (type 0)."""
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(guild_id),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "topic": topic,
        "nsfw": False,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "parent_id": None,
        "flags": 0,
    }


def member(user_obj: dict[str, Any], roles: list[int], *, joined_at: str | None = None) -> dict[str, Any]:
    """A guild member object."""
    return {
        "user": user_obj,
        "roles": [str(r) for r in roles],
        "nick": None,
        "avatar": None,
        "banner": None,
        "premium_since": None,
        "joined_at": joined_at or iso_now(),
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
        "unusual_dm_activity_until": None,
    }


def application(app_id: int, owner: dict[str, Any], name: str) -> dict[str, Any]:
    """The ``/oauth2/applications/@me`` object."""
    return {
        "id": str(app_id),
        "name": name,
        "icon": None,
        "description": "",
        "summary": "",
        "type": None,
        "bot_public": False,
        "bot_require_code_grant": False,
        "verify_key": secrets.token_hex(32),
        "flags": 0,
        "owner": owner,
        "team": None,
        "guild_id": None,
        "hook": True,
        "is_monetized": False,
        "is_verified": False,
        "is_discoverable": False,
        "interactions_endpoint_url": None,
        "redirect_uris": [],
        "tags": [],
        "integration_types_config": {"0": {}},
        "approximate_guild_count": 1,
        "bot": owner,
    }


def message(
    message_id: int,
    channel_id: int,
    author: dict[str, Any],
    body: dict[str, Any],
    *,
    guild_id: int | None = None,
    attachments: list[dict[str, Any]] | None = None,
    webhook_id: int | None = None,
    application_id: int | None = None,
    message_type: int = 0,
    interaction_metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A full message object built from a create/edit request body."""
    embeds = []
    for embed in body.get("embeds") or []:
        rendered = {k: v for k, v in embed.items() if v is not None}
        rendered.setdefault("type", "rich")
        rendered.setdefault("content_scan_version", 0)
        embeds.append(rendered)
    data: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "type": message_type,
        "content": body.get("content") or "",
        "author": author,
        "attachments": attachments or [],
        "embeds": embeds,
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": bool(body.get("tts")),
        "timestamp": snowflake_time(message_id).isoformat(),
        "edited_timestamp": None,
        "flags": body.get("flags") or 0,
        "components": number_components(body.get("components") or []),
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if webhook_id is not None:
        data["webhook_id"] = str(webhook_id)
    if application_id is not None:
        data["application_id"] = str(application_id)
    if interaction_metadata is not None:
        data["interaction_metadata"] = interaction_metadata
    if body.get("nonce") is not None:
        data["nonce"] = body["nonce"]
    if body.get("poll") is not None:
        data["poll"] = body["poll"]
    if body.get("message_reference"):
        data["message_reference"] = {"type": 0, **body["message_reference"]}
    return data


def number_components(components: list[Any]) -> list[Any]:
    """Copy components, filling the sequential ``id`` Discord assigns to each one."""
    counter = itertools.count(1)

    def walk(items: list[Any]) -> list[Any]:
        out = []
        for comp in items:
            if not isinstance(comp, dict):
                out.append(comp)
                continue
            copy = dict(comp)
            copy.setdefault("id", next(counter))
            if isinstance(copy.get("components"), list):
                copy["components"] = walk(copy["components"])
            if isinstance(copy.get("accessory"), dict):
                copy["accessory"] = walk([copy["accessory"]])[0]
            out.append(copy)
        return out

    return walk(components)


def attachment(attachment_id: int, filename: str, data: bytes, content_type: str | None, url: str) -> dict:
    """An attachment object for an uploaded file."""
    result: dict[str, Any] = {
        "id": str(attachment_id),
        "filename": filename,
        "size": len(data),
        "url": url,
        "proxy_url": url,
    }
    if content_type:
        result["content_type"] = content_type
    return result


def command_echo(
    command: dict[str, Any], *, command_id: int, application_id: int, guild_id: int | None
) -> dict[str, Any]:
    """A command object as Discord answers a sync: ids, version, defaults filled in."""
    kind = command.get("type") or 1
    perms = command.get("default_member_permissions")
    echoed: dict[str, Any] = {
        "id": str(command_id),
        "application_id": str(application_id),
        "version": str(snowflake()),
        "default_member_permissions": None if perms is None else str(perms),
        "type": kind,
        "name": command["name"],
        "name_localizations": command.get("name_localizations"),
        "description": command.get("description") or "",
        "description_localizations": command.get("description_localizations"),
        "dm_permission": command.get("dm_permission", True) if guild_id is None else None,
        "contexts": command.get("contexts"),
        "integration_types": command.get("integration_types") or [0],
        "nsfw": bool(command.get("nsfw")),
    }
    if guild_id is not None:
        echoed["guild_id"] = str(guild_id)
        echoed.pop("dm_permission")
    if command.get("options"):
        echoed["options"] = command["options"]
    return {k: v for k, v in echoed.items() if not (v is None and k.endswith("_localizations"))}


_PY_OPTION_TYPES: list[tuple[type, int]] = [(bool, 5), (int, 4), (float, 10), (str, 3)]


def option_type_for(value: Any) -> int:
    """The application-command option type Discord would use for a plain Python value."""
    for py_type, option_type in _PY_OPTION_TYPES:
        if isinstance(value, py_type):
            return option_type
    raise TypeError(f"cannot infer an option type for {value!r}; pass a full option dict")
