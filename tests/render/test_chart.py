"""The timeline chart's layout: drawn for Discord's width, every text inside the image, long gaps cut out of
the axis, dates drawn at their own precision and a subtitle that says what is shown."""

from __future__ import annotations

import io

import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from PIL import Image

from bot.models import Event, PartialDate
from bot.render import chart
from bot.render.chart import (
    BREAK_WIDTH,
    DENSITY_FROM,
    MAX_LABELS,
    SEGMENT_MIN_SHARE,
    span,
    time_scale,
    timeline_figure,
    timeline_png,
)

LONG = "Russian President Vladimir Putin and Japanese Prime Minister Shinzo Abe agreed in Singapore " * 3


def _event(n: int, date: PartialDate, text: str = LONG) -> Event:
    return Event(date, f"{n}: {text}", (), fact_id=n)


def drawn_texts(fig: Figure) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every visible, non-empty text of the drawn figure with its box in pixels (x0, y0, x1, y1)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    out = []
    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text().strip():
            box = text.get_window_extent(renderer)
            out.append((text.get_text(), (box.x0, box.y0, box.x1, box.y1)))
    return out


def assert_inside(fig: Figure) -> list[str]:
    width, height = fig.bbox.width, fig.bbox.height
    texts = drawn_texts(fig)
    for text, (x0, y0, x1, y1) in texts:
        assert x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height, (text, (x0, y0, x1, y1), (width, height))
    return [t for t, _ in texts]


@pytest.mark.parametrize(
    "dates",
    [
        # Both ends of a broken axis: labels beside marks at the far left and the far right.
        [PartialDate(1855, 2, 7), PartialDate(1956, 10, 19), PartialDate(1956), PartialDate(2018, 11, 14)],
        # One day only, then one year only: a single point on the whole axis.
        [PartialDate(2016, 12, 15)],
        [PartialDate(2019)],
        # A full chart's worth, a month apart: the last labels sit at the right edge.
        [PartialDate(2018, m) for m in range(1, 13)],
    ],
    ids=["broken", "one-day", "one-year", "twelve-months"],
)
def test_every_label_title_and_tick_stays_inside_the_image(dates: list[PartialDate]) -> None:
    fig = timeline_figure(
        [_event(n, d) for n, d in enumerate(dates)], "Timeline about " + LONG, total=len(dates)
    )
    texts = assert_inside(fig)
    labels = [t for t in texts if " · " in t]
    assert len(labels) == len(dates)
    assert all(t.endswith("…") for t in labels)  # far too long to fit: cut, not run off the edge


def test_the_density_view_stays_inside_the_image_too() -> None:
    events = [_event(n, PartialDate(1990 + n % 30, 1 + n % 12, 1 + n % 28)) for n in range(400)]
    assert_inside(timeline_figure(sorted(events, key=lambda e: e.date), "Timeline " + LONG, total=5000))


def test_a_long_gap_is_cut_out_of_the_axis_and_marked() -> None:
    spans = [
        span(PartialDate(1956, 10, 19)),
        span(PartialDate(1960)),
        span(PartialDate(2016, 12)),
        span(PartialDate(2019)),
    ]
    scale = time_scale(spans)
    assert len(scale.segments) == 2
    [(left, right, years)] = scale.breaks()
    assert 54 < years < 57 and right - left == pytest.approx(BREAK_WIDTH)
    # Linear, the 1956-1960 cluster would get 4/63 of the axis; cut, each cluster gets its own share.
    first, second = scale.segments
    assert first.right - first.left > 0.3 and second.right - second.left > 0.3
    # Within a cluster time is to scale: 1957 to 1958 is as wide as 1958 to 1959.
    assert scale.x(1958) - scale.x(1957) == pytest.approx(scale.x(1959) - scale.x(1958))
    events = [_event(n, PartialDate(y)) for n, y in enumerate((1956, 1960, 2016, 2019))]
    texts = [t for t, _ in drawn_texts(timeline_figure(events))]
    assert "55 yrs" in texts  # the cut says how long nothing happened: from the end of 1960 to 2016


