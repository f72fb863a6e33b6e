"""What discord.py must be told that it has no setting for, in one place, applied once by `run()`.

discord.py (2.7) has no setting for the REST base or the gateway URL, both needed to reach Discord through
a REST/gateway proxy and for the end-to-end tests against the local fake in ``fakediscord``:

* REST: every ``discord.http.Route`` builds its URL from the class attribute ``Route.BASE`` when it is
  created (the webhook/interaction adapter uses the same ``Route``), so setting ``Route.BASE`` moves all
  REST traffic. discord.py sets this attribute itself (for the API version): it is the nearest thing to a
  setting the library has.
* Gateway: ``discord.Client.connect`` opens ``DiscordWebSocket.DEFAULT_GATEWAY`` (it does not ask
  ``GET /gateway/bot``), and falls back to it after an invalidated session; again a class attribute.
  RESUMEs, however, go to the ``resume_gateway_url`` that READY carries, which real Discord points at its
  own hosts; so the ``gateway`` attribute of every websocket is pinned to the configured URL while an
  override is active. This is the one real patch of the three: nothing else reaches that URL.

And one patch of behaviour, `yield_between_gateway_messages`: see there.

(``AutoShardedClient`` asks ``GET /gateway/bot`` for its gateway; the bot is not sharded, so that is left
alone: a proxy answering that route names its own gateway anyway.)

`patched()` applies everything for the duration of a block and leaves discord.py as it found it; `apply()`
does the same by hand, returning the undo. `bot.discord.client.run` wraps the bot's whole life in them,
and the tests and the benchmark start the bot the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from typing import NamedTuple, cast

import yarl
from discord import http as discord_http
from discord.gateway import DiscordWebSocket


class DiscordURLs(NamedTuple):
    """The REST base and gateway URL discord.py uses."""

    api_base_url: str
    gateway_url: str


DEFAULT_URLS = DiscordURLs(str(discord_http.Route.BASE), str(DiscordWebSocket.DEFAULT_GATEWAY))
_pinned_gateway: yarl.URL | None = None


def apply(api_base_url: str, gateway_url: str) -> Callable[[], None]:
    """Every patch the bot needs, applied now; returns the function that undoes them.

    ValueError, with nothing changed, when a URL is not one discord.py can use.
    """
    previous = apply_discord_urls(api_base_url, gateway_url)
    poll_event = DiscordWebSocket.poll_event
    added_yield = yield_between_gateway_messages()

    def undo() -> None:
        restore_discord_urls(previous)
        if added_yield:
            DiscordWebSocket.poll_event = poll_event  # type: ignore[method-assign]

    return undo


@contextlib.contextmanager
def patched(api_base_url: str, gateway_url: str) -> Iterator[None]:
    """Every patch the bot needs, for the duration of the block (see `apply`)."""
    undo = apply(api_base_url, gateway_url)
    try:
        yield
    finally:
        undo()


# ---- the REST base and gateway URLs --------------------------------------------------------------------


def _gateway_get(ws: DiscordWebSocket) -> yarl.URL:
    return cast(yarl.URL, ws.__dict__["gateway"])


def _gateway_set(ws: DiscordWebSocket, value: yarl.URL) -> None:
    # Stored under the plain attribute name so the value survives removing the property.
    ws.__dict__["gateway"] = _pinned_gateway if _pinned_gateway is not None else value


def current_discord_urls() -> DiscordURLs:
    """The URLs discord.py currently uses."""
    return DiscordURLs(str(discord_http.Route.BASE), str(DiscordWebSocket.DEFAULT_GATEWAY))


def _validate(api_base_url: str, gateway_url: str) -> tuple[str, yarl.URL]:
    api = yarl.URL(api_base_url)
    gateway = yarl.URL(gateway_url)
    if api.scheme not in ("http", "https") or not api.host:
        raise ValueError(f"api_base_url must be an http(s) URL with a host, got {api_base_url!r}")
    if gateway.scheme not in ("ws", "wss") or not gateway.host:
        raise ValueError(f"gateway_url must be a ws(s) URL with a host, got {gateway_url!r}")
    return str(api).rstrip("/"), gateway


def _install(api: str, gateway: yarl.URL) -> None:
    global _pinned_gateway
    discord_http.Route.BASE = api
    DiscordWebSocket.DEFAULT_GATEWAY = gateway
    _pinned_gateway = gateway
    if not isinstance(DiscordWebSocket.__dict__.get("gateway"), property):
        DiscordWebSocket.gateway = property(_gateway_get, _gateway_set)  # type: ignore[assignment]


def _uninstall() -> None:
    global _pinned_gateway
    discord_http.Route.BASE = DEFAULT_URLS.api_base_url
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(DEFAULT_URLS.gateway_url)
    _pinned_gateway = None
    if isinstance(DiscordWebSocket.__dict__.get("gateway"), property):
        del DiscordWebSocket.gateway


def apply_discord_urls(api_base_url: str, gateway_url: str) -> DiscordURLs:
    """Make discord.py use only these REST and gateway URLs (RESUME included); returns the previous ones.

    Idempotent. Call before ``Client.start``/``login``; undo with ``restore_discord_urls(previous)``.
    """
    previous = current_discord_urls()
    api, gateway = _validate(api_base_url, gateway_url)
    if DiscordURLs(api, str(gateway)) == DEFAULT_URLS:
        _uninstall()
    else:
        _install(api, gateway)
    return previous


def restore_discord_urls(previous: DiscordURLs | None = None) -> None:
    """Go back to ``previous`` (as returned by ``apply_discord_urls``), or to Discord's own URLs."""
    if previous is None or previous == DEFAULT_URLS:
        _uninstall()
    else:
        apply_discord_urls(previous.api_base_url, previous.gateway_url)


# ---- the gateway read loop -----------------------------------------------------------------------------


def yield_between_gateway_messages() -> bool:
    """Let the event loop run other work between gateway messages, not only when the socket is empty.

    discord.py reads gateway messages in a loop that awaits the socket, but a socket with data buffered
    returns at once, so a burst of 500 interactions is parsed in one go (~0.2 s here) while the answers
    already started and every timer wait. One `sleep(0)` per message interleaves the two; the library has
    no hook between messages. Idempotent; True when this call installed it.
    """
    if getattr(DiscordWebSocket.poll_event, "yields", False):
        return False
    poll = DiscordWebSocket.poll_event

    async def poll_event(self: DiscordWebSocket) -> None:
        await poll(self)
        await asyncio.sleep(0)

    poll_event.yields = True  # type: ignore[attr-defined]
    DiscordWebSocket.poll_event = poll_event  # type: ignore[method-assign]
    return True
