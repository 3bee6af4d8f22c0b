"""The big actions table: every action, filtered and sorted inside the model.

Rows are plain tuples read once by ``services.action_rows.action_rows`` (no ORM object per
row). The model keeps ``_view``, a list of indexes into those rows; filtering builds it
with one pass over precomputed values and sorting orders it with a precomputed key list
per column (computed on first use), so 50,000 rows filter and sort in tens of
milliseconds. A ``QSortFilterProxyModel`` would call ``data()`` per comparison: seconds.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from ...model import RAG, ActionStatus
from ...services import action_rows as r
from ...services.queries import DUE_SOON_DAYS, OPEN
from ..tablemodel import RAG_COLOURS, RAG_TEXT
from ..widgets.rag import warning_text_colour

Index = QModelIndex | QPersistentModelIndex
Row = tuple[Any, ...]
ID_ROLE = Qt.ItemDataRole.UserRole + 10
_STATUS_ORDER = {s: n for n, s in enumerate(ActionStatus)}
_RAG_ORDER = {RAG.RED: 0, RAG.AMBER: 1, RAG.GREEN: 2}
_REF = re.compile(r"^(.*?)(\d+)$")
_NEVER = 10**7  # sorts missing dates last


@dataclass(frozen=True)
class Filter:
    """What the filter bar asks for; every field narrows the list, the empty filter shows all."""

    workstream_id: int | None = None
    plan_code: str | None = None
    owner_id: int | None = None
    status: ActionStatus | None = None
    rag: RAG | None = None
    overdue: bool = False
    awaiting_sign_off: bool = False
    due_soon: bool = False
    search: str = ""
    domain_id: int | None = None
    tag_id: int | None = None

    def is_empty(self) -> bool:
        return self == Filter()

    def with_(self, **changes: Any) -> Filter:
        return replace(self, **changes)

    def describe(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) not in (None, False, "")]


@dataclass(frozen=True)
class Col:
    header: str
    width: int
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


_CENTRE = Qt.AlignmentFlag.AlignCenter
COLUMNS = (
    Col("Ref", 76), Col("Title", 290), Col("Workstream", 100), Col("Owner", 136),
    Col("Due", 118), Col("Overdue", 80, _CENTRE), Col("RAG", 48, _CENTRE),
    Col("%", 50, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), Col("Status", 190),
    Col("Plans", 96), Col("Latest update", 120),
)
C_REF, C_TITLE, C_WS, C_OWNER, C_DUE, C_OVERDUE, C_RAG, C_PCT, C_STATUS, C_PLANS, C_LATEST = range(11)
RAG_NAMES = {RAG.RED: "Red", RAG.AMBER: "Amber", RAG.GREEN: "Green"}


def ref_key(ref: str) -> tuple[str, int]:
    """KC-9 before KC-10: the prefix, then the number."""
    prefix, _, num = ref.rpartition("-")
    if num.isdigit():
        return (prefix, int(num))
    m = _REF.match(ref)
    return (m.group(1), int(m.group(2))) if m else (ref, -1)


def _ord(d: dt.date | None) -> int:
    return _NEVER if d is None else d.toordinal()


class ActionsTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.today = today or dt.date.today()
        self._rows: list[Row] = []
        self._pos: dict[int, int] = {}  # action id -> index in _rows
        self._view: list[int] = []
        self._keys: dict[int, list[Any]] = {}
        self._haystack: list[str] | None = None
        self._filter = Filter()
        self._sort: tuple[int, Qt.SortOrder] = (C_REF, Qt.SortOrder.AscendingOrder)
        self._bold = QFont()
        self._bold.setBold(True)

    # --- data in --------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row], today: dt.date | None = None) -> None:
        self.beginResetModel()
        self.today = today or self.today
        self._rows = list(rows)
        self._pos = {t[r.R_ID]: n for n, t in enumerate(self._rows)}
        self._keys.clear()
        self._haystack = None
        self._view = self._filtered()
        self._order_view()
        self.endResetModel()

    def update_rows(self, fresh: Sequence[Row], gone: Collection[int] = ()) -> None:
        """Apply other people's changes: replace the rows in ``fresh`` (adding new actions),
        drop the ids in ``gone``, and keep the filter, the order and every persistent index
        (the selection) where they were. Only the changed rows' sort keys and search text are
        computed again, so 100 changes among 50,000 rows take milliseconds, not a reload."""
        if not fresh and not gone:
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._rows[self._view[i.row()]][r.R_ID] if 0 <= i.row() < len(self._view)
                   else None for i in old]
        pos = self._pos
        touched: list[int] = []
        for t in fresh:
            n = pos.get(t[r.R_ID])
            if n is None:
                pos[t[r.R_ID]] = n = len(self._rows)
                self._rows.append(t)
                for keys in self._keys.values():
                    keys.append(None)
                if self._haystack is not None:
                    self._haystack.append("")
            else:
                self._rows[n] = t
            touched.append(n)
        if gone:
            drop = {pos[i] for i in gone if i in pos}
            if drop:
                for i in gone:
                    pos.pop(i, None)
                keep = [n for n in range(len(self._rows)) if n not in drop]
                renumber = {o: k for k, o in enumerate(keep)}
                self._rows = [self._rows[n] for n in keep]
                for col, keys in self._keys.items():
                    self._keys[col] = [keys[n] for n in keep]
                if self._haystack is not None:
                    self._haystack = [self._haystack[n] for n in keep]
                touched = [renumber[n] for n in touched if n in renumber]
                self._pos = pos = {t[r.R_ID]: n for n, t in enumerate(self._rows)}
        refs = self._keys.get(C_REF)
        for n in touched:
            t = self._rows[n]
            if refs is not None:
                refs[n] = ref_key(t[r.R_REF])
            for col, keys in self._keys.items():
                if col != C_REF:
                    keys[n] = self._key(col, t, ref_key(t[r.R_REF]))
            if self._haystack is not None:
                self._haystack[n] = (f"{t[r.R_REF]}\n{t[r.R_TITLE]}\n{t[r.R_OWNER]}\n"
                                     f"{t[r.R_WS_CODE]}\n{t[r.R_DESCRIPTION]}").casefold()
        column, order = self._sort
        if gone or order != Qt.SortOrder.AscendingOrder:
            self._view = self._filtered()
            self._order_view()
        else:  # take the changed rows out and put back those that pass, each in its place
            moved = set(touched)
            self._view = [i for i in self._view if i not in moved]
            keys = self._sort_keys(column)
            for i in self._filtered(sorted(moved)):
                bisect.insort(self._view, i, key=keys.__getitem__)
        if old:
            wanted = {aid for aid in old_ids if aid is not None}
            where: dict[int, int] = {}
            for k, ri in enumerate(self._view):
                aid = self._rows[ri][r.R_ID]
                if aid in wanted:
                    where[aid] = k
                    if len(where) == len(wanted):
                        break
            new = [self.index(where[aid], i.column()) if aid in where else QModelIndex()
                   for aid, i in zip(old_ids, old, strict=True)]
            self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    @property
    def total(self) -> int:
        return len(self._rows)

    def action_id(self, row: int) -> int:
        return int(self._rows[self._view[row]][r.R_ID])

    def row_tuple(self, row: int) -> Row:
        return self._rows[self._view[row]]

    def row_of(self, action_id: int) -> int:
        """The visible row showing ``action_id``, or -1."""
        for n, i in enumerate(self._view):
            if self._rows[i][r.R_ID] == action_id:
                return n
        return -1

    def contains(self, action_id: int) -> bool:
        return any(t[r.R_ID] == action_id for t in self._rows)

    # --- filtering ---------------------------------------------------------------------------
    @property
    def filter(self) -> Filter:
        return self._filter

    def set_filter(self, f: Filter) -> None:
        if f == self._filter:
            return
        self.beginResetModel()
        self._filter = f
        self._view = self._filtered()
        self._order_view()
        self.endResetModel()

    def is_overdue(self, t: Row) -> bool:
        due = t[r.R_DUE]
        return due is not None and due < self.today and t[r.R_STATUS] in OPEN

    def _filtered(self, candidates: Sequence[int] | None = None) -> list[int]:
        f, rows = self._filter, self._rows
        tests: list[Callable[[Row], bool]] = []
        if f.workstream_id is not None:
            tests.append(lambda t: t[r.R_WS_ID] == f.workstream_id)
        if f.owner_id is not None:
            tests.append(lambda t: t[r.R_OWNER_ID] == f.owner_id)
        if f.status is not None:
            tests.append(lambda t: t[r.R_STATUS] == f.status)
        if f.rag is not None:
            tests.append(lambda t: t[r.R_RAG] == f.rag)
        if f.awaiting_sign_off:
            tests.append(lambda t: t[r.R_STATUS] == ActionStatus.AWAITING_SIGN_OFF)
        if f.overdue:
            tests.append(self.is_overdue)
        if f.due_soon:
            soon = self.today + dt.timedelta(days=DUE_SOON_DAYS)
            tests.append(lambda t: t[r.R_STATUS] in OPEN and t[r.R_DUE] is not None
                         and self.today <= t[r.R_DUE] <= soon)
        if f.domain_id is not None:
            tests.append(lambda t: t[r.R_DOMAIN_ID] == f.domain_id)
        if f.tag_id is not None:
            tests.append(lambda t: f.tag_id in t[r.R_TAG_IDS])
        if f.plan_code:
            code = f.plan_code
            tests.append(lambda t: code in t[r.R_PLANS].split(", "))
        idx = range(len(rows)) if candidates is None else candidates
        needle = f.search.strip().casefold()
        if needle:
            hay = self._hay()
            idx = [i for i in idx if needle in hay[i]]  # type: ignore[assignment]
        if not tests:
            return list(idx)
        return [i for i in idx if all(test(rows[i]) for test in tests)]

    def _hay(self) -> list[str]:
        if self._haystack is None:
            self._haystack = [
                f"{t[r.R_REF]}\n{t[r.R_TITLE]}\n{t[r.R_OWNER]}\n{t[r.R_WS_CODE]}\n{t[r.R_DESCRIPTION]}"
                .casefold() for t in self._rows]
        return self._haystack

    # --- sorting -------------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_rows = [self._view[i.row()] if 0 <= i.row() < len(self._view) else -1 for i in old]
        self._sort = (column, order)
        self._order_view()
        if old:
            where = {row_i: n for n, row_i in enumerate(self._view)}
            new = [self.index(where[ri], i.column()) if ri in where else QModelIndex()
                   for ri, i in zip(old_rows, old, strict=True)]
            self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    @property
    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort

    def _order_view(self) -> None:
        column, order = self._sort
        keys = self._sort_keys(column)
        self._view.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)

    def _sort_keys(self, column: int) -> list[Any]:
        keys = self._keys.get(column)
        if keys is None:
            if column == C_REF:
                keys = [ref_key(t[r.R_REF]) for t in self._rows]
            else:
                refs = self._sort_keys(C_REF)
                keys = [self._key(column, t, ref) for t, ref in zip(self._rows, refs, strict=True)]
            self._keys[column] = keys
        return keys

    def _key(self, column: int, t: Row, ref: tuple[str, int]) -> Any:
        if column == C_TITLE:
            return (t[r.R_TITLE].casefold(), ref)
        if column == C_WS:
            return (t[r.R_WS_CODE], ref)
        if column == C_OWNER:
            return (t[r.R_OWNER] == "", t[r.R_OWNER].casefold(), ref)
        if column == C_DUE:
            return (_ord(t[r.R_DUE]), ref)
        if column == C_OVERDUE:
            return (not self.is_overdue(t), _ord(t[r.R_DUE]), ref)
        if column == C_STATUS:
            return (_STATUS_ORDER[t[r.R_STATUS]], ref)
        if column == C_RAG:
            return (_RAG_ORDER[t[r.R_RAG]], ref)
        if column == C_PCT:
            return (t[r.R_PERCENT], ref)
        if column == C_PLANS:
            return (t[r.R_PLANS] == "", t[r.R_PLANS], ref)
        return (_ord(t[r.R_LATEST]), ref)

    # --- Qt model interface --------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self._view)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header
        if role == Qt.ItemDataRole.ToolTipRole:
            return {C_DUE: "The revised due date when there is one, else the due date",
                    C_RAG: "Red, amber or green, as last reported",
                    C_PCT: "Percent complete"}.get(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._view):
            return None
        col = index.column()
        if not 0 <= col < len(COLUMNS):
            return None
        t = self._rows[self._view[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(col, t)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if col == C_RAG:
                return RAG_NAMES[t[r.R_RAG]]
            return self._text(col, t) or "none"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(COLUMNS[col].align)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(col, t)
        if role == Qt.ItemDataRole.BackgroundRole and col == C_RAG:
            return QBrush(RAG_COLOURS[t[r.R_RAG].value])
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == C_RAG:
                return QBrush(RAG_TEXT[t[r.R_RAG].value])
            if col in (C_OVERDUE, C_DUE) and self.is_overdue(t):
                return QBrush(warning_text_colour())
        if role == Qt.ItemDataRole.FontRole and col in (C_RAG, C_OVERDUE):
            return self._bold
        if role == ID_ROLE:
            return t[r.R_ID]
        return None

    def _text(self, col: int, t: Row) -> str:
        if col == C_REF:
            return t[r.R_REF]
        if col == C_TITLE:
            return t[r.R_TITLE]
        if col == C_WS:
            return t[r.R_WS_CODE]
        if col == C_OWNER:
            return t[r.R_OWNER]
        if col == C_DUE:
            return r.uk(t[r.R_DUE]) + (" (rev.)" if t[r.R_REVISED] else "")
        if col == C_OVERDUE:
            return "Overdue" if self.is_overdue(t) else ""
        if col == C_STATUS:
            return t[r.R_STATUS].label
        if col == C_RAG:
            return t[r.R_RAG].letter
        if col == C_PCT:
            return f"{t[r.R_PERCENT]}%"
        if col == C_PLANS:
            return t[r.R_PLANS]
        return r.uk(t[r.R_LATEST])

    def _tooltip(self, col: int, t: Row) -> str | None:
        if col == C_TITLE:
            return t[r.R_TITLE]
        if col == C_STATUS:
            return t[r.R_STATUS].label
        if col == C_RAG:
            return f"RAG: {RAG_NAMES[t[r.R_RAG]]}"
        if col == C_DUE and t[r.R_REVISED]:
            return f"Revised due date; originally due {r.uk(t[r.R_ORIGINAL_DUE])}"
        if col == C_OVERDUE and self.is_overdue(t):
            days = (self.today - t[r.R_DUE]).days
            extra = " but reported green: the board should challenge it" if t[r.R_RAG] is RAG.GREEN else ""
            return f"{days} day{'s' if days != 1 else ''} past its due date{extra}"
        return None
