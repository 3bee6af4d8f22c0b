"""The attendance grid: each current member present / apologies / absent, with a substitute,
and a live quorum indicator (text and colour; colour is never the only signal)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from ...model import AttendanceStatus
from ...services import meetings as svc
from ...services.context import Actor
from ...services.meeting_views import AttendanceView, MeetingDetail
from ..context import AppContext
from ..tablemodel import ListTableModel
from .common import Banner, select_data, tint

Index = QModelIndex | QPersistentModelIndex
STATUS_COL, SUB_COL = 3, 4
NOT_RECORDED = "Not recorded"
HEADERS = ("Member", "Role", "Voting", "Attendance", "Substitute")
STATUS_TINTS = {AttendanceStatus.PRESENT: "ok", AttendanceStatus.APOLOGIES: "warning",
                AttendanceStatus.ABSENT: "danger"}


class AttendanceModel(ListTableModel):
    HEADERS = HEADERS

    """Rows of ``AttendanceView``. Editing the attendance or substitute cell does not change
    the row: it asks (``change_requested(person_id, status, substitute_id)``) and the grid
    saves through the service and reloads."""

    change_requested = Signal(int, str, object)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AttendanceView] = []
        self.people: list[tuple[int, str]] = []
        self.editable = True

    def set_rows(self, rows: list[AttendanceView], people: list[tuple[int, str]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.people = list(people)
        self.endResetModel()

    def row(self, n: int) -> AttendanceView:
        return self._rows[n]

    def rows(self) -> list[AttendanceView]:
        return list(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if self.editable and index.isValid() and index.column() in (STATUS_COL, SUB_COL):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r, col = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(r, col)
        if role == Qt.ItemDataRole.EditRole:
            if col == STATUS_COL:
                return r.status.value if r.status else ""
            if col == SUB_COL:
                return r.substitute_id
            return self._text(r, col)
        if role == Qt.ItemDataRole.BackgroundRole and col == STATUS_COL and r.status:
            return QBrush(tint(STATUS_TINTS[r.status])[0])
        if role == Qt.ItemDataRole.ForegroundRole and col == STATUS_COL and r.status:
            return QBrush(tint(STATUS_TINTS[r.status])[1])
        if role == Qt.ItemDataRole.ToolTipRole and col == SUB_COL and r.named_substitute_id:
            name = next((n for i, n in self.people if i == r.named_substitute_id), "")
            return f"Named substitute: {name}" if name else None
        return None

    @staticmethod
    def _text(r: AttendanceView, col: int) -> str:
        if col == 0:
            return r.name
        if col == 1:
            return r.role
        if col == 2:
            return "Yes" if r.voting else "No"
        if col == STATUS_COL:
            return r.status.label if r.status else NOT_RECORDED
        return r.substitute or ("None" if r.status else "")

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        r = self._rows[index.row()]
        if index.column() == STATUS_COL:
            if not value or value == (r.status.value if r.status else ""):
                return False
            sub = None if value == AttendanceStatus.PRESENT.value else r.substitute_id
            self.change_requested.emit(r.person_id, str(value), sub)
            return True
        if index.column() == SUB_COL:
            if value == r.substitute_id:
                return False
            status = r.status.value if r.status and r.status is not AttendanceStatus.PRESENT \
                else AttendanceStatus.APOLOGIES.value
            self.change_requested.emit(r.person_id, status, value)
            return True
        return False

    def person_name(self, person_id: int) -> str:
        return next((n for i, n in self.people if i == person_id), f"person {person_id}")

    def choices(self, index: Index) -> list[tuple[str, Any]]:
        if index.column() == STATUS_COL:
            return [(s.label, s.value) for s in AttendanceStatus]
        r = self._rows[index.row()]
        named = [(f"{n} (named substitute)", i) for i, n in self.people if i == r.named_substitute_id]
        return [("None", None)] + named + [(n, i) for i, n in self.people
                                           if i not in (r.person_id, r.named_substitute_id)]


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor filled from the model's ``choices(index)``."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        box = QComboBox(parent)
        box.setAccessibleName(HEADERS[index.column()])
        for label, data in index.model().choices(index):
            box.addItem(label, data)
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        select_data(editor, index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class AttendanceGrid(QWidget):
    """Attendance of one meeting. Changes save at once; the quorum line updates with them."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = None
        layout = QVBoxLayout(self)
        self.quorum = Banner(self, "Quorum")
        layout.addWidget(self.quorum)
        self.hint = hint = QLabel("Select members and press P (present), A (apologies) or X (absent); "
                      "F2 or double-click a cell to choose a status or a substitute.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.model = AttendanceModel(self)
        self.model.change_requested.connect(self._save, Qt.ConnectionType.QueuedConnection)
        self.table = QTableView()
        self.table.setAccessibleName("Attendance")
        self.table.setModel(self.model)
        self.table.setItemDelegate(ChoiceDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SUB_COL, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        bar = QHBoxLayout()
        self.buttons: dict[AttendanceStatus, QPushButton] = {}
        for status, text, key in ((AttendanceStatus.PRESENT, "&Present", "P"),
                                  (AttendanceStatus.APOLOGIES, "&Apologies", "A"),
                                  (AttendanceStatus.ABSENT, "Absen&t", "X")):
            b = QPushButton(text)
            b.setToolTip(f"Mark the selected members {status.label.lower()} ({key})")
            b.clicked.connect(lambda _=False, st=status: self.mark_selected(st))
            QShortcut(QKeySequence(key), self.table, lambda st=status: self.mark_selected(st),
                      context=Qt.ShortcutContext.WidgetShortcut)
            self.buttons[status] = b
            bar.addWidget(b)
        bar.addStretch(1)
        layout.addLayout(bar)

    def show_meeting(self, detail: MeetingDetail, people: list[tuple[int, str]],
                     editable: bool, why_not: str) -> None:
        keep = set()
        if self.meeting_id == detail.id:
            keep = {self.model.row(i.row()).person_id for i in self.table.selectionModel().selectedRows()}
        self.meeting_id = detail.id
        self.model.editable = editable
        self.hint.setVisible(editable)  # how to record attendance means nothing to a reader
        self.model.set_rows(list(detail.attendance), people)
        self._reselect(keep)
        for b in self.buttons.values():
            b.setEnabled(editable)
            if not editable:
                b.setToolTip(why_not)
        q = detail.quorum
        if q.met:
            self.quorum.show_message(f"✔ Quorum: {q.describe()}.", "ok")
        else:
            self.quorum.show_message(
                f"✖ Quorum: {q.describe()}. Substitutes attending for voting members count.", "danger")

    def _reselect(self, person_ids: set[int]) -> None:
        """Keep the same members selected across a reload, so keys can be pressed in turn."""
        sel = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for n, r in enumerate(self.model.rows()):
            if r.person_id in person_ids:
                sel.select(self.model.index(n, 0), flags)
                if not sel.currentIndex().isValid():
                    sel.setCurrentIndex(self.model.index(n, 0), QItemSelectionModel.SelectionFlag.NoUpdate)

    def mark_selected(self, status: AttendanceStatus) -> None:
        if not self.model.editable:
            return
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        people = [self.model.row(n) for n in rows]
        if not people or self.meeting_id is None:
            return
        mid = self.meeting_id

        def save(s: Session, a: Actor) -> int:
            for r in people:
                sub = None if status is AttendanceStatus.PRESENT else r.substitute_id
                svc.set_attendance(s, a, mid, r.person_id, status, sub)
            return len(people)

        if self.ctx.run(self, "record attendance", save, changed="meeting") is not None:
            self.changed.emit()
            if status is AttendanceStatus.APOLOGIES:
                for r in people:
                    self._offer_named_substitute(r)

    def _save(self, person_id: int, status: str, substitute_id: int | None) -> None:
        if self.meeting_id is None:
            return
        mid = self.meeting_id
        if self.ctx.run(self, "record attendance",
                        lambda s, a: svc.set_attendance(s, a, mid, person_id, status, substitute_id),
                        changed="meeting") is not None:
            self.changed.emit()
            row = next((r for r in self.model.rows() if r.person_id == person_id), None)
            if row is not None and status == AttendanceStatus.APOLOGIES.value and substitute_id is None:
                self._offer_named_substitute(row)

    def _offer_named_substitute(self, r: AttendanceView) -> None:
        """Apologies from a member with a named substitute: offer to record them attending in
        the member's place (the services refuse one already present or standing in)."""
        if r.named_substitute_id is None or r.substitute_id is not None or self.meeting_id is None:
            return
        name = self.model.person_name(r.named_substitute_id)
        answer = QMessageBox.question(
            self, "Named substitute",
            f"{r.name} has sent apologies. Record {name}, their named substitute, as attending "
            "in their place?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        mid, sub = self.meeting_id, r.named_substitute_id
        if self.ctx.run(self, "record the substitute",
                        lambda s, a: svc.set_attendance(s, a, mid, r.person_id,
                                                        AttendanceStatus.APOLOGIES, sub),
                        changed="meeting") is not None:
            self.changed.emit()
