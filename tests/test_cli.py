from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.helpers import SEEDS
from tests.waits import DEADLINE

SOURCE_KEYS = {"article", "title", "outlet", "url", "published", "excerpt", "start", "end"}


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def _check_sources(sources: list[dict]) -> None:
    assert sources
    for s in sources:
        assert set(s) == SOURCE_KEYS
        text = (SEEDS / f"{s['article']}.txt").read_text(encoding="utf-8")
        assert text[s["start"] : s["end"]] == s["excerpt"]


def test_timeline_json_contract(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, "timeline", "--db", str(seed_db), "--from", "1956", "--to", "1960", "--json")
    assert out["query"]["from"] == 1956 and out["query"]["to"] == 1960
    assert [r["date"] for r in out["results"]][:3] == ["1956", "1956-10-19", "1956-12-08"]
    for r in out["results"]:
        _check_sources(r["sources"])


def test_timeline_large_limit(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, "timeline", "--db", str(seed_db), "--limit", "1000", "--json")
    assert len(out["results"]) == out["total"] >= 18


def test_quote_json_contract(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, "quote", "pre-conditions", "--speaker", "Putin", "--db", str(seed_db), "--json")
    assert [(r["speaker"], r["text"], r["partial"]) for r in out["results"]] == [
        ("Vladimir Putin", "without any pre-conditions.", True)
    ]
    assert out["results"][0]["speaker_kind"] == "person"
    assert out["results"][0]["speaker_description"] == "Russian President"  # as the article introduced him
    _check_sources(out["results"][0]["sources"])


def test_quote_json_gives_every_kind_of_speaker(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "drills.txt").write_text(
        "Drills near Kunashir\n\n"
        "Published 2023-03-15\n\n"
        '"The exercises are unacceptable," the Japanese Defense Ministry said in a statement.\n\n'
        '"We have lodged a protest," a senior Japanese government official told reporters.\n\n'
        "Sergei Ivanov, a 63-year-old fisherman in Yuzhno-Kurilsk, watched the ships. "
        '"Nobody asked us," said Ivanov.\n',
        encoding="utf-8",
    )
    db = tmp_path / "facts.db"
    assert main(["build", "--articles", str(articles), "--db", str(db)]) == 0
    capsys.readouterr()
    out = _json(capsys, "quote", "--db", str(db), "--json")
    got = {(r["speaker"], r["speaker_kind"], r["speaker_description"]) for r in out["results"]}
    assert got == {
        ("Japanese Defense Ministry", "organisation", None),
        ("senior Japanese government official", "role", None),
        ("Sergei Ivanov", "person", "a 63-year-old fisherman in Yuzhno-Kurilsk"),
    }


def test_island_json_contract(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, "island", "Etorofu", "--db", str(seed_db), "--json")
    (result,) = out["results"]
    assert result["island"] == "Iturup" and "択捉島" in result["aliases"]
    assert result["facts"]
    for f in result["facts"]:
        assert set(f) == {"text", "date", "sources"}
        _check_sources(f["sources"])


def test_unknown_island_is_empty_with_suggestions(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, "island", "Atlantis", "--db", str(seed_db), "--json")
    assert out["results"] == [] and isinstance(out["suggestions"], list)


def test_no_results_is_exit_zero_and_empty_list(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, "timeline", "--db", str(seed_db), "--from", "1700", "--to", "1701", "--json")
    assert out["results"] == []


