"""A throwaway PostgreSQL cluster for the tests: initdb and pg_ctl on a temporary folder, a unix socket only.

`initdb` refuses to run as root, so as root the server's commands run as the `postgres` user (`runuser`).
Where no PostgreSQL server is installed the tests that need one are skipped, with one line saying why,
unless FACTBOT_REQUIRE_POSTGRES is set (CI sets it), when they fail instead.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

REQUIRE = "FACTBOT_REQUIRE_POSTGRES"
PORT = 5432  # the socket's name only: the cluster listens on no TCP port at all


def find_bin() -> Path | None:
    """The folder of PostgreSQL's server binaries (FACTBOT_TEST_PG_BIN, Debian's layout, or PATH)."""
    configured = os.environ.get("FACTBOT_TEST_PG_BIN")
    candidates = [configured] if configured else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


class Unavailable(RuntimeError):
    """No PostgreSQL server can be started here; the message says why in one line."""


class Cluster:
    """One running PostgreSQL server in a temporary folder; `database()` makes a fresh, empty database."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="factbot-pg-"))
        self.data = self.root / "data"
        self.socket = self.root / "socket"
        self._names = itertools.count(1)
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise Unavailable("running as root and there is no postgres user to run initdb as") from None
            self._as = ["runuser", "-u", "postgres", "--"]
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self.socket.mkdir()
        if self._as:
            os.chown(self.socket, pwd.getpwnam("postgres").pw_uid, -1)

    def _server(self, *args: str) -> None:
        done = subprocess.run([*self._as, *args], capture_output=True, text=True, check=False, cwd=self.root)
        if done.returncode != 0:
            reason = (done.stderr.strip() or done.stdout.strip() or "failed").splitlines()[-1]
            raise Unavailable(f"{Path(args[0]).name}: {reason}")

    def start(self) -> None:
        self._server(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )
        options = f"-c listen_addresses='' -c unix_socket_directories={self.socket} -p {PORT} -c fsync=off"
        self._server(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
            "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        with contextlib.suppress(Unavailable):
            self._server(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.socket}&port={PORT}"

    def database(self) -> str:
        """A new empty database; returns its URL."""
        name = f"factbot_test_{next(self._names)}"
        done = subprocess.run(
            [str(self.bindir / "createdb"), "-h", str(self.socket), "-p", str(PORT), "-U", "postgres", name],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"createdb {name}: {done.stderr.strip()}")
        return self.url(name)
