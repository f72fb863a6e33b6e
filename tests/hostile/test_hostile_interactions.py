"""Hostile option values through the real bot and the fake Discord: every interaction gets a valid answer.

A smaller sample than the handler-level property tests, but the whole path: the gateway event, discord.py's
option parsing, the cog, `FactTree.on_error` for refusals, and the REST call the fake validates against
Discord's spec and limits (a body Discord would refuse is answered 400 there, and fails here).
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from fakediscord import FakeDiscord, check_autocomplete_limits, check_interaction_callback_limits
from tests.discord.harness import CHANNEL_IDS, MANAGE_GUILD, PLAIN_MEMBER, BotEnv, data_of, embed_text
from tests.hostile.test_hostile_articles import is_live
from tests.hostile.values import FAMILIES

PER_FAMILY = 3  # 10 families: 30 values per option
EPHEMERAL = 1 << 6


def sample_values(seed: int) -> list[str]:
    """PER_FAMILY values of every hostile family, the same ones on every run."""
    rng = random.Random(seed)
    out: list[str] = []
    for values in FAMILIES.values():
        # The first of a family is its worst (e.g. 6000 characters); the rest are drawn.
        picked = [values[0], *rng.sample(values[1:], min(PER_FAMILY - 1, len(values) - 1))]
        while len(picked) < PER_FAMILY:
            picked.append(rng.choice(values) + rng.choice([" ", "x", "\u200b"]))
        out += picked
    return out


VALUES = sample_values(20261122)


async def deliver(fake: FakeDiscord, payload: dict[str, Any]) -> dict[str, Any]:
    """Send an interaction; return its answer (the follow-up after a deferral) and check what was sent.

    How fast the answer comes is not asserted here (a loaded machine's clock says little about the bot):
    the handlers' work per hostile value is bounded in test_hostile_input, and the benchmark measures
    answer times under a burst.
    """
    since = len(fake.requests)
    await fake.send_interaction(payload)
    callback = await fake.wait_for_callback(payload["id"])
    assert check_interaction_callback_limits(callback) == {}
    state = fake.interactions[int(payload["id"])]
    body = callback
    if callback.get("type") == 5:
        followup = await fake.wait_for_request(
            lambda r: r.method == "POST" and r.path.startswith("/webhooks/") and payload["token"] in r.path,
            since=since,
        )
        assert followup.status < 300, followup.response
        body = {"type": "followup", "data": followup.json}
    assert state.rejected == []
    refused = [(r.method, r.path, r.status, r.response) for r in fake.requests[since:] if r.status >= 400]
    assert refused == []
    return body


def slash(name: str, options: dict[str, Any], **kwargs: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    return name, options, kwargs


def _subscribe_options(time: str, zone: str) -> list[dict[str, Any]]:
    return [
        {
            "type": 1,
            "name": "subscribe",
            "options": [
                {"type": 7, "name": "channel", "value": str(CHANNEL_IDS[2])},
                {"type": 3, "name": "time", "value": time},
                {"type": 3, "name": "timezone", "value": zone},
            ],
        }
    ]


COMMAND_OPTIONS = {
    "timeline about": lambda v: ("timeline", {"about": v}),
    "quote about": lambda v: ("quote", {"about": v}),
    "quote speaker": lambda v: ("quote", {"speaker": v}),
    "island name": lambda v: ("island", {"name": v}),
    "source article": lambda v: ("source", {"article": v}),
    "daily subscribe time": lambda v: ("daily", _subscribe_options(v, "Asia/Tokyo")),
    "daily subscribe timezone": lambda v: ("daily", _subscribe_options("09:00", v)),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("option", list(COMMAND_OPTIONS))
async def test_hostile_command_options_always_get_a_valid_answer(env: BotEnv, option: str) -> None:
    for value in VALUES:
        name, options = COMMAND_OPTIONS[option](value)
        payload = env.fake.command_interaction(name, options, member_permissions=MANAGE_GUILD | PLAIN_MEMBER)
        body = await deliver(env.fake, payload)
        data = data_of(body)
        assert data.get("embeds") or data.get("content"), f"empty answer for {value!r:.80}"
        assert data["allowed_mentions"] == {"parse": []}
        if body["type"] == 4 and not data.get("embeds"):
            assert data["flags"] & EPHEMERAL  # a refusal, through FactTree.on_error or the cog
    # The bot is still answering afterwards.
    after = await deliver(env.fake, env.fake.command_interaction("island", {"name": "Shikotan"}))
    assert data_of(after)["embeds"][0]["title"] == "Shikotan"


@pytest.mark.asyncio
async def test_hostile_years_get_a_valid_answer(env: BotEnv) -> None:
    years = [0, -1, 10**12, -(2**53), 2**53, 9999, 1, 10_000]
    for start in years:
        for end in (None, 1956, 0, 10**12):
            options = {"from": start} | ({} if end is None else {"to": end})
            body = await deliver(env.fake, env.fake.command_interaction("timeline", options))
            assert data_of(body).get("embeds") or data_of(body).get("content")


AUTOCOMPLETE_OPTIONS = {
    "timeline about": lambda v: ("timeline", {"about": v}, "about"),
    "quote about": lambda v: ("quote", {"about": v}, "about"),
    "quote speaker": lambda v: ("quote", {"speaker": v}, "speaker"),
    "island name": lambda v: ("island", {"name": v}, "name"),
    "source article": lambda v: ("source", {"article": v}, "article"),
    "daily timezone": lambda v: (
        "daily",
        [
            {
                "type": 1,
                "name": "subscribe",
                "options": [{"type": 3, "name": "timezone", "value": v, "focused": True}],
            }
        ],
        None,
    ),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("option", list(AUTOCOMPLETE_OPTIONS))
async def test_hostile_autocomplete_values_always_get_choices(env: BotEnv, option: str) -> None:
    for value in VALUES:
        name, options, focused = AUTOCOMPLETE_OPTIONS[option](value)
        payload = env.fake.autocomplete_interaction(
            name, options, focused=focused, member_permissions=MANAGE_GUILD
        )
        body = await deliver(env.fake, payload)
        assert body["type"] == 8
        assert check_autocomplete_limits(data_of(body)) == {}


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("name", "options", "wording"),
    [
        ("timeline", {"from": 1990, "to": 1960}, "`to` (1960) is before `from` (1990)"),
        ("timeline", {"from": 0}, "`from` must be a year between 1 and 9999"),
        ("timeline", {"to": -3}, "`to` must be a year between 1 and 9999"),
        ("timeline", {"from": 10**12}, "`from` must be a year between 1 and 9999"),
        ("island", {"name": "Atlantis"}, "No island called “Atlantis”"),
        ("island", {"name": "Kunashirr"}, "Kunashir"),
        ("quote", {"speaker": "Napoleon"}, "Nobody called “Napoleon” is quoted"),
        ("source", {"article": "does-not-exist"}, "No article matches “does-not-exist”"),
    ],
)
async def test_values_the_ui_never_offers_are_answered_clearly(
    env: BotEnv, name: str, options: dict[str, Any], wording: str
) -> None:
    body = await deliver(env.fake, env.fake.command_interaction(name, options))
    text = (data_of(body).get("content") or "") + embed_text(body)
    assert wording in text.replace("\\", "")


@pytest.mark.asyncio
async def test_page_buttons_with_forged_ids_are_answered(env: BotEnv) -> None:
    body = await deliver(env.fake, env.fake.command_interaction("timeline", {}))
    real = data_of(body)["components"][0]["components"][1]["custom_id"]
    kind, qid = real.split(":")[1:3]
    forged = {
        f"pg:{kind}:{qid}:99999999999999999999": "Page ",  # past the end: the last page
        f"pg:{kind}:ffffffffffff:1": "expired",  # a query the bot never saved
        f"pg:nothing:{qid}:1": "expired",  # a kind of answer that does not exist
    }
    for custom_id, wording in forged.items():
        click = await deliver(env.fake, env.fake.component_interaction(custom_id))
        text = (data_of(click).get("content") or "") + embed_text(click)
        assert wording in text, (custom_id, text)


# ---- option values of another type than the command's (a registration Discord still has from before) ------

STALE = {
    "timeline from as text": ("timeline", [{"type": 3, "name": "from", "value": "1956"}], "1956"),
    "timeline from as other text": ("timeline", [{"type": 3, "name": "from", "value": "abc"}], "`from`"),
    "timeline from as a fraction": ("timeline", [{"type": 10, "name": "from", "value": 1956.5}], "`from`"),
    "timeline about as a number": ("timeline", [{"type": 4, "name": "about", "value": 1956}], "1956"),
    "island name as a number": ("island", [{"type": 4, "name": "name", "value": 5}], "No island called"),
    "quote speaker as a boolean": ("quote", [{"type": 5, "name": "speaker", "value": True}], "Nobody called"),
    "source article as a number": ("source", [{"type": 10, "name": "article", "value": 4.5}], "No article"),
    "daily channel as text": (
        "daily",
        [
            {
                "type": 1,
                "name": "subscribe",
                "options": [
                    {"type": 3, "name": "channel", "value": "general"},
                    {"type": 3, "name": "time", "value": "09:00"},
                    {"type": 3, "name": "timezone", "value": "UTC"},
                ],
            }
        ],
        "Please pick one from the list",
    ),
    "daily time as a number": (
        "daily",
        [
            {
                "type": 1,
                "name": "subscribe",
                "options": [
                    {"type": 7, "name": "channel", "value": str(CHANNEL_IDS[0])},
                    {"type": 4, "name": "time", "value": 900},
                    {"type": 3, "name": "timezone", "value": "UTC"},
                ],
            }
        ],
        "is not a time I understand",
    ),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("case", list(STALE))
async def test_option_values_of_another_type_are_answered_as_the_command_would(
    env: BotEnv, case: str
) -> None:
    name, options, wording = STALE[case]
    payload = env.fake.command_interaction(name, options, member_permissions=MANAGE_GUILD | PLAIN_MEMBER)
    body = await deliver(env.fake, payload)
    text = (data_of(body).get("content") or "") + "\n" + embed_text(body)
    assert "went wrong" not in text
    assert wording in text.replace("\\", ""), text


@pytest.mark.asyncio
async def test_autocomplete_with_a_value_of_another_type_gets_choices(env: BotEnv) -> None:
    for name, option in [("island", "name"), ("quote", "speaker"), ("source", "article")]:
        payload = env.fake.autocomplete_interaction(
            name, [{"type": 4, "name": option, "value": 5, "focused": True}], focused=None
        )
        body = await deliver(env.fake, payload)
        assert body["type"] == 8 and check_autocomplete_limits(data_of(body)) == {}


@pytest.mark.asyncio
async def test_long_partial_values_are_shortened_before_any_search(
    env: BotEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = env.bot.facts.index
    seen: list[int] = []
    for method in ("complete_speakers", "complete_islands", "complete_articles", "complete_topics"):
        original = getattr(index, method)

        def spy(prefix: str, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            seen.append(len(prefix))
            return _original(prefix, *args, **kwargs)

        monkeypatch.setattr(index, method, spy)
    long = "Shikotan peace treaty " * 300  # 6,600 characters, as Discord allows
    for option in AUTOCOMPLETE_OPTIONS:
        name, options, focused = AUTOCOMPLETE_OPTIONS[option](long)
        body = await deliver(
            env.fake,
            env.fake.autocomplete_interaction(
                name, options, focused=focused, member_permissions=MANAGE_GUILD
            ),
        )
        assert body["type"] == 8
    assert len(seen) == 5 and max(seen) <= 100, seen  # no choice value can be longer


@pytest.mark.asyncio
@pytest.mark.parametrize("option", ["time", "timezone"])
async def test_daily_subscribe_refusals_quote_the_value_inert(env: BotEnv, option: str) -> None:
    typed = "**bold** @everyone ||spoiler|| [click](http://evil.invalid) <@&123456789012345678>"
    values = {"time": "09:00", "timezone": "UTC"} | {option: typed}
    payload = env.fake.command_interaction(
        "daily", _subscribe_options(values["time"], values["timezone"]), member_permissions=MANAGE_GUILD
    )
    body = await deliver(env.fake, payload)
    content = data_of(body)["content"]
    assert "is not a time" in content or "is not a timezone" in content
    assert "bold" in content and "everyone" in content  # quoted, so the user sees what was refused
    for live in (
        "**bold**",
        "@everyone",
        "||spoiler||",
        "[click](http://evil.invalid)",
        "<@&123456789012345678>",
    ):
        assert not is_live(content, live), (live, content)