@pytest.mark.parametrize(
    "argv",
    [
        ["timeline", "--from", "abc"],
        ["timeline", "--from", "1990", "--to", "1960"],
        ["timeline", "--limit", "zero"],
        ["quote", "--limit", "-3"],
        ["nonsense"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    seed_db: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main([*argv, "--db", str(seed_db)] if argv[0] != "nonsense" else argv)
    except SystemExit as exc:  # argparse errors exit from inside the parser
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_to_before_from_exits_2_from_a_real_process(seed_db: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "timeline", "--from", "1990", "--to", "1960", "--db", str(seed_db)],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_build_reports_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--articles", str(SEEDS), "--db", str(tmp_path / "f.db")]) == 0
    err = capsys.readouterr().err
    assert "5 articles" in err and "quotes" in err


def test_build_with_nothing_usable_exits_nonzero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_bytes(b"")
    assert main(["build", "--articles", str(tmp_path / "a"), "--db", str(tmp_path / "f.db")]) == 1
    assert "empty file" in capsys.readouterr().err


def test_ask_runs_one_slash_command(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, "ask", "/quote peace treaty speaker:Abe", "--db", str(seed_db), "--json")
    assert out["results"] and all(r["speaker"] == "Shinzo Abe" for r in out["results"])


def _error_case(tmp: Path, case: str) -> tuple[list[str], dict[str, str]]:
    """The arguments and settings of a start that cannot succeed."""
    (tmp / "a-file").write_text("not a folder")
    closed = "http://127.0.0.1:9/api/v10"  # the discard port: nothing listens there
    bot = {"DISCORD_TOKEN": "x", "FACTBOT_ARTICLES": str(SEEDS), "FACTBOT_DB_PATH": str(tmp / "f.db")}
    cases: dict[str, tuple[list[str], dict[str, str]]] = {
        "unknown log level": (["--log-level", "loud", "about", "--db", str(tmp / "f.db")], {}),
        "store under a file": (["build", "--articles", str(SEEDS), "--db", str(tmp / "a-file" / "f.db")], {}),
        "store is a folder": (["build", "--articles", str(SEEDS), "--db", str(tmp)], {}),
        "sync, Discord unreachable": (["sync"], bot | {"DISCORD_API_BASE_URL": closed}),
        "run, Discord unreachable": (["run"], bot | {"DISCORD_API_BASE_URL": closed}),
        "run, API URL not a URL": (["run"], bot | {"DISCORD_API_BASE_URL": "notaurl"}),
        "sync, gateway URL not a URL": (["sync"], bot | {"DISCORD_GATEWAY_URL": "ftp://x"}),
        "run, state under a file": (
            ["run"],
            bot | {"DISCORD_API_BASE_URL": closed, "FACTBOT_STATE_DB_PATH": str(tmp / "a-file" / "s.db")},
        ),
    }
    return cases[case]


@pytest.mark.parametrize(
    "case",
    [
        "unknown log level",
        "store under a file",
        "store is a folder",
        "sync, Discord unreachable",
        "run, Discord unreachable",
        "run, API URL not a URL",
        "sync, gateway URL not a URL",
        "run, state under a file",
    ],
)
def test_start_up_failures_are_one_line_with_an_exit_code(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv, env = _error_case(tmp_path, case)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "60")  # a narrow terminal must not wrap the message onto two lines
    for name in ("DISCORD_TOKEN", "DISCORD_API_BASE_URL", "DISCORD_GATEWAY_URL", "FACTBOT_STATE_DB_PATH"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("FACTBOT_LOG_LEVEL", "CRITICAL")
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    lines = [line for line in err.strip().splitlines() if line.startswith("factbot")]
    assert code in (1, 2), err
    assert len(lines) == 1 and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err and "internal error" not in err
    if case == "store under a file":
        assert f"{tmp_path / 'a-file'} is a file, not a folder" in err


def test_build_report_lines_stay_whole_on_a_narrow_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "001.txt").write_text((SEEDS / "001_49243b7414c43ba9.txt").read_text(encoding="utf-8"))
    (folder / f"{'an-empty-file-with-a-long-name-' * 3}.txt").write_bytes(b"")
    db = tmp_path / "a-store-path-long-enough-to-wrap" / "facts.db"
    assert main(["build", "--articles", str(folder), "--db", str(db)]) == 0
    # Without a terminal the build's phases are logged too; the report's own lines are the others.
    lines = [line for line in capsys.readouterr().err.splitlines() if " bot.build.progress: " not in line]
    assert len(lines) == 2, lines  # one per skipped file, one summary: never wrapped by the width
    assert lines[0].startswith("skipped an-empty-file") and lines[0].endswith("empty file")
    assert lines[1].startswith(f"{db}: built") and lines[1].endswith(", 1 skipped")


def test_check_json_contract(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    claim = "Both Russia and Japan are not important, respectable states"
    out = _json(capsys, "check", claim, "--speaker", "Abe", "--db", str(seed_db), "--json")
    assert out["query"] == {"text": claim, "speaker": "Abe"} and out["articles"] == 5
    [result] = out["results"]
    assert set(result) == {"verdict", "claimed", "claimed_speaker", "quote", "diff", "sources"}
    assert (result["verdict"], result["claimed"], result["claimed_speaker"]) == (
        "altered",
        claim,
        "Shinzo Abe",
    )
    assert result["quote"]["text"] == "Both Russia and Japan are very important, respectable states"
    assert result["diff"]["changes"] == [{"op": "changed", "claimed": "not", "said": "very"}]
    assert result["diff"]["flips_meaning"] is True
    _check_sources(result["sources"])


def test_check_json_of_words_in_no_source(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, "check", "Nobody ever wrote these seven words down", "--db", str(seed_db), "--json")
    [result] = out["results"]
    assert result["verdict"] == "not in the sources" and result["quote"] is None and result["sources"] == []


def test_ask_checks_every_quotation_a_line_quotes(seed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = '/check Abe said "Both Russia and Japan are very important" and "invented words for this test"'
    out = _json(capsys, "ask", line, "--db", str(seed_db), "--json")
    assert [r["verdict"] for r in out["results"]] == ["trimmed", "not in the sources"]
    assert {r["claimed_speaker"] for r in out["results"]} == {"Shinzo Abe"}


@pytest.mark.parametrize(
    ("argv", "wording"),
    [
        (["run", "--shard-count", "2", "--shard-ids", "2"], "shard 2 is not one of the 2 shards"),
        (["run", "--shard-ids", "0,1"], "shard ids need a shard count"),
        (["run", "--shard-count", "0"], "at least 1"),
        (["run", "--shard-count", "2", "--shard-ids", "1,1"], "different shards"),
        (["run", "--shard-ids", "one"], "expected shard numbers"),
    ],
)
def test_a_wrong_shard_plan_exits_2_with_one_line(
    argv: list[str], wording: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "a-token-never-used")
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse errors exit from inside the parser
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert wording in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_shards_from_the_settings_name_the_guilds_this_process_serves() -> None:
    from bot.config import Settings

    guild_on_0, guild_on_1 = 1100000000004194305, 1100000000000000001  # (id >> 22) % 2
    settings = Settings(_env_file=None, FACTBOT_SHARD_COUNT="2", FACTBOT_SHARD_IDS="1")  # type: ignore[call-arg]
    assert settings.shard_ids == [1]
    assert (settings.owns_guild(guild_on_0), settings.owns_guild(guild_on_1)) == (False, True)
    every = Settings(_env_file=None, FACTBOT_SHARD_COUNT="2")  # type: ignore[call-arg]
    assert every.owns_guild(guild_on_0) and every.owns_guild(guild_on_1)
    unsharded = Settings(_env_file=None)  # type: ignore[call-arg]
    assert not unsharded.sharded and unsharded.owns_guild(guild_on_0)
