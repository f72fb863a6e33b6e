"""The Discord bot: one client that owns the fact store, the search index and the state database.

Slash commands live in `commands/` as one extension per feature; each is a thin adapter from Discord's
options to the question table (`bot.answers.questions`) and the Discord renderer (`bot.discord.embeds`).
Replies go through `bot.discord.replies`, paged answers through `bot.discord.paging`.

Sharded (`FACTBOT_SHARD_COUNT`, `factbot run --shard-count N --shard-ids 0,1`), a process runs the shards it
is given (`ShardedFactBot`, discord.py's AutoShardedBot) and any number of processes together cover them
all: they take turns to IDENTIFY through the state database (an advisory lock when it is PostgreSQL), only
the process that runs shard 0 syncs the commands, and each posts the daily snippets of its own guilds.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import hashlib
import importlib
import json
import logging
import pkgutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import aiohttp
import discord
from discord.ext import commands as ext

from bot.answers import Facts
from bot.answers.live import LiveFacts, StoreWatcher
from bot.build import build_store
from bot.config import Settings
from bot.daily import DailyRunner, StateStore, open_state
from bot.discord import patches
from bot.discord.embeds import NO_MENTIONS
from bot.discord.health import HealthServer
from bot.discord.paging import PageButton, Paging
from bot.discord.permissions import INTENTS
from bot.discord.replies import Backlog, FactTree
from bot.discord.translations import FactTranslator
from bot.render.text import printable
from bot.store.reader import freeze_loaded_facts

SETTLE_SECONDS = 10.0  # how long stopping waits for page queries being saved
log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]

COMMANDS_PACKAGE = "commands"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class FactBot(ext.Bot):
    """The bot: owns the fact store and the state database, hands them to the cogs it loads."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        sync_commands: bool = True,
        run_daily: bool = True,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=ext.when_mentioned,
            intents=discord.Intents(**dict(INTENTS)),  # a copy: the client keeps its own
            tree_cls=FactTree,
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            **options,
        )
        self.settings = settings
        self.clock = clock
        self.sync_commands = sync_commands
        self.run_daily = run_daily
        self._live: LiveFacts | None = None
        self.store_watcher: StoreWatcher | None = None
        self._watching: asyncio.Task[None] | None = None
        self._state: StateStore | None = None
        self._paging: Paging | None = None
        self.backlog = Backlog()
        self.health: HealthServer | None = None
        self.synced = False

    @property
    def facts(self) -> Facts:
        """The fact store the running answer holds (see `hold_facts`), else the newest build."""
        return self.live_facts.current

    @property
    def live_facts(self) -> LiveFacts:
        """The store answers come from, which a new build replaces without a restart (`StoreWatcher`)."""
        if self._live is None:
            raise RuntimeError("the fact store is not open yet")
        return self._live

    def hold_facts(self) -> contextlib.AbstractAsyncContextManager[Facts]:
        """Answer from one build of the store from start to end, even if a newer one replaces it meanwhile
        (every command, autocomplete, page button and daily post runs inside one)."""
        return self.live_facts.hold()

    @property
    def state(self) -> StateStore:
        if self._state is None:
            raise RuntimeError("the state database is not open yet")
        return self._state

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process serves the guild (its shard is one of this process's)."""
        return self.settings.owns_guild(guild_id)

    @property
    def syncs_commands(self) -> bool:
        """Whether this process syncs the commands: not sharded, or it runs shard 0 (one process does)."""
        ids = self.settings.shard_ids
        return not self.settings.sharded or ids is None or 0 in ids

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Wait for this process's turn to IDENTIFY: one at a time in the whole deployment, spaced by the
        identify interval (Discord's limit), whichever process asks."""
        await self.state.identify_turn(self.settings.identify_interval)

    @property
    def daily(self) -> DailyRunner | None:
        """The daily snippet runner, which the daily cog owns (None while the cog is not loaded)."""
        return getattr(self.get_cog("Daily"), "runner", None)

    @property
    def paging(self) -> Paging:
        if self._paging is None:
            raise RuntimeError("the state database is not open yet")
        return self._paging

    async def setup_hook(self) -> None:
        """Open what the bot answers from and load the commands, before it connects to the gateway.

        A store or state database that cannot be used raises StoreError or StateError with a one-line
        message; `factbot` prints it and exits 1 without going online.
        """
        self._live = LiveFacts(await open_fact_store(self.settings))
        self._state = await open_state(self.settings.state_location)
        self._paging = Paging(lambda: self.facts, self._state, self.clock)
        await self.tree.set_translator(FactTranslator())
        for name in extension_names():
            await self.load_extension(name)
        self.add_dynamic_items(PageButton)
        if self.sync_commands and self.syncs_commands:
            await self.sync_if_changed()
        if self.settings.health_port is not None:
            self.health = HealthServer(self, self.settings.health_host, self.settings.health_port)
            await self.health.start()
        self.store_watcher = StoreWatcher(
            self._live, self.settings.db_path, self.settings.store_poll_seconds, on_replaced=_refreeze
        )
        self._watching = asyncio.create_task(self.store_watcher.run(), name="factbot-store-watcher")
        if threading.current_thread() is threading.main_thread():
            with contextlib.suppress(NotImplementedError, AttributeError):  # no SIGHUP on Windows
                self.loop.add_signal_handler(signal.SIGHUP, self.store_watcher.check_now)

    async def on_ready(self) -> None:
        log.info("ready as %s in %d guild(s)", self.user, len(self.guilds))

    async def close(self) -> None:
        # Unloading the extensions first (discord.py's close does) stops the daily runner before the
        # stores it writes to are closed.
        await super().close()
        if self.health is not None:
            await self.health.stop()
            self.health = None
        if self._paging is not None:
            # Queries saved for page buttons, while the state database is open; a write that never ends
            # (a locked database) must not keep the bot from stopping.
            try:
                await asyncio.wait_for(self._paging.settle(), SETTLE_SECONDS)
            except TimeoutError:
                log.warning(
                    "page queries still being saved after %.0f s; stopping without them", SETTLE_SECONDS
                )
        if self._watching is not None:
            with contextlib.suppress(NotImplementedError, AttributeError, RuntimeError, ValueError):
                self.loop.remove_signal_handler(signal.SIGHUP)
            self._watching.cancel()  # a store being replaced is closed as it stops
            with contextlib.suppress(asyncio.CancelledError):
                await self._watching
            self._watching = None
        if self._live is not None:
            await self._live.close()
            self._live = None
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


class ShardedFactBot(FactBot, ext.AutoShardedBot):
    """The bot running the shards its settings name (all of them when none are named)."""

    def __init__(self, settings: Settings, **options: Any) -> None:
        super().__init__(settings, shard_count=settings.shard_count, shard_ids=settings.shard_ids, **options)


def make_bot(settings: Settings, **options: Any) -> FactBot:
    """The bot for these settings: sharded when a shard count is set."""
    return ShardedFactBot(settings, **options) if settings.sharded else FactBot(settings, **options)


async def open_fact_store(settings: Settings) -> Facts:
    """The fact store the bot answers from, built first when the articles changed or it is damaged.

    The build is the same as `factbot build`'s and is skipped when the store is up to date; a store that
    cannot be used (and cannot be rebuilt) raises StoreError.
    """
    report = await build_store(settings.articles, settings.db_path)
    for skipped in report.skipped:
        log.warning("article skipped: %s: %s", skipped.path, skipped.reason)
    facts = await Facts.open(settings.db_path)
    freeze_loaded_facts()
    return facts


def _refreeze(_new: Facts) -> None:
    """After a new build replaced the store: the old one's facts collected, the new one's frozen."""
    gc.unfreeze()
    freeze_loaded_facts()


def extension_names() -> list[str]:
    """Every command extension in `commands/`: one module per feature, each with `async def setup(bot)`."""
    package = importlib.import_module(COMMANDS_PACKAGE)
    return sorted(
        f"{COMMANDS_PACKAGE}.{m.name}"
        for m in pkgutil.iter_modules(package.__path__)
        if not m.name.startswith("_")
    )


def run(settings: Settings, *, sync_only: bool = False) -> int:
    """`factbot run`: the bot until it is stopped; with `sync_only`, `factbot sync`: sync the commands now.

    Returns the exit code. What stops it is said in one line on stderr, with exit code 2 for settings to
    fix and 1 otherwise; a store or state database that cannot be used raises StoreError or StateError,
    which `factbot` reports.
    """
    try:
        undo = patches.apply(settings.discord_api_base_url, settings.discord_gateway_url)
    except ValueError as exc:
        return _say(f"factbot: error: bad settings: {exc}", 2)
    try:
        return _run_or_sync(settings, sync_only)
    finally:
        undo()  # the patches are discord.py's, for the whole process: leave it as it was found


def _run_or_sync(settings: Settings, sync_only: bool) -> int:
    token = settings.discord_token.get_secret_value() if settings.discord_token else ""
    try:
        if sync_only:
            asyncio.run(_sync_once(settings, token))
        else:
            serve(make_bot(settings), token)
    except discord.LoginFailure:
        return _say(
            "factbot: Discord refused the token (DISCORD_TOKEN); check it in the developer portal.", 2
        )
    except (OSError, aiohttp.ClientError, discord.GatewayNotFound) as exc:
        return _say(
            f"factbot: cannot reach Discord at {settings.discord_api_base_url}: {type(exc).__name__}", 1
        )
    return 0


def new_event_loop() -> asyncio.AbstractEventLoop:
    """The event loop the bot runs on: uvloop's where it is installed, else asyncio's own.

    uvloop does the loop's own work (scheduling, sockets) in C; in a burst of 1,000 commands that work is
    a sixth of the bot's time, and the benchmark's load section answers the burst about twice as fast.
    """
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def serve(bot: FactBot, token: str) -> None:
    """Run the bot until it is stopped (Ctrl-C, SIGTERM), on `new_event_loop()`, as `Client.run` would.

    A stop signal closes the bot (`bot.close()`: the gateway, the daily runner, the databases), and the bot's
    task then ends by itself; a second one cancels that task. (asyncio.Runner's own Ctrl-C only cancels the
    task, and a bot stopped that way in the seconds after READY, while discord.py waits for the guilds,
    lost the cancellation and went on running in 4 to 8 tries of 12.)
    """

    async def runner() -> None:
        with _stop_on_signals(bot):
            async with bot:
                await bot.start(token)

    try:
        with asyncio.Runner(loop_factory=new_event_loop) as loop:
            loop.run(runner())
    except KeyboardInterrupt:
        # The runner has cancelled the bot's tasks; leaving `async with bot` closed it.
        return


@contextlib.contextmanager
def _stop_on_signals(bot: FactBot) -> Iterator[None]:
    """Within the bot's task: the stop signals close the bot (see `serve`); only in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    closing: list[asyncio.Task[None]] = []

    def stop(signum: signal.Signals) -> None:
        if not closing:
            log.info("%s: stopping (again to stop at once)", signum.name)
            closing.append(loop.create_task(bot.close(), name="factbot-close"))
        elif task is not None:
            task.cancel()

    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop, signum)
    try:
        yield
    finally:
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)


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
