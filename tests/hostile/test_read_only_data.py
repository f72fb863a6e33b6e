"""A read-only data folder: an up-to-date store is used as it is, and what cannot be done is said in one line.

The folder is made read-only for the process under test: with a read-only bind mount in a private mount
namespace when the tests run as root (root ignores permissions), else by its permissions.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakediscord import FakeDiscord
from tests.discord.harness import TOKEN
from tests.helpers import ROOT, SEEDS
from tests.waits import ProcessOutput


def _namespaces_work(folder: Path) -> bool:
    probe = ["unshare", "-rm", "sh", "-c", 'mount --bind -o ro "$1" "$1" && ! touch "$1/probe"', "sh"]
    try:
        return subprocess.run([*probe, str(folder)], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A data folder, and the command prefix that runs a process which sees it read-only."""
    data = tmp_path / "data"
    data.mkdir()
    if os.geteuid() != 0:
        yield data, []
        data.chmod(stat.S_IRWXU)
        return
    if not _namespaces_work(data):
        pytest.skip("running as root without user namespaces: no way to make a folder read-only")
    yield (
        data,
        ["unshare", "-rm", "sh", "-c", 'mount --bind -o ro "$1" "$1" && shift && exec "$@"', "sh", str(data)],
    )


def _lock(data: Path) -> None:
    if os.geteuid() != 0:
        data.chmod(stat.S_IRUSR | stat.S_IXUSR)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "FACTBOT_"))}
    return env | {"PYTHONPATH": str(ROOT), "COLUMNS": "200"} | extra


def _factbot(prefix: list[str], args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


def test_an_up_to_date_store_in_a_read_only_folder_is_used_not_rebuilt(
    tmp_path: Path, read_only: tuple[Path, list[str]]
) -> None:
    data, prefix = read_only
    articles = _articles(tmp_path)
    db = data / "facts.db"
    built = _factbot([], ["build", "--articles", str(articles), "--db", str(db)], tmp_path)
    assert built.returncode == 0, built.stderr
    before = sorted(p.name for p in data.iterdir())
    _lock(data)

    again = _factbot(prefix, ["build", "--articles", str(articles), "--db", str(db)], tmp_path)
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stderr and "Traceback" not in again.stderr
    asked = _factbot(
        prefix,
        ["island", "Shikotan", "--json"],
        tmp_path,
        FACTBOT_DB_PATH=str(db),
        FACTBOT_ARTICLES=str(articles),
    )
    assert asked.returncode == 0 and '"island": "Shikotan"' in asked.stdout, asked.stderr
    assert sorted(p.name for p in data.iterdir()) == before  # no -shm, -wal or temporary file


def test_a_store_that_must_be_rebuilt_in_a_read_only_folder_is_one_line(
    tmp_path: Path, read_only: tuple[Path, list[str]]
) -> None:
    data, prefix = read_only
    articles = _articles(tmp_path)
    db = data / "facts.db"
    assert _factbot([], ["build", "--articles", str(articles), "--db", str(db)], tmp_path).returncode == 0
    (articles / "new.txt").write_text("Talks on Shikotan resumed in March 2021.\n", encoding="utf-8")
    _lock(data)

    result = _factbot(prefix, ["build", "--articles", str(articles), "--db", str(db)], tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("factbot: error:")]
    assert errors == [f"factbot: error: cannot write the fact store at {db}: Read-only file system"] or (
        os.geteuid() != 0 and len(errors) == 1 and "cannot write the fact store" in errors[0]
    ), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.asyncio
async def test_factbot_run_with_a_read_only_data_folder_starts_or_says_why_in_one_line(
    fake: FakeDiscord, tmp_path: Path, read_only: tuple[Path, list[str]]
) -> None:
    data, prefix = read_only
    articles = _articles(tmp_path)
    db, state = data / "facts.db", data / "state.db"
    assert _factbot([], ["build", "--articles", str(articles), "--db", str(db)], tmp_path).returncode == 0
    _lock(data)
    settings = {
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_BASE_URL": fake.api_base_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "FACTBOT_DB_PATH": str(db),
        "FACTBOT_ARTICLES": str(articles),
    }

    # The state database cannot be created there: one line naming it, not "cannot reach Discord".
    proc = await asyncio.create_subprocess_exec(
        *prefix, sys.executable, "-m", "bot.cli", "run",
        cwd=tmp_path,
        env=_env(**settings, FACTBOT_STATE_DB_PATH=str(state)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(proc.communicate(), 120)
    errors = [line for line in err.decode().splitlines() if line.startswith("factbot:")]
    assert proc.returncode == 1 and len(errors) == 1, err.decode()
    assert "state database" in errors[0] and str(state) in errors[0] and "Discord" not in errors[0]
    assert "Traceback" not in err.decode()

    # With the state elsewhere, the up-to-date store is used as it is and the bot connects.
    proc = await asyncio.create_subprocess_exec(
        *prefix, sys.executable, "-m", "bot.cli", "run",
        cwd=tmp_path,
        # A stop that hangs prints where each thread was (see ProcessOutput's abort).
        env=_env(**settings, FACTBOT_STATE_DB_PATH=str(tmp_path / "state.db"), PYTHONFAULTHANDLER="1"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output = ProcessOutput(proc)
    try:
        await output.line_containing(
            "ready as", "`factbot run` on a read-only data folder logging it is ready"
        )
        proc.send_signal(signal.SIGINT)
        await output.exit("`factbot run` exiting after Ctrl-C")
    finally:
        await output.kill()
    assert "Traceback" not in output.text and "rebuild" not in output.text.lower(), output.text


@pytest.mark.asyncio
async def test_factbot_run_on_a_damaged_store_it_cannot_rebuild_exits_1_in_one_line(
    fake: FakeDiscord, tmp_path: Path, read_only: tuple[Path, list[str]]
) -> None:
    data, prefix = read_only
    articles = _articles(tmp_path)
    db = data / "facts.db"
    assert _factbot([], ["build", "--articles", str(articles), "--db", str(db)], tmp_path).returncode == 0
    db.write_bytes(db.read_bytes().replace(b"Shikotan", b"Atlantis"))  # a valid database telling lies
    _lock(data)
    settings = {
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_BASE_URL": fake.api_base_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "FACTBOT_DB_PATH": str(db),
        "FACTBOT_ARTICLES": str(articles),
        "FACTBOT_STATE_DB_PATH": str(tmp_path / "state.db"),
    }
    proc = await asyncio.create_subprocess_exec(
        *prefix, sys.executable, "-m", "bot.cli", "run",
        cwd=tmp_path,
        env=_env(**settings),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(proc.communicate(), 120)
    errors = [line for line in err.decode().splitlines() if line.startswith("factbot:")]
    assert proc.returncode == 1 and len(errors) == 1, err.decode()
    assert "cannot write the fact store" in errors[0] and "Traceback" not in err.decode()
    assert not [f for f in fake.gateway_frames if f.direction == "in" and f.op == 2]  # it never went online
