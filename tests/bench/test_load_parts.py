"""The load section's parts that need no bot: the profile's stages, the baseline's files, the report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.load import _baseline_source, profile_breakdown, stage_of
from bench.report import _load_section

MAIN = "<module> (<string>:1);child_main (bench/run.py:155);child_serve (bench/load.py:35)"


def test_sampled_stacks_are_sorted_into_stages_and_milliseconds(tmp_path: Path) -> None:
    raw = tmp_path / "profile.txt"
    raw.write_text(
        "\n".join(
            [
                f"{MAIN};Quote.quote (commands/quote.py:33);quotes (bot/answers/quotes.py:40) 30",
                f"{MAIN};send_page (bot/discord/replies.py:150);AsyncWebhookAdapter.request "
                "(discord/webhook/async_.py:180) 50",
                f"{MAIN};Quote.quote (commands/quote.py:33);quote_pages (bot/discord/embeds.py:340) 20",
                "Thread._bootstrap (threading.py:1002);timeline_png (bot/render/chart.py:60) 7",
                "not a sample line",
            ]
        ),
        encoding="utf-8",
    )
    breakdown = profile_breakdown(raw, cpu_ms_per_interaction=10.7)
    stages = {s["stage"]: s for s in breakdown["stages"]}
    assert breakdown["main_thread_samples"] == 100
    assert stages["HTTP out (discord.py REST, aiohttp client)"]["share"] == 50.0
    # 30 of the process's 107 samples (the chart thread's 7 included) of 10.7 ms of CPU: 3 ms.
    assert stages["answer (search, answers)"]["ms_per_interaction"] == 3.0
    assert stages["render (embeds, pages)"]["ms_per_interaction"] == 2.0
    assert breakdown["main_thread_ms_per_interaction"] == 10.0
    assert breakdown["other_thread_samples"] == {"chart (matplotlib)": 7}


def _line_of(module_file: str, text: str) -> int:
    """The number of the first line of an installed module that contains `text`."""
    lines = Path(module_file).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_workers_waiting_for_work_are_left_out_and_torn_stacks_are_the_main_threads(tmp_path: Path) -> None:
    import concurrent.futures.thread

    import aiosqlite.core

    worker = "Thread._bootstrap (threading.py:1002);Thread.run (threading.py:982)"
    waiting = _line_of(aiosqlite.core.__file__, "tx.get()")
    working = _line_of(aiosqlite.core.__file__, "result = function()")
    pool = _line_of(concurrent.futures.thread.__file__, "work_queue.get(block=True)")
    raw = tmp_path / "profile.txt"
    raw.write_text(
        "\n".join(
            [
                f"{MAIN};Quote.quote (commands/quote.py:33);quotes (bot/answers/quotes.py:40) 40",
                # Sampled without stopping the bot, a stack may begin at a coroutine the loop resumed.
                "AsyncWebhookAdapter.request (discord/webhook/async_.py:180) 20",
                f"{worker};_connection_worker_thread (aiosqlite/core.py:{waiting}) 30",
                f"{worker};_worker (concurrent/futures/thread.py:{pool}) 5",
                f"{worker};_connection_worker_thread (aiosqlite/core.py:{working}) 10",
                "_AxesBase.get_xaxis_transform (matplotlib/axes/_base.py:900) 2",
            ]
        ),
        encoding="utf-8",
    )
    breakdown = profile_breakdown(raw, cpu_ms_per_interaction=7.2)
    assert breakdown["idle_worker_samples"] == 35
    assert breakdown["main_thread_samples"] == 60
    assert breakdown["other_thread_samples"] == {"state database (page queries)": 10, "chart (matplotlib)": 2}
    # 60 of the 72 samples that used the CPU, of 7.2 ms: 6 ms on the main thread.
    assert breakdown["main_thread_ms_per_interaction"] == 6.0


def test_a_stack_belongs_to_the_first_stage_that_names_one_of_its_frames() -> None:
    # An answer that waits on the store is the answer's time, not the event loop's.
    assert (
        stage_of("asyncio/events.py;bot/answers/quotes.py;asyncio/base_events.py")
        == "answer (search, answers)"
    )
    assert stage_of("asyncio/base_events.py;selectors.py") == "event loop (scheduling, selector)"
    # The child's entry point is in bench/load.py too: only the lag probe's frame makes a sample the probe's.
    assert (
        stage_of(f"{MAIN};child_serve (bench/load.py:35);uvloop/loop.pyx")
        == "event loop (scheduling, selector)"
    )
    assert stage_of(f"{MAIN};_serve.<locals>.monitor (bench/load.py:103)") == "the benchmark's lag probe"
    assert stage_of("somewhere/else.py") == "other"


@pytest.mark.skipif(shutil.which("git") is None, reason="the baseline's files come from git")
def test_the_baseline_is_the_bot_as_it_was_at_a_revision(tmp_path: Path) -> None:
    try:
        tree = _baseline_source("HEAD", tmp_path)
    except RuntimeError as exc:  # not a git checkout (an unpacked sdist)
        pytest.skip(str(exc))
    assert (tree / "bot" / "discord" / "client.py").is_file()
    assert (tree / "bench" / "run.py").is_file()
    with pytest.raises(RuntimeError, match="no-such-revision"):
        _baseline_source("no-such-revision", tmp_path)


def _burst(code: str, busy: bool, within: int) -> dict:
    figures = {"n": 10, "p50": 100.0, "p95": 200.0, "p99": 300.0, "max": 400.0}
    return {
        "store": "bundled",
        "code": code,
        "interactions": 10,
        "busy": busy,
        "load_average": 1.5,
        "mix": {"quote": 10},
        "answered": 10,
        "answered_within_3s": within,
        "deferred": 0,
        "follow_ups_within_10s": 0,
        "first_response_ms": figures,
        "follow_up_ms": {"n": 0},
        "complete_answer_ms": figures,
        "loop_lag_ms": figures,
        "cpu_ms_per_interaction": {"bot": 3.0, "fake": 1.0},
        "rss_mb": {"idle": 100.0, "peak_under_load": 120.0},
    }


def test_the_report_puts_before_and_after_side_by_side() -> None:
    bursts = [
        _burst("baseline abc", False, 6),
        _burst("this revision", False, 10),
        _burst("this revision", True, 9),
    ]
    load = {"burst": bursts[1], "bursts": bursts, "profiles": [], "startup": []}
    md = "\n".join(_load_section(load))
    assert "### Before and after (baseline abc → this revision" in md
    assert "| bundled | 10 | quiet | 6 → 10 |" in md
    assert "busy (load 1.5)" in md
    alone = "\n".join(_load_section({**load, "bursts": bursts[1:]}))
    assert "Before and after" not in alone
