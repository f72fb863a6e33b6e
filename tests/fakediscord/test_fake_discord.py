"""End-to-end checks of the fake Discord with an unmodified discord.py client, plus its own limits."""

from __future__ import annotations

import asyncio
import io
import socket
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.discord.patches import DEFAULT_URLS, apply_discord_urls, current_discord_urls, restore_discord_urls
from fakediscord import (
    SPEC_ENV,
    FakeDiscord,
    check_command_limits,
    check_interaction_callback_limits,
    check_message_limits,
    flatten_errors,
    is_valid_command_name,
)
from tests.fakediscord.conftest import (
    APP_ID,
    BOT_USER_ID,
    CHANNEL_IDS,
    GUILD_ID,
    TOKEN,
    ProbeClient,
    running_client,
)
from tests.waits import within

CALLBACK = "/interactions/{id}/{token}/callback"
CHANNEL_MESSAGES = "/channels/{id}/messages"


def require_spec(fake: FakeDiscord) -> None:
    """Skip, loudly, when the pinned spec is not beside the repository."""
    if fake.spec_skipped_reason:
        pytest.skip(f"spec validation unavailable: {fake.spec_skipped_reason}")


async def next_error(client: ProbeClient) -> discord.HTTPException:
    """The next HTTP error the probe command swallowed."""
    return await within(client.errors.get(), "an HTTP error reaching the probe command")


async def raw(
    fake: FakeDiscord, method: str, path: str, *, json: Any = None, auth: bool = True
) -> tuple[int, str, Any]:
    """One plain HTTP request to the fake: status, Content-Type, decoded body."""
    headers = {"Authorization": f"Bot {TOKEN}"} if auth else {}
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, fake.api_base_url + path, json=json, headers=headers) as resp,
    ):
        body = await resp.json(content_type=None) if resp.status != 204 else None
        return resp.status, resp.headers.get("Content-Type", ""), body


# -- login, sync, plain responses ----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_client_logs_in_and_sees_the_guild(fake: FakeDiscord, client: ProbeClient) -> None:
    assert client.user is not None
    assert client.user.id == BOT_USER_ID
    assert client.application_id == APP_ID
    guild = client.get_guild(GUILD_ID)
    assert guild is not None
    assert [c.id for c in guild.text_channels] == CHANNEL_IDS
    assert guild.me is not None
    identify = await fake.wait_for_gateway(op=2)
    assert identify.d["token"] == TOKEN
    assert {r.path for r in fake.requests} >= {"/users/@me", "/oauth2/applications/@me"}


@pytest.mark.asyncio
async def test_tree_sync_passes_spec_and_gets_ids(fake: FakeDiscord, client: ProbeClient) -> None:
    require_spec(fake)
    synced = await client.tree.sync()
    assert [c.name for c in synced] == ["probe"]
    assert synced[0].id > 0
    assert synced[0].application_id == APP_ID
    guild_synced = await client.tree.sync(guild=discord.Object(GUILD_ID))
    assert guild_synced == []
    puts = fake.requests_to("PUT", "/applications/{app}/**")
    assert [r.status for r in puts] == [200, 200]
    listed = await client.tree.fetch_commands()
    assert [(c.id, c.name) for c in listed] == [(synced[0].id, "probe")]


@pytest.mark.asyncio
async def test_slash_command_reply_reaches_the_fake(fake: FakeDiscord, client: ProbeClient) -> None:
    payload = await fake.send_interaction(fake.command_interaction("probe", {"mode": "text"}))
    body = await fake.wait_for_callback(payload["id"])
    assert body["type"] == 4
    assert body["data"]["content"] == "pong"
    request = fake.requests_to("POST", CALLBACK)[-1]
    assert request.query.get("with_response") in ("1", "true")
    assert set(request.response) == {"interaction", "resource"}
    original = fake.messages[fake.interactions[int(payload["id"])].original_message_id]
    assert original["content"] == "pong"
    in_dm = await fake.send_interaction(fake.command_interaction("probe", {"mode": "text"}, dm=True))
    assert (await fake.wait_for_callback(in_dm["id"]))["data"]["content"] == "pong"
    again = f"/interactions/{payload['id']}/{payload['token']}/callback"
    status, _, body = await raw(
        fake, "POST", again, json={"type": 4, "data": {"content": "twice"}}, auth=False
    )
    assert (status, body["code"]) == (400, 40060)


