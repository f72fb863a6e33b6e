"""The offline console and one-shot answers in a terminal: the slash commands as text.

`/quote peace treaty speaker:Abe` is parsed into a question of the table (`bot.answers.questions`) and its
options, answered, and printed as the terminal view or as JSON. The offline console, `factbot ask` and the
query commands of `factbot` (`factbot timeline` …) answer this way; the Discord cogs get the same options
already structured by Discord and ask the same table.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from bot.answers import Answer, Facts, QueryError
from bot.answers.help import Link
from bot.answers.questions import HELP, QUESTIONS, Question, Surface
from bot.render import json as js
from bot.render.console import answer_view
from bot.render.locales import ENGLISH
from bot.render.text import printable
from bot.render.wording import query_error

PROMPT = "factbot> "
GREETING = (
    "Commands: "
    + " ".join(f"/{name}" for name in QUESTIONS)
    + " /quit. Type /help for what each does, with examples."
)


def parse_line(line: str) -> tuple[Question[Any, Any], dict[str, str]]:
    """`/quote peace treaty speaker:Abe` → (the quote command, {'about': 'peace treaty', 'speaker': 'Abe'})."""
    line = line.strip()
    if not line.startswith("/"):
        raise QueryError("Commands start with `/`, e.g. `/island Shikotan`. Type /help for the list.")
    name, _, rest = line[1:].partition(" ")
    command = QUESTIONS.get(name.lower())
    if command is None:  # a subcommand, such as `/daily preview`
        sub, _, after = rest.strip().partition(" ")
        command = QUESTIONS.get(f"{name} {sub}".lower())
        if command is not None:
            name, rest = f"{name} {sub}", after
    if command is None:
        raise QueryError(
            "Unknown command `/{name}`. Commands: {commands}.",
            name=name,
            commands=", ".join(f"/{n}" for n in QUESTIONS),
        )
    options: dict[str, str] = {}
    # `limit:` asks a question that has result limits for more (or fewer) than the console shows.
    keys = [o.name for o in command.options] + (["limit"] if command.limits else [])
    key_re = (
        re.compile(r"(?:^|\s)(" + "|".join(map(re.escape, keys)) + r"):", re.IGNORECASE) if keys else None
    )
    free: list[str] = []
    if key_re is not None:
        pieces = key_re.split(rest)
        free.append(pieces[0])
        for key, value in zip(pieces[1::2], pieces[2::2], strict=True):
            quoted = re.match(r"\s*([\"'])(.*?)\1(.*)$", value, re.DOTALL)
            if quoted:  # key:"two words" rest — the quotes end the value, the rest is free text
                options[key.lower()] = quoted.group(2).strip()
                free.append(quoted.group(3))
            else:
                options[key.lower()] = _unquote(value)
    else:
        free.append(rest)
    words = " ".join(p.strip() for p in free if p.strip())
    if words:
        if command.positional is None:
            raise QueryError("`/{name}` takes no text.", name=command.name)
        options.setdefault(command.positional, _unquote(words))
    return command, options


def _unquote(value: str) -> str:
    """A value without the quotation marks around all of it; quotation marks inside it stay (`/check`
    reads them: `"We will not give up," said Putin`)."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" and value[0] not in value[1:-1]:
        return value[1:-1].strip()
    return value


def parse_query(line: str, surface: Surface, links: Sequence[Link] = ()) -> tuple[Question[Any, Any], Any]:
    """A slash-command line as its question and checked query; QueryError when it makes no sense.

    `links` are those `/help` shows (the operator's settings).
    """
    question, options = parse_line(line)
    raw: dict[str, Any] = {**options, "links": tuple(links)} if question is HELP else dict(options)
    return question, question.query(raw, surface, limit=options.get("limit"))


async def run_line(
    facts: Facts, line: str, surface: Surface = Surface.CONSOLE, links: Sequence[Link] = ()
) -> Any:
    """Parse and answer one slash-command line."""
    question, query = parse_query(line, surface, links)
    return await question.answer(facts, query)


def print_answer(answer: Answer, *, as_json: bool, out: Console, locale: str = ENGLISH) -> None:
    """Print an answer as JSON on stdout (the same in every locale), or rendered for the terminal."""
    if as_json:
        sys.stdout.write(js.dumps(answer) + "\n")
    else:
        out.print(answer_view(answer, locale))


async def show(
    db: Path, question: Question[Any, Any], query: Any, *, as_json: bool, out: Console, locale: str = ENGLISH
) -> int:
    """Answer a checked query from the store at `db` and print it; the exit code."""
    facts = await Facts.open(db)
    try:
        print_answer(await question.answer(facts, query), as_json=as_json, out=out, locale=locale)
    finally:
        await facts.close()  # after printing: facts read their citations while printed
    return 0


async def answer_line(
    facts: Facts, line: str, out: Console, links: Sequence[Link] = (), locale: str = ENGLISH
) -> None:
    """Answer one console line; a bad line gets a friendly message, never a traceback."""
    try:
        out.print(answer_view(await run_line(facts, line, links=links), locale))
    except QueryError as exc:
        # The message may quote user input: never markup, never a raw escape sequence.
        out.print(Text(printable(query_error(exc, locale)), style="yellow"))


async def console(db: Path, out: Console, links: Sequence[Link] = (), locale: str = ENGLISH) -> int:
    """The offline console on the store at `db`: slash commands from stdin until EOF or /quit."""
    facts = await Facts.open(db)
    try:
        return await console_loop(facts, out, links, locale)
    finally:
        await facts.close()


async def console_loop(facts: Facts, out: Console, links: Sequence[Link] = (), locale: str = ENGLISH) -> int:
    """Read slash commands from stdin until EOF or /quit; `/help` shows `links` too."""
    interactive = sys.stdin.isatty()
    out.print(f"[bold]Kuril Islands fact bot[/bold] — offline console. {GREETING}", highlight=False)
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
        if line in ("help", "?"):
            line = "/help"
        await answer_line(facts, line, out, links, locale)


def _prompt() -> str | None:
    try:
        return input(PROMPT)
    except EOFError:
        return None
