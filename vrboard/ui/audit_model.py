"""The audit trail as a table model that filters, sorts and pages in SQL.

The trail only grows, so the model never holds all of it: it asks the database for the
total under the current filter and fetches rows in batches as the view scrolls
(``canFetchMore``/``fetchMore``). Sorting re-queries with a different ORDER BY.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ..services import audit_log
from ..services.access import AuditRow as AuditEntry
from ..services.access import AuditScope
from ..services.audit_log import AuditFilter
from ..services.context import acting_for
from .context import AppContext

Index = QModelIndex | QPersistentModelIndex
BATCH = 500
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2


def field_label(field: str) -> str:
    """A column name as a person reads it; a link to another record is named for that record
    ("agenda_item_id" reads "Agenda item", its value "#32")."""
    if field in ("created", "deleted"):
        return f"({field})"
    if field.endswith("_id"):
        field = field[:-3]
    return field.replace("_", " ").capitalize()


def _field_value(field: str, value: str) -> str:
    return f"#{value}" if field.endswith("_id") and value.isdigit() else _uk(value)


def value_text(value: str | None, limit: int = 0) -> str:
    """A stored value as a person reads it: snapshots as "field: value; …", ISO dates as UK."""
    if value is None:
        return ""
    text = value
    if value.startswith("{") and value.endswith("}"):
        try:
            data = json.loads(value)
        except ValueError:
            data = None
        if isinstance(data, dict):
            text = "; ".join(f"{field_label(k)}: {_field_value(k, str(v))}" for k, v in data.items())
    else:
        text = _uk(value)
    if limit and len(text) > limit:
        return text[: limit - 1] + "…"
    return text


def _uk(v: str) -> str:
    if len(v) == 10 and v[4] == "-" and v[7] == "-" and v[:4].isdigit():
        return f"{v[8:10]}/{v[5:7]}/{v[:4]}"
    return v


def when_text(e: AuditEntry) -> str:
    return e.at.astimezone().strftime("%d/%m/%Y %H:%M:%S")


@dataclass(frozen=True)
class AuditColumn:
    header: str
    sort: str
    text: Callable[[AuditEntry], str]


COLUMNS: tuple[AuditColumn, ...] = (
    AuditColumn("When", "at", when_text),
    AuditColumn("Who", "actor", lambda e: acting_for(e.actor_name, e.recorded_by_name)),
    AuditColumn("How", "channel", lambda e: e.channel.label),
    AuditColumn("Record type", "entity", lambda e: audit_log.entity_label(e.entity)),
    AuditColumn("Record", "record", lambda e: audit_log.record_label(e.entity, e.entity_label,
                                                                     e.entity_id)),
    AuditColumn("Field", "field", lambda e: field_label(e.field)),
    AuditColumn("Old value", "old", lambda e: value_text(e.old_value, 120)),
    AuditColumn("New value", "new", lambda e: value_text(e.new_value, 120)),
    AuditColumn("Source", "source", lambda e: e.source),
)


class AuditModel(QAbstractTableModel):
    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = AuditFilter()
        self.sort_key = "at"
        self.descending = True
        self.total = 0
        self._rows: list[AuditEntry] = []
        self._scope: AuditScope | None = None  # what the acting user may read, made per reload

    # --- loading -----------------------------------------------------------------------------
    def set_filter(self, f: AuditFilter) -> None:
        self.filter = f
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        with self.ctx.read() as s:
            self._scope = scope = audit_log.scope_of(s, self.ctx.actor)
            self.total = audit_log.count(s, self.filter, scope)
            self._rows = audit_log.search(s, self.filter, scope, sort=self.sort_key,
                                          descending=self.descending, limit=BATCH)
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008,N802
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008,N802
        if parent.isValid():
            return
        with self.ctx.read() as s:
            more = audit_log.search(s, self.filter, self._scope or self.ctx.actor,
                                    sort=self.sort_key, descending=self.descending,
                                    offset=len(self._rows), limit=BATCH)
        if not more:
            self.total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def loaded(self) -> int:
        return len(self._rows)

    def entry(self, row: int) -> AuditEntry:
        return self._rows[row]

    # --- Qt model interface -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section].header
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(COLUMNS):
            return None
        e = self._rows[index.row()]
        col = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return col.text(e)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col.sort == "old":
                return value_text(e.old_value) or None
            if col.sort == "new":
                return value_text(e.new_value) or None
            return None
        if role == ENTRY_ROLE:
            return e
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.sort_key = COLUMNS[column].sort
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()
