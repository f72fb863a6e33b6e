"""The catalogues: every string the bot says in its own words has a Japanese and a Russian translation."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from bot.answers import help as help_text
from bot.answers.daily import UNKNOWN_ZONE
from bot.answers.questions import DISCORD_ONLY, PRIVATE, QUESTIONS
from bot.models import Citation, PartialDate
from bot.render.locales import CATALOGUES, N_, locale_code, lookup, translate
from bot.render.text import citation_label, date_label
from bot.render.wording import VERDICT_TITLES

ROOT = Path(__file__).resolve().parents[2]
# Calls whose first text argument is English the bot says in its own words.
LOOKUPS = {"translate", "t", "N_", "QueryError", "UserFacingError", "_required"}


def _marked_strings() -> set[str]:
    """Every string literal handed to a lookup (or marked with N_) in the bot's code and its cogs."""
    found = set()
    for path in [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("commands").rglob("*.py")]:
        if "locales" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in LOOKUPS:
                continue
            for arg in node.args[:2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
                    break
    return found


def _english_keys() -> set[str]:
    """The marked strings, and the command table's wording that reaches the catalogue through a variable."""
    keys = _marked_strings()
    keys.update(VERDICT_TITLES.values())
    keys.update(
        {help_text.SOURCES, help_text.EXTRACTION, help_text.PRIVACY, PRIVATE.description, UNKNOWN_ZONE}
    )
    for q in QUESTIONS.values():
        keys.add(q.description)
        keys.update(o.description for o in q.options)
    keys.update(c.description for c in DISCORD_ONLY)
    return keys


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_the_scan_finds_the_wording_it_should() -> None:
    keys = _english_keys()
    # One from each kind of place: a lookup, a mark, a query error, a help text and a command description.
    assert "Did you mean" in keys
    assert "Said by someone else" in keys
    assert "`limit` must be at least 1." in keys
    assert help_text.PRIVACY in keys
    assert QUESTIONS["timeline"].description in keys


@pytest.mark.parametrize("locale", sorted(CATALOGUES))
def test_every_catalogue_key_exists_in_the_language(locale: str) -> None:
    missing = sorted(k for k in _english_keys() if k not in CATALOGUES[locale])
    assert missing == []


@pytest.mark.parametrize("locale", sorted(CATALOGUES))
def test_translations_keep_the_placeholders_of_their_english(locale: str) -> None:
    wrong = {k: v for k, v in CATALOGUES[locale].items() if _fields(k) != _fields(v)}
    assert wrong == {}


def test_japanese_and_russian_translate_the_same_strings() -> None:
    assert set(CATALOGUES["ja"]) == set(CATALOGUES["ru"])


def test_catalogues_have_no_translation_of_nothing() -> None:
    for catalogue in CATALOGUES.values():
        assert all(v.strip() for v in catalogue.values())


def test_missing_translation_falls_back_to_english() -> None:
    assert lookup("ja", "words no catalogue has") is None
    assert translate("ja", "Only {n} words", n=3) == "Only 3 words"
    assert translate("fr", "Sources") == "Sources"


def test_locales_are_read_as_discord_and_people_write_them() -> None:
    assert [locale_code(x) for x in ("ja", "ru", "en-US", "ja_JP", "RU", None, "zh-CN", "")] == [
        "ja",
        "ru",
        "en",
        "ja",
        "ru",
        "en",
        "en",
        "en",
    ]


def test_marked_text_is_returned_as_it_is() -> None:
    assert N_("Verbatim") == "Verbatim"


def test_dates_in_japanese() -> None:
    assert date_label(PartialDate(2018, 11, 14), "ja") == "2018年11月14日"
    assert date_label(PartialDate(2018, 11, None), "ja") == "2018年11月"
    assert date_label(PartialDate(1956, None, None), "ja") == "1956年"
    assert date_label(None, "ja") == "日付不明"


def test_dates_in_russian_take_the_genitive_after_a_day() -> None:
    assert date_label(PartialDate(2018, 11, 14), "ru") == "14 ноября 2018 г."
    assert date_label(PartialDate(2018, 11, None), "ru") == "ноябрь 2018 г."
    assert date_label(PartialDate(1956, 3, 1), "ru") == "1 марта 1956 г."
    assert date_label(PartialDate(1956, None, None), "ru") == "1956 г."
    assert date_label(None, "ru") == "без даты"


def test_dates_in_english_are_as_before() -> None:
    assert date_label(PartialDate(1956, 10, 19)) == "19 October 1956"
    assert date_label(PartialDate(2016, 5, None), "en") == "May 2016"
    assert date_label(PartialDate(1956, None, None), "de") == "1956"


def test_russian_and_japanese_months_are_twelve_and_distinct() -> None:
    from bot.render.locales import ja, ru

    for names in (ja.MONTHS, ja.MONTHS_OF, ru.MONTHS, ru.MONTHS_OF):
        assert len(names) == 12
        assert len(set(names)) == 12
    assert all(re.fullmatch(r"[а-я]+", m) for m in ru.MONTHS_OF)


def test_a_citation_without_outlet_or_date_says_so_in_the_language() -> None:
    cite = Citation("001_x", "Talks resume", None, None, None, "Talks resume", 0, 12)
    assert citation_label(cite, "ru") == "Издание неизвестно, дата неизвестна — “Talks resume” (001_x)"
    assert citation_label(cite) == "Unknown outlet, date unknown — “Talks resume” (001_x)"
