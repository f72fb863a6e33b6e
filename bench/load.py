"""The load section: the bot in its own process against the local fake Discord, start-up and bursts of
interactions.

Each burst size is fired at the bot on the bundled store and on the biggest generated store, once on a
machine left to the bot and once beside a second CPU-bound process (`busy`). With a baseline revision the
same bursts are fired, interleaved, at the bot as it was at that revision (its files taken from git), so
before and after are measured in one run on the same machine. With `--load-profile`, one more burst per
revision runs under py-spy, and its samples are sorted into where an interaction's time goes.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import json
import linecache
import logging
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import LOAD_DEADLINE_S, ROOT, Options, child_env, mb, percentiles, rss_of

log = logging.getLogger(__name__)

BOT_TOKEN = "bench-token"  # noqa: S105 - what the local fake Discord accepts; no real token exists here
GUILD_ID = 1300000000000000001
CHANNEL_IDS = [1300000000000000011, 1300000000000000012]
APP_ID = 1300000000000000021
CHART_USERS = 5  # /timeline comes from a few users: the per-user chart cooldown then draws a few charts
READY_TIMEOUT_S = 300.0
FOLLOW_UP_DEADLINE_S = 10.0  # the goal for the follow-up of a deferred answer
WAIT_FOR_ANSWERS_S = 60.0
PROFILE_RATE = 200  # py-spy samples per second

# Where an interaction's time goes, from the frames of a py-spy sample of the bot's main thread: the first
# stage (in this order) with a frame in the sample owns it. Asyncio's own work is what is left.
CHART_STAGE = "chart (matplotlib)"  # drawn in a thread of its own
STAGES: list[tuple[str, tuple[str, ...]]] = [
    (CHART_STAGE, ("matplotlib", "bot/render/chart")),
    ("answer (search, answers)", ("bot/answers/", "bot/search/", "rapidfuzz")),
    ("render (embeds, pages)", ("bot/discord/embeds.py", "bot/render/")),
    ("state database (page queries)", ("save_query", "bot/daily/state", "aiosqlite/")),
    (
        "HTTP out (discord.py REST, aiohttp client)",
        ("discord/http.py", "discord/webhook/", "aiohttp/client", "aiohttp/connector", "aiohttp/http_writer"),
    ),
    (
        "gateway: read and JSON parsing",
        ("DiscordWebSocket.received_message", "poll_event", "aiohttp/client_ws", "aiohttp/_websocket"),
    ),
    (
        "discord.py objects (interaction, command tree, options)",
        (
            "discord/interactions.py",
            "discord/app_commands/",
            "discord/state.py",
            "discord/member.py",
            "discord/ui/",
        ),
    ),
    # Every main-thread stack passes through bench/load.py (the child's entry point): only the probe's own
    # frame marks its samples.
    ("the benchmark's lag probe", ("_serve.<locals>.monitor",)),
    ("event loop (scheduling, selector)", ("asyncio/", "uvloop")),
]


def child_serve(payload: dict[str, Any]) -> dict[str, Any]:
    from bot.discord.client import new_event_loop

    # Lag samples go to a file as they come, so they survive a bot too busy to stop when asked.
    # The bot runs on the event loop `factbot run` gives it.
    with (
        Path(payload["lag_file"]).open("a", encoding="utf-8") as lag_out,
        asyncio.Runner(loop_factory=new_event_loop) as runner,
    ):
        return runner.run(_serve(payload, lag_out))


async def _serve(payload: dict[str, Any], lag_out: Any) -> dict[str, Any]:
    """Run the real bot against the fake until SIGINT, measuring how late the event loop wakes up."""
    import signal

    from bot.config import Settings
    from bot.discord import patches
    from bot.discord.client import FactBot

    settings = Settings(_env_file=None, **payload["settings"])  # type: ignore[call-arg]
    patches.apply(settings.discord_api_base_url, settings.discord_gateway_url)  # as `factbot run` does
    bot = FactBot(settings, run_daily=False)
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()

    async def monitor() -> None:
        # A task that asks to sleep 10 ms: anything more is time the loop spent on something else.
        while not stopping.is_set():
            asked = loop.time()
            await asyncio.sleep(0.01)
            lag_out.write(f"{time.monotonic():.6f} {(loop.time() - asked - 0.01) * 1000:.3f}\n")
            lag_out.flush()

    watcher = asyncio.create_task(monitor())
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner = asyncio.create_task(
        bot.start(settings.discord_token.get_secret_value() if settings.discord_token else "")
    )
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({runner, stopped}, return_when=asyncio.FIRST_COMPLETED)
    # Closing here, and waiting for it, closes the store and the state database before the loop ends:
    # an aiosqlite connection left open keeps a thread that blocks the interpreter's exit.
    await bot.close()
    stopped.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await runner
    stopping.set()
    await watcher
    return {"stopped": True}


def _bot_settings(fake: Any, db: Path, articles: Path, state: Path) -> dict[str, Any]:
    return {
        "DISCORD_TOKEN": BOT_TOKEN,
        "DISCORD_API_BASE_URL": fake.api_base_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "FACTBOT_DB_PATH": str(db),
        "FACTBOT_STATE_DB_PATH": str(state),
        "FACTBOT_ARTICLES": str(articles),
        "FACTBOT_LOG_LEVEL": "WARNING",
    }


class _Sampler:
    """Peak and last resident memory of another process, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = self.last = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(Exception):  # the process may be gone between two samples
                self.last = rss_of(self.pid)
                self.peak = max(self.peak, self.last)
            self._stop.wait(0.02)

    def reset(self) -> None:
        self.peak = self.last

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


