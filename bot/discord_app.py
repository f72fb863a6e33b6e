"""The Discord bot: one client that owns the fact store, the search index and the state database.

Slash commands live in `commands/` as one extension per feature; each is a thin adapter from Discord's
options to one answer function and the Discord renderer. Everything that answers an interaction goes
through `send_page`, which knows whether the interaction was already answered or deferred, and every
message is sent with mentions disabled.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import importlib
import json
import logging
import pkgutil
import re
import sys
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands as ext
from rich.console import Console

from bot.answers import Facts, QueryError
from bot.answers.daily import daily_snippet, snippet_candidates
from bot.config import Settings
from bot.daily import DailyRunner, SnippetCandidate, StateDB
from bot.render.discord import CHOICE_VALUE_MAX, CONTENT_MAX, NO_MENTIONS, Page, cut
from bot.render.text import printable
from bot.store.reader import freeze_loaded_facts
from bot.translations import FactTranslator

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
Pager = Callable[[Facts, dict[str, Any]], Awaitable[Sequence[Page]]]

COMMANDS_PACKAGE = "commands"
PAGE_QUERIES_KEPT = 1000  # page-button queries the state database keeps (the most recently saved)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UserFacingError(Exception):
    """An error whose message is meant for the user as it is."""


class FactTree(app_commands.CommandTree):
    """The command tree: every failure becomes a short ephemeral reply and one log line."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Every command and autocomplete interaction passes here first: its options are brought in line
        with the commands as this code defines them (see `conform_options`)."""
        command = interaction.command
        if isinstance(command, app_commands.Command) and isinstance(interaction.data, dict):
            conform_options(
                command,
                leaf_options(interaction.data),
                autocomplete=interaction.type is discord.InteractionType.autocomplete,
            )
        return True

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await reply_failure(interaction, error)


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
    """Answer a failed interaction with a short ephemeral reply, and log what the user cannot fix."""
    original = getattr(error, "original", error)
    if isinstance(original, QueryError | UserFacingError):
        message = str(original)
    elif isinstance(error, app_commands.CommandOnCooldown):
        message = f"Slow down a little: try again in {error.retry_after:.0f} s."
    elif isinstance(original, app_commands.MissingPermissions | app_commands.CheckFailure):
        message = "You need the **Manage Server** permission for that."
    elif isinstance(error, app_commands.TransformerError):
        message = f"I could not read the value {cut(str(error.value), 60)!r}. Please pick one from the list."
    else:
        message = "Something went wrong on my side. The operators have been told; please try again later."
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


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"pg:(?P<kind>[a-z]+):(?P<qid>[0-9a-f]{12}):(?P<page>\d+)",
):
    """A pagination button that keeps working after a restart: its custom_id carries the query and page."""

    def __init__(self, kind: str, qid: str, page: int, *, label: str, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                custom_id=f"pg:{kind}:{qid}:{page}",
            )
        )
        self.kind, self.qid, self.page = kind, qid, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: re.Match[str], /
    ) -> PageButton:
        return cls(match["kind"], match["qid"], int(match["page"]), label=item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self._turn_page(interaction)
        except Exception as exc:
            # A view's errors go to the view, which only logs them: answer here as the command tree would.
            await reply_failure(interaction, exc)

    async def _turn_page(self, interaction: discord.Interaction) -> None:
        bot = interaction.client
        assert isinstance(bot, FactBot)
        options = await bot.load_query(self.qid)
        pager = bot.pagers.get(self.kind)
        if options is None or pager is None:
            raise UserFacingError("These results have expired. Please run the command again.")
        pages = await pager(bot.facts, options)
        page = max(0, min(self.page, len(pages) - 1))
        await interaction.response.edit_message(
            embeds=pages[page].embeds,
            attachments=[],
            view=pager_view(self.kind, self.qid, page, len(pages)),
            allowed_mentions=NO_MENTIONS,
        )


def pager_view(kind: str, qid: str, page: int, pages: int) -> discord.ui.View | None:
    """Previous/next buttons for a paged answer (None when it fits on one page)."""
    if pages <= 1:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(PageButton(kind, qid, max(page - 1, 0), label="◀ Previous", disabled=page == 0))
    view.add_item(PageButton(kind, qid, min(page + 1, pages - 1), label="Next ▶", disabled=page >= pages - 1))
    return view


def yield_between_gateway_messages() -> None:
    """Let the event loop run other work between gateway messages, not only when the socket is empty.

    discord.py reads gateway messages in a loop that awaits the socket, but a socket with data buffered
    returns at once, so a burst of 500 interactions is parsed in one go (~0.2 s here) while the answers
    already started and every timer wait. One `sleep(0)` per message interleaves the two.
    """
    from discord.gateway import DiscordWebSocket

    if getattr(DiscordWebSocket.poll_event, "yields", False):
        return
    poll = DiscordWebSocket.poll_event

    async def poll_event(self: DiscordWebSocket) -> None:
        await poll(self)
        await asyncio.sleep(0)

    poll_event.yields = True  # type: ignore[attr-defined]
    DiscordWebSocket.poll_event = poll_event  # type: ignore[method-assign]


class FactBot(ext.Bot):
    """The bot: owns the facts, the state database and the daily runner; loads every command extension."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        sync_commands: bool = True,
        run_daily: bool = True,
        **options: Any,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=ext.when_mentioned,
            intents=intents,
            tree_cls=FactTree,
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            **options,
        )
        yield_between_gateway_messages()
        self.settings = settings
        self.clock = clock
        self.sync_commands = sync_commands
        self.run_daily = run_daily
        self.pagers: dict[str, Pager] = {}
        self._saved_queries: OrderedDict[str, None] = OrderedDict()  # the most recently written, oldest first
        self._facts: Facts | None = None
        self._state: StateDB | None = None
        self.daily: DailyRunner | None = None
        self._daily_stop = asyncio.Event()
        self._daily_task: asyncio.Task[None] | None = None
        self.synced = False

    @property
    def facts(self) -> Facts:
        if self._facts is None:
            raise RuntimeError("the fact store is not open yet")
        return self._facts

    @property
    def state(self) -> StateDB:
        if self._state is None:
            raise RuntimeError("the state database is not open yet")
        return self._state

    async def setup_hook(self) -> None:
        """Build (or check) the fact store, open it and the state database, load the commands.

        A store or state database that cannot be used raises StoreError or StateError with a one-line
        message; `factbot` prints it and exits 1 before connecting to the gateway.
        """
        from bot.build import build_store

        report = await build_store(self.settings.articles, self.settings.db_path)
        for skipped in report.skipped:
            log.warning("article skipped: %s: %s", skipped.path, skipped.reason)
        self._facts = await Facts.open(self.settings.db_path)
        freeze_loaded_facts()
        self._state = await StateDB.open(self.settings.state_db_path)
        await self.tree.set_translator(FactTranslator())
        for name in extension_names():
            await self.load_extension(name)
        self.add_dynamic_items(PageButton)
        self.daily = DailyRunner(
            self.state,
            self._snippet_candidates,
            self._post_snippet,
            self.clock,
            pause_after=self.settings.daily_pause_after,
            was_delivered=self._was_delivered,
        )
        if self.sync_commands:
            await self.sync_if_changed()

    async def on_ready(self) -> None:
        log.info("ready as %s in %d guild(s)", self.user, len(self.guilds))
        if self.run_daily and self.daily is not None and self._daily_task is None:
            self._daily_task = asyncio.create_task(
                self.daily.run_forever(self._daily_stop), name="daily-runner"
            )

    async def close(self) -> None:
        self._daily_stop.set()
        if self._daily_task is not None:
            try:
                await asyncio.wait_for(self._daily_task, timeout=5)
            except (TimeoutError, asyncio.CancelledError):
                self._daily_task.cancel()
        await super().close()
        if self._facts is not None:
            await self._facts.close()
            self._facts = None
        if self._state is not None:
            await self._state.close()
            self._state = None

    # ---- command sync ------------------------------------------------------------------------------

    def _sync_scope(self) -> tuple[discord.Object | None, str]:
        guild_id = self.settings.discord_guild_id
        return (discord.Object(guild_id) if guild_id else None), f"commands_hash:{guild_id or 'global'}"

    async def command_payload_hash(self) -> str:
        """A hash of exactly what a sync would send, translations included."""
        guild, _ = self._sync_scope()
        commands = self.tree.get_commands(guild=guild) if guild else self.tree.get_commands()
        payload = [
            await c.get_translated_payload(self.tree, self.tree.translator)
            if self.tree.translator
            else c.to_dict(self.tree)
            for c in commands
        ]
        return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    async def sync_if_changed(self, *, force: bool = False) -> bool:
        """Sync the commands when their payload differs from the last one synced (Discord caps creates)."""
        guild, key = self._sync_scope()
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        digest = await self.command_payload_hash()
        if not force and await self.state.get_value(key) == digest:
            log.info("commands unchanged since the last sync; not syncing")
            return False
        synced = await self.tree.sync(guild=guild)
        await self.state.set_value(key, digest)
        self.synced = True
        log.info("synced %d commands (%s)", len(synced), "guild" if guild else "global")
        return True

    # ---- pagination ----------------------------------------------------------------------------------

    async def save_query(self, kind: str, options: dict[str, Any]) -> str:
        """Remember a query so its page buttons work later, even after a restart; returns its id.

        The state database keeps the PAGE_QUERIES_KEPT most recently saved; older buttons answer that
        their results expired.
        """
        blob = json.dumps({"kind": kind, "options": options}, sort_keys=True, ensure_ascii=False)
        qid = hashlib.sha256(blob.encode()).hexdigest()[:12]
        # A popular question is written once, not once per asker: a query among the last half of those
        # written is still kept, so it needs no write. Saved again later, it counts as recent again.
        if qid in self._saved_queries:
            return qid
        await self.state.save_page_query(qid, blob, keep=PAGE_QUERIES_KEPT)
        self._saved_queries[qid] = None
        if len(self._saved_queries) > PAGE_QUERIES_KEPT // 2:
            self._saved_queries.popitem(last=False)
        return qid

    async def load_query(self, qid: str) -> dict[str, Any] | None:
        blob = await self.state.load_page_query(qid)
        if blob is None:
            return None
        try:
            return dict(json.loads(blob)["options"])
        except (ValueError, KeyError, TypeError):
            return None

    async def send_paged(
        self,
        interaction: discord.Interaction,
        kind: str,
        options: dict[str, Any],
        pages: Sequence[Page],
        *,
        file: discord.File | None = None,
    ) -> None:
        """Send the first page, with buttons for the rest."""
        view = None
        if len(pages) > 1:
            view = pager_view(kind, await self.save_query(kind, options), 0, len(pages))
        await send_page(interaction, pages[0], view=view, file=file)

    # ---- daily snippets --------------------------------------------------------------------------

    async def _snippet_candidates(self) -> list[SnippetCandidate]:
        return await snippet_candidates(self.facts)

    async def _post_snippet(self, channel_id: int, candidate: SnippetCandidate, local_date: dt.date) -> int:
        from bot.render.discord import daily_page

        snippet = await daily_snippet(self.facts, candidate.key, local_date)
        if snippet is None:
            raise LookupError(f"fact {candidate.key} is no longer in the store")
        channel = self.get_channel(channel_id) or await self.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise LookupError(f"channel {channel_id} cannot receive messages")
        page = daily_page(snippet)
        message = await channel.send(embeds=page.embeds, allowed_mentions=NO_MENTIONS)
        return message.id

    async def _was_delivered(self, channel_id: int, local_date: dt.date, fact_key: str) -> bool | None:
        from bot.render.discord import daily_marker

        try:
            channel = self.get_channel(channel_id) or await self.fetch_channel(channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                return None
            marker = daily_marker(local_date, fact_key)
            async for message in channel.history(limit=25):
                if (
                    self.user
                    and message.author.id == self.user.id
                    and any(e.footer.text and marker in e.footer.text for e in message.embeds)
                ):
                    return True
            return False
        except discord.HTTPException:
            return None


def extension_names() -> list[str]:
    """Every command extension in `commands/`: one module per feature, each with `async def setup(bot)`."""
    package = importlib.import_module(COMMANDS_PACKAGE)
    return sorted(
        f"{COMMANDS_PACKAGE}.{m.name}"
        for m in pkgutil.iter_modules(package.__path__)
        if not m.name.startswith("_")
    )


def run_bot(command: str, args: argparse.Namespace, settings: Settings, err: Console) -> int:
    """`factbot run` (the bot until stopped) or `factbot sync` (sync the commands now and exit).

    What stops it is said in one line on stderr, with exit code 2 for settings to fix and 1 otherwise; a
    store or state database that cannot be used raises StoreError or StateError, which `factbot` reports.
    """
    from bot.discord_urls import apply_discord_urls, restore_discord_urls

    if args.db is not None:
        settings = settings.model_copy(update={"db_path": Path(args.db)})
    if args.articles:
        settings = settings.model_copy(update={"articles": list(args.articles)})
    try:
        previous = apply_discord_urls(settings.discord_api_base_url, settings.discord_gateway_url)
    except ValueError as exc:
        return _say(f"factbot: error: bad settings: {exc}", 2)
    try:
        return _run_or_sync(command, settings)
    finally:
        # The URLs are discord.py's, for the whole process: leave them as they were found.
        restore_discord_urls(previous)


def _run_or_sync(command: str, settings: Settings) -> int:
    token = settings.discord_token.get_secret_value() if settings.discord_token else ""
    try:
        if command == "sync":
            asyncio.run(_sync_once(settings, token))
        else:
            FactBot(settings).run(token, log_handler=None)
    except discord.LoginFailure:
        return _say(
            "factbot: Discord refused the token (DISCORD_TOKEN); check it in the developer portal.", 2
        )
    except (OSError, aiohttp.ClientError, discord.GatewayNotFound) as exc:
        return _say(
            f"factbot: cannot reach Discord at {settings.discord_api_base_url}: {type(exc).__name__}", 1
        )
    return 0


def _say(message: str, code: int) -> int:
    # Plain print, not the rich console: a line wrapped at the terminal's width is no longer one line.
    print(printable(message, one_line=True), file=sys.stderr)
    return code


async def _sync_once(settings: Settings, token: str) -> None:
    bot = FactBot(settings, sync_commands=False, run_daily=False)
    try:
        await bot.login(token)
        changed = await bot.sync_if_changed(force=True)
        log.info("sync done (%s)", "changed" if changed else "unchanged")
    finally:
        await bot.close()
