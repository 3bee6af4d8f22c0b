"""Table models for the Meetings page: the meeting list, the agenda (reorderable by drag and
drop), papers, declarations and decisions. Each is a small ``RowTableModel``."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from ...model import MeetingStatus
from ...services.meeting_views import (
    DecisionView,
    DeclarationView,
    ItemView,
    MeetingSummary,
    PaperView,
)
from ..tablemodel import Column, RowTableModel
from .common import tint, uk_datetime

Index = QModelIndex | QPersistentModelIndex
AGENDA_MIME = "application/x-vrboard-agenda-item"


def _status(m: MeetingSummary) -> str:
    if m.locked:
        return "Held, minutes signed"
    return m.status.label


def _status_kind(m: MeetingSummary) -> str | None:
    if m.status is MeetingStatus.PLANNED:
        return "info"
    if m.status is MeetingStatus.CANCELLED:
        return "muted"
    return None


def _status_bg(m: MeetingSummary) -> QColor | None:
    kind = _status_kind(m)
    return tint(kind)[0] if kind else None


def _status_fg(m: MeetingSummary) -> QColor | None:
    kind = _status_kind(m)
    return tint(kind)[1] if kind else None


class MeetingListModel(RowTableModel[MeetingSummary]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            Column("Date", lambda m: uk_datetime(m.starts_at), key=lambda m: m.starts_at),
            Column("Title", lambda m: m.title, tooltip=lambda m: m.title),
            Column("Status", _status, background=_status_bg, foreground=_status_fg),
            Column("Venue", lambda m: m.venue, tooltip=lambda m: m.venue),
        ], parent)

    def find(self, meeting_id: int) -> int:
        return next((n for n, m in enumerate(self._rows) if m.id == meeting_id), -1)


def part_text(i: ItemView) -> str:
    return "Part 1" if i.part == 1 else f"Part 2 (para {i.exempt_paragraph})"


class AgendaModel(RowTableModel[ItemView]):
    """The agenda in its order. Rows can be dragged to a new place; the model does not move
    them itself but asks (``move_requested(item_id, new_position)``) so the service decides."""

    move_requested = Signal(int, int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            Column("#", lambda i: str(i.position), key=lambda i: i.position,
                   align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            Column("Title", lambda i: i.title, tooltip=lambda i: i.title),
            Column("Part", part_text, key=lambda i: (i.part, i.exempt_paragraph or 0)),
            Column("Presenter", lambda i: i.presenter),
            Column("Mins", lambda i: str(i.minutes_allotted), key=lambda i: i.minutes_allotted,
                   align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            Column("Workstream", lambda i: i.workstream.split(" ", 1)[0] if i.workstream else "",
                   tooltip=lambda i: i.workstream),
            Column("Papers", lambda i: str(len(i.papers)) if i.papers else
                   ("Not needed" if i.no_paper else "None"),
                   key=lambda i: len(i.papers),
                   tooltip=lambda i: "No paper needed (a procedural item)"
                   if i.no_paper and not i.papers else None),
        ], parent)
        self.movable = True

    def find(self, item_id: int) -> int:
        return next((n for n, i in enumerate(self._rows) if i.id == item_id), -1)

    # --- drag and drop -----------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not self.movable:
            return base
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [AGENDA_MIME]

    def mimeData(self, indexes: list[Any]) -> QMimeData:  # noqa: N802
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            data.setData(AGENDA_MIME, QByteArray(str(self._rows[rows[0]].id).encode()))
        return data

    def _dragged_row(self, data: QMimeData) -> int:
        if not data.hasFormat(AGENDA_MIME):
            return -1
        try:
            return self.find(int(bytes(data.data(AGENDA_MIME).data()).decode()))
        except ValueError:
            return -1

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                        column: int, parent: Index) -> bool:
        return self.movable and action == Qt.DropAction.MoveAction and self._dragged_row(data) >= 0

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                     column: int, parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        source = self._dragged_row(data)
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self._rows))
        new_position = target if target > source else target + 1
        if new_position == source + 1:
            return False
        self.move_requested.emit(self._rows[source].id, new_position)
        return True


class PaperModel(RowTableModel[PaperView]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            Column("Paper", lambda p: p.title),
            Column("Marking", lambda p: p.classification.label),
            Column("File", lambda p: p.describe,
                   tooltip=lambda p: p.source_path or p.describe),
        ], parent)


class DeclarationModel(RowTableModel[DeclarationView]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            Column("Member", lambda d: d.person),
            Column("Item", lambda d: d.item, tooltip=lambda d: d.item),
            Column("Type", lambda d: d.interest_type),
            Column("Nature of the interest", lambda d: d.nature, tooltip=lambda d: d.nature),
            Column("Dispensation", lambda d: d.dispensation or "None"),
        ], parent)


class ItemListModel(RowTableModel[ItemView]):
    """The agenda as one column, for picking the item whose minute is being written."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([Column("Item", _minute_label, key=lambda i: i.position)], parent)

    def find(self, item_id: int) -> int:
        return next((n for n, i in enumerate(self._rows) if i.id == item_id), -1)


def _minute_label(i: ItemView) -> str:
    done = " (minuted)" if i.discussion or i.decisions else ""
    part2 = " [Part 2]" if i.part == 2 else ""
    return f"{i.position}. {i.title}{part2}{done}"


class DecisionModel(RowTableModel[DecisionView]):
    """Decisions being edited: the text column is editable; unsaved rows have id 0."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            Column("Decision", lambda d: d.text, tooltip=lambda d: d.text),
            Column("Actions raised", lambda d: ", ".join(d.actions) or "None"),
        ], parent)
        self.editable = True

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if self.editable and index.isValid() and index.column() == 0:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole and index.isValid() and index.column() == 0:
            return self._rows[index.row()].text
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != 0:
            return False
        if not self.editable:
            return False
        d = self._rows[index.row()]
        self._rows[index.row()] = DecisionView(d.id, d.position, str(value), d.actions, d.action_ids)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def append(self, text: str = "") -> int:
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(DecisionView(0, n + 1, text, ()))
        self.endInsertRows()
        return n

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def texts(self) -> list[str]:
        return [d.text for d in self._rows]
