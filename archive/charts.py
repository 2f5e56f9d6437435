"""Server-rendered SVG bar charts (timelines), no JavaScript and nothing from
another host: this module computes the geometry, templates/_chart.html draws it.

The margins leave room for the labels at the phone size too: on a narrow screen the
stylesheet doubles their size in the drawing's units (the drawing is shrunk to half), so they
stay readable, and shows only every other x label (`Chart.x_labels`' `wide_only`).
"""
from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from archive.browse_counts import Period
from archive.gazetteer import JIANGSU

WIDTH = 720
HEIGHT = 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 60, 8, 10, 36
MAX_X_LABELS = 8
MAX_NARROW_X_LABELS = 4  # a phone shows at most this many (the others are `wide_only`)
MAX_BAR_WIDTH = 48.0  # a timeline of one or two months still looks like a timeline
# Distinguishable, colour-blind-safe hues (Okabe–Ito), then grey for "other".
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442"]
OTHER_COLOR = "#999999"
# One colour per series name that never changes between charts: Jiangsu's cities in the
# gazetteer's order take these in turn (the seven above, then six of Paul Tol's muted hues);
# any other name takes one by a stable hash of the name. An unnamed series is the site's blue
# where it is the only one (all articles), grey where it means "city unknown" (bar_chart's
# unnamed_color).
SERIES_PALETTE = [*PALETTE, "#332288", "#999933", "#882255", "#44aa99", "#aa4499", "#ddcc77"]
UNNAMED_COLOR = "#5f5f5f"
_FIXED_COLORS = {city: SERIES_PALETTE[index % len(SERIES_PALETTE)] for index, city in enumerate(JIANGSU)}


def series_color(name: str) -> str:
    """The colour a named series always has, whatever else the chart shows."""
    fixed = _FIXED_COLORS.get(name)
    if fixed is not None:
        return fixed
    return SERIES_PALETTE[zlib.crc32(name.encode("utf-8")) % len(SERIES_PALETTE)]


@dataclass
class Segment:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str
    query: str


@dataclass
class XLabel:
    x: float
    text: str
    wide_only: bool  # hidden on a narrow screen, where the labels are drawn larger


@dataclass
class Legend:
    name: str
    color: str
    total: int


@dataclass
class Chart:
    width: int
    height: int
    segments: list[Segment]
    x_labels: list[XLabel]
    y_ticks: list[tuple[float, int]]
    legend: list[Legend]
    periods: list[Period]
    series: list[str]
    baseline: float
    plot_left: float
    plot_right: float
    rows: list[tuple[Period, list[int]]] = field(default_factory=list)  # counts in series order
    title: str = ""

    @property
    def tick_x(self) -> float:
        return self.plot_left - 4

    @property
    def label_y(self) -> float:
        """The labels' top (drawn hanging from it, so a larger font grows downwards)."""
        return self.baseline + 5

    @property
    def multi_series(self) -> bool:
        return len(self.series) > 1


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10^k that is at least value (and at least 1)."""
    if value <= 1:
        return 1
    magnitude = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def series_order(periods: Sequence[Period], limit: int = len(PALETTE)) -> tuple[list[str], set[str]]:
    """Series by total (largest first); beyond `limit` they are folded into one "other"."""
    totals: dict[str, int] = {}
    for period in periods:
        for name, count in period.counts.items():
            totals[name] = totals.get(name, 0) + count
    ordered = sorted(totals, key=lambda name: (-totals[name], name))
    if len(ordered) <= limit:
        return ordered, set()
    return ordered[: limit - 1], set(ordered[limit - 1:])


def bar_chart(periods: Sequence[Period], labels: dict[str, str] | None = None, title: str = "",
              unnamed_color: str = PALETTE[0]) -> Chart | None:
    """Stacked bars, one per period, one colour per series; None when there is nothing to draw."""
    if not periods or not any(period.total for period in periods):
        return None
    labels = labels or {}
    shown, folded = series_order(periods)
    other = _("其他")
    names = shown + ([other] if folded else [])
    colors = {name: series_color(name) if name else unnamed_color for name in shown}
    colors[other] = OTHER_COLOR

    top = nice_ceiling(max(period.total for period in periods))
    plot_width = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_height = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = plot_width / len(periods)
    bar_width = min(MAX_BAR_WIDTH, max(1.0, slot * 0.8))
    baseline = HEIGHT - PAD_BOTTOM

    segments: list[Segment] = []
    rows: list[tuple[Period, list[int]]] = []
    articles = _("%(count)s 篇")  # translated once: a chart has a hundred segments or more
    for index, period in enumerate(periods):
        counts = {name: period.counts.get(name, 0) for name in shown}
        if folded:
            counts[other] = sum(period.counts.get(name, 0) for name in folded)
        rows.append((period, [counts[name] for name in names]))
        y = float(baseline)
        for name in names:
            count = counts[name]
            if not count:
                continue
            height = plot_height * count / top
            y -= height
            display = labels.get(name, name)
            text = f"{period.label}" + (f" · {display}" if display else "") + " " + articles % {"count": count}
            segments.append(Segment(
                round(PAD_LEFT + index * slot + (slot - bar_width) / 2, 2), round(y, 2),
                round(bar_width, 2), round(height, 2), colors[name], text, period.query,
            ))

    step = max(1, math.ceil(len(periods) / MAX_X_LABELS))
    labelled = [index for index in range(len(periods)) if index % step == 0]
    narrow_step = math.ceil(len(labelled) / MAX_NARROW_X_LABELS)
    x_labels = [
        XLabel(round(PAD_LEFT + index * slot + slot / 2, 2), periods[index].label, position % narrow_step != 0)
        for position, index in enumerate(labelled)
    ]
    y_ticks = [(round(baseline - plot_height * value / top, 2), value) for value in sorted({0, top // 2, top})]
    totals = {name: sum(counts[i] for _period, counts in rows) for i, name in enumerate(names)}
    legend = [Legend(labels.get(name, name), colors[name], totals[name]) for name in names]
    return Chart(
        WIDTH, HEIGHT, segments, x_labels, y_ticks, legend, list(periods), [labels.get(n, n) for n in names],
        baseline, PAD_LEFT, WIDTH - PAD_RIGHT, rows, title,
    )