def test_close_events_share_one_axis_without_cuts() -> None:
    scale = time_scale([span(PartialDate(y, 6)) for y in range(2015, 2021)])
    assert len(scale.segments) == 1 and scale.breaks() == []


def test_many_stretches_are_cut_at_the_longest_gaps_only() -> None:
    years = [1855, 1875, 1905, 1945, 1956, 1993, 2001, 2016]
    scale = time_scale([span(PartialDate(y)) for y in years])
    assert len(scale.segments) == chart.MAX_CUTS + 1
    assert sorted(round(gap) for _, _, gap in scale.breaks()) == [29, 36, 39]  # the three longest, of 7 gaps
    # The lone year 1905 is still given room to be seen; the cuts and stretches fill the axis exactly.
    usable = 1 - chart.MAX_CUTS * BREAK_WIDTH
    assert min(s.right - s.left for s in scale.segments) == pytest.approx(SEGMENT_MIN_SHARE * usable)
    assert scale.segments[0].left == 0 and scale.segments[-1].right == pytest.approx(1)


def test_year_and_month_dates_are_spans_and_days_are_points() -> None:
    assert span(PartialDate(2019)) == (2019.0, 2020.0)
    start, end = span(PartialDate(2020, 2))  # 2020 is a leap year: February is days 32 to 60
    assert start == pytest.approx(2020 + 31 / 366) and end == pytest.approx(2020 + 60 / 366)
    start, end = span(PartialDate(2018, 11, 14))
    assert start == end == pytest.approx(2018 + 317 / 365)
    events = [
        _event(0, PartialDate(2016, 12, 15)),
        _event(1, PartialDate(2018)),
        _event(2, PartialDate(2019, 1)),
    ]
    fig = timeline_figure(events)
    dots = [line for line in fig.findobj(Line2D) if line.get_marker() == "o"]
    bars = [
        line
        for line in fig.findobj(Line2D)
        if len(line.get_xdata()) == 2
        and line.get_ydata()[0] == line.get_ydata()[1]
        and line.get_ydata()[0] in (2, 3)
    ]
    assert [line.get_ydata()[0] for line in dots] == [1]  # only the day is a dot
    scale = time_scale([span(e.date) for e in events])
    year_bar = next(line for line in bars if line.get_ydata()[0] == 2)
    assert list(year_bar.get_xdata()) == pytest.approx([scale.x(2018), scale.x(2019)])  # the whole of 2018


def test_the_subtitle_says_how_many_of_how_many_and_when() -> None:
    events = [_event(n, PartialDate(2015 + n // 4, 1 + n % 12)) for n in range(20)]
    texts = [t for t, _ in drawn_texts(timeline_figure(events, "Timeline 2015–2020", total=1000))]
    assert f"First {MAX_LABELS} of 1,000 events, 2015–2017" in texts
    assert len([t for t in texts if " · " in t]) == MAX_LABELS
    assert "4 events, 2015" in [t for t, _ in drawn_texts(timeline_figure(events[:4], total=4))]


def test_too_many_to_label_are_counted_per_year_with_what_is_shown() -> None:
    events = [_event(n, PartialDate(2015 + n % 6, 1 + n % 12, 1)) for n in range(1000)]
    events.sort(key=lambda e: e.date)
    texts = [t for t, _ in drawn_texts(timeline_figure(events, "Timeline 2015–2020", total=2400))]
    assert "First 1,000 of 2,400 events, 2015–2020, counted per year" in texts
    assert not any(" · " in t for t in texts)  # no labels: a count per year
    assert "167 in 2015" in texts  # the busiest year is named
    few = events[:DENSITY_FROM]  # all in 2015: a short period is counted per month
    assert f"{DENSITY_FROM} events, 2015, counted per month" in [
        t for t, _ in drawn_texts(timeline_figure(few))
    ]


def test_the_png_is_drawn_at_twice_discords_width() -> None:
    png = timeline_png([_event(0, PartialDate(1956, 10, 19)), _event(1, PartialDate(2018))])
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width == 2 * 400
    assert image.height < image.width  # a two-event chart is not a tall strip


def test_a_chart_of_nothing_is_refused_in_one_line() -> None:
    with pytest.raises(ValueError, match="at least one event"):
        timeline_figure([])
