"""Discord limits that the pinned OpenAPI spec does not express.

Usable without a server: every ``check_*`` function takes a request body and returns the nested
Discord ``errors`` tree (empty when the body is fine), so the bot's own tests can assert on
rendered messages directly.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from fakediscord.errors import REQUIRED, ErrorCollector, ErrorPath, bad_length, max_length

try:  # the third-party module knows \p{sc=...}; the fallback below is equivalent for names
    import regex as _regex
except ImportError:  # pragma: no cover - depends on the environment
    _regex = None

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
ACTION_ROWS_MAX = 5
ROW_COMPONENTS_MAX = 5
CUSTOM_ID_MAX = 100
CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_STRING_VALUE_MAX = 100
COMMAND_NAME_MAX = 32
COMMAND_DESCRIPTION_MAX = 100
COMMAND_OPTIONS_MAX = 25
COMMAND_TOTAL_MAX = 8000
CHAT_INPUT_COMMANDS_MAX = 100
CONTEXT_MENU_COMMANDS_MAX = 5
MODAL_TITLE_MAX = 45

COMPONENTS_V2_FLAG = 1 << 15
_CHAT_INPUT = 1
_SUBCOMMAND_TYPES = (1, 2)

_COMMAND_NAME_PATTERN = r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$"
_DEVANAGARI = ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x11B00, 0x11B5F))
_THAI = ((0x0E00, 0x0E7F),)


def _in_ranges(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def _name_char_ok(ch: str) -> bool:
    if ch in "-_":
        return True
    if unicodedata.category(ch)[0] in "LN":
        return True
    cp = ord(ch)
    return _in_ranges(cp, _DEVANAGARI) or _in_ranges(cp, _THAI)


def is_valid_command_name(name: str) -> bool:
    """Whether ``name`` is a valid chat-input command or option name (pattern and lower case)."""
    if not isinstance(name, str) or not 1 <= len(name) <= COMMAND_NAME_MAX:
        return False
    if _regex is not None:
        if not _regex.fullmatch(_COMMAND_NAME_PATTERN.strip("^$"), name):
            return False
    elif not all(_name_char_ok(ch) for ch in name):
        return False
    # Discord rejects any character that has a lower-case variant it is not already in.
    return name == name.lower()


def embed_length(embed: Mapping[str, Any]) -> int:
    """Characters Discord counts toward the 6000 total for one embed."""
    total = 0
    for key in ("title", "description"):
        if isinstance(embed.get(key), str):
            total += len(embed[key])
    for field in embed.get("fields") or []:
        if isinstance(field, Mapping):
            total += len(field.get("name") or "") + len(field.get("value") or "")
    footer = embed.get("footer")
    if isinstance(footer, Mapping):
        total += len(footer.get("text") or "")
    author = embed.get("author")
    if isinstance(author, Mapping):
        total += len(author.get("name") or "")
    return total


def _check_len(
    errors: ErrorCollector,
    path: ErrorPath,
    value: Any,
    high: int,
    low: int = 0,
    *,
    required: bool = False,
) -> None:
    """Discord's wording: with a lower bound BAD_LENGTH, without one MAX_LENGTH (and REQUIRED if empty)."""
    if value is None or (required and not low and value == ""):
        if required:
            errors.add_pair(path, REQUIRED)
        return
    if not isinstance(value, str):
        return
    if low and not low <= len(value) <= high:
        errors.add_pair(path, bad_length(low, high))
    elif len(value) > high:
        errors.add_pair(path, max_length(high))


def _check_embed(errors: ErrorCollector, path: ErrorPath, embed: Any) -> None:
    if not isinstance(embed, Mapping):
        return
    _check_len(errors, (*path, "title"), embed.get("title"), EMBED_TITLE_MAX)
    _check_len(errors, (*path, "description"), embed.get("description"), EMBED_DESCRIPTION_MAX)
    fields = embed.get("fields")
    if isinstance(fields, list):
        if len(fields) > EMBED_FIELDS_MAX:
            errors.add_pair((*path, "fields"), max_length(EMBED_FIELDS_MAX))
        for i, field in enumerate(fields):
            if not isinstance(field, Mapping):
                continue
            fpath = (*path, "fields", i)
            _check_len(errors, (*fpath, "name"), field.get("name"), EMBED_FIELD_NAME_MAX, required=True)
            _check_len(errors, (*fpath, "value"), field.get("value"), EMBED_FIELD_VALUE_MAX, required=True)
    footer = embed.get("footer")
    if isinstance(footer, Mapping):
        _check_len(errors, (*path, "footer", "text"), footer.get("text"), EMBED_FOOTER_MAX, required=True)
    author = embed.get("author")
    if isinstance(author, Mapping):
        _check_len(errors, (*path, "author", "name"), author.get("name"), EMBED_AUTHOR_MAX, required=True)


