"""Chart geometry for inline SVG (pure): only shown figures are drawn; hidden ones get no bar.

The templates turn this into ``<svg role="img">`` with a title and description; the numbers
themselves are always in a table next to the chart, so the chart is never the only way in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.evaluations.figures import Figure

LABEL_WIDTH = 170
BAR_AREA = 260
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass
class Bar:
    label: str
    figure: Figure
    y: int
    width: float  # 0 when hidden

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4


@dataclass
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH


def bar_chart(rows: list[tuple[str, Figure]], maximum: float | None = None) -> BarChart:
    """Horizontal bars, one per row, scaled to ``maximum`` (e.g. 100) or the largest shown figure."""
    biggest = maximum or max((f.value for _, f in rows if f.shown and f.value), default=0)
    bars = []
    for i, (label, figure) in enumerate(rows):
        width = (figure.value / biggest * BAR_AREA) if figure.shown and figure.value is not None and biggest else 0
        bars.append(Bar(_short(label), figure, 6 + i * ROW_HEIGHT, round(width, 1)))
    return BarChart(bars, LABEL_WIDTH + BAR_AREA + 50, 12 + len(rows) * ROW_HEIGHT)


@dataclass
class Point:
    label: str
    figure: Figure
    x: float
    y: float | None  # None when hidden


@dataclass
class LineChart:
    points: list[Point]
    segments: list[list[Point]] = field(default_factory=list)  # runs of shown points, joined by lines
    width: int = 480
    height: int = 200
    top: int = 20
    bottom: int = 170
    low: float = 0
    high: float = 10

    @property
    def polylines(self) -> list[str]:
        return [" ".join(f"{p.x:.1f},{p.y:.1f}" for p in run) for run in self.segments if len(run) > 1]


def line_chart(points: list[tuple[str, Figure]], low: float, high: float) -> LineChart:
    """A line through the shown figures (e.g. a scale's mean per session), broken where hidden."""
    chart = LineChart([], low=low, high=high)
    step = (chart.width - 80) / max(len(points) - 1, 1)
    run: list[Point] = []
    for i, (label, figure) in enumerate(points):
        x = 50 + i * step
        y = None
        if figure.shown and figure.value is not None:
            share = (figure.value - low) / (high - low) if high > low else 0
            y = chart.bottom - share * (chart.bottom - chart.top)
        point = Point(label, figure, x, y)
        chart.points.append(point)
        if y is None:
            if run:
                chart.segments.append(run)
            run = []
        else:
            run.append(point)
    if run:
        chart.segments.append(run)
    return chart


@dataclass
class GroupedChart:
    """Bars in groups (e.g. per condition, one bar per series), with a legend."""

    groups: list[tuple[str, int, list[Bar]]]  # label, its text's y, the bars
    legend: list[str]
    width: int
    height: int
    label_width: int = LABEL_WIDTH


def grouped_bar_chart(groups: list[tuple[str, list[tuple[str, Figure]]]], maximum: float) -> GroupedChart:
    """One group per label, one bar per member (the same members in every group), scaled to ``maximum``."""
    y, drawn = 6, []
    for label, members in groups:
        label_y = y + 12
        y += 18
        bars = []
        for name, figure in members:
            width = figure.value / maximum * BAR_AREA if figure.shown and figure.value is not None and maximum else 0
            bars.append(Bar(_short(name), figure, y, round(width, 1)))
            y += ROW_HEIGHT - 6
        drawn.append((label, label_y, bars))
        y += 14
    legend = [name for name, _figure in groups[0][1]] if groups else []
    return GroupedChart(drawn, legend, LABEL_WIDTH + BAR_AREA + 50, y + 6)


def side_by_side(compared) -> GroupedChart | None:
    """The compare page's chart: per condition of social quality, one bar per series (0–100)."""
    if not compared:
        return None
    first = compared[0].summary.profile
    tagged = [i for i in range(len(first)) if any(c.summary.profile[i].questions for c in compared)]
    groups = [(first[i].label, [(c.series.title, c.summary.profile[i].score) for c in compared]) for i in tagged]
    return grouped_bar_chart(groups, 100) if groups else None


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
