"""A PNG timeline chart of events (matplotlib, Agg backend: no display needed, safe in worker threads)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

from bot.models import Event
from bot.render.text import date_label

MAX_LABELS = 20  # each label is glyph-rendered: text is most of a chart's cost
LABEL_CHARS = 64
FONT = "DejaVu Sans"  # ships with matplotlib, so every machine draws the same chart

# Layout in inches, fixed instead of measured: measuring every label (tight_layout) doubled the cost.
WIDTH, ROW, TOP, BOTTOM = 10.0, 0.3, 0.45, 0.45
DPI = 80


def _as_date(event: Event) -> dt.date:
    d = event.date
    return dt.date(d.year, d.month or 7, d.day or (15 if d.month else 1))


@functools.cache
def _drawable() -> frozenset[int]:
    """Code points the chart's font has glyphs for."""
    path = font_manager.findfont(font_manager.FontProperties(family=FONT), fallback_to_default=True)
    return frozenset(FT2Font(path).get_charmap())


def drawable_text(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, runs of characters the font has no glyph for shown as "…"."""
    drawable = _drawable()
    out = re.sub("\x00+", "…", "".join(ch if ord(ch) in drawable or ch.isspace() else "\x00" for ch in text))
    return out if len(out) <= limit else out[: limit - 1] + "…"


def label(event: Event) -> str:
    """A chart label: the event's date and the start of its text."""
    return f"{date_label(event.date)}: {drawable_text(event.text, LABEL_CHARS)}"


def timeline_png(events: Sequence[Event], title: str = "Timeline") -> bytes:
    """Render events on a time axis; returns PNG bytes. Pure CPU work: run it off the event loop."""
    shown = list(events)[:MAX_LABELS]
    height = TOP + BOTTOM + ROW * max(len(shown), 2)
    # A Figure without pyplot keeps no global state, so charts can be drawn in parallel threads.
    fig = Figure(figsize=(WIDTH, height), dpi=DPI)
    # The axis takes the left half; labels run on into the right half, so none runs off the image.
    fig.subplots_adjust(left=0.03, right=0.52, top=1 - TOP / height, bottom=BOTTOM / height)
    ax = fig.add_subplot()
    # As matplotlib's numbers for dates, on an axis that shows them as dates.
    dates = [float(date2num(_as_date(e))) for e in shown]
    ax.xaxis_date()
    ys = list(range(len(shown), 0, -1))
    ax.scatter(dates, ys, s=36, color="#2b6cb0", zorder=3)
    if dates:
        ax.hlines(ys, min(dates), dates, color="#cbd5e0", linewidth=1, zorder=1)
    # Article text is never markup: without parse_math, a "$" in a label or the title would be read as
    # maths, and a label that is not valid maths would make every chart showing it fail.
    for x, y, e in zip(dates, ys, shown, strict=True):
        ax.text(x, y, "  " + label(e), va="center", fontsize=8, family=FONT, clip_on=False, parse_math=False)
    ax.set_yticks([])
    ax.set_title(drawable_text(title, 120), family=FONT, loc="left", parse_math=False)
    ax.spines[["left", "right", "top"]].set_visible(False)
    ax.margins(y=0.5 / max(len(shown), 1))
    ax.margins(x=0.04)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})
    return buf.getvalue()
