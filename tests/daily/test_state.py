"""The state database: schema and migrations, subscriptions, the post log and the key-value table.

Every test that takes `state` or `location` runs against both backends: the SQLite file and PostgreSQL (on a
throwaway server the session starts; skipped with one line when there is none).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pydantic
import pytest
import pytest_asyncio

from bot.config import Settings
from bot.daily.state import (
    MAX_BOOKED_AHEAD_S,
    MIGRATIONS,
    SCHEMA_VERSION,
    ClaimLost,
    InvalidScheduleError,
    StateDB,
    StateError,
    StateStore,
    open_state,
)

UTC = dt.UTC
NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=UTC)  # 21:00 in Tokyo, 15:00 in Moscow


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new, empty state database of each backend is: a file path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "state.db")
    return str(request.getfixturevalue("pg_url"))


@pytest_asyncio.fixture
async def state(location: str) -> AsyncIterator[StateStore]:
    db = await open_state(location)
    yield db
    await db.close()


def raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


@pytest.mark.asyncio
async def test_open_creates_versioned_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    async with await StateDB.open(path) as db:
        assert await db.schema_version() == SCHEMA_VERSION
    with raw(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    assert {"meta", "subscriptions", "post_log", "kv"} <= tables
    assert int(version) == SCHEMA_VERSION


@pytest.mark.asyncio
async def test_reopen_keeps_data_and_does_not_remigrate(location: str) -> None:
    async with await open_state(location) as db:
        await db.subscribe(1, 10, "09:00", "JST", 99, now=NOW)
        await db.set_value("commands_hash", "abc")
    async with await open_state(location) as db:
        assert (await db.get_subscription(10)) is not None
        assert await db.get_value("commands_hash") == "abc"
        assert await db.schema_version() == SCHEMA_VERSION


@pytest.mark.asyncio
async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    async with await StateDB.open(path):
        pass
    with raw(path) as conn:
        conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(RuntimeError, match="newer"):
        await StateDB.open(path)


@pytest.mark.asyncio
async def test_subscribe_normalises_time_and_timezone(state: StateStore) -> None:
    sub = await state.subscribe(1, 10, "9:05", "jst", 42, now=NOW)
    assert sub.post_time == dt.time(9, 5)
    assert sub.post_time_text == "09:05"
    assert sub.timezone == "Asia/Tokyo"
    assert sub.zone.key == "Asia/Tokyo"
    assert (sub.guild_id, sub.channel_id, sub.created_by) == (1, 10, 42)
    assert sub.created_at == NOW
    assert sub.created_at.tzinfo is not None
    assert (sub.paused, sub.failures, sub.last_error) == (False, 0, None)
    assert await state.get_subscription(10) == sub


@pytest.mark.asyncio
async def test_start_date_is_today_only_if_post_time_not_passed(state: StateStore) -> None:
    # NOW is 21:00 on May 1 in Tokyo.
    late = await state.subscribe(1, 10, "21:30", "Asia/Tokyo", 42, now=NOW)
    passed = await state.subscribe(1, 11, "20:59", "Asia/Tokyo", 42, now=NOW)
    assert late.start_date == dt.date(2026, 5, 1)
    assert passed.start_date == dt.date(2026, 5, 2)


@pytest.mark.asyncio
@pytest.mark.parametrize(("time", "zone"), [("25:00", "UTC"), ("9am", "UTC"), ("09:00", "Mars/Base")])
async def test_subscribe_rejects_bad_schedule(state: StateStore, time: str, zone: str) -> None:
    with pytest.raises(InvalidScheduleError):
        await state.subscribe(1, 10, time, zone, 42, now=NOW)
    assert await state.list_subscriptions() == []


@pytest.mark.asyncio
async def test_naive_datetimes_are_rejected(state: StateStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        await state.subscribe(1, 10, "09:00", "UTC", 42, now=dt.datetime(2026, 5, 1, 12))


@pytest.mark.asyncio
async def test_resubscribe_updates_and_clears_pause(state: StateStore) -> None:
    await state.subscribe(1, 10, "09:00", "UTC", 42, now=NOW)
    for _ in range(3):
        await state.record_failure(10, "HTTP 403: Missing Access")
    paused = await state.get_subscription(10)
    assert paused is not None
    assert paused.paused
    assert paused.failures == 3
    later = NOW + dt.timedelta(days=2)
    again = await state.subscribe(1, 10, "18:00", "MSK", 43, now=later)
    assert (again.paused, again.failures, again.last_error) == (False, 0, None)
    assert (again.post_time, again.timezone, again.created_by) == (dt.time(18, 0), "Europe/Moscow", 43)
    assert again.start_date == dt.date(2026, 5, 3)
    assert len(await state.list_subscriptions()) == 1


@pytest.mark.asyncio
async def test_unsubscribe_keeps_the_post_log(state: StateStore) -> None:
    await state.subscribe(1, 10, "09:00", "UTC", 42, now=NOW)
    assert await state.claim_post(10, dt.date(2026, 5, 2), "event:1", now=NOW)
    assert await state.unsubscribe(10) is True
    assert await state.unsubscribe(10) is False
    assert await state.get_subscription(10) is None
    assert await state.posted_keys(10) == {"event:1"}


@pytest.mark.asyncio
async def test_list_subscriptions_by_guild(state: StateStore) -> None:
    await state.subscribe(2, 21, "09:00", "UTC", 1, now=NOW)
    await state.subscribe(1, 12, "09:00", "UTC", 1, now=NOW)
    await state.subscribe(1, 11, "09:00", "UTC", 1, now=NOW)
    assert [s.channel_id for s in await state.list_subscriptions()] == [11, 12, 21]
    assert [s.channel_id for s in await state.list_subscriptions(guild_id=1)] == [11, 12]
    assert await state.list_subscriptions(guild_id=3) == []


@pytest.mark.asyncio
async def test_record_failure_pauses_at_threshold_and_reset(state: StateStore) -> None:
    await state.subscribe(1, 10, "09:00", "UTC", 42, now=NOW)
    assert await state.record_failure(10, "HTTP 403: a", pause_after=2) is False
    await state.reset_failures(10)
    assert await state.record_failure(10, "HTTP 403: b", pause_after=2) is False
    assert await state.record_failure(10, "HTTP 404: c", pause_after=2) is True
    sub = await state.get_subscription(10)
    assert sub is not None
    assert (sub.paused, sub.failures, sub.last_error) == (True, 2, "HTTP 404: c")
    await state.reset_failures(10)
    sub = await state.get_subscription(10)
    assert sub is not None
    assert (sub.paused, sub.failures, sub.last_error) == (True, 0, None)  # only re-subscribing un-pauses
    assert await state.record_failure(999, "HTTP 404") is False


@pytest.mark.asyncio
async def test_claim_is_exclusive_and_needs_an_active_subscription(state: StateStore) -> None:
    day = dt.date(2026, 5, 2)
    assert await state.claim_post(10, day, "event:1", now=NOW) is False  # not subscribed
    await state.subscribe(1, 10, "09:00", "UTC", 42, now=NOW)
    assert await state.claim_post(10, day, "event:1", now=NOW) is True
    assert await state.claim_post(10, day, "event:2", now=NOW) is False
    await state.mark_sent(10, day, 555, now=NOW)
    assert await state.claim_post(10, day, "event:2", now=NOW) is False
    for _ in range(3):
        await state.record_failure(10, "HTTP 403")
    assert await state.claim_post(10, day + dt.timedelta(days=1), "event:2", now=NOW) is False  # paused


@pytest.mark.asyncio
async def test_concurrent_claims_from_two_processes_yield_one_winner(location: str) -> None:
    async with await open_state(location) as a, await open_state(location) as b:
        await a.subscribe(1, 10, "09:00", "UTC", 42, now=NOW)
        days = [dt.date(2026, 5, 1) + dt.timedelta(days=i) for i in range(20)]
        results = await asyncio.gather(
            *(db.claim_post(10, day, f"k{i}", now=NOW) for day in days for i, db in enumerate((a, b)))
        )
    assert sum(results) == len(days)


@pytest.mark.asyncio
async def test_mark_sent_release_and_unfinished_claims(state: StateStore) -> None:
    await state.subscribe(1, 10, "09:00", "UTC", 42, now=NOW)
    d1, d2, d3 = (dt.date(2026, 5, d) for d in (1, 2, 3))
    sent_at = NOW + dt.timedelta(minutes=1)
    for day, key in ((d1, "a"), (d2, "b"), (d3, "c")):
        assert await state.claim_post(10, day, key, now=NOW)
    await state.mark_sent(10, d1, 111, now=sent_at)
    assert await state.release_claim(10, d2) is True
    assert [(c.local_date, c.fact_key) for c in await state.unfinished_claims()] == [(d3, "c")]
    assert await state.release_claim(10, d1) is False  # a sent post is never released
    record = await state.get_post(10, d1)
    assert record is not None
    assert (record.status, record.message_id, record.claimed_at, record.sent_at) == (
        "sent",
        111,
        NOW,
        sent_at,
    )
    assert await state.get_post(10, d2) is None
    assert [p.local_date for p in await state.posts(10)] == [d1, d3]
    with pytest.raises(LookupError):
        await state.mark_sent(10, d2, 222)


@pytest.mark.asyncio
async def test_last_posted_last_done_and_posted_keys(state: StateStore) -> None:
    await state.subscribe(1, 10, "09:00", "UTC", 42, now=NOW)
    assert await state.last_done_date(10) is None
    assert await state.last_posted(10) == {}
    t = [NOW + dt.timedelta(days=i) for i in range(3)]
    await state.claim_post(10, dt.date(2026, 5, 1), "a", now=t[0])
    await state.mark_sent(10, dt.date(2026, 5, 1), 1, now=t[0])
    await state.claim_post(10, dt.date(2026, 5, 2), "b", now=t[1])
    await state.mark_sent(10, dt.date(2026, 5, 2), 2, now=t[1])
    await state.claim_post(10, dt.date(2026, 5, 3), "a", now=t[2])  # claimed, not yet sent
    assert await state.last_posted(10) == {"a": t[2], "b": t[1]}
    assert await state.posted_keys(10) == {"a", "b"}
    assert await state.last_done_date(10) == dt.date(2026, 5, 3)
    assert await state.last_posted(11) == {}


@pytest.mark.asyncio
async def test_key_value_store(state: StateStore) -> None:
    assert await state.get_value("missing") is None
    assert await state.get_value("missing", "fallback") == "fallback"
    await state.set_value("commands_hash", "v1")
    await state.set_value("commands_hash", "v2")
    assert await state.get_value("commands_hash") == "v2"


@pytest.mark.asyncio
async def test_read_only_database_raises_on_write_but_still_reads(tmp_path: Path) -> None:
    state = await StateDB.open(tmp_path / "state.db")
    await state.subscribe(1, 10, "09:00", "UTC", 42, now=NOW)
    await state._conn.execute("PRAGMA query_only = ON")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await state.claim_post(10, dt.date(2026, 5, 2), "a", now=NOW)
    assert len(await state.list_subscriptions()) == 1
    await state.close()


# ---- a state file that is empty, unreadable or holds a malformed row ---------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("content", "wording"),
    [
        (b"", "is empty"),
        (b"not a database at all, but some text " * 200, "not a state database"),
        (b"SQLite format 3\x00" + bytes(range(256)) * 16, "not a state database"),
    ],
    ids=["empty", "text", "damaged"],
)
async def test_an_empty_or_unreadable_state_file_is_refused_in_one_line_and_never_overwritten(
    tmp_path: Path, content: bytes, wording: str
) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(content)
    with pytest.raises(StateError) as refused:
        await StateDB.open(path)
    message = str(refused.value)
    assert wording in message and str(path) in message and "\n" not in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.db"]


@pytest.mark.asyncio
async def test_a_state_database_of_another_program_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with raw(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    before = path.read_bytes()
    with pytest.raises(StateError, match="not a state database"):
        await StateDB.open(path)
    assert path.read_bytes() == before


@pytest.mark.asyncio
async def test_a_state_folder_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(StateError, match="cannot create the state database"):
        await StateDB.open(blocker / "state.db")


@pytest.mark.asyncio
async def test_a_new_state_database_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "new" / "state.db"
    async with await StateDB.open(path) as db:
        assert await db.schema_version() == SCHEMA_VERSION
    assert sorted(p.name for p in path.parent.iterdir() if not p.name.startswith("state.db-")) == ["state.db"]


MALFORMED = {
    "post_time": "nonsense",
    "timezone": "Mars/Olympus_Mons",
    "created_at": "yesterday",
    "start_date": "2026-13-45",
    "guild_id": "not a number",
    "paused": "maybe",
}


@pytest.mark.asyncio
@pytest.mark.parametrize("column", list(MALFORMED))
async def test_one_malformed_subscription_row_is_skipped_and_reported(
    tmp_path: Path, column: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "state.db"
    async with await StateDB.open(path) as db:
        for channel in (10, 11, 12):
            await db.subscribe(1 if channel < 12 else 2, channel, "09:00", "UTC", 42, now=NOW)
    with raw(path) as conn:
        conn.execute(f"UPDATE subscriptions SET {column} = ? WHERE channel_id = 11", (MALFORMED[column],))
    async with await StateDB.open(path) as db:
        assert [s.channel_id for s in await db.list_subscriptions()] == [10, 12]
        assert [s.channel_id for s in await db.list_subscriptions(2)] == [12]
        bad = await db.unreadable_subscriptions()
        assert [(b.channel_id, b.column) for b in bad] == [(11, column)]
        assert await db.get_subscription(11) is None
        assert await db.get_subscription(10) is not None
        if column != "guild_id":  # a row whose server cannot be read is reported to no server
            assert [b.channel_id for b in await db.unreadable_subscriptions(1)] == [11]
        await db.list_subscriptions()
    warnings = [r for r in caplog.records if "subscription of channel 11" in r.getMessage()]
    assert len(warnings) == 1  # reported once, not on every read


@pytest.mark.asyncio
async def test_a_malformed_post_log_row_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    async with await StateDB.open(path) as db:
        for channel in (10, 11):
            await db.subscribe(1, channel, "09:00", "UTC", 42, now=NOW)
            await db.claim_post(channel, dt.date(2026, 5, 1), "event:1", now=NOW)
    with raw(path) as conn:
        conn.execute("UPDATE post_log SET claimed_at = 'garbage' WHERE channel_id = 11")
    async with await StateDB.open(path) as db:
        assert [c.channel_id for c in await db.unfinished_claims()] == [10]
        assert await db.last_posted(11) == {}
        assert await db.last_posted(10) == {"event:1": NOW}


# ---- page queries: what page buttons need, kept for the most recent queries only -----------------------------


@pytest.mark.asyncio
async def test_page_queries_are_kept_for_the_most_recent_only(state: StateStore) -> None:
    keep = 50
    for n in range(keep + 30):
        await state.save_page_query(f"q{n:011d}", f'{{"n": {n}}}', keep=keep)
    assert await state.page_query_count() == keep
    assert await state.load_page_query(f"q{keep + 29:011d}") == f'{{"n": {keep + 29}}}'
    assert await state.load_page_query(f"q{30:011d}") == '{"n": 30}'
    assert await state.load_page_query(f"q{29:011d}") is None  # the oldest made room
    # Saving a query again makes it the most recent: asked for often, it never expires.
    await state.save_page_query(f"q{30:011d}", '{"n": 30}', keep=keep)
    await state.save_page_query("new-one-here", "{}", keep=keep)
    assert await state.load_page_query(f"q{30:011d}") == '{"n": 30}'
    assert await state.load_page_query(f"q{31:011d}") is None


@pytest.mark.asyncio
async def test_page_queries_expire_by_age(state: StateStore) -> None:
    day = dt.timedelta(days=1)
    await state.save_page_query("asked-long-ago", "{}", keep=50, now=NOW)
    await state.save_page_query("asked-lately", "{}", keep=50, now=NOW + 20 * day)
    assert await state.load_page_query("asked-long-ago", saved_since=NOW + day) is None
    assert await state.load_page_query("asked-lately", saved_since=NOW + day) == "{}"
    # Saving forgets what is past the cut-off, so expired queries do not stay in the table.
    await state.save_page_query("asked-now", "{}", keep=50, now=NOW + 40 * day, forget_before=NOW + 10 * day)
    assert await state.page_query_count() == 2
    assert await state.load_page_query("asked-long-ago") is None


@pytest.mark.asyncio
async def test_page_queries_of_a_version_1_database_are_kept_by_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with raw(path) as conn:  # the version 1 schema, as the first release wrote it
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        for statement in MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        conn.execute("INSERT INTO kv VALUES ('query:abcdef012345', '{\"kind\": \"quote\"}')")
        conn.execute("INSERT INTO kv VALUES ('commands_hash:global', 'h')")
    async with await StateDB.open(path) as db:
        assert await db.schema_version() == SCHEMA_VERSION
        assert await db.load_page_query("abcdef012345") == '{"kind": "quote"}'
        assert await db.get_value("query:abcdef012345") is None
        assert await db.get_value("commands_hash:global") == "h"


@pytest.mark.asyncio
async def test_subscriptions_of_a_version_3_database_are_kept_and_only_a_removed_servers_pause(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state.db"
    with raw(path) as conn:  # the version 3 schema, before removals from a server were recorded
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        for step in MIGRATIONS[:3]:
            for statement in step:
                conn.execute(statement)
        conn.execute("INSERT INTO meta VALUES ('schema_version', '3')")
        for guild, channel in ((1, 10), (1, 11), (2, 20)):
            conn.execute(
                "INSERT INTO subscriptions(guild_id, channel_id, post_time, timezone, created_by, created_at, "
                "start_date) VALUES (?, ?, '09:00', 'Asia/Tokyo', 7, '2026-11-01T00:00:00.000000+00:00', "
                "'2026-11-02')",
                (guild, channel),
            )
    now = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
    async with await StateDB.open(path) as db:
        assert await db.schema_version() == SCHEMA_VERSION
        assert [(s.channel_id, s.paused, s.removed_at) for s in await db.list_subscriptions()] == [
            (10, False, None),
            (11, False, None),
            (20, False, None),
        ]
        assert await db.pause_guild(1, now=now) == 2
        assert await db.pause_guild(1, now=now + dt.timedelta(days=1)) == 0  # the first removal is kept
        assert [(s.channel_id, s.paused, s.removed_at) for s in await db.list_subscriptions()] == [
            (10, True, now),
            (11, True, now),
            (20, False, None),
        ]
        assert not await db.claim_post(10, dt.date(2026, 11, 23), "event:1", now=now)


@pytest.mark.asyncio
async def test_a_removed_servers_subscriptions_pause_until_subscribed_again(state: StateStore) -> None:
    for guild, channel in ((1, 10), (1, 11), (2, 20)):
        await state.subscribe(guild, channel, "09:00", "UTC", 7, now=NOW)
    removed = NOW + dt.timedelta(hours=1)
    assert await state.pause_guild(1, now=removed) == 2
    assert await state.pause_guild(1, now=removed + dt.timedelta(days=1)) == 0  # the first removal is kept
    assert [(s.channel_id, s.paused, s.removed_at) for s in await state.list_subscriptions()] == [
        (10, True, removed),
        (11, True, removed),
        (20, False, None),
    ]
    assert not await state.claim_post(10, dt.date(2026, 5, 2), "a", now=removed)
    again = await state.subscribe(1, 10, "09:00", "UTC", 7, now=removed)
    assert (again.paused, again.removed_at) == (False, None)
    assert await state.claim_post(10, dt.date(2026, 5, 2), "a", now=removed)


# ---- PostgreSQL: what a shared server adds -----------------------------------------------------------------


@pytest.mark.asyncio
async def test_processes_starting_together_on_postgresql_migrate_once(pg_url: str) -> None:
    opened = await asyncio.gather(*(open_state(pg_url) for _ in range(6)))
    try:
        assert all(db.shared for db in opened)
        assert {await db.schema_version() for db in opened} == {SCHEMA_VERSION}
        await opened[0].subscribe(1, 10, "09:00", "UTC", 42, now=NOW)
        assert [s.channel_id for s in await opened[-1].list_subscriptions()] == [10]
    finally:
        for db in opened:
            await db.close()


@pytest.mark.asyncio
async def test_a_newer_schema_on_postgresql_is_refused(pg_url: str) -> None:
    async with await open_state(pg_url) as db:
        await db.set_value("probe", "x")  # the schema exists
    conn = await asyncpg.connect(pg_url)
    try:
        await conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    finally:
        await conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        await open_state(pg_url)


@pytest.mark.asyncio
async def test_an_unreachable_postgresql_is_one_line_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://factbot:hunter2@/nowhere?host={tmp_path}&port=5999"
    with pytest.raises(StateError) as refused:
        await open_state(url)
    message = str(refused.value)
    assert "cannot reach the state database" in message
    assert "hunter2" not in message and "\n" not in message
    assert "factbot:***@" in message


@pytest.mark.asyncio
async def test_the_sqlite_file_is_for_one_process_and_postgresql_is_shared(tmp_path: Path) -> None:
    async with await open_state(tmp_path / "state.db") as db:
        assert isinstance(db, StateDB)
        assert db.shared is False


def test_the_state_url_setting_picks_postgresql_and_refuses_anything_else() -> None:
    url = "postgresql://factbot:hunter2@db.example/factbot"
    settings = Settings(_env_file=None, FACTBOT_STATE_URL=url)  # type: ignore[call-arg]
    assert settings.state_location == url
    assert "hunter2" not in repr(settings)
    unset = Settings(_env_file=None, FACTBOT_STATE_URL="")  # type: ignore[call-arg]
    assert unset.state_location == str(unset.state_db_path)
    with pytest.raises(pydantic.ValidationError, match=r"postgresql://"):
        Settings(_env_file=None, FACTBOT_STATE_URL="mysql://db.example/factbot")  # type: ignore[call-arg]


# ---- leases: a claim belongs to one process until its lease runs out ----------------------------------------

LEASE = dt.timedelta(minutes=10)


@pytest.mark.asyncio
async def test_a_claim_is_marked_sent_or_released_only_by_its_owner(state: StateStore) -> None:
    await state.subscribe(1, 10, "09:00", "UTC", 42, now=NOW)
    d1, d2 = dt.date(2026, 5, 1), dt.date(2026, 5, 2)
    for day in (d1, d2):
        assert await state.claim_post(10, day, "a", now=NOW, owner="A", lease=LEASE)
    claim = await state.get_post(10, d1)
    assert claim is not None
    assert (claim.owner, claim.lease_until) == ("A", NOW + LEASE)
    with pytest.raises(ClaimLost, match="taken over by A"):
        await state.mark_sent(10, d1, 1, now=NOW, owner="B")
    assert await state.release_claim(10, d2, owner="B") is False
    assert [c.local_date for c in await state.unfinished_claims()] == [d1, d2]
    await state.mark_sent(10, d1, 1, now=NOW, owner="A")
    assert await state.release_claim(10, d2, owner="A") is True
    with pytest.raises(LookupError) as missing:
        await state.mark_sent(10, d2, 2, now=NOW, owner="A")
    assert not isinstance(missing.value, ClaimLost)
    sent = await state.get_post(10, d1)
    assert sent is not None
    assert (sent.status, sent.lease_until) == ("sent", None)


@pytest.mark.asyncio
async def test_a_live_claim_of_another_process_is_taken_over_only_on_a_database_of_one_process(
    state: StateStore,
) -> None:
    await state.subscribe(1, 10, "09:00", "UTC", 42, now=NOW)
    await state.subscribe(1, 11, "09:00", "UTC", 42, now=NOW)
    day = dt.date(2026, 5, 1)
    await state.claim_post(10, day, "a", now=NOW, owner="A", lease=LEASE)  # in flight in A
    await state.claim_post(11, day, "a", now=NOW - 2 * LEASE, owner="C", lease=LEASE)  # C died
    taken = await state.take_over_claims("B", NOW + dt.timedelta(minutes=1), LEASE)
    expected = [11] if state.shared else [10, 11]
    assert [c.channel_id for c in taken] == expected
    assert {c.owner for c in taken} == {"B"}
    assert {c.lease_until for c in taken} == {NOW + dt.timedelta(minutes=11)}
    # B now settles what it took: the previous owner can no longer mark it.
    with pytest.raises(ClaimLost):
        await state.mark_sent(11, day, 5, now=NOW, owner="C")
    # Once A's lease has run out, its claim is anyone's to settle, and its own claims are always its own.
    later = await state.take_over_claims("B", NOW + LEASE, LEASE)
    assert [c.channel_id for c in later] == [10, 11]


@pytest.mark.asyncio
async def test_processes_taking_over_at_once_on_postgresql_each_get_different_claims(pg_url: str) -> None:
    stores = [await open_state(pg_url) for _ in range(4)]
    try:
        for channel in range(10, 70):
            await stores[0].subscribe(1, channel, "09:00", "UTC", 42, now=NOW)
            await stores[0].claim_post(channel, dt.date(2026, 5, 1), "a", now=NOW, owner="dead", lease=LEASE)
        later = NOW + 2 * LEASE
        taken = await asyncio.gather(
            *(db.take_over_claims(f"p{i}", later, LEASE) for i, db in enumerate(stores))
        )
    finally:
        for db in stores:
            await db.close()
    channels = [c.channel_id for claims in taken for c in claims]
    assert sorted(channels) == list(range(10, 70))  # every claim taken over, none by two processes


@pytest.mark.asyncio
async def test_send_slots_are_booked_one_interval_apart_and_never_far_ahead(state: StateStore) -> None:
    slots = [await state.send_slot(0.04) for _ in range(20)]
    assert slots[0].wait == 0  # nothing booked before: at once
    assert all(b.at - a.at >= 0.04 - 1e-6 for a, b in itertools.pairwise(slots))
    # Slots of 30 s each: booked ahead up to the cap, never further (a clock set back cannot hold posts).
    far = [await state.send_slot(30.0, scope="slow") for _ in range(5)]
    assert far[1].wait > 20 and far[2].wait > 50
    assert all(s.wait <= MAX_BOOKED_AHEAD_S + 1e-6 for s in far)
    assert (await state.send_slot(0.04)).wait < 1  # the other scope's bookings are its own


@pytest.mark.asyncio
async def test_processes_on_one_postgresql_database_share_one_pace(pg_url: str) -> None:
    first, second = await open_state(pg_url), await open_state(pg_url)
    try:
        booked = await asyncio.gather(*(s.send_slot(0.02) for _ in range(40) for s in (first, second)))
    finally:
        await first.close()
        await second.close()
    moments = sorted(slot.at for slot in booked)
    assert len(moments) == 80
    assert all(b - a >= 0.02 - 1e-6 for a, b in itertools.pairwise(moments))
