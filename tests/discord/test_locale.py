"""Answers in the member's language, through the fake Discord: the bot's own wording and dates follow the
interaction's locale; article text, names and ids stay as written."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.discord.harness import BotEnv, answer, data_of, embed_text

EPHEMERAL = 1 << 6
OTHER_USER = 1200000000000000099
SAID = "Both Russia and Japan are very important, respectable states"


def events(body: dict[str, Any]) -> list[str]:
    """A timeline page's events as written in the article: each line's text after the date, marks dropped."""
    description = data_of(body)["embeds"][0]["description"]
    return [re.sub(r" (\[\d+\])+$", "", line.split(" — ", 1)[1]) for line in description.splitlines()]


def field_names(body: dict[str, Any]) -> list[str]:
    return [f["name"] for e in data_of(body)["embeds"] for f in e.get("fields") or []]


async def timeline_1956(env: BotEnv, locale: str) -> dict[str, Any]:
    return await answer(
        env.fake, env.fake.command_interaction("timeline", {"from": 1956, "to": 1956}, locale=locale)
    )


@pytest.mark.asyncio
async def test_a_japanese_member_gets_japanese_wording_and_dates_with_articles_as_written(
    env: BotEnv,
) -> None:
    english = await timeline_1956(env, "en-US")
    japanese = await timeline_1956(env, "ja")
    embed = data_of(japanese)["embeds"][0]
    assert embed["title"] == "年表 1956–1956"
    assert "**1956年10月19日** — " in embed["description"]
    assert "19 October 1956" not in embed_text(japanese)
    assert field_names(japanese)[0] == "出典"
    assert embed["footer"]["text"].startswith("1/1ページ · ")
    # The events themselves, and the outlets cited, are the articles' English.
    assert events(japanese) == events(english) and events(english)
    assert "TASS" in embed_text(japanese)


@pytest.mark.asyncio
async def test_a_russian_member_gets_russian_wording_and_dates_with_articles_as_written(env: BotEnv) -> None:
    english = await timeline_1956(env, "en-GB")
    russian = await timeline_1956(env, "ru")
    embed = data_of(russian)["embeds"][0]
    assert embed["title"] == "Хронология 1956–1956"
    assert "**19 октября 1956 г.** — " in embed["description"]
    assert field_names(russian)[0] == "Источники"
    assert embed["footer"]["text"].startswith("Страница 1/1 · ")
    assert events(russian) == events(english)


@pytest.mark.asyncio
async def test_an_english_or_unknown_locale_keeps_the_english_answer(env: BotEnv) -> None:
    for locale in ("en-US", "fr"):
        body = await timeline_1956(env, locale)
        assert data_of(body)["embeds"][0]["title"] == "Timeline 1956–1956"
        assert "**19 October 1956** — " in embed_text(body)


@pytest.mark.asyncio
async def test_help_in_japanese_and_russian(env: BotEnv) -> None:
    ja = await answer(env.fake, env.fake.command_interaction("help", {}, locale="ja"))
    ru = await answer(env.fake, env.fake.command_interaction("help", {}, locale="ru"))
    assert data_of(ja)["embeds"][0]["title"] == "千島列島ファクトボット — ヘルプ"
    assert field_names(ja) == ["出典", "事実の抽出方法", "プライバシー"]
    assert data_of(ru)["embeds"][0]["title"] == "Бот фактов о Курильских островах — помощь"
    assert field_names(ru) == ["Источники", "Как извлекаются факты", "Конфиденциальность"]
    # Commands are typed as they are everywhere; what they do is said in the member's language.
    ja_text, ru_text = embed_text(ja), embed_text(ru)
    assert "`/timeline [TEXT] [from:YEAR] [to:YEAR]` — 平和条約と島々に関する出来事" in ja_text
    assert "напр. `/timeline from:1956 to:1960`" in ru_text


@pytest.mark.asyncio
async def test_check_verdicts_in_the_members_language_with_the_quote_as_said(env: BotEnv) -> None:
    ja = await answer(env.fake, env.fake.command_interaction("check", {"text": SAID}, locale="ja"))
    ru = await answer(env.fake, env.fake.command_interaction("check", {"text": SAID}, locale="ru"))
    assert data_of(ja)["embeds"][0]["title"] == "原文どおり"
    assert data_of(ru)["embeds"][0]["title"] == "Дословно"
    assert "この言葉は一字一句そのまま出典にあります。" in embed_text(ja)
    for body in (ja, ru):
        assert SAID in embed_text(body) and "Shinzo Abe" in embed_text(body)
    assert "2018年11月" in embed_text(ja) and "ноябрь 2018 г." in embed_text(ru)


@pytest.mark.asyncio
async def test_nothing_found_in_russian(env: BotEnv) -> None:
    body = await answer(env.fake, env.fake.command_interaction("island", {"name": "Atlantis"}, locale="ru"))
    embed = data_of(body)["embeds"][0]
    assert embed["title"] == "Такого острова нет"
    assert embed["description"] == "В справочнике нет острова “Atlantis”."


@pytest.mark.asyncio
async def test_a_bad_option_is_refused_in_the_askers_language(env: BotEnv) -> None:
    body = await answer(
        env.fake, env.fake.command_interaction("timeline", {"from": 1990, "to": 1960}, locale="ja")
    )
    data = data_of(body)
    assert data["flags"] & EPHEMERAL
    assert data["content"] == "`to`（1960）が`from`（1990）より前です。入れ替えると1960–1990を表示できます。"


@pytest.mark.asyncio
async def test_page_buttons_turn_pages_in_the_pressers_language(env: BotEnv) -> None:
    asked = await answer(env.fake, env.fake.command_interaction("quote", {}, locale="ja"))
    labels = [b["label"] for row in data_of(asked)["components"] for b in row["components"]]
    assert labels == ["⏮ 最初", "◀ 前へ", "次へ ▶", "最後 ⏭"]
    callback = env.fake.requests_to("POST", "/interactions/{i}/{t}/callback")[-1]
    message = callback.response["resource"]["message"]["id"]
    next_id = data_of(asked)["components"][0]["components"][2]["custom_id"]

    # Someone else, in Russian, presses Next: their private copy is in Russian, the asker's stays Japanese.
    copy = await answer(
        env.fake,
        env.fake.component_interaction(next_id, message=message, user=OTHER_USER, locale="ru"),
    )
    assert data_of(copy)["flags"] & EPHEMERAL
    assert data_of(copy)["embeds"][0]["footer"]["text"].startswith("Страница 2/5 · ")
    assert [b["label"] for row in data_of(copy)["components"] for b in row["components"]][2] == "Вперёд ▶"
    assert env.fake.messages[int(message)]["embeds"][0]["footer"]["text"].startswith("1/5ページ")

    # The asker, now in English, turns their own message: the page reads in English.
    turned = await answer(env.fake, env.fake.component_interaction(next_id, message=message, locale="en-US"))
    assert turned["type"] == 7
    assert data_of(turned)["embeds"][0]["footer"]["text"].startswith("Page 2/5 · ")


@pytest.mark.asyncio
async def test_about_in_russian_with_article_titles_as_written(env: BotEnv) -> None:
    english = await answer(env.fake, env.fake.command_interaction("about", {}))
    russian = await answer(env.fake, env.fake.command_interaction("about", {}, locale="ru"))
    embed = data_of(russian)["embeds"][0]
    assert embed["title"] == "Бот фактов о Курильских островах"
    assert "статей: **5** · датированных событий: **" in embed["description"]
    assert field_names(russian)[:2] == ["Как извлекаются факты", "Статьи"]
    articles = [f["value"] for f in embed["fields"] if f["name"] == "Статьи"]
    assert articles == [
        f["value"] for f in data_of(english)["embeds"][0]["fields"] if f["name"] == "Articles"
    ]


def preview(*options: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": 1, "name": "preview", "options": list(options)}]


@pytest.mark.asyncio
async def test_daily_preview_refuses_in_russian_and_shows_the_post_as_the_channel_gets_it(
    env: BotEnv,
) -> None:
    bad = await answer(
        env.fake,
        env.fake.command_interaction(
            "daily", preview({"type": 3, "name": "date", "value": "tomorrow"}), locale="ru"
        ),
    )
    assert data_of(bad)["content"] == (
        "Не могу понять дату 'tomorrow'. Используйте формат ГГГГ-ММ-ДД, например 2026-10-19."
    )
    date = {"type": 3, "name": "date", "value": "1956-10-19"}
    shown = await answer(env.fake, env.fake.command_interaction("daily", preview(date), locale="ru"))
    assert data_of(shown)["embeds"][0]["title"] == "On this day in 1956"  # posts go out in English
