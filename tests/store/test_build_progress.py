"""A build names each of its phases, and without a terminal it says how far it got in log lines."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from rich.console import Console

from bot import cli
from bot.build import build_store
from bot.build.progress import LoggedProgress, Step
from bot.cli import main
from tests.helpers import SEEDS


@pytest.mark.asyncio
async def test_every_phase_is_reported_in_order_and_the_extraction_counts_articles(tmp_path: Path) -> None:
    steps: list[Step] = []
    await build_store([SEEDS], tmp_path / "facts.db", progress=steps.append)
    phases = [s.phase for s in steps]
    assert phases[0] == "extract" and steps[0].done == 0 and steps[0].total == 5
    assert steps[phases.index("write") - 1] == Step("extract", "articles", 5, 5)
    # Each kind is grouped, then written; the store is sealed last, and only once everything is written.
    after = [(s.phase, s.what) for s in steps if s.phase != "extract"]
    assert after == [
        ("write", "articles"),
        ("corroborate", "island facts"),
        ("write", "island facts"),
        ("corroborate", "quotes"),
        ("write", "quotes"),
        ("corroborate", "events"),
        ("write", "events"),
        ("seal", "store"),
        ("seal", "store"),
    ]
    assert steps[-1].finished and not steps[-2].finished


@pytest.mark.asyncio
async def test_a_build_without_a_progress_bar_logs_its_phases(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.build.progress"):
        await build_store([SEEDS], tmp_path / "facts.db")
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.build.progress"]
    assert lines[0] == "build: extract: 0 of 5 articles (0 %) — reading and extracting the articles"
    assert "build: extract: 5 of 5 articles (100 %)" in lines
    assert "build: corroborate quotes — grouping the facts several articles state" in lines
    assert lines[-1].startswith("build: seal store — ")


def test_a_long_step_is_logged_every_so_often_not_at_every_count(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    logged = LoggedProgress(every=10.0, clock=lambda: now[0])
    with caplog.at_level(logging.INFO, logger="bot.build.progress"):
        for done in range(0, 10_001, 100):
            now[0] = done / 100  # one second per 100 articles
            logged(Step("extract", "articles", done, 10_000))
        logged(Step("corroborate", "quotes", 0, 1))
        logged(Step("corroborate", "quotes", 1, 1))
    lines = [r.getMessage() for r in caplog.records]
    counts = [line.split(": ")[2].split(" of")[0] for line in lines if line.startswith("build: extract")]
    # The start, then one line every ten seconds, then the end; a step counted once is logged as it starts.
    assert counts == ["0", *(f"{n:,}" for n in range(1_000, 10_001, 1_000))]
    assert lines[-1] == "build: corroborate quotes — grouping the facts several articles state"


def test_factbot_build_without_a_terminal_logs_progress_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["--log-level", "INFO", "build", "--articles", str(SEEDS), "--db", str(tmp_path / "f.db")]) == 0
    )
    err = capsys.readouterr().err.splitlines()
    progress = [line for line in err if " INFO bot.build.progress: build: " in line]
    assert any("extract: 5 of 5 articles" in line for line in progress), err
    assert any("seal store" in line for line in progress), err
    assert err[-1].endswith("5 articles, " + err[-1].split("5 articles, ", 1)[1])  # the summary comes last


@pytest.mark.asyncio
async def test_the_terminal_bar_names_the_phase_it_is_in(tmp_path: Path) -> None:
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=100)
    report = await cli._build([SEEDS], tmp_path / "facts.db", False, terminal)
    assert report.rebuilt
    # The bar's last frame, drawn as it stops: the seal, not extraction frozen at 100 %.
    assert "seal store done" in screen.getvalue()
