"""`factbot`: build the fact store, query it (readable or JSON), and run the bot or the offline console.

The command line is parsed here into plain values (settings, paths, a checked query) and handed on: to the
store's build, to the console (`bot.console`) for whatever is answered in a terminal, or to the Discord
client (`bot.discord.client.run`). Nothing imports this module back.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console
from rich.text import Text

from bot import console
from bot.answers import QueryError
from bot.answers.questions import (
    ABOUT,
    CHECK,
    DAILY_PREVIEW,
    HELP,
    ISLAND,
    QUESTIONS,
    QUOTE,
    SOURCE,
    TIMELINE,
    Question,
    Surface,
)
from bot.build import BuildReport, build_store
from bot.build.progress import Step
from bot.config import Settings, check_shards
from bot.daily.state import StateError
from bot.logs import configure as configure_logging
from bot.render.locales import ENGLISH, LOCALES
from bot.render.text import printable
from bot.render.wording import query_error
from bot.store.reader import StoreError

log = logging.getLogger("factbot")


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments: one line on stderr and exit 2, never a usage dump or a traceback."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _level(value: str) -> str:
    if value.upper() not in logging.getLevelNamesMapping():
        raise argparse.ArgumentTypeError(f"not a log level: {value!r} (DEBUG, INFO, WARNING or ERROR)")
    return value.upper()


def _locale(value: str) -> str:
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if code not in LOCALES:
        raise argparse.ArgumentTypeError(f"unknown locale {value!r}: use {', '.join(LOCALES)}")
    return code


def _limit_help(question: Question[Any, Any]) -> str:
    return f"how many results (default {question.limit(Surface.CONSOLE)})"


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="factbot", description=__doc__.splitlines()[0] if __doc__ else None)
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

    def locale_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--locale",
            type=_locale,
            default=ENGLISH,
            metavar="LANG",
            help="the bot's own wording and dates in en, ja or ru (articles stay as written; JSON is the same)",
        )

    p = sub.add_parser("build", help="Build the fact store from the articles")
    store_args(p)
    p.add_argument("--force", action="store_true", help="rebuild even when the articles have not changed")

    p = sub.add_parser("timeline", help=TIMELINE.description)
    store_args(p)
    locale_arg(p)
    p.add_argument("--from", dest="from_year", default=None, metavar="YEAR", help=TIMELINE.describe("from"))
    p.add_argument("--to", dest="to_year", default=None, metavar="YEAR", help=TIMELINE.describe("to"))
    p.add_argument("--about", default=None, metavar="TEXT", help=TIMELINE.describe("about"))
    p.add_argument("--limit", default=None, metavar="N", help=_limit_help(TIMELINE))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("quote", help=QUOTE.description)
    store_args(p)
    locale_arg(p)
    p.add_argument("text", nargs="?", default=None, metavar="TEXT", help=QUOTE.describe("about"))
    p.add_argument("--speaker", default=None, metavar="NAME", help=QUOTE.describe("speaker"))
    p.add_argument("--limit", default=None, metavar="N", help=_limit_help(QUOTE))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("island", help=ISLAND.description)
    store_args(p)
    locale_arg(p)
    p.add_argument("name", metavar="NAME", help=ISLAND.describe("name"))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("source", help=SOURCE.description)
    store_args(p)
    locale_arg(p)
    p.add_argument("article", metavar="ARTICLE", help=SOURCE.describe("article"))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("about", help=ABOUT.description)
    store_args(p)
    locale_arg(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("check", help=CHECK.description)
    store_args(p)
    locale_arg(p)
    p.add_argument("text", metavar="TEXT", help=CHECK.describe("text"))
    p.add_argument("--speaker", default=None, metavar="NAME", help=CHECK.describe("speaker"))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("help", help=HELP.description)
    store_args(p)
    locale_arg(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("daily", help="Daily history snippets")
    daily = p.add_subparsers(dest="daily_command", parser_class=OneLineParser, required=True)
    p = daily.add_parser("preview", help=DAILY_PREVIEW.description)
    store_args(p)
    locale_arg(p)
    p.add_argument("date", nargs="?", default=None, metavar="DATE", help=DAILY_PREVIEW.describe("date"))
    p.add_argument("--timezone", default=None, metavar="ZONE", help=DAILY_PREVIEW.describe("timezone"))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("console", help="The offline console: type slash commands, see the bot's answers")
    store_args(p)
    locale_arg(p)

    p = sub.add_parser("ask", help='Answer one slash command and exit, e.g. factbot ask "/island shikotan"')
    store_args(p)
    locale_arg(p)
    p.add_argument("line", metavar="COMMAND")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("run", help="Run the Discord bot (needs DISCORD_TOKEN)")
    store_args(p)
    p.add_argument("--shard-count", type=int, metavar="N", help="shards in all (FACTBOT_SHARD_COUNT)")
    p.add_argument(
        "--shard-ids",
        type=_shard_ids,
        metavar="IDS",
        help="this process's shards, e.g. 0,1 (FACTBOT_SHARD_IDS)",
    )
    p = sub.add_parser("sync", help="Sync the slash commands with Discord now")
    store_args(p)
    p = sub.add_parser("start", help="The main job: the Discord bot with a token, else the offline console")
    store_args(p)
    locale_arg(p)
    return parser


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
    """Build the store: with a bar naming each phase on a terminal, else with the phases logged."""
    if not err.is_terminal:
        return await build_store(folders, db, force=force)
    from rich.progress import Progress, TimeElapsedColumn

    with Progress(*Progress.get_default_columns(), TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("extract", total=None)

        def show(step: Step) -> None:
            # A step counted once (a kind corroborated, written, the seal) pulses: it has no share to show.
            counted = step.total > 1
            bar.update(
                task,
                description=step.describe() if not counted else f"{step.phase} {step.what}",
                completed=step.done if counted else 0,
                total=step.total if counted else None,
            )

        return await build_store(folders, db, force=force, progress=show)


async def _store(db: Path | None, articles: Sequence[Path] | None, settings: Settings, err: Console) -> Path:
    """The store to query: an explicit --db as it is, else the default store, built or refreshed as needed."""
    if db is not None and db.exists() and not articles:
        return db
    path = db or settings.db_path
    report = await _build(articles or settings.articles, path, False, err)
    if report.rebuilt:
        _print_build(report, err)
    return path


def _question_and_query(args: argparse.Namespace, settings: Settings) -> tuple[Question[Any, Any], Any]:
    """The question a query command or `ask` names, with its options checked (before any store is built)."""
    surface = Surface.JSON if args.json else Surface.CONSOLE
    if args.command == "ask":
        return console.parse_query(args.line, surface, settings.help_links)
    name = f"daily {args.daily_command}" if args.command == "daily" else args.command
    question = QUESTIONS[name]
    options: dict[str, Any] = {}
    match name:
        case "timeline":
            options = {"from": args.from_year, "to": args.to_year, "about": args.about}
        case "quote":
            options = {"about": args.text, "speaker": args.speaker}
        case "island":
            options = {"name": args.name}
        case "source":
            options = {"article": args.article}
        case "check":
            options = {"text": args.text, "speaker": args.speaker}
        case "help":
            options = {"links": settings.help_links}
        case "daily preview":
            options = {"date": args.date, "timezone": args.timezone}
    return question, question.query(options, surface, limit=getattr(args, "limit", None))


async def _answer(
    question: Question[Any, Any],
    query: Any,
    store: tuple[Path | None, Sequence[Path] | None],
    settings: Settings,
    *,
    as_json: bool,
    out: Console,
    err: Console,
    locale: str = ENGLISH,
) -> int:
    db = await _store(*store, settings, err)
    return await console.show(db, question, query, as_json=as_json, out=out, locale=locale)


async def _console(
    store: tuple[Path | None, Sequence[Path] | None],
    settings: Settings,
    out: Console,
    err: Console,
    locale: str = ENGLISH,
) -> int:
    return await console.console(await _store(*store, settings, err), out, settings.help_links, locale)


def _run_bot(command: str, store: tuple[Path | None, Sequence[Path] | None], settings: Settings) -> int:
    if not settings.has_token:
        print(
            "factbot: DISCORD_TOKEN is not set (see .env.example); try `factbot console` to use the bot offline.",
            file=sys.stderr,
        )
        return 2
    db, articles = store
    if db is not None:
        settings = settings.model_copy(update={"db_path": db})
    if articles:
        settings = settings.model_copy(update={"articles": list(articles)})
    # Imported here: discord.py takes a while to import, and no other command needs it.
    from bot.discord.client import run

    return run(settings, sync_only=command == "sync")


def _shard_ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected shard numbers such as 0,1, not {text!r}") from None


def _with_shards(args: argparse.Namespace, settings: Settings) -> Settings:
    """The settings with the shards named on the command line; ValueError (one line) for a wrong plan."""
    count = getattr(args, "shard_count", None)
    ids = getattr(args, "shard_ids", None)
    if count is None and ids is None:
        return settings
    count = settings.shard_count if count is None else count
    ids = ids if ids is not None else settings.shard_ids if count == settings.shard_count else None
    check_shards(count, ids)
    return settings.model_copy(update={"shard_count": count, "shard_ids": ids})


def _dispatch(args: argparse.Namespace, settings: Settings, out: Console, err: Console) -> int:
    command = args.command or "start"
    store = (getattr(args, "db", None), getattr(args, "articles", None))
    locale = getattr(args, "locale", ENGLISH)
    if command == "build":
        db, articles = store
        report = asyncio.run(_build(articles or settings.articles, db or settings.db_path, args.force, err))
        _print_build(report, err)
        return 0 if report.articles else 1
    if command in QUESTIONS or command in ("ask", "daily"):
        question, query = _question_and_query(args, settings)
        return asyncio.run(
            _answer(question, query, store, settings, as_json=args.json, out=out, err=err, locale=locale)
        )
    if command == "start":
        command = "run" if settings.has_token else "console"
        if command == "console":
            err.print("No DISCORD_TOKEN configured: starting the offline console.", highlight=False)
    if command == "console":
        return asyncio.run(_console(store, settings, out, err, locale))
    try:
        settings = _with_shards(args, settings)
    except ValueError as exc:
        print(f"factbot: error: {exc}", file=sys.stderr)
        return 2
    return _run_bot(command, store, settings)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `factbot` command."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValueError as exc:
        print(f"factbot: error: bad settings: {exc.__class__.__name__}: {_first_line(exc)}", file=sys.stderr)
        return 2
    configure_logging(args.log_level or settings.log_level)
    out, err = Console(), Console(stderr=True)
    try:
        return _dispatch(args, settings, out, err)
    except QueryError as exc:
        message = query_error(exc, getattr(args, "locale", ENGLISH))
        print(f"factbot: error: {printable(message, one_line=True)}", file=sys.stderr)
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


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else ""


if __name__ == "__main__":
    raise SystemExit(main())
