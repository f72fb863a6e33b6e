"""Helpers the command extensions share: the bot type and autocomplete choice building."""

from __future__ import annotations

from collections.abc import Iterable

from discord import app_commands

from bot.render.discord import CHOICES_MAX, choice


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
