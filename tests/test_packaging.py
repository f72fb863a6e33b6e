"""The project installs as a wheel, as a Docker image would install it, and works outside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MAPPED = {"factbot_data": "data", "factbot_seeds": "seeds"}
# Building the wheel fetches setuptools (once: pip caches it) and installing it fetches the locked
# dependencies; generous, for a cold cache on a loaded machine.
INSTALL_DEADLINE = 540


def _code_packages() -> set[str]:
    """Every folder of Python code in the product's top-level packages, as a package name."""
    found = set()
    for top in ("bot", "commands", "fakediscord", "bench"):
        for init in (ROOT / top).rglob("*.py"):
            found.add(".".join(init.parent.relative_to(ROOT).parts))
    return {name for name in found if "__pycache__" not in name}


def test_every_package_is_listed_for_the_wheel() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert listed == _code_packages() | set(MAPPED)
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == MAPPED


def test_build_requirements_support_the_license_expression() -> None:
    # `license = "MIT"` (an SPDX expression) is understood from setuptools 77 on.
    assert PYPROJECT["project"]["license"] == "MIT"
    assert "setuptools>=77" in PYPROJECT["build-system"]["requires"]


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that points at the checkout or configures the bot."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FACTBOT_", "DISCORD_", "PYTHON", "VIRTUAL_ENV"))
    }
    return env | {"PYTHONDONTWRITEBYTECODE": "1"} | extra


def _run(args: list[str | Path], cwd: Path, timeout: float = INSTALL_DEADLINE) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, (
        f"{args[:3]} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout + done.stderr


def _not_sources(folder: str, names: list[str]) -> set[str]:
    """What a copy of the sources leaves out: version control, environments, caches, built files."""
    left_out = shutil.ignore_patterns(
        ".git", ".venv", "*.egg-info", "__pycache__", ".*_cache", "*.db", "*.db-*"
    )
    skipped = set(left_out(folder, names))
    if Path(folder) == ROOT:  # the build's own output folders; bot/build is code
        skipped |= {"build", "dist"} & set(names)
    return skipped


@pytest.mark.timeout(INSTALL_DEADLINE * 2)
def test_wheel_installs_and_answers_outside_the_checkout(tmp_path: Path) -> None:
    # A copy of the sources, so that the build's own folders (build/, *.egg-info) never go stale in the
    # checkout and the wheel holds what is tracked, nothing left over from an earlier build.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=_not_sources)
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, source], tmp_path)
    (wheel,) = dist.glob("factbot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"factbot_data/gazetteer.toml", "factbot_data/people.toml", "factbot_seeds/articles.toml"} <= names
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        assert zipfile.ZipFile(wheel).read(f"factbot_seeds/{seed.name}") == seed.read_bytes()

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], tmp_path)
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "-q", "-c", ROOT / "requirements.txt", wheel], tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    factbot = venv / "bin" / "factbot"
    answer = _run([factbot, "ask", "/island Etorofu"], elsewhere, timeout=120)
    assert "Iturup" in answer
    built = _run([factbot, "build"], elsewhere, timeout=120)
    assert "up to date — 5 articles" in built  # `ask` built it, from the bundled articles
    # The store is written where the bot runs, not into the installed package.
    assert (elsewhere / "data" / "facts.db").is_file()
    assert not list((venv / "lib").rglob("facts.db"))
