"""The import preview's table: one line per row of the returned workbook, with a tick to
accept or reject it. Small (a tracker's rows), so filtering is a plain list comprehension."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ..tablemodel import ListTableModel

Index = QModelIndex | QPersistentModelIndex

KIND_LABELS = {
    "unchanged": "No change",
    "changed": "Update",
    "progress": "Progress update",
    "new": "New action",
    "conflict": "Conflict",
    "error": "Error",
}
#: rows a person can accept; conflicts are offered unticked (the file's values would win)
ACCEPTABLE = {"changed", "progress", "new", "conflict"}
DEFAULT_ON = {"changed", "progress", "new"}
KIND_COLOURS = {"conflict": QColor("#b54708"), "error": QColor("#b42318")}
HEADERS = ("Apply", "Row", "Reference", "Action", "What happens", "Details")


def row_details(r: Any) -> str:
    if r.kind == "error":
        first = r.errors[0] if r.errors else None
        more = f" (+{len(r.errors) - 1} more)" if len(r.errors) > 1 else ""
        return f"{first.cell + ': ' if first and first.cell else ''}{first.message if first else ''}{more}"
    if r.kind == "conflict":
        return "Changed in vrboard since the export: " + ", ".join(c.label for c in r.conflicts)
    parts = []
    if r.changes:
        parts.append(", ".join(c.label for c in r.changes))
    if r.progress_text:
        parts.append("new progress update")
    if r.kind == "new":
        parts.append("creates the action")
    return "; ".join(parts)


class PlanRowsModel(ListTableModel):
    HEADERS = HEADERS

    def __init__(self, rows: list[Any], parent: Any = None) -> None:
        super().__init__(parent)
        self.all_rows = list(rows)
        self.checked: set[int] = {r.row for r in rows if r.kind in DEFAULT_ON}
        self._acceptable_rows = {r.row for r in self.all_rows if r.kind in ACCEPTABLE}
        self.show_unchanged = False
        self._rows = self._visible()

    def _visible(self) -> list[Any]:
        return [r for r in self.all_rows if self.show_unchanged or r.kind != "unchanged"]

    def set_show_unchanged(self, show: bool) -> None:
        self.beginResetModel()
        self.show_unchanged = show
        self._rows = self._visible()
        self.endResetModel()

    def plan_row(self, row: int) -> Any:
        return self._rows[row]

    def acceptable(self) -> list[Any]:
        return [r for r in self.all_rows if r.kind in ACCEPTABLE]

    def set_all(self, on: bool) -> None:
        self.checked = set(self._acceptable_rows) if on else set()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0),
                                  [Qt.ItemDataRole.CheckStateRole])

    def accepted_rows(self) -> set[int]:
        return self.checked & self._acceptable_rows

    # --- Qt model interface -------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0 and self._rows[index.row()].kind in ACCEPTABLE:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            if r.kind not in ACCEPTABLE:
                return None
            return Qt.CheckState.Checked if r.row in self.checked else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                if r.kind in ACCEPTABLE:
                    return "Apply" if r.row in self.checked else "Skip"
                return "—"
            return (None, str(r.row), r.reference or "(new)", r.title, KIND_LABELS.get(r.kind, r.kind),
                    row_details(r))[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 5:
            return "\n".join(r.describe()[1:]) or None
        if role == Qt.ItemDataRole.ForegroundRole and col == 4 and r.kind in KIND_COLOURS:
            return QBrush(KIND_COLOURS[r.kind])
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        r = self._rows[index.row()]
        if r.kind not in ACCEPTABLE:
            return False
        on = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        if on:
            self.checked.add(r.row)
        else:
            self.checked.discard(r.row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.DisplayRole])
        return True
