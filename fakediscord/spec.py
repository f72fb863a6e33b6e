"""Request-body validation against Discord's pinned OpenAPI 3.1 description."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from fakediscord.errors import REQUIRED, ErrorCollector, max_length, min_length

_log = logging.getLogger(__name__)

SPEC_ENV = "FAKEDISCORD_SPEC"
SPEC_URI = "urn:fakediscord:discord-openapi"
_HTTP_METHODS = ("get", "put", "post", "patch", "delete")
_JSON = "application/json"
_MULTIPART = "multipart/form-data"
_TYPE_CODES = {
    "string": "BASE_TYPE_STRING",
    "integer": "NUMBER_TYPE_COERCE",
    "number": "NUMBER_TYPE_COERCE",
    "boolean": "BASE_TYPE_BOOLEAN",
    "array": "BASE_TYPE_ARRAY",
    "object": "MODEL_TYPE_CONVERT",
    "null": "BASE_TYPE_NULL",
}


def default_spec_path() -> Path:
    """Where the pinned spec lives: ``$FAKEDISCORD_SPEC`` or ``shared/`` beside the repository."""
    override = os.environ.get(SPEC_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1] / ".." / "shared" / "discord-api-spec" / "openapi.json"


@dataclass(frozen=True)
class Operation:
    """One spec operation matched for a request path."""

    method: str
    template: str
    operation_id: str
    params: dict[str, str]
    has_body: bool


class _Template:
    def __init__(self, template: str) -> None:
        self.template = template
        parts = template.strip("/").split("/")
        self.literal_count = sum(1 for p in parts if not p.startswith("{"))
        self.length = len(parts)
        pattern = "/".join(
            f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts
        )
        self.regex = re.compile(f"^/{pattern}/?$")


def _pointer_escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _is_type_mismatch(error: Any) -> bool:
    """Whether a branch error says the instance is simply another variant of a union."""
    rel = list(error.relative_path)
    if not rel and error.validator in ("type", "const", "enum"):
        return True
    return len(rel) == 1 and rel[0] == "type" and error.validator in ("const", "enum")


@dataclass
class _UnionMismatch:
    """Stands in for a jsonschema error when no variant of a union fits the value's kind."""

    absolute_path: tuple[str | int, ...]
    validator: str
    validator_value: Any
    instance: Any
    message: str


def _discriminator_error(error: Any, branches: Iterable[list[Any]]) -> Any:
    """Report a union failure on its ``type`` discriminator, the way Discord names the bad field."""
    allowed: list[Any] = []
    for errs in branches:
        for e in errs:
            if list(e.relative_path) == ["type"] and e.validator in ("enum", "const"):
                values = e.validator_value if e.validator == "enum" else [e.validator_value]
                allowed.extend(v for v in values if v not in allowed)
    if not allowed or not isinstance(error.instance, dict):
        return error
    path = (*error.absolute_path, "type")
    return _UnionMismatch(path, "enum", sorted(allowed), error.instance.get("type"), "")


