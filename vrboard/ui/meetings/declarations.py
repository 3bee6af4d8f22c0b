"""Declarations of interest: who declared what, on which item, and any dispensation."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ...services import meetings as svc
from ...services.context import Actor
from ...services.meeting_views import DECLARATION_TYPES, MeetingDetail
from ..context import AppContext
from ..widgets.buttons import save_cancel
from ..widgets.tables import fit_columns
from .common import fill_combo
from .models import DeclarationModel

NATURE_COL = 3  # Member, Item, Type, Nature of the interest, Dispensation


class DeclarationDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None, detail: MeetingDetail,
                 people: list[tuple[int, str]], item_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.setWindowTitle("Declare an interest")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        # people at the meeting first, then everyone else
        at = [(a.person_id, a.name) for a in detail.attendance]
        others = [(i, n) for i, n in people if i not in {p for p, _ in at}]
        self.person = QComboBox()
        self.person.setAccessibleName("Member declaring")
        fill_combo(self.person, [(n, i) for i, n in at + others])
        self.item = QComboBox()
        self.item.setAccessibleName("Agenda item")
        fill_combo(self.item, [("Whole meeting (no particular item)", None)]
                   + [(i.label, i.id) for i in detail.items], item_id)
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.setAccessibleName("Type of interest")
        self.kind.addItems(list(DECLARATION_TYPES))
        self.kind.setCurrentText("Other registrable")
        self.nature = QPlainTextEdit()
        self.nature.setAccessibleName("Nature of the interest")
        self.nature.setTabChangesFocus(True)
        self.nature.setPlaceholderText("e.g. Trustee of a youth charity that may bid for funding")
        self.nature.setFixedHeight(80)
        self.dispensation = QLineEdit()
        self.dispensation.setAccessibleName("Dispensation")
        self.dispensation.setPlaceholderText("e.g. Left the room for this item; or a dispensation granted")
        form.addRow("&Member:", self.person)
        form.addRow("&Item:", self.item)
        form.addRow("&Type:", self.kind)
        form.addRow("&Nature:", self.nature)
        form.addRow("&Dispensation:", self.dispensation)
        layout.addLayout(form)
        buttons = save_cancel(self, self.save)
        layout.addWidget(buttons)

    def save(self) -> None:
        mid, pid, item_id = self.detail.id, self.person.currentData(), self.item.currentData()
        nature, kind, disp = self.nature.toPlainText(), self.kind.currentText(), self.dispensation.text()

        def add(s: Session, a: Actor) -> int:
            return svc.add_declaration(s, a, mid, pid, nature, kind, item_id, disp).id

        if self.ctx.run(self, "record the declaration", add, changed="meeting") is not None:
            self.accept()


class DeclarationsPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: MeetingDetail | None = None
        self.people: list[tuple[int, str]] = []
        self.editable = False
        self.dialog: DeclarationDialog | None = None
        layout = QVBoxLayout(self)
        note = QLabel("Declarations are asked for at the start of each meeting and minuted. "
                      "Record each interest against the item it concerns.")
        note.setWordWrap(True)
        layout.addWidget(note)
        bar = QHBoxLayout()
        self.add_button = QPushButton("&Add declaration…")
        self.remove_button = QPushButton("&Remove declaration")
        bar.addWidget(self.add_button)
        bar.addWidget(self.remove_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.model = DeclarationModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Declarations of interest")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        fit_columns(self.table, stretch=NATURE_COL, cap=220)  # the nature of the interest
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.table, 1)
        self.empty = QLabel("No declarations recorded for this meeting.")
        layout.addWidget(self.empty)
        self.add_button.clicked.connect(self.add_declaration)
        self.remove_button.clicked.connect(self.remove_declaration)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.remove_declaration,
                  context=Qt.ShortcutContext.WidgetShortcut)

    def show_meeting(self, detail: MeetingDetail, people: list[tuple[int, str]], editable: bool,
                     why_not: str) -> None:
        self.detail, self.people, self.editable = detail, people, editable
        self.model.set_rows(list(detail.declarations))
        self.empty.setVisible(not detail.declarations)
        for b in (self.add_button, self.remove_button):
            b.setToolTip("" if editable else why_not)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        self.add_button.setEnabled(self.editable and self.detail is not None)
        self.remove_button.setEnabled(self.editable and bool(self.table.selectionModel().selectedRows()))

    def add_declaration(self, item_id: int | None = None) -> None:
        if not self.editable or self.detail is None:
            return
        self.dialog = DeclarationDialog(self.ctx, self, self.detail, self.people,
                                        item_id if isinstance(item_id, int) else None)
        self.dialog.finished.connect(self._dialog_finished)
        self.dialog.open()

    def _dialog_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def remove_declaration(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not self.editable or not rows:
            return
        d = self.model.row(rows[0])
        answer = QMessageBox.question(self, "Remove declaration",
                                      f"Remove {d.person}'s declaration on {d.item}?")
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.run(self, "remove the declaration",
                         lambda s, a: svc.remove_declaration(s, a, d.id), changed="meeting")
