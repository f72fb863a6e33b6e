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
    itself is already among its own facts). Worked out once per island while the store is open: a
    large store's groups have thousands of sentences, each read to pick these."""
    groups = [
        (g.name, g.key)
        for g in facts.index.gazetteer.islands.values()
        if g.kind == "group" and island.key in g.members
    ]
    chain = LESSER_KURILS
    if island.key in chain.members and island.key != chain.filed_under:
        groups.append((chain.name, chain.filed_under))
    picked = facts.derived_island_facts
    if any((island.key, name) not in picked for name, _ in groups):
        shown = {f.text for f in own}
        for name, key in groups:
            stored = await facts.store.island_facts(key)
            if name == chain.name:
                stored = [f for f in stored if chain.names_it(f.text)]
            found = picked[(island.key, name)] = [f for f in stored if f.text not in shown]
            shown.update(f.text for f in found)
    return [
        GroupFacts(name, key, picked[(island.key, name)])
        for name, key in groups
        if picked[(island.key, name)]
    ]
