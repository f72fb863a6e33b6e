"""`python -m bench`: measure factbot on generated corpora and write the report.

This module stays light to import: the measuring code is imported when a run starts, so `--help` and bad
arguments answer at once.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"
DEFAULT_SIZES = "1000,10000"
DEFAULT_INTERACTIONS = "500,1000"


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments: one line on stderr and exit 2, never a usage dump or a traceback."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def positive_int(value: str) -> int:
    """An option value that must be a whole number of at least 1."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _sizes(value: str) -> list[int]:
    try:
        sizes = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {value!r}") from None
    if not sizes or any(n < 1 or n > 1_000_000 for n in sizes):
        raise argparse.ArgumentTypeError(f"article counts must be between 1 and 1,000,000: {value!r}")
    return sizes


def _counts(value: str) -> list[int]:
    try:
        counts = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {value!r}") from None
    if not counts or any(n < 1 or n > 100_000 for n in counts):
        raise argparse.ArgumentTypeError(f"interaction counts must be between 1 and 100,000: {value!r}")
    return sorted(set(counts))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The benchmark's options."""
    parser.add_argument(
        "--articles",
        type=_sizes,
        default=_sizes(DEFAULT_SIZES),
        metavar="N[,N...]",
        help=f"corpus sizes to measure (default: {DEFAULT_SIZES})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="Markdown report; the JSON goes beside it (default: docs/)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the article generator (default: 1)")
    parser.add_argument("--skip-peer", action="store_true", help="do not compare with tantivy")
    parser.add_argument("--skip-load", action="store_true", help="skip the load and start-up sections")
    parser.add_argument(
        "--small",
        type=positive_int,
        default=50,
        metavar="N",
        help="the small corpus that recall at scale is compared with (default: 50)",
    )
    parser.add_argument(
        "--subscriptions",
        type=int,
        default=1000,
        metavar="N",
        help="daily subscriptions due at the same minute in the shards section (default: 1000; 0 skips them)",
    )
    parser.add_argument(
        "--interactions",
        type=_counts,
        default=_counts(DEFAULT_INTERACTIONS),
        metavar="N[,N...]",
        help=f"interactions fired at once in the load section, one burst per size (default: {DEFAULT_INTERACTIONS})",
    )
    parser.add_argument(
        "--load-baseline",
        default=None,
        metavar="REV",
        help="also fire every burst at the bot as it was at this git revision, interleaved (before/after)",
    )
    parser.add_argument(
        "--load-profile",
        action="store_true",
        help="one more burst per revision under py-spy, sorted into where the time goes (needs py-spy)",
    )
    parser.add_argument(
        "--work", type=Path, default=None, metavar="DIR", help="where corpora and stores are written (kept)"
    )
    parser.add_argument(
        "--adversarial-kb",
        type=int,
        default=1024,
        metavar="KB",
        help="size of each adversarial article, beside a normal one of the same size (default: 1024; 0 skips)",
    )
    parser.add_argument(
        "--checks",
        type=int,
        default=200,
        metavar="N",
        help="quote checks per verdict at each size (default: 200; 0 skips)",
    )


def run_from_args(args: argparse.Namespace) -> int:
    """Run the benchmark for parsed arguments; print the targets; 0 when it ran."""
    from rich.console import Console
    from rich.table import Table

    from bench.common import Options
    from bench.run import run

    options = Options(
        sizes=list(args.articles),
        out=Path(args.out),
        seed=args.seed,
        skip_peer=args.skip_peer,
        skip_load=args.skip_load,
        work=args.work,
        small=args.small,
        load_interactions=list(args.interactions),
        load_baseline=args.load_baseline,
        load_profile=args.load_profile,
        daily_subscriptions=args.subscriptions,
        keep=args.work is not None,
        adversarial_kb=args.adversarial_kb,
        checks_per_class=args.checks,
    )
    report = run(options)
    table = Table(title=f"python -m bench — written to {options.out}")
    for column in ("target", "goal", "measured", "verdict", "margin"):
        table.add_column(column)
    for t in report.get("targets", []):
        verdict = (
            "skipped" if t["met"] is None else "[green]met[/green]" if t["met"] else "[red]not met[/red]"
        )
        table.add_row(t["target"], t["goal"], t["measured"], verdict, t["margin"])
    Console().print(table)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m bench`."""
    parser = OneLineParser(prog="python -m bench", description=__doc__.splitlines()[0] if __doc__ else None)
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr
    )
    return run_from_args(args)


if __name__ == "__main__":
    raise SystemExit(main())
