"""Autocomplete choices within Discord's limits, for every cog's autocomplete callbacks."""

from __future__ import annotations

from collections.abc import Iterable

from discord import app_commands

from bot.discord.embeds import cut

# Discord's limits (https://discord.com/developers/docs/interactions/application-commands).
CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_VALUE_MAX = 100


def choice(name: str, value: str) -> tuple[str, str]:
    """An autocomplete choice within Discord's 1–100 character limits."""
    name = cut(name.strip() or value, CHOICE_NAME_MAX) or "?"
    return name, value[:CHOICE_VALUE_MAX]


def choices(pairs: Iterable[tuple[str, str]]) -> list[app_commands.Choice[str]]:
    """At most 25 autocomplete choices, each within Discord's length limits, without duplicates."""
    out: list[app_commands.Choice[str]] = []
    seen: set[str] = set()
    for name, value in pairs:
        name, value = choice(name, value)
        if value in seen or not value:
            continue
        seen.add(value)
        out.append(app_commands.Choice(name=name, value=value))
        if len(out) >= CHOICES_MAX:
            break
    return out
