"""Hostile files in the articles folder, and files that change while a build reads them.

Decisions, asserted below:

* only regular files whose real path lies inside an articles folder are read: a link out of the folder
  (to the project's `.env`, to `/etc/passwd`, to a folder) is skipped with one line saying why and nothing
  of what it points to reaches the store; a link to another file of an articles folder is an article;
* a FIFO or a folder named like an article is skipped with one line, and the build does not wait on it;
* a file name that is not valid UTF-8 is skipped with one line; a manifest nested too deeply to parse, or
  linked from outside the folder, is ignored with one line; everything else is built;
* a file too large to be an article is never read, not even to hash it;
* a file deleted or replaced by a folder while the build runs is skipped (or simply no longer there);
  the build finishes.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import cli
from bot.build import build_store, builder, store_key
from bot.discord.embeds import link
from bot.ingest.loader import load_corpus, usable_url
from tests.helpers import SEEDS

SECRET = "-".join(("hostile", "dotenv", "value", "7c1e"))  # assembled: no secret-shaped literal is committed
ENV_FILE = (
    f"DISCORD_TOKEN={SECRET}\n\n"
    "FACTBOT_LOG_LEVEL=INFO\n\n"
    "On 19 October 1956 the operator wrote this line about Shikotan into the settings file.\n"
)
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))


def copy_seeds(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS.iterdir():
        shutil.copy(seed, folder / seed.name)


def run_cli(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """`factbot ARGS` as a user runs it; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("COLUMNS", "1000")  # one report line per line, however long
    for name in ("FACTBOT_DB_PATH", "FACTBOT_ARTICLES", "FACTBOT_STATE_DB_PATH"):
        monkeypatch.delenv(name, raising=False)
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def skip_lines(err: str, name: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(f"skipped {name}:")]


