"""How far a build has got: each phase by name, for a progress bar or, without a terminal, for the log.

A build extracts the articles (most of its time), then corroborates each kind of fact in the workers while
it writes the kinds already grouped, then seals the new store (the last rows, the indexes, the checksum)
and swaps it in. At 10,000 articles everything after extraction takes about a third of the build, so
a bar that only counted articles sat at 100 % for it, and a build run by systemd, Docker or `factbot run`
printed nothing at all until it ended.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

log = logging.getLogger(__name__)

Phase = Literal["extract", "corroborate", "write", "seal"]

# What each phase does, for whoever reads a progress line.
PHASES: dict[Phase, str] = {
    "extract": "reading and extracting the articles",
    "corroborate": "grouping the facts several articles state",
    "write": "writing rows to the new store",
    "seal": "finishing the rows and indexes, checksumming and swapping the store in",
}

# Without a terminal, a phase that runs on is logged at most this often.
LOG_EVERY_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Step:
    """Where a build is: its phase, what the phase works on, and how much of it is done."""

    phase: Phase
    what: str  # "articles", "quotes", "events", "island facts", "store"
    done: int
    total: int

    @property
    def finished(self) -> bool:
        return self.done >= self.total

    def describe(self) -> str:
        """'extract: 3,200 of 10,000 articles (32 %)', or 'corroborate quotes' for a step counted once."""
        if self.total > 1:
            share = 100 * self.done // self.total
            return f"{self.phase}: {self.done:,} of {self.total:,} {self.what} ({share} %)"
        return f"{self.phase} {self.what}" + (" done" if self.finished else "")


Progress = Callable[[Step], None]


class LoggedProgress:
    """Progress as log lines: the start and the end of each step, and a step that runs on every so often.

    For builds whose output is not a terminal: a service's journal, a container's log, a pipe.
    """

    def __init__(
        self,
        every: float = LOG_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        logger: logging.Logger = log,
    ) -> None:
        self._every = every
        self._clock = clock
        self._log = logger
        self._current: tuple[Phase, str] | None = None
        self._last = 0.0

    def __call__(self, step: Step) -> None:
        now = self._clock()
        if (step.phase, step.what) != self._current:
            self._current, self._last = (step.phase, step.what), now
            self._log.info("build: %s — %s", step.describe(), PHASES[step.phase])
            return
        # A step counted once is over when the next one starts; a counted one says how far it got.
        if step.total > 1 and (step.finished or now - self._last >= self._every):
            self._last = now
            self._log.info("build: %s", step.describe())
