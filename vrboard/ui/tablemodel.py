"""One small ``QAbstractTableModel`` per table, from a list of column specifications.

Sorting happens in the model on precomputed keys (``Column.key``), never through a
``QSortFilterProxyModel`` calling ``data()`` per comparison.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

RAG_COLOURS = {"red": QColor("#d4351c"), "amber": QColor("#f47738"), "green": QColor("#00703c")}
RAG_TEXT = {"red": QColor("white"), "amber": QColor("black"), "green": QColor("white")}


@dataclass
class Column(Generic[R]):
    header: str
    text: Callable[[R], str]
    key: Callable[[R], Any] | None = None  # sort key; defaults to the text, case-folded
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    tooltip: Callable[[R], str] | None = None
    background: Callable[[R], QColor | None] | None = None
    foreground: Callable[[R], QColor | None] | None = None
    width: int | None = None


class ListTableModel(QAbstractTableModel):
    """A hand-written table model over a list ``_rows`` with fixed column ``HEADERS``: the
    row and column counts and the header text, so subclasses write only ``data``."""

    HEADERS: Sequence[str] = ()
    _rows: Sequence[Any]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None


class RowTableModel(QAbstractTableModel, Generic[R]):
    """Rows of Python objects shown through ``Column`` specifications. Read-only."""

    def __init__(self, columns: Sequence[Column[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[R] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- data in ---------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def row(self, index: Index | int) -> R:
        return self._rows[index if isinstance(index, int) else index.row()]

    def rows(self) -> list[R]:
        return list(self._rows)

    # -- Qt model interface -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
                return self.columns[section].header
            if orientation == Qt.Orientation.Vertical:
                return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        col, row = self.columns[index.column()], self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return col.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align)
        if role == Qt.ItemDataRole.BackgroundRole and col.background is not None:
            colour = col.background(row)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and col.foreground is not None:
            colour = col.foreground(row)
            return QBrush(colour) if colour is not None else None
        if role == SORT_ROLE:
            return self._key(col, row)
        if role == ROW_ROLE:
            return row
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort(column, order)
        self.layoutChanged.emit()

    # -- helpers ---------------------------------------------------------------------------------
    @staticmethod
    def _key(col: Column[R], row: R) -> Any:
        if col.key is not None:
            return col.key(row)
        return col.text(row).casefold()

    def _apply_sort(self, column: int, order: Qt.SortOrder) -> None:
        col = self.columns[column]
        keyed = [(_safe(self._key(col, r)), r) for r in self._rows]
        keyed.sort(key=lambda kr: kr[0], reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [r for _, r in keyed]


def _safe(key: Any) -> tuple[int, Any]:
    """None sorts last in ascending order and never compares with values."""
    return (1, 0) if key is None else (0, key)
