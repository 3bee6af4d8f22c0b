"""A compact add/edit dialog: a form of labelled fields, Save and Cancel. ``save`` reads the
fields (a date that is not a date is named, and the dialog stays open), runs the service call
through ``ctx.run`` (a refusal is shown in plain words, and the dialog stays open with what was
typed) and closes only when it succeeded. The small dialogs of the Reviews, Duty and Community
pages are built on it."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...model import Action
from ...services.context import Actor
from ..context import AppContext, form_values
from ..widgets.date_edit import OptionalDateEdit


class FormDialog(QDialog):
    """Subclasses add rows with the ``line``/``text``/``date``/``choice``/``number`` helpers
    and implement ``submit`` (returning what ``ctx.run`` should call, or None)."""

    what = "save"          #: "Could not <what>"
    topic = ""             #: the ``changed`` topic

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None,
                 intro: str = "", width: int = 500) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_value: Any = None
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        lay = QVBoxLayout(self)
        if intro:
            note = QLabel(intro)
            note.setWordWrap(True)
            lay.addWidget(note)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        lay.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt naming
        """Tall enough for the wrapped labels at the width it opens with (a dialog's first
        size ignores height-for-width, which cut a long recommendation off)."""
        super().showEvent(event)
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            need = layout.totalHeightForWidth(self.width())
            if need > self.height():
                self.resize(self.width(), need)

    # --- fields ---------------------------------------------------------------------------------
    def _row(self, label: str, widget: QWidget, name: str) -> None:
        widget.setAccessibleName(name)
        self.form.addRow(label, widget)

    def line(self, label: str, name: str, value: str = "", placeholder: str = "") -> QLineEdit:
        w = QLineEdit(value)
        w.setPlaceholderText(placeholder)
        self._row(label, w, name)
        return w

    def text(self, label: str, name: str, value: str = "", height: int = 80) -> QPlainTextEdit:
        w = QPlainTextEdit(value)
        w.setTabChangesFocus(True)
        w.setMinimumHeight(height)
        self._row(label, w, name)
        return w

    def date(self, label: str, name: str, value: dt.date | None = None,
             blank: str = "Not set") -> OptionalDateEdit:
        w = OptionalDateEdit(blank_text=blank)
        w.set_date_value(value)
        self._row(label, w, name)
        return w

    def choice(self, label: str, name: str, options: Sequence[tuple[str, Any]],
               current: Any = None) -> QComboBox:
        w = QComboBox()
        for text, data in options:
            w.addItem(text, data)
        if current is not None:
            n = w.findData(current)
            if n >= 0:
                w.setCurrentIndex(n)
        self._row(label, w, name)
        return w

    def enum_choice(self, label: str, name: str, enum: type[Enum], current: Any = None) -> QComboBox:
        return self.choice(label, name, [(getattr(m, "label", m.value), m.value) for m in enum],
                           None if current is None else getattr(current, "value", current))

    def number(self, label: str, name: str, value: int = 0, maximum: int = 100000) -> QSpinBox:
        w = QSpinBox()
        w.setRange(0, maximum)
        w.setValue(value)
        w.setMaximumWidth(120)
        self._row(label, w, name)
        return w

    # --- saving ---------------------------------------------------------------------------------
    def submit(self) -> Callable[[Session, Actor], Any] | None:
        raise NotImplementedError

    def save(self) -> None:
        call = form_values(self, self.what, self.submit)
        if call is None:
            return
        # wrapped so a service that returns None still reads as saved
        done = self.ctx.run(self, self.what, lambda s, a: (call(s, a),), changed=self.topic)
        if done is not None:
            self.result_value = done[0]
            self.accept()


def action_options(session: Session, only: Sequence[int] | None = None) -> list[tuple[str, str]]:
    """(``REF  title``, reference) for a combo box of actions, by reference."""
    q = select(Action.id, Action.reference, Action.title).order_by(Action.reference)
    if only is not None:
        q = q.where(Action.id.in_(list(only)))
    return [(f"{ref}  {title}", ref) for _, ref, title in session.execute(q)]


def wrapped_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label
