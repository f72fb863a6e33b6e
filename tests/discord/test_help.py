"""`/help` in Discord, through the fake: every command, the sources, the privacy statement, the links."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.answers import HelpAnswer
from bot.answers.help import EXTRACTION, PRIVACY, SOURCES, Link
from bot.answers.questions import HELP, Surface
from bot.discord.embeds import help_page, limit_problems
from bot.discord.paging import PAGE_QUERIES_KEPT, PAGE_QUERY_MAX_AGE
from fakediscord import FakeDiscord
from tests.discord.harness import BotEnv, answer, data_of, embed_text, make_settings, running_bot
from tests.helpers import SEEDS

EPHEMERAL = 1 << 6


@pytest.mark.asyncio
async def test_help_lists_commands_sources_extraction_privacy_and_configured_links(
    fake: FakeDiscord, tmp_path: Path, seed_db: Path
) -> None:
    shutil.copy(seed_db, tmp_path / "facts.db")
    settings = make_settings(
        tmp_path,
        fake,
        db_path=tmp_path / "facts.db",
        articles=[SEEDS],
        FACTBOT_SUPPORT_URL="https://discord.gg/example",
        FACTBOT_SOURCE_CODE_URL="https://example.org/factbot",
    )
    async with running_bot(fake, settings):
        body = await answer(fake, fake.command_interaction("help", {}))
        private = await answer(fake, fake.command_interaction("help", {"private": True}))
    text = embed_text(body)
    for usage in (
        "/timeline",
        "/quote",
        "/island",
        "/source",
        "/about",
        "/daily preview",
        "/daily subscribe",
    ):
        assert f"`{usage}" in text, usage
    assert "e.g. `/quote about:peace treaty speaker:Abe`" in text
    assert "**5** articles" in text and "TASS" in text
    assert "How facts are extracted" in text and "Privacy" in text and "message content" in text
    assert "[Support server](https://discord.gg/example)" in text
    assert "[Source code](https://example.org/factbot)" in text
    assert not (data_of(body).get("flags") or 0) & EPHEMERAL
    assert data_of(private)["flags"] & EPHEMERAL


@pytest.mark.asyncio
async def test_help_without_configured_links_has_no_links_field(
    fake: FakeDiscord, tmp_path: Path, seed_db: Path
) -> None:
    shutil.copy(seed_db, tmp_path / "facts.db")
    settings = make_settings(tmp_path, fake, db_path=tmp_path / "facts.db", articles=[SEEDS])
    async with running_bot(fake, settings):
        body = await answer(fake, fake.command_interaction("help", {}))
    fields = [f["name"] for f in data_of(body)["embeds"][0]["fields"]]
    assert fields == ["Sources", "How facts are extracted", "Privacy"]


def test_the_privacy_statement_states_how_long_page_queries_are_really_kept() -> None:
    assert f"{PAGE_QUERIES_KEPT:,} most recent" in PRIVACY
    assert f"{PAGE_QUERY_MAX_AGE.days} days" in PRIVACY


def test_a_help_page_with_hundreds_of_outlets_and_long_links_fits_discords_limits() -> None:
    answer = HelpAnswer(
        commands=HELP.query({}, Surface.DISCORD).commands,
        articles=10_000,
        outlets=tuple(f"Outlet {n} " + "x" * 300 for n in range(500)),
        first_published="1956",
        last_published="2026-11-22",
        sources=SOURCES,
        extraction=EXTRACTION,
        privacy=PRIVACY,
        links=(
            Link("Support " * 40, "https://example.org/" + "a" * 3000),
            Link("Source code", "https://e.org/x"),
        ),
    )
    page = help_page(answer)
    assert limit_problems(page) == []
    assert "[Source code](https://e.org/x)" in embed_text(
        {"data": {"embeds": [e.to_dict() for e in page.embeds]}}
    )


@pytest.mark.asyncio
async def test_every_synced_name_and_description_is_localised_to_japanese_and_russian(env: BotEnv) -> None:
    missing = []

    def check(item: dict[str, Any], path: str) -> None:
        # A message menu (type 3) has a name and no description: Discord shows none for it.
        keys = ("name", "description") if item.get("type", 1) == 1 else ("name",)
        for key in keys:
            found = item.get(f"{key}_localizations") or {}
            if not {"ja", "ru"} <= set(found):
                missing.append(f"{path} {key}: {item[key]!r}")
        for option in item.get("options") or []:
            check(option, f"{path}/{option['name']}")

    for command in env.fake.global_commands:
        check(command, command["name"])
    assert missing == []
