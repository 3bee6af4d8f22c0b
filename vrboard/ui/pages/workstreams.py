"""The Workstreams page: the eight workstreams with lead, open actions by RAG (letter and
number), overdue, awaiting sign-off and mean progress; the selected one's actions below."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from ...services import action_rows as rows
from ...services.queries import WorkstreamCounts, workstream_counts
from ..actions.group_panel import GroupActionsPanel, count_columns, summary_view
from ..actions.table_model import Filter
from ..context import AppContext
from ..page import Page
from ..tablemodel import Column, RowTableModel

COLUMNS: list[Column[WorkstreamCounts]] = [
    Column("Code", lambda w: w.workstream.code, key=lambda w: (w.workstream.position, w.workstream.code),
           width=60),
    Column("Workstream", lambda w: w.workstream.name, tooltip=lambda w: w.workstream.description or None),
    Column("Lead", lambda w: w.workstream.lead.name if w.workstream.lead else "No lead yet", width=150),
    *count_columns(lambda w: w.by_rag),
]


class WorkstreamsPage(Page):
    title = "Workstreams"
    icon = "workstreams.svg"
    shortcut = "Ctrl+4"
    topics = frozenset({"action", "board", "workstream"})
    navigate = Signal(str, object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = RowTableModel(COLUMNS, self)
        self.table = summary_view(self.model, "Workstreams")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.panel = GroupActionsPanel("workstream")
        self.panel.open_actions.connect(lambda t: self.navigate.emit("actions", t))
        self.panel.open_action.connect(lambda i: self.navigate.emit("actions", {"action_id": i}))
        self.splitter = QSplitter(Qt.Orientation.Vertical, objectName="workstreams_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.panel)
        self.splitter.setSizes([300, 440])
        self.splitter.setChildrenCollapsible(False)
        title = QLabel("Workstreams")
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.splitter, 1)

    def refresh(self) -> None:
        keep = self.current()
        keep_id = keep.workstream.id if keep else None
        with self.ctx.read() as s:
            counts = workstream_counts(s, self.ctx.today)
            for w in counts:
                _ = w.workstream.lead  # load the lead while the session is open
            data = rows.action_rows(s)
        self.model.set_rows(counts)
        self.panel.set_rows(data, self.ctx.today)
        self.select(keep_id if keep_id is not None else (counts[0].workstream.id if counts else None))

    def current(self) -> WorkstreamCounts | None:
        idx = self.table.currentIndex()
        return self.model.row(idx) if idx.isValid() else None

    def select(self, workstream_id: int | None) -> None:
        for n, w in enumerate(self.model.rows()):
            if w.workstream.id == workstream_id:
                self.table.selectRow(n)
                self._show_current()
                return

    def open_target(self, target: Any) -> None:
        self.refresh_if_stale()
        if isinstance(target, dict) and "workstream_id" in target:
            self.select(int(target["workstream_id"]))

    def _show_current(self) -> None:
        w = self.current()
        if w is None:
            return
        ws = w.workstream
        lead = ws.lead.name if ws.lead else "no lead yet"
        info = (f"Lead: {lead}. {w.total} actions: {w.open} open ({w.overdue} overdue), "
                f"{w.awaiting} awaiting sign-off, {w.signed_off} signed off; mean progress "
                f"{w.mean_percent:.0f}%.")
        if ws.description:
            info += f"\n{ws.description}"
        self.panel.show_group(f"{ws.code}  {ws.name}", info, w.by_rag, Filter(workstream_id=ws.id),
                              {"workstream_id": ws.id})
