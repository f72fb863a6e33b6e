"""What the fake has seen and been told: recorded requests and files, the interactions it dispatched, and
the faults it was asked to inject."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

API_PREFIX = re.compile(r"^/api(?:/v(?P<version>\d+))?(?P<path>/.*)?$")


@dataclass
class RecordedFile:
    """A file part of a multipart request."""

    field: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One HTTP request the fake received, with what it answered."""

    method: str
    path: str
    template: str | None
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[RecordedFile]
    headers: dict[str, str]
    at: float
    status: int = 0
    response: Any = None


@dataclass
class InteractionState:
    """What the fake knows about an interaction it dispatched."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        """Whether an initial response was accepted."""
        return bool(self.callbacks)


@dataclass
class Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: dict[str, Any]
    times: int | None
    headers: dict[str, str] = field(default_factory=dict)
    channel_id: int | None = None

    def matches(self, method: str, path: str, params: Mapping[str, str]) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.channel_id is not None:
            return params.get("channel_id") == str(self.channel_id)
        return self.method in ("*", method) and bool(self.pattern.match(path))


def compile_path_pattern(pattern: str) -> re.Pattern[str]:
    """Compile ``/channels/{id}/messages``-style patterns: ``{x}``/``*`` is one segment, ``**`` any rest."""
    m = API_PREFIX.match(pattern)
    if m and m.group("path"):
        pattern = m.group("path")
    parts = []
    for seg in pattern.strip("/").split("/"):
        if seg == "**":
            parts.append(".*")
        elif seg == "*" or (seg.startswith("{") and seg.endswith("}")):
            parts.append("[^/]+")
        else:
            parts.append(re.escape(seg))
    return re.compile("^/" + "/".join(parts) + "/?$")
