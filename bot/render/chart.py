"""A PNG timeline chart of events (matplotlib, Agg backend: no display needed, safe in worker threads)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

from bot.models import Event
from bot.render.text import date_label

MAX_LABELS = 40


def _as_date(event: Event) -> dt.date:
    d = event.date
    return dt.date(d.year, d.month or 7, d.day or (15 if d.month else 1))


def timeline_png(events: Sequence[Event], title: str = "Timeline") -> bytes:
    """Render events on a time axis; returns PNG bytes. Pure CPU work: run it off the event loop."""
    # A Figure without pyplot keeps no global state, so charts can be drawn in parallel threads.
    fig = Figure(figsize=(10, 1.6 + 0.32 * min(len(events), MAX_LABELS)), dpi=100)
    ax = fig.add_subplot()
    shown = list(events)[:MAX_LABELS]
    dates = [_as_date(e) for e in shown]
    ys = list(range(len(shown), 0, -1))
    ax.scatter(dates, ys, s=36, color="#2b6cb0", zorder=3)
    ax.hlines(ys, min(dates) if dates else 0, dates, color="#cbd5e0", linewidth=1, zorder=1)
    for x, y, e in zip(dates, ys, shown, strict=True):
        text = e.text if len(e.text) <= 70 else e.text[:69] + "…"
        ax.annotate(
            f"{date_label(e.date)}: {text}",
            (x, y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks([])
    ax.set_title(title[:120])
    ax.spines[["left", "right", "top"]].set_visible(False)
    ax.margins(x=0.35, y=0.15)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