async def _stop_process(proc: asyncio.subprocess.Process) -> bytes:
    """Stop a bot with SIGINT as a user would; returns what it wrote on stdout."""
    import signal

    if proc.returncode is None:
        proc.send_signal(signal.SIGINT)
    reading = asyncio.ensure_future(proc.communicate())
    try:
        out, _ = await asyncio.wait_for(asyncio.shield(reading), 60)
    except TimeoutError:
        # SIGABRT first: the child runs with PYTHONFAULTHANDLER set, so its log shows where it hung.
        log.warning("the bot did not stop within 60 s of SIGINT; aborting it (its log shows where it was)")
        proc.send_signal(signal.SIGABRT)
        try:
            out, _ = await asyncio.wait_for(asyncio.shield(reading), 10)
        except TimeoutError:
            proc.kill()
            out, _ = await reading
    return out or b""


async def _start_until_ready(
    fake: Any, argv: list[str], env: dict[str, str], cwd: Path, stdin: bytes | None, log_file: Path
) -> tuple[asyncio.subprocess.Process, float]:
    """Start a bot process; return it and the seconds from process start to READY sent by the fake."""
    since = len(fake.gateway_frames)
    started = time.monotonic()
    with log_file.open("wb") as log_out:  # the child keeps its own copy of the descriptor
        proc = await asyncio.create_subprocess_exec(
            *argv,
            cwd=cwd,
            env=env,
            stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=log_out,
        )
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin)
        await proc.stdin.drain()
        proc.stdin.close()
    ready_task = asyncio.ensure_future(
        fake.wait_for_gateway(event="READY", direction="out", since=since, timeout=READY_TIMEOUT_S)
    )
    exited = asyncio.ensure_future(proc.wait())
    done, _ = await asyncio.wait({ready_task, exited}, return_when=asyncio.FIRST_COMPLETED)
    if ready_task not in done:
        ready_task.cancel()
        raise RuntimeError(f"the bot exited with {proc.returncode} before READY")
    exited.cancel()
    return proc, ready_task.result().at - started


async def _startups(fake: Any, db: Path, folder: Path, work: Path) -> list[dict[str, Any]]:
    """`factbot run` from process start to READY: on the seeds, and on the big corpus with its store built."""
    seeds = work / "startup-seeds"
    shutil.rmtree(seeds, ignore_errors=True)
    shutil.copytree(ROOT / "seeds", seeds / "articles")
    cases = [
        ("seeds, store built at start-up", seeds / "facts.db", seeds / "articles", seeds / "state-cold.db"),
        ("seeds, store already built", seeds / "facts.db", seeds / "articles", seeds / "state-warm.db"),
        (
            f"{folder.name.removeprefix('corpus-')} articles, store already built",
            db,
            folder,
            work / "state-startup.db",
        ),
    ]
    out = []
    for label, store, articles, state in cases:
        env = {**child_env(), **{k: str(v) for k, v in _bot_settings(fake, store, articles, state).items()}}
        proc, seconds = await _start_until_ready(
            fake, [sys.executable, "-m", "bot.cli", "run"], env, work, None, work / f"startup-{len(out)}.log"
        )
        await asyncio.sleep(0.5)  # let the first GUILD_CREATE settle before stopping
        await _stop_process(proc)
        out.append({"case": label, "seconds_to_ready": round(seconds, 2)})
    return out


