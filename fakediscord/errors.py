"""Discord-style error bodies: the nested ``errors`` tree of a 50035 "Invalid Form Body" answer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

ErrorPath = tuple[str | int, ...]

INVALID_FORM_BODY = 50035


def max_length(limit: int) -> tuple[str, str]:
    """Discord's code and message for a string or list longer than ``limit``."""
    return "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."


def min_length(limit: int) -> tuple[str, str]:
    """Discord's code and message for a string or list shorter than ``limit``."""
    return "BASE_TYPE_MIN_LENGTH", f"Must be {limit} or more in length."


def bad_length(low: int, high: int) -> tuple[str, str]:
    """Discord's code and message for a length outside ``low..high``."""
    return "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length."


REQUIRED = ("BASE_TYPE_REQUIRED", "This field is required")


class ErrorCollector:
    """Accumulates errors by path and renders them the way Discord nests them."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, ...], list[dict[str, str]]] = {}

    def add(self, path: Iterable[str | int], code: str, message: str) -> None:
        """Record one error at ``path`` (duplicates with the same code are dropped)."""
        key = tuple(str(p) for p in path)
        bucket = self._items.setdefault(key, [])
        if not any(e["code"] == code for e in bucket):
            bucket.append({"code": code, "message": message})

    def add_pair(self, path: Iterable[str | int], pair: tuple[str, str]) -> None:
        """Record an error given as a ``(code, message)`` pair."""
        self.add(path, pair[0], pair[1])

    def merge(self, nested: Mapping[str, Any], prefix: Iterable[str | int] = ()) -> None:
        """Add every error of an already nested ``errors`` tree under ``prefix``."""
        base = tuple(str(p) for p in prefix)
        for path, errors in iter_errors(nested):
            for err in errors:
                self.add(base + path, err["code"], err["message"])

    def __bool__(self) -> bool:
        return bool(self._items)

    def nested(self) -> dict[str, Any]:
        """The ``errors`` object exactly as Discord sends it."""
        root: dict[str, Any] = {}
        for path, errors in self._items.items():
            node = root
            for part in path:
                node = node.setdefault(part, {})
            node.setdefault("_errors", []).extend(errors)
        return root


def iter_errors(
    nested: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], list]]:
    """Yield ``(path, [error, ...])`` for every ``_errors`` list in a nested tree."""
    for key, value in nested.items():
        if key == "_errors":
            yield prefix, list(value)
        elif isinstance(value, Mapping):
            yield from iter_errors(value, (*prefix, key))


def flatten_errors(nested: Mapping[str, Any]) -> dict[str, list[str]]:
    """Map dotted paths (``"embeds.0.title"``, ``""`` for the root) to their error codes."""
    return {".".join(path): [e["code"] for e in errors] for path, errors in iter_errors(nested)}


def error_body(
    errors: Mapping[str, Any], *, code: int = INVALID_FORM_BODY, message: str = "Invalid Form Body"
) -> dict:
    """A complete Discord 400 body around a nested ``errors`` tree."""
    return {"code": code, "errors": dict(errors), "message": message}
