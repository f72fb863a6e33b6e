"""A PNG timeline chart of events (matplotlib, Agg backend: no display needed, safe in worker threads).

Discord shows an embed's image about 400 px wide, so the chart is laid out for that width and drawn at
twice it: its text is as large there as the text around it. Time runs left to right on an axis broken
across long gaps (a treaty of 1956 and talks in 2018 would otherwise leave most of the width empty), an
event known to the day is a dot and one known only to its month or year is a bar over that month or
year. Up to `MAX_LABELS` events each get a row and a short label measured to stay inside the image (a few
more than that: the earliest of them); from `DENSITY_FROM` events on, a count per year (or month) is
drawn instead. The subtitle says how many are shown of how many were found.
"""

from __future__ import annotations

import calendar
import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font

from bot.models import Event, PartialDate

MAX_LABELS = 12  # rows in one chart: more make an image too tall to read at Discord's width
DENSITY_FROM = 3 * MAX_LABELS  # from this many events, counts per year say more than the first few labels
LABEL_CHARS = 64  # a label's text before it is measured: longer never fits anyway
FONT = "DejaVu Sans"  # ships with matplotlib, so every machine draws the same chart

# Layout in inches at 100 dpi, which is Discord's width of 400 px; the PNG is drawn at SCALE times that.
WIDTH, ROW, HEAD, AXIS, FOOT, SIDE = 4.0, 0.24, 0.56, 0.34, 0.2, 0.08
DENSITY_HEIGHT = 1.9
SCALE = 2
MIN_SPAN_PX = 5 * SCALE
LABEL_MIN_ROOM = 0.4  # of the axis: with less beside a bar, its label is drawn over it
DPI = 100 * SCALE
TITLE_PT, SUBTITLE_PT, LABEL_PT, TICK_PT, DOT_PT = 9.5, 8.0, 8.0, 7.5, 4.5

# A gap between events longer than this share of their whole span (and than GAP_MIN_YEARS) is cut out,
# the longest first, at most MAX_CUTS of them: more would leave each stretch too little of the width.
GAP_SHARE, GAP_MIN_YEARS, MAX_CUTS = 0.1, 3.0, 3
BREAK_WIDTH = 0.07  # of the axis, for each cut
PAD_YEARS = 0.2  # the least time drawn either side of a stretch's events
SEGMENT_MIN_SHARE = 0.14  # the least of the axis a stretch of time gets, however short
TICK_MIN_SPACING = 0.16  # of the axis: tick labels never touch
TICK_CHAR_EM = 0.65  # a tick label's characters are at most this wide (digits and capitals of DejaVu Sans)

INK, MUTED, DOT, SPAN, STRIPE = "#1a202c", "#718096", "#2b6cb0", "#90cdf4", "#f4f6f9"
MONTHS = [calendar.month_abbr[m] for m in range(13)]


@functools.cache
def _drawable() -> frozenset[int]:
    """Code points the chart's font has glyphs for."""
    path = font_manager.findfont(font_manager.FontProperties(family=FONT), fallback_to_default=True)
    return frozenset(FT2Font(path).get_charmap())


