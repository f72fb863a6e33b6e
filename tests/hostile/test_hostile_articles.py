"""Hostile article files: each is skipped with a one-line reason or ingested sensibly, and the rest is built.

Decisions, asserted below:

* skipped: an empty file, a whitespace-only file, a binary file, invalid UTF-8, a file over 5 MB, and a
  file with no article text (only page furniture and a headline);
* ingested: UTF-16 with a BOM; unbalanced or nested quotation marks (the well-formed quotes in the same
  article are still found); a quotation over many paragraphs (one quote); a 100,000-character line (in
  linear time); an unusable link (dropped with a warning); a publication date in the future, from the
  manifest or a "Published:" line (the date is dropped with a warning, so relative dates stay unresolved
  instead of inventing events in the future).
"""

from __future__ import annotations

import asyncio
import codecs
import datetime as dt
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from bot import cli
from bot.answers.daily import daily_snippet
from bot.discord.embeds import daily_page
from bot.ingest.loader import load_corpus
from bot.ingest.pipeline import extract_article
from bot.store.reader import FactStore
from fakediscord import FakeDiscord
from tests.discord.harness import answer, data_of, embed_text, make_settings, running_bot
from tests.helpers import SEEDS, directory, gazetteer

BUILD_BOUND_SECONDS = 20.0
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))

HOSTILE_MARKUP = (
    "Hostile @everyone headline ```fence``` ||spoiler|| [link](http://evil.invalid)\n"
    "Source: https://example.com/hostile\n\n"
    "On 3 March 2001, @everyone and @here were told on Shikotan that <@&123456789012345678> and <@42> "
    "would decide, ```rm -rf``` ||hidden|| [click](http://evil.invalid) **bold** _it_.\n\n"
    '"We will ping @everyone and <@&123456789012345678> about Shikotan, ```now``` ||secret|| '
    '[click](http://evil.invalid) **bold**," Vladimir Putin said on 3 March 2001.\n'
)
# Raw forms that would ping, open a code block, hide text or make a link if they reached Discord as they are.
LIVE_MARKUP = (
    "@everyone",
    "@here",
    "<@&123456789012345678>",
    "<@42>",
    "```",
    "||spoiler||",
    "||hidden||",
    "||secret||",
    "[click](http://evil.invalid)",
    "[link](http://evil.invalid)",
    "**bold**",
)


def is_live(text: str, markup: str) -> bool:
    """Whether `markup` occurs in `text` without a backslash escaping its first character."""
    start = text.find(markup)
    while start != -1:
        if start == 0 or text[start - 1] != "\\":
            return True
        start = text.find(markup, start + 1)
    return False


