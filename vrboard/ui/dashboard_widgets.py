"""Small widgets for the dashboard: a figure button and a RAG bar that always shows letters
and numbers (colour is never the only signal)."""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from ..model import RAG
from .style import warning_colour
from .tablemodel import RAG_COLOURS, RAG_TEXT

RAG_LETTER = {RAG.RED: "R", RAG.AMBER: "A", RAG.GREEN: "G"}


class StatButton(QPushButton):
    """A figure with its caption; clicking it opens the list behind the figure."""

    def __init__(self, caption: str, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.value = 0
        self.setProperty("role", "stat")
        self.setToolTip(tip)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(64)
        self.setMinimumWidth(96)
        self.set_value(0)

    def set_value(self, value: int, warn: bool = False) -> None:
        self.value = value
        self.warn = warn
        self.setAccessibleName(f"{self.caption}: {value}")
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(150, 64)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(96, 64)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)  # the frame, from the stylesheet
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        r = self.rect().adjusted(14, 6, -10, -6)
        big = QFont(self.font())
        big.setPointSizeF(self.font().pointSizeF() * 1.9)
        big.setWeight(QFont.Weight.DemiBold)
        p.setFont(big)
        colour = _warn_colour(pal) if self.warn and self.value else pal.color(QPalette.ColorRole.Text)
        p.setPen(colour)
        top = QRectF(r.x(), r.y(), r.width(), r.height() * 0.6)
        p.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(self.value))
        p.setFont(self.font())
        p.setPen(pal.color(QPalette.ColorRole.Text))
        bottom = QRectF(r.x(), r.y() + r.height() * 0.6, r.width(), r.height() * 0.4)
        p.drawText(bottom, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.caption)
        p.end()


def _warn_colour(pal: QPalette) -> QColor:
    return warning_colour(pal)


class RagBar(QWidget):
    """A horizontal bar split by RAG, each part labelled "R 10" etc."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: dict[RAG, int] = {r: 0 for r in RAG}
        self.setMinimumHeight(30)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Open actions by RAG")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def set_counts(self, counts: dict[RAG, int]) -> None:
        self.counts = {r: int(counts.get(r, 0)) for r in RAG}
        words = ", ".join(f"{r.value} {n}" for r, n in self.counts.items())
        self.setAccessibleDescription(f"Open actions by RAG: {words}")
        self.setToolTip(f"Open actions: {words}")
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(400, 30)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, 30)

    def text_for(self, rag: RAG) -> str:
        return f"{RAG_LETTER[rag]} {self.counts[rag]}"

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        total = sum(self.counts.values())
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        if total == 0:
            p.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid)))
            p.drawRoundedRect(rect, 4, 4)
            p.setPen(self.palette().color(QPalette.ColorRole.Text))
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, "No open actions")
            p.end()
            return
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        p.setFont(bold)
        min_w = p.fontMetrics().horizontalAdvance("R 000") + 10
        shown = [r for r in RAG if self.counts[r]]
        spare = rect.width() - min_w * len(shown)
        x = rect.x()
        for rag in shown:
            share = self.counts[rag] / total
            w = min_w + max(spare, 0) * share if spare > 0 else rect.width() * share
            seg = QRectF(x, rect.y(), w, rect.height())
            p.fillRect(seg, RAG_COLOURS[rag.value])
            p.setPen(RAG_TEXT[rag.value])
            p.drawText(seg, Qt.AlignmentFlag.AlignCenter, self.text_for(rag))
            x += w
        p.end()
