"""The Plans page: the plans actions deliver, with their period and their actions counted
(open by RAG, overdue, awaiting sign-off, progress); the selected plan's actions below."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from ...services import action_rows as rows
from ...services.action_rows import PlanCounts
from ...services.context import Perm, who_may
from ..actions.group_page import GroupSummaryPage
from ..actions.group_panel import count_columns
from ..actions.table_model import Filter
from ..context import AppContext
from ..tablemodel import Column


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


class PlansPage(GroupSummaryPage):
    title = "Plans"
    icon = "plans.svg"
    shortcut = "Ctrl+6"
    topics = frozenset({"action", "plan"})
    columns = COLUMNS
    group = "plan"
    target_key = "plan_code"
    splitter_sizes = (200, 540)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        row = QHBoxLayout()
        self.new_button = QPushButton("&New plan…")
        self.edit_button = QPushButton("&Edit plan…")
        self.close_button = QPushButton("&Close plan…")
        allowed = ctx.can(Perm.EDIT_BOARD)
        for b, tip in ((self.new_button, "Add a plan that actions deliver"),
                       (self.edit_button, "Change the selected plan's name, period or prefix"),
                       (self.close_button, "End the selected plan's period today")):
            b.setEnabled(allowed)
            b.setToolTip(tip if allowed else f"Only the {who_may(Perm.EDIT_BOARD)} may change plans.")
            row.addWidget(b)
        row.addStretch(1)
        self.domains_button = QPushButton("&Domains…")
        self.domains_button.setToolTip("The domains of existing work that actions are classed "
                                       "in: add, rename, retire")
        self.domains_button.clicked.connect(self.open_domains)
        row.addWidget(self.domains_button)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(1, row)
        self.dialog: QDialog | None = None
        self.new_button.clicked.connect(lambda: self.open_plan_dialog(None))
        self.edit_button.clicked.connect(
            lambda: self.open_plan_dialog(self.current().code if self.current() else None))
        self.close_button.clicked.connect(self.close_plan)

    def open_plan_dialog(self, code: str | None) -> None:
        from ..dialogs.plan import PlanDialog

        self.dialog = PlanDialog(self.ctx, self, code)
        self.dialog.finished.connect(self._plan_saved)
        self.dialog.open()

    def open_domains(self) -> None:
        from ..dialogs.domains import DomainsDialog

        self.domains_dialog = DomainsDialog(self.ctx, self)
        self.domains_dialog.finished.connect(self.refresh)
        self.domains_dialog.open()

    def _plan_saved(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if result == QDialog.DialogCode.Accepted and dialog is not None:
            self.refresh()
            self.select(getattr(dialog, "saved_code", None))
        if dialog is not None:
            dialog.deleteLater()

    def close_plan(self) -> None:
        import datetime as dt

        from ...services.setup import close_plan

        p = self.current()
        if p is None:
            return
        today = dt.date.today()
        answer = QMessageBox.question(
            self, "Close plan", f"Close {p.code} {p.name}: its period ends today "
            f"({today:%d/%m/%Y})? Its actions stay as they are.")
        if answer == QMessageBox.StandardButton.Yes:
            plan_id = p.id
            self.ctx.run(self, "close the plan", lambda s, a: close_plan(s, a, plan_id, today),
                         changed="plan")

    def load(self, session: Session) -> list[PlanCounts]:
        return rows.plan_counts(session, self.ctx.today)

    def key_of(self, group: PlanCounts) -> str:
        return group.code

    def show_group(self, p: PlanCounts) -> None:
        info = (f"Period: {period_text(p) or 'not set'}. {p.total} actions: {p.open} open "
                f"({p.overdue} overdue), {p.awaiting} awaiting sign-off, {p.signed_off} signed off; "
                f"mean progress {p.mean_percent:.0f}%.")
        if p.description:
            info += f"\n{p.description}"
        self.panel.show_group(f"{p.code}  {p.name}", info, p.by_rag, Filter(plan_code=p.code),
                              {"plan_code": p.code})