def _walk_components(components: Any, path: ErrorPath) -> Iterator[tuple[ErrorPath, Mapping[str, Any]]]:
    if not isinstance(components, list):
        return
    for i, comp in enumerate(components):
        if not isinstance(comp, Mapping):
            continue
        cpath = (*path, i)
        yield cpath, comp
        yield from _walk_components(comp.get("components"), (*cpath, "components"))
        accessory = comp.get("accessory")
        if isinstance(accessory, Mapping):
            yield (*cpath, "accessory"), accessory


def _check_components(errors: ErrorCollector, path: ErrorPath, components: Any, flags: Any) -> None:
    if not isinstance(components, list):
        return
    v2 = isinstance(flags, int) and bool(flags & COMPONENTS_V2_FLAG)
    if not v2 and len(components) > ACTION_ROWS_MAX:
        errors.add_pair(path, max_length(ACTION_ROWS_MAX))
    seen: dict[str, ErrorPath] = {}
    for cpath, comp in _walk_components(components, path):
        if comp.get("type") == 1:
            row = comp.get("components")
            if isinstance(row, list) and len(row) > ROW_COMPONENTS_MAX:
                errors.add_pair((*cpath, "components"), max_length(ROW_COMPONENTS_MAX))
        custom_id = comp.get("custom_id")
        if isinstance(custom_id, str):
            _check_len(errors, (*cpath, "custom_id"), custom_id, CUSTOM_ID_MAX)
            if custom_id in seen:
                errors.add(
                    (*cpath, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            seen.setdefault(custom_id, cpath)


def _message_limits(errors: ErrorCollector, body: Any, path: ErrorPath = ()) -> None:
    if not isinstance(body, Mapping):
        return
    _check_len(errors, (*path, "content"), body.get("content"), CONTENT_MAX)
    embeds = body.get("embeds")
    if isinstance(embeds, list):
        if len(embeds) > EMBEDS_MAX:
            errors.add_pair((*path, "embeds"), max_length(EMBEDS_MAX))
        for i, embed in enumerate(embeds):
            _check_embed(errors, (*path, "embeds", i), embed)
        total = sum(embed_length(e) for e in embeds if isinstance(e, Mapping))
        if total > EMBED_TOTAL_MAX:
            errors.add(
                (*path, "embeds"),
                "MAX_EMBED_SIZE_EXCEEDED",
                f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
            )
    _check_components(errors, (*path, "components"), body.get("components"), body.get("flags"))


def check_message_limits(body: Mapping[str, Any]) -> dict[str, Any]:
    """Errors for a message body (create, edit, follow-up): content, embeds, components."""
    errors = ErrorCollector()
    _message_limits(errors, body)
    return errors.nested()


def _check_choices(errors: ErrorCollector, path: ErrorPath, choices: Any) -> None:
    if not isinstance(choices, list):
        return
    if len(choices) > CHOICES_MAX:
        errors.add_pair(path, max_length(CHOICES_MAX))
    for i, choice in enumerate(choices):
        if not isinstance(choice, Mapping):
            continue
        _check_len(errors, (*path, i, "name"), choice.get("name"), CHOICE_NAME_MAX, 1, required=True)
        value = choice.get("value")
        if isinstance(value, str):
            _check_len(errors, (*path, i, "value"), value, CHOICE_STRING_VALUE_MAX)
        for locale, text in (choice.get("name_localizations") or {}).items():
            _check_len(errors, (*path, i, "name_localizations", locale), text, CHOICE_NAME_MAX, 1)


def check_autocomplete_limits(data: Mapping[str, Any]) -> dict[str, Any]:
    """Errors for the ``data`` of an autocomplete result (type 8): at most 25 choices of 1-100 chars."""
    errors = ErrorCollector()
    _check_choices(errors, ("choices",), data.get("choices") if isinstance(data, Mapping) else None)
    return errors.nested()


def check_interaction_callback_limits(body: Mapping[str, Any]) -> dict[str, Any]:
    """Errors for an interaction callback body, dispatched on its ``type``."""
    errors = ErrorCollector()
    if not isinstance(body, Mapping):
        return {}
    kind = body.get("type")
    data = body.get("data")
    if kind in (4, 7):
        _message_limits(errors, data, ("data",))
    elif kind == 8 and isinstance(data, Mapping):
        errors.merge(check_autocomplete_limits(data), ("data",))
    elif kind == 9 and isinstance(data, Mapping):
        _check_len(errors, ("data", "custom_id"), data.get("custom_id"), CUSTOM_ID_MAX, 1, required=True)
        _check_len(errors, ("data", "title"), data.get("title"), MODAL_TITLE_MAX, 1, required=True)
        _check_components(errors, ("data", "components"), data.get("components"), None)
    return errors.nested()


def _localized_texts(item: Mapping[str, Any], key: str) -> list[str]:
    return [v for v in (item.get(f"{key}_localizations") or {}).values() if isinstance(v, str)]


def _command_size(item: Mapping[str, Any]) -> int:
    size = 0
    for key in ("name", "description"):
        if isinstance(item.get(key), str):
            size += len(item[key])
        size += sum(len(v) for v in _localized_texts(item, key))
    for choice in item.get("choices") or []:
        if isinstance(choice, Mapping):
            size += len(str(choice.get("name", ""))) + len(str(choice.get("value", "")))
            size += sum(len(v) for v in _localized_texts(choice, "name"))
    for option in item.get("options") or []:
        if isinstance(option, Mapping):
            size += _command_size(option)
    return size


def _check_name(errors: ErrorCollector, path: ErrorPath, name: Any, *, chat_input: bool) -> None:
    if not isinstance(name, str):
        errors.add_pair(path, REQUIRED)
        return
    if chat_input:
        if not is_valid_command_name(name):
            errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    else:
        _check_len(errors, path, name, COMMAND_NAME_MAX, 1)


def _check_options(errors: ErrorCollector, path: ErrorPath, options: Any) -> None:
    if not isinstance(options, list):
        return
    if len(options) > COMMAND_OPTIONS_MAX:
        errors.add_pair(path, max_length(COMMAND_OPTIONS_MAX))
    names: set[str] = set()
    optional_seen = False
    for i, opt in enumerate(options):
        if not isinstance(opt, Mapping):
            continue
        opath = (*path, i)
        name = opt.get("name")
        _check_name(errors, (*opath, "name"), name, chat_input=True)
        for locale, text in (opt.get("name_localizations") or {}).items():
            _check_name(errors, (*opath, "name_localizations", locale), text, chat_input=True)
        if isinstance(name, str):
            if name in names:
                errors.add(
                    (*opath, "name"),
                    "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                    "Option names must be unique",
                )
            names.add(name)
        _check_len(
            errors, (*opath, "description"), opt.get("description"), COMMAND_DESCRIPTION_MAX, 1, required=True
        )
        if opt.get("type") in _SUBCOMMAND_TYPES:
            _check_options(errors, (*opath, "options"), opt.get("options"))
            continue
        if opt.get("required"):
            if optional_seen:
                errors.add(
                    (*opath, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        _check_choices(errors, (*opath, "choices"), opt.get("choices"))


def check_command_limits(commands: Any) -> dict[str, Any]:
    """Errors for a bulk command sync body: names, descriptions, options, sizes, counts."""
    errors = ErrorCollector()
    if not isinstance(commands, list):
        return {}
    counts: dict[int, int] = {}
    seen: set[tuple[int, str]] = set()
    for i, cmd in enumerate(commands):
        if not isinstance(cmd, Mapping):
            continue
        kind = cmd.get("type") or _CHAT_INPUT
        counts[kind] = counts.get(kind, 0) + 1
        chat_input = kind == _CHAT_INPUT
        name = cmd.get("name")
        _check_name(errors, (i, "name"), name, chat_input=chat_input)
        for locale, text in (cmd.get("name_localizations") or {}).items():
            _check_name(errors, (i, "name_localizations", locale), text, chat_input=chat_input)
        if isinstance(name, str):
            if (kind, name) in seen:
                errors.add(
                    (i, "name"),
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    "Application command names must be unique",
                )
            seen.add((kind, name))
        if chat_input:
            _check_len(
                errors, (i, "description"), cmd.get("description"), COMMAND_DESCRIPTION_MAX, 1, required=True
            )
            _check_options(errors, (i, "options"), cmd.get("options"))
        if _command_size(cmd) > COMMAND_TOTAL_MAX:
            errors.add(
                (i,), "APPLICATION_COMMAND_TOO_LARGE", f"Command exceeds maximum size ({COMMAND_TOTAL_MAX})"
            )
    if counts.get(_CHAT_INPUT, 0) > CHAT_INPUT_COMMANDS_MAX:
        errors.add_pair((), max_length(CHAT_INPUT_COMMANDS_MAX))
    if any(counts.get(k, 0) > CONTEXT_MENU_COMMANDS_MAX for k in (2, 3)):
        errors.add_pair((), max_length(CONTEXT_MENU_COMMANDS_MAX))
    return errors.nested()


def check_request_limits(method: str, template: str, body: Any) -> dict[str, Any]:
    """Own-limit errors for a request, chosen by HTTP method and spec path template."""
    method = method.upper()
    if template.endswith("/callback") and template.startswith("/interactions/"):
        return check_interaction_callback_limits(body)
    if method == "PUT" and template.endswith("/commands"):
        return check_command_limits(body)
    if method == "POST" and template.endswith("/commands"):
        return check_command_limits([body]).get("0", {}) if isinstance(body, Mapping) else {}
    if method in ("POST", "PATCH") and (
        template.startswith("/channels/{channel_id}/messages")
        or template.startswith("/webhooks/{webhook_id}/")
    ):
        return check_message_limits(body) if isinstance(body, Mapping) else {}
    return {}
