"""Each slash command, dispatched as Discord would: a raw interaction payload through the command tree."""

from __future__ import annotations

import logging
import sys

import pytest

from tests.discord.harness import (
    CHANNEL_IDS,
    MANAGE_GUILD,
    PLAIN_MEMBER,
    BotEnv,
    answer,
    data_of,
    embed_text,
)

EPHEMERAL = 1 << 6


def assert_no_mentions(body: dict) -> None:
    assert data_of(body)["allowed_mentions"] == {"parse": []}


@pytest.mark.asyncio
async def test_timeline_defers_then_answers_with_chart_citations_and_pages(env: BotEnv) -> None:
    body = await answer(env.fake, env.fake.command_interaction("timeline", {"from": 1956, "to": 2019}))
    assert body["type"] == "followup"
    data = data_of(body)
    assert_no_mentions(body)
    text = embed_text(body)
    assert "19 October 1956" in text and "[1]" in text and "TASS" in text
    assert [f.filename for f in body["files"]] == ["timeline.png"]
    assert body["files"][0].data.startswith(b"\x89PNG")
    assert data["embeds"][0]["image"]["url"] == "attachment://timeline.png"
    buttons = [c for row in data["components"] for c in row["components"]]
    assert [b["custom_id"].split(":")[3] for b in buttons] == ["0", "1"]
    assert buttons[0]["disabled"] is True


