"""The slash commands as text: parse `/quote peace treaty speaker:Abe` and run it through the answer functions.

The offline console and `factbot ask` use this; the Discord cogs receive the same options already
structured by Discord, and both ask through the question table (`bot.answers.questions`).
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from bot.answers import Facts, QueryError
from bot.answers.questions import QUESTIONS, Question, Surface


def parse_line(line: str) -> tuple[Question[Any, Any], dict[str, str]]:
    """`/quote peace treaty speaker:Abe` → (the quote command, {'about': 'peace treaty', 'speaker': 'Abe'})."""
    line = line.strip()
    if not line.startswith("/"):
        raise QueryError("Commands start with `/`, e.g. `/island Shikotan`. Type /help for the list.")
    name, _, rest = line[1:].partition(" ")
    command = QUESTIONS.get(name.lower())
    if command is None:
        raise QueryError(
            f"Unknown command `/{name}`. Commands: " + ", ".join(f"/{n}" for n in QUESTIONS) + "."
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
            raise QueryError(f"`/{command.name}` takes no text.")
        options.setdefault(command.positional, _unquote(words))
    return command, options


def _unquote(value: str) -> str:
    value = value.strip()
    try:
        parts = shlex.split(value)
    except ValueError:
        return value
    return " ".join(parts) if parts else value


async def run_line(facts: Facts, line: str, surface: Surface = Surface.CONSOLE) -> Any:
    """Parse and answer one slash-command line."""
    question, options = parse_line(line)
    return await question.ask(facts, options, surface, limit=options.get("limit"))
