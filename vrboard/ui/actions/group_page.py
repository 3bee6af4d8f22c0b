"""The shape the Workstreams and Plans pages share: a summary table of groups (counts by RAG,
overdue, progress) over the selected group's actions. A subclass says how to load the groups,
how to name one, and what its summary line says."""
from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from ...services import action_rows as rows
from ..context import AppContext
from ..page import Page
from ..tablemodel import Column, RowTableModel
from .group_panel import GroupActionsPanel, summary_view


class GroupSummaryPage(Page):
    navigate = Signal(str, object)
    #: the table's columns; the word used for one group ("workstream", "plan")
    columns: ClassVar[list[Column[Any]]] = []
    group: ClassVar[str] = ""
    #: the key in open_target's dict that names a group, e.g. "workstream_id"
    target_key: ClassVar[str] = ""
    key_type: ClassVar[type] = str
    splitter_sizes: ClassVar[tuple[int, int]] = (300, 440)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = RowTableModel(self.columns, self)
        self.table = summary_view(self.model, self.title)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.panel = GroupActionsPanel(self.group)
        self.panel.open_actions.connect(lambda t: self.navigate.emit("actions", t))
        self.panel.open_action.connect(lambda i: self.navigate.emit("actions", {"action_id": i}))
        self.splitter = QSplitter(Qt.Orientation.Vertical, objectName=f"{self.group}s_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.panel)
        self.splitter.setSizes(list(self.splitter_sizes))
        self.splitter.setChildrenCollapsible(False)
        title = QLabel(self.title)
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.splitter, 1)

    # --- what a subclass says -------------------------------------------------------------------
    def load(self, session: Session) -> list[Any]:
        """The groups with their counts, read while the session is open."""
        raise NotImplementedError

    def key_of(self, group: Any) -> Any:
        """The value open_target and selection use to name ``group``."""
        raise NotImplementedError

    def show_group(self, group: Any) -> None:
        """Fill the actions panel for ``group`` (heading, summary line, filter)."""
        raise NotImplementedError

    # --- shared behaviour ---------------------------------------------------------------------
    def refresh(self) -> None:
        keep = self.current()
        with self.ctx.read() as s:
            groups = self.load(s)
            data = rows.action_rows(s, self.ctx.actor)
        self.model.set_rows(groups)
        self.panel.set_rows(data, self.ctx.today)
        key = self.key_of(keep) if keep is not None else None
        self.select(key if key is not None else (self.key_of(groups[0]) if groups else None))

    def current(self) -> Any | None:
        idx = self.table.currentIndex()
        return self.model.row(idx) if idx.isValid() else None

    def select(self, key: Any) -> None:
        for n, group in enumerate(self.model.rows()):
            if self.key_of(group) == key:
                self.table.selectRow(n)
                self._show_current()
                return

    def open_target(self, target: Any) -> None:
        self.refresh_if_stale()
        if isinstance(target, dict) and self.target_key in target:
            self.select(self.key_type(target[self.target_key]))

    def _show_current(self) -> None:
        group = self.current()
        if group is not None:
            self.show_group(group)
