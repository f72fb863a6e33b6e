"""``python -m fakediscord --port N``: run the fake standalone and print its URLs."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from fakediscord.server import FakeDiscord


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fakediscord", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind (default: a free one)")
    parser.add_argument("--guild-id", type=int, default=None)
    parser.add_argument("--channel-id", type=int, action="append", dest="channel_ids", default=None)
    parser.add_argument("--app-id", type=int, default=None)
    parser.add_argument("--bot-user-id", type=int, default=None)
    parser.add_argument("--token", default=None, help="accept only this bot token (default: any)")
    parser.add_argument(
        "--spec", default=None, help="path to openapi.json (default: $FAKEDISCORD_SPEC or shared/)"
    )
    parser.add_argument(
        "--gateway-compression", action="store_true", help="send zlib-stream frames when asked"
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    fake = FakeDiscord(
        host=args.host,
        port=args.port,
        guild_id=args.guild_id,
        channel_ids=args.channel_ids,
        app_id=args.app_id,
        bot_user_id=args.bot_user_id,
        token=args.token,
        spec_path=args.spec,
        gateway_compression=args.gateway_compression,
    )
    async with fake:
        print(f"DISCORD_API_BASE_URL={fake.api_base_url}")
        print(f"DISCORD_GATEWAY_URL={fake.gateway_url}")
        channels = ",".join(map(str, fake.channel_ids))
        print(f"guild_id={fake.guild_id} channel_ids={channels} app_id={fake.app_id}")
        if fake.spec_skipped_reason:
            print(f"spec validation skipped: {fake.spec_skipped_reason}")
        print("Ctrl+C to stop.", flush=True)
        stop = asyncio.Event()
        with contextlib.suppress(NotImplementedError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``python -m fakediscord``."""
    args = _parse(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