def write_hostile_corpus(folder: Path) -> dict[str, str]:
    """The seeds plus one file of every hostile kind; returns {file name: expected skip reason} for skips."""
    folder.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS.iterdir():
        shutil.copy(seed, folder / seed.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text(" \n\t\n\n   \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "latin1.txt").write_bytes(
        "Headline\n\nOn 19 October 1956 Japan signed – in Moscow.\n".encode("cp1252")
    )
    with (folder / "huge.txt").open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: instant, and no disk used
    (folder / "furniture.txt").write_text(
        "Home > News > Politics\n\nA headline with nothing under it\n\nShare this article\n\nAdvertisement\n",
        encoding="utf-8",
    )
    (folder / "utf16.txt").write_bytes(
        codecs.BOM_UTF16_LE
        + (
            "Declaration anniversary\r\n\r\nOn 19 October 1956, Japan and the Soviet Union signed the Joint "
            "Declaration, which promised Shikotan and the Habomai islets to Japan.\r\n"
        ).encode("utf-16-le")
    )
    (folder / "unbalanced.txt").write_text(
        "Unbalanced quotation marks\n\n"
        '"This quotation never closes, Shinzo Abe said in Tokyo on 1 May 2019.\n\n'
        "Vladimir Putin said: “The “southern” islands are “Russian territory.”\n\n"
        '"We will continue the negotiations," Sergey Lavrov said on 14 January 2019.\n',
        encoding="utf-8",
    )
    paragraphs = "".join(
        f'"Point {n}: the islands have been Russian since 1945, and nobody will take them from us.\n\n'
        for n in range(1, 201)
    )
    (folder / "long_quote.txt").write_text(
        "A speech in many paragraphs\n\n"
        'Vladimir Putin said on Kunashir on 2 September 2017: "We have heard the other side.\n\n'
        + paragraphs
        + '"That is all I have to say."\n\nThe visit ended in the evening.\n',
        encoding="utf-8",
    )
    unit = 'In 1956 Japan and the USSR talked about Shikotan, and "the islands," Putin said, were discussed '
    (folder / "long_line.txt").write_text(
        "One very long line\n\n" + (unit * (100_000 // len(unit) + 1))[:100_000] + "\n", encoding="utf-8"
    )
    (folder / "future_line.txt").write_text(
        "Talks resume\n\nPublished: 12 March 2099\n\n"
        "On 19 October 1956, the declaration was signed. Last December, the talks resumed on Iturup.\n",
        encoding="utf-8",
    )
    (folder / "future_manifest.txt").write_text(
        "Talks resume again\n\nLast December, the talks resumed on Kunashir after the 1956 declaration.\n",
        encoding="utf-8",
    )
    (folder / "bad_link.txt").write_text(
        "A bad link\n\nSource: https://example.com/" + "a" * 5000 + "\n\n"
        "On 7 February 1981, Japan marked the first Northern Territories Day.\n",
        encoding="utf-8",
    )
    (folder / "bracket_link.txt").write_text(
        "A broken link\nSource: https://[broken\n\nOn 7 February 1981, Japan marked Northern Territories Day.\n",
        encoding="utf-8",
    )
    (folder / "markup.txt").write_text(HOSTILE_MARKUP, encoding="utf-8")
    manifest = (SEEDS / "articles.toml").read_text(encoding="utf-8")
    manifest += '\n["future_manifest.txt"]\ntitle = "Talks resume again"\npublished = "2999-01-01"\n'
    (folder / "articles.toml").write_text(manifest, encoding="utf-8")
    return {
        "empty.txt": "empty file",
        "blank.txt": "no text (only whitespace)",
        "binary.txt": "binary file",
        "latin1.txt": "not valid UTF-8",
        "huge.txt": "too large for an article (50 MB > 5 MB)",
        "furniture.txt": "no article text",
    }


INGESTED = [
    "utf16",
    "unbalanced",
    "long_quote",
    "long_line",
    "future_line",
    "future_manifest",
    "bad_link",
    "bracket_link",
    "markup",
]


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """The hostile corpus, its folder and the expected skips (the store is built by each test)."""
    root = tmp_path_factory.mktemp("hostile")
    skips = write_hostile_corpus(root / "articles")
    return root / "articles", root, skips


def run_build(
    folder: Path, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, float]:
    """`factbot build --force` as a user runs it; returns (exit code, stderr, CPU seconds it took).

    CPU time, not the wall clock: what a hostile file can do is make the build work too hard, and that shows
    in the CPU time this process spends (the corpus is too small for extraction workers) however busy the
    machine is.
    """
    monkeypatch.setenv("COLUMNS", "1000")  # one report line per line, however long
    for name in ("FACTBOT_DB_PATH", "FACTBOT_ARTICLES", "FACTBOT_STATE_DB_PATH"):
        monkeypatch.delenv(name, raising=False)
    started = time.process_time()
    code = cli.main(["build", "--force", "--articles", str(folder), "--db", str(db)])
    seconds = time.process_time() - started
    return code, capsys.readouterr().err, seconds


def test_build_skips_the_unreadable_with_one_line_each_and_builds_everything_else(
    hostile_build: tuple[Path, Path, dict[str, str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, root, skips = hostile_build
    db = root / "facts.db"
    code, err, seconds = run_build(folder, db, capsys, monkeypatch)
    assert code == 0, err
    assert seconds < BUILD_BOUND_SECONDS, f"the hostile build took {seconds:.1f} s of CPU time"
    lines = err.splitlines()
    for name, reason in skips.items():
        mentions = [line for line in lines if line.startswith(f"skipped {name}:")]
        assert len(mentions) == 1 and reason in mentions[0], (name, lines)
    assert f"{len(skips)} skipped" in lines[-1]
    assert any("future_line.txt: publication date 2099-03-12 is in the future" in line for line in lines)
    assert any("future_manifest.txt: publication date 2999-01-01 is in the future" in line for line in lines)
    assert any("bad_link.txt: URL" in line and "not a usable" in line for line in lines)
    asyncio.run(_check_hostile_store(db, skips))
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)


async def _check_hostile_store(db: Path, skips: dict[str, str]) -> None:
    store = await FactStore.open(db)
    try:
        articles = await store.articles()
        assert sorted(articles) == sorted(SEED_IDS + INGESTED)
        assert {p for p, _ in await store.skipped()} == set(skips)
        # A future date is dropped, so "last December" is not resolved against 2099.
        assert articles["future_line"].published is None
        assert articles["future_manifest"].published is None
        assert articles["bad_link"].url is None and articles["bracket_link"].url is None
        assert articles["utf16"].title == "Declaration anniversary"
        events = await store.events()
        assert all(e.date.year <= 2030 for e in events)
        assert any(
            e.date.iso() == "1956-10-19" and "utf16" in {s.article_id for s in e.sources} for e in events
        )
        quotes = await store.quotes()
        by_article: dict[str, list[str]] = {}
        for q in quotes:
            for s in q.sources:
                by_article.setdefault(s.article_id, []).append(f"{q.speaker}: {q.text}")
        # Broken quotation marks do not cost the well-formed quote after them.
        assert "Sergey Lavrov: We will continue the negotiations" in by_article["unbalanced"]
        # A quotation over 200 paragraphs is one quote, from its first words to its last.
        long_quotes = [q for q in by_article["long_quote"] if q.startswith("Vladimir Putin: We have heard")]
        assert len(long_quotes) == 1 and long_quotes[0].endswith("That is all I have to say.")
        assert "Point 200" in long_quotes[0]
        # Every citation is an exact slice of its article.
        for q in quotes:
            for s in q.sources:
                text = await store.article_text(s.article_id)
                assert text is not None and text[s.start : s.end] == s.excerpt
    finally:
        await store.close()


def test_build_exits_non_zero_only_when_nothing_usable_was_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "unusable"
    skips = write_hostile_corpus(folder)
    for path in folder.iterdir():
        if path.name not in skips:
            path.unlink()
    code, err, _ = run_build(folder, tmp_path / "facts.db", capsys, monkeypatch)
    assert code == 1
    for name, reason in skips.items():
        assert any(line.startswith(f"skipped {name}:") and reason in line for line in err.splitlines())
    assert "0 articles" in err.splitlines()[-1]


@pytest.mark.parametrize("size", [10_000, 100_000])
def test_a_huge_line_is_extracted_in_linear_time(tmp_path: Path, size: int) -> None:
    unit = 'In 1956 Japan and the USSR talked about Shikotan, and "the islands," Putin said, were discussed '
    (tmp_path / "line.txt").write_text(
        "Line\n\n" + (unit * (size // len(unit) + 1))[:size] + "\n", encoding="utf-8"
    )
    corpus = load_corpus([tmp_path])
    directory(), gazetteer()  # the curated data is loaded before the clock starts
    started = time.thread_time()  # CPU time of this thread: what other processes do does not count
    facts = extract_article(corpus.articles[0], directory(), gazetteer())
    seconds = time.thread_time() - started
    # 100 k characters of nothing but quotes and cues; quadratic work took minutes here.
    assert seconds < size / 10_000, f"{size} characters took {seconds:.1f} s of CPU time"
    assert facts.quotes and facts.events


@pytest.mark.asyncio
async def test_article_markup_and_mentions_are_inert_in_every_command(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "markup.txt").write_text(HOSTILE_MARKUP, encoding="utf-8")
    shutil.copy(SEEDS / "004_ca3b18b3347b43dc.txt", folder)
    settings = make_settings(tmp_path, fake, articles=[folder])
    # Each command, and what of the article it must show (so the escaping is seen to work, not skipped).
    requests = [
        ("timeline", {"from": 2001, "to": 2001}, "@everyone and @here were told on Shikotan"),
        ("timeline", {"about": "told decide"}, "<@&123456789012345678> and <@42> would decide, ```rm -rf```"),
        ("quote", {"speaker": "Putin", "about": "ping"}, "We will ping @everyone"),
        ("island", {"name": "Shikotan"}, "||hidden|| [click](http://evil.invalid) **bold** _it_"),
        ("source", {"article": "markup"}, "```now``` ||secret||"),
        ("about", {}, "Hostile @everyone headline ```fence```"),
    ]
    async with running_bot(fake, settings) as bot:
        for name, options, shown in requests:
            body = await answer(fake, fake.command_interaction(name, options))
            data = data_of(body)
            assert data["allowed_mentions"] == {"parse": []}
            text = (data.get("content") or "") + "\n" + embed_text(body)
            visible = text.replace("\\", "").replace("\u200b", "")
            assert shown in visible, (name, text)
            for live in LIVE_MARKUP:
                assert not is_live(text, live), (name, live, text)
        # The daily snippet shows article text too: every event of the article, as it would be posted.
        for fid, _, _ in await bot.facts.store.event_keys():
            snippet = await daily_snippet(bot.facts, f"event:{fid}", dt.date(2026, 3, 3))
            assert snippet is not None
            embed = daily_page(snippet).embeds[0]
            text = f"{embed.title}\n{embed.description}\n" + "\n".join(f.value for f in embed.fields)
            for live in LIVE_MARKUP:
                assert not is_live(text, live), ("daily", live, text)
    refused = [(r.method, r.path, r.response) for r in fake.requests if r.status >= 400]
    assert refused == []