def store_texts(db: Path) -> str:
    """Every text value of the store, joined: what any answer could ever show."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        parts = []
        for table in tables:
            for row in conn.execute(f"SELECT * FROM {table}"):
                parts += [str(v) for v in row if isinstance(v, str)]
    return "\n".join(parts)


# ---- links and special files ---------------------------------------------------------------------------


def test_links_out_of_the_articles_folder_are_skipped_and_never_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    articles = project / "articles"
    copy_seeds(articles)
    (project / ".env").write_text(ENV_FILE, encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "private.txt").write_text(ENV_FILE, encoding="utf-8")
    (outside / "articles.toml").write_text('["000_5636b39ed17f8e80.txt"]\ntitle = "Linked title"\n')
    (articles / "notes.txt").symlink_to("../.env")  # relative, as in the report
    (articles / "private.txt").symlink_to(outside / "private.txt")  # absolute
    (articles / "passwd.txt").symlink_to("/etc/passwd")
    (articles / "folder.txt").symlink_to(outside)
    (articles / "dangling.txt").symlink_to(outside / "missing.txt")
    (articles / "chain.txt").symlink_to("notes.txt")  # a link to a link that leaves the folder
    (articles / "again.txt").symlink_to("000_5636b39ed17f8e80.txt")  # inside: an article like any other
    (articles / "sub.txt").mkdir()
    os.mkfifo(articles / "pipe.txt")  # opening it for reading would wait for a writer forever
    (articles / "articles.toml").unlink()
    (articles / "articles.toml").symlink_to(outside / "articles.toml")
    db = tmp_path / "facts.db"

    code, _, err = run_cli(["build", "--articles", str(articles), "--db", str(db)], capsys, monkeypatch)

    assert code == 0, err
    for name in ("notes.txt", "private.txt", "passwd.txt", "folder.txt", "chain.txt"):
        lines = skip_lines(err, name)
        assert len(lines) == 1 and "outside the articles folder" in lines[0], (name, err)
    assert len(skip_lines(err, "dangling.txt")) == 1
    for name in ("sub.txt", "pipe.txt"):
        lines = skip_lines(err, name)
        assert len(lines) == 1 and "not a regular file" in lines[0], (name, err)
    manifest = [line for line in err.splitlines() if "articles.toml" in line]
    assert len(manifest) == 1 and "outside the articles folder" in manifest[0], err
    assert SECRET not in err
    texts = store_texts(db)
    assert SECRET not in texts and "root:" not in texts and "Linked title" not in texts
    assert "operator wrote this line" not in texts
    # What /about, autocomplete and /source show.
    code, out, _ = run_cli(["about", "--json", "--db", str(db)], capsys, monkeypatch)
    about = json.loads(out)
    assert sorted(a["article"] for a in about["results"][0]["corpus"]) == sorted([*SEED_IDS, "again"])
    code, out, _ = run_cli(["source", "notes", "--json", "--db", str(db)], capsys, monkeypatch)
    assert SECRET not in out and all(r["article"] != "notes" for r in json.loads(out)["results"])


def test_a_link_swapped_to_the_outside_after_the_folder_is_listed_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = tmp_path / "articles"
    copy_seeds(articles)
    (tmp_path / ".env").write_text(ENV_FILE, encoding="utf-8")
    victim = articles / "001_49243b7414c43ba9.txt"
    planned = builder.corpus_plan

    def plan_then_swap(folders: list[Path]) -> object:
        plan = planned(folders)
        victim.unlink()
        victim.symlink_to(tmp_path / ".env")  # the listed file is now a link out of the folder
        return plan

    monkeypatch.setattr(builder, "corpus_plan", plan_then_swap)
    db = tmp_path / "facts.db"
    report = asyncio.run(build_store([articles], db, force=True))
    assert [s.path for s in report.skipped] == [victim.name]
    assert "outside the articles folder" in report.skipped[0].reason
    assert SECRET not in store_texts(db)


# ---- names and manifests that stopped every build ---------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_skipped_and_the_rest_is_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = tmp_path / "articles"
    copy_seeds(articles)
    seed = (SEEDS / "002_380fd8410995192f.txt").read_bytes()
    with open(os.fsencode(articles) + b"/bad\xff\xfename.txt", "wb") as f:
        f.write(seed)
    (articles / "escape\x1b[2Jname.txt").write_bytes(seed)  # valid UTF-8, but not a printable name
    db = tmp_path / "facts.db"

    code, _, err = run_cli(["build", "--articles", str(articles), "--db", str(db)], capsys, monkeypatch)

    assert code == 0, err
    lines = [line for line in err.splitlines() if line.startswith("skipped ")]
    assert len(lines) == 2, err
    assert any(r"bad\xff\xfename.txt" in line and "not valid UTF-8" in line for line in lines)
    assert any("control characters" in line for line in lines)
    assert "\x1b" not in err
    assert err.splitlines()[-1].startswith(f"{db}: built") and "5 articles" in err.splitlines()[-1]


def test_a_manifest_nested_too_deeply_is_ignored_with_one_line_and_the_rest_is_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = tmp_path / "articles"
    copy_seeds(articles)
    (articles / "articles.toml").write_text("a = " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    db = tmp_path / "facts.db"

    code, _, err = run_cli(["build", "--articles", str(articles), "--db", str(db)], capsys, monkeypatch)

    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning ")]
    assert len(warnings) == 1 and "articles.toml" in warnings[0] and "unreadable manifest" in warnings[0]
    assert "5 articles" in err.splitlines()[-1]


# ---- size before reading ----------------------------------------------------------------------------------


def test_a_huge_sparse_file_is_never_read_into_memory(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    copy_seeds(articles)
    with (articles / "huge.txt").open("wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: no disk used
    store_key([articles])  # imports and caches out of the measurement
    tracemalloc.start()
    try:
        store_key([articles])
        report = asyncio.run(build_store([articles], tmp_path / "facts.db"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(s.path, s.reason) for s in report.skipped] == [
        ("huge.txt", "too large for an article (200 MB > 5 MB)")
    ]
    assert peak < 40 * 1024 * 1024, f"the build held {peak // 2**20} MB at once"


# ---- files that change during the build -------------------------------------------------------------------


def _after(monkeypatch: pytest.MonkeyPatch, name: str, change: Callable[[], None]) -> None:
    """Run `change` right after `bot.build.builder.<name>` has listed the articles."""
    original = getattr(builder, name)

    def listed_then_changed(*args: object, **kwargs: object) -> object:
        result = original(*args, **kwargs)
        change()
        return result

    monkeypatch.setattr(builder, name, listed_then_changed)


def _delete_and_replace(articles: Path) -> Callable[[], None]:
    def change() -> None:
        (articles / "000_5636b39ed17f8e80.txt").unlink()
        replaced = articles / "001_49243b7414c43ba9.txt"
        replaced.unlink()
        replaced.mkdir()
        (articles / "articles.toml").unlink()

    return change


@pytest.mark.parametrize("moment", ["sources_hash", "corpus_plan"])
def test_files_deleted_or_replaced_during_the_build_are_skipped_and_it_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    articles = tmp_path / "articles"
    copy_seeds(articles)
    _after(monkeypatch, moment, _delete_and_replace(articles))
    db = tmp_path / "facts.db"
    report = asyncio.run(build_store([articles], db, force=True))
    assert report.rebuilt
    built = {s.path for s in report.skipped}
    if moment == "corpus_plan":  # listed, then gone: each is skipped with a reason
        assert built == {"000_5636b39ed17f8e80.txt", "001_49243b7414c43ba9.txt"}
        reasons = {s.path: s.reason for s in report.skipped}
        assert reasons["000_5636b39ed17f8e80.txt"] == "the file disappeared while it was read"
        assert reasons["001_49243b7414c43ba9.txt"] == "not a regular file (a folder)"
    assert report.articles == 3


# ---- links whose outlet would lie -------------------------------------------------------------------------

OUTLETS = [
    ("https://evil.example\\@reuters.com/news", None, None),  # browsers open evil.example
    ("https://evil.example\\reuters.com/news", None, None),
    ("https://reuters.com@evil.example/news", None, None),  # a user name that looks like a host
    ("https://user:secret@www.reuters.com/news", None, None),
    ("https://www.reuters.com/world/news", "https://www.reuters.com/world/news", "Reuters"),
    ("https://REUTERS.COM/news", "https://REUTERS.COM/news", "Reuters"),
    (
        "https://reuters.com.evil.example/news",
        "https://reuters.com.evil.example/news",
        "reuters.com.evil.example",
    ),
    ("https://evil.example/?u=@reuters.com", "https://evil.example/?u=@reuters.com", "evil.example"),
]


@pytest.mark.parametrize(("url", "kept", "outlet"), OUTLETS)
def test_the_outlet_is_the_host_a_browser_opens_or_the_link_is_dropped(
    tmp_path: Path, url: str, kept: str | None, outlet: str | None
) -> None:
    (tmp_path / "a.txt").write_text(
        f"A headline\nSource: {url}\n\nOn 7 February 1981, Japan marked Northern Territories Day.\n",
        encoding="utf-8",
    )
    corpus = load_corpus([tmp_path])
    (article,) = corpus.articles
    assert (article.meta.url, article.meta.outlet) == (kept, outlet)
    assert (kept is None) == any("not a usable http(s) link" in w for w in corpus.warnings)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.reuters.com/a b",
        "https://www.reuters.com/a\tb",
        "https://www.reuters.com/a\u3000b",  # an ideographic space
        "https://www.reuters.com/a\xa0b",  # a no-break space
        "https://www.reuters.com/a\u2028b",  # a line separator
        "https://www.reuters.com/a\u200bb",  # a zero-width space
        "https://www.reuters.com/a\x1fb",
    ],
)
def test_a_link_with_any_space_or_invisible_character_is_never_shown(url: str) -> None:
    assert not usable_url(url)
    assert link(url) is None
    assert link(url.replace(url[25], "%20")) == url.replace(url[25], "%20")  # the same link, escaped


def test_nothing_outside_the_articles_folder_is_opened_even_to_hash_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = tmp_path / "articles"
    copy_seeds(articles)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text(ENV_FILE, encoding="utf-8")
    (outside / "articles.toml").write_text('["x.txt"]\ntitle = "t"\n', encoding="utf-8")
    (articles / "secret.txt").symlink_to(outside / "secret.txt")
    (articles / "articles.toml").unlink()
    (articles / "articles.toml").symlink_to(outside / "articles.toml")
    opened: list[str] = []
    real_open = os.open

    def spy(path: object, *args: object, **kwargs: object) -> int:
        opened.append(os.path.realpath(os.fsdecode(path)))  # type: ignore[arg-type]
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", spy)
    report = asyncio.run(build_store([articles], tmp_path / "facts.db"))
    assert report.articles == 5
    assert [p for p in opened if p.startswith(str(outside.resolve()))] == []
