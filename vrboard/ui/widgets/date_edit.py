"""A date field that may be left empty, shown day first (dd/mm/yyyy)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject
from PySide6.QtWidgets import QDateEdit, QWidget

UK_FORMAT = "dd/MM/yyyy"
_EMPTY = QDate(1900, 1, 1)


class OptionalDateEdit(QDateEdit):
    """``QDateEdit`` whose lowest value stands for "not set" (shown as ``blank_text``).

    ``date_value()`` returns a ``datetime.date`` or None; ``set_date_value(None)`` clears it.
    When the field is empty its calendar pop-up opens on the current month, not on 1900."""

    def __init__(self, parent: QWidget | None = None, blank_text: str = "Not set") -> None:
        super().__init__(parent)
        self.setDisplayFormat(UK_FORMAT)
        self.setCalendarPopup(True)
        self.setMinimumDate(_EMPTY)
        self.setSpecialValueText(blank_text)
        self.setDate(_EMPTY)
        self.calendarWidget().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Show and self.date() == _EMPTY:
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)

    def date_value(self) -> dt.date | None:
        d = self.date()
        if d == _EMPTY:
            return None
        return dt.date(d.year(), d.month(), d.day())

    def set_date_value(self, value: dt.date | None) -> None:
        self.setDate(_EMPTY if value is None else QDate(value.year, value.month, value.day))
