"""The slash commands as text: parse `/quote peace treaty speaker:Abe` and run it through the answer functions.

The offline console and `factbot ask` use this; the Discord cogs receive the same options already
structured by Discord and call the same `*.parse` option checks and answer functions.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.answers import (
    Facts,
    QueryError,
    QuoteQuery,
    TimelineQuery,
    about,
    island,
    quotes,
    source,
    timeline,
)

Runner = Callable[[Facts, dict[str, str]], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class TextCommand:
    name: str
    options: tuple[str, ...]
    positional: str | None  # the option that words without a `key:` fill
    run: Runner
    help: str


async def _timeline(facts: Facts, o: dict[str, str]) -> Any:
    return await timeline(
        facts, TimelineQuery.parse(o.get("from"), o.get("to"), o.get("about"), o.get("limit"))
    )


async def _quote(facts: Facts, o: dict[str, str]) -> Any:
    return await quotes(facts, QuoteQuery.parse(o.get("about"), o.get("speaker"), o.get("limit")))


async def _island(facts: Facts, o: dict[str, str]) -> Any:
    if not o.get("name"):
        raise QueryError("Which island? Try `/island Shikotan` or `/island 択捉島`.")
    return await island(facts, o.get("name"))


async def _source(facts: Facts, o: dict[str, str]) -> Any:
    if not o.get("article"):
        raise QueryError("Which article? Try `/source 004` — citations show each article's id.")
    return await source(facts, o.get("article"))


async def _about(facts: Facts, o: dict[str, str]) -> Any:
    return await about(facts)


COMMANDS: dict[str, TextCommand] = {
    c.name: c
    for c in (
        TextCommand(
            "timeline",
            ("from", "to", "about", "limit"),
            "about",
            _timeline,
            "/timeline [from:YEAR] [to:YEAR] [about:TEXT]",
        ),
        TextCommand("quote", ("about", "speaker", "limit"), "about", _quote, "/quote [TEXT] [speaker:NAME]"),
        TextCommand("island", ("name",), "name", _island, "/island NAME"),
        TextCommand("source", ("article",), "article", _source, "/source ARTICLE"),
        TextCommand("about", (), None, _about, "/about"),
    )
}


def parse_line(line: str) -> tuple[TextCommand, dict[str, str]]:
    """`/quote peace treaty speaker:Abe` → (the quote command, {'about': 'peace treaty', 'speaker': 'Abe'})."""
    line = line.strip()
    if not line.startswith("/"):
        raise QueryError("Commands start with `/`, e.g. `/island Shikotan`. Type /help for the list.")
    name, _, rest = line[1:].partition(" ")
    command = COMMANDS.get(name.lower())
    if command is None:
        raise QueryError(
            f"Unknown command `/{name}`. Commands: " + ", ".join(f"/{n}" for n in COMMANDS) + "."
        )
    options: dict[str, str] = {}
    key_re = (
        re.compile(r"(?:^|\s)(" + "|".join(map(re.escape, command.options)) + r"):", re.IGNORECASE)
        if command.options
        else None
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


async def run_line(facts: Facts, line: str) -> Any:
    """Parse and answer one slash-command line."""
    command, options = parse_line(line)
    return await command.run(facts, options)
