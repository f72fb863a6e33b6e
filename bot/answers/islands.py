"""`/island`: an island's history in date order."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.answers.base import Facts, clean_text_option
from bot.models import Island, IslandFact


@dataclass(frozen=True, slots=True)
class IslandAnswer:
    query: str
    island: Island | None
    facts: list[IslandFact]
    suggestions: list[str] = field(default_factory=list)


async def island(facts: Facts, name: str | None) -> IslandAnswer:
    """The island named (any alias, any script, typos allowed) and its facts: dated first, in date order."""
    query = clean_text_option(name, 100) or ""
    key, suggestions = facts.index.match_island(query)
    if key is None:
        return IslandAnswer(query, None, [], suggestions)
    found = facts.index.gazetteer.islands[key]
    return IslandAnswer(query, found, await facts.store.island_facts(key))
