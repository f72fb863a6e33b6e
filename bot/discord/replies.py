"""Answering interactions: the command tree's one error handler and the one way a reply is sent.

Every failure becomes a short ephemeral reply and, when the user cannot fix it, one log line with the
interaction id. Every reply goes through `send_page`, which knows whether the interaction was already
answered or deferred (then it sends a follow-up), and every message is sent with mentions disabled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Callable
from typing import Any, cast

import discord
from discord import app_commands

from bot.answers import QueryError
from bot.discord.autocomplete import CHOICE_VALUE_MAX
from bot.discord.embeds import CONTENT_MAX, NO_MENTIONS, Page, cut
from bot.render.locales import translate
from bot.render.wording import query_error

log = logging.getLogger(__name__)


class UserFacingError(Exception):
    """An error whose message is meant for the user as it is."""


QUIET_AFTER_S = 0.3  # no other command for this long: a burst is over


class Backlog:
    """When slash commands arrive and when they have had their first response: work that can wait (the
    follow-up of a deferred answer, a chart) waits for a burst of them to pass.

    In a burst every command's first response competes for the one interpreter, and Discord's deadline
    for it is 3 s; a deferred answer's follow-up has 15 minutes, and a timeline's chart costs as much as a
    few hundred answers. Commands are told apart by their interaction id.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        # The last two arrivals, oldest first: the latest one that is not the caller's own.
        self._arrivals: list[tuple[int, float]] = []
        self._unanswered: set[int] = set()  # commands that arrived and have had no first response yet
        self._all_answered = asyncio.Event()
        self._all_answered.set()
        self._turns = asyncio.Lock()

    def received(self, interaction_id: int) -> None:
        """A slash command arrived now."""
        self._arrivals = [*self._arrivals[-1:], (interaction_id, self._clock())]
        self._unanswered.add(interaction_id)
        self._all_answered.clear()

    def responded(self, interaction_id: int) -> None:
        """A command had its first response (an answer or a deferral), or ended without one."""
        self._unanswered.discard(interaction_id)
        if not self._unanswered:
            self._all_answered.set()

    @property
    def unanswered(self) -> int:
        """Commands that arrived and are still waiting for their first response."""
        return len(self._unanswered)

    async def until_answered(self, patience: float) -> bool:
        """Wait until every command that arrived has had its first response, for up to `patience` seconds.

        True when they all had; False when some still wait (the caller goes on anyway). What waited then
        goes on one at a time, one turn of the event loop each: hundreds of follow-ups released at the same
        moment would otherwise hold the loop in one go.
        """
        answered = True
        if not self._all_answered.is_set():
            try:
                async with asyncio.timeout(patience):
                    await self._all_answered.wait()
            except TimeoutError:
                answered = False
        async with self._turns:
            await asyncio.sleep(0)
        return answered

    def quiet_for(self, interaction_id: int) -> float:
        """Seconds since any command other than this one arrived (infinite when none did)."""
        others = [at for iid, at in self._arrivals if iid != interaction_id]
        return self._clock() - others[-1] if others else float("inf")

    async def until_quiet(self, interaction_id: int, patience: float) -> bool:
        """Wait until no other command arrived for QUIET_AFTER_S, for up to `patience` seconds.

        True when it got quiet; False when commands kept coming (the caller should do without).
        """
        deadline = self._clock() + patience
        while (quiet := self.quiet_for(interaction_id)) < QUIET_AFTER_S:
            left = deadline - self._clock()
            if left <= 0:
                return False
            await asyncio.sleep(min(QUIET_AFTER_S - quiet, left))
        return True


class FactTree(app_commands.CommandTree):
    """The command tree: every failure becomes a short ephemeral reply and one log line."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Every command and autocomplete interaction passes here first: its options are brought in line
        with the commands as this code defines them (see `conform_options`), and a command's arrival is
        noted in the client's `Backlog`."""
        backlog = getattr(interaction.client, "backlog", None)
        if isinstance(backlog, Backlog) and interaction.type is discord.InteractionType.application_command:
            backlog.received(interaction.id)
        command = interaction.command
        if isinstance(command, app_commands.Command) and isinstance(interaction.data, dict):
            conform_options(
                command,
                leaf_options(cast(dict[str, Any], interaction.data)),  # a raw payload, edited in place
                autocomplete=interaction.type is discord.InteractionType.autocomplete,
            )
        return True

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await reply_failure(interaction, error)

    async def _call(self, interaction: discord.Interaction) -> None:
        # discord.py runs every command, context menu and autocomplete interaction through here: each
        # answers from the one fact store it started on, even when a newer build replaces it meanwhile.
        # A command that ends has had its first response (or never will): the backlog stops waiting for it.
        try:
            async with holding_facts(interaction.client):
                await super()._call(interaction)
        finally:
            backlog = getattr(interaction.client, "backlog", None)
            if isinstance(backlog, Backlog):
                backlog.responded(interaction.id)


