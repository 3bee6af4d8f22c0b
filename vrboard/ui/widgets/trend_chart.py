"""A small line chart of an indicator's values by period, drawn with QPainter.

Shows the values (each labelled with its number), the target as a dashed line with its
label, and the period names under the axis. ``text_alternative()`` says the same in words
and is set as the accessible description, so a screen reader user loses nothing.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

LINE = QColor("#1d70b8")
TARGET = QColor("#b58105")
MISSED = QColor("#d4351c")


@dataclass
class Series:
    name: str = ""
    unit: str = ""
    periods: list[str] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    target: float | None = None
    higher_is_better: bool = True

    def met(self, value: float) -> bool | None:
        if self.target is None:
            return None
        return value >= self.target if self.higher_is_better else value <= self.target


def fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering lo..hi."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(1, count - 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    v = start
    while v <= hi + step * 0.001:
        ticks.append(round(v, 10))
        v += step
    if ticks[-1] < hi:
        ticks.append(round(v, 10))
    return ticks


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = Series()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 200)
        self.setAccessibleName("Trend chart")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def set_series(self, series: Series) -> None:
        self.series = series
        text = self.text_alternative()
        self.setAccessibleDescription(text)
        self.setToolTip(text)
        self.update()

    def text_alternative(self) -> str:
        s = self.series
        if not s.values:
            return f"{s.name}: no values recorded yet." if s.name else "No indicator selected."
        unit = f" {s.unit}" if s.unit else ""
        parts = [f"{p}: {fmt(v)}" for p, v in zip(s.periods, s.values, strict=True)]
        text = f"{s.name}, values by period{f' ({s.unit})' if s.unit else ''}: " + "; ".join(parts) + "."
        if s.target is not None:
            better = "higher" if s.higher_is_better else "lower"
            met = s.met(s.values[-1])
            text += (f" Target {fmt(s.target)}{unit} ({better} is better); the latest value, "
                     f"{fmt(s.values[-1])}{unit}, {'meets' if met else 'does not meet'} it.")
        return text

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(520, 260)

    # --- drawing ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        ink = pal.windowText().color()
        faint = QColor(ink)
        faint.setAlpha(50)
        fm = QFontMetrics(self.font())
        s = self.series
        if not s.values:
            p.setPen(ink)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.text_alternative())
            return
        lo = min(s.values + ([s.target] if s.target is not None else []))
        hi = max(s.values + ([s.target] if s.target is not None else []))
        pad = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1
        ticks = nice_ticks(max(0.0, lo - pad) if lo >= 0 else lo - pad, hi + pad)
        y0, y1 = ticks[0], ticks[-1]
        left = max(fm.horizontalAdvance(fmt(t)) for t in ticks) + 14
        plot = QRectF(left, fm.height() * 1.5, self.width() - left - 16,
                      self.height() - fm.height() * 4)
        if plot.width() < 40 or plot.height() < 40:
            return

        def ypos(v: float) -> float:
            return plot.bottom() - (v - y0) / (y1 - y0) * plot.height()

        n = len(s.values)
        step = plot.width() / n

        def xpos(i: int) -> float:
            return plot.left() + step * (i + 0.5)

        # grid and y labels
        for t in ticks:
            y = ypos(t)
            p.setPen(QPen(faint, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(ink)
            p.drawText(QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, fmt(t))
        if s.unit:
            p.drawText(QRectF(0, 0, self.width(), fm.height()), Qt.AlignmentFlag.AlignLeft, s.unit)
        # target
        if s.target is not None:
            y = ypos(s.target)
            p.setPen(QPen(TARGET, 2, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            label = f"Target {fmt(s.target)} ({'higher' if s.higher_is_better else 'lower'} is better)"
            p.setPen(TARGET.darker(130))
            w = fm.horizontalAdvance(label) + 8
            p.drawText(QRectF(plot.right() - w, y - fm.height() - 2, w, fm.height()),
                       Qt.AlignmentFlag.AlignRight, label)
        # the line and its points, each with its value
        path = QPainterPath(QPointF(xpos(0), ypos(s.values[0])))
        for i, v in enumerate(s.values[1:], start=1):
            path.lineTo(QPointF(xpos(i), ypos(v)))
        p.setPen(QPen(LINE, 2.5))
        p.drawPath(path)
        for i, v in enumerate(s.values):
            pt = QPointF(xpos(i), ypos(v))
            missed = s.met(v) is False
            p.setPen(QPen(MISSED if missed else LINE, 2))
            p.setBrush(pal.base().color() if missed else LINE)
            p.drawEllipse(pt, 4.5, 4.5)
            p.setPen(ink)
            p.drawText(QRectF(pt.x() - step / 2, pt.y() - fm.height() - 8, step, fm.height()),
                       Qt.AlignmentFlag.AlignHCenter, fmt(v))
        # period labels (every other one when they would collide)
        p.setPen(ink)
        widest = max(fm.horizontalAdvance(x) for x in s.periods) + 8
        every = max(1, math.ceil(widest / step))
        for i, period in enumerate(s.periods):
            if i % every == 0 or i == n - 1:
                p.drawText(QRectF(xpos(i) - step * every / 2, plot.bottom() + 6, step * every, fm.height()),
                           Qt.AlignmentFlag.AlignHCenter, period)
        p.setPen(QPen(faint, 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(plot)


def series_from(name: str, unit: str, points: Sequence[tuple[str, float]], target: float | None,
                higher_is_better: bool) -> Series:
    return Series(name, unit, [p for p, _ in points], [v for _, v in points], target, higher_is_better)
