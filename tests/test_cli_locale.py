"""`--locale` on the command line and in the offline console: the bot's wording and dates in Japanese or
Russian, article text as written, JSON the same in every language."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse errors exit from inside the parser
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_ask_in_japanese_gives_japanese_headings_and_dates(
    seed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "ask", "--locale", "ja", "/timeline from:1956 to:1956", "--db", str(seed_db))
    assert code == 0
    assert "年表 — 全" in out and "1956年10月19日" in out and "出典" in out
    assert "19 October 1956" not in out and "Timeline" not in out  # the articles say "October 19, 1956"
    assert "Joint Declaration" in out  # the article's words, as written


def test_timeline_in_russian_gives_russian_headings_and_dates(
    seed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        capsys, "timeline", "--from", "1956", "--to", "1956", "--locale", "ru", "--db", str(seed_db)
    )
    assert code == 0
    assert "Хронология —" in out and "19 октября 1956 г." in out and "Источники" in out
    assert "Joint Declaration" in out


def test_json_is_the_same_in_every_locale(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = set()
    for locale in ("en", "ja", "ru"):
        code, out, _ = _run(
            capsys, "ask", "/island Shikotan", "--json", "--locale", locale, "--db", str(seed_db)
        )
        assert code == 0
        outputs.add(json.dumps(json.loads(out), sort_keys=True))
    assert len(outputs) == 1


def test_a_bad_query_is_refused_in_the_locales_language(
    seed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(
        capsys, "timeline", "--from", "1990", "--to", "1960", "--locale", "ru", "--db", str(seed_db)
    )
    assert code == 2
    assert err.strip() == (
        "factbot: error: `to` (1960) раньше, чем `from` (1990); поменяйте их местами, чтобы увидеть 1960–1990."
    )


def test_an_unknown_locale_is_a_one_line_error(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "help", "--locale", "fr", "--db", str(seed_db))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "unknown locale 'fr'" in err and "Traceback" not in err


def test_a_region_is_taken_as_its_language(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "help", "--locale", "ja-JP", "--db", str(seed_db))
    assert code == 0 and "千島列島ファクトボット — ヘルプ" in out


def test_the_console_answers_and_refuses_in_its_locale(
    seed_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("/island Atlantis\n/bogus\n/check text:zzz qqq\n"))
    code, out, _ = _run(capsys, "console", "--locale", "ru", "--db", str(seed_db))
    assert code == 0
    assert "Такого острова нет. В справочнике нет острова “Atlantis”." in out
    assert "Неизвестная команда `/bogus`." in out
    assert "Нет в источниках" in out


def test_japanese_help_is_shown_whole_on_a_narrow_terminal(
    seed_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = _run(capsys, "help", "--locale", "ja", "--db", str(seed_db))
    assert code == 0
    # A description without spaces runs on to the next line rather than ending in an ellipsis.
    table = out.split("出典\n")[0]
    assert "…" not in table
    assert "出典" in "".join(
        line.split("│")[2].strip() for line in table.splitlines() if line.count("│") >= 4
    )


def test_about_in_japanese(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "about", "--locale", "ja", "--db", str(seed_db))
    assert code == 0
    assert out.startswith("千島列島ファクトボット\n") and "記事5件 · " in out
