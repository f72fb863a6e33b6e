"""Terminal escapes in article text, metadata or file names never reach the operator's terminal raw.

An article can carry escape sequences that set the window title, clear the screen or hide a link; bidi
controls can reorder what a line appears to say. Every view the command line prints (everything but
`--json`, whose strings JSON escapes) shows them as visible escapes instead.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from bot import cli
from bot.answers import Facts
from bot.console import answer_line
from tests.helpers import SEEDS

TITLE = "\x1b]0;pwned window title\x07"
CLEAR = "\x1b[2J\x1b[H"
LINK = "\x1b]8;;https://evil.invalid\x1b\\innocent\x1b]8;;\x1b\\"
CSI8 = "\x9b31m"  # the one-byte CSI some terminals still obey
BIDI = "\u202etxt.exe\u202c"
HOSTILE = (
    f"Escapes {TITLE}headline {CLEAR}\n\n"
    f"On 3 March 2001, Shikotan {LINK} saw {CSI8}talks{BIDI} about the islands.\n\n"
    f'"We will discuss Shikotan {CLEAR}{TITLE}today," Vladimir Putin said on 3 March 2001.\n'
)
# Anything a terminal acts on: C0 controls but newline and tab, DEL, C1 controls, bidi controls.
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("escapes")
    folder = root / "articles"
    folder.mkdir()
    shutil.copy(SEEDS / "004_ca3b18b3347b43dc.txt", folder)
    (folder / "escapes.txt").write_text(HOSTILE, encoding="utf-8")
    (folder / f"named{CLEAR}.txt").write_text("", encoding="utf-8")  # skipped: its name is shown
    (folder / "articles.toml").write_text(
        f'["escapes.txt"]\noutlet = "Outlet {TITLE}"\npublished_note = "{CLEAR}"\n', encoding="utf-8"
    )
    return folder, root / "facts.db"


def _run(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", "300")
    cli.main(args)
    out, err = capsys.readouterr()
    return out + err


def test_every_command_line_view_shows_escapes_visibly_never_raw(
    hostile_store: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, db = hostile_store
    store = ["--articles", str(folder), "--db", str(db)]
    printed = {
        "build": _run(["build", "--force", *store], capsys, monkeypatch),
        "timeline": _run(["timeline", "--from", "2001", "--to", "2001", *store], capsys, monkeypatch),
        "quote": _run(["quote", "discuss", "--speaker", "Putin", *store], capsys, monkeypatch),
        "island": _run(["island", "Shikotan", *store], capsys, monkeypatch),
        "source": _run(["source", "escapes", *store], capsys, monkeypatch),
        "about": _run(["about", *store], capsys, monkeypatch),
        "ask": _run(["ask", "/source escapes", *store], capsys, monkeypatch),
        "refusal": _run(["ask", f"/timeline from:{CLEAR}", *store], capsys, monkeypatch),
    }
    for view, text in printed.items():
        assert RAW.findall(text) == [], (view, text)
    # JSON escapes C0 controls itself; the C1 and bidi controls it leaves raw are escaped too, and the
    # data is unchanged.
    out = _run(["source", "escapes", "--json", *store], capsys, monkeypatch)
    assert RAW.findall(out) == [], out
    assert CSI8 in json.loads(out)["results"][0]["paragraphs"][0]
    # Shown, not dropped: the operator can see that something odd is in the article.
    assert "\\x1b]0;pwned window title" in printed["source"]
    assert "\\x1b[2J" in printed["build"]  # the skipped file's name
    assert "talks" in printed["timeline"] and "\\u202e" in printed["timeline"]


@pytest.mark.asyncio
async def test_the_console_shows_escapes_visibly(hostile_store: tuple[Path, Path]) -> None:
    folder, db = hostile_store
    if not db.exists():  # built by the test before when the tests run in file order
        # `factbot build` runs its own event loop: from this test's loop it runs in a thread.
        assert await asyncio.to_thread(cli.main, ["build", "--articles", str(folder), "--db", str(db)]) == 0
    facts = await Facts.open(db)
    try:
        out = Console(file=io.StringIO(), width=300)
        for line in ("/source escapes", "/island Shikotan", f"/island {TITLE}", "/about"):
            await answer_line(facts, line, out)
    finally:
        await facts.close()
    assert RAW.findall(out.file.getvalue()) == []  # type: ignore[attr-defined]
