from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz

from bot.ingest.corroborate import (
    EVENTS,
    ISLAND_THRESHOLD,
    ISLANDS,
    QUOTE_THRESHOLD,
    QUOTES,
    BlockTask,
    _event_similar,
    block_groups,
    merge,
)
from bot.text import content_words
from tests.helpers import extract


def test_same_event_in_two_articles_is_one_fact_with_both_sources() -> None:
    a = extract("The eight-point plan was proposed by the Japanese premier in May 2016.\n", article_id="a")
    b = extract(
        "The 8-point plan had been proposed by the Japanese PM in May 2016 to boost the economy.\n",
        article_id="b",
    )
    _, events, _ = merge([a, b])
    assert len(events) == 1
    assert [c.article_id for c in events[0].sources] == ["a", "b"]


def test_different_events_on_the_same_date_stay_apart() -> None:
    a = extract("In 1956, the two countries signed a joint declaration.\n", article_id="a")
    b = extract("In 1956, Japan joined the United Nations.\n", article_id="b")
    _, events, _ = merge([a, b])
    assert len(events) == 2


def test_same_quote_in_two_articles_is_one_quote() -> None:
    text = '"We both do not want this to drag out into another generation," Abe said.\n'
    _, _, _ = merge([])
    quotes, _, _ = merge(
        [extract(text, article_id="a"), extract(text.replace("Abe said", "said Abe"), article_id="b")]
    )
    assert len(quotes) == 1 and quotes[0].speaker == "Shinzo Abe"
    assert {c.article_id for c in quotes[0].sources} == {"a", "b"}


def test_same_words_by_different_speakers_are_not_merged() -> None:
    a = extract('"We want a peace treaty soon," Abe said.\n', article_id="a")
    b = extract('"We want a peace treaty soon," Putin said.\n', article_id="b")
    quotes, _, _ = merge([a, b])
    assert sorted(q.speaker for q in quotes) == ["Shinzo Abe", "Vladimir Putin"]


# ---- the grouping is exactly the original one: every item against every representative ---------------


def _reference_groups(kind: str, texts: list[str]) -> list[int]:
    """The original quadratic grouping: each item joins the first similar group representative."""
    similar = {
        QUOTES: lambda a, b: fuzz.ratio(a, b) >= QUOTE_THRESHOLD,
        ISLANDS: lambda a, b: fuzz.ratio(a, b) >= ISLAND_THRESHOLD,
        EVENTS: _event_similar,
    }[kind]
    reps: list[tuple[str, int]] = []  # (words, founding item)
    out = []
    for k, text in enumerate(texts):
        norm = content_words(text)
        for rep, founder in reps:
            if similar(rep, norm):
                out.append(founder)
                break
        else:
            reps.append((norm, k))
            out.append(k)
    return out


def _variants(rng: random.Random, n: int) -> list[str]:
    """Texts that are often near-duplicates: templates with fills, typos, dropped words and repeats."""
    templates = [
        "The {a} families who left {p} have never been forgotten, the minister said in {y}.",
        "{p} Maru No. {a} was detained near {i} because it broke our fishing rules.",
        "Our sovereignty over the {i} is enshrined in the constitution, and {a} new houses were built in {p}.",
        "Talks on {i} resumed in {y} after a pause of {a} months.",
        "We never rejected contacts with our Japanese partners.",
        "the and of to",  # only stop words: no content at all
        "",
    ]
    places = ["Otradny", "Golovnino", "Malokurilskoye", "Yuzhno-Kurilsk", "Kitovy", "Rybaki"]
    islands = ["Kunashir", "Iturup", "Shikotan", "Habomai islets", "Kuril Islands"]
    out: list[str] = []
    for _ in range(n):
        if out and rng.random() < 0.2:
            out.append(rng.choice(out))
            continue
        text = rng.choice(templates).format(
            a=rng.randint(1, 400), p=rng.choice(places), i=rng.choice(islands), y=rng.randint(1950, 2024)
        )
        words = text.split()
        if words and rng.random() < 0.3:
            del words[rng.randrange(len(words))]
        if words and rng.random() < 0.3:
            w = rng.randrange(len(words))
            words[w] = words[w][:-1] or words[w]
        out.append(" ".join(words))
    return out


@pytest.mark.parametrize("kind", [QUOTES, ISLANDS, EVENTS])
@pytest.mark.parametrize("size", [5, 60, 400])
def test_block_grouping_is_the_same_as_comparing_with_every_representative(kind: str, size: int) -> None:
    rng = random.Random(f"{kind}-{size}")
    for _ in range(3):
        texts = _variants(rng, size)
        assert block_groups(kind, texts) == _reference_groups(kind, texts)


def test_merge_in_worker_processes_is_the_same_as_in_this_one() -> None:
    articles = [
        extract(f"In May 2016, Putin visited Kunashir, trip number {i % 7}.\n", article_id=f"a{i}")
        for i in range(30)
    ]
    spread = []

    def runner(tasks: list[BlockTask]) -> list[list[int]]:
        spread.extend(tasks)
        return [block_groups(kind, texts) for kind, texts in reversed(tasks)][::-1]

    assert merge(articles, runner) == merge(articles)
    assert spread
