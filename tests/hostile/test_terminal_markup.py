"""Hostile text printed on the terminal: rich reads "[...]" as markup, so unescaped user or article text
can end a command with a MarkupError traceback.

Every such text is printed as plain text, never parsed as markup.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from bot import cli
from bot.answers import AboutAnswer
from bot.console import answer_line
from bot.models import ArticleMeta
from bot.render.console import about_view
from bot.store.reader import StoreCounts
from tests.helpers import SEEDS
from tests.hostile.conftest import LoopFacts

MARKUP = "[/red]"


def test_console_refusal_quoting_markup_is_printed_not_parsed(loop_facts: LoopFacts) -> None:
    out = Console(file=io.StringIO(), width=200)
    loop_facts.run(answer_line(loop_facts.facts, f"/timeline from:{MARKUP}", out))
    assert MARKUP in out.file.getvalue()  # type: ignore[attr-defined]


def test_console_about_with_markup_in_an_outlet_is_printed_not_parsed() -> None:
    meta = ArticleMeta("a", "Title", f"Outlet {MARKUP}", None, None, None, "0")
    out = Console(file=io.StringIO(), width=200)
    out.print(about_view(AboutAnswer(StoreCounts(1, 0, 0, 0, 0), [meta], [], 0, None)))
    assert MARKUP in out.file.getvalue()  # type: ignore[attr-defined]


def test_build_report_quoting_a_manifest_value_with_markup_is_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "001.txt").write_text(
        (SEEDS / "001_49243b7414c43ba9.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "articles.toml").write_text(f'["001.txt"]\npublished = "{MARKUP}"\n', encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "1000")
    code = cli.main(["build", "--force", "--articles", str(folder), "--db", str(tmp_path / "facts.db")])
    assert code == 0
    assert f"manifest date '{MARKUP}' is not YYYY-MM-DD" in capsys.readouterr().err
