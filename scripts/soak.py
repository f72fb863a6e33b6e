"""Soak the test suite: the README's test command run again and again, half the runs beside a CPU hog.

    python3 scripts/soak.py                 # 10 runs in a fresh clone of HEAD, results to docs/soak.md
    python3 scripts/soak.py --runs 4 --in-place --out /tmp/soak.md

This is how the suite is shown not to flake: CI fails a change for any red run, and the machines are shared,
so a test may run with another process taking a whole core. Every second run (2, 4, ...) has a CPU-bound
process pinned to core 0 beside it. Each run is the exact command CI runs (the README's indented line that
runs pytest, as `.ci/run` reads it), in a fresh clone of the committed HEAD with shared/ beside it, as CI
has them, unless `--in-place`: nothing uncommitted and no cache of an earlier run helps it. The first run
creates the clone's virtualenv; the later ones find it there (the command reinstalls into it, quickly).

The results, one line per run (passed and failed counts, wall time, pytest's own time, the random-order
seed, load on or off, the failed tests), are written as a Markdown table; every run's whole output is kept
beside the clone (its path is printed). Exits 1 if any run failed. Not collected by pytest, not run by CI.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README_COMMAND = re.compile(r"^    (python3 -m venv .*pytest.*)$", re.MULTILINE)
COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|deselected|xfailed|xpassed)")
SEED = re.compile(r"--randomly-seed=(\d+)")
PYTEST_SECONDS = re.compile(r" in ([\d.]+)s")
FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


@dataclass
class Run:
    """One run of the test command."""

    number: int
    load: bool
    exit_code: int
    seconds: float
    output: str
    counts: dict[str, int] = field(default_factory=dict)
    pytest_seconds: float | None = None
    seed: str = "?"
    failed: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, number: int, load: bool, exit_code: int, seconds: float, output: str) -> Run:
        run = cls(number, load, exit_code, seconds, output)
        closing = [line for line in output.splitlines() if COUNT.search(line) and " in " in line]
        if closing:
            for n, kind in COUNT.findall(closing[-1]):
                run.counts["error" if kind == "errors" else kind] = int(n)
            if m := PYTEST_SECONDS.search(closing[-1]):
                run.pytest_seconds = float(m.group(1))
        if seeds := SEED.findall(output):
            run.seed = seeds[-1]
        run.failed = FAILED.findall(output)
        return run

    @property
    def green(self) -> bool:
        return self.exit_code == 0 and self.counts.get("passed", 0) > 0 and not self.failed

    def row(self) -> str:
        pytest_time = f"{self.pytest_seconds:.0f} s" if self.pytest_seconds is not None else "?"
        failed = ", ".join(f"`{t}`" for t in self.failed) or "–"
        return (
            f"| {self.number} | {'on' if self.load else 'off'} | {self.counts.get('passed', 0)} | "
            f"{self.counts.get('failed', 0) + self.counts.get('error', 0)} | {self.seconds:.0f} s | {pytest_time} | "
            f"{self.seed} | {'green' if self.green else f'**red** (exit {self.exit_code})'} | {failed} |"
        )


def readme_command(root: Path) -> str:
    """The README's test command, found the way `.ci/run` finds it."""
    m = README_COMMAND.search((root / "README.md").read_text(encoding="utf-8"))
    if m is None:
        raise SystemExit("soak: the README has no test command")
    return m.group(1)


@contextlib.contextmanager
def cpu_hog(on: bool) -> Iterator[None]:
    """A CPU-bound Python process pinned to core 0 for the duration, when `on`."""
    if not on:
        yield
        return
    hog = subprocess.Popen(
        [sys.executable, "-c", "while True: pass"], preexec_fn=lambda: os.sched_setaffinity(0, {0})
    )
    try:
        yield
    finally:
        hog.kill()
        hog.wait()


def git(*args: str, cwd: Path) -> str:
    """Run git; its output, stripped."""
    exe = shutil.which("git") or "git"
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603


def fresh_clone(work: Path) -> Path:
    """A clone of the committed HEAD, as CI gets it, with the shared/ folder beside it as CI has it."""
    clone = work / "clone"
    git("clone", "--quiet", "--no-checkout", str(ROOT), str(clone), cwd=work)
    git("checkout", "--quiet", "--detach", git("rev-parse", "HEAD", cwd=ROOT), cwd=clone)
    shared = ROOT.parent / "shared"  # the pinned Discord spec the fake validates against lives there
    if shared.is_dir():
        (work / "shared").symlink_to(shared.resolve(), target_is_directory=True)
    return clone


def run_once(number: int, load: bool, command: str, cwd: Path, logs: Path) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "FACTBOT_", "PYTEST_"))}
    env["CI"] = "true"
    with cpu_hog(load):
        started = time.monotonic()
        proc = subprocess.run(  # noqa: S603
            ["bash", "-c", command],  # noqa: S607
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        seconds = time.monotonic() - started
    (logs / f"run-{number:02d}-{'load' if load else 'idle'}.log").write_text(proc.stdout, encoding="utf-8")
    return Run.parse(number, load, proc.returncode, seconds, proc.stdout)


def report(runs: list[Run], command: str, head: str, where: str, started_at: str) -> str:
    green = sum(r.green for r in runs)
    lines = [
        "# Soak: the test suite run again and again, half the time beside a CPU hog",
        "",
        "Written by `python3 scripts/soak.py` (see its docstring). Each run is CI's command, the README's:",
        "",
        f"    {command}",
        "",
        f"- commit: `{head}`, {where}",
        f"- machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}; "
        "shared with other work while the runs went on",
        "- load **on**: a `python -c 'while True: pass'` process pinned to core 0 for the whole run",
        f"- started {started_at}",
        f"- result: **{green} of {len(runs)} runs green**" + (" in a row" if green == len(runs) else ""),
        "",
        "| run | load | passed | failed | wall time | pytest's time | random seed | result | failed tests |",
        "|---|---|---|---|---|---|---|---|---|",
        *(r.row() for r in runs),
        "",
        "Wall time includes creating the virtualenv and installing into it (the first run of a fresh clone "
        "installs everything). Replay a run's order with `.venv/bin/pytest -q --randomly-seed=SEED`.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs", type=int, default=10, help="how many runs (default 10; every second one loaded)"
    )
    parser.add_argument("--in-place", action="store_true", help="run in this work tree, not a fresh clone")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "soak.md", help="the Markdown report")
    parser.add_argument(
        "--keep", action="store_true", help="keep the clone and the logs (kept anyway on a red run)"
    )
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="factbot-soak-"))
    logs = work / "logs"
    logs.mkdir()
    cwd = ROOT if args.in_place else fresh_clone(work)
    head = git("rev-parse", "--short", "HEAD", cwd=cwd)
    command = readme_command(cwd)
    started_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"soak: {args.runs} runs of `{command}` in {cwd}; logs in {logs}", flush=True)

    runs: list[Run] = []
    for number in range(1, args.runs + 1):
        load = number % 2 == 0
        run = run_once(number, load, command, cwd, logs)
        runs.append(run)
        print(run.row(), flush=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(
            report(runs, command, head, "in place" if args.in_place else "a fresh clone", started_at),
            encoding="utf-8",
        )

    all_green = all(r.green for r in runs)
    if all_green and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"soak: {sum(r.green for r in runs)} of {len(runs)} green; report in {args.out}", flush=True)
    return 0 if all_green else 1


if __name__ == "__main__":
    sys.exit(main())