@pytest.mark.asyncio
async def test_timeline_whose_chart_cannot_be_drawn_is_answered_without_it(
    env: BotEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> bytes:
        raise ValueError("a label the renderer cannot draw")

    cog = env.bot.get_cog("Timeline")
    monkeypatch.setattr(sys.modules[type(cog).__module__], "timeline_png", broken)  # the module as loaded
    body = await answer(env.fake, env.fake.command_interaction("timeline", {"from": 1956, "to": 2019}))
    data = data_of(body)
    assert "19 October 1956" in embed_text(body) and body["files"] == []
    assert data["content"] == "(Chart skipped: it could not be drawn; the events are all below.)"


@pytest.mark.asyncio
async def test_timeline_to_before_from_is_a_friendly_ephemeral_error(env: BotEnv) -> None:
    body = await answer(env.fake, env.fake.command_interaction("timeline", {"from": 1990, "to": 1960}))
    assert body["type"] == 4
    assert data_of(body)["flags"] & EPHEMERAL
    assert "before" in data_of(body)["content"]


@pytest.mark.asyncio
async def test_timeline_chart_has_a_per_user_cooldown(env: BotEnv) -> None:
    first = await answer(env.fake, env.fake.command_interaction("timeline", {"about": "declaration"}))
    second = await answer(env.fake, env.fake.command_interaction("timeline", {"about": "declaration"}))
    assert first["files"] and not second["files"]
    assert "Chart skipped" in data_of(second)["content"]
    # The same question's pages are drawn once and shared: neither the chart of one answer nor the note of
    # another stays on them.
    assert "image" not in data_of(second)["embeds"][0]
    assert data_of(second)["embeds"][0]["description"] == data_of(first)["embeds"][0]["description"]
    env.clock.advance(seconds=31)
    third = await answer(env.fake, env.fake.command_interaction("timeline", {"about": "declaration"}))
    assert third["files"]
    assert not data_of(third).get("content")


@pytest.mark.asyncio
async def test_page_buttons_turn_pages(env: BotEnv) -> None:
    body = await answer(env.fake, env.fake.command_interaction("timeline", {}))
    data = data_of(body)
    next_button = next(b for b in data["components"][0]["components"] if "Next" in b["label"])
    message_id = env.fake.requests_to("POST", "/webhooks/{a}/{t}")[-1].response["id"]
    click = env.fake.component_interaction(next_button["custom_id"], message=message_id)
    update = await answer(env.fake, click)
    assert update["type"] == 7
    assert "Page 2/" in embed_text(update)
    assert_no_mentions(update)


@pytest.mark.asyncio
async def test_quote_by_speaker_and_text(env: BotEnv) -> None:
    body = await answer(
        env.fake, env.fake.command_interaction("quote", {"about": "peace treety", "speaker": "Abe"})
    )
    assert body["type"] == 4
    text = embed_text(body)
    assert "Shinzo Abe" in text and "peace treaty" in text and "Sources" in text
    assert_no_mentions(body)


@pytest.mark.asyncio
async def test_quote_unknown_speaker_suggests(env: BotEnv) -> None:
    body = await answer(env.fake, env.fake.command_interaction("quote", {"speaker": "Lavrow"}))
    assert "No such speaker" in embed_text(body) and "Did you mean" in embed_text(body)


@pytest.mark.asyncio
@pytest.mark.parametrize("typed", ["Etorofu", "択捉島", "Итуруп", "iturup island"])
async def test_island_by_any_alias(env: BotEnv, typed: str) -> None:
    body = await answer(env.fake, env.fake.command_interaction("island", {"name": typed}))
    data = data_of(body)
    assert data["embeds"][0]["title"] == "Iturup"
    assert "Kunashir and Iturup islands" in embed_text(body)
    assert_no_mentions(body)


@pytest.mark.asyncio
async def test_island_page_shows_its_groups_facts_and_marks_the_curated_line_as_background(
    env: BotEnv,
) -> None:
    body = await answer(env.fake, env.fake.command_interaction("island", {"name": "Shikotan"}))
    description = data_of(body)["embeds"][0]["description"]
    background, _, history = description.partition("\nAlso: ")
    assert background == (
        "> *The smaller inhabited island promised to Japan in the 1956 Joint Declaration.*\n"
        "> Background from the bot's curated gazetteer (data/gazetteer.toml), not an article"
    )
    # Its own sentences first, then the group's under a heading: the World War II sentence names the
    # Kuril Islands, not Shikotan.
    own, _, groups = history.partition("__**Group facts: Kuril Islands**__")
    assert "Shikotan" in own and "all Kuril Islands were incorporated into the Soviet Union" in groups
    assert "Group facts: Southern Kurils" in embed_text(body)
    assert "4 facts about Shikotan, 7 about its groups" in embed_text(body)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Etor", "Iturup"),
        ("択捉", "Iturup"),
        ("Итур", "Iturup"),
        ("Shikotn", "Shikotan"),
        ("habo", "Habomai"),
        ("", "Iturup"),
    ],
)
async def test_island_autocomplete(env: BotEnv, typed: str, expected: str) -> None:
    body = await answer(
        env.fake, env.fake.autocomplete_interaction("island", {"name": typed}, focused="name")
    )
    assert body["type"] == 8
    choices = data_of(body)["choices"]
    assert 0 < len(choices) <= 25
    assert expected in [c["value"] for c in choices]
    assert all(1 <= len(c["name"]) <= 100 for c in choices)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("typed", "expected"), [("ab", "Shinzo Abe"), ("Putn", "Vladimir Putin"), ("", "Shinzo Abe")]
)
async def test_speaker_autocomplete(env: BotEnv, typed: str, expected: str) -> None:
    body = await answer(
        env.fake, env.fake.autocomplete_interaction("quote", {"speaker": typed}, focused="speaker")
    )
    assert expected in [c["value"] for c in data_of(body)["choices"]]


@pytest.mark.asyncio
async def test_about_autocomplete_completes_words(env: BotEnv) -> None:
    body = await answer(
        env.fake, env.fake.autocomplete_interaction("quote", {"about": "peace tre"}, focused="about")
    )
    assert "peace treaty" in [c["value"] for c in data_of(body)["choices"]]


@pytest.mark.asyncio
async def test_source_shows_the_article_with_link_and_text(env: BotEnv) -> None:
    body = await answer(env.fake, env.fake.command_interaction("source", {"article": "004_ca3b18b3347b43dc"}))
    embed = data_of(body)["embeds"][0]
    assert embed["title"] == "Japan Plans to Push for Peace Treaty With Russia, PM Says"
    assert embed["url"].startswith("https://themoscowtimes.com/")
    assert "The Moscow Times" in embed_text(body) and "2019-01-04" in embed_text(body)
    assert "Ise" in embed["description"]


@pytest.mark.asyncio
async def test_source_autocomplete_lists_articles(env: BotEnv) -> None:
    body = await answer(
        env.fake, env.fake.autocomplete_interaction("source", {"article": "moscow"}, focused="article")
    )
    assert "004_ca3b18b3347b43dc" in [c["value"] for c in data_of(body)["choices"]]


