"""`factbot`: build the fact store, query it (readable or JSON), and run the bot or the offline console."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from bot.answers import Facts, QueryError
from bot.answers.questions import ABOUT, ISLAND, QUESTIONS, QUOTE, SOURCE, TIMELINE, Question, Surface
from bot.argtypes import OneLineParser
from bot.config import Settings
from bot.daily.state import StateError
from bot.logs import configure as configure_logging
from bot.render.text import printable
from bot.store.build import BuildReport, build_store
from bot.store.reader import StoreError

log = logging.getLogger("factbot")


def _level(value: str) -> str:
    if value.upper() not in logging.getLevelNamesMapping():
        raise argparse.ArgumentTypeError(f"not a log level: {value!r} (DEBUG, INFO, WARNING or ERROR)")
    return value.upper()


def _limit_help(question: Question[Any, Any]) -> str:
    return f"how many results (default {question.limit(Surface.CONSOLE)})"


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="factbot", description=__doc__)
    parser.add_argument("--log-level", type=_level, default=None, help="DEBUG, INFO, WARNING or ERROR")
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser)

    def store_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", type=Path, default=None, help="fact store (default: data/facts.db)")
        p.add_argument(
            "--articles",
            type=Path,
            action="append",
            default=None,
            metavar="DIR",
            help="articles folder (repeatable; default: seeds/ and articles/)",
        )

    p = sub.add_parser("build", help="build the fact store from the articles")
    store_args(p)
    p.add_argument("--force", action="store_true", help="rebuild even when the articles have not changed")

    p = sub.add_parser("timeline", help=TIMELINE.description)
    store_args(p)
    p.add_argument("--from", dest="from_year", default=None, metavar="YEAR", help=TIMELINE.describe("from"))
    p.add_argument("--to", dest="to_year", default=None, metavar="YEAR", help=TIMELINE.describe("to"))
    p.add_argument("--about", default=None, metavar="TEXT", help=TIMELINE.describe("about"))
    p.add_argument("--limit", default=None, metavar="N", help=_limit_help(TIMELINE))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("quote", help=QUOTE.description)
    store_args(p)
    p.add_argument("text", nargs="?", default=None, metavar="TEXT", help=QUOTE.describe("about"))
    p.add_argument("--speaker", default=None, metavar="NAME", help=QUOTE.describe("speaker"))
    p.add_argument("--limit", default=None, metavar="N", help=_limit_help(QUOTE))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("island", help=ISLAND.description)
    store_args(p)
    p.add_argument("name", metavar="NAME", help=ISLAND.describe("name"))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("source", help=SOURCE.description)
    store_args(p)
    p.add_argument("article", metavar="ARTICLE", help=SOURCE.describe("article"))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("about", help=ABOUT.description)
    store_args(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("console", help="the offline console: type slash commands, see the bot's answers")
    store_args(p)

    p = sub.add_parser("ask", help='answer one slash command and exit, e.g. factbot ask "/island shikotan"')
    store_args(p)
    p.add_argument("line", metavar="COMMAND")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("run", help="run the Discord bot (needs DISCORD_TOKEN)")
    store_args(p)
    p = sub.add_parser("sync", help="sync the slash commands with Discord now")
    store_args(p)
    # `factbot bench ...` is handed to the benchmark's own parser (see main); listed here for --help.
    sub.add_parser("bench", help="benchmark build, queries and load on generated corpora (python -m bench)")
    p = sub.add_parser("start", help="the main job: the Discord bot with a token, else the offline console")
    store_args(p)
    return parser


def _folders(args: argparse.Namespace, settings: Settings) -> list[Path]:
    return list(args.articles) if args.articles else list(settings.articles)


def _print_build(report: BuildReport, err: Console) -> None:
    # soft_wrap: one line per skipped file or warning whatever the terminal's width (the terminal may fold
    # it for display; the output still has one line each, for whoever reads or greps it).
    for s in report.skipped:
        err.print(
            Text("skipped ", style="yellow") + Text(printable(f"{s.path}: {s.reason}", one_line=True)),
            soft_wrap=True,
        )
    for w in report.warnings:
        err.print(Text("warning ", style="yellow") + Text(printable(w, one_line=True)), soft_wrap=True)
    state = f"built in {report.seconds:.2f} s" if report.rebuilt else "up to date"
    err.print(
        Text(
            f"{printable(report.db_path, one_line=True)}: {state} — {report.articles} articles, "
            f"{report.events} events, {report.quotes} quotes, {report.island_facts} island facts"
            + (f", {len(report.skipped)} skipped" if report.skipped else "")
        ),
        soft_wrap=True,
    )


async def _build(folders: Sequence[Path], db: Path, force: bool, err: Console) -> BuildReport:
    if err.is_terminal:
        from rich.progress import Progress

        with Progress(console=err, transient=True) as bar:
            task = bar.add_task("Extracting facts", total=None)
            report = await build_store(
                folders, db, force=force, progress=lambda n, total: bar.update(task, completed=n, total=total)
            )
    else:
        report = await build_store(folders, db, force=force)
    return report


async def ensure_store(args: argparse.Namespace, settings: Settings, err: Console) -> Path:
    """The store to query: an explicit --db as it is, else the default store, built or refreshed as needed."""
    if args.db is not None and args.db.exists() and not args.articles:
        return Path(args.db)
    db = Path(args.db or settings.db_path)
    report = await _build(_folders(args, settings), db, False, err)
    if report.rebuilt:
        _print_build(report, err)
    return db


async def _query(args: argparse.Namespace, settings: Settings, out: Console, err: Console) -> int:
    from bot.app import print_answer

    question = QUESTIONS[args.command]
    options: dict[str, Any] = {
        "timeline": lambda: {"from": args.from_year, "to": args.to_year, "about": args.about},
        "quote": lambda: {"about": args.text, "speaker": args.speaker},
        "island": lambda: {"name": args.name},
        "source": lambda: {"article": args.article},
        "about": dict,
    }[args.command]()
    surface = Surface.JSON if args.json else Surface.CONSOLE
    query = question.query(
        options, surface, limit=getattr(args, "limit", None)
    )  # bad options: before a build
    db = await ensure_store(args, settings, err)
    facts = await Facts.open(db)
    try:
        answer = await question.answer(facts, query)
        print_answer(answer, as_json=args.json, out=out)  # facts read their citations while printed
    finally:
        await facts.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `factbot` command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:
        from bench.__main__ import main as bench_main

        return int(bench_main(argv[1:]) or 0)
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValueError as exc:
        print(f"factbot: error: bad settings: {exc.__class__.__name__}: {_first_line(exc)}", file=sys.stderr)
        return 2
    configure_logging(args.log_level or settings.log_level)
    out, err = Console(), Console(stderr=True)
    command = args.command or "start"
    if command == "start":
        args.command = "start"
        for attr in ("db", "articles"):
            setattr(args, attr, getattr(args, attr, None))
    try:
        if command == "build":
            report = asyncio.run(
                _build(_folders(args, settings), Path(args.db or settings.db_path), args.force, err)
            )
            _print_build(report, err)
            return 0 if report.articles else 1
        if command in ("timeline", "quote", "island", "source", "about"):
            return asyncio.run(_query(args, settings, out, err))
        if command in ("console", "ask", "start", "run", "sync"):
            from bot.app import run_mode

            return run_mode(command, args, settings, out, err)
    except QueryError as exc:
        print(f"factbot: error: {printable(str(exc), one_line=True)}", file=sys.stderr)
        return 2
    except (StoreError, StateError) as exc:
        print(f"factbot: error: {printable(str(exc), one_line=True)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # A bug, not bad input: still one line for whoever runs it, with the traceback one flag away.
        log.debug("unexpected error", exc_info=True)
        print(
            f"factbot: error: internal error ({type(exc).__name__}: {printable(str(exc), one_line=True)[:200]}); "
            "run with --log-level DEBUG to see where",
            file=sys.stderr,
        )
        return 1
    build_parser().print_help()
    return 2


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else ""


if __name__ == "__main__":
    raise SystemExit(main())
