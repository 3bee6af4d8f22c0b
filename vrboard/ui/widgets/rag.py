"""RAG shown with its letter and number, never by colour alone: a badge style and a count bar."""
from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..tablemodel import RAG_COLOURS, RAG_TEXT

ORDER = ("red", "amber", "green")
NAMES = {"red": "Red", "amber": "Amber", "green": "Green"}


def rag_badge_style(rag: str) -> str:
    """A stylesheet for a QLabel showing a RAG value as a coloured badge (the text carries the
    letter and the word; the colour only repeats it)."""
    bg, fg = RAG_COLOURS[rag].name(), RAG_TEXT[rag].name()
    return (f"QLabel {{ background: {bg}; color: {fg}; border-radius: 3px; padding: 1px 6px; "
            "font-weight: 600; }")


def rag_summary(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{NAMES[k]} {counts.get(k, 0)}" for k in ORDER)


class RagCountBar(QWidget):
    """A stacked bar of red/amber/green counts; each segment is labelled with its letter and
    number ("R 3") and the accessible description reads "Red 3, Amber 5, Green 10"."""

    def __init__(self, parent: QWidget | None = None, counts: Mapping[str, int] | None = None) -> None:
        super().__init__(parent)
        self._counts: dict[str, int] = {k: 0 for k in ORDER}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(120)
        self.set_counts(counts or {})

    def set_counts(self, counts: Mapping[str, int]) -> None:
        self._counts = {k: int(counts.get(k, 0)) for k in ORDER}
        text = rag_summary(self._counts)
        self.setAccessibleName("RAG counts")
        self.setAccessibleDescription(text)
        self.setToolTip(text)
        self.update()

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(220, QFontMetrics(self.font()).height() + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(120, QFontMetrics(self.font()).height() + 8)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        total = sum(self._counts.values())
        fm = QFontMetrics(self.font())
        if total == 0:
            p.setPen(QPen(self.palette().mid().color()))
            p.drawRoundedRect(rect, 3, 3)
            p.setPen(self.palette().windowText().color())
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, "No open actions")
            return
        # every non-zero segment gets at least room for its label
        labels = {k: f"{k[0].upper()} {n}" for k, n in self._counts.items()}
        mins = {k: fm.horizontalAdvance(labels[k]) + 10 for k in ORDER if self._counts[k]}
        spare = max(0.0, rect.width() - sum(mins.values()))
        x = rect.left()
        for k in ORDER:
            n = self._counts[k]
            if not n:
                continue
            w = mins[k] + spare * n / total
            seg = QRectF(x, rect.top(), w, rect.height())
            p.fillRect(seg, RAG_COLOURS[k])
            p.setPen(RAG_TEXT[k])
            p.drawText(seg, Qt.AlignmentFlag.AlignCenter, labels[k])
            x += w
        p.setPen(QPen(QColor(0, 0, 0, 60)))
        p.drawRect(rect)


def warning_text_colour() -> QColor:
    """Red text for "late" or "target not met" that reads on light and dark themes alike
    (the word itself carries the meaning; the colour only draws the eye)."""
    from PySide6.QtGui import QGuiApplication

    dark = QGuiApplication.palette().base().color().lightness() < 128
    return QColor("#ff7a70") if dark else QColor("#b10e1e")
