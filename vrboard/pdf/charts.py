"""Small charts drawn with reportlab.graphics: RAG counts and an indicator's trend.

Every chart carries its numbers as text (bar labels, point values), so nothing relies on
colour alone; every string uses the embedded font.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from ..model import RAG
from .fonts import BOLD, REGULAR
from .styles import CHART_SIZE, INK, MUTED, RAG_FILL, RULE


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    d.initialFontName = REGULAR  # the renderer's starting font; its default is Helvetica
    return d


def rag_chart(counts: Mapping[RAG, int], width: float = 190, height: float = 78) -> Drawing:
    """Horizontal bars: open actions by RAG, each labelled with its name and count."""
    d = _drawing(width, height)
    order = [RAG.RED, RAG.AMBER, RAG.GREEN]
    values = [counts.get(r, 0) for r in order]
    chart = HorizontalBarChart()
    chart.x, chart.y = 52, 8
    chart.width, chart.height = width - 80, height - 16
    chart.data = [list(reversed(values))]  # bottom-up: green at the bottom
    chart.categoryAxis.categoryNames = [r.label for r in reversed(order)]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(1, max(values))
    chart.valueAxis.visible = False
    chart.barWidth = 10
    chart.groupSpacing = 6
    chart.bars.strokeColor = None
    for n, r in enumerate(reversed(order)):
        chart.bars[(0, n)].fillColor = RAG_FILL[r]
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = BOLD
    chart.barLabels.fontSize = 9
    chart.barLabels.fillColor = INK
    chart.barLabels.nudge = 8
    chart.barLabels.boxAnchor = "w"
    d.add(chart)
    return d


def _period(p: str) -> str:
    """"2025/26 Q1" as "Q1" over "25/26": two short lines that fit under a point at 8 pt."""
    m = re.fullmatch(r"(\d{2})(\d{2})/(\d{2}) (Q\d)", p.strip())
    return f"{m[4]}\n{m[2]}/{m[3]}" if m else p.replace(" ", "\n", 1)


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def trend_chart(series: Sequence[tuple[str, float]], target: float | None, *, width: float = 245,
                height: float = 120) -> Drawing:
    """The indicator's values by period, with the target as a dashed line."""
    d = _drawing(width, height)
    if not series:
        d.add(String(width / 2, height / 2, "No values recorded yet", fontName=REGULAR,
                     fontSize=9, fillColor=MUTED, textAnchor="middle"))
        return d
    values = [v for _, v in series]
    chart = HorizontalLineChart()
    chart.x, chart.y = 34, 30
    chart.width, chart.height = width - 46, height - 42
    data = [values]
    if target is not None:
        data.append([target] * len(values))
    chart.data = data
    lo = min(values + ([target] if target is not None else []))
    hi = max(values + ([target] if target is not None else []))
    pad = (hi - lo) * 0.15 or max(1.0, abs(hi) * 0.1)
    chart.valueAxis.valueMin = max(0.0, lo - pad) if lo >= 0 else lo - pad
    chart.valueAxis.valueMax = hi + pad
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = CHART_SIZE
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.labelTextFormat = _fmt
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e4e7eb")
    chart.categoryAxis.categoryNames = [_period(p) for p, _ in series]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = CHART_SIZE
    chart.categoryAxis.labels.fillColor = MUTED
    chart.categoryAxis.labels.dy = -2
    chart.categoryAxis.strokeColor = RULE
    chart.lines[0].strokeColor = colors.HexColor("#243b53")
    chart.lines[0].strokeWidth = 1.6
    chart.lines.symbol = None
    chart.lineLabelFormat = None
    if target is not None:
        chart.lines[1].strokeColor = colors.HexColor("#b42318")
        chart.lines[1].strokeWidth = 0.9
        chart.lines[1].strokeDashArray = [3, 2]
    d.add(chart)
    last_label = f"Latest {_fmt(values[-1])}"
    d.add(String(width - 2, height - 8, last_label, fontName=BOLD, fontSize=9, fillColor=INK,
                 textAnchor="end"))
    if target is not None:
        d.add(String(36, height - 8, f"- - target {_fmt(target)}", fontName=REGULAR, fontSize=9,
                     fillColor=colors.HexColor("#b42318")))
    return d
