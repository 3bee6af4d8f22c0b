"""The read-only table view the pages show a ``RowTableModel`` in: whole rows selected, no
editing, Tab leaves the table, and each column as wide as its ``Column.width`` (or stretched)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from ..tablemodel import RowTableModel


def read_only_table(model: RowTableModel[Any], name: str, *, single: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    for n, col in enumerate(model.columns):
        if col.width:
            view.setColumnWidth(n, col.width)
        else:
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.Stretch)
    return view


#: columns up to this wide (a date, a status) keep their whole text
SHORT = 96


def fit_columns(view: QTableView, stretch: int, cap: int = 200, share: float = 0.45,
                wrap: bool = True) -> None:
    """Give the room to the column that carries the meaning: ``stretch`` keeps at least
    ``share`` of the table's width and wraps; every other column is as wide as its contents
    up to ``cap`` pixels, and all of them give way in proportion when the table is narrow
    (then their text is elided; the full text is in the cell's tooltip or the detail). Fitted
    again when the rows change and when the table is resized, so a long presenter never
    squeezes the title to "…". ``wrap=False`` keeps one line a row (a summary whose rows
    must all stay in view)."""
    _ColumnFitter(view, stretch, cap, share, wrap)


class _ColumnFitter(QObject):
    def __init__(self, view: QTableView, stretch: int, cap: int, share: float, wrap: bool) -> None:
        super().__init__(view)
        self.view, self.stretch, self.cap, self.share = view, stretch, cap, share
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        view.setWordWrap(wrap)
        if wrap:
            view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved):
            signal.connect(self.fit)
        view.viewport().installEventFilter(self)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        view, header = self.view, self.view.horizontalHeader()
        columns = [c for c in range(view.model().columnCount())
                   if c != self.stretch and not view.isColumnHidden(c)]
        # (+8: the cell's own margins, which the size hint of a styled view leaves out)
        want = {c: min(max(view.sizeHintForColumn(c) + 8, header.sectionSizeHint(c)), self.cap)
                for c in columns}
        # Short columns keep their header readable ("Accepted", not "ccepted"); what gives way
        # when the table is narrow is the part of a column wider than its header (long text).
        # (a column as narrow as a date is never cut: "30/10/…" says nothing)
        floor = {c: want[c] if want[c] <= SHORT else min(want[c], max(header.sectionSizeHint(c), 36))
                 for c in columns}
        # The stretching column keeps its share whatever happens: when even the short columns
        # do not fit beside it, they all give way in proportion (their text then elided).
        room = view.viewport().width() * (1 - self.share)
        floors, extra = sum(floor.values()), sum(want[c] - floor[c] for c in columns)
        scale = max(0.0, min(1.0, (room - floors) / extra)) if extra else 1.0
        squeeze = min(1.0, room / floors) if floors else 1.0
        for c in columns:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            width = floor[c] + int((want[c] - floor[c]) * scale)
            if squeeze < 1.0:
                width = max(int(floor[c] * squeeze), min(floor[c], 36))
            header.resizeSection(c, width)
        header.setSectionResizeMode(self.stretch, QHeaderView.ResizeMode.Stretch)
