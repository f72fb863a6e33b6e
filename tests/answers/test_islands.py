"""`/island`: a member island's page has its groups' facts, marked as theirs, and its curated background."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from bot.answers import Facts, island
from bot.answers.islands import BACKGROUND_SOURCE
from bot.build import build_store
from bot.models import IslandFact
from bot.render.console import island_view
from bot.render.json import island_json


@pytest.mark.asyncio
async def test_a_member_island_has_the_facts_of_each_of_its_groups(facts: Facts) -> None:
    answer = await island(facts, "Shikotan")
    assert [g.group for g in answer.groups] == ["Kuril Islands", "Southern Kurils"]
    own = {f.text for f in answer.facts}
    for group in answer.groups:
        stored = {f.text for f in await facts.store.island_facts(group.key)}
        # Every sentence of the group that is not already one of the island's own, each shown once.
        assert {f.text for f in group.facts} == stored - own
    shown = [f.text for f in answer.facts] + [f.text for g in answer.groups for f in g.facts]
    assert len(shown) == len(set(shown))
    assert "After the end of World War II, all Kuril Islands were incorporated into the Soviet Union." in [
        f.text for f in answer.groups[0].facts
    ]


@pytest.mark.asyncio
async def test_a_group_has_no_group_facts_and_every_page_has_its_background(facts: Facts) -> None:
    group = await island(facts, "Kuril Islands")
    assert group.groups == [] and group.facts
    shikotan = await island(facts, "色丹島")
    assert shikotan.island is not None and shikotan.background is not None
    assert shikotan.background.text == shikotan.island.summary
    assert "gazetteer" in shikotan.background.source and "not an article" in shikotan.background.source


@pytest.mark.asyncio
async def test_the_lesser_kuril_chain_is_a_group_of_shikotan_though_stored_as_habomai(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "survey.txt").write_text(
        "Survey of the chain\n\nPublished 2019-01-04\n\n"
        "Scientists began a survey of the Lesser Kuril Chain in 1999.\n\n"
        "A ferry reached Iturup in 2001.\n",
        encoding="utf-8",
    )
    db = tmp_path / "facts.db"
    await build_store([folder], db)
    opened = await Facts.open(db)
    try:
        survey = "Scientists began a survey of the Lesser Kuril Chain in 1999."
        shikotan = await island(opened, "Shikotan")
        assert shikotan.facts == []
        assert [(g.group, [f.text for f in g.facts]) for g in shikotan.groups] == [
            ("Lesser Kuril Chain", [survey])
        ]
        habomai = await island(opened, "Habomai")  # its own fact there: not repeated as a group fact
        assert [f.text for f in habomai.facts] == [survey] and habomai.groups == []
        iturup = await island(opened, "Iturup")  # not in the chain
        assert iturup.groups == []
    finally:
        await opened.close()


@pytest.mark.asyncio
async def test_json_marks_group_facts_and_background(facts: Facts) -> None:
    (result,) = island_json(await island(facts, "Shikotan"))["results"]
    assert result["background"] == {"text": result["summary"], "source": BACKGROUND_SOURCE}
    assert [g["group"] for g in result["group_facts"]] == ["Kuril Islands", "Southern Kurils"]
    for g in result["group_facts"]:
        assert g["facts"] and all(set(f) == {"text", "date", "sources"} and f["sources"] for f in g["facts"])
    assert all("Shikotan" in f["text"] for f in result["facts"])


@pytest.mark.asyncio
async def test_the_terminal_shows_background_apart_and_each_group_under_its_heading(facts: Facts) -> None:
    screen = io.StringIO()
    Console(file=screen, width=200, color_system=None).print(island_view(await island(facts, "Shikotan")))
    text = screen.getvalue()
    background = text.index(
        "Background from the bot's curated gazetteer (data/gazetteer.toml), not an article"
    )
    assert text.index("The smaller inhabited island promised to Japan") < background
    assert background < text.index("Group facts: Kuril Islands") < text.index("Group facts: Southern Kurils")
    assert "4 facts about Shikotan, 7 about its groups" in text


@pytest.mark.asyncio
async def test_group_facts_are_picked_once_while_the_store_is_open(
    facts: Facts, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    stored = facts.store.island_facts

    async def counted(key: str) -> list[IslandFact]:
        read.append(key)
        return await stored(key)

    monkeypatch.setattr(facts.store, "island_facts", counted)
    first = await island(facts, "Iturup")
    assert sorted(read) == ["iturup", "kuril-islands", "southern-kurils"]
    again = await island(facts, "Etorofu")
    assert read[3:] == ["iturup"]  # only its own facts are read again
    assert again.groups == first.groups
