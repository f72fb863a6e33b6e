"""Extraction against hand-made gold: the bundled articles, the written set and the shared dev set.

The scorer is the dev set's own (`../shared/devset/score.py`): it builds one store of every set's articles
through the JSON command line, scores each set and fails below the bar in each set's `thresholds.json`.
Without the shared folder beside the checkout the test is skipped, saying so.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED_DEVSET = ROOT.parent / "shared" / "devset"
SETS = [ROOT / "tests" / "gold" / name for name in ("seeds", "written", "varied", "fresh")]


@pytest.mark.skipif(
    not (SHARED_DEVSET / "score.py").exists(), reason="../shared/devset is not beside the checkout"
)
def test_every_gold_set_holds_its_bar(tmp_path: Path) -> None:
    metrics = tmp_path / "metrics.json"
    result = subprocess.run(
        [
            sys.executable,
            str(SHARED_DEVSET / "score.py"),
            f"{sys.executable} -m bot.cli",
            str(ROOT),
            *map(str, SETS),
            str(SHARED_DEVSET),
            "--report",
            str(tmp_path / "misses.txt"),
            "--json",
            str(metrics),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = (
        (tmp_path / "misses.txt").read_text(encoding="utf-8") if (tmp_path / "misses.txt").exists() else ""
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:] + "\n" + report[-4000:]
    scores = json.loads(metrics.read_text(encoding="utf-8"))
    assert set(scores) == {"seeds", "written", "varied", "fresh", "devset"}
    for name, figures in scores.items():
        assert figures["verbatim"] == 1.0, name
        assert figures["n"]["quotes_gold"] > 0, name