@pytest.mark.asyncio
async def test_about_lists_the_corpus(env: BotEnv) -> None:
    body = await answer(env.fake, env.fake.command_interaction("about", {}))
    text = embed_text(body)
    assert "**5** articles" in text and "004_ca3b18b3347b43dc" in text


@pytest.mark.asyncio
async def test_daily_subscribe_needs_manage_server_at_run_time(env: BotEnv) -> None:
    channel = CHANNEL_IDS[0]
    refused = await answer(
        env.fake,
        env.fake.command_interaction(
            "daily",
            [
                {
                    "type": 1,
                    "name": "subscribe",
                    "options": [
                        {"type": 7, "name": "channel", "value": str(channel)},
                        {"type": 3, "name": "time", "value": "09:00"},
                        {"type": 3, "name": "timezone", "value": "Asia/Tokyo"},
                    ],
                }
            ],
            member_permissions=PLAIN_MEMBER,
        ),
    )
    assert data_of(refused)["flags"] & EPHEMERAL and "Manage Server" in data_of(refused)["content"]
    assert await env.bot.state.get_subscription(channel) is None

    accepted = await answer(
        env.fake,
        env.fake.command_interaction(
            "daily",
            [
                {
                    "type": 1,
                    "name": "subscribe",
                    "options": [
                        {"type": 7, "name": "channel", "value": str(channel)},
                        {"type": 3, "name": "time", "value": "9:00"},
                        {"type": 3, "name": "timezone", "value": "jst"},
                    ],
                }
            ],
            member_permissions=MANAGE_GUILD | PLAIN_MEMBER,
        ),
    )
    assert "Subscribed" in data_of(accepted)["content"]
    sub = await env.bot.state.get_subscription(channel)
    assert sub is not None and sub.timezone == "Asia/Tokyo" and sub.post_time_text == "09:00"


@pytest.mark.asyncio
async def test_daily_bad_time_and_zone_are_explained(env: BotEnv) -> None:
    body = await answer(
        env.fake,
        env.fake.command_interaction(
            "daily",
            [
                {
                    "type": 1,
                    "name": "subscribe",
                    "options": [
                        {"type": 7, "name": "channel", "value": str(CHANNEL_IDS[0])},
                        {"type": 3, "name": "time", "value": "25:99"},
                        {"type": 3, "name": "timezone", "value": "Mars/Olympus"},
                    ],
                }
            ],
            member_permissions=MANAGE_GUILD,
        ),
    )
    assert data_of(body)["flags"] & EPHEMERAL
    assert await env.bot.state.get_subscription(CHANNEL_IDS[0]) is None


@pytest.mark.asyncio
async def test_daily_status_shows_a_malformed_subscription_and_every_readable_one(env: BotEnv) -> None:
    state = env.bot.state
    for channel in CHANNEL_IDS[:2]:
        await state.subscribe(env.fake.guild_id, channel, "08:30", "Europe/Moscow", 1)
    await state._conn.execute(
        "UPDATE subscriptions SET post_time = 'half past eight' WHERE channel_id = ?", (CHANNEL_IDS[0],)
    )
    status = await answer(
        env.fake,
        env.fake.command_interaction(
            "daily", [{"type": 1, "name": "status"}], member_permissions=MANAGE_GUILD
        ),
    )
    text = embed_text(status)
    assert f"<#{CHANNEL_IDS[1]}> — 08:30 Europe/Moscow — active" in text
    assert f"<#{CHANNEL_IDS[0]}> — cannot be read (its stored post_time is malformed)" in text


@pytest.mark.asyncio
async def test_daily_status_preview_and_unsubscribe(env: BotEnv) -> None:
    await env.bot.state.subscribe(env.fake.guild_id, CHANNEL_IDS[1], "08:30", "Europe/Moscow", 1)
    status = await answer(
        env.fake,
        env.fake.command_interaction(
            "daily", [{"type": 1, "name": "status"}], member_permissions=MANAGE_GUILD
        ),
    )
    assert "08:30 Europe/Moscow" in embed_text(status)
    preview = await answer(
        env.fake,
        env.fake.command_interaction(
            "daily",
            [{"type": 1, "name": "preview"}],
            channel_id=CHANNEL_IDS[1],
            member_permissions=MANAGE_GUILD,
        ),
    )
    assert data_of(preview)["flags"] & EPHEMERAL and "[1]" in embed_text(preview)
    gone = await answer(
        env.fake,
        env.fake.command_interaction(
            "daily",
            [
                {
                    "type": 1,
                    "name": "unsubscribe",
                    "options": [{"type": 7, "name": "channel", "value": str(CHANNEL_IDS[1])}],
                }
            ],
            member_permissions=MANAGE_GUILD,
        ),
    )
    assert "no longer" in data_of(gone)["content"]
    assert await env.bot.state.get_subscription(CHANNEL_IDS[1]) is None


