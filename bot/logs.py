"""The process's log output: one handler, secrets redacted, control characters shown as escapes.

The bot token is never logged (discord.py keeps it out of its messages). Interaction tokens are not: each
lets anyone answer or edit the bot's reply for 15 minutes, and discord.py logs them at DEBUG in the URLs it
calls (`/interactions/<id>/<token>/callback`, `/webhooks/<app>/<token>`) and in the gateway events it
receives (`'token': '...'`). Article text and user input reach log lines too, so everything written is
passed through `printable`, as everything the command line prints is.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
from typing import TextIO

from bot.render.text import printable

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[redacted]"
_SECRETS = (
    re.compile(r"(/interactions/\d+/)[^/\s'\"]+"),
    re.compile(r"(/webhooks/\d+/)[^/\s?'\"]+"),
    re.compile(r"""(['"]token['"]\s*:\s*['"])[^'"]+"""),
)


def redact(text: str) -> str:
    """`text` with every interaction or bot token replaced by [redacted]."""
    for pattern in _SECRETS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


class OperatorFormatter(logging.Formatter):
    """The usual format, then secrets redacted and control characters escaped (tracebacks included)."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(redact(super().format(record)))


class _OurHandler(logging.StreamHandler):
    """Marks the handler `configure` installed, so configuring again adds no second one."""


def configure(level: str, stream: TextIO | None = None) -> logging.Handler:
    """Log at `level` to `stream` (stderr by default) through OperatorFormatter; returns the handler."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:
        if isinstance(handler, _OurHandler):
            # Not setStream: it flushes the old stream, which may be closed (stderr is replaced in tests).
            with handler.lock or contextlib.nullcontext():
                handler.stream = stream if stream is not None else sys.stderr
            return handler
    handler = _OurHandler(stream)
    handler.setFormatter(OperatorFormatter(FORMAT))
    root.addHandler(handler)
    return handler