def drawable_text(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, runs of characters the font has no glyph for shown as "…"."""
    drawable = _drawable()
    out = re.sub("\x00+", "…", "".join(ch if ord(ch) in drawable or ch.isspace() else "\x00" for ch in text))
    out = " ".join(out.split())
    return out if len(out) <= limit else out[: limit - 1] + "…"


def short_date(date: PartialDate) -> str:
    """'19 Oct 1956', 'Nov 2018' or '2019': a label's date, at the date's own precision."""
    if date.month is None:
        return f"{date.year}"
    if date.day is None:
        return f"{MONTHS[date.month]} {date.year}"
    return f"{date.day} {MONTHS[date.month]} {date.year}"


def label(event: Event) -> str:
    """A chart label before it is fitted: the event's date and the start of its text."""
    return f"{short_date(event.date)} · {drawable_text(event.text, LABEL_CHARS)}"


# ---- time and the broken axis ----------------------------------------------------------------------


def _year_fraction(year: int, month: int = 1, day: int = 1) -> float:
    days = 366 if calendar.isleap(year) else 365
    before = sum(calendar.monthrange(year, m)[1] for m in range(1, month))
    return year + (before + day - 1) / days


def span(date: PartialDate) -> tuple[float, float]:
    """The stretch of time a date stands for, in fractional years: a day is a point, a month or year its
    whole length (a year-only event is not drawn as if it happened on 1 January)."""
    if date.month is None:
        return float(date.year), float(date.year + 1)
    if date.day is None:
        end = (date.year + 1, 1) if date.month == 12 else (date.year, date.month + 1)
        return _year_fraction(date.year, date.month), _year_fraction(*end)
    at = _year_fraction(date.year, date.month, date.day)
    return at, at


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of time drawn to scale, and where on the axis (0 to 1) it is drawn.

    `first` and `last` are when its events begin and end; `start` and `end` leave a little time around them.
    """

    start: float
    end: float
    left: float
    right: float
    first: float
    last: float

    def x(self, t: float) -> float:
        return self.left + (t - self.start) / (self.end - self.start) * (self.right - self.left)


@dataclass(frozen=True, slots=True)
class TimeScale:
    """Fractional years to a place on the axis, across stretches of time with the long gaps cut out."""

    segments: tuple[Segment, ...]

    def x(self, t: float) -> float:
        for seg in self.segments:
            if t <= seg.end:
                return seg.x(max(t, seg.start))
        return self.segments[-1].x(self.segments[-1].end)

    def breaks(self) -> list[tuple[float, float, float]]:
        """Each cut: where it starts and ends on the axis, and how many years pass between its two sides' events."""
        return [
            (a.right, b.left, b.first - a.last)
            for a, b in zip(self.segments, self.segments[1:], strict=False)
        ]


def time_scale(spans: Sequence[tuple[float, float]]) -> TimeScale:
    """The axis for these stretches of time: to scale within a cluster, cut across long gaps between them."""
    ordered = sorted(spans)
    whole = max(e for _, e in ordered) - ordered[0][0]
    runs: list[list[float]] = []  # stretches with no gap worth cutting inside
    for start, end in ordered:
        if runs and start - runs[-1][1] <= GAP_MIN_YEARS:
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end])
    gaps = sorted(range(1, len(runs)), key=lambda i: runs[i][0] - runs[i - 1][1], reverse=True)
    cuts = {i for i in gaps[:MAX_CUTS] if runs[i][0] - runs[i - 1][1] > GAP_SHARE * whole}
    clusters: list[list[float]] = []
    for i, (start, end) in enumerate(runs):
        if clusters and i not in cuts:
            clusters[-1][1] = end
        else:
            clusters.append([start, end])
    # A little time either side, so that a dot at a cluster's edge is not drawn on the cut.
    padded = [(s - max(PAD_YEARS, 0.04 * (e - s)), e + max(PAD_YEARS, 0.04 * (e - s))) for s, e in clusters]
    for i in range(1, len(padded)):  # padding never makes neighbours overlap
        if padded[i][0] < padded[i - 1][1]:
            middle = (clusters[i - 1][1] + clusters[i][0]) / 2
            padded[i - 1], padded[i] = (padded[i - 1][0], middle), (middle, padded[i][1])
    usable = 1.0 - BREAK_WIDTH * (len(padded) - 1)
    widths = _widths([e - s for s, e in padded], usable, SEGMENT_MIN_SHARE * usable)
    segments, left = [], 0.0
    for (s, e), (first, last), w in zip(padded, clusters, widths, strict=True):
        segments.append(Segment(s, e, left, left + w, first, last))
        left += w + BREAK_WIDTH
    return TimeScale(tuple(segments))


def _widths(lengths: list[float], usable: float, least: float) -> list[float]:
    """`usable` shared in proportion to `lengths`, but none less than `least` (taken from the longer)."""
    fixed: set[int] = set()
    while True:
        free = usable - least * len(fixed)
        rest = sum(length for i, length in enumerate(lengths) if i not in fixed)
        widths = [least if i in fixed else free * length / rest for i, length in enumerate(lengths)]
        short = {i for i, w in enumerate(widths) if w < least and i not in fixed}
        if not short:
            return widths
        fixed |= short


