"""Server-rendered SVG line charts: several series over the same periods, side by side
(the comparison page). This module computes the geometry, templates/_line_chart.html draws it.

Series are told apart by colour, dash pattern and marker shape, so the chart reads in grey
and for colour-blind readers too. Every colour, font and stroke is an SVG attribute, not a
style sheet rule: the page turns the same SVG into a PNG (static/js/compare.js), and an SVG
drawn as an image sees no style sheet.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from archive.charts import PALETTE, nice_ceiling

WIDTH = 720
HEIGHT = 320
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 12, 62, 30
TITLE_Y, LEGEND_Y = 18, 42
MAX_X_LABELS = 8
ALL_DOTS_UP_TO = 36  # periods; beyond that only points above zero get a marker
LEGEND_CHARS = 14  # a legend entry is cut to this many characters (a query may be 500)
DASHES = ["", "7 4", "2 3", "10 3 2 3"]
MARKERS = ["circle", "square", "diamond", "triangle"]
FONT = ("'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Zen Hei', 'PingFang SC', "
        "'Microsoft YaHei', sans-serif")


def marker_path(x: float, y: float, marker: str) -> str:
    """An SVG path `d` drawing a marker centred on (x, y)."""
    r = 3.6
    if marker == "square":
        return f"M{x - r + .6:.2f} {y - r + .6:.2f}h{2 * r - 1.2:.2f}v{2 * r - 1.2:.2f}h{-2 * r + 1.2:.2f}Z"
    if marker == "diamond":
        return f"M{x:.2f} {y - r - .8:.2f}L{x + r + .8:.2f} {y:.2f}L{x:.2f} {y + r + .8:.2f}L{x - r - .8:.2f} {y:.2f}Z"
    if marker == "triangle":
        return f"M{x:.2f} {y - r - .6:.2f}L{x + r + .6:.2f} {y + r - .4:.2f}L{x - r - .6:.2f} {y + r - .4:.2f}Z"
    return f"M{x - r:.2f} {y:.2f}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0Z"


@dataclass
class Point:
    x: float
    y: float
    title: str
    marker: str = "circle"

    @property
    def path(self) -> str:
        return marker_path(self.x, self.y, self.marker)


@dataclass
class LineSeries:
    name: str
    short_name: str
    color: str
    dash: str
    marker: str
    points: list[Point]
    total: int
    legend_x: float

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x},{point.y}" for point in self.points)

    @property
    def dots(self) -> list[Point]:
        return [point for point in self.points if point.title]

    @property
    def legend_line_end(self) -> float:
        return round(self.legend_x + 24, 2)

    @property
    def legend_text_x(self) -> float:
        return round(self.legend_x + 30, 2)

    @property
    def legend_marker(self) -> str:
        return marker_path(self.legend_x + 12, LEGEND_Y - 4, self.marker)


@dataclass
class LineChart:
    width: int
    height: int
    title: str
    series: list[LineSeries]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]
    plot_left: float
    plot_right: float
    baseline: float
    font: str = FONT
    title_y: int = TITLE_Y
    legend_y: int = LEGEND_Y

    @property
    def tick_x(self) -> float:
        return self.plot_left - 5

    @property
    def label_y(self) -> float:
        return self.baseline + 18

    @property
    def legend_line_y(self) -> int:
        return self.legend_y - 4


def shortened(text: str, limit: int = LEGEND_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def line_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], title: str = "",
               point_title: str = "%(period)s · %(name)s: %(count)s") -> LineChart | None:
    """One line per (name, counts) over the periods `labels` (at most len(PALETTE) series);
    None when every count is zero. `point_title` formats each marker's tooltip."""
    if not labels or not any(any(counts) for _name, counts in series):
        return None
    top = nice_ceiling(max(max(counts) for _name, counts in series))
    plot_width = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_height = HEIGHT - PAD_TOP - PAD_BOTTOM
    baseline = HEIGHT - PAD_BOTTOM
    slot = plot_width / len(labels)
    every_dot = len(labels) <= ALL_DOTS_UP_TO
    legend_slot = plot_width / max(1, len(series))

    lines = []
    for index, (name, counts) in enumerate(series):
        points = []
        for position, (label, count) in enumerate(zip(labels, counts, strict=True)):
            x = round(PAD_LEFT + position * slot + slot / 2, 2)
            y = round(baseline - plot_height * count / top, 2)
            shown = every_dot or count > 0
            text = point_title % {"period": label, "name": name, "count": count} if shown else ""
            points.append(Point(x, y, text, MARKERS[index % len(MARKERS)]))
        lines.append(LineSeries(
            name, shortened(name), PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)],
            MARKERS[index % len(MARKERS)], points, sum(counts), round(PAD_LEFT + index * legend_slot, 2),
        ))

    step = max(1, -(-len(labels) // MAX_X_LABELS))
    x_labels = [(round(PAD_LEFT + index * slot + slot / 2, 2), label)
                for index, label in enumerate(labels) if index % step == 0]
    y_ticks = [(round(baseline - plot_height * value / top, 2), value) for value in sorted({0, top // 2, top})]
    return LineChart(WIDTH, HEIGHT, shortened(title, 60), lines, x_labels, y_ticks, PAD_LEFT,
                     WIDTH - PAD_RIGHT, baseline)
