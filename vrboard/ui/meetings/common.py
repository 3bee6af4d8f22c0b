"""Small helpers the Board and Meetings pages share: UK dates, banners, combo boxes."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

T = TypeVar("T")
UK_DATE = "dd/MM/yyyy"

# Tints by meaning: (light background, dark-theme background, edge). Text is near-black on
# the light tints and near-white on the dark ones, so both themes stay legible.
TINTS = {
    "warning": ("#fff4e5", "#4a3512", "#f47738"),
    "danger": ("#fbe9e7", "#4d1f1a", "#d4351c"),
    "ok": ("#e8f5ec", "#173d28", "#00703c"),
    "info": ("#e8f1fb", "#1b3350", "#1d70b8"),
    "muted": ("#eeeeee", "#3a3a3a", "#888888"),
}


def _dark() -> bool:
    from ..style import is_dark

    return is_dark()


def tint(kind: str) -> tuple[QColor, QColor]:
    """(background, text) for a table cell that carries a meaning, in the current theme."""
    light, dark, _edge = TINTS[kind]
    if _dark():
        return QColor(dark), QColor("#f3f2f1")
    return QColor(light), QColor("#1d1d1b")


def uk_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def uk_datetime(d: dt.datetime | None) -> str:
    return d.strftime("%d/%m/%Y %H:%M") if d else ""


def local_time(d: dt.datetime | None) -> str:
    """A stored UTC timestamp shown in local time, day first."""
    if d is None:
        return ""
    if d.tzinfo is not None:
        d = d.astimezone()
    return d.strftime("%d/%m/%Y %H:%M")


def to_qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class Banner(QLabel):
    """A prominent, word-wrapped message with a coloured edge. The text always says what
    the colour means (colour is never the only signal)."""

    def __init__(self, parent: QWidget | None = None, accessible_name: str = "Notice") -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName(accessible_name)
        self.kind = "info"
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        light, dark, edge = TINTS[kind]
        bg, fg = (dark, "#f3f2f1") if _dark() else (light, "#1d1d1b")
        self.kind = kind
        self.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; border: 1px solid {edge};"
            f" border-left: 6px solid {edge}; padding: 8px 10px; border-radius: 3px; }}")
        self.setText(text)
        self.setAccessibleDescription(text)
        self.show()

    def clear_message(self) -> None:
        self.setText("")
        self.hide()


def fill_combo(box: QComboBox, items: Iterable[tuple[str, Any]], selected: Any = None) -> None:
    """Replace a combo's entries with (label, data) pairs and select ``selected``."""
    box.blockSignals(True)
    box.clear()
    for label, data in items:
        box.addItem(label, data)
    box.blockSignals(False)
    select_data(box, selected)


def select_data(box: QComboBox, data: Any) -> None:
    i = box.findData(data)
    box.setCurrentIndex(i if i >= 0 else 0)


def run_watching_reload(ctx: Any, parent: QWidget, what: str, fn: Callable[[Any, Any], T],
                        changed: str) -> tuple[T | None, bool]:
    """``ctx.run``, also telling whether the user chose Reload after a conflicting edit
    (someone else saved first): the caller then drops its stale copy instead of retrying."""
    reloaded: list[bool] = []
    conn = ctx.reload_requested.connect(lambda: reloaded.append(True))
    try:
        result = ctx.run(parent, what, fn, changed)
    finally:
        ctx.reload_requested.disconnect(conn)
    return result, bool(reloaded)


def plural(n: int, word: str) -> str:
    """"1 item", "2 items"."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"
