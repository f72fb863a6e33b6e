"""The state database on PostgreSQL, shared by every process of a deployment (`FACTBOT_STATE_URL`).

The same tables, the same schema versions and the same rules as the SQLite file (`bot.daily.state`), in
PostgreSQL's dialect. Columns keep the SQLite file's representation (timestamps as fixed-format UTC text,
which sorts as time; dates as ISO text) so that one set of row readers serves both. Migrations run inside
one transaction under an advisory lock, so processes starting together migrate once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Self
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import asyncpg

from bot.daily.state import (
    MAX_BOOKED_AHEAD_S,
    MIGRATIONS,
    SCHEMA_VERSION,
    PostRecord,
    SendSlot,
    StateError,
    StateStore,
    Subscription,
    UnreadableRow,
    _done_dates,
    _lease,
    _refuse_mark,
    _ts,
    subscription_values,
)

log = logging.getLogger(__name__)

# Advisory-lock keys (one 64-bit space per database): taken by whoever migrates the schema.
MIGRATION_LOCK = 0x66_61_63_74_00_01  # "fact" + 1
IDENTIFY_LOCK = 0x66_61_63_74_00_02  # held by the process whose turn it is to IDENTIFY

# PG_MIGRATIONS[i] takes the schema from version i to i + 1, as MIGRATIONS[i] does for SQLite. Append only.
PG_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE subscriptions (
            guild_id    BIGINT  NOT NULL,
            channel_id  BIGINT  PRIMARY KEY,
            post_time   TEXT    NOT NULL,
            timezone    TEXT    NOT NULL,
            created_by  BIGINT  NOT NULL,
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
            channel_id  BIGINT  NOT NULL,
            local_date  TEXT    NOT NULL,
            fact_key    TEXT    NOT NULL,
            status      TEXT    NOT NULL CHECK (status IN ('claimed', 'sent')),
            message_id  BIGINT,
            claimed_at  TEXT    NOT NULL,
            sent_at     TEXT,
            PRIMARY KEY (channel_id, local_date)
        )
        """,
        "CREATE INDEX post_log_claimed ON post_log(status) WHERE status = 'claimed'",
        "CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    (
        # Numbered from a sequence, not max(seq) + 1: two processes saving at once get different numbers.
        "CREATE SEQUENCE page_query_seq",
        """
        CREATE TABLE page_queries (
            qid      TEXT    PRIMARY KEY,
            options  TEXT    NOT NULL,
            seq      BIGINT  NOT NULL
        )
        """,
        "CREATE INDEX page_queries_seq ON page_queries(seq)",
        """
        INSERT INTO page_queries(qid, options, seq)
        SELECT substr(key, 7), value, nextval('page_query_seq') FROM kv WHERE key LIKE 'query:%'
        """,
        "DELETE FROM kv WHERE key LIKE 'query:%'",
    ),
    (
        "ALTER TABLE page_queries ADD COLUMN saved_at TEXT NOT NULL DEFAULT ''",
        """
        UPDATE page_queries
        SET saved_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00'
        """,
    ),
    (
        # When the bot was removed from the subscription's server; NULL while it is a member.
        "ALTER TABLE subscriptions ADD COLUMN removed_at TEXT",
    ),
    (
        "ALTER TABLE post_log ADD COLUMN owner TEXT",
        "ALTER TABLE post_log ADD COLUMN lease_until TEXT",
    ),
    ("CREATE TABLE send_pace (scope TEXT PRIMARY KEY, next_at DOUBLE PRECISION NOT NULL)",),
)
assert len(PG_MIGRATIONS) == len(MIGRATIONS), "every schema version needs its PostgreSQL migration"


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class PostgresState(StateStore):
    """The state database on PostgreSQL: a connection pool; `await PostgresState.open(url)`."""

    shared = True

    def __init__(self, pool: Any, url: str) -> None:
        super().__init__(redacted(url))
        self._pool = pool

    @classmethod
    async def open(cls, url: str, *, max_connections: int = 10) -> Self:
        """Connect, and migrate the schema (once, under an advisory lock, whoever else starts now).

        StateError (one line, without the password) when the server cannot be reached or used.
        """
        where = redacted(url)
        try:
            pool = await asyncpg.create_pool(url, min_size=1, max_size=max_connections, command_timeout=60)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as exc:
            raise StateError(f"cannot reach the state database at {where}: {_one_line(exc)}") from exc
        db = cls(pool, url)
        try:
            await db._migrate()
        except BaseException as exc:
            await pool.close()
            if isinstance(exc, asyncpg.PostgresError | asyncpg.InterfaceError | OSError):
                raise StateError(f"cannot use the state database at {where}: {_one_line(exc)}") from exc
            raise
        return db

    async def close(self) -> None:
        """Close every connection of the pool."""
        await self._cancel_pending()  # a turn still held is handed on, its connection released
        await self._pool.close()

    async def identify_turn(self, interval: float) -> None:
        """Take the deployment's turn to IDENTIFY (an advisory lock every process asks for), and hand it on
        `interval` seconds later. A process that dies holding it loses its connection, and the lock."""
        conn = await self._pool.acquire()
        try:
            await conn.execute("SELECT pg_advisory_lock($1)", IDENTIFY_LOCK)
        except BaseException:
            await self._pool.release(conn)
            raise

        async def hand_on() -> None:
            try:
                await conn.execute("SELECT pg_advisory_unlock($1)", IDENTIFY_LOCK)
            finally:
                await self._pool.release(conn)

        self._release_later(interval, hand_on)

    async def _migrate(self) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            # Held to the end of the transaction: a second process waits, then finds the work done.
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            await conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            version = await self._read_version(conn)
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.location} has state schema version {version}, newer than this code's "
                    f"{SCHEMA_VERSION}"
                )
            for step in range(version, SCHEMA_VERSION):
                for statement in PG_MIGRATIONS[step]:
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', $1) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    str(step + 1),
                )
                log.info("state database %s migrated to schema version %d", self.location, step + 1)

    @staticmethod
    async def _read_version(conn: Any) -> int:
        value = await conn.fetchval("SELECT value FROM meta WHERE key = 'schema_version'")
        return 0 if value is None else int(value)

    async def ping(self) -> None:
        """Return when the server answers a query."""
        await self._pool.fetchval("SELECT 1")

    async def send_slot(self, interval: float, scope: str = "messages") -> SendSlot:
        """Book the next moment a message may be sent, for every process; see `StateStore.send_slot`.

        One statement: the row's lock orders the processes, and the server's clock is the one clock they
        all read."""
        row = await self._pool.fetchrow(
            """
            INSERT INTO send_pace AS p (scope, next_at)
            VALUES ($1, extract(epoch FROM clock_timestamp())::float8 + $2)
            ON CONFLICT (scope) DO UPDATE SET next_at = least(
                greatest(p.next_at, extract(epoch FROM clock_timestamp())::float8),
                extract(epoch FROM clock_timestamp())::float8 + $3
            ) + $2
            RETURNING next_at - $2 AS at, extract(epoch FROM clock_timestamp())::float8 AS now
            """,
            scope,
            interval,
            MAX_BOOKED_AHEAD_S,
        )
        return SendSlot(float(row["at"]), float(row["now"]))

    async def schema_version(self) -> int:
        """The schema version recorded in the database."""
        async with self._pool.acquire() as conn:
            return await self._read_version(conn)

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
        """Create or replace a channel's subscription; see `StateStore.subscribe`."""
        when, zone_name, created_at, start = subscription_values(post_time, timezone, now)
        row = await self._pool.fetchrow(
            """
            INSERT INTO subscriptions(guild_id, channel_id, post_time, timezone, created_by, created_at,
                                      paused, failures, last_error, start_date)
            VALUES ($1, $2, $3, $4, $5, $6, 0, 0, NULL, $7)
            ON CONFLICT(channel_id) DO UPDATE SET
                guild_id = excluded.guild_id, post_time = excluded.post_time,
                timezone = excluded.timezone, created_by = excluded.created_by,
                created_at = excluded.created_at, paused = 0, failures = 0, last_error = NULL,
                start_date = excluded.start_date, removed_at = NULL
            RETURNING *
            """,
            guild_id,
            channel_id,
            when,
            zone_name,
            created_by,
            _ts(created_at),
            start.isoformat(),
        )
        found = self._subscriptions([row])
        assert found, "a subscription just written is readable"
        return found[0]

    async def unsubscribe(self, channel_id: int) -> bool:
        """Remove a channel's subscription; True if there was one. Its post log is kept."""
        status = await self._pool.execute("DELETE FROM subscriptions WHERE channel_id = $1", channel_id)
        return _count(status) > 0

    async def list_subscriptions(self, guild_id: int | None = None) -> list[Subscription]:
        """All subscriptions, or those of one guild, ordered by guild and channel."""
        if guild_id is None:
            rows = await self._pool.fetch("SELECT * FROM subscriptions ORDER BY guild_id, channel_id")
        else:
            rows = await self._pool.fetch(
                "SELECT * FROM subscriptions WHERE guild_id = $1 ORDER BY channel_id", guild_id
            )
        return self._subscriptions(rows)

    async def unreadable_subscriptions(self, guild_id: int | None = None) -> list[UnreadableRow]:
        """Subscriptions that cannot be read (all, or those of one guild): skipped everywhere else."""
        rows = await self._pool.fetch("SELECT * FROM subscriptions ORDER BY channel_id")
        return self._unreadable(rows, guild_id)

    async def get_subscription(self, channel_id: int) -> Subscription | None:
        """One channel's subscription, if any."""
        row = await self._pool.fetchrow("SELECT * FROM subscriptions WHERE channel_id = $1", channel_id)
        found = self._subscriptions([] if row is None else [row])
        return found[0] if found else None

    async def record_failure(self, channel_id: int, error: str, pause_after: int = 3) -> bool:
        """Count a delivery failure; pause at `pause_after` consecutive failures. True if now paused."""
        paused = await self._pool.fetchval(
            """
            UPDATE subscriptions
            SET failures = failures + 1, last_error = $1,
                paused = CASE WHEN failures + 1 >= $2 THEN 1 ELSE paused END
            WHERE channel_id = $3
            RETURNING paused
            """,
            error,
            pause_after,
            channel_id,
        )
        return bool(paused)

    async def pause_guild(self, guild_id: int, *, now: dt.datetime | None = None) -> int:
        """Pause every subscription of a server the bot was removed from; see `StateStore.pause_guild`."""
        status = await self._pool.execute(
            "UPDATE subscriptions SET paused = 1, removed_at = $1 WHERE guild_id = $2 AND removed_at IS NULL",
            _ts(now),
            guild_id,
        )
        return _count(status)

    async def reset_failures(self, channel_id: int) -> None:
        """Clear the failure count and last error after a successful post."""
        await self._pool.execute(
            "UPDATE subscriptions SET failures = 0, last_error = NULL WHERE channel_id = $1", channel_id
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
        status = await self._pool.execute(
            """
            INSERT INTO post_log(channel_id, local_date, fact_key, status, claimed_at, owner, lease_until)
            SELECT $1, $2, $3, 'claimed', $4, $5, $6
            WHERE EXISTS (SELECT 1 FROM subscriptions WHERE channel_id = $1 AND paused = 0)
            ON CONFLICT(channel_id, local_date) DO NOTHING
            """,
            channel_id,
            local_date.isoformat(),
            fact_key,
            claimed_at,
            owner,
            lease_until,
        )
        return _count(status) == 1

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
        status = await self._pool.execute(
            "UPDATE post_log SET status = 'sent', message_id = $1, sent_at = $2, lease_until = NULL "
            "WHERE channel_id = $3 AND local_date = $4 AND ($5::text IS NULL OR owner = $5)",
            message_id,
            _ts(now),
            channel_id,
            local_date.isoformat(),
            owner,
        )
        if _count(status) != 1:
            row = await self._pool.fetchrow(
                "SELECT owner FROM post_log WHERE channel_id = $1 AND local_date = $2",
                channel_id,
                local_date.isoformat(),
            )
            _refuse_mark(channel_id, local_date, None if row is None else row["owner"], row is not None)

    async def release_claim(self, channel_id: int, local_date: dt.date, *, owner: str | None = None) -> bool:
        """Drop a claim whose message was not delivered; see `StateStore.release_claim`."""
        status = await self._pool.execute(
            "DELETE FROM post_log WHERE channel_id = $1 AND local_date = $2 AND status = 'claimed' "
            "AND ($3::text IS NULL OR owner = $3)",
            channel_id,
            local_date.isoformat(),
            owner,
        )
        return _count(status) > 0

    async def take_over_claims(self, owner: str, now: dt.datetime, lease: dt.timedelta) -> list[PostRecord]:
        """The owner's own unfinished claims and those whose lease ran out, now leased to it.

        SKIP LOCKED: a claim another process is taking over right now is its, not also this one's.
        """
        now_text, lease_until = _lease(now, lease)
        rows = await self._pool.fetch(
            """
            WITH due AS (
                SELECT channel_id, local_date FROM post_log
                WHERE status = 'claimed' AND (owner = $1 OR lease_until IS NULL OR lease_until <= $2)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE post_log AS p SET owner = $1, lease_until = $3
            FROM due WHERE p.channel_id = due.channel_id AND p.local_date = due.local_date
            RETURNING p.*
            """,
            owner,
            now_text,
            lease_until,
        )
        return sorted(self._posts(rows), key=lambda p: (p.channel_id, p.local_date))

    async def unfinished_claims(self) -> list[PostRecord]:
        """Claims never marked sent or released: left behind by a crash, a failed write, or in flight."""
        rows = await self._pool.fetch(
            "SELECT * FROM post_log WHERE status = 'claimed' ORDER BY channel_id, local_date"
        )
        return self._posts(rows)

    async def get_post(self, channel_id: int, local_date: dt.date) -> PostRecord | None:
        """The post-log row for a channel and local date, if any."""
        row = await self._pool.fetchrow(
            "SELECT * FROM post_log WHERE channel_id = $1 AND local_date = $2",
            channel_id,
            local_date.isoformat(),
        )
        found = self._posts([] if row is None else [row])
        return found[0] if found else None

    async def posts(self, channel_id: int) -> list[PostRecord]:
        """A channel's whole post log, oldest local date first."""
        rows = await self._pool.fetch(
            "SELECT * FROM post_log WHERE channel_id = $1 ORDER BY local_date", channel_id
        )
        return self._posts(rows)

    async def last_done_date(self, channel_id: int) -> dt.date | None:
        """The latest local date with a claimed or sent post for the channel."""
        value = await self._pool.fetchval(
            "SELECT max(local_date) FROM post_log WHERE channel_id = $1", channel_id
        )
        return None if value is None else dt.date.fromisoformat(value)

    async def last_done_dates(self) -> dict[int, dt.date]:
        """`last_done_date` of every channel with a post log."""
        rows = await self._pool.fetch(
            "SELECT channel_id, max(local_date) AS d FROM post_log GROUP BY channel_id"
        )
        return _done_dates(rows)

    async def last_posted(self, channel_id: int) -> dict[str, dt.datetime]:
        """For each fact posted (or being posted) to the channel, when it last was."""
        rows = await self._pool.fetch(
            "SELECT fact_key, max(coalesce(sent_at, claimed_at)) AS at "
            "FROM post_log WHERE channel_id = $1 GROUP BY fact_key",
            channel_id,
        )
        return self._last_posted(channel_id, rows)

    async def posted_keys(self, channel_id: int) -> set[str]:
        """Every fact key ever posted (or being posted) to the channel."""
        rows = await self._pool.fetch(
            "SELECT DISTINCT fact_key FROM post_log WHERE channel_id = $1", channel_id
        )
        return {str(row["fact_key"]) for row in rows}

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
        """Remember the options behind a paged answer's buttons; see `StateStore.save_page_query`."""
        async with self._pool.acquire() as conn, conn.transaction():
            seq = await conn.fetchval(
                "INSERT INTO page_queries(qid, options, seq, saved_at) "
                "VALUES ($1, $2, nextval('page_query_seq'), $3) "
                "ON CONFLICT(qid) DO UPDATE SET options = excluded.options, seq = excluded.seq, "
                "saved_at = excluded.saved_at RETURNING seq",
                qid,
                options,
                _ts(now),
            )
            await conn.execute("DELETE FROM page_queries WHERE seq <= $1", seq - keep)
            if forget_before is not None:
                await conn.execute("DELETE FROM page_queries WHERE saved_at < $1", _ts(forget_before))

    async def load_page_query(self, qid: str, *, saved_since: dt.datetime | None = None) -> str | None:
        """The options saved for a paged answer, or None when forgotten; see `StateStore.load_page_query`."""
        row = await self._pool.fetchrow("SELECT options, saved_at FROM page_queries WHERE qid = $1", qid)
        if row is None or (saved_since is not None and str(row["saved_at"]) < _ts(saved_since)):
            return None
        return str(row["options"])

    async def page_query_count(self) -> int:
        """How many page queries are kept."""
        return int(await self._pool.fetchval("SELECT count(*) FROM page_queries"))

    # -- key-value -----------------------------------------------------------------------------------

    async def get_value(self, key: str, default: str | None = None) -> str | None:
        """A stored value, or `default`."""
        value = await self._pool.fetchval("SELECT value FROM kv WHERE key = $1", key)
        return default if value is None else str(value)

    async def set_value(self, key: str, value: str) -> None:
        """Store a value under `key`, replacing any previous one."""
        await self._pool.execute(
            "INSERT INTO kv(key, value) VALUES ($1, $2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            key,
            value,
        )


def _count(status: str) -> int:
    """The row count of a command status such as 'INSERT 0 1' or 'DELETE 3'."""
    return int(status.rsplit(" ", 1)[-1])
