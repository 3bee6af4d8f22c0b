"""The Plans page: the plans actions deliver, with their period and their actions counted
(open by RAG, overdue, awaiting sign-off, progress); the selected plan's actions below."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from ...services import action_rows as rows
from ...services.action_rows import PlanCounts
from ..actions.group_panel import GroupActionsPanel, count_columns, summary_view
from ..actions.table_model import Filter
from ..context import AppContext
from ..page import Page
from ..tablemodel import Column, RowTableModel


def period_text(p: PlanCounts) -> str:
    if p.period_start and p.period_end:
        return f"{p.period} ({rows.uk(p.period_start)} to {rows.uk(p.period_end)})"
    return p.period


COLUMNS: list[Column[PlanCounts]] = [
    Column("Code", lambda p: p.code, width=64),
    Column("Plan", lambda p: p.name, tooltip=lambda p: p.description or None),
    Column("Period", lambda p: p.period, key=lambda p: (p.period_start is None, p.period_start),
           tooltip=period_text, width=80),
    *count_columns(lambda p: p.by_rag),
]


class PlansPage(Page):
    title = "Plans"
    icon = "plans.svg"
    shortcut = "Ctrl+6"
    topics = frozenset({"action", "plan"})
    navigate = Signal(str, object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = RowTableModel(COLUMNS, self)
        self.table = summary_view(self.model, "Plans")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.panel = GroupActionsPanel("plan")
        self.panel.open_actions.connect(lambda t: self.navigate.emit("actions", t))
        self.panel.open_action.connect(lambda i: self.navigate.emit("actions", {"action_id": i}))
        self.splitter = QSplitter(Qt.Orientation.Vertical, objectName="plans_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.panel)
        self.splitter.setSizes([200, 540])
        self.splitter.setChildrenCollapsible(False)
        title = QLabel("Plans")
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.splitter, 1)

    def refresh(self) -> None:
        keep = self.current()
        with self.ctx.read() as s:
            counts = rows.plan_counts(s, self.ctx.today)
            data = rows.action_rows(s)
        self.model.set_rows(counts)
        self.panel.set_rows(data, self.ctx.today)
        self.select(keep.code if keep else (counts[0].code if counts else None))

    def current(self) -> PlanCounts | None:
        idx = self.table.currentIndex()
        return self.model.row(idx) if idx.isValid() else None

    def select(self, code: str | None) -> None:
        for n, p in enumerate(self.model.rows()):
            if p.code == code:
                self.table.selectRow(n)
                self._show_current()
                return

    def open_target(self, target: Any) -> None:
        self.refresh_if_stale()
        if isinstance(target, dict) and "plan_code" in target:
            self.select(str(target["plan_code"]))

    def _show_current(self) -> None:
        p = self.current()
        if p is None:
            return
        info = (f"Period: {period_text(p) or 'not set'}. {p.total} actions: {p.open} open "
                f"({p.overdue} overdue), {p.awaiting} awaiting sign-off, {p.signed_off} signed off; "
                f"mean progress {p.mean_percent:.0f}%.")
        if p.description:
            info += f"\n{p.description}"
        self.panel.show_group(f"{p.code}  {p.name}", info, p.by_rag, Filter(plan_code=p.code),
                              {"plan_code": p.code})