@pytest.mark.asyncio
async def test_response_with_file_and_edit_of_the_original(fake: FakeDiscord, client: ProbeClient) -> None:
    payload = await fake.send_interaction(fake.command_interaction("probe", {"mode": "file"}))
    body = await fake.wait_for_callback(payload["id"])
    assert body["data"]["content"] == "see attached"
    request = fake.requests_to("POST", CALLBACK)[-1]
    assert [(f.filename, f.data) for f in request.files] == [("timeline.csv", b"1956,Joint Declaration")]
    original = fake.messages[fake.interactions[int(payload["id"])].original_message_id]
    assert [a["filename"] for a in original["attachments"]] == ["timeline.csv"]

    payload = await fake.send_interaction(fake.command_interaction("probe", {"mode": "edit"}))
    edit = await fake.wait_for_request(
        method="PATCH", path=f"/webhooks/{APP_ID}/{payload['token']}/messages/@original"
    )
    assert edit.status == 200
    original = fake.messages[fake.interactions[int(payload["id"])].original_message_id]
    assert original["content"] == "final answer"
    assert original["edited_timestamp"] is not None


@pytest.mark.asyncio
async def test_deferred_response_then_followup(fake: FakeDiscord, client: ProbeClient) -> None:
    payload = await fake.send_interaction(fake.command_interaction("probe", {"mode": "defer"}))
    body = await fake.wait_for_callback(payload["id"])
    assert body["type"] == 5
    followup = await fake.wait_for_request(method="POST", path=f"/webhooks/{APP_ID}/{payload['token']}")
    assert followup.status == 200
    assert followup.json["content"] == "done after defer"
    assert fake.interactions[int(payload["id"])].followup_ids


@pytest.mark.asyncio
async def test_embed_response(fake: FakeDiscord, client: ProbeClient) -> None:
    payload = await fake.send_interaction(fake.command_interaction("probe", {"mode": "embed"}))
    body = await fake.wait_for_callback(payload["id"])
    [embed] = body["data"]["embeds"]
    assert embed["title"] == "Shimoda Treaty"
    assert embed["fields"] == [{"name": "Parties", "value": "Japan and Russia", "inline": True}]


