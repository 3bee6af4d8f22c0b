"""The read-only table view the pages show a ``RowTableModel`` in: whole rows selected, no
editing, Tab leaves the table, and each column as wide as its ``Column.width`` (or stretched)."""
from __future__ import annotations

from typing import Any

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