def _ticks(seg: Segment) -> list[tuple[float, str]]:
    """Tick places (fractional years) and labels in one segment: years at a step that leaves them room,
    months in a short segment with room for them, else one tick naming the segment's year."""
    room = seg.right - seg.left
    fits = room + TICK_MIN_SPACING / 2  # the first tick may sit at the segment's very start
    if seg.end - seg.start < 2.5:
        for step in (1, 2, 3, 6):
            months = [
                (y, m)
                for y in range(int(seg.start), int(seg.end) + 1)
                for m in range(1, 13, step)
                if seg.start <= _year_fraction(y, m) <= seg.end
            ]
            if len(months) > 1 and len(months) * TICK_MIN_SPACING <= fits:
                return [
                    (_year_fraction(y, m), f"{MONTHS[m]} {y}" if m == 1 or n == 0 else MONTHS[m])
                    for n, (y, m) in enumerate(months)
                ]
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        years = [y for y in range(int(seg.start) + 1, int(seg.end) + 1) if y % step == 0]
        if len(years) > 1 and len(years) * TICK_MIN_SPACING <= fits:
            return [(float(y), str(y)) for y in years]
    middle = (seg.start + seg.end) / 2
    return [(middle, str(int(middle)))]


def _spaced(ticks: list[tuple[float, str]], axis_px: float, margin_px: float) -> list[tuple[float, str]]:
    """Ticks (axis place, label) without those that would touch the one before or stick out of the image."""
    kept: list[tuple[float, str]] = []
    for x, text in ticks:
        half = len(text) * TICK_CHAR_EM * TICK_PT * DPI / 72 / 2
        if x * axis_px + margin_px < half or (1 - x) * axis_px + margin_px < half:  # it would stick out
            continue
        if not kept or x - kept[-1][0] >= TICK_MIN_SPACING:
            kept.append((x, text))
    return kept


# ---- drawing -------------------------------------------------------------------------------------


def _font(size: float, bold: bool = False) -> FontProperties:
    return FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")


def _width(renderer: RendererAgg, text: str, font: FontProperties) -> float:
    """The drawn width of `text` in pixels."""
    w, _, _ = renderer.get_text_width_height_descent(text, font, ismath=False)
    return float(w)


