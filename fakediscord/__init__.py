"""A local fake of Discord's REST API and gateway for end-to-end tests of discord.py bots."""

from fakediscord.errors import error_body, flatten_errors
from fakediscord.gateway import GatewayFrame
from fakediscord.limits import (
    check_autocomplete_limits,
    check_command_limits,
    check_interaction_callback_limits,
    check_message_limits,
    check_request_limits,
    embed_length,
    is_valid_command_name,
)
from fakediscord.server import FakeDiscord, InteractionState, RecordedFile, RecordedRequest
from fakediscord.spec import SPEC_ENV, default_spec_path

__all__ = [
    "SPEC_ENV",
    "FakeDiscord",
    "GatewayFrame",
    "InteractionState",
    "RecordedFile",
    "RecordedRequest",
    "check_autocomplete_limits",
    "check_command_limits",
    "check_interaction_callback_limits",
    "check_message_limits",
    "check_request_limits",
    "default_spec_path",
    "embed_length",
    "error_body",
    "flatten_errors",
    "is_valid_command_name",
]
