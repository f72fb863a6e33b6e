"""What keeps a burst of commands answered in time: the answer goes out before any database write, repeated
questions are answered from pages already drawn, and a chart waits for the burst to pass."""

from __future__ import annotations

import asyncio
import itertools
import sys
from typing import Any

import pytest

from bot.discord.paging import query_id
from bot.discord.replies import QUIET_AFTER_S, Backlog
from tests.discord.harness import APP_ID, BotEnv, answer, data_of, embed_text
from tests.waits import within


def _next_button(body: dict[str, Any]) -> str:
    buttons = [b for row in data_of(body)["components"] for b in row["components"]]
    return str(next(b["custom_id"] for b in buttons if b["custom_id"].endswith(":n")))


def _message_id(env: BotEnv) -> str:
    return str(
        env.fake.requests_to("POST", "/interactions/{i}/{t}/callback")[-1].response["resource"]["message"][
            "id"
        ]
    )


@pytest.mark.asyncio
async def test_the_answer_goes_out_before_its_page_query_is_written(
    env: BotEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = asyncio.Event()
    written: list[str] = []
    save = env.bot.state.save_page_query

    async def slow_save(qid: str, options: str, **kwargs: Any) -> None:
        await release.wait()  # a write queued behind many others
        await save(qid, options, **kwargs)
        written.append(qid)

    monkeypatch.setattr(env.bot.state, "save_page_query", slow_save)
    body = await answer(env.fake, env.fake.command_interaction("quote", {}))
    assert body["type"] == 4 and "Page 1/" in embed_text(body)
    assert written == []  # answered while the write was still waiting
    # Its buttons work while the write is under way.
    turned = await answer(
        env.fake, env.fake.component_interaction(_next_button(body), message=_message_id(env))
    )
    assert turned["type"] == 7 and "Page 2/" in embed_text(turned)
    release.set()
    await within(env.bot.paging.settle(), "the page query being written")
    qid = query_id("quote", {"about": None, "speaker": None})
    assert written == [qid]
    assert await env.bot.paging.load_query(qid) == {"about": None, "speaker": None}


@pytest.mark.asyncio
async def test_a_repeated_question_is_answered_from_the_pages_already_drawn(env: BotEnv) -> None:
    drawn: list[dict[str, Any]] = []
    pager = env.bot.paging.pagers["quote"]

    async def counting(facts: Any, options: dict[str, Any], locale: str = "en-US") -> Any:
        drawn.append(options)
        return await pager(facts, options, locale)

    env.bot.paging.register("quote", counting)
    first = await answer(env.fake, env.fake.command_interaction("quote", {"speaker": "Abe"}))
    again = await answer(env.fake, env.fake.command_interaction("quote", {"speaker": "Abe"}))
    assert data_of(again)["embeds"] == data_of(first)["embeds"]
    assert drawn == [{"about": None, "speaker": "Abe"}]  # drawn once, sent twice
    # A page button of the same question turns to a page of the same drawing.
    turned = await answer(
        env.fake, env.fake.component_interaction(_next_button(again), message=_message_id(env))
    )
    assert "Page 2/" in embed_text(turned) and len(drawn) == 1
    other = await answer(env.fake, env.fake.command_interaction("quote", {"speaker": "Putin"}))
    assert "Putin" in embed_text(other)
    assert drawn == [{"about": None, "speaker": "Abe"}, {"about": None, "speaker": "Putin"}]


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.asyncio
async def test_backlog_waits_for_other_commands_to_stop_arriving() -> None:
    clock = _Clock()
    backlog = Backlog(clock)
    backlog.received(1)
    assert backlog.quiet_for(1) == float("inf")  # its own arrival does not count
    assert await backlog.until_quiet(1, patience=0.0)
    backlog.received(2)
    assert backlog.quiet_for(1) == 0.0
    waiting = asyncio.create_task(backlog.until_quiet(1, patience=1.0))
    await asyncio.sleep(0)  # it looked, and waits
    clock.now += 0.2
    backlog.received(3)  # another arrives while it waits
    clock.now += QUIET_AFTER_S * 2  # then none for a while
    assert await within(waiting, "the wait for a quiet moment") is True
    backlog.received(4)
    waiting = asyncio.create_task(backlog.until_quiet(1, patience=1.0))
    await asyncio.sleep(0)
    clock.now += 1.1
    backlog.received(5)  # still arriving when its patience ran out
    assert await within(waiting, "the wait giving up") is False


@pytest.mark.asyncio
async def test_slash_commands_are_noted_in_the_backlog_but_autocompletes_are_not(env: BotEnv) -> None:
    assert env.bot.backlog.quiet_for(0) == float("inf")
    typing = env.fake.autocomplete_interaction("quote", {"speaker": "Ab"}, focused="speaker")
    await env.fake.send_interaction(typing)
    await env.fake.wait_for_callback(typing["id"])
    assert env.bot.backlog.quiet_for(0) == float("inf")
    payload = env.fake.command_interaction("island", {"name": "Shikotan"})
    await answer(env.fake, payload)
    assert env.bot.backlog.quiet_for(0) < float("inf")
    assert env.bot.backlog.quiet_for(int(payload["id"])) == float("inf")  # only itself arrived


@pytest.mark.asyncio
async def test_a_chart_asked_for_while_commands_keep_arriving_is_left_out(
    env: BotEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    cog = env.bot.get_cog("Timeline")
    monkeypatch.setattr(sys.modules[type(cog).__module__], "CHART_PATIENCE_S", 0.0)  # the module as loaded
    env.bot.backlog = Backlog(lambda: 100.0)  # time stands still: the last arrival is always just now
    env.bot.backlog.received(1)
    body = await answer(env.fake, env.fake.command_interaction("timeline", {"from": 1956, "to": 2019}))
    assert body["files"] == [] and "19 October 1956" in embed_text(body)
    assert data_of(body)["content"] == "(Chart skipped: the bot is busy answering others; ask again shortly.)"


@pytest.mark.asyncio
async def test_backlog_waits_until_every_command_had_its_first_response() -> None:
    backlog = Backlog()
    assert await backlog.until_answered(patience=0.0)  # nothing waits
    backlog.received(1)
    backlog.received(2)
    backlog.responded(1)  # the caller, deferred
    waiting = asyncio.create_task(backlog.until_answered(patience=60.0))
    await asyncio.sleep(0)
    assert not waiting.done() and backlog.unanswered == 1
    backlog.responded(2)
    assert await within(waiting, "the wait for the first responses") is True
    backlog.received(3)  # a command that never answers: the wait gives up
    assert await backlog.until_answered(patience=0.0) is False
    backlog.responded(3)
    backlog.responded(3)  # a command ending after its deferral says so twice
    assert backlog.unanswered == 0 and await backlog.until_answered(patience=0.0)


@pytest.mark.asyncio
async def test_what_waited_for_a_burst_goes_on_one_turn_of_the_loop_at_a_time() -> None:
    backlog = Backlog()
    backlog.received(1)
    done: list[int] = []

    async def follow_up(n: int) -> None:
        await backlog.until_answered(patience=60.0)
        done.append(n)

    tasks = [asyncio.create_task(follow_up(n)) for n in range(5)]
    await asyncio.sleep(0)
    backlog.responded(1)
    seen = [len(done)]
    while len(done) < 5:
        await asyncio.sleep(0)
        seen.append(len(done))
    assert all(b - a <= 1 for a, b in itertools.pairwise(seen))  # never two in one turn
    assert done == [0, 1, 2, 3, 4]
    await asyncio.gather(*tasks)


@pytest.mark.asyncio
async def test_a_deferred_answer_follows_up_after_the_first_responses_of_the_commands_beside_it(
    env: BotEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = asyncio.Event()
    pager = env.bot.paging.pagers["quote"]

    async def held(facts: Any, options: dict[str, Any], locale: str = "en-US") -> Any:
        await release.wait()  # a quote still being answered
        return await pager(facts, options, locale)

    env.bot.paging.register("quote", held)
    cog = env.bot.get_cog("Timeline")
    monkeypatch.setattr(cog, "_chart_allowed", lambda user_id: False)  # no chart, which waits on its own
    quote = env.fake.command_interaction("quote", {"speaker": "Abe"})
    timeline = env.fake.command_interaction("timeline", {"from": 1956, "to": 2019})
    await env.fake.send_interaction(quote)
    await env.fake.send_interaction(timeline)
    assert (await env.fake.wait_for_callback(timeline["id"]))["type"] == 5  # deferred at once
    await asyncio.sleep(0.2)  # time enough to follow up, were it not waiting
    follow_ups = f"/webhooks/{APP_ID}/{timeline['token']}"
    assert not [r for r in env.fake.requests if r.path.startswith(follow_ups)]
    assert env.bot.backlog.unanswered == 1  # the quote
    release.set()
    sent = await env.fake.wait_for_request(
        lambda r: r.method == "POST" and r.path.startswith(follow_ups) and r.status < 300
    )
    assert "19 October 1956" in embed_text({"data": sent.json})
    order = [r.path for r in env.fake.requests if r.path.startswith(("/interactions/", follow_ups))]
    assert order.index(f"/interactions/{quote['id']}/{quote['token']}/callback") < next(
        n for n, path in enumerate(order) if path.startswith(follow_ups)
    )
