"""Page buttons and private answers, through the fake Discord: who turns a message's pages, and who sees it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.discord.paging import PageButton, pager_view
from tests.discord.harness import BotEnv, answer, data_of, embed_text

EPHEMERAL = 1 << 6
OTHER_USER = 1200000000000000099
CUSTOM_ID = re.compile(
    r"pg:(?P<kind>[a-z]+):(?P<qid>[0-9a-f]{12}):(?P<page>\d+):(?P<owner>\d+):(?P<slot>[fpnl])"
)


def buttons(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The answer's page buttons by label word ("First", "Previous", "Next", "Last"), each with its parts."""
    found = {}
    for row in data_of(body).get("components") or []:
        for button in row["components"]:
            match = CUSTOM_ID.fullmatch(button["custom_id"])
            assert match, button["custom_id"]
            word = next(w for w in button["label"].split() if w.isalpha())
            found[word] = {**button, **match.groupdict()}
    return found


def message_of(env: BotEnv) -> str:
    """The id of the message the last interaction callback created."""
    callback = env.fake.requests_to("POST", "/interactions/{i}/{t}/callback")[-1]
    return callback.response["resource"]["message"]["id"]


def page_number(body: dict[str, Any]) -> str:
    found = re.search(r"Page (\d+)/(\d+)", embed_text(body))
    assert found, embed_text(body)
    return found.group(1)


@pytest.mark.asyncio
async def test_answers_with_more_than_three_pages_get_first_and_last_buttons(env: BotEnv) -> None:
    body = await answer(env.fake, env.fake.command_interaction("quote", {}))  # 20 quotes, 4 a page
    found = buttons(body)
    assert list(found) == ["First", "Previous", "Next", "Last"]
    assert found["First"]["disabled"] and found["Previous"]["disabled"]
    assert not found["Next"]["disabled"] and found["Last"]["page"] == "4"
    assert {b["owner"] for b in found.values()} == {str(env.fake.user_id)}

    last = await answer(
        env.fake, env.fake.component_interaction(found["Last"]["custom_id"], message=message_of(env))
    )
    assert last["type"] == 7 and page_number(last) == "5"
    at_last = buttons(last)
    assert at_last["Last"]["disabled"] and at_last["Next"]["disabled"] and not at_last["First"]["disabled"]
    assert at_last["Previous"]["page"] == "3"


@pytest.mark.asyncio
async def test_two_or_three_pages_get_previous_and_next_only(env: BotEnv) -> None:
    body = await answer(env.fake, env.fake.command_interaction("timeline", {"from": 1956, "to": 2019}))
    assert list(buttons(body)) == ["Previous", "Next"]
    # Every custom id of a message differs, as Discord requires, on every page of a long answer too.
    for page in range(5):
        view = pager_view("quote", "0123456789ab", page, 5, owner=1)
        assert view is not None
        ids = [item.custom_id for item in view.children if isinstance(item, PageButton)]
        assert len(ids) == len(set(ids)) == 4


@pytest.mark.asyncio
async def test_others_pressing_a_button_get_their_own_private_copy_at_that_page(env: BotEnv) -> None:
    body = await answer(env.fake, env.fake.command_interaction("quote", {}))
    message = message_of(env)
    shown_before = env.fake.messages[int(message)]["embeds"]

    copy = await answer(
        env.fake,
        env.fake.component_interaction(buttons(body)["Next"]["custom_id"], message=message, user=OTHER_USER),
    )
    assert copy["type"] == 4  # a new message, not an edit of the asker's
    assert data_of(copy)["flags"] & EPHEMERAL
    assert page_number(copy) == "2"
    assert {b["owner"] for b in buttons(copy).values()} == {str(OTHER_USER)}
    assert env.fake.messages[int(message)]["embeds"] == shown_before

    # The copy's buttons are the presser's: they turn the copy itself.
    copy_message = message_of(env)
    turned = await answer(
        env.fake,
        env.fake.component_interaction(
            buttons(copy)["Next"]["custom_id"], message=copy_message, user=OTHER_USER
        ),
    )
    assert turned["type"] == 7 and page_number(turned) == "3"

    # The asker still turns the original.
    own = await answer(
        env.fake, env.fake.component_interaction(buttons(body)["Next"]["custom_id"], message=message)
    )
    assert own["type"] == 7 and page_number(own) == "2"


@pytest.mark.asyncio
async def test_buttons_of_messages_sent_before_they_named_an_owner_still_turn_pages(env: BotEnv) -> None:
    body = await answer(env.fake, env.fake.command_interaction("quote", {}))
    qid = buttons(body)["Next"]["qid"]
    old_style = f"pg:quote:{qid}:1"
    turned = await answer(env.fake, env.fake.component_interaction(old_style, user=OTHER_USER))
    assert turned["type"] == 7 and page_number(turned) == "2"
    ids = [b["custom_id"] for row in data_of(turned)["components"] for b in row["components"]]
    assert ids == [f"pg:quote:{qid}:0", f"pg:quote:{qid}:2"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("quote", {"speaker": "Abe", "private": True}),
        ("island", {"name": "Shikotan", "private": True}),
        ("source", {"article": "004_ca3b18b3347b43dc", "private": True}),
        ("about", {"private": True}),
    ],
)
async def test_private_answers_are_ephemeral(env: BotEnv, command: str, options: dict[str, Any]) -> None:
    private = await answer(env.fake, env.fake.command_interaction(command, options))
    assert private["type"] == 4 and data_of(private)["flags"] & EPHEMERAL
    assert data_of(private)["embeds"]
    public = await answer(env.fake, env.fake.command_interaction(command, {**options, "private": False}))
    assert not (data_of(public).get("flags") or 0) & EPHEMERAL
    assert data_of(public)["embeds"] == data_of(private)["embeds"]


@pytest.mark.asyncio
async def test_a_private_timeline_is_deferred_privately_and_keeps_its_chart_and_buttons(env: BotEnv) -> None:
    payload = env.fake.command_interaction("timeline", {"from": 1956, "to": 2019, "private": True})
    body = await answer(env.fake, payload)
    deferral = env.fake.interactions[int(payload["id"])].callbacks[0]
    assert deferral["type"] == 5 and deferral["data"]["flags"] & EPHEMERAL
    assert body["type"] == "followup" and "19 October 1956" in embed_text(body)
    assert [f.filename for f in body["files"]] == ["timeline.png"]
    assert list(buttons(body)) == ["Previous", "Next"]