# -- rejections --------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_long_embed_title_is_rejected_with_nested_errors(
    fake: FakeDiscord, client: ProbeClient
) -> None:
    payload = await fake.send_interaction(fake.command_interaction("probe", {"mode": "long_title"}))
    exc = await next_error(client)
    assert exc.status == 400
    assert exc.code == 50035
    assert "data.embeds.0.title" in str(exc)
    request = fake.requests_to("POST", CALLBACK)[-1]
    assert request.status == 400
    errors = request.response["errors"]
    assert errors["data"]["embeds"]["0"]["title"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"
    assert not fake.interactions[int(payload["id"])].acknowledged


@pytest.mark.asyncio
async def test_channel_content_over_2000_is_rejected(fake: FakeDiscord, client: ProbeClient) -> None:
    channel = client.get_channel(CHANNEL_IDS[0])
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as info:
        await channel.send("x" * 2500)
    assert info.value.code == 50035
    assert flatten_errors(fake.requests[-1].response["errors"]) == {"content": ["BASE_TYPE_MAX_LENGTH"]}
    assert fake.channel_messages(CHANNEL_IDS[0]) == []


@pytest.mark.asyncio
async def test_embeds_over_6000_in_total_are_rejected(fake: FakeDiscord, client: ProbeClient) -> None:
    channel = client.get_channel(CHANNEL_IDS[0])
    assert isinstance(channel, discord.TextChannel)
    embeds = [discord.Embed(description="d" * 4000), discord.Embed(description="e" * 2500)]
    with pytest.raises(discord.HTTPException) as info:
        await channel.send(embeds=embeds)
    assert info.value.code == 50035
    assert flatten_errors(fake.requests[-1].response["errors"]) == {"embeds": ["MAX_EMBED_SIZE_EXCEEDED"]}


@pytest.mark.asyncio
async def test_multipart_files_are_recorded_and_payload_json_validated(
    fake: FakeDiscord, client: ProbeClient
) -> None:
    channel = client.get_channel(CHANNEL_IDS[1])
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("timeline", file=discord.File(io.BytesIO(b"1855,Shimoda"), filename="t.csv"))
    assert [a.filename for a in message.attachments] == ["t.csv"]
    request = fake.requests_to("POST", CHANNEL_MESSAGES)[-1]
    assert request.json["content"] == "timeline"
    assert [(f.field, f.filename, f.data) for f in request.files] == [("files[0]", "t.csv", b"1855,Shimoda")]
    with pytest.raises(discord.HTTPException) as info:
        await channel.send("y" * 2500, file=discord.File(io.BytesIO(b"x"), filename="x.txt"))
    assert info.value.code == 50035


# -- faults ------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_429_is_retried_and_the_message_arrives(
    fake: FakeDiscord, client: ProbeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.rate_limit("POST", CHANNEL_MESSAGES, times=1, retry_after=0.05)
    channel = client.get_channel(CHANNEL_IDS[0])
    assert isinstance(channel, discord.TextChannel)
    waits: list[float] = []
    sleep = asyncio.sleep

    async def recorded_sleep(delay: float, *args: Any, **kwargs: Any) -> Any:
        waits.append(delay)
        return await sleep(delay, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(discord.http.asyncio, "sleep", recorded_sleep)
        message = await channel.send("after the rate limit")
    # discord.py waits what the body's retry_after says, not the whole second of the rounded Retry-After.
    assert 0.05 in waits and max(waits) < 1.0, waits
    assert message.content == "after the rate limit"
    assert [r.status for r in fake.requests_to("POST", CHANNEL_MESSAGES)] == [429, 200]
    limited = fake.requests_to("POST", CHANNEL_MESSAGES)[0]
    assert limited.response == {
        "message": "You are being rate limited.",
        "retry_after": 0.05,
        "global": False,
    }


@pytest.mark.asyncio
async def test_forbidden_channel_raises_forbidden(fake: FakeDiscord, client: ProbeClient) -> None:
    fake.fail_channel(CHANNEL_IDS[1], status=403)
    channel = client.get_channel(CHANNEL_IDS[1])
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.Forbidden) as info:
        await channel.send("hello")
    assert info.value.code == 50001
    fake.clear_faults()
    fake.fail_channel(CHANNEL_IDS[1], status=404, times=1)
    with pytest.raises(discord.NotFound) as not_found:
        await channel.send("hello")
    assert not_found.value.code == 10003
    assert (await channel.send("hello")).content == "hello"


@pytest.mark.asyncio
async def test_dropped_gateway_resumes_and_replays_missed_events(
    fake: FakeDiscord, client: ProbeClient
) -> None:
    await fake.drop_gateway()
    # Dispatched while the client is away: it must come back through RESUME's replay.
    missed = await fake.send_interaction(
        fake.command_interaction("probe", {"mode": "text", "topic": "missed"})
    )
    resume = await fake.wait_for_gateway(op=6)
    assert resume.d["session_id"] == fake.gateway.current.session_id
    await within(client.resumed.wait(), "the client finishing its RESUME")
    assert (await fake.wait_for_callback(missed["id"]))["data"]["content"] == "pong missed"
    fresh = await fake.send_interaction(fake.command_interaction("probe", {"mode": "text"}))
    assert (await fake.wait_for_callback(fresh["id"]))["data"]["content"] == "pong"
    assert len([f for f in fake.gateway_frames if f.direction == "in" and f.op == 2]) == 1


@pytest.mark.asyncio
async def test_resume_stays_on_configured_gateway(fake: FakeDiscord) -> None:
    # Real READY payloads name Discord's own resume host; the client must not follow it.
    fake.resume_gateway_url = "ws://127.0.0.1:9/elsewhere"
    async with running_client(fake) as probe:
        await fake.drop_gateway(code=4000)
        await within(probe.resumed.wait(), "the client finishing its RESUME")
        assert probe.ws is not None
        assert str(probe.ws.gateway) == fake.gateway_url


@pytest.mark.asyncio
async def test_autocomplete_result_is_validated(fake: FakeDiscord, client: ProbeClient) -> None:
    client.choice_count = 26
    payload = await fake.send_interaction(
        fake.autocomplete_interaction("probe", {"mode": "text", "topic": "Kuril"}, focused="topic")
    )
    exc = await next_error(client)
    assert exc.code == 50035
    rejected = fake.requests_to("POST", CALLBACK)[0]
    assert rejected.json["type"] == 8
    assert flatten_errors(rejected.response["errors"])["data.choices"] == ["BASE_TYPE_MAX_LENGTH"]
    # discord.py then answers with the empty list the autocomplete function returned.
    assert (await fake.wait_for_callback(payload["id"]))["data"]["choices"] == []

    client.choice_count = 25
    payload = await fake.send_interaction(
        fake.autocomplete_interaction("probe", {"mode": "text", "topic": "Kuril"}, focused="topic")
    )
    body = await fake.wait_for_callback(payload["id"])
    assert len(body["data"]["choices"]) == 25
    assert body["data"]["choices"][0] == {"name": "Kuril 0", "value": "t0"}


@pytest.mark.asyncio
async def test_component_click_updates_the_message(fake: FakeDiscord, client: ProbeClient) -> None:
    class Confirm(discord.ui.View):
        @discord.ui.button(label="Confirm", custom_id="confirm")
        async def confirm(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
            await interaction.response.edit_message(content="confirmed", view=None)

    channel = client.get_channel(CHANNEL_IDS[0])
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("Confirm?", view=Confirm())
    payload = await fake.send_interaction(fake.component_interaction("confirm", message=message.id))
    body = await fake.wait_for_callback(payload["id"])
    assert body["type"] == 7
    assert fake.messages[message.id]["content"] == "confirmed"
    assert fake.messages[message.id]["components"] == []


@pytest.mark.asyncio
async def test_gateway_zlib_stream_compression() -> None:
    server = FakeDiscord(guild_id=GUILD_ID, channel_ids=CHANNEL_IDS, gateway_compression=True)
    async with server, running_client(server) as probe:
        assert probe.get_guild(GUILD_ID) is not None
        assert [c.compressed for c in server.gateway.connections] == [True]
        payload = await server.send_interaction(server.command_interaction("probe", {"mode": "text"}))
        assert (await server.wait_for_callback(payload["id"]))["type"] == 4


# -- raw HTTP surface --------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_raw_responses_use_discords_formats(fake: FakeDiscord) -> None:
    status, ctype, body = await raw(fake, "GET", "/gateway/bot")
    assert (status, ctype) == (200, "application/json")
    assert body["url"] == fake.gateway_url
    status, _, body = await raw(fake, "GET", "/users/@me", auth=False)
    assert (status, body["code"]) == (401, 0)
    status, ctype, body = await raw(fake, "GET", "/nope")
    assert (status, ctype) == (404, "application/json")
    bad = [{"name": "Bad Name", "description": "has a space and capitals"}]
    status, _, body = await raw(fake, "PUT", f"/applications/{APP_ID}/commands", json=bad)
    assert status == 400
    assert body["code"] == 50035
    assert body["message"] == "Invalid Form Body"
    assert body["errors"]["0"]["name"]["_errors"][0]["code"] == "APPLICATION_COMMAND_INVALID_NAME"
    status, _, body = await raw(fake, "POST", f"/channels/{CHANNEL_IDS[0]}/messages", json={})
    assert (status, body["code"]) == (400, 50006)
    fake.fail_once("GET", "/users/@me", status=500)
    status, _, body = await raw(fake, "GET", "/users/@me")
    assert (status, body) == (500, {"message": "500: Internal Server Error", "code": 0})
    assert (await raw(fake, "GET", "/users/@me"))[0] == 200


@pytest.mark.asyncio
async def test_a_burst_of_connections_waits_for_the_busy_server_instead_of_being_dropped(
    fake: FakeDiscord,
) -> None:
    # While the fake's event loop is held (here: by this test, which does not yield), new connections can
    # only wait in the kernel's queue. A bot in a burst opens a hundred or more at once; a connection that
    # does not fit is dropped and retried after a second, which would make an answer a second late.
    cap = Path("/proc/sys/net/core/somaxconn")  # the kernel's own limit on such a queue, where it has one
    burst = min(300, int(cap.read_text()) if cap.exists() else 300)
    pending: list[socket.socket] = []
    try:
        for _ in range(burst):
            # The handshake completes in the kernel at once when there is room in the queue; 0.5 s is
            # far more than that and far less than the second a dropped handshake waits for its retry.
            pending.append(socket.create_connection((fake.host, fake.port), timeout=0.5))
    finally:
        for sock in pending:
            sock.close()
    assert len(pending) == burst
    assert (await raw(fake, "GET", "/gateway/bot"))[0] == 200


@pytest.mark.asyncio
async def test_spec_errors_use_nested_paths(fake: FakeDiscord) -> None:
    require_spec(fake)
    body = {"content": "ok", "embeds": [{"fields": [{"name": "only a name"}]}], "tts": "yes"}
    status, _, answer = await raw(fake, "POST", f"/channels/{CHANNEL_IDS[0]}/messages", json=body)
    assert status == 400
    flat = flatten_errors(answer["errors"])
    assert flat["embeds.0.fields.0.value"] == ["BASE_TYPE_REQUIRED"]
    assert flat["tts"] == ["BASE_TYPE_BOOLEAN"]


@pytest.mark.asyncio
async def test_runs_without_spec_and_still_checks_own_limits(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(SPEC_ENV, str(tmp_path / "missing-openapi.json"))
    server = FakeDiscord(guild_id=GUILD_ID, channel_ids=CHANNEL_IDS)
    assert server.spec_skipped_reason is not None
    assert "missing-openapi.json" in server.spec_skipped_reason
    print(f"spec_skipped_reason: {server.spec_skipped_reason}")
    async with server, running_client(server) as probe:
        channel = probe.get_channel(CHANNEL_IDS[0])
        assert isinstance(channel, discord.TextChannel)
        with pytest.raises(discord.HTTPException) as info:
            await channel.send("x" * 2500)
        assert info.value.code == 50035
        assert flatten_errors(server.requests[-1].response["errors"]) == {"content": ["BASE_TYPE_MAX_LENGTH"]}
        # A type error only the spec would catch gets through in this mode.
        path = f"/channels/{CHANNEL_IDS[0]}/messages"
        status, _, _ = await raw(server, "POST", path, json={"content": "fine", "tts": "yes"})
        assert status == 200


# -- the limits module on its own --------------------------------------------------------------------


def test_command_names_follow_discords_pattern() -> None:
    for good in ("facts", "treaty-1956", "shikotan_island", "北方領土", "ทดสอบ", "नमस्ते", "курилы"):
        assert is_valid_command_name(good), good
    for bad in ("Facts", "two words", "", "x" * 33, "emoji🙂", "ÉTÉ", "dot.name"):
        assert not is_valid_command_name(bad), bad
    errors = check_command_limits(
        [
            {
                "name": "facts",
                "description": "ok",
                "options": [
                    {"type": 3, "name": "when", "description": "d"},
                    {"type": 3, "name": "Where", "description": "d", "required": True},
                ],
            },
            {"name": "Open Map", "type": 3, "description": ""},
        ]
    )
    assert flatten_errors(errors) == {
        "0.options.1.name": ["APPLICATION_COMMAND_INVALID_NAME"],
        "0.options.1.required": ["APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID"],
    }


def test_message_limits_without_a_server() -> None:
    assert check_message_limits({"content": "x" * 2000, "embeds": [{"title": "t" * 256}]}) == {}
    body = {
        "content": "x" * 2001,
        "embeds": [
            {
                "title": "t" * 257,
                "description": "d" * 4097,
                "fields": [{"name": "n", "value": "v" * 1025}] * 26,
                "footer": {"text": "f" * 2049},
                "author": {"name": "a" * 257},
            }
        ]
        * 11,
        "components": [
            {"type": 1, "components": [{"type": 2, "style": 1, "custom_id": f"b{i}"} for i in range(6)]}
        ]
        + [{"type": 1, "components": [{"type": 2, "style": 1, "custom_id": "c" * 101}]}] * 5,
    }
    flat = flatten_errors(check_message_limits(body))
    assert flat["content"] == ["BASE_TYPE_MAX_LENGTH"]
    assert flat["embeds"] == ["BASE_TYPE_MAX_LENGTH", "MAX_EMBED_SIZE_EXCEEDED"]
    for key in ("title", "description", "fields", "fields.0.value", "footer.text", "author.name"):
        assert flat[f"embeds.0.{key}"] == ["BASE_TYPE_MAX_LENGTH"], key
    assert flat["components"] == ["BASE_TYPE_MAX_LENGTH"]
    assert flat["components.0.components"] == ["BASE_TYPE_MAX_LENGTH"]
    assert flat["components.1.components.0.custom_id"] == ["BASE_TYPE_MAX_LENGTH"]
    assert flat["components.2.components.0.custom_id"] == [
        "BASE_TYPE_MAX_LENGTH",
        "COMPONENT_CUSTOM_ID_DUPLICATED",
    ]


def test_autocomplete_limits_without_a_server() -> None:
    choices = [{"name": f"c{i}", "value": str(i)} for i in range(25)]
    assert check_interaction_callback_limits({"type": 8, "data": {"choices": choices}}) == {}
    too_many = check_interaction_callback_limits({"type": 8, "data": {"choices": [*choices, choices[0]]}})
    assert flatten_errors(too_many) == {"data.choices": ["BASE_TYPE_MAX_LENGTH"]}
    bad_names = check_interaction_callback_limits(
        {"type": 8, "data": {"choices": [{"name": "", "value": "a"}, {"name": "n" * 101, "value": "b"}]}}
    )
    assert flatten_errors(bad_names) == {
        "data.choices.0.name": ["BASE_TYPE_BAD_LENGTH"],
        "data.choices.1.name": ["BASE_TYPE_BAD_LENGTH"],
    }


# -- bot.discord.patches --------------------------------------------------------------------------------


def test_apply_discord_urls_is_idempotent_and_restorable() -> None:
    assert current_discord_urls() == DEFAULT_URLS
    api, gateway = "http://127.0.0.1:1/api/v10/", "ws://127.0.0.1:1/gateway"
    previous = apply_discord_urls(api, gateway)
    try:
        assert previous == DEFAULT_URLS
        assert apply_discord_urls(api, gateway) == ("http://127.0.0.1:1/api/v10", gateway)
        assert Route("GET", "/users/@me").url == "http://127.0.0.1:1/api/v10/users/@me"
        assert yarl.URL(gateway) == DiscordWebSocket.DEFAULT_GATEWAY
        assert isinstance(DiscordWebSocket.__dict__["gateway"], property)
    finally:
        restore_discord_urls(previous)
    assert current_discord_urls() == DEFAULT_URLS
    assert Route("GET", "/users/@me").url == "https://discord.com/api/v10/users/@me"
    assert "gateway" not in DiscordWebSocket.__dict__
    with pytest.raises(ValueError, match="gateway_url"):
        apply_discord_urls(api, "http://127.0.0.1:1/gateway")
    assert current_discord_urls() == DEFAULT_URLS


@pytest.mark.asyncio
async def test_a_repeated_enforced_nonce_returns_the_first_message(
    fake: FakeDiscord, client: ProbeClient
) -> None:
    channel = client.get_channel(CHANNEL_IDS[0])
    other = client.get_channel(CHANNEL_IDS[1])
    assert isinstance(channel, discord.TextChannel) and isinstance(other, discord.TextChannel)
    first = await channel.send("today's post", nonce="n-2026-05-01")
    again = await channel.send("today's post, sent again", nonce="n-2026-05-01")
    elsewhere = await other.send("the same nonce in another channel", nonce="n-2026-05-01")
    plain = [await channel.send("no nonce") for _ in range(2)]
    assert again.id == first.id and again.content == "today's post"
    assert elsewhere.id != first.id
    assert plain[0].id != plain[1].id
    assert [m["content"] for m in fake.channel_messages(CHANNEL_IDS[0])].count("today's post") == 1
    assert fake.deduplicated == [(CHANNEL_IDS[0], "n-2026-05-01")]