def _leaf_errors(error: Any) -> list[Any]:
    """Descend into anyOf/oneOf failures, keeping only the variant the instance was meant to be."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches: dict[int, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    candidates = [errs for errs in branches.values() if not any(_is_type_mismatch(e) for e in errs)]
    if not candidates:
        return [_discriminator_error(error, branches.values())]
    expanded = [[leaf for e in errs for leaf in _leaf_errors(e)] for errs in candidates]
    expanded.sort(key=lambda leaves: (len(leaves), -max(len(e.absolute_path) for e in leaves)))
    return expanded[0]


def _describe(error: Any) -> list[tuple[tuple[str | int, ...], str, str]]:
    path = tuple(error.absolute_path)
    v, value = error.validator, error.validator_value
    if v == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        return [((*path, name), *REQUIRED) for name in value if name not in instance]
    if v == "maxLength":
        return [(path, *max_length(value))]
    if v == "minLength":
        return [(path, *min_length(value))]
    if v == "maxItems":
        return [(path, *max_length(value))]
    if v == "minItems":
        return [(path, *min_length(value))]
    if v == "maxProperties":
        return [(path, *max_length(value))]
    if v in ("enum", "const"):
        choices = value if v == "enum" else [value]
        return [(path, "BASE_TYPE_CHOICES", f"Value must be one of {set(choices)}.")]
    if v == "type":
        types = value if isinstance(value, list) else [value]
        main = next((t for t in types if t != "null"), types[0])
        return [
            (path, _TYPE_CODES.get(main, "BASE_TYPE_INVALID"), f"Value {error.instance!r} is not {main}.")
        ]
    if v in ("minimum", "exclusiveMinimum"):
        return [(path, "NUMBER_TYPE_MIN", f"int value should be greater than or equal to {value}.")]
    if v in ("maximum", "exclusiveMaximum"):
        return [(path, "NUMBER_TYPE_MAX", f"int value should be less than or equal to {value}.")]
    if v == "pattern":
        return [(path, "STRING_TYPE_REGEX", "String value did not match validation regex.")]
    if v == "uniqueItems":
        return [(path, "BASE_TYPE_UNIQUE", "Values must be unique.")]
    return [(path, "BASE_TYPE_INVALID", error.message[:200])]


class SpecValidator:
    """Matches request paths to spec operations and validates bodies with cached validators."""

    def __init__(self, document: dict[str, Any], source: str = "") -> None:
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        self.document = document
        self.source = source
        self._validator_cls = Draft202012Validator
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self._registry = Registry().with_resource(SPEC_URI, resource)
        self._templates = sorted(
            (_Template(t) for t in document.get("paths", {})),
            key=lambda t: (-t.literal_count, -t.length),
        )
        self._validators: dict[tuple[str, str, str], Any] = {}

    @classmethod
    def load(cls, path: Path) -> SpecValidator:
        """Load and index the spec file at ``path`` (shared between instances per file)."""
        return _load_cached(str(path.resolve()), path.stat().st_mtime_ns)

    def match(self, method: str, path: str) -> Operation | None:
        """The spec operation for ``method`` on a concrete API path (no ``/api/v10`` prefix)."""
        method = method.lower()
        for tpl in self._templates:
            m = tpl.regex.match(path)
            if not m:
                continue
            op = self.document["paths"][tpl.template].get(method)
            if op is None:
                continue
            return Operation(
                method=method.upper(),
                template=tpl.template,
                operation_id=op.get("operationId", ""),
                params=m.groupdict(),
                has_body="requestBody" in op,
            )
        return None

    def _validator(self, op: Operation, content_type: str) -> Any | None:
        key = (op.method, op.template, content_type)
        if key in self._validators:
            return self._validators[key]
        content = (
            self.document["paths"][op.template][op.method.lower()].get("requestBody", {}).get("content", {})
        )
        chosen = content_type if content_type in content else (_JSON if _JSON in content else None)
        validator = None
        if chosen is not None:
            pointer = "/".join(
                _pointer_escape(p)
                for p in ("paths", op.template, op.method.lower(), "requestBody", "content", chosen, "schema")
            )
            schema = {"$ref": f"{SPEC_URI}#/{pointer}"}
            validator = self._validator_cls(schema, registry=self._registry)
        self._validators[key] = validator
        return validator

    def validate(self, op: Operation, body: Any, content_type: str = _JSON) -> dict[str, Any]:
        """Nested Discord ``errors`` for ``body`` against the operation's requestBody schema."""
        validator = self._validator(op, content_type)
        if validator is None:
            return {}
        errors = ErrorCollector()
        for error in _sorted(validator.iter_errors(body)):
            for leaf in _leaf_errors(error):
                for path, code, message in _describe(leaf):
                    errors.add(path, code, message)
        return errors.nested()


def _sorted(errors: Iterable[Any]) -> list[Any]:
    return sorted(errors, key=lambda e: [str(p) for p in e.absolute_path])


@lru_cache(maxsize=4)
def _load_cached(path: str, _mtime: int) -> SpecValidator:
    with open(path, encoding="utf-8") as fh:
        document = json.load(fh)
    _relax_for_real_discord(document)
    return SpecValidator(document, source=path)


def _relax_for_real_discord(document: dict[str, Any]) -> None:
    """Loosen the spec where it is stricter than Discord, so correct clients are not rejected."""
    schemas = document.get("components", {}).get("schemas", {})
    snowflake = schemas.get("SnowflakeType")
    if isinstance(snowflake, dict) and snowflake.get("type") == "string":
        # Discord coerces integer snowflakes, and discord.py sends new attachments' ids as the
        # integer index of their ``files[n]`` part.
        snowflake["type"] = ["string", "integer"]
        snowflake["minimum"] = 0


def load_spec(path: Path | None = None) -> tuple[SpecValidator | None, str | None]:
    """Load the spec; on failure return ``(None, reason)`` so callers can run without it."""
    path = path or default_spec_path()
    try:
        import jsonschema  # noqa: F401
        import referencing  # noqa: F401
    except ImportError as exc:
        return None, f"jsonschema/referencing not installed ({exc}); spec validation skipped"
    if not path.is_file():
        return None, f"Discord OpenAPI spec not found at {path}; spec validation skipped (set {SPEC_ENV})"
    try:
        return SpecValidator.load(path), None
    except (OSError, ValueError) as exc:
        return None, f"Discord OpenAPI spec at {path} could not be loaded ({exc}); spec validation skipped"


__all__ = ["SPEC_ENV", "Operation", "SpecValidator", "default_spec_path", "load_spec"]