@pytest.mark.asyncio
async def test_daily_preview_shows_the_date_the_snippet_would_be_posted_for(env: BotEnv) -> None:
    # 12:00 UTC is 21:00 in Tokyo: today's 09:00 post time has passed, so the next post is tomorrow's.
    await env.bot.state.subscribe(
        env.fake.guild_id, CHANNEL_IDS[0], "09:00", "Asia/Tokyo", 1, now=env.clock()
    )
    preview = await answer(
        env.fake,
        env.fake.command_interaction(
            "daily",
            [{"type": 1, "name": "preview"}],
            channel_id=CHANNEL_IDS[0],
            member_permissions=MANAGE_GUILD,
        ),
    )
    footer = data_of(preview)["embeds"][0]["footer"]["text"]
    assert footer.startswith("daily 2026-11-23 · event:"), footer


@pytest.mark.asyncio
async def test_failures_get_an_ephemeral_reply_and_a_log_line_with_the_interaction_id(
    env: BotEnv, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("store exploded")

    monkeypatch.setattr(env.bot.facts.store, "island_facts", broken)
    payload = env.fake.command_interaction("island", {"name": "Shikotan"})
    with caplog.at_level(logging.ERROR, logger="bot.discord.replies"):
        body = await answer(env.fake, payload)
    assert data_of(body)["flags"] & EPHEMERAL and "went wrong" in data_of(body)["content"]
    assert "store exploded" not in data_of(body)["content"]
    assert any(payload["id"] in r.getMessage() for r in caplog.records)


@pytest.mark.asyncio
async def test_commands_are_localised_in_japanese_and_russian(env: BotEnv) -> None:
    synced = {c["name"]: c for c in env.fake.global_commands}
    assert set(synced) == {
        "timeline",
        "quote",
        "island",
        "source",
        "daily",
        "about",
        "help",
        "check",
        "Check quotes",
    }
    assert synced["Check quotes"]["type"] == 3
    assert synced["Check quotes"]["name_localizations"]["ja"] == "引用を検証"
    assert synced["island"]["name_localizations"]["ja"] == "島"
    assert synced["island"]["name_localizations"]["ru"] == "остров"
    assert synced["timeline"]["description_localizations"]["ru"].startswith("События")
    assert synced["daily"]["default_member_permissions"] == str(MANAGE_GUILD)


@pytest.mark.asyncio
async def test_timeline_about_autocomplete(env: BotEnv) -> None:
    body = await answer(
        env.fake, env.fake.autocomplete_interaction("timeline", {"about": "declar"}, focused="about")
    )
    values = [c["value"] for c in data_of(body)["choices"]]
    assert "declaration" in values


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("tokyo", "Asia/Tokyo"),
        ("Moscow", "Europe/Moscow"),
        ("new york", "America/New_York"),
        ("", "Asia/Tokyo"),
    ],
)
async def test_daily_timezone_autocomplete(env: BotEnv, typed: str, expected: str) -> None:
    payload = env.fake.autocomplete_interaction(
        "daily",
        [
            {
                "type": 1,
                "name": "subscribe",
                "options": [{"type": 3, "name": "timezone", "value": typed, "focused": True}],
            }
        ],
        member_permissions=MANAGE_GUILD,
    )
    body = await answer(env.fake, payload)
    choices = data_of(body)["choices"]
    assert expected in [c["value"] for c in choices] and len(choices) <= 25


@pytest.mark.asyncio
async def test_every_command_extension_is_loaded(env: BotEnv) -> None:
    from bot.discord.client import extension_names

    assert set(env.bot.extensions) == set(extension_names())
    assert {
        "commands.timeline",
        "commands.quote",
        "commands.island",
        "commands.source",
        "commands.daily",
        "commands.about",
    } <= set(env.bot.extensions)
