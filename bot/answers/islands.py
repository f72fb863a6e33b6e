"""`/island`: an island's history in date order, the facts about the groups it belongs to, and its background.

A sentence about the Kuril Islands or "the four islands" is part of Shikotan's history too, though it does
not name Shikotan: a member island's page shows the facts of its groups after its own, marked as group
facts. The one-line description from the gazetteer is curated, not taken from an article: it is the
page's background, and says where it comes from instead of citing a source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.answers.base import Facts, clean_text_option
from bot.models import Island, IslandFact

BACKGROUND_SOURCE = "the bot's curated gazetteer (data/gazetteer.toml), not an article"


@dataclass(frozen=True, slots=True)
class ChainGroup:
    """A group the gazetteer has no entry for, because its names are aliases of one of its members."""

    name: str
    members: tuple[str, ...]
    filed_under: str  # the member whose facts its sentences are stored as
    names: tuple[str, ...]  # what a sentence about the whole group says (lower case, matched anywhere)

    def names_it(self, text: str) -> bool:
        folded = text.casefold()
        return any(name in folded for name in self.names)


# The Lesser Kuril Chain is Shikotan and the Habomai islets. The gazetteer lists its names as aliases of
# Habomai (what articles mostly mean by it, and what the gold expects), so its sentences are stored as
# Habomai's; Shikotan's page shows those that name the chain, as facts of its group.
LESSER_KURILS = ChainGroup(
    "Lesser Kuril Chain",
    members=("shikotan", "habomai"),
    filed_under="habomai",
    names=("lesser kuril", "small kuril", "minor kuril", "малая курильская"),
)


@dataclass(frozen=True, slots=True)
class GroupFacts:
    """Facts about a group the island belongs to: shown on its page, marked as the group's."""

    group: str  # the group's name, "Kuril Islands"
    key: str  # its gazetteer key, or the key its sentences are filed under for a group without an entry
    facts: list[IslandFact]


@dataclass(frozen=True, slots=True)
class Background:
    """A curated description: shown as background with where it comes from, never as a cited fact."""

    text: str
    source: str = BACKGROUND_SOURCE


@dataclass(frozen=True, slots=True)
class IslandAnswer:
    query: str
    island: Island | None
    facts: list[IslandFact]  # sentences naming the island itself
    suggestions: list[str] = field(default_factory=list)
    groups: list[GroupFacts] = field(default_factory=list)  # facts of the groups it belongs to
    background: Background | None = None

    @property
    def group_fact_count(self) -> int:
        return sum(len(g.facts) for g in self.groups)


async def island(facts: Facts, name: str | None) -> IslandAnswer:
    """The island named (any alias, any script, typos allowed): its facts in date order (undated last),
    then those of each group it belongs to, and its curated background."""
    query = clean_text_option(name, 100) or ""
    key, suggestions = facts.index.match_island(query)
    if key is None:
        return IslandAnswer(query, None, [], suggestions)
    found = facts.index.gazetteer.islands[key]
    own = await facts.store.island_facts(key)
    background = Background(found.summary) if found.summary else None
    return IslandAnswer(query, found, own, [], await _group_facts(facts, found, own), background)


async def _group_facts(facts: Facts, island: Island, own: list[IslandFact]) -> list[GroupFacts]:
    """The facts of every group `island` belongs to, each sentence once (a sentence naming the island
    itself is already among its own facts)."""
    shown = {f.text for f in own}
    out = []
    groups = [
        g for g in facts.index.gazetteer.islands.values() if g.kind == "group" and island.key in g.members
    ]
    for group in groups:
        found = [f for f in await facts.store.island_facts(group.key) if f.text not in shown]
        shown.update(f.text for f in found)
        if found:
            out.append(GroupFacts(group.name, group.key, found))
    chain = LESSER_KURILS
    if island.key in chain.members and island.key != chain.filed_under:
        stored = await facts.store.island_facts(chain.filed_under)
        found = [f for f in stored if chain.names_it(f.text) and f.text not in shown]
        if found:
            out.append(GroupFacts(chain.name, chain.filed_under, found))
    return out
