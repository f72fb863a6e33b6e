"""The deployment files say what the tests run: the install, the shards, the command."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from bot.cli import build_parser
from bot.config import check_shards

ROOT = Path(__file__).resolve().parent.parent


def test_the_dockerfile_installs_as_the_packaging_test_does_and_builds_the_store_once() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    packaging = (ROOT / "tests" / "test_packaging.py").read_text()
    # The same pip commands, flag for flag, as the test that installs the wheel outside the checkout.
    assert '"pip", "wheel", "-q", "--no-deps", "-w"' in packaging
    assert "python -m pip wheel -q --no-deps -w /dist ." in dockerfile
    assert '"pip", "install", "-q", "-c", ROOT / "requirements.txt", wheel' in packaging
    assert (
        "python -m pip install -q --no-cache-dir -c /tmp/requirements.txt /dist/factbot-*.whl" in dockerfile
    )
    assert "RUN factbot build" in dockerfile
    assert 'CMD ["factbot", "run"]' in dockerfile


def _commands(compose: str) -> list[list[str]]:
    return [json.loads(m.group(1)) for m in re.finditer(r"command: (\[.*\])", compose)]


def test_the_compose_processes_cover_every_shard_once_with_valid_commands() -> None:
    compose = (ROOT / "deploy" / "compose.yaml").read_text()
    commands = _commands(compose)
    assert len(commands) == 2  # two bot processes
    covered: list[int] = []
    for argv in commands:
        assert argv[:2] == ["factbot", "run"]
        args = build_parser().parse_args(argv[1:])
        check_shards(args.shard_count, args.shard_ids)
        assert args.shard_count == 4 and len(args.shard_ids) == 2
        covered += args.shard_ids
    assert sorted(covered) == [0, 1, 2, 3]
    assert "FACTBOT_STATE_URL: postgresql://" in compose


def test_the_systemd_template_runs_the_shards_its_instance_names() -> None:
    unit = (ROOT / "deploy" / "factbot@.service").read_text()
    (exec_start,) = re.findall(r"^ExecStart=(.*)$", unit, flags=re.MULTILINE)
    argv = shlex.split(exec_start.replace("%i", "0,1"))
    assert Path(argv[0]).name == "factbot"
    args = build_parser().parse_args(argv[1:])
    assert (args.command, args.shard_ids) == ("run", [0, 1])
    assert "KillSignal=SIGINT" in unit
