"""Shared by the Workstreams and Plans pages: a summary table of groups (counts by RAG,
overdue, progress) and, below it, the selected group's actions."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...model import RAG
from ..tablemodel import RAG_COLOURS, RAG_TEXT, Column, RowTableModel
from ..widgets.rag import RagCountBar
from ..widgets.tables import read_only_table
from .table_model import COLUMNS, ActionsTableModel, Filter

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter


def count_columns(by_rag: Callable[[Any], dict[RAG, int]]) -> list[Column[Any]]:
    """The counts every group shows; ``by_rag(row)`` gives its open actions by RAG."""
    cols: list[Column[Any]] = []
    for rag in RAG:
        cols.append(Column(
            rag.letter, lambda g, r=rag: f"{r.letter} {by_rag(g)[r]}", key=lambda g, r=rag: by_rag(g)[r],
            align=_CENTRE, width=56,
            tooltip=lambda g, r=rag: f"{by_rag(g)[r]} open actions reported {r.value}",
            background=lambda g, r=rag: RAG_COLOURS[r.value] if by_rag(g)[r] else None,
            foreground=lambda g, r=rag: RAG_TEXT[r.value] if by_rag(g)[r] else None))
    cols += [
        Column("Open", lambda g: str(g.open), key=lambda g: g.open, align=_RIGHT, width=64),
        Column("Overdue", lambda g: str(g.overdue), key=lambda g: g.overdue, align=_RIGHT, width=84,
               tooltip=lambda g: "Open actions past their (revised) due date"),
        Column("Awaiting sign-off", lambda g: str(g.awaiting), key=lambda g: g.awaiting, align=_RIGHT,
               width=146),
        Column("Signed off", lambda g: str(g.signed_off), key=lambda g: g.signed_off, align=_RIGHT,
               width=96),
        Column("Total", lambda g: str(g.total), key=lambda g: g.total, align=_RIGHT, width=64),
        Column("Mean progress", lambda g: f"{g.mean_percent:.0f}%", key=lambda g: g.mean_percent,
               align=_RIGHT, width=130, tooltip=lambda g: "Mean percent complete of actions not dropped"),
    ]
    return cols


def summary_view(model: RowTableModel[Any], name: str) -> QTableView:
    view = read_only_table(model, name)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    return view


class GroupActionsPanel(QWidget):
    """The selected group's heading, RAG count bar and actions; asks to open the Actions
    page filtered (``open_actions``) or at one action (``open_action``)."""

    open_actions = Signal(object)
    open_action = Signal(int)

    def __init__(self, noun: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target: dict[str, Any] = {}
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.heading.setWordWrap(True)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = RagCountBar()
        self.bar.setMaximumWidth(360)
        self.open_button = QPushButton("Open these in the &Actions page")
        self.open_button.setToolTip(f"The Actions page, filtered to this {noun}")
        self.open_button.clicked.connect(lambda: self.open_actions.emit(dict(self._target)))
        self.model = ActionsTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(f"Actions of the selected {noun}")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setToolTip("Double-click an action to open it in the Actions page")
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(QFontMetrics(self.font()).height() + 8)
        for n, col in enumerate(COLUMNS):
            self.table.setColumnWidth(n, col.width)
        self.table.doubleClicked.connect(self._double_clicked)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.bar, 1)
        top.addWidget(self.count)
        top.addStretch(1)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.info)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def set_rows(self, rows: list[tuple[Any, ...]], today: Any) -> None:
        self.model.set_rows(rows, today)

    def show_group(self, heading: str, info: str, by_rag: dict[RAG, int], f: Filter,
                   target: dict[str, Any]) -> None:
        self.heading.setText(heading)
        self.info.setText(info)
        self.info.setVisible(bool(info))
        self.bar.set_counts({r.value: n for r, n in by_rag.items()})
        self.model.set_filter(f)
        self._target = target
        self.open_button.setEnabled(bool(target))
        n = self.model.rowCount()
        self.count.setText(f"{n} action{'s' if n != 1 else ''} (open ones by RAG)")

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_action.emit(self.model.action_id(index.row()))
