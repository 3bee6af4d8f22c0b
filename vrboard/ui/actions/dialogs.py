"""Small dialogs of the actions page: a progress update, and a note or reason for a change."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...model import RAG
from ...services.action_rows import ActionDetail
from ..widgets.buttons import save_cancel
from ..widgets.date_edit import UK_FORMAT


class ProgressDialog(QDialog):
    """A dated progress update: what happened, percent complete and RAG (both start at the
    action's current values), and the date it refers to (today unless changed)."""

    def __init__(self, detail: ActionDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Progress update for {detail.reference}")
        self.setMinimumWidth(480)
        heading = QLabel(f"<b>{detail.reference}</b> {_html(detail.title)}")
        heading.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("What has happened since the last update?")
        self.text.setAccessibleName("Update text")
        self.percent = QSpinBox()
        self.percent.setRange(0, 100)
        self.percent.setSuffix(" %")
        self.percent.setValue(detail.percent)
        self.percent.setAccessibleName("Percent complete")
        self.rag = QComboBox()
        for r in RAG:
            self.rag.addItem(f"{r.label} ({r.letter})", r.value)
        self.rag.setCurrentIndex(self.rag.findData(detail.rag.value))
        self.rag.setAccessibleName("RAG")
        self.on_date = QDateEdit(QDate.currentDate())
        self.on_date.setDisplayFormat(UK_FORMAT)
        self.on_date.setCalendarPopup(True)
        self.on_date.setMaximumDate(QDate.currentDate())
        self.on_date.setAccessibleName("Date of the update")
        form = QFormLayout()
        form.addRow("&Update", self.text)
        form.addRow("&Percent complete", self.percent)
        form.addRow("&RAG", self.rag)
        form.addRow("&Date", self.on_date)
        self.buttons = save_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.text.setFocus()

    def values(self) -> tuple[str, int, str, dt.date]:
        d = self.on_date.date()
        return (self.text.toPlainText().strip(), self.percent.value(), str(self.rag.currentData()),
                dt.date(d.year(), d.month(), d.day()))


class ReasonDialog(QDialog):
    """Asks for a note (optional) or a reason (``required``) before a change."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None, *,
                 required: bool = False, ok_text: str = "OK") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.required = required
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(100)
        self.text.setAccessibleName("Reason" if required else "Note")
        label.setBuddy(self.text)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text)
        layout.addWidget(self.buttons)
        if required:
            self.text.textChanged.connect(self._check)
            self._check()
        self.text.setFocus()

    def _check(self) -> None:
        ok = bool(self.value())
        self.ok.setEnabled(ok)
        self.ok.setToolTip("" if ok else "Give a reason first.")

    def value(self) -> str:
        return self.text.toPlainText().strip()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