def holding_facts(client: discord.Client) -> contextlib.AbstractAsyncContextManager[object]:
    """The client's `hold_facts()` (see `bot.answers.live`), or nothing to hold for a client without one."""
    hold = getattr(client, "hold_facts", None)
    return hold() if callable(hold) else contextlib.nullcontext()


def leaf_options(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The options of the command itself in an interaction's data, below any subcommand or group."""
    options = data.get("options") or []
    while options and isinstance(options[0], dict) and options[0].get("type") in (1, 2):
        options = options[0].get("options") or []
    return [o for o in options if isinstance(o, dict)]


def conform_options(
    command: app_commands.Command[Any, ..., Any], options: list[dict[str, Any]], *, autocomplete: bool
) -> None:
    """Bring option values in line with the command's parameters, in place.

    Discord can send values of another type than the command now declares (a client that still has an
    older registration): a number where text is expected is taken as its text, and a whole number sent as
    text or as a fraction like 1956.0 as the number; anything else is left to the command's own checks.
    The partial values of an autocomplete are cut to the longest value a choice can have: nothing longer
    can be offered, and searching 6,000 characters per keystroke would make every answer late.
    """
    parameters = {p.display_name: p.type for p in command.parameters}
    for option in options:
        wanted = parameters.get(str(option.get("name")))
        value = option.get("value")
        if wanted is not None and option.get("type") != wanted.value:
            converted = _as_type(value, wanted)
            if converted is not None:
                option["value"], option["type"] = converted, wanted.value
                value = converted
        if autocomplete and isinstance(value, str):
            option["value"] = value[:CHOICE_VALUE_MAX]


def _as_type(value: object, wanted: discord.AppCommandOptionType) -> str | int | float | None:
    """`value` as the option type `wanted`, or None when it cannot be taken as one without guessing."""
    if isinstance(value, bool):
        return str(value).lower() if wanted is _STRING else None
    if not isinstance(value, str | int | float):
        return None
    if wanted is _STRING:
        return str(value)
    if wanted is discord.AppCommandOptionType.integer:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,18}\s*", value):
            return int(value)
    if wanted is discord.AppCommandOptionType.number and isinstance(value, str | int):
        try:
            return float(value)
        except ValueError:
            return None
    return None


_STRING = discord.AppCommandOptionType.string


async def reply_failure(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer a failed interaction with a short ephemeral reply in the asker's language, and log what the
    user cannot fix."""
    original = getattr(error, "original", error)
    locale = str(interaction.locale)
    if isinstance(original, QueryError):
        message = query_error(original, locale)
    elif isinstance(original, UserFacingError):
        message = translate(locale, str(original))  # the messages with nothing filled in are translated
    elif isinstance(error, app_commands.CommandOnCooldown):
        message = translate(
            locale, "Slow down a little: try again in {seconds} s.", seconds=f"{error.retry_after:.0f}"
        )
    elif isinstance(original, app_commands.MissingPermissions | app_commands.CheckFailure):
        message = translate(locale, "You need the **Manage Server** permission for that.")
    elif isinstance(error, app_commands.TransformerError):
        message = translate(
            locale,
            "I could not read the value {value}. Please pick one from the list.",
            value=repr(cut(str(error.value), 60)),
        )
    else:
        message = translate(
            locale, "Something went wrong on my side. The operators have been told; please try again later."
        )
        log.error(
            "interaction %s (%s) failed: %s",
            interaction.id,
            interaction.command.qualified_name if interaction.command else "?",
            error,
            exc_info=original if isinstance(original, BaseException) else None,
        )
    if isinstance(original, QueryError | UserFacingError | app_commands.CheckFailure):
        log.info("interaction %s refused: %s", interaction.id, message)
    try:
        # A message echoing a 6000-character option would be refused by Discord, leaving no answer.
        await send_page(interaction, Page(content=cut(message, CONTENT_MAX)), ephemeral=True)
    except discord.HTTPException:
        log.warning("interaction %s: could not deliver the error message", interaction.id)


async def send_page(
    interaction: discord.Interaction,
    page: Page,
    *,
    ephemeral: bool = False,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
) -> None:
    """Answer an interaction with a page, as the first response or as a follow-up after a deferral."""
    kwargs: dict[str, Any] = {"embeds": page.embeds, "allowed_mentions": NO_MENTIONS, "ephemeral": ephemeral}
    if page.content is not None:
        kwargs["content"] = page.content
    if view is not None:
        kwargs["view"] = view
    if file is not None:
        kwargs["file"] = file
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
