"""Corrupted fact stores: never trusted, never hung on, never a traceback.

Each store is a copy of the seed store damaged one way (bits flipped, a page overwritten or zeroed, the
file cut short, a letter of an article or a citation changed so that the file is still a valid SQLite
database, the header damaged), chosen with a fixed seed. Five queries run on each:

* with `--db` naming the damaged store, the answer is the clean store's answer or a one-line error with
  exit code 1;
* as the default store (found through the settings, articles known; one of the five queries, in turn),
  the store is rebuilt from the articles and the answer is the clean store's answer.

No query may leave the process unable to exit (in CI the queries run in this process and a database thread
left running is that hang; under `-m stress` each runs as its own process with a time limit), print a
traceback, or show text that is not the clean store's: every excerpt must be `text[start:end]` of its
article file.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot import cli
from fakediscord import FakeDiscord
from tests.discord.harness import answer, embed_text, make_settings, running_bot
from tests.helpers import ROOT, SEEDS

CI_STORES, STRESS_STORES = 12, 70
QUERIES = [
    ["timeline", "--limit", "100"],
    ["quote", "--speaker", "Abe"],
    ["island", "Shikotan"],
    ["source", "004_ca3b18b3347b43dc"],
    ["about"],
]
PROCESS_SECONDS = 120  # a query that has not ended by then is counted as hung
PAGE = 4096


# ---- damage ------------------------------------------------------------------------------------------------


def _flip_bits(data: bytearray, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 20)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return "bits flipped"


def _random_page(data: bytearray, rng: random.Random) -> str:
    start = rng.randrange(len(data) // PAGE) * PAGE
    data[start : start + PAGE] = rng.randbytes(PAGE)
    return "a page overwritten"


def _zero_page(data: bytearray, rng: random.Random) -> str:
    start = rng.randrange(1, len(data) // PAGE) * PAGE
    data[start : start + PAGE] = bytes(PAGE)
    return "a page zeroed"


def _truncate(data: bytearray, rng: random.Random) -> str:
    del data[rng.randrange(len(data)) :]
    return "cut short"


def _change_text(data: bytearray, rng: random.Random) -> str:
    """A letter of a stored sentence changed: the file stays a valid database, its text is a lie."""
    for word in rng.sample([b"Shikotan", b"declaration", b"Abe", b"treaty", b"Kunashir", b"Putin"], 6):
        places = [i for i in range(len(data)) if data.startswith(word, i)]
        if places:
            at = rng.choice(places) + rng.randrange(len(word))
            data[at] = ord("x") if data[at] != ord("x") else ord("y")
            return f"a letter of {word.decode()!r} changed"
    return _flip_bits(data, rng)


def _damage_header(data: bytearray, rng: random.Random) -> str:
    data[rng.randrange(16, 100)] ^= 0xFF
    return "header damaged"


DAMAGE: list[Callable[[bytearray, random.Random], str]] = [
    _flip_bits,
    _random_page,
    _zero_page,
    _truncate,
    _change_text,
    _change_text,
    _damage_header,
]


def damaged_copies(clean: bytes, count: int, seed: int) -> Iterator[tuple[bytes, str]]:
    rng = random.Random(seed)
    for n in range(count):
        data = bytearray(clean)
        how = DAMAGE[n % len(DAMAGE)](data, rng)
        yield bytes(data), how


# ---- running a query ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    code: int | None  # None: it never ended
    out: str
    err: str


@dataclass
class Tally:
    stores: int = 0
    queries: int = 0
    hangs: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)
    refused: int = 0
    rebuilt: int = 0

    def line(self) -> str:
        return (
            f"{self.stores} stores x {len(QUERIES)} queries with --db, and one per store as the default store "
            f"({self.queries} runs): {len(self.hangs)} hangs, "
            f"{len(self.altered)} altered answers, {len(self.tracebacks)} tracebacks; "
            f"{self.refused} refused in one line, {self.rebuilt} answered after a rebuild"
        )


def _settings_env(db: Path) -> dict[str, str]:
    return {"FACTBOT_DB_PATH": str(db), "FACTBOT_ARTICLES": str(SEEDS), "FACTBOT_LOG_LEVEL": "ERROR"}


def in_process(args: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Outcome:
    """`factbot ARGS` in this process; a database thread left running counts as a hang (the process would
    never exit), an exception out of main as a traceback."""
    before = set(threading.enumerate())
    out, err = io.StringIO(), io.StringIO()
    with monkeypatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        try:
            code: int | None = cli.main(args)
        except SystemExit as exc:
            code = int(exc.code or 0)
        except BaseException as exc:  # what the user would see as a traceback
            err.write(f"Traceback (most recent call last):\n{type(exc).__name__}: {exc}\n")
            code = 1
    left = [t for t in threading.enumerate() if t not in before and not t.daemon]
    for thread in left:
        thread.join(5)
    if any(t.is_alive() for t in left):
        code = None
    return Outcome(code, out.getvalue(), err.getvalue())


def as_process(args: list[str], env: dict[str, str], cwd: Path) -> Outcome:
    """`factbot ARGS` as its own process, given PROCESS_SECONDS to end."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "FACTBOT_"))}
    environ |= env | {"PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=PROCESS_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)
        out, err = proc.communicate()
        return Outcome(None, out, err)
    return Outcome(proc.returncode, out, err)


def normalised(answer: dict[str, Any]) -> dict[str, Any]:
    for result in answer.get("results", []):
        if isinstance(result, dict):
            result.pop("built_at", None)
    return answer


def excerpts(value: object) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if {"article", "excerpt", "start", "end"} <= set(value):
            yield value
        for v in value.values():
            yield from excerpts(v)
    elif isinstance(value, list):
        for v in value:
            yield from excerpts(v)


def judge(case: str, outcome: Outcome, expected: dict[str, Any], tally: Tally, *, may_refuse: bool) -> None:
    tally.queries += 1
    if outcome.code is None:
        tally.hangs.append(case)
        return
    # An unexpected error is one line too (factbot never shows a traceback), but still a bug: counted here.
    if "Traceback" in outcome.err or "Traceback" in outcome.out or "internal error" in outcome.err:
        tally.tracebacks.append(f"{case}: {outcome.err.strip().splitlines()[-1:]}")
        return
    if outcome.code != 0:
        lines = outcome.err.strip().splitlines()
        if may_refuse and outcome.code == 1 and len(lines) == 1 and lines[0].startswith("factbot: error: "):
            tally.refused += 1
        else:
            tally.altered.append(f"{case}: exit {outcome.code}, {outcome.err.strip()[:200]!r}")
        return
    try:
        answer = normalised(json.loads(outcome.out))
    except ValueError:
        tally.altered.append(f"{case}: not JSON: {outcome.out[:200]!r}")
        return
    bad = [
        e
        for e in excerpts(answer)
        if (SEEDS / f"{e['article']}.txt").read_text(encoding="utf-8")[e["start"] : e["end"]] != e["excerpt"]
    ]
    if answer != expected or bad:
        tally.altered.append(f"{case}: answer differs from the clean store's ({len(bad)} bad excerpts)")
    elif not may_refuse:
        tally.rebuilt += 1


# ---- the test ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clean_answers(seed_db: Path) -> dict[str, dict[str, Any]]:
    answers = {}
    for query in QUERIES:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert cli.main([*query, "--db", str(seed_db), "--json"]) == 0
        answers[" ".join(query)] = normalised(json.loads(out.getvalue()))
    return answers


@pytest.mark.parametrize(
    ("stores", "mode"),
    [
        pytest.param(CI_STORES, "in process", id="ci"),
        pytest.param(STRESS_STORES, "process", id="stress", marks=pytest.mark.stress),
    ],
)
def test_damaged_stores_are_refused_or_rebuilt_never_served_hung_on_or_crashed(
    tmp_path: Path,
    seed_db: Path,
    clean_answers: dict[str, dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    stores: int,
    mode: str,
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the project's
    monkeypatch.setenv("COLUMNS", "200")
    tally = Tally()
    for n, (data, how) in enumerate(damaged_copies(seed_db.read_bytes(), stores, seed=20261122)):
        tally.stores += 1
        for q, query in enumerate(QUERIES):
            expected = clean_answers[" ".join(query)]
            # Named with --db: refused in one line (or, if the damage changed nothing, answered rightly).
            named = tmp_path / f"named-{n}.db"
            named.write_bytes(data)
            args = [*query, "--db", str(named), "--json"]
            outcome = (
                in_process(args, {}, monkeypatch) if mode == "in process" else as_process(args, {}, tmp_path)
            )
            judge(f"store {n} ({how}), --db, {query}", outcome, expected, tally, may_refuse=True)
            # The default store, with its articles: rebuilt, then answered. One query per store.
            if q != n % len(QUERIES):
                continue
            default = tmp_path / f"default-{n}" / "facts.db"
            default.parent.mkdir(exist_ok=True)
            default.write_bytes(data)
            args = [*query, "--json"]
            env = _settings_env(default)
            outcome = (
                in_process(args, env, monkeypatch)
                if mode == "in process"
                else as_process(args, env, tmp_path)
            )
            judge(f"store {n} ({how}), default store, {query}", outcome, expected, tally, may_refuse=False)
        for leftover in tmp_path.glob(f"*-{n}*"):
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    print(f"\ndamaged stores ({mode}): {tally.line()}")
    assert tally.hangs == [], tally.line()
    assert tally.tracebacks == [], tally.line()
    assert tally.altered == [], tally.line()
    assert tally.rebuilt >= tally.stores  # each default store was rebuilt and answered


@pytest.mark.asyncio
async def test_the_bot_rebuilds_a_damaged_store_before_it_answers(
    fake: FakeDiscord, tmp_path: Path, seed_db: Path
) -> None:
    # Still a valid database afterwards, with every "Shikotan" in its texts misspelt: only the seal can tell.
    db = tmp_path / "facts.db"
    db.write_bytes(seed_db.read_bytes().replace(b"Shikotan", b"Atlantis"))
    settings = make_settings(tmp_path, fake, db_path=db, articles=[SEEDS])
    async with running_bot(fake, settings):
        body = await answer(fake, fake.command_interaction("source", {"article": "002_380fd8410995192f"}))
        shown = embed_text(body).replace("\\", "")
        assert "Atlantis" not in shown and "Shikotan" in shown
    assert b"Atlantis" not in db.read_bytes()
