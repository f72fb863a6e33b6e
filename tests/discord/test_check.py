"""`/check` and the message menu "Check quotes", dispatched as Discord sends them, through the fake Discord."""

from __future__ import annotations

import pytest

from tests.discord.harness import BotEnv, answer, data_of, embed_text

EPHEMERAL = 1 << 6
# Words of the bundled articles, said by Shinzo Abe (002, November 2018).
SAID = "Both Russia and Japan are very important, respectable states"


def titles(body: dict) -> list[str]:
    return [e["title"] for e in data_of(body)["embeds"]]


async def check(env: BotEnv, **options: object) -> dict:
    return await answer(env.fake, env.fake.command_interaction("check", options))


async def menu(env: BotEnv, content: str, **kwargs: object) -> dict:
    return await answer(env.fake, env.fake.message_command_interaction("Check quotes", content, **kwargs))


@pytest.mark.asyncio
async def test_verbatim_quote_is_public_with_speaker_date_and_citation(env: BotEnv) -> None:
    body = await check(env, text=f"“{SAID}”")
    data = data_of(body)
    assert titles(body) == ["Verbatim"]
    assert not data.get("flags", 0) & EPHEMERAL
    assert data["allowed_mentions"] == {"parse": []}
    text = embed_text(body)
    assert "Shinzo Abe" in text and "November 2018" in text and "[1]" in text
    assert "002_380fd8410995192f" in text


@pytest.mark.asyncio
async def test_altered_quote_lists_the_changed_words_and_the_flipped_meaning(env: BotEnv) -> None:
    body = await check(env, text="Both Russia and Japan are not important, respectable states", speaker="Abe")
    assert titles(body) == ["Altered · as Shinzo Abe's"]
    text = embed_text(body)
    assert "changed: “not” where the source says “very”" in text
    assert "the meaning is turned around" in text


@pytest.mark.asyncio
async def test_trimmed_quote_shows_what_was_left_out(env: BotEnv) -> None:
    body = await check(env, text="Russia and Japan are very important")
    assert titles(body) == ["Trimmed"]
    text = embed_text(body)
    assert "left out before: “… Both”" in text and "left out after: “respectable states …”" in text


@pytest.mark.asyncio
async def test_words_of_another_speaker_name_who_said_them(env: BotEnv) -> None:
    body = await check(env, text=SAID, speaker="Lavrov")
    assert titles(body)[0].startswith("Said by someone else")
    assert "but “Shinzo Abe” said them" in embed_text(body)


@pytest.mark.asyncio
async def test_invented_quote_is_not_in_the_sources_and_never_called_false(env: BotEnv) -> None:
    body = await check(env, text="We will hand all four islands to Japan next Tuesday without conditions")
    assert titles(body) == ["Not in the sources"]
    text = embed_text(body).lower()
    assert "5 articles searched" in text
    assert "false" not in text and "fake" not in text


@pytest.mark.asyncio
async def test_private_check_is_ephemeral(env: BotEnv) -> None:
    body = await check(env, text=SAID, private=True)
    assert data_of(body)["flags"] & EPHEMERAL and titles(body) == ["Verbatim"]


@pytest.mark.asyncio
async def test_empty_check_is_a_friendly_ephemeral_error(env: BotEnv) -> None:
    body = await check(env, text="  “ ” ")
    assert data_of(body)["flags"] & EPHEMERAL
    assert "words of the quotation" in data_of(body)["content"]


@pytest.mark.asyncio
async def test_speaker_autocomplete_offers_quoted_speakers(env: BotEnv) -> None:
    payload = env.fake.autocomplete_interaction("check", {"text": "x", "speaker": "ab"}, focused="speaker")
    body = await answer(env.fake, payload)
    values = [c["value"] for c in data_of(body)["choices"]]
    assert "Shinzo Abe" in values


@pytest.mark.asyncio
async def test_menu_checks_each_quotation_of_a_message_for_the_asker_only(env: BotEnv) -> None:
    message = (
        f'Abe said "{SAID}" and then, according to my uncle, "we will give back every island tomorrow '
        'morning for free". Also Putin said: "Russia and Japan are very important."'
    )
    body = await menu(env, message)
    data = data_of(body)
    assert data["flags"] & EPHEMERAL
    found = titles(body)
    assert len(found) == 3
    assert found[0] == "Verbatim · as Shinzo Abe's"
    assert found[1].startswith("Not in the sources")
    assert found[2] == "Said by someone else · as Vladimir Putin's"


@pytest.mark.asyncio
async def test_menu_on_a_message_without_quotation_marks_checks_all_of_it(env: BotEnv) -> None:
    body = await menu(env, SAID)
    assert titles(body) == ["Verbatim"]


@pytest.mark.asyncio
async def test_menu_on_a_message_with_no_words_says_there_is_nothing_to_check(env: BotEnv) -> None:
    body = await menu(env, "", embeds=[])
    assert data_of(body)["flags"] & EPHEMERAL
    assert titles(body) == ["Nothing to check"]


@pytest.mark.asyncio
async def test_menu_checks_at_most_five_quotations(env: BotEnv) -> None:
    message = " ".join(
        f'Someone said "this is invented sentence number {n} about the islands".' for n in range(8)
    )
    body = await menu(env, message)
    assert len(titles(body)) == 5


@pytest.mark.asyncio
async def test_hostile_message_is_answered_within_limits_and_pings_nobody(env: BotEnv) -> None:
    hidden = "Both Russia and Japan are very im\u200bportant, respectable\u2060 states"
    filler = "@everyone <@1200000000000000099> **bold** __under__ `code` ~~gone~~ > quoted\n"
    message = f'"{hidden}" — @here <@&1200000000000000001>\n' + filler * 80
    message = message[:6000]
    body = await menu(env, message)
    data = data_of(body)
    assert data["allowed_mentions"] == {"parse": []}
    assert titles(body)[0] == "Verbatim"
    assert sum(len(e.get("description") or "") for e in data["embeds"]) < 6000
    # What the message said is shown inert: no mention or markdown of it takes effect.
    assert "@everyone" not in embed_text(body) and "<@1200000000000000099>" not in embed_text(body)
    long = "@everyone " + "x" * 6000
    body = await check(env, text=long)
    assert titles(body) == ["Not in the sources"] and "<@" not in embed_text(body)