def _burst_payloads(
    fake: Any, mix: dict[str, Any], n: int, seed: int, guild_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """`n` interactions of the load mix; with `guild_ids`, spread over those guilds in turn."""
    rng = random.Random(f"{seed}:load")
    texts = [h["query"] for h in mix["hits"]] or ["peace treaty"]
    speakers = [s for s in mix["quote_speaker"] if s != "nobody at all"]
    islands = mix["island"]
    out = []
    for k in range(n):
        kind = rng.choices(("quote", "island", "timeline"), (4, 3, 3))[0]
        user = 1300000000000001000 + rng.randrange(200)
        if kind == "quote":
            form = rng.random()
            options: dict[str, Any] = {}
            if form < 0.75:
                options["about"] = rng.choice(texts)
            if form > 0.5:
                options["speaker"] = rng.choice(speakers)
        elif kind == "island":
            options = {"name": rng.choice(islands)}
        else:
            user = 1300000000000000900 + rng.randrange(CHART_USERS)
            years = rng.choice(mix["timeline_years"])
            options = {k: v for k, v in (("from", years[0]), ("to", years[1])) if v is not None}
            if rng.random() < 0.4:
                options["about"] = rng.choice(mix["timeline_about"])
        payload = fake.command_interaction(
            kind,
            options,
            user=user,
            channel_id=CHANNEL_IDS[k % len(CHANNEL_IDS)],
            guild_id=guild_ids[k % len(guild_ids)] if guild_ids else None,
        )
        out.append(payload)
    return out


class _Busy:
    """A second CPU-bound process, for as long as the block lasts: a machine that is not the bot's alone."""

    def __enter__(self) -> _Busy:
        self.proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.kill()
        self.proc.wait()


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds a process has used so far (None without psutil or the process)."""
    try:
        import psutil

        t = psutil.Process(pid).cpu_times()
    except Exception:
        return None
    return float(t.user + t.system)


def settle_heap() -> None:
    """Put everything this process holds now out of the garbage collector's reach, before a burst.

    The fake Discord runs in this process beside the corpus' truth and the records of every burst before:
    a million objects and more, and a full collection during a burst walked them all (0.3 s after a dozen
    bursts), while the fake answered nobody and the bot's requests queued. The bot does the same for its
    facts (`freeze_loaded_facts`); what this process allocates from now on is collected as usual.
    """
    gc.collect()
    gc.freeze()


def _listen_overflows() -> int | None:
    """How often, machine-wide, a connection was dropped because a server's accept queue was full (Linux).

    Such a connection is retried by the client a second later: a burst's answers one second late.
    """
    try:
        rows = [line.split() for line in Path("/proc/net/netstat").read_text().splitlines()]
    except OSError:
        return None
    ext = [row for row in rows if row and row[0] == "TcpExt:"]
    if len(ext) < 2 or "ListenOverflows" not in ext[0]:
        return None
    return int(ext[1][ext[0].index("ListenOverflows")])


def _own_cpu_seconds() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _start_py_spy(pid: int, out: Path) -> subprocess.Popen[bytes] | None:
    """py-spy recording process `pid` into `out` (raw stacks), or None when py-spy is not installed."""
    beside = Path(sys.executable).with_name("py-spy")  # a virtual environment's bin
    exe = str(beside) if beside.exists() else shutil.which("py-spy")
    if exe is None:
        log.warning("py-spy is not installed: no profile (pip install py-spy)")
        return None
    argv = [exe, "record", "--pid", str(pid), "--rate", str(PROFILE_RATE), "--format", "raw", "--nonblocking"]
    return subprocess.Popen(  # noqa: S603 - a fixed command line
        [*argv, "--duration", "300", "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _stop_py_spy(spy: subprocess.Popen[bytes]) -> None:
    import signal

    spy.send_signal(signal.SIGINT)  # py-spy writes what it recorded and ends
    try:
        spy.wait(30)
    except subprocess.TimeoutExpired:
        spy.kill()


async def _burst(
    fake: Any,
    store: Path,
    folder: Path,
    work: Path,
    mix: dict[str, Any],
    n: int,
    seed: int,
    *,
    code: Path | None = None,
    busy: bool = False,
    profile_to: Path | None = None,
) -> dict[str, Any]:
    """N interactions dispatched at once to a freshly started bot; who answered within the deadline, how fast.

    `code` is the source tree the bot runs from (this checkout when None), `busy` keeps a second CPU-bound
    process running through the burst, and `profile_to` records it with py-spy into that file.
    """
    settings = _bot_settings(fake, store, folder, work / "state-load.db")
    (work / "state-load.db").unlink(missing_ok=True)  # every burst starts from the same empty state
    lag_file = work / "load-lag.txt"
    lag_file.unlink(missing_ok=True)
    stdin = json.dumps(
        {"task": "serve", "payload": {"settings": settings, "lag_file": str(lag_file)}}
    ).encode()
    argv = [sys.executable, "-c", "from bench.run import child_main; child_main()"]
    env = child_env() if code is None else {**child_env(), "PYTHONPATH": str(code)}
    proc, ready_s = await _start_until_ready(fake, argv, env, work, stdin, work / "load-bot.log")
    sampler = _Sampler(proc.pid)
    spy: subprocess.Popen[bytes] | None = None
    try:
        with contextlib.ExitStack() as stack:
            if busy:
                stack.enter_context(_Busy())
            await asyncio.sleep(2.0)  # idle: the memory the bot holds while serving nothing
            idle_rss = sampler.last
            payloads = _burst_payloads(fake, mix, n, seed)
            if profile_to is not None and (spy := _start_py_spy(proc.pid, profile_to)) is not None:
                await asyncio.sleep(1.0)  # py-spy attaches
            load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
            since = len(fake.requests)
            sampler.reset()
            settle_heap()
            bot_cpu, fake_cpu = _cpu_seconds(proc.pid), _own_cpu_seconds()
            overflows = _listen_overflows()
            fired = time.monotonic()
            await asyncio.gather(*(fake.send_interaction(p) for p in payloads))
            dispatched = time.monotonic() - fired
            ids = {int(p["id"]) for p in payloads}
            by_token = {p["token"]: int(p["id"]) for p in payloads}
            deadline = fired + WAIT_FOR_ANSWERS_S
            while time.monotonic() < deadline:
                deferred = {
                    i
                    for i in ids
                    if fake.interactions[i].callbacks and fake.interactions[i].callbacks[0].get("type") == 5
                }
                followed = {by_token[t] for t in _follow_up_tokens(fake, since)}
                if all(fake.interactions[i].callbacks for i in ids) and deferred <= followed:
                    break
                await asyncio.sleep(0.05)
            finished = time.monotonic()
            bot_cpu_end, fake_cpu_end = _cpu_seconds(proc.pid), _own_cpu_seconds()
            overflows_end = _listen_overflows()
            peak_rss = sampler.peak
    finally:
        sampler.stop()
        if spy is not None:
            _stop_py_spy(spy)
        await _stop_process(proc)
    first: dict[int, float] = {}
    final: dict[str, float] = {}
    deferred_ids: set[int] = set()
    errors = 0
    for r in fake.requests[since:]:
        if r.template and r.template.endswith("/callback") and r.status < 300:
            iid = int(r.params.get("interaction_id", 0))
            if iid in ids and iid not in first:
                first[iid] = r.at - fired
                body = json.dumps(r.json or {})
                errors += "Something went wrong" in body
                if (r.json or {}).get("type") == 5:
                    deferred_ids.add(iid)
        elif r.method == "POST" and r.path.startswith(f"/webhooks/{APP_ID}/") and r.status < 300:
            token = r.path.split("/")[3]
            final.setdefault(token, r.at - fired)
    complete = dict(first)
    follow_ups = []
    for token, at in final.items():
        if token in by_token:
            iid = by_token[token]
            complete[iid] = max(complete.get(iid, 0.0), at)
            if iid in deferred_ids:
                follow_ups.append(at)
    lags = []
    for line in lag_file.read_text(encoding="utf-8").splitlines() if lag_file.exists() else []:
        t, lag = (float(x) for x in line.split())
        if fired <= t <= finished:
            lags.append(lag)
    kinds = Counter(p["data"]["name"] for p in payloads)
    per = 1000 / max(n, 1)
    return {
        "interactions": n,
        "busy": busy,
        "load_average": round(load_average, 2) if load_average is not None else None,
        "mix": dict(kinds),
        "dispatch_seconds": round(dispatched, 3),
        "answered": len(first),
        "answered_within_3s": sum(1 for v in first.values() if v <= LOAD_DEADLINE_S),
        "deferred": len(deferred_ids),
        "follow_ups_within_10s": sum(1 for v in follow_ups if v <= FOLLOW_UP_DEADLINE_S),
        "waited_seconds": round(finished - fired, 1),
        "error_replies": errors,
        "first_response_ms": percentiles([v * 1000 for v in first.values()]),
        "follow_up_ms": percentiles([v * 1000 for v in follow_ups]),
        "complete_answer_ms": percentiles([v * 1000 for v in complete.values()]),
        "loop_lag_ms": percentiles(lags),
        "cpu_ms_per_interaction": {
            "bot": round((bot_cpu_end - bot_cpu) * per, 2)
            if bot_cpu is not None and bot_cpu_end is not None
            else None,
            "fake": round((fake_cpu_end - fake_cpu) * per, 2),
        },
        "rss_mb": {"idle": mb(idle_rss), "peak_under_load": mb(peak_rss)},
        "listen_overflows": overflows_end - overflows
        if overflows is not None and overflows_end is not None
        else None,
        "ready_seconds": round(ready_s, 2),
    }


def _follow_up_tokens(fake: Any, since: int) -> set[str]:
    return {
        r.path.split("/")[3]
        for r in fake.requests[since:]
        if r.method == "POST" and r.path.startswith(f"/webhooks/{APP_ID}/") and r.status and r.status < 300
    }


def stage_of(stack: str) -> str:
    """The stage a sampled stack belongs to (see STAGES)."""
    for name, markers in STAGES:
        if any(m in stack for m in markers):
            return name
    return "other"


_FRAME = re.compile(r"\((?P<file>[^()]+):(?P<line>\d+)\)$")


@functools.cache
def waits_for_work(frame: str) -> bool:
    """Whether a sampled frame is a worker thread blocked on its queue of work (aiosqlite's connection
    thread, the default executor's threads): py-spy counts such a thread as active, but it uses no CPU.

    Told by the source line the frame stands on, found on `sys.path` (py-spy names files relative to it).
    """
    found = _FRAME.search(frame)
    if found is None:
        return False
    for root in sys.path:
        path = Path(root or ".") / found["file"]
        if path.is_file():
            line = linecache.getline(str(path), int(found["line"]))
            return bool(re.search(r"\b\w*(queue|tx)\w*\.get\(", line))
    return False


def profile_breakdown(raw: Path, cpu_ms_per_interaction: float | None) -> dict[str, Any]:
    """Samples of the bot's main thread by stage, as shares and as milliseconds per interaction.

    A stage's milliseconds are its share of all the process's samples (every thread's) times the process's
    CPU time per interaction: on a loaded machine a sample is also taken while a thread waits for a core,
    so the samples give the split and the CPU time the amount.
    """
    main: Counter[str] = Counter()
    threads: Counter[str] = Counter()
    idle = 0  # samples of worker threads waiting for work, left out
    for line in raw.read_text(encoding="utf-8").splitlines() if raw.exists() else []:
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        if waits_for_work(stack.rpartition(";")[2]):
            idle += int(count)
            continue
        # Other threads' stacks start in threading. The main thread's start at the child's entry point, or,
        # when py-spy (sampling without stopping the process) could not walk past a coroutine the event
        # loop resumed from C, at that coroutine. Charts are drawn in a thread, whatever their stack says.
        stage = stage_of(stack)
        other = stack.startswith("Thread._bootstrap") or stage == CHART_STAGE
        (threads if other else main)[stage] += int(count)
    total = sum(main.values())
    every = total + sum(threads.values())
    stages = []
    for name, samples in main.most_common():
        ms = cpu_ms_per_interaction * samples / every if cpu_ms_per_interaction and every else None
        stages.append(
            {
                "stage": name,
                "samples": samples,
                "share": round(samples / total * 100, 1),
                "ms_per_interaction": round(ms, 2) if ms is not None else None,
            }
        )
    return {
        "main_thread_samples": total,
        "main_thread_ms_per_interaction": (
            round(cpu_ms_per_interaction * total / every, 2) if cpu_ms_per_interaction and every else None
        ),
        "other_thread_samples": dict(threads.most_common()),
        "idle_worker_samples": idle,
        "stages": stages,
    }


def _baseline_source(rev: str, work: Path) -> Path:
    """The files of revision `rev` of this repository, in a folder of `work` (the bot as it was)."""
    git = shutil.which("git")
    if git is None:
        raise RuntimeError("a baseline needs git")
    out = work / f"baseline-{rev}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    archive = subprocess.run(  # noqa: S603 - git with a revision the user named
        [git, "archive", "--format=tar", rev], cwd=ROOT, capture_output=True, check=False
    )
    if archive.returncode != 0:
        raise RuntimeError(f"git archive {rev}: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive.stdout, check=True)  # noqa: S603, S607
    return out


def measure_load(db: Path, folder: Path, work: Path, mix: dict[str, Any], options: Options) -> dict[str, Any]:
    """Start-up times and bursts of interactions through the fake Discord, with the bot in its own process."""
    return asyncio.run(_load(db, folder, work, mix, options))


async def _load(db: Path, folder: Path, work: Path, mix: dict[str, Any], options: Options) -> dict[str, Any]:
    from fakediscord import FakeDiscord

    seeds = work / "load-seeds"
    shutil.rmtree(seeds, ignore_errors=True)
    shutil.copytree(ROOT / "seeds", seeds / "articles")
    big = folder.name.removeprefix("corpus-")
    stores = [("bundled", seeds / "facts.db", seeds / "articles"), (f"{big} articles", db, folder)]
    codes: list[tuple[str, Path | None]] = [("this revision", None)]
    if options.load_baseline:
        base = _baseline_source(options.load_baseline, work)
        codes.insert(0, (f"baseline {options.load_baseline}", base))
    # Request bodies are not validated against the spec here (the test suite does that): validating
    # thousands of answers would load the fake, which shares the cores with the bot, and skew its figures.
    async with FakeDiscord(
        guild_id=GUILD_ID, channel_ids=CHANNEL_IDS, app_id=APP_ID, token=BOT_TOKEN, validate=False
    ) as fake:
        startup = await _startups(fake, db, folder, work)
        bursts = []
        for store_name, store, articles in stores:
            for n in options.load_interactions:
                for busy in (False, True):
                    # Before and after side by side, so that both meet the same moment of a shared machine.
                    for code_name, code in codes:
                        used = store if code is None else _store_copy(store, work, code_name)
                        log.info(
                            "burst: %s, %d interactions, %s, %s",
                            store_name,
                            n,
                            "busy" if busy else "quiet",
                            code_name,
                        )
                        figures = await _burst(
                            fake, used, articles, work, mix, n, options.seed, code=code, busy=busy
                        )
                        bursts.append({"store": store_name, "code": code_name, **figures})
        profiles = []
        if options.load_profile:
            n = max(options.load_interactions)
            for code_name, code in codes:
                raw = work / f"profile-{len(profiles)}.txt"
                raw.unlink(missing_ok=True)
                used = db if code is None else _store_copy(db, work, code_name)
                figures = await _burst(
                    fake, used, folder, work, mix, n, options.seed, code=code, profile_to=raw
                )
                breakdown = profile_breakdown(raw, figures["cpu_ms_per_interaction"]["bot"])
                profiles.append(
                    {"store": f"{big} articles", "code": code_name, "burst": figures, **breakdown}
                )
    main = next(
        (b for b in bursts if b["code"] == "this revision" and not b["busy"] and b["store"] != "bundled"),
        bursts[0],
    )
    return {"startup": startup, "burst": main, "bursts": bursts, "profiles": profiles}


def _store_copy(store: Path, work: Path, code_name: str) -> Path:
    """A copy of a store for another revision of the bot, which must not rebuild or touch the original."""
    copy = work / f"{code_name.replace(' ', '-')}-{store.parent.name}-{store.name}"
    if store.exists() and not copy.exists():
        shutil.copy2(store, copy)
    return copy
