"""The fact store a long-running process answers from, replaced by a newer build without a restart.

A build never changes a store file in place: it writes a new file and renames it over the old one, so a
process that opened the old file keeps reading it, unchanged, for as long as it keeps it open. `LiveFacts`
holds the store answers come from now (`current`) and lets a newer one take its place (`replace`):

* an answer *holds* the store it started on (`hold`, around everything it does: answering, rendering,
  sending), and inside the hold `current` is that store, whatever replaced it meanwhile: one answer never
  mixes two builds, and the facts it cites stay readable until it is done;
* answers that start after `replace` get the new store at once;
* the old store is closed when the last answer holding it is done, or after `drain_seconds` at the latest
  (an interaction can be answered for 15 minutes; an answer still holding it then fails with a friendly
  error, which is better than keeping a closed build's memory for ever).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextvars import ContextVar
from pathlib import Path

from bot.answers.base import Facts
from bot.store.integrity import seal_id
from bot.store.reader import StoreError

log = logging.getLogger(__name__)

DRAIN_SECONDS = 15 * 60.0  # how long an interaction can still be answered: Discord's token lifetime

# The store held by the running answer, and by which LiveFacts (a process may run more than one bot).
_HELD: ContextVar[tuple[LiveFacts, Facts] | None] = ContextVar("factbot_held_facts", default=None)


class LiveFacts:
    """The open fact store answers come from, which a newer build can replace while answers run."""

    def __init__(self, facts: Facts, *, drain_seconds: float = DRAIN_SECONDS) -> None:
        if drain_seconds < 0:
            raise ValueError("drain_seconds must be >= 0")
        self._current = facts
        self._drain_seconds = drain_seconds
        self._users: dict[int, int] = {}  # id(facts) -> answers holding it
        self._released: dict[int, asyncio.Event] = {}  # replaced stores' "no one holds it any more"
        self.replaced = 0  # how many times a newer store took over

    @property
    def current(self) -> Facts:
        """The store held by the answer running in this context, else the newest one."""
        held = _HELD.get()
        if held is not None and held[0] is self:
            return held[1]
        return self._current

    def holders(self, facts: Facts) -> int:
        """How many answers hold `facts` now."""
        return self._users.get(id(facts), 0)

    @contextlib.asynccontextmanager
    async def hold(self) -> AsyncIterator[Facts]:
        """Answer from one store from start to end: `current` is this store inside, even if replaced."""
        held = _HELD.get()
        if held is not None and held[0] is self:
            yield held[1]  # held already by the answer this is part of
            return
        facts = self._current
        key = id(facts)
        self._users[key] = self._users.get(key, 0) + 1
        token = _HELD.set((self, facts))
        try:
            yield facts
        finally:
            _HELD.reset(token)
            left = self._users[key] - 1
            if left:
                self._users[key] = left
            else:
                del self._users[key]
                if key in self._released:
                    self._released[key].set()

    async def replace(self, new: Facts) -> None:
        """Answer from `new` from now on; return once the store it replaced is closed.

        The old store is closed when no answer holds it any more (at most `drain_seconds` later). Cancelled
        while waiting, it closes the old store at once.
        """
        old = self._current
        if new is old:
            return
        self._current = new
        self.replaced += 1
        key = id(old)
        released = self._released.setdefault(key, asyncio.Event())
        if not self.holders(old):
            released.set()
        try:
            await asyncio.wait_for(released.wait(), self._drain_seconds)
        except TimeoutError:
            log.warning(
                "fact store %s: %d answer(s) still using it after %.0f s; closing it under them",
                old.store.store_id,
                self.holders(old),
                self._drain_seconds,
            )
        finally:
            self._released.pop(key, None)
            await old.close()

    async def close(self) -> None:
        """Close the current store (a store being replaced is closed by its `replace`)."""
        await self._current.close()


class StoreWatcher:
    """Puts a new build of the store file in the place of the open one, without a restart.

    The file is looked at every `poll_seconds` (0: never on its own) and whenever `check_now()` is called
    (`factbot run` calls it on SIGHUP). A file that changed and holds another build is opened and checked
    like any store (`Facts.open`: its checksum, its schema); a file that cannot be used is reported once
    and the open store goes on answering, until the file changes again.
    """

    def __init__(
        self,
        live: LiveFacts,
        path: Path,
        poll_seconds: float,
        *,
        on_replaced: Callable[[Facts], None] | None = None,
    ) -> None:
        if poll_seconds < 0:
            raise ValueError("poll_seconds must be >= 0")
        self._live = live
        self._path = path
        self._poll = poll_seconds
        self._on_replaced = on_replaced
        self._wake = asyncio.Event()
        self._seen: tuple[int, int, int] | None = None  # the file as last looked at: inode, size, mtime

    def check_now(self) -> None:
        """Look at the file at once (safe to call from a signal handler on the loop)."""
        self._wake.set()

    async def run(self) -> None:
        """Look at the file until cancelled; a failure to look is logged, never raised."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll or None)
            self._wake.clear()
            try:
                await self.check()
            except Exception:
                log.exception("fact store %s: cannot look for a new build; will look again", self._path)

    async def check(self) -> bool:
        """Replace the store if the file holds a usable new build; True if it did."""
        try:
            stat = await asyncio.to_thread(os.stat, self._path)
            seen = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
            if seen == self._seen:
                return False
            self._seen = seen
            new_id = await asyncio.to_thread(seal_id, self._path)
        except OSError as exc:
            if self._seen is not None:
                log.warning(
                    "fact store %s cannot be read (%s); still answering from the store opened before",
                    self._path,
                    exc.strerror or exc,
                )
            self._seen = None
            return False
        if new_id == self._live.current.store.store_id:
            return False
        try:
            # Opened on a thread of its own: reading and indexing a build is seconds of work (2.5 s at
            # 10,000 articles) that would stall every answer for 1.3 s at a time on the loop; beside it,
            # the loop stalls 84 ms at most. The store is then used from this loop (aiosqlite answers on
            # whichever loop asks).
            new = await _open_beside(self._path)
        except StoreError as exc:
            log.error("%s; still answering from store %s", exc, self._live.current.store.store_id)
            return False
        old_id = self._live.current.store.store_id
        log.info("fact store %s: new build %s replaces %s", self._path, new.store.store_id, old_id)
        await self._live.replace(new)
        if self._on_replaced is not None:
            self._on_replaced(new)
        return True


async def _open_beside(path: Path) -> Facts:
    """`Facts.open(path)` with an event loop of its own on a worker thread (see `StoreWatcher.check`).

    Cancelled meanwhile (the bot stopping), it still waits for the thread to finish and closes what it
    opened: a store left open keeps its connection's thread, and with it the process, alive.
    """
    opening = asyncio.ensure_future(asyncio.to_thread(asyncio.run, Facts.open(path)))
    try:
        return await asyncio.shield(opening)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await (await opening).close()
        raise
