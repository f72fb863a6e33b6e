"""The daily-post state database: subscriptions, the post log and a small key-value table.

It is a separate SQLite file from the fact store so that rebuilding facts never loses subscriptions or the
record of what was posted. The post log is the source of truth for "was this day posted": a row is claimed
before a message is sent and marked sent afterwards, so a crash leaves evidence (see `DailyRunner`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import sqlite3
import stat
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal, Self, TypeVar
from zoneinfo import ZoneInfo

import aiosqlite

from bot.daily.schedule import (
    InvalidScheduleError,
    first_due_date,
    parse_post_time,
    parse_timezone,
)

__all__ = [
    "SCHEMA_VERSION",
    "ClaimLost",
    "InvalidScheduleError",
    "PostRecord",
    "StateDB",
    "StateError",
    "StateStore",
    "Subscription",
    "UnreadableRow",
    "open_state",
    "parse_post_time",
    "parse_timezone",
]

log = logging.getLogger(__name__)

UTC = dt.UTC
T = TypeVar("T")
# A row as either driver returns it (sqlite3.Row, asyncpg.Record): read by column name.
Row = Mapping[str, object] | sqlite3.Row
PostStatus = Literal["claimed", "sent"]

# MIGRATIONS[i] takes the schema from version i to i + 1. Append only: never edit a released step.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE subscriptions (
            guild_id    INTEGER NOT NULL,
            channel_id  INTEGER PRIMARY KEY,
            post_time   TEXT    NOT NULL,
            timezone    TEXT    NOT NULL,
            created_by  INTEGER NOT NULL,
            created_at  TEXT    NOT NULL,
            paused      INTEGER NOT NULL DEFAULT 0,
            failures    INTEGER NOT NULL DEFAULT 0,
            last_error  TEXT,
            start_date  TEXT    NOT NULL
        )
        """,
        "CREATE INDEX subscriptions_guild ON subscriptions(guild_id)",
        """
        CREATE TABLE post_log (
            channel_id  INTEGER NOT NULL,
            local_date  TEXT    NOT NULL,
            fact_key    TEXT    NOT NULL,
            status      TEXT    NOT NULL CHECK (status IN ('claimed', 'sent')),
            message_id  INTEGER,
            claimed_at  TEXT    NOT NULL,
            sent_at     TEXT,
            PRIMARY KEY (channel_id, local_date)
        )
        """,
        "CREATE INDEX post_log_claimed ON post_log(status) WHERE status = 'claimed'",
        "CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    (
        # The queries behind page buttons, numbered by when each was last saved, so the oldest can go.
        """
        CREATE TABLE page_queries (
            qid      TEXT    PRIMARY KEY,
            options  TEXT    NOT NULL,
            seq      INTEGER NOT NULL
        )
        """,
        "CREATE INDEX page_queries_seq ON page_queries(seq)",
        """
        INSERT INTO page_queries(qid, options, seq)
        SELECT substr(key, 7), value, row_number() OVER (ORDER BY rowid) FROM kv WHERE key LIKE 'query:%'
        """,
        "DELETE FROM kv WHERE key LIKE 'query:%'",
    ),
    (
        # When each page query was last saved, so that old ones expire by age as well as by count. Queries
        # kept from before count as saved now (in `_ts`'s format, which sorts as text).
        "ALTER TABLE page_queries ADD COLUMN saved_at TEXT NOT NULL DEFAULT ''",
        "UPDATE page_queries SET saved_at = strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000+00:00'",
    ),
    (
        # When the bot was removed from the subscription's server (its subscriptions are then paused until
        # someone subscribes the channel again); NULL while it is a member.
        "ALTER TABLE subscriptions ADD COLUMN removed_at TEXT",
    ),
    (
        # Who holds a claim, and until when: a claim another process holds is in flight, not left by a
        # crash, until its lease runs out. Claims kept from before have neither, so they count as expired.
        "ALTER TABLE post_log ADD COLUMN owner TEXT",
        "ALTER TABLE post_log ADD COLUMN lease_until TEXT",
    ),
    (
        # When the next message of the deployment may be sent (seconds since the epoch, by the database's
        # clock): the daily posts of every process share Discord's global rate limit (`send_slot`).
        "CREATE TABLE send_pace (scope TEXT PRIMARY KEY, next_at REAL NOT NULL)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
# A slot is never booked further ahead than this: a clock set back must not hold the posts for hours.
MAX_BOOKED_AHEAD_S = 60.0


@dataclass(frozen=True, slots=True)
class SendSlot:
    """A moment booked for one message: `at`, by the database's clock, which read `now` when booking."""

    at: float
    now: float

    @property
    def wait(self) -> float:
        """Seconds to wait before sending."""
        return max(0.0, self.at - self.now)


class StateError(RuntimeError):
    """The state database cannot be used; the message says why in one line, and what to do."""


async def _create(path: Path) -> None:
    """A new, migrated state database at `path`, made beside it and renamed into place whole."""
    tmp = path.with_name(f"{path.name}.new-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(tmp, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            await conn.execute("PRAGMA journal_mode = DELETE")
            await StateDB(conn, path)._migrate()
        finally:
            await conn.close()
        os.replace(tmp, path)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StateError(f"cannot create the state database at {path}: {reason}") from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def _refuse_unusable(path: Path) -> None:
    """StateError when the file at `path` is not one a state database could be: never overwritten."""
    try:
        st = path.stat()
    except OSError as exc:
        raise StateError(f"cannot read the state database at {path}: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise StateError(f"the state database path {path} is not a file")
    if st.st_size == 0:
        raise StateError(
            f"the state database {path} is empty (0 bytes), so every subscription in it is lost; refusing "
            "to start rather than hide that: restore it from a backup, or delete it to start with none"
        )


@dataclass(frozen=True, slots=True)
class UnreadableRow:
    """A row of the state database that cannot be read: skipped, and reported."""

    channel_id: int
    guild_id: int | None
    column: str
    reason: str


@dataclass(frozen=True, slots=True)
class Subscription:
    """One channel's daily-post subscription."""

    guild_id: int
    channel_id: int
    post_time: dt.time
    timezone: str
    created_by: int
    created_at: dt.datetime
    paused: bool
    failures: int
    last_error: str | None
    start_date: dt.date
    removed_at: dt.datetime | None = None  # when the bot was removed from the server (it is then paused)

    @property
    def zone(self) -> ZoneInfo:
        """The subscription's timezone as a ZoneInfo."""
        return ZoneInfo(self.timezone)

    @property
    def post_time_text(self) -> str:
        """The post time as `HH:MM`."""
        return self.post_time.strftime("%H:%M")


@dataclass(frozen=True, slots=True)
class PostRecord:
    """One post-log row: a channel's post for one local date."""

    channel_id: int
    local_date: dt.date
    fact_key: str
    status: PostStatus
    message_id: int | None
    claimed_at: dt.datetime
    sent_at: dt.datetime | None
    owner: str | None = None
    lease_until: dt.datetime | None = None


class ClaimLost(LookupError):
    """A claim is no longer this owner's: its lease ran out and another process took it over."""


def _ts(moment: dt.datetime | None) -> str:
    moment = dt.datetime.now(UTC) if moment is None else moment
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {moment!r}")
    # One fixed format so that stored timestamps also sort correctly as text.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _lease(now: dt.datetime | None, lease: dt.timedelta | None) -> tuple[str, str | None]:
    """A claim's time and the end of its lease (None: no lease), as stored."""
    moment = dt.datetime.now(UTC) if now is None else now
    return _ts(moment), None if lease is None else _ts(moment + lease)


def _refuse_mark(channel_id: int, local_date: dt.date, holder: object, exists: bool) -> None:
    """The error for a post that could not be marked sent: it is not there, or not the caller's."""
    if exists:
        raise ClaimLost(f"the post for channel {channel_id} on {local_date} was taken over by {holder}")
    raise LookupError(f"no post-log row for channel {channel_id} on {local_date}")


def _done_dates(rows: Iterable[Row]) -> dict[int, dt.date]:
    out = {}
    for row in rows:
        with contextlib.suppress(ValueError, TypeError):  # a malformed date is reported where it is read
            out[_int(row["channel_id"])] = dt.date.fromisoformat(_text(row["d"]))
    return out


def _parse_ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(UTC)


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not a whole number: {value!r:.40}")
    return value


def _flag(value: object) -> bool:
    if value not in (0, 1):
        raise ValueError(f"not 0 or 1: {value!r:.40}")
    return bool(value)


def _zone_name(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"not a time zone name: {value!r:.40}")
    ZoneInfo(value)  # ZoneInfoNotFoundError (a KeyError) or ValueError when it is not one
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"not text: {value!r:.40}")
    return value


def _status(value: object) -> PostStatus:
    if value == "claimed":
        return "claimed"
    if value == "sent":
        return "sent"
    raise ValueError(f"not a post status: {value!r:.40}")


def _parsed(row: Row, column: str, parse: Callable[[object], T]) -> T:
    try:
        return parse(row[column])
    except (ValueError, TypeError, KeyError) as exc:
        raise _BadColumn(column, str(exc) or type(exc).__name__) from None


class _BadColumn(ValueError):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"{column}: {reason}")
        self.column, self.reason = column, reason


def _sub_from_row(row: Row) -> Subscription:
    """A subscription row as a Subscription; _BadColumn naming the first column that is malformed."""
    return Subscription(
        guild_id=_parsed(row, "guild_id", _int),
        channel_id=_parsed(row, "channel_id", _int),
        post_time=_parsed(row, "post_time", lambda v: dt.time.fromisoformat(_text(v))),
        timezone=_parsed(row, "timezone", _zone_name),
        created_by=_parsed(row, "created_by", _int),
        created_at=_parsed(row, "created_at", lambda v: _parse_ts(_text(v))),
        paused=_parsed(row, "paused", _flag),
        failures=_parsed(row, "failures", _int),
        last_error=row["last_error"] if isinstance(row["last_error"], str) else None,
        start_date=_parsed(row, "start_date", lambda v: dt.date.fromisoformat(_text(v))),
        removed_at=(
            None if row["removed_at"] is None else _parsed(row, "removed_at", lambda v: _parse_ts(_text(v)))
        ),
    )


def _post_from_row(row: Row) -> PostRecord:
    """A post-log row as a PostRecord; _BadColumn naming the first column that is malformed."""
    return PostRecord(
        channel_id=_parsed(row, "channel_id", _int),
        local_date=_parsed(row, "local_date", lambda v: dt.date.fromisoformat(_text(v))),
        fact_key=_parsed(row, "fact_key", _text),
        status=_parsed(row, "status", _status),
        message_id=row["message_id"] if isinstance(row["message_id"], int) else None,
        claimed_at=_parsed(row, "claimed_at", lambda v: _parse_ts(_text(v))),
        sent_at=None if row["sent_at"] is None else _parsed(row, "sent_at", lambda v: _parse_ts(_text(v))),
        owner=row["owner"] if isinstance(row["owner"], str) else None,
        lease_until=None
        if row["lease_until"] is None
        else _parsed(row, "lease_until", lambda v: _parse_ts(_text(v))),
    )


def subscription_values(
    post_time: str | dt.time, timezone: str | ZoneInfo, now: dt.datetime | None
) -> tuple[str, str, dt.datetime, dt.date]:
    """A subscription's post time (`HH:MM`), zone name, creation moment and first due date, checked.

    InvalidScheduleError for a time or zone that is not one; ValueError for a naive `now`.
    """
    when = parse_post_time(post_time) if isinstance(post_time, str) else post_time.replace(tzinfo=None)
    if when.second or when.microsecond:
        raise InvalidScheduleError("Post times are whole minutes, for example 09:05.")
    zone = parse_timezone(timezone if isinstance(timezone, str) else timezone.key)
    created_at = dt.datetime.now(UTC) if now is None else now
    _ts(created_at)  # refuses a naive datetime before anything is written
    return when.strftime("%H:%M"), zone.key, created_at, first_due_date(when, zone, created_at)


class StateStore(ABC):
    """The state database, wherever it lives: subscriptions, the post log, page queries and a key-value
    table. Two implementations: `StateDB` (an SQLite file, for one process at a time) and `PostgresState`
    (shared by any number of processes); `open_state` picks one from the configured location.
    """

    #: True when other processes may use the same state at the same time, so that a claim which is not
    #: this process's own may be in flight elsewhere; False for a database one process uses at a time.
    shared: bool = False

    def __init__(self, location: str) -> None:
        self.location = location
        self._reported: set[tuple[str, str, str]] = set()  # malformed rows already logged
        self._identify = asyncio.Lock()
        self._pending: set[asyncio.Task[None]] = set()

    async def identify_turn(self, interval: float) -> None:
        """Wait until no other IDENTIFY of the deployment happened in the last `interval` seconds, and take
        the turn: the next one waits until `interval` seconds from now. Here, within this process (the only
        one on this database); `PostgresState` makes it one turn for every process."""
        await self._identify.acquire()
        self._release_later(interval, self._identify.release)

    async def _cancel_pending(self) -> None:
        """Hand on a turn still held (on closing), now rather than when its interval is over."""
        for task in list(self._pending):
            task.cancel()
        for task in list(self._pending):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _release_later(self, seconds: float, release: Callable[[], object]) -> None:
        async def later() -> None:
            try:
                await asyncio.sleep(seconds)
            finally:
                result = release()
                if asyncio.iscoroutine(result):
                    await result

        task = asyncio.get_running_loop().create_task(later())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    def _report(self, table: str, channel_id: object, bad: _BadColumn) -> None:
        key = (table, str(channel_id), bad.column)
        if key not in self._reported:
            self._reported.add(key)
            log.warning(
                "state database: the %s of channel %s has a malformed %s (%s); skipped until it is replaced",
                "subscription" if table == "subscriptions" else "post log",
                channel_id,
                bad.column,
                bad.reason,
            )

    def _subscriptions(self, rows: Iterable[Row]) -> list[Subscription]:
        out = []
        for row in rows:
            try:
                out.append(_sub_from_row(row))
            except _BadColumn as bad:
                self._report("subscriptions", row["channel_id"], bad)
        return out

    def _posts(self, rows: Iterable[Row]) -> list[PostRecord]:
        out = []
        for row in rows:
            try:
                out.append(_post_from_row(row))
            except _BadColumn as bad:
                self._report("post_log", row["channel_id"], bad)
        return out

    @staticmethod
    def _unreadable(rows: Iterable[Row], guild_id: int | None) -> list[UnreadableRow]:
        out = []
        for row in rows:
            try:
                _sub_from_row(row)
            except _BadColumn as bad:
                guild = row["guild_id"] if isinstance(row["guild_id"], int) else None
                if guild_id is None or guild == guild_id:
                    out.append(UnreadableRow(_int(row["channel_id"]), guild, bad.column, bad.reason))
        return out

    def _last_posted(self, channel_id: int, rows: Iterable[Row]) -> dict[str, dt.datetime]:
        out = {}
        for row in rows:
            try:
                out[_text(row["fact_key"])] = _parsed(row, "at", lambda v: _parse_ts(_text(v)))
            except _BadColumn as bad:
                self._report("post_log", channel_id, bad)
        return out

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @abstractmethod
    async def close(self) -> None:
        """Close every connection."""

    @abstractmethod
    async def schema_version(self) -> int:
        """The schema version recorded in the database."""

    @abstractmethod
    async def ping(self) -> None:
        """Return when the database answers a query; raise when it does not."""

    @abstractmethod
    async def send_slot(self, interval: float, scope: str = "messages") -> SendSlot:
        """Book the next moment a message may be sent, `interval` seconds after the one booked before it by
        any process on this database (a slot never lies in the past, nor more than `MAX_BOOKED_AHEAD_S`
        ahead). Discord's global rate limit is per bot, not per process: this is how the processes share it.
        """

    # -- subscriptions -------------------------------------------------------------------------------

    @abstractmethod
    async def subscribe(
        self,
        guild_id: int,
        channel_id: int,
        post_time: str | dt.time,
        timezone: str | ZoneInfo,
        created_by: int,
        *,
        now: dt.datetime | None = None,
    ) -> Subscription:
        """Create or replace a channel's subscription; raises InvalidScheduleError for a bad time/zone.

        Re-subscribing clears a pause (a removal from the server too) and the failure count. Posts are due
        from today if today's post time has not passed yet at `now`, otherwise from tomorrow; days already in
        the post log are never redone.
        """

    @abstractmethod
    async def unsubscribe(self, channel_id: int) -> bool:
        """Remove a channel's subscription; True if there was one. Its post log is kept."""

    @abstractmethod
    async def list_subscriptions(self, guild_id: int | None = None) -> list[Subscription]:
        """All subscriptions, or those of one guild, ordered by guild and channel."""

    @abstractmethod
    async def unreadable_subscriptions(self, guild_id: int | None = None) -> list[UnreadableRow]:
        """Subscriptions that cannot be read (all, or those of one guild): skipped everywhere else."""

    @abstractmethod
    async def get_subscription(self, channel_id: int) -> Subscription | None:
        """One channel's subscription, if any."""

    @abstractmethod
    async def record_failure(self, channel_id: int, error: str, pause_after: int = 3) -> bool:
        """Count a delivery failure; pause at `pause_after` consecutive failures. True if now paused."""

    @abstractmethod
    async def pause_guild(self, guild_id: int, *, now: dt.datetime | None = None) -> int:
        """Pause every subscription of a server the bot was removed from; returns how many it paused.

        They stay paused if the bot comes back: someone who may change them subscribes each channel again.
        """

    @abstractmethod
    async def reset_failures(self, channel_id: int) -> None:
        """Clear the failure count and last error after a successful post."""

    # -- post log ------------------------------------------------------------------------------------

    @abstractmethod
    async def claim_post(
        self,
        channel_id: int,
        local_date: dt.date,
        fact_key: str,
        *,
        now: dt.datetime | None = None,
        owner: str | None = None,
        lease: dt.timedelta | None = None,
    ) -> bool:
        """Atomically claim a channel's post for a day before sending it, for `owner` until `now + lease`.

        False if the day is already claimed or sent, or the channel has no active (unpaused) subscription,
        which makes an unsubscribe take effect even in the middle of a run.
        """

    @abstractmethod
    async def mark_sent(
        self,
        channel_id: int,
        local_date: dt.date,
        message_id: int | None,
        *,
        now: dt.datetime | None = None,
        owner: str | None = None,
    ) -> None:
        """Record that the claimed post was delivered (message_id None when delivery was only inferred).

        With an `owner`, only that owner's claim: ClaimLost when another process took it over, LookupError
        when there is no such post at all.
        """

    @abstractmethod
    async def release_claim(self, channel_id: int, local_date: dt.date, *, owner: str | None = None) -> bool:
        """Drop a claim whose message was not delivered, so the day is due again. True if one was dropped.

        With an `owner`, only that owner's claim is dropped.
        """

    @abstractmethod
    async def unfinished_claims(self) -> list[PostRecord]:
        """Claims never marked sent or released: in flight, or left behind by a crash or a failed write."""

    @abstractmethod
    async def take_over_claims(self, owner: str, now: dt.datetime, lease: dt.timedelta) -> list[PostRecord]:
        """The unfinished claims `owner` is to settle, each now leased to it until `now + lease`.

        Those are its own, and those no other process can still be working on. On a shared database, that
        is a claim whose lease has run out (or that has none); another process's live claim is in flight
        and left alone, and two processes never take over the same claim. On a database one process uses
        at a time, every claim found is left over from before and taken over.
        """

    @abstractmethod
    async def get_post(self, channel_id: int, local_date: dt.date) -> PostRecord | None:
        """The post-log row for a channel and local date, if any."""

    @abstractmethod
    async def posts(self, channel_id: int) -> list[PostRecord]:
        """A channel's whole post log, oldest local date first."""

    @abstractmethod
    async def last_done_date(self, channel_id: int) -> dt.date | None:
        """The latest local date with a claimed or sent post for the channel."""

    @abstractmethod
    async def last_done_dates(self) -> dict[int, dt.date]:
        """`last_done_date` of every channel with a post log, in one query (a run reads them all)."""

    @abstractmethod
    async def last_posted(self, channel_id: int) -> dict[str, dt.datetime]:
        """For each fact posted (or being posted) to the channel, when it last was."""

    @abstractmethod
    async def posted_keys(self, channel_id: int) -> set[str]:
        """Every fact key ever posted (or being posted) to the channel."""

    # -- page queries --------------------------------------------------------------------------------

    @abstractmethod
    async def save_page_query(
        self,
        qid: str,
        options: str,
        *,
        keep: int,
        now: dt.datetime | None = None,
        forget_before: dt.datetime | None = None,
    ) -> None:
        """Remember the options behind a paged answer's buttons, as saved at `now`.

        Only the `keep` most recently saved are kept, and none saved before `forget_before`, so the table
        stays small however many questions are asked.
        """

    @abstractmethod
    async def load_page_query(self, qid: str, *, saved_since: dt.datetime | None = None) -> str | None:
        """The options saved for a paged answer, or None when they were never saved, made room, or were
        last saved before `saved_since`."""

    @abstractmethod
    async def page_query_count(self) -> int:
        """How many page queries are kept."""

    # -- key-value -----------------------------------------------------------------------------------

    @abstractmethod
    async def get_value(self, key: str, default: str | None = None) -> str | None:
        """A stored value, or `default`."""

    @abstractmethod
    async def set_value(self, key: str, value: str) -> None:
        """Store a value under `key`, replacing any previous one."""


async def open_state(location: str | Path) -> StateStore:
    """The state database at `location`: a `postgresql://` URL (shared by many processes), else the path of
    an SQLite file. StateError (one line) when it cannot be used."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        from bot.daily.state_pg import PostgresState  # only a shared deployment loads the driver

        return await PostgresState.open(text)
    return await StateDB.open(Path(location))


class StateDB(StateStore):
    """The state database in an SQLite file, for one process at a time; `await StateDB.open(path)`."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        super().__init__(str(path))
        self._conn = conn
        self.path = path
        # One connection is shared by every caller; the lock keeps multi-statement work from interleaving.
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path) -> Self:
        """Open and migrate the state database at `path`, creating it when there is no file there.

        StateError (one line) when it cannot be opened. A file that is there but empty, unreadable or not
        a state database is refused and left exactly as it is: starting afresh over it would lose every
        subscription without a word. A new database is made beside the path and renamed into place whole,
        so an empty file there never comes from this code.
        """
        path = Path(path)
        if not os.path.lexists(path):
            await _create(path)
        _refuse_unusable(path)
        try:
            # Autocommit: every statement is its own transaction unless we BEGIN explicitly.
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StateError(f"cannot open the state database at {path}: {exc}") from exc
        try:
            conn.row_factory = sqlite3.Row
            await conn.execute("PRAGMA busy_timeout = 5000")
            db = cls(conn, path)
            await db._check_is_state()
            await conn.execute("PRAGMA journal_mode = WAL")
            # FULL, not WAL's usual NORMAL: a claim must survive a power cut before its message is sent.
            await conn.execute("PRAGMA synchronous = FULL")
            await db._migrate()
        except BaseException as exc:
            await conn.close()
            if isinstance(exc, sqlite3.Error):
                raise StateError(f"cannot use the state database at {path}: {exc}") from exc
            raise
        return db

    async def _check_is_state(self) -> None:
        """StateError unless the file is a state database this code made (structurally sound, with its
        version recorded)."""
        try:
            async with self._conn.execute("PRAGMA quick_check") as cur:
                problems = [row[0] for row in await cur.fetchall()]
            async with self._conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
            ) as cur:
                row = await cur.fetchone()
            has_meta = bool(row and row[0])
        except sqlite3.DatabaseError as exc:
            raise StateError(
                f"{self.path} is not a state database it can read ({exc}); refusing to start rather than "
                "replace it: restore it from a backup, or move it away to start with no subscriptions"
            ) from exc
        if problems != ["ok"]:
            raise StateError(
                f"the state database {self.path} is damaged ({problems[0]}); refusing to start rather than "
                "replace it: restore it from a backup, or move it away to start with no subscriptions"
            )
        if not has_meta:
            raise StateError(
                f"{self.path} is not a state database (it has no version table); refusing to start rather "
                "than replace it: move it away, or point FACTBOT_STATE_DB_PATH elsewhere"
            )

    async def close(self) -> None:
        """Close the connection."""
        await self._cancel_pending()
        await self._conn.close()

    async def _migrate(self) -> None:
        async with self._lock:
            await self._conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            version = await self._read_version()
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.path} has state schema version {version}, newer than this code's {SCHEMA_VERSION}"
                )
            while version < SCHEMA_VERSION:
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    # Re-read inside the write lock: another process may have migrated meanwhile.
                    version = await self._read_version()
                    if version >= SCHEMA_VERSION:
                        await self._conn.execute("COMMIT")
                        break
                    for statement in MIGRATIONS[version]:
                        await self._conn.execute(statement)
                    await self._conn.execute(
                        "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        (str(version + 1),),
                    )
                    await self._conn.execute("COMMIT")
                except BaseException:
                    await self._conn.execute("ROLLBACK")
                    raise
                log.info("state database %s migrated to schema version %d", self.path, version + 1)
                version += 1

    async def _read_version(self) -> int:
        async with self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'") as cur:
            row = await cur.fetchone()
        return 0 if row is None else int(row["value"])

    async def ping(self) -> None:
        """Return when the database answers a query."""
        async with self._lock, self._conn.execute("SELECT 1") as cur:
            await cur.fetchone()

    async def schema_version(self) -> int:
        """The schema version recorded in the database."""
        async with self._lock:
            return await self._read_version()

    async def send_slot(self, interval: float, scope: str = "messages") -> SendSlot:
        """Book the next moment a message may be sent; see `StateStore.send_slot`."""
        async with self._lock:
            now = time.time()
            async with self._conn.execute("SELECT next_at FROM send_pace WHERE scope = ?", (scope,)) as cur:
                row = await cur.fetchone()
            at = min(max(float(row["next_at"]) if row else now, now), now + MAX_BOOKED_AHEAD_S)
            await self._conn.execute(
                "INSERT INTO send_pace(scope, next_at) VALUES (?, ?) "
                "ON CONFLICT(scope) DO UPDATE SET next_at = excluded.next_at",
                (scope, at + interval),
            )
            return SendSlot(at, now)

    # -- subscriptions -------------------------------------------------------------------------------

    async def subscribe(
        self,
        guild_id: int,
        channel_id: int,
        post_time: str | dt.time,
        timezone: str | ZoneInfo,
        created_by: int,
        *,
        now: dt.datetime | None = None,
    ) -> Subscription:
        """Create or replace a channel's subscription; raises InvalidScheduleError for a bad time/zone.

        Re-subscribing clears a pause (a removal from the server too) and the failure count; see
        `StateStore.subscribe`.
        """
        when, zone_name, created_at, start = subscription_values(post_time, timezone, now)
        async with self._lock:
            await self._conn.execute(
                """
                INSERT INTO subscriptions(guild_id, channel_id, post_time, timezone, created_by, created_at,
                                          paused, failures, last_error, start_date)
                VALUES (?, ?, ?, ?, ?, ?, 0, 0, NULL, ?)
                ON CONFLICT(channel_id) DO UPDATE SET
                    guild_id = excluded.guild_id, post_time = excluded.post_time,
                    timezone = excluded.timezone, created_by = excluded.created_by,
                    created_at = excluded.created_at, paused = 0, failures = 0, last_error = NULL,
                    start_date = excluded.start_date, removed_at = NULL
                """,
                (
                    guild_id,
                    channel_id,
                    when,
                    zone_name,
                    created_by,
                    _ts(created_at),
                    start.isoformat(),
                ),
            )
            sub = await self._get_subscription(channel_id)
        assert sub is not None
        return sub

    async def unsubscribe(self, channel_id: int) -> bool:
        """Remove a channel's subscription; True if there was one. Its post log is kept."""
        async with self._lock:
            cur = await self._conn.execute("DELETE FROM subscriptions WHERE channel_id = ?", (channel_id,))
            return cur.rowcount > 0

    async def list_subscriptions(self, guild_id: int | None = None) -> list[Subscription]:
        """All subscriptions, or those of one guild, ordered by guild and channel."""
        query = "SELECT * FROM subscriptions"
        params: tuple[int, ...] = ()
        if guild_id is not None:
            query += " WHERE guild_id = ?"
            params = (guild_id,)
        async with self._lock, self._conn.execute(query + " ORDER BY guild_id, channel_id", params) as cur:
            rows = await cur.fetchall()
        return self._subscriptions(rows)

    async def unreadable_subscriptions(self, guild_id: int | None = None) -> list[UnreadableRow]:
        """Subscriptions that cannot be read (all, or those of one guild): skipped everywhere else."""
        async with self._lock, self._conn.execute("SELECT * FROM subscriptions ORDER BY channel_id") as cur:
            rows = await cur.fetchall()
        return self._unreadable(rows, guild_id)

    async def get_subscription(self, channel_id: int) -> Subscription | None:
        """One channel's subscription, if any."""
        async with self._lock:
            return await self._get_subscription(channel_id)

    async def _get_subscription(self, channel_id: int) -> Subscription | None:
        async with self._conn.execute(
            "SELECT * FROM subscriptions WHERE channel_id = ?", (channel_id,)
        ) as cur:
            row = await cur.fetchone()
        found = self._subscriptions([] if row is None else [row])
        return found[0] if found else None

    async def record_failure(self, channel_id: int, error: str, pause_after: int = 3) -> bool:
        """Count a delivery failure; pause at `pause_after` consecutive failures. True if now paused."""
        async with (
            self._lock,
            self._conn.execute(
                """
            UPDATE subscriptions
            SET failures = failures + 1, last_error = ?,
                paused = CASE WHEN failures + 1 >= ? THEN 1 ELSE paused END
            WHERE channel_id = ?
            RETURNING paused
            """,
                (error, pause_after, channel_id),
            ) as cur,
        ):
            row = await cur.fetchone()
        return row is not None and bool(row["paused"])

    async def pause_guild(self, guild_id: int, *, now: dt.datetime | None = None) -> int:
        """Pause every subscription of a server the bot was removed from; returns how many it paused.

        They stay paused if the bot comes back: someone who may change them subscribes each channel again.
        """
        async with self._lock:
            cur = await self._conn.execute(
                "UPDATE subscriptions SET paused = 1, removed_at = ? WHERE guild_id = ? AND removed_at IS NULL",
                (_ts(now), guild_id),
            )
            return cur.rowcount

    async def reset_failures(self, channel_id: int) -> None:
        """Clear the failure count and last error after a successful post."""
        async with self._lock:
            await self._conn.execute(
                "UPDATE subscriptions SET failures = 0, last_error = NULL WHERE channel_id = ?", (channel_id,)
            )

    # -- post log ------------------------------------------------------------------------------------

    async def claim_post(
        self,
        channel_id: int,
        local_date: dt.date,
        fact_key: str,
        *,
        now: dt.datetime | None = None,
        owner: str | None = None,
        lease: dt.timedelta | None = None,
    ) -> bool:
        """Atomically claim a channel's post for a day before sending it; see `StateStore.claim_post`."""
        claimed_at, lease_until = _lease(now, lease)
        async with self._lock:
            cur = await self._conn.execute(
                """
                INSERT INTO post_log(channel_id, local_date, fact_key, status, claimed_at, owner, lease_until)
                SELECT ?, ?, ?, 'claimed', ?, ?, ?
                WHERE EXISTS (SELECT 1 FROM subscriptions WHERE channel_id = ? AND paused = 0)
                ON CONFLICT(channel_id, local_date) DO NOTHING
                """,
                (channel_id, local_date.isoformat(), fact_key, claimed_at, owner, lease_until, channel_id),
            )
            return cur.rowcount == 1

    async def mark_sent(
        self,
        channel_id: int,
        local_date: dt.date,
        message_id: int | None,
        *,
        now: dt.datetime | None = None,
        owner: str | None = None,
    ) -> None:
        """Record that the claimed post was delivered; see `StateStore.mark_sent`."""
        async with self._lock:
            cur = await self._conn.execute(
                """
                UPDATE post_log SET status = 'sent', message_id = ?, sent_at = ?, lease_until = NULL
                WHERE channel_id = ? AND local_date = ? AND (? IS NULL OR owner IS ?)
                """,
                (message_id, _ts(now), channel_id, local_date.isoformat(), owner, owner),
            )
            if cur.rowcount != 1:
                async with self._conn.execute(
                    "SELECT owner FROM post_log WHERE channel_id = ? AND local_date = ?",
                    (channel_id, local_date.isoformat()),
                ) as found:
                    row = await found.fetchone()
                _refuse_mark(channel_id, local_date, None if row is None else row["owner"], row is not None)

    async def release_claim(self, channel_id: int, local_date: dt.date, *, owner: str | None = None) -> bool:
        """Drop a claim whose message was not delivered; see `StateStore.release_claim`."""
        async with self._lock:
            cur = await self._conn.execute(
                "DELETE FROM post_log WHERE channel_id = ? AND local_date = ? AND status = 'claimed' "
                "AND (? IS NULL OR owner IS ?)",
                (channel_id, local_date.isoformat(), owner, owner),
            )
            return cur.rowcount > 0

    async def take_over_claims(self, owner: str, now: dt.datetime, lease: dt.timedelta) -> list[PostRecord]:
        """Every unfinished claim, now leased to `owner`: one process uses this file at a time, so a claim
        found is left over from before, never in flight elsewhere."""
        _, lease_until = _lease(now, lease)
        query = "SELECT * FROM post_log WHERE status = 'claimed' ORDER BY channel_id, local_date"
        async with self._lock:
            async with self._conn.execute(query) as cur:
                rows = await cur.fetchall()
            if rows:  # nothing written when there is nothing to take over (a read-only file still runs)
                await self._conn.execute(
                    "UPDATE post_log SET owner = ?, lease_until = ? WHERE status = 'claimed'",
                    (owner, lease_until),
                )
                async with self._conn.execute(query) as cur:
                    rows = await cur.fetchall()
        return self._posts(rows)

    async def unfinished_claims(self) -> list[PostRecord]:
        """Claims never marked sent or released: left behind by a crash or a failed write."""
        async with (
            self._lock,
            self._conn.execute(
                "SELECT * FROM post_log WHERE status = 'claimed' ORDER BY channel_id, local_date"
            ) as cur,
        ):
            rows = await cur.fetchall()
        return self._posts(rows)

    async def get_post(self, channel_id: int, local_date: dt.date) -> PostRecord | None:
        """The post-log row for a channel and local date, if any."""
        async with (
            self._lock,
            self._conn.execute(
                "SELECT * FROM post_log WHERE channel_id = ? AND local_date = ?",
                (channel_id, local_date.isoformat()),
            ) as cur,
        ):
            row = await cur.fetchone()
        found = self._posts([] if row is None else [row])
        return found[0] if found else None

    async def posts(self, channel_id: int) -> list[PostRecord]:
        """A channel's whole post log, oldest local date first."""
        async with (
            self._lock,
            self._conn.execute(
                "SELECT * FROM post_log WHERE channel_id = ? ORDER BY local_date", (channel_id,)
            ) as cur,
        ):
            rows = await cur.fetchall()
        return self._posts(rows)

    async def last_done_date(self, channel_id: int) -> dt.date | None:
        """The latest local date with a claimed or sent post for the channel."""
        async with (
            self._lock,
            self._conn.execute(
                "SELECT MAX(local_date) AS d FROM post_log WHERE channel_id = ?", (channel_id,)
            ) as cur,
        ):
            row = await cur.fetchone()
        return None if row is None or row["d"] is None else dt.date.fromisoformat(row["d"])

    async def last_done_dates(self) -> dict[int, dt.date]:
        """`last_done_date` of every channel with a post log."""
        async with (
            self._lock,
            self._conn.execute(
                "SELECT channel_id, MAX(local_date) AS d FROM post_log GROUP BY channel_id"
            ) as cur,
        ):
            rows = await cur.fetchall()
        return _done_dates(rows)

    async def last_posted(self, channel_id: int) -> dict[str, dt.datetime]:
        """For each fact posted (or being posted) to the channel, when it last was."""
        async with (
            self._lock,
            self._conn.execute(
                """
            SELECT fact_key, MAX(COALESCE(sent_at, claimed_at)) AS at
            FROM post_log WHERE channel_id = ? GROUP BY fact_key
            """,
                (channel_id,),
            ) as cur,
        ):
            rows = await cur.fetchall()
        return self._last_posted(channel_id, rows)

    async def posted_keys(self, channel_id: int) -> set[str]:
        """Every fact key ever posted (or being posted) to the channel."""
        async with (
            self._lock,
            self._conn.execute(
                "SELECT DISTINCT fact_key FROM post_log WHERE channel_id = ?", (channel_id,)
            ) as cur,
        ):
            rows = await cur.fetchall()
        return {row["fact_key"] for row in rows}

    # -- page queries --------------------------------------------------------------------------------

    async def save_page_query(
        self,
        qid: str,
        options: str,
        *,
        keep: int,
        now: dt.datetime | None = None,
        forget_before: dt.datetime | None = None,
    ) -> None:
        """Remember the options behind a paged answer's buttons, as saved at `now`.

        Only the `keep` most recently saved are kept, and none saved before `forget_before`, so the table
        stays small however many questions are asked.
        """
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                await self._conn.execute(
                    "INSERT INTO page_queries(qid, options, seq, saved_at) "
                    "VALUES (?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM page_queries), ?) "
                    "ON CONFLICT(qid) DO UPDATE SET options = excluded.options, seq = excluded.seq, "
                    "saved_at = excluded.saved_at",
                    (qid, options, _ts(now)),
                )
                await self._conn.execute(
                    "DELETE FROM page_queries WHERE seq <= (SELECT max(seq) FROM page_queries) - ?", (keep,)
                )
                if forget_before is not None:
                    await self._conn.execute(
                        "DELETE FROM page_queries WHERE saved_at < ?", (_ts(forget_before),)
                    )
                await self._conn.execute("COMMIT")
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise

    async def load_page_query(self, qid: str, *, saved_since: dt.datetime | None = None) -> str | None:
        """The options saved for a paged answer, or None when they were never saved, made room, or were
        last saved before `saved_since`."""
        async with (
            self._lock,
            self._conn.execute("SELECT options, saved_at FROM page_queries WHERE qid = ?", (qid,)) as cur,
        ):
            row = await cur.fetchone()
        if row is None or (saved_since is not None and str(row["saved_at"]) < _ts(saved_since)):
            return None
        return str(row["options"])

    async def page_query_count(self) -> int:
        """How many page queries are kept."""
        async with self._lock, self._conn.execute("SELECT count(*) AS n FROM page_queries") as cur:
            row = await cur.fetchone()
        return int(row["n"]) if row else 0

    # -- key-value -----------------------------------------------------------------------------------

    async def get_value(self, key: str, default: str | None = None) -> str | None:
        """A stored value, or `default`."""
        async with self._lock, self._conn.execute("SELECT value FROM kv WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        return default if row is None else row["value"]

    async def set_value(self, key: str, value: str) -> None:
        """Store a value under `key`, replacing any previous one."""
        async with self._lock:
            await self._conn.execute(
                "INSERT INTO kv(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
