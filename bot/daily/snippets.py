"""Choosing which fact a channel gets on a given day."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SnippetCandidate:
    """A fact that can be posted: a stable key (e.g. 'event:12') and its month-day if it has one."""

    key: str
    month_day: tuple[int, int] | None = None


def choose_snippet(
    candidates: Sequence[SnippetCandidate],
    local_date: dt.date,
    last_posted: Mapping[str, dt.datetime],
) -> SnippetCandidate | None:
    """Pick the day's fact: an on-this-day fact if any, else the least recently posted one.

    Within either group, facts never posted come first, then the one posted longest ago; ties go to the
    smaller key so the choice is deterministic. Cycling least-recently-posted means no fact repeats until
    every fact has been used.
    """
    today = (local_date.month, local_date.day)
    pool = [c for c in candidates if c.month_day == today] or list(candidates)
    if not pool:
        return None

    def staleness(candidate: SnippetCandidate) -> tuple[float, str]:
        posted = last_posted.get(candidate.key)
        return (-math.inf if posted is None else posted.timestamp(), candidate.key)

    return min(pool, key=staleness)
