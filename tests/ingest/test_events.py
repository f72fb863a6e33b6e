from __future__ import annotations

from tests.helpers import SEEDS, extract


def _events(prefix: str, published: str | None) -> set[tuple[str, str]]:
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    return {(e.date.iso(), e.text[:40]) for e in extract(text, published).events}


def test_seed_004_relative_dates_resolved_against_publication() -> None:
    dates = sorted(d for d, _ in _events("004", "2019-01-04"))
    assert dates == ["2018-09", "2018-11", "2019-01", "2019-01", "2019-01-04", "2019-01-04"]


def test_last_december_is_the_december_before_publication() -> None:
    events = _events("001", "2018-01-22")
    assert ("2017-12", "In view of that, the prime minister note") in events
    assert ("2017-09", "For example, last September former resid") in events
    assert ("2018-01-22", "The Japanese government seeks to sign a ") in events


def test_counts_and_ordinals_are_not_dates() -> None:
    # "25th summit", "23 times", "8-point plan", "150 projects": none of these sentences yields an event.
    for prefix, published in (("004", "2019-01-04"), ("003", "2018-11"), ("000", "2018-01")):
        for _, text in _events(prefix, published):
            assert not text.startswith(
                ("Abe, who has signalled", "I’ve met with", "The 8-point", "Under the plan")
            )


def test_without_publication_date_relative_dates_stay_unresolved() -> None:
    text = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    facts = extract(text, None)
    assert facts.events == []
    assert facts.unresolved_dates >= 4


def test_weekday_unresolved_when_only_the_month_is_known() -> None:
    facts = extract("Abe said in an interview with TASS on Thursday that talks would go on.\n", "2018-11")
    assert facts.events == [] and facts.unresolved_dates == 1


def test_the_following_year_uses_the_previous_absolute_date() -> None:
    facts = extract(
        "The declaration was signed in 1956.\n\nThe following year, ambassadors were exchanged.\n"
    )
    assert [(e.date.iso(), e.text) for e in facts.events] == [
        ("1956", "The declaration was signed in 1956."),
        ("1957", "The following year, ambassadors were exchanged."),
    ]
