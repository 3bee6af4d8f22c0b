"""Date and date-time fields that take what is typed, day first (dd/mm/yyyy [HH:MM]).

Qt's ``QDateEdit`` edits a date section by section: typing "28/11/2030" into an empty one
gave "No end date28112030", and "12/02/2027 14:00" into a ``QDateTimeEdit`` gave
12/12/2026 20:27. These fields are a line edit read as a whole when the user leaves it, plus
a calendar button. Empty means "not set" (Delete clears it); text that is not a date is kept
as typed, marked, and refused by name when the dialog saves, never silently changed.
"""
from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError

UK_FORMAT = "dd/MM/yyyy"
_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
_MAX = 40  # nothing longer is a date: never scan more than this


def parse_uk_date(text: str) -> dt.date | None:
    """``dd/mm/yyyy`` (or d/m/yy, with / . or -; or ISO yyyy-mm-dd); None when empty.
    Raises ValueError for anything else."""
    text = text.strip()
    if not text:
        return None
    if len(text) > _MAX:
        raise ValueError("too long")
    if m := _DATE.fullmatch(text):
        day, month, year = (int(g) for g in m.groups())
        if len(m.group(3)) == 2:
            year += 2000
        return dt.date(year, month, day)
    if m := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in m.groups())
        return dt.date(year, month, day)
    raise ValueError("not a date")


def parse_uk_datetime(text: str) -> dt.datetime | None:
    """``dd/mm/yyyy HH:MM`` (a date alone means midnight is NOT assumed: a time is needed)."""
    text = text.strip()
    if not text:
        return None
    if len(text) > _MAX:
        raise ValueError("too long")
    date_part, _, time_part = text.partition(" ")
    day = parse_uk_date(date_part)
    m = _TIME.fullmatch(time_part.strip())
    if day is None or m is None:
        raise ValueError("not a date and time")
    return dt.datetime.combine(day, dt.time(int(m.group(1)), int(m.group(2))))


class _Field(QWidget):
    """A line edit and a calendar button; subclasses say how text becomes a value."""

    #: emitted when the value changes to a valid one (or to empty)
    valueChanged = Signal()  # noqa: N815 - Qt naming
    hint = "dd/mm/yyyy"

    def __init__(self, parent: QWidget | None = None, blank_text: str = "Not set") -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(blank_text)
        self.edit.setClearButtonEnabled(True)
        self.edit.setToolTip(f"Type {self.hint}, or choose from the calendar; "
                             "leave empty for “" + blank_text + "”")
        self.button = QToolButton()
        self.button.setText("▾")
        self.button.setToolTip("Choose from a calendar")
        self.button.setAccessibleName("Choose from a calendar")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.edit.editingFinished.connect(self._tidy)
        self.edit.textChanged.connect(self._mark)
        self.button.clicked.connect(self._pop_calendar)
        self._popup: QWidget | None = None

    # --- what subclasses provide ---
    def _parse(self, text: str) -> object:
        raise NotImplementedError

    def _format(self, value: object) -> str:
        raise NotImplementedError

    def _calendar_date(self) -> dt.date | None:
        raise NotImplementedError

    def _picked(self, day: dt.date) -> None:
        raise NotImplementedError

    # --- behaviour ---
    def text(self) -> str:
        return self.edit.text()

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - Qt naming
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)

    def is_valid(self) -> bool:
        try:
            self._parse(self.edit.text())
        except ValueError:
            return False
        return True

    def _value(self) -> object:
        try:
            return self._parse(self.edit.text())
        except ValueError:
            name = self.accessibleName() or "The date"
            raise ValidationError(
                f"{name}: '{self.edit.text().strip()[:_MAX]}' is not a date vrboard can read; "
                f"type it as {self.hint}, or leave it empty.") from None

    def _set(self, value: object) -> None:
        self.edit.setText("" if value is None else self._format(value))

    def _tidy(self) -> None:
        """On leaving the field, show a valid value in the standard form."""
        try:
            value = self._parse(self.edit.text())
        except ValueError:
            return
        text = "" if value is None else self._format(value)
        if text != self.edit.text():
            self.edit.setText(text)

    def _mark(self) -> None:
        valid = self.is_valid()
        self.edit.setProperty("invalid", not valid)
        self.edit.setStyleSheet("" if valid else "QLineEdit { border: 2px solid #b00020; }")
        if valid:
            self.valueChanged.emit()

    def _pop_calendar(self) -> None:
        popup = QWidget(self, Qt.WindowType.Popup)
        cal = QCalendarWidget(popup)
        cal.setGridVisible(True)
        cal.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        shown = self._calendar_date() or dt.date.today()
        cal.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        QVBoxLayout(popup).addWidget(cal)
        popup.layout().setContentsMargins(0, 0, 0, 0)

        def picked(d: QDate) -> None:
            self._picked(dt.date(d.year(), d.month(), d.day()))
            popup.close()

        cal.clicked.connect(picked)
        cal.activated.connect(picked)
        popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self._popup = popup
        popup.show()
        cal.setFocus()


class OptionalDateEdit(_Field):
    """A date that may be left empty: ``date_value()`` gives a ``datetime.date`` or None and
    raises ``ValidationError`` (naming the field) for text that is not a date."""

    def _parse(self, text: str) -> dt.date | None:
        return parse_uk_date(text)

    def _format(self, value: object) -> str:
        assert isinstance(value, dt.date)
        return value.strftime("%d/%m/%Y")

    def _calendar_date(self) -> dt.date | None:
        try:
            return self._parse(self.edit.text())
        except ValueError:
            return None

    def _picked(self, day: dt.date) -> None:
        self._set(day)

    def date_value(self) -> dt.date | None:
        value = self._value()
        assert value is None or isinstance(value, dt.date)
        return value

    def set_date_value(self, value: dt.date | None) -> None:
        self._set(value)


class DateTimeEdit(_Field):
    """A date and time typed as ``dd/mm/yyyy HH:MM``; the calendar keeps the time typed."""

    hint = "dd/mm/yyyy HH:MM, e.g. 12/02/2027 14:00"

    def __init__(self, parent: QWidget | None = None, blank_text: str = "dd/mm/yyyy HH:MM") -> None:
        super().__init__(parent, blank_text)

    def _parse(self, text: str) -> dt.datetime | None:
        return parse_uk_datetime(text)

    def _format(self, value: object) -> str:
        assert isinstance(value, dt.datetime)
        return value.strftime("%d/%m/%Y %H:%M")

    def _calendar_date(self) -> dt.date | None:
        try:
            value = self._parse(self.edit.text())
        except ValueError:
            return None
        return None if value is None else value.date()

    def _picked(self, day: dt.date) -> None:
        try:
            current = self._parse(self.edit.text())
        except ValueError:
            current = None
        at = current.time() if current is not None else dt.time(14, 0)
        self._set(dt.datetime.combine(day, at))

    def datetime_value(self) -> dt.datetime | None:
        value = self._value()
        assert value is None or isinstance(value, dt.datetime)
        return value

    def set_datetime_value(self, value: dt.datetime | None) -> None:
        self._set(value)
