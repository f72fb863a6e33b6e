"""Waiting in tests: always for an event (a frame, a log line, a file, a process exit), never for a while.

Every wait names what it waits for and gives up after `DEADLINE` seconds with a message saying what never
happened. The deadline is generous on purpose: these machines are shared, and with another process taking a
whole core a start-up that takes 2 s alone can take ten times that. A wait that is met returns at once, so
the deadline costs nothing when the test passes; a test that hangs anywhere else is stopped by
pytest-timeout (pyproject.toml).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord

T = TypeVar("T")

DEADLINE = 60.0


async def within(awaitable: Awaitable[T], what: str, deadline: float = DEADLINE) -> T:
    """Await `awaitable`; after `deadline` seconds fail with "`what` did not happen within N s"."""
    try:
        async with asyncio.timeout(deadline) as scope:
            return await awaitable
    except TimeoutError:
        if scope.expired():
            raise TimeoutError(f"{what} did not happen within {deadline:g} s") from None
        raise  # the awaitable's own timeout, with its own message


async def client_ready(client: discord.Client, running: asyncio.Task[Any], guild_id: int) -> None:
    """Wait until `client` is READY with the guild in its cache, or fail saying why (its task ended, or when).

    Tests shorten discord.py's `guild_ready_timeout` so that READY comes fast; on a loaded machine READY can
    then come before the guild's GUILD_CREATE is handled, and the guild arrives just after as
    `guild_available`. Tests that read the guild from the cache need it there, so this waits for that too.
    """

    async def ready_with_guild() -> None:
        await client.wait_until_ready()
        if client.get_guild(guild_id) is None:
            await client.wait_for("guild_available", check=lambda guild: guild.id == guild_id)

    waiter = asyncio.ensure_future(ready_with_guild())
    try:
        done, _ = await asyncio.wait({waiter, running}, timeout=DEADLINE, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not waiter.done():
            waiter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waiter
    if waiter in done:
        waiter.result()
        return
    if running in done:
        running.result()  # raises what stopped the client, if anything did
        raise AssertionError("the client stopped before it was READY")
    raise TimeoutError(f"the client was not READY with guild {guild_id} within {DEADLINE:g} s")


class ProcessOutput:
    """The output of a child process, read line by line as it comes, so a test can wait for a given line."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        if proc.stdout is None:
            raise ValueError("the process needs stdout=PIPE")
        self.proc = proc
        self.lines: list[str] = []
        self._changed = asyncio.Event()
        self._reader = asyncio.ensure_future(self._read(proc.stdout))

    async def _read(self, stream: asyncio.StreamReader) -> None:
        while line := await stream.readline():
            self.lines.append(line.decode(errors="replace"))
            self._changed.set()
        self._changed.set()

    @property
    def text(self) -> str:
        """Everything read so far."""
        return "".join(self.lines)

    async def line_containing(self, needle: str, what: str, deadline: float = DEADLINE) -> str:
        """The first line containing `needle`, waiting for it; fails if the process ends or time runs out."""

        async def wait() -> str:
            seen = 0
            while True:
                for line in self.lines[seen:]:
                    if needle in line:
                        return line
                seen = len(self.lines)
                if self._reader.done():
                    raise AssertionError(
                        f"{what}: the process ended (exit code {await self.proc.wait()}) before printing "
                        f"{needle!r}; its output:\n{self.text}"
                    )
                self._changed.clear()
                await self._changed.wait()

        try:
            return await within(wait(), what, deadline)
        except TimeoutError as exc:
            await self._abort()
            raise TimeoutError(f"{exc}; its output:\n{self.text}") from None

    async def exit(self, what: str, deadline: float = DEADLINE) -> int:
        """Wait for the process to end and its output to be read; kill it (and fail) after `deadline`."""
        try:
            # The reader is shielded: after a kill it still reads what the process wrote before dying.
            await within(asyncio.gather(self.proc.wait(), asyncio.shield(self._reader)), what, deadline)
        except TimeoutError as exc:
            await self._abort()
            raise TimeoutError(f"{exc}; its output:\n{self.text}") from None
        return self.proc.returncode if self.proc.returncode is not None else -1

    async def _abort(self) -> None:
        """End a hung process: SIGABRT first, so that a child run with PYTHONFAULTHANDLER=1 prints where
        every thread of it was stuck, then SIGKILL if that did not end it."""
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGABRT)
        await asyncio.wait({asyncio.ensure_future(self.proc.wait())}, timeout=10)
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        await self.proc.wait()
        await asyncio.wait({self._reader}, timeout=DEADLINE)

    async def kill(self) -> None:
        """End the process if it still runs (after a failed test), and stop reading."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            await self.proc.wait()
        await asyncio.wait({self._reader}, timeout=DEADLINE)


async def run_process(*argv: str, what: str, deadline: float = DEADLINE, **kwargs: Any) -> tuple[int, str]:
    """Run a child process to its end with stdout and stderr together; returns (exit code, output)."""
    proc = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, **kwargs
    )
    output = ProcessOutput(proc)
    try:
        code = await output.exit(what, deadline)
    finally:
        await output.kill()
    return code, output.text
