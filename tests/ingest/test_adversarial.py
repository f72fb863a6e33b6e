"""Extraction stays linear in an article's size on hostile text (the patterns of the benchmark's
adversarial section): the work it does, counted in words read and phrases analysed, grows with the text and
no faster, and nothing is invented from the noise. Times are the benchmark's business; this counts work,
so it is the same on any machine."""

from __future__ import annotations

from typing import Any

import pytest

from bench.adversarial import PATTERNS
from bot.ingest import attribution, cues, people, speakers
from tests.helpers import extract

SMALL, LARGE = 20_000, 80_000


def _counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {"words": 0, "phrases": 0, "candidates": 0}

    def tokenize(text: str, start: int, end: int) -> list[speakers.Tok]:
        toks = speakers.tokenize(text, start, end)
        counts["words"] += len(toks)
        return toks

    def analyse(tokens: list[speakers.Tok]) -> speakers.Phrase | None:
        counts["phrases"] += 1
        return speakers.analyse(tokens)

    gender = people.PeopleIndex.gender

    def weighed(index: people.PeopleIndex, name: str) -> str | None:
        counts["candidates"] += 1  # a person considered as someone's antecedent
        return gender(index, name)

    monkeypatch.setattr(people.PeopleIndex, "gender", weighed)
    for module in (cues, attribution, people):
        for name, fake in (("tokenize", tokenize), ("analyse", analyse)):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, fake)
    return counts


def _work(monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[dict[str, int], Any]:
    with monkeypatch.context() as m:
        counts = _counted(m)
        facts = extract(text, "2019-01-04")
        return dict(counts), facts


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_hostile_text_costs_work_in_proportion_to_its_size(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    unit = PATTERNS[name]

    def article(size: int) -> str:
        return "Headline\n\n" + (unit * (size // len(unit) + 1))[:size]

    small, _ = _work(monkeypatch, article(SMALL))
    large, facts = _work(monkeypatch, article(LARGE))
    for what in ("words", "phrases", "candidates"):
        # Four times the text may cost four times the work, and somewhat more while bounded look-backs fill
        # up (a pronoun weighs at most so many earlier speakers), never the sixteen times of a rescan.
        assert large[what] <= 6 * max(small[what], 1) + 50, (what, small, large)
    marks = article(LARGE).count('"') + article(LARGE).count("“")
    assert len(facts.quotes) <= marks // 2 + 1  # no quotation is made up from the noise
