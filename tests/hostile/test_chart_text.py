"""Article text in the timeline chart is drawn as it is written: never read as maths or any other markup.

One article with a "$" in a dated sentence made matplotlib parse every plain /timeline's labels as
mathtext, so every such /timeline answered "Something went wrong".
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from bot.models import Event, PartialDate
from bot.render import chart
from fakediscord import FakeDiscord
from tests.discord.harness import answer, data_of, embed_text, make_settings, running_bot
from tests.helpers import SEEDS

MATHS = "On 7 February 1855 the $^$ Treaty of Shimoda was signed."
LABELS = [
    "the $^$ Treaty of Shimoda",
    r"a $\frac{1}{0}$ fraction and $x_{y$ left open",
    r"costs $5 and $6, \n and \alpha",
    "$$",
    "the ^{} and _ and \\ signs",
]


def drawn_texts(events: list[Event], title: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, bool]:
    """Draw the chart; every text its figure drew, and whether matplotlib read it as maths."""
    drawn: dict[str, bool] = {}
    save = Figure.savefig

    def savefig(fig: Figure, *args: object, **kwargs: object) -> None:
        save(fig, *args, **kwargs)
        for text in fig.findobj(Text):
            drawn[text.get_text()] = text.get_parse_math() and "$" in text.get_text()

    monkeypatch.setattr(Figure, "savefig", savefig)
    png = chart.timeline_png(events, title)
    assert Image.open(io.BytesIO(png)).format == "PNG"
    return drawn


def test_dollar_signs_in_labels_and_title_are_drawn_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    events = [Event(PartialDate(1855 + n, 2, 7), text, (), fact_id=n) for n, text in enumerate(LABELS)]
    drawn = drawn_texts(events, "Timeline about $^$", monkeypatch)
    for text in [*LABELS, "Timeline about $^$"]:
        # A label is cut to the room beside its mark; its first words (and dollar signs) are always drawn.
        found = [label for label in drawn if text[:12] in label]
        assert found, (text, drawn)
        assert not any(drawn[label] for label in found), f"{text!r} was read as maths"


@pytest.mark.asyncio
async def test_an_article_with_a_dollar_sign_leaves_every_timeline_working(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "shimoda.txt").write_text(f"Shimoda\n\n{MATHS}\n", encoding="utf-8")
    (folder / "seed.txt").write_text(
        (SEEDS / "004_ca3b18b3347b43dc.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    settings = make_settings(tmp_path, fake, articles=[folder], FACTBOT_CHART_COOLDOWN_SECONDS=0)
    async with running_bot(fake, settings):
        for options in ({}, {"from": 1855, "to": 1855}, {"about": "Shimoda"}):
            body = await answer(fake, fake.command_interaction("timeline", options))
            assert "went wrong" not in (data_of(body).get("content") or ""), options
            assert "$^$ Treaty of Shimoda" in embed_text(body).replace("\\", "")
            assert [f.filename for f in body["files"]] == ["timeline.png"], options
