"""The offline console: the same slash commands, answered through the same option parsing and answers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answers import QueryError
from bot.console import parse_line
from tests.helpers import ROOT, SEEDS
from tests.waits import DEADLINE


@pytest.mark.parametrize(
    ("line", "name", "options"),
    [
        ("/quote peace treaty speaker:Abe", "quote", {"about": "peace treaty", "speaker": "Abe"}),
        ("/timeline from:1956 to:1960", "timeline", {"from": "1956", "to": "1960"}),
        ("/island Etorofu", "island", {"name": "Etorofu"}),
        ("/island name:択捉島", "island", {"name": "択捉島"}),
        ('/quote speaker:"Sergey Lavrov" islands', "quote", {"speaker": "Sergey Lavrov", "about": "islands"}),
        ("/about", "about", {}),
        (
            '/check "We will not give up" speaker:Putin',
            "check",
            {"text": "We will not give up", "speaker": "Putin"},
        ),
        # Quotation marks inside the text stay: /check reads who the text says said what.
        ('/check "We will not give up," said Putin', "check", {"text": '"We will not give up," said Putin'}),
    ],
)
def test_slash_lines_parse_into_the_commands_options(line: str, name: str, options: dict[str, str]) -> None:
    command, parsed = parse_line(line)
    assert command.name == name and parsed == options


@pytest.mark.parametrize("line", ["quote abe", "/nonsense", "/about extra words"])
def test_bad_lines_are_friendly_errors(line: str) -> None:
    with pytest.raises(QueryError):
        parse_line(line)


def _console(tmp_path: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "FACTBOT_"))}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "FACTBOT_DB_PATH": str(tmp_path / "facts.db"),
            "FACTBOT_STATE_DB_PATH": str(tmp_path / "state.db"),
            "FACTBOT_ARTICLES": str(SEEDS),
            "COLUMNS": "200",
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=2 * DEADLINE,  # it may build the store first
        check=False,
    )


def test_console_answers_slash_commands_and_odd_input(tmp_path: Path) -> None:
    proc = _console(
        tmp_path, "/island Etorofu\n/timeline from:1990 to:1960\n/quote pre-conditions\n/bogus\n", "console"
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Iturup" in out and "Kunashir and Iturup islands" in out
    assert "before" in out  # the friendly error for to < from
    assert "Vladimir Putin" in out and "without any pre-conditions" in out
    assert "Unknown command" in out
    assert "Traceback" not in out + proc.stderr


def test_main_job_without_token_starts_the_console_and_builds_the_store(tmp_path: Path) -> None:
    proc = _console(tmp_path, "/about\n")
    assert proc.returncode == 0, proc.stderr
    assert "offline console" in proc.stderr + proc.stdout
    assert "5 articles" in proc.stdout
    assert (tmp_path / "facts.db").is_file()


def test_ask_answers_one_command_and_exits(tmp_path: Path) -> None:
    proc = _console(tmp_path, "", "ask", "/island shikotan")
    assert proc.returncode == 0, proc.stderr
    assert "Shikotan" in proc.stdout and "Sources" in proc.stdout
