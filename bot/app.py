"""The long-running modes: the offline console, one-shot `ask`, and the Discord bot."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from typing import Any

from rich.console import Console
from rich.text import Text

from bot.answers import (
    AboutAnswer,
    Facts,
    IslandAnswer,
    QueryError,
    QuoteAnswer,
    SourceAnswer,
    TimelineAnswer,
)
from bot.answers.questions import QUESTIONS, Surface
from bot.config import Settings
from bot.render import console as views
from bot.render import json as js
from bot.render.text import printable
from bot.slash import run_line

PROMPT = "factbot> "


def view_of(answer: Any) -> Any:
    """The terminal rendering of any answer."""
    match answer:
        case TimelineAnswer():
            return views.timeline_view(answer)
        case QuoteAnswer():
            return views.quotes_view(answer)
        case IslandAnswer():
            return views.island_view(answer)
        case SourceAnswer():
            return views.source_view(answer)
        case AboutAnswer():
            return views.about_view(answer)
    raise TypeError(type(answer).__name__)


def json_of(answer: Any) -> dict[str, Any]:
    """The JSON rendering of any answer."""
    match answer:
        case TimelineAnswer():
            return js.timeline_json(answer)
        case QuoteAnswer():
            return js.quotes_json(answer)
        case IslandAnswer():
            return js.island_json(answer)
        case SourceAnswer():
            return js.source_json(answer)
        case AboutAnswer():
            return js.about_json(answer)
    raise TypeError(type(answer).__name__)


# What JSON leaves unescaped but a terminal acts on: DEL, the C1 controls (0x9b is a one-byte CSI) and the
# bidi controls. They can only occur inside strings, where \uXXXX is the same character.
_JSON_RAW_CONTROLS = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def print_answer(answer: Any, *, as_json: bool, out: Console) -> None:
    """Print an answer as JSON on stdout, or rendered for the terminal."""
    if as_json:
        text = json.dumps(json_of(answer), ensure_ascii=False, indent=2)
        sys.stdout.write(_JSON_RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n")
    else:
        out.print(view_of(answer))


HELP = (
    "Commands:\n"
    + "\n".join(f"  {q.usage}" for q in QUESTIONS.values())
    + "\n  /help, /quit\nExamples: /quote peace treaty speaker:Abe · /timeline from:1956 to:1960 · /island Etorofu"
)


async def answer_line(facts: Facts, line: str, out: Console) -> None:
    """Answer one console line; a bad line gets a friendly message, never a traceback."""
    try:
        out.print(view_of(await run_line(facts, line)))
    except QueryError as exc:
        # The message may quote user input: never markup, never a raw escape sequence.
        out.print(Text(printable(str(exc)), style="yellow"))


async def console_loop(facts: Facts, out: Console) -> int:
    """Read slash commands from stdin until EOF or /quit."""
    interactive = sys.stdin.isatty()
    out.print(f"[bold]Kuril Islands fact bot[/bold] — offline console. {HELP}", highlight=False)
    loop = asyncio.get_running_loop()
    while True:
        if interactive:
            line = await loop.run_in_executor(None, _prompt)
        else:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if line == "":
                line = None
        if line is None:
            return 0
        line = line.strip()
        if not line:
            continue
        if line in ("/quit", "/exit", "quit", "exit"):
            return 0
        if line in ("/help", "help", "?"):
            out.print(HELP, highlight=False)
            continue
        await answer_line(facts, line, out)


def _prompt() -> str | None:
    try:
        return input(PROMPT)
    except EOFError:
        return None


async def _offline(
    command: str, args: argparse.Namespace, settings: Settings, out: Console, err: Console
) -> int:
    from bot.cli import ensure_store

    db = await ensure_store(args, settings, err)
    facts = await Facts.open(db)
    try:
        if command == "ask":
            try:
                answer = await run_line(facts, args.line, Surface.JSON if args.json else Surface.CONSOLE)
            except QueryError as exc:
                print(f"factbot: {printable(str(exc), one_line=True)}", file=sys.stderr)
                return 2
            print_answer(answer, as_json=args.json, out=out)
            return 0
        return await console_loop(facts, out)
    finally:
        await facts.close()


def run_mode(command: str, args: argparse.Namespace, settings: Settings, out: Console, err: Console) -> int:
    """Run `console`, `ask`, `run`, `sync` or `start` (the bot with a token, else the console)."""
    if command in ("run", "sync") and not settings.has_token:
        print(
            "factbot: DISCORD_TOKEN is not set (see .env.example); try `factbot console` to use the bot offline.",
            file=sys.stderr,
        )
        return 2
    if command == "start":
        command = "run" if settings.has_token else "console"
        if command == "console":
            err.print("No DISCORD_TOKEN configured: starting the offline console.", highlight=False)
    if command in ("console", "ask"):
        return asyncio.run(_offline(command, args, settings, out, err))
    from bot.discord.client import run

    if args.db is not None:
        settings = settings.model_copy(update={"db_path": args.db})
    if args.articles:
        settings = settings.model_copy(update={"articles": list(args.articles)})
    return run(settings, sync_only=command == "sync")
