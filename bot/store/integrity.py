"""The fact store's seal: a checksum of the whole file, written by the build and checked on every open.

A store is never changed after it is built (a rebuild swaps in a new file), so any difference from the
bytes the build wrote is damage: a bad disk, a bad copy, a hand edit. SQLite's own checks see only broken
structure; a changed letter in an article or a citation's offsets leaves a valid database that would be
served as it is. The seal sees every byte.

The checksum is the first 8 bytes of the SHA-256 of the file with four 4-byte header fields read as zero:
two that SQLite changes on every write (the file change counter and the version-valid-for number) and the
two that hold the checksum itself (`user_version` and `application_id`, which SQLite leaves to
applications). Hashing a 200 MB store takes about 0.15 s.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100
_COUNTERS = ((24, 28), (92, 96))  # file change counter, version-valid-for
_USER_VERSION = (60, 64)
_APPLICATION_ID = (68, 72)
_ZEROED = (*_COUNTERS, _USER_VERSION, _APPLICATION_ID)
_CHUNK = 1 << 20


class DamagedStore(ValueError):
    """The file is not a sealed fact store exactly as it was built; the message says how, in one line."""


def _digest(path: Path) -> tuple[bytes, bytes]:
    """(the checksum the file's contents give, the checksum its header records)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        header = bytearray(f.read(HEADER_SIZE))
        if len(header) < HEADER_SIZE or not header.startswith(HEADER):
            raise DamagedStore("not an SQLite database (its header is missing or damaged)")
        recorded = bytes(header[slice(*_USER_VERSION)] + header[slice(*_APPLICATION_ID)])
        for start, end in _ZEROED:
            header[start:end] = bytes(end - start)
        h.update(header)
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.digest()[:8], recorded


def seal_id(path: Path) -> str:
    """The checksum a store's build sealed into it, as hex: the store's id (read from the header only)."""
    with path.open("rb") as f:
        header = f.read(HEADER_SIZE)
    return (header[slice(*_USER_VERSION)] + header[slice(*_APPLICATION_ID)]).hex()


def seal_of(user_version: int, application_id: int) -> str:
    """The store's id from its header fields as SQLite reports them (`PRAGMA user_version`, `application_id`):
    the same hex string as `seal_id`, read through a connection that is already open."""
    return (
        user_version.to_bytes(4, "big", signed=True) + application_id.to_bytes(4, "big", signed=True)
    ).hex()


def check(path: Path) -> None:
    """Return when `path` is a sealed store whose every byte is as built; DamagedStore (why) or OSError."""
    actual, recorded = _digest(path)
    if recorded == bytes(8):
        raise DamagedStore("it carries no checksum (built by an older version, or never finished)")
    if actual != recorded:
        raise DamagedStore("its checksum does not match its contents (the file was changed or damaged)")


def seal(path: Path) -> None:
    """Write the checksum of a finished store into its header, then check it (the build's last step)."""
    actual, _ = _digest(path)
    user_version = int.from_bytes(actual[:4], "big", signed=True)
    application_id = int.from_bytes(actual[4:], "big", signed=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(f"PRAGMA user_version = {user_version}")
        conn.execute(f"PRAGMA application_id = {application_id}")
    finally:
        conn.close()
    check(path)  # SQLite changed only the fields the checksum leaves out, or the build fails here
