from __future__ import annotations

from bot.ingest.corroborate import merge
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