def fit(renderer: RendererAgg, text: str, font: FontProperties, room: float) -> str:
    """`text` cut at a word (with "…") so that it is at most `room` pixels wide; '' when nothing fits."""
    if _width(renderer, text, font) <= room:
        return text
    lo, hi = 0, len(text)  # the longest cut that fits lies in [lo, hi)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _width(renderer, text[:mid].rstrip() + "…", font) <= room:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return ""
    cut = text[:lo]
    at_word = cut.rsplit(" ", 1)[0] if " " in cut[len(cut) // 2 :] else cut
    return at_word.rstrip(" ·,;:") + "…"


def _text(fig: Figure, x: float, y: float, s: str, font: FontProperties, **kw: object) -> None:
    # Article text is never markup: without parse_math, a "$" in a label or the title would be read as
    # maths, and a label that is not valid maths would make every chart showing it fail.
    fig.text(x, y, s, fontproperties=font, parse_math=False, **kw)  # type: ignore[arg-type]


def _heading(fig: Figure, renderer: RendererAgg, height: float, title: str, subtitle: str) -> None:
    room = (WIDTH - 2 * SIDE) * DPI
    font, small = _font(TITLE_PT, bold=True), _font(SUBTITLE_PT)
    top = 1 - 0.08 / height
    _text(
        fig,
        SIDE / WIDTH,
        top,
        fit(renderer, drawable_text(title, 200), font, room),
        font,
        va="top",
        color=INK,
    )
    _text(
        fig,
        SIDE / WIDTH,
        top - 0.24 / height,
        fit(renderer, subtitle, small, room),
        small,
        va="top",
        color=MUTED,
    )


def _axis(ax: Axes, scale: TimeScale, margin: float) -> None:
    """The time axis: a line per segment with its ticks, and each cut marked with the years it leaves out.

    `margin` is the least room, in inches, between either end of the axis and the image's edge.
    """
    ax.set_xlim(0, 1)
    ax.set_yticks([])
    for side in ("left", "right", "top", "bottom"):
        ax.spines[side].set_visible(False)
    axis_px = ax.get_position().width * WIDTH * DPI
    ticks = _spaced(
        [(seg.x(t), text) for seg in scale.segments for t, text in _ticks(seg)], axis_px, margin * DPI
    )
    ax.set_xticks([x for x, _ in ticks], [t for _, t in ticks], fontproperties=_font(TICK_PT), color=MUTED)
    ax.tick_params(axis="x", length=3, color=MUTED, pad=2)
    for x, _ in ticks:
        ax.axvline(x, color="#e2e8f0", linewidth=0.6, zorder=0)
    for seg in scale.segments:
        ax.plot(
            [seg.left, seg.right],
            [0, 0],
            transform=ax.get_xaxis_transform(),
            color=MUTED,
            lw=0.9,
            clip_on=False,
        )
    for left, right, years in scale.breaks():
        middle = (left + right) / 2
        for dx in (-0.008, 0.008):
            ax.plot(
                [middle + dx - 0.006, middle + dx + 0.006],
                [-0.025, 0.025],
                transform=ax.get_xaxis_transform(),
                color=MUTED,
                lw=0.9,
                clip_on=False,
            )
        ax.axvspan(left, right, color="#e2e8f0", alpha=0.6, zorder=1, lw=0)
        # Under the tick labels: how much time the cut leaves out.
        ax.annotate(
            f"{round(years)} yrs" if years >= 1.5 else f"{round(years * 12)} mo",
            (middle, 0),
            xycoords=("data", "axes fraction"),
            xytext=(0, -15 * SCALE),
            textcoords="offset pixels",
            ha="center",
            va="top",
            fontproperties=_font(TICK_PT, bold=True),
            color=MUTED,
            annotation_clip=False,
            parse_math=False,
        )


def _new_figure(height: float) -> tuple[Figure, RendererAgg]:
    # A Figure without pyplot keeps no global state, so charts can be drawn in parallel threads.
    fig = Figure(figsize=(WIDTH, height), dpi=DPI, facecolor="white")
    return fig, FigureCanvasAgg(fig).get_renderer()


def _period(events: Sequence[Event]) -> str:
    first, last = events[0].date.year, events[-1].date.year
    return f"{first}" if first == last else f"{first}–{last}"


def _labelled(events: Sequence[Event], title: str, total: int) -> Figure:
    """One row per event, each with its mark on the time axis and a short label beside it."""
    n = len(events)
    height = HEAD + ROW * max(n, 2) + AXIS + FOOT
    fig, renderer = _new_figure(height)
    spans = [span(e.date) for e in events]
    scale = time_scale(spans)
    plot_left, plot_right = SIDE / WIDTH, 1 - SIDE / WIDTH
    ax = fig.add_axes((plot_left, (AXIS + FOOT) / height, plot_right - plot_left, ROW * max(n, 2) / height))
    _axis(ax, scale, SIDE)
    ax.set_ylim(max(n, 2) + 0.5, 0.5)
    font = _font(LABEL_PT)
    gap = 4.0 * SCALE  # pixels between a mark and its label
    axis_px = (plot_right - plot_left) * WIDTH * DPI
    for row, (event, (start, end)) in enumerate(zip(events, spans, strict=True), 1):
        if row % 2 == 0:
            ax.axhspan(row - 0.5, row + 0.5, color=STRIPE, zorder=0, lw=0)
        x0, x1 = scale.x(start), scale.x(end)
        if end > start and (x1 - x0) * axis_px < MIN_SPAN_PX:
            # A month on a long axis: drawn no thinner than a dot is wide, so it can be seen.
            middle = (x0 + x1) / 2
            x0, x1 = middle - MIN_SPAN_PX / 2 / axis_px, middle + MIN_SPAN_PX / 2 / axis_px
        if end > start:
            ax.plot([x0, x1], [row, row], color=SPAN, lw=DOT_PT, solid_capstyle="butt", zorder=2)
            ax.plot([x0, x0], [row - 0.25, row + 0.25], color=DOT, lw=1, zorder=3)
            ax.plot([x1, x1], [row - 0.25, row + 0.25], color=DOT, lw=1, zorder=3)
            pad = gap
        else:
            ax.plot([x0], [row], "o", color=DOT, markersize=DOT_PT, zorder=3)
            pad = gap + DOT_PT / 2 * DPI / 72
        # The label goes on the side with more room, and is cut to the room there, inside the margins; a
        # bar too wide to leave room either side (a lone year) has it drawn over the bar.
        right_room = (1 - x1) * axis_px - pad
        left_room = x0 * axis_px - pad
        on_right = right_room >= left_room
        room, at = (right_room, x1) if on_right else (left_room, x0)
        if room < LABEL_MIN_ROOM * axis_px and end > start:
            on_right, at, room = True, x0, (1 - x0) * axis_px - pad
        text = fit(renderer, label(event), font, room)
        ax.annotate(
            text,
            (at, row),
            xytext=(pad if on_right else -pad, 0),
            textcoords="offset pixels",
            ha="left" if on_right else "right",
            va="center",
            fontproperties=font,
            color=INK,
            annotation_clip=False,
            parse_math=False,
        )
    shown = f"First {n} of {total:,} events" if total > n else f"{n} event{'s' if n != 1 else ''}"
    _heading(fig, renderer, height, title, f"{shown}, {_period(events)}")
    small = _font(TICK_PT)
    _text(
        fig,
        SIDE / WIDTH,
        0.05 / height,
        "● exact day    ▬ month or year only",
        small,
        va="bottom",
        color=MUTED,
    )
    return fig


def _density(events: Sequence[Event], title: str, total: int) -> Figure:
    """Too many events to label: how many there are in each year (or month, over a short period)."""
    height = DENSITY_HEIGHT
    fig, renderer = _new_figure(height)
    by_month = events[-1].date.year - events[0].date.year < 3
    counts: dict[tuple[int, int], int] = {}
    for e in events:
        key = (e.date.year, (e.date.month or 0) if by_month else 0)
        counts[key] = counts.get(key, 0) + 1
    bins = {key: span(PartialDate(key[0], key[1] or None)) for key in counts}
    scale = time_scale(list(bins.values()))
    plot_left, plot_right = (SIDE + 0.3) / WIDTH, 1 - SIDE / WIDTH
    bottom = (AXIS + FOOT) / height
    ax = fig.add_axes((plot_left, bottom, plot_right - plot_left, 1 - bottom - (HEAD + 0.1) / height))
    _axis(ax, scale, SIDE)
    top = max(counts.values())
    for key, count in counts.items():
        x0, x1 = scale.x(bins[key][0]), scale.x(bins[key][1])
        gap = min(0.15 * (x1 - x0), 0.003)
        ax.bar(x0 + gap, count, width=x1 - x0 - 2 * gap, align="edge", color=DOT, zorder=2)
        if count < 0.04 * top:  # a bar too low to see: a dot says the year (or month) has events
            ax.plot([(x0 + x1) / 2], [count + 0.04 * top], "o", color=DOT, markersize=2.5, zorder=2)
    ax.set_ylim(0, top * 1.25)
    ax.set_yticks([0, top], ["0", f"{top:,}"], fontproperties=_font(TICK_PT), color=MUTED)
    ax.tick_params(axis="y", length=0, pad=2)
    busiest = max(counts, key=lambda k: counts[k])
    where = f"{MONTHS[busiest[1]]} {busiest[0]}" if busiest[1] else f"{busiest[0]}"
    x = (scale.x(bins[busiest][0]) + scale.x(bins[busiest][1])) / 2
    ax.annotate(
        f"{counts[busiest]:,} in {where}",
        (x, counts[busiest]),
        xytext=(0, 3 * SCALE),
        textcoords="offset pixels",
        ha="right" if x > 0.6 else ("left" if x < 0.4 else "center"),
        va="bottom",
        fontproperties=_font(TICK_PT),
        color=INK,
        annotation_clip=False,
        parse_math=False,
    )
    n = len(events)
    shown = f"First {n:,} of {total:,} events" if total > n else f"{n:,} events"
    unit = "month" if by_month else "year"
    _heading(fig, renderer, height, title, f"{shown}, {_period(events)}, counted per {unit}")
    return fig


def timeline_figure(events: Sequence[Event], title: str = "Timeline", total: int | None = None) -> Figure:
    """The chart of `events` (in date order) as a matplotlib Figure; `total` is how many the answer found."""
    shown = list(events)
    if not shown:
        raise ValueError("a timeline chart needs at least one event")
    found = max(total or 0, len(shown))
    if len(shown) >= DENSITY_FROM:
        return _density(shown, title, found)
    return _labelled(shown[:MAX_LABELS], title, found)


def timeline_png(events: Sequence[Event], title: str = "Timeline", total: int | None = None) -> bytes:
    """Render events on a time axis; returns PNG bytes. Pure CPU work: run it off the event loop."""
    buf = io.BytesIO()
    timeline_figure(events, title, total).savefig(buf, format="png", pil_kwargs={"compress_level": 1})
    return buf.getvalue()
