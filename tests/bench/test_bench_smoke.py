"""The benchmark end to end on a small corpus: every section reported, the corpus reproducible.

No time is asserted: CI machines differ. What must hold anywhere is that the pipeline runs, the report
has every section, the same seed writes the same bytes, and the extractor finds most of what was planted.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from bench.__main__ import main
from bench.adversarial import PATTERNS
from bench.generate import Truth, generate
from bench.peer import unavailable_reason

ARTICLES = 60
SMALL = 20
INTERACTIONS = 40
CHECKS = 10  # claims per verdict: enough to see each verdict work, not to measure it
CHECK_FLOOR = 80.0  # per-verdict accuracy the smoke run must reach (the benchmark reports 97+ at scale)

# Floors for the small corpus, well under what the extractor reaches on it (quotes with the right speaker
# ~93 %, dates ~99 %, island names 100 %) so that only a real regression trips them: a quote style or a
# date form that stops being recognised costs several points.
QUOTE_FLOOR = 85.0
DATE_FLOOR = 95.0
ISLAND_FLOOR = 98.0


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_writes_the_same_corpus_and_truth(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 12, seed=5)
    second = generate(tmp_path / "b", 12, seed=5)
    other = generate(tmp_path / "c", 12, seed=6)
    assert other.to_json() != first.to_json()
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert first.to_json() == second.to_json()
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")
    # A smaller corpus is the start of a bigger one, so recall at scale compares like with like.
    generate(tmp_path / "d", 5, seed=5)
    small = _digest(tmp_path / "d")
    assert {k: v for k, v in _digest(tmp_path / "a").items() if k in small and k.endswith(".txt")} == {
        k: v for k, v in small.items() if k.endswith(".txt")
    }


def test_planted_offsets_point_at_the_planted_text(tmp_path: Path) -> None:
    truth = generate(tmp_path, 8, seed=3)
    texts = {a.article_id: (tmp_path / a.file).read_text(encoding="utf-8") for a in truth.articles}
    assert truth.quotes and truth.dates and truth.islands and truth.traps and truth.furniture
    for d in truth.dates:
        assert texts[d.article][d.start : d.end] == d.surface
    for i in truth.islands:
        assert texts[i.article][i.start : i.end] == i.alias
    for q in truth.quotes:
        words = q.text.split()
        assert words[0] in texts[q.article][q.start : q.end]
    assert Truth.from_json(truth.to_json()) == truth


def test_bench_runs_every_section_into_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report" / "benchmarks.md"
    argv = ["--articles", str(ARTICLES), "--small", str(SMALL), "--out", str(out)]
    argv += ["--interactions", str(INTERACTIONS), "--adversarial-kb", "8", "--checks", str(CHECKS)]
    argv += ["--subscriptions", "0"]
    if unavailable_reason():
        argv.append("--skip-peer")
    assert main(argv) == 0

    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    md = out.read_text(encoding="utf-8")
    for heading in (
        "## Targets",
        "## 1. Generated corpus",
        "## 2. Build",
        "### Accuracy against the planted truth",
        "### Adversarial articles",
        "### Quote checks",
        "## 3. Queries",
        "## 4. Peer: tantivy",
        "## 5. Load and start-up",
        "## 6. Shards",
    ):
        assert heading in md
    assert set(report) >= {"header", "sizes", "targets", "load", "adversarial"}
    adversarial = report["adversarial"]["articles"]
    assert set(adversarial) == {"normal article", *PATTERNS}
    assert all(a["chars"] >= 8 * 1024 for a in adversarial.values())
    assert adversarial["normal article"]["quotes"] > 0  # the normal article is real text, not empty
    assert report["header"]["cores"] >= 1 and report["header"]["python"]
    entry = report["sizes"][str(ARTICLES)]
    assert set(entry) >= {"generator", "build", "accuracy", "queries"}
    assert entry["build"]["articles"] == ARTICLES
    for name in ("timeline (years)", "quotes (text)", "island", "daily snippet", "complete_topics"):
        assert entry["queries"]["latency_ms"][name]["n"] > 0
    assert entry["queries"]["hits"]["queries"] > 0
    assert "skipped" in entry["queries"]["peer"] or entry["queries"]["peer"]["quotes_indexed"] > 0
    burst = report["load"]["burst"]
    assert burst["interactions"] == INTERACTIONS
    assert burst["answered"] == INTERACTIONS and burst["error_replies"] == 0
    assert burst["loop_lag_ms"]["n"] > 0 and burst["rss_mb"]["idle"] > 0
    # Every burst size on the bundled store and the biggest one, with and without a second busy process.
    bursts = report["load"]["bursts"]
    assert {(b["store"], b["busy"]) for b in bursts} == {
        (store, busy) for store in ("bundled", f"{ARTICLES} articles") for busy in (False, True)
    }
    assert all(b["answered"] == INTERACTIONS and b["code"] == "this revision" for b in bursts)
    assert "Before and after" not in md and report["load"]["profiles"] == []  # neither was asked for
    assert [s["case"] for s in report["load"]["startup"]] == [
        "seeds, store built at start-up",
        "seeds, store already built",
        f"{ARTICLES} articles, store already built",
    ]
    assert all(s["seconds_to_ready"] > 0 for s in report["load"]["startup"])
    shards = report["shards"]
    if "skipped" not in shards:  # skipped only where no PostgreSQL server can be started
        assert shards["answered"] == INTERACTIONS and shards["answered_twice"] == 0
        assert shards["identified"] == [0, 1, 2, 3] and shards["commands_synced"] == 1
    assert {t["target"] for t in report["targets"]} >= {
        "build",
        "answer p99",
        "autocomplete p99",
        "quote checks, worst verdict",
        "quote check p99",
    }
    checked = entry["checks"]
    assert (
        checked["per_class"] == dict.fromkeys(checked["per_class"], CHECKS) and len(checked["per_class"]) == 5
    )
    assert all(pct >= CHECK_FLOOR for pct in checked["accuracy"].values())

    accuracy = entry["accuracy"]
    assert accuracy["quotes"]["recall_right_speaker"] >= QUOTE_FLOOR
    assert accuracy["dates"]["right"] >= DATE_FLOOR
    assert accuracy["islands"]["recall"] >= ISLAND_FLOOR
    assert accuracy["furniture_leaks"] == 0
    assert accuracy["dates"]["false_from_traps"] == 0
